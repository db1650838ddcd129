<?php
/**
 * Catalog sync: content saved, published, unpublished, trashed or deleted is sent to the sidecar at the end
 * of the request (short timeout, never the page-view path); failures go to a retry queue drained by WP-Cron
 * with exponential backoff. The bulk sync of all content lives in bulk-sync.php.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'PERTINENT_SYNC_QUEUE', 'pertinent_sync_queue' );
define( 'PERTINENT_SYNC_BATCH', 50 );

/**
 * Post types whose content the sidecar knows (the setting, plus variants).
 *
 * @return string[]
 */
function pertinent_synced_post_types() {
	$types   = (array) pertinent_setting( 'post_types' );
	$types[] = PERTINENT_VARIANT_TYPE;
	return array_values( array_unique( $types ) );
}

/**
 * ISO 8601 UTC from a GMT MySQL date, or null for the zero date.
 *
 * @param string $gmt MySQL datetime in GMT.
 * @return string|null
 */
function pertinent_iso_date( $gmt ) {
	if ( ! $gmt || '0000-00-00 00:00:00' === $gmt ) {
		return null;
	}
	return str_replace( ' ', 'T', $gmt ) . 'Z';
}

/**
 * Term names of a post, split into tags (flat taxonomies) and categories (hierarchical ones).
 *
 * @param WP_Post $post Post.
 * @return array{tags:string[],categories:string[]}
 */
function pertinent_post_terms( $post ) {
	$out = array(
		'tags'       => array(),
		'categories' => array(),
	);
	foreach ( get_object_taxonomies( $post->post_type, 'objects' ) as $taxonomy ) {
		if ( ! $taxonomy->public ) {
			continue;
		}
		$terms = get_the_terms( $post, $taxonomy->name );
		if ( ! is_array( $terms ) ) {
			continue;
		}
		$bucket = $taxonomy->hierarchical ? 'categories' : 'tags';
		foreach ( $terms as $term ) {
			$out[ $bucket ][] = html_entity_decode( $term->name, ENT_QUOTES, 'UTF-8' );
		}
	}
	return $out;
}

/**
 * The sidecar's catalog item for a post (`PUT /v1/content/{id}` body).
 *
 * @param WP_Post $post Post.
 * @return array<string,mixed>
 */
function pertinent_catalog_item( $post ) {
	$text      = trim( preg_replace( '/\s+/', ' ', wp_strip_all_tags( strip_shortcodes( $post->post_content ) ) ) );
	$excerpt   = '' !== $post->post_excerpt ? wp_strip_all_tags( $post->post_excerpt ) : wp_trim_words( $text, 55, '' );
	$terms     = pertinent_post_terms( $post );
	$item      = array(
		'title'       => html_entity_decode( $post->post_title, ENT_QUOTES, 'UTF-8' ),
		'url'         => (string) get_permalink( $post ),
		'type'        => $post->post_type,
		'excerpt'     => $excerpt,
		'text'        => function_exists( 'mb_substr' ) ? mb_substr( $text, 0, 20000 ) : substr( $text, 0, 20000 ),
		'tags'        => $terms['tags'],
		'categories'  => $terms['categories'],
		'meta'        => (object) pertinent_post_meta( $post->ID ),
		'status'      => in_array( $post->post_status, array( 'publish', 'draft', 'pending', 'private', 'future', 'trash' ), true ) ? $post->post_status : 'draft',
		'modified_at' => pertinent_iso_date( $post->post_modified_gmt ),
	);
	$published = pertinent_iso_date( $post->post_date_gmt );
	if ( $published ) {
		$item['published_at'] = $published;
	}
	if ( PERTINENT_VARIANT_TYPE === $post->post_type ) {
		// The sidecar knows variants by type "variant" (never recommended as content); the kind rides in meta.
		$item['type']      = 'variant';
		$item['url']       = '';
		$item['targeting'] = array();
		foreach ( (array) get_post_meta( $post->ID, 'pertinent_targeting', true ) as $rule ) {
			if ( is_array( $rule ) && isset( $rule['action'] ) ) {
				$rule['when']        = (object) ( isset( $rule['when'] ) ? (array) $rule['when'] : array() );
				$item['targeting'][] = $rule;
			}
		}
		foreach ( array( 'starts_at', 'ends_at' ) as $key ) {
			$value = (string) get_post_meta( $post->ID, 'pertinent_' . $key, true );
			if ( '' !== $value ) {
				$item[ $key ] = $value;
			}
		}
		$item['meta']->slots = (array) get_post_meta( $post->ID, 'pertinent_slots', true );
		$item['meta']->kind  = array( pertinent_sanitize_variant_kind( get_post_meta( $post->ID, 'pertinent_variant_kind', true ) ) );
	}
	/**
	 * Filters the catalog item sent to the sidecar for a post.
	 *
	 * @param array   $item Item.
	 * @param WP_Post $post Post.
	 */
	return apply_filters( 'pertinent_catalog_item', $item, $post );
}

