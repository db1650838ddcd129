<?php
/**
 * Uninstall: removes the plugin's options, post and user meta, scheduled events, variants and state files.
 * Runs only through WordPress's uninstall flow.
 *
 * @package Pertinent
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

foreach ( array( 'pertinent_settings', 'pertinent_sync_queue', 'pertinent_bulk_sync_state', 'pertinent_metrics_snapshots' ) as $pertinent_option ) {
	delete_option( $pertinent_option );
}

foreach ( array( 'pertinent_sync_retry', 'pertinent_bulk_sync' ) as $pertinent_hook ) {
	wp_clear_scheduled_hook( $pertinent_hook );
}

// Variants are the plugin's own content type: they go with it (their meta with them).
$pertinent_variants = get_posts(
	array(
		'post_type'      => 'pertinent_variant',
		'post_status'    => 'any',
		'posts_per_page' => -1,
		'fields'         => 'ids',
	)
);
foreach ( $pertinent_variants as $pertinent_variant ) {
	wp_delete_post( $pertinent_variant, true );
}

foreach ( array( 'pertinent_topics', 'pertinent_audience', 'pertinent_funnel_stage', 'pertinent_intent', 'pertinent_variant_kind', 'pertinent_slots', 'pertinent_starts_at', 'pertinent_ends_at', 'pertinent_targeting' ) as $pertinent_key ) {
	delete_post_meta_by_key( $pertinent_key );
}
delete_metadata( 'user', 0, 'pertinent_visitor_ids', '', true );

global $wpdb;
// Transients of the admin-side cache (health, metrics, test connection) share the plugin's prefix.
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_pertinent\\_%' OR option_name LIKE '\\_transient\\_timeout\\_pertinent\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one-off cleanup with a constant query.

$pertinent_uploads = wp_upload_dir( null, false );
$pertinent_state   = trailingslashit( $pertinent_uploads['basedir'] ) . 'pertinent-state';
if ( is_dir( $pertinent_state ) ) {
	foreach ( (array) glob( $pertinent_state . '/{,.}*', GLOB_BRACE ) as $pertinent_file ) {
		if ( is_file( $pertinent_file ) ) {
			unlink( $pertinent_file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.unlink_unlink -- our own state files.
		}
	}
	rmdir( $pertinent_state ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_rmdir -- as above.
}
