<?php
/**
 * Bulk catalog sync: all published content of the synced types, sent in batches with `POST /v1/content/bulk`
 * by a self-rescheduling cron event (keyset pagination on the post id), with progress kept in an option for
 * the settings page. Runs on activation and from the settings page's "Sync all content now".
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'PERTINENT_BULK_STATE', 'pertinent_bulk_sync_state' );
define( 'PERTINENT_BULK_BATCH', 50 );

/**
 * Starts (or restarts) a bulk sync of all published content, run in batches by cron.
 */
function pertinent_bulk_sync_start() {
	$count = 0;
	foreach ( pertinent_synced_post_types() as $type ) {
		$counts = wp_count_posts( $type );
		$count += isset( $counts->publish ) ? (int) $counts->publish : 0;
	}
	update_option(
		PERTINENT_BULK_STATE,
		array(
			'status'     => 'running',
			'total'      => $count,
			'done'       => 0,
			'last_id'    => 0,
			'started_at' => time(),
			'error'      => '',
		),
		false
	);
	wp_clear_scheduled_hook( 'pertinent_bulk_sync' );
	wp_schedule_single_event( time(), 'pertinent_bulk_sync' );
}

/**
 * Bulk sync progress.
 *
 * @return array<string,mixed>
 */
function pertinent_bulk_sync_state() {
	$state = get_option( PERTINENT_BULK_STATE, array() );
	return wp_parse_args(
		is_array( $state ) ? $state : array(),
		array(
			'status'  => 'idle',
			'total'   => 0,
			'done'    => 0,
			'last_id' => 0,
			'error'   => '',
		)
	);
}

/**
 * Cron `pertinent_bulk_sync`: sends the next batch with `POST /v1/content/bulk` and schedules the next one.
 *
 * @return array<string,mixed> The new state.
 */
function pertinent_bulk_sync_batch() {
	$state = pertinent_bulk_sync_state();
	if ( 'running' !== $state['status'] ) {
		return $state;
	}
	$posts = get_posts(
		array(
			'post_type'        => pertinent_synced_post_types(),
			'post_status'      => 'publish',
			'posts_per_page'   => PERTINENT_BULK_BATCH,
			'orderby'          => 'ID',
			'order'            => 'ASC',
			'no_found_rows'    => true,
			'suppress_filters' => false,
			'pertinent_after'  => (int) $state['last_id'],
		)
	);
	if ( ! $posts ) {
		$state['status'] = 'done';
		update_option( PERTINENT_BULK_STATE, $state, false );
		return $state;
	}
	$items = array();
	foreach ( $posts as $post ) {
		$items[] = array( 'id' => (string) $post->ID ) + pertinent_catalog_item( $post );
	}
	$result = pertinent_sidecar_request(
		'POST',
		'/v1/content/bulk',
		array( 'items' => $items ),
		array(
			'breaker'    => false,
			'timeout_ms' => 10000,
		)
	);
	if ( is_wp_error( $result ) ) {
		$state['error'] = $result->get_error_message();
		update_option( PERTINENT_BULK_STATE, $state, false );
		wp_schedule_single_event( time() + 60, 'pertinent_bulk_sync' );
		return $state;
	}
	$last             = end( $posts );
	$state['done']   += count( $posts );
	$state['last_id'] = $last->ID;
	$state['error']   = '';
	update_option( PERTINENT_BULK_STATE, $state, false );
	wp_schedule_single_event( time(), 'pertinent_bulk_sync' );
	return $state;
}

/**
 * `posts_where`: the bulk sync's keyset pagination (ID > last id), cheaper than OFFSET on big sites.
 *
 * @param string   $where Where clause.
 * @param WP_Query $query Query.
 * @return string
 */
function pertinent_bulk_posts_where( $where, $query ) {
	$after = $query->get( 'pertinent_after' );
	if ( '' !== $after && null !== $after ) {
		global $wpdb;
		$where .= $wpdb->prepare( " AND {$wpdb->posts}.ID > %d", (int) $after );
	}
	return $where;
}