/**
 * `wp_after_insert_post` (fires after terms and meta are saved, also on trash): remember the post for the
 * end-of-request sync.
 *
 * @param int     $post_id Post.
 * @param WP_Post $post    Post.
 */
function pertinent_sync_after_insert_post( $post_id, $post ) {
	if ( wp_is_post_revision( $post_id ) || wp_is_post_autosave( $post_id ) || 'auto-draft' === $post->post_status ) {
		return;
	}
	if ( in_array( $post->post_type, pertinent_synced_post_types(), true ) ) {
		pertinent_sync_defer( (int) $post_id, 'put' );
	}
}

/**
 * `before_delete_post`: the post is going away for good.
 *
 * @param int     $post_id Post.
 * @param WP_Post $post    Post (WP 5.5+).
 */
function pertinent_sync_before_delete_post( $post_id, $post = null ) {
	$post = $post ? $post : get_post( $post_id );
	if ( $post && in_array( $post->post_type, pertinent_synced_post_types(), true ) ) {
		pertinent_sync_defer( (int) $post_id, 'delete' );
	}
}

/**
 * Collects a change for the end of the request (one save fires several hooks; the last action wins).
 *
 * @param int    $post_id Post.
 * @param string $action  put|delete.
 */
function pertinent_sync_defer( $post_id, $action ) {
	if ( ! isset( $GLOBALS['pertinent_sync_pending'] ) ) {
		$GLOBALS['pertinent_sync_pending'] = array();
		add_action( 'shutdown', 'pertinent_sync_flush_pending', 5 );
	}
	$GLOBALS['pertinent_sync_pending'][ $post_id ] = $action;
}

/**
 * `shutdown`: pushes the collected changes; whatever fails is queued for cron.
 */
function pertinent_sync_flush_pending() {
	$pending                           = isset( $GLOBALS['pertinent_sync_pending'] ) ? $GLOBALS['pertinent_sync_pending'] : array();
	$GLOBALS['pertinent_sync_pending'] = array();
	/**
	 * Filters whether the response is handed to the editor before syncing (PHP-FPM's fastcgi_finish_request),
	 * so a slow sidecar never holds up a save. Output buffers were flushed at shutdown priority 1.
	 *
	 * @param bool $finish Whether to finish the request first.
	 */
	if ( $pending && function_exists( 'fastcgi_finish_request' ) && apply_filters( 'pertinent_sync_finish_request', true ) ) {
		fastcgi_finish_request();
	}
	foreach ( $pending as $post_id => $action ) {
		pertinent_sync_attempt( $post_id, $action );
	}
}

/**
 * Pushes one change: on success it leaves the retry queue, on failure it is queued (again) with backoff.
 *
 * @param int    $post_id Post.
 * @param string $action  put|delete.
 * @return bool Whether the sidecar has the change.
 */
function pertinent_sync_attempt( $post_id, $action ) {
	$result = pertinent_sync_push( $post_id, $action );
	if ( is_wp_error( $result ) ) {
		pertinent_sync_enqueue( $post_id, $action, $result->get_error_message() );
		return false;
	}
	pertinent_sync_dequeue( $post_id );
	return true;
}

/**
 * Sends one change to the sidecar (short timeouts: an editor must never wait on a hung sidecar for long).
 *
 * @param int    $post_id Post.
 * @param string $action  put|delete.
 * @return true|WP_Error
 */
