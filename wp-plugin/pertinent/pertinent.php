<?php
/**
 * Plugin Name:       Pertinent
 * Plugin URI:        https://github.com/pertinent/pertinent
 * Description:       Machine-learning content personalization: personalized slots (banners, calls-to-action, recommended posts) decided by the Pertinent sidecar, with the editor's default content as the fallback.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Pertinent
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       pertinent
 * Domain Path:       /languages
 *
 * @package Pertinent
 */

// Guard clauses first: a plugin file must never run outside WordPress or on a PHP it cannot parse.
if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

if ( defined( 'PERTINENT_VERSION' ) ) {
	// Loaded twice (e.g. a copy in mu-plugins): the first copy wins.
	return;
}

define( 'PERTINENT_VERSION', '0.1.0' );
define( 'PERTINENT_MIN_PHP', '7.4' );
define( 'PERTINENT_MIN_WP', '6.1' );
define( 'PERTINENT_FILE', __FILE__ );
define( 'PERTINENT_DIR', __DIR__ );

if ( version_compare( PHP_VERSION, PERTINENT_MIN_PHP, '<' ) || version_compare( get_bloginfo( 'version' ), PERTINENT_MIN_WP, '<' ) ) {
	add_action(
		'admin_notices',
		static function () {
			echo '<div class="notice notice-error"><p>';
			echo esc_html(
				sprintf(
					/* translators: 1: required PHP version, 2: required WordPress version. */
					__( 'Pertinent needs PHP %1$s and WordPress %2$s or newer; it is inactive.', 'pertinent' ),
					PERTINENT_MIN_PHP,
					PERTINENT_MIN_WP
				)
			);
			echo '</p></div>';
		}
	);
	return;
}

require_once PERTINENT_DIR . '/includes/load.php';

register_activation_hook( PERTINENT_FILE, 'pertinent_activate' );
register_deactivation_hook( PERTINENT_FILE, 'pertinent_deactivate' );

pertinent_init();
