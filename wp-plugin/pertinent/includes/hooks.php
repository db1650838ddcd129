<?php
/**
 * Every hook the plugin registers, in one place; callbacks are named after what they do on that hook.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Front-end and shared hooks.
 */
function pertinent_register_hooks() {
	add_action( 'init', 'pertinent_load_textdomain' );
	add_action( 'init', 'pertinent_register_settings' );
	add_action( 'init', 'pertinent_register_meta' );
	add_action( 'init', 'pertinent_register_variants' );
	add_action( 'init', 'pertinent_register_slots' );
	add_action( 'rest_api_init', 'pertinent_register_rest_routes' );
	add_action( 'update_option_pertinent_settings', 'pertinent_settings_flush' );
	add_action( 'add_option_pertinent_settings', 'pertinent_settings_flush' );

	// Remote calls: curl's millisecond timeouts.
	add_action( 'http_api_curl', 'pertinent_http_api_curl', 10, 2 );

	// Server rendering: collect slots into one decide call per page.
	add_action( 'template_redirect', 'pertinent_template_redirect', 1000 );
	add_action( 'shutdown', 'pertinent_page_buffer_finish', 0 );
	add_filter( 'script_loader_tag', 'pertinent_script_loader_tag', 10, 2 );

	// The snippet's tracker on every public page (the slots part is added where a slot renders).
	add_action( 'wp_enqueue_scripts', 'pertinent_enqueue_tracker' );

	// Catalog sync.
	add_action( 'wp_after_insert_post', 'pertinent_sync_after_insert_post', 10, 2 );
	add_action( 'before_delete_post', 'pertinent_sync_before_delete_post', 10, 2 );
	add_action( 'clean_post_cache', 'pertinent_flush_variants' );
	add_action( 'updated_post_meta', 'pertinent_flush_variants_meta', 10, 2 );
	add_action( 'added_post_meta', 'pertinent_flush_variants_meta', 10, 2 );
	add_filter( 'cron_schedules', 'pertinent_cron_schedules' ); // phpcs:ignore WordPress.WP.CronInterval.ChangeDetected -- the sniff cannot see the callback in catalog-sync.php: a one-minute retry tick, intended; it does nothing when the queue is empty.
	add_action( 'pertinent_sync_retry', 'pertinent_sync_retry' );
	add_action( 'pertinent_bulk_sync', 'pertinent_bulk_sync_batch' );
	add_filter( 'posts_where', 'pertinent_bulk_posts_where', 10, 2 );

	// Targeting rules: refused, never stored, when the schema rejects them (REST answers 400 first).
	add_filter( 'add_post_metadata', 'pertinent_refuse_invalid_targeting', 10, 4 );
	add_filter( 'update_post_metadata', 'pertinent_refuse_invalid_targeting', 10, 4 );
	add_filter( 'rest_pre_insert_' . PERTINENT_VARIANT_TYPE, 'pertinent_rest_pre_insert_variant', 10, 2 );

	// Privacy.
	add_action( 'wp_login', 'pertinent_link_visitor_on_login', 10, 2 );
	add_filter( 'wp_privacy_personal_data_exporters', 'pertinent_register_exporter' );
	add_filter( 'wp_privacy_personal_data_erasers', 'pertinent_register_eraser' );
}

/**
 * `init`: translations.
 */
function pertinent_load_textdomain() {
	load_plugin_textdomain( 'pertinent', false, dirname( plugin_basename( PERTINENT_FILE ) ) . '/languages' );
}

/**
 * Admin-only hooks (settings page, dashboard widget, meta boxes, editor panel).
 */
function pertinent_register_admin_hooks() {
	add_action( 'admin_menu', 'pertinent_admin_menu' );
	add_action( 'admin_init', 'pertinent_admin_settings_fields' );
	add_action( 'admin_init', 'pertinent_privacy_policy_content' );
	add_action( 'admin_post_pertinent_test_connection', 'pertinent_admin_test_connection' );
	add_action( 'admin_post_pertinent_bulk_sync', 'pertinent_admin_bulk_sync' );
	add_action( 'wp_dashboard_setup', 'pertinent_dashboard_setup' );
	add_action( 'admin_menu', 'pertinent_dashboard_page_menu' );
	add_action( 'admin_enqueue_scripts', 'pertinent_dashboard_page_styles' );
	add_action( 'add_meta_boxes', 'pertinent_add_meta_boxes', 10, 2 );
	add_action( 'save_post', 'pertinent_save_meta_boxes', 10, 2 );
	add_action( 'enqueue_block_editor_assets', 'pertinent_enqueue_editor_panel' );
	add_action( 'admin_enqueue_scripts', 'pertinent_enqueue_targeting_form' );
	add_action( 'admin_notices', 'pertinent_targeting_admin_notice' );
	add_filter( 'plugin_action_links_' . plugin_basename( PERTINENT_FILE ), 'pertinent_plugin_action_links' );
}
