<?php
/**
 * Loads the plugin's parts and wires them together: one require per concern, one init.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/settings.php';
require_once __DIR__ . '/volatile-store.php';
require_once __DIR__ . '/circuit-breaker.php';
require_once __DIR__ . '/sidecar-client.php';
require_once __DIR__ . '/visitor.php';
require_once __DIR__ . '/meta.php';
require_once __DIR__ . '/json-schema.php';
require_once __DIR__ . '/variants.php';
require_once __DIR__ . '/catalog-sync.php';
require_once __DIR__ . '/bulk-sync.php';
require_once __DIR__ . '/slot-render.php';
require_once __DIR__ . '/slots.php';
require_once __DIR__ . '/rate-limit.php';
require_once __DIR__ . '/rest-api.php';
require_once __DIR__ . '/privacy.php';
require_once __DIR__ . '/snippet.php';
require_once __DIR__ . '/hooks.php';

if ( is_admin() ) {
	require_once PERTINENT_DIR . '/admin/settings-page.php';
	require_once PERTINENT_DIR . '/admin/dashboard-widget.php';
	require_once PERTINENT_DIR . '/admin/meta-box.php';
	require_once PERTINENT_DIR . '/admin/dashboard-page.php';
}

/**
 * Registers every hook of the plugin (see hooks.php); called once from the bootstrap file.
 */
function pertinent_init() {
	pertinent_register_hooks();
	if ( is_admin() ) {
		pertinent_register_admin_hooks();
	}
}

/**
 * Activation: a first bulk catalog sync, run by cron in batches (never synchronously: activation must stay
 * fast). The retry tick is scheduled only when a sync fails.
 */
function pertinent_activate() {
	pertinent_bulk_sync_start();
}

/**
 * Deactivation: stop every scheduled event; settings and meta stay until uninstall.
 */
function pertinent_deactivate() {
	wp_clear_scheduled_hook( 'pertinent_sync_retry' );
	wp_clear_scheduled_hook( 'pertinent_bulk_sync' );
}