function pertinent_sync_push( $post_id, $action ) {
	if ( '' === (string) pertinent_setting( 'sidecar_url' ) ) {
		return new WP_Error( 'pertinent_not_configured', __( 'No sidecar URL is set.', 'pertinent' ) );
	}
	if ( pertinent_breaker_is_open() ) {
		return new WP_Error( 'pertinent_circuit_open', __( 'The sidecar is failing; the change is queued.', 'pertinent' ) );
	}
	$options = array(
		'breaker'            => false,
		'timeout_ms'         => 2000,
		'connect_timeout_ms' => 500,
	);
	$post    = get_post( $post_id );
	$path    = '/v1/content/' . rawurlencode( (string) $post_id );
	if ( 'delete' === $action || ! $post ) {
		$result = pertinent_sidecar_request( 'DELETE', $path, null, $options );
		// Already gone is fine.
		return ( is_wp_error( $result ) && ! pertinent_sidecar_not_found( $result ) ) ? $result : true;
	}
	$result = pertinent_sidecar_request( 'PUT', $path, pertinent_catalog_item( $post ), $options );
	return is_wp_error( $result ) ? $result : true;
}

/**
 * Queues a failed change for retry.
 *
 * @param int    $post_id Post.
 * @param string $action  put|delete.
 * @param string $error   Why it failed.
 */
function pertinent_sync_enqueue( $post_id, $action, $error ) {
	$queue             = pertinent_sync_queue();
	$attempts          = isset( $queue[ $post_id ] ) ? $queue[ $post_id ]['attempts'] + 1 : 1;
	$queue[ $post_id ] = array(
		'action'   => $action,
		'attempts' => $attempts,
		'next_at'  => time() + pertinent_sync_backoff( $attempts ),
		'error'    => substr( $error, 0, 200 ),
	);
	update_option( PERTINENT_SYNC_QUEUE, $queue, false );
	pertinent_sync_schedule_retry();
}

/**
 * Seconds to wait before retry number $attempts + 1: 1, 2, 4, ... minutes, at most an hour.
 *
 * @param int $attempts Failed attempts so far.
 * @return int
 */
function pertinent_sync_backoff( $attempts ) {
	return (int) min( 3600, 60 * pow( 2, max( 0, $attempts - 1 ) ) );
}

/**
 * Removes a post from the retry queue.
 *
 * @param int $post_id Post.
 */
function pertinent_sync_dequeue( $post_id ) {
	$queue = pertinent_sync_queue();
	if ( isset( $queue[ $post_id ] ) ) {
		unset( $queue[ $post_id ] );
		update_option( PERTINENT_SYNC_QUEUE, $queue, false );
	}
}

/**
 * The retry queue: post id => {action, attempts, next_at, error}.
 *
 * @return array<int,array<string,mixed>>
 */
function pertinent_sync_queue() {
	$queue = get_option( PERTINENT_SYNC_QUEUE, array() );
	return is_array( $queue ) ? $queue : array();
}

/**
 * Makes sure the retry event is scheduled (every minute; due items only).
 */
function pertinent_sync_schedule_retry() {
	if ( ! wp_next_scheduled( 'pertinent_sync_retry' ) ) {
		wp_schedule_event( time() + 60, 'pertinent_minute', 'pertinent_sync_retry' );
	}
}

/**
 * `cron_schedules`: a one-minute schedule for the retry queue.
 *
 * @param array $schedules Schedules.
 * @return array
 */
function pertinent_cron_schedules( $schedules ) {
	$schedules['pertinent_minute'] = array(
		'interval' => 60,
		'display'  => __( 'Every minute (Pertinent sync retries)', 'pertinent' ),
	);
	return $schedules;
}

/**
 * Cron `pertinent_sync_retry`: retries the due items of the queue (at most one batch per run).
 *
 * @return int Items synced.
 */
function pertinent_sync_retry() {
	$synced = 0;
	$now    = time();
	foreach ( array_slice( pertinent_sync_queue(), 0, PERTINENT_SYNC_BATCH, true ) as $post_id => $item ) {
		if ( $item['next_at'] > $now ) {
			continue;
		}
		if ( pertinent_sync_attempt( (int) $post_id, $item['action'] ) ) {
			++$synced;
		}
	}
	pertinent_volatile_gc();
	if ( ! pertinent_sync_queue() ) {
		// Nothing left to retry: no per-minute tick until the next failure schedules it again.
		wp_clear_scheduled_hook( 'pertinent_sync_retry' );
	}
	return $synced;
}
