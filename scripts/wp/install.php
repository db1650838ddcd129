<?php
/**
 * Installs WordPress in a prepared copy (wp-config.php written) and activates the Pertinent plugin.
 * Usage: php install.php SITE_DIR URL ADMIN_PASSWORD
 * Run before the web server starts: wp_install's loopback checks would otherwise wait on it.
 */
if ( $argc < 4 ) {
	fwrite( STDERR, "usage: php install.php SITE_DIR URL ADMIN_PASSWORD\n" );
	exit( 2 );
}
list( , $site_dir, $url, $password ) = $argv;
$parts                               = parse_url( $url );
$_SERVER['HTTP_HOST']                = $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
$_SERVER['SERVER_NAME']              = $parts['host'];
$_SERVER['REQUEST_URI']              = '/';
$_SERVER['SERVER_PROTOCOL']          = 'HTTP/1.1';
define( 'WP_INSTALLING', true );

// Globals WordPress expects to be global (this file is included at top level, but be explicit).
global $wpdb, $wp_rewrite, $wp_roles, $current_user;

require $site_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if ( ! function_exists( 'wp_new_blog_notification' ) ) {
	/** No mail on this machine: the pluggable notification is a no-op. */
	function wp_new_blog_notification() {}
}

if ( ! is_blog_installed() ) {
	$result = wp_install( 'Pertinent test site', 'admin', 'admin@example.org', true, '', $password );
	if ( is_wp_error( $result ) ) {
		fwrite( STDERR, $result->get_error_message() . "\n" );
		exit( 1 );
	}
}
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'blogdescription', '' );
// WP_THEME: a theme the release ships (WordPress 7.1 has no twentytwentyone).
switch_theme( getenv( 'WP_THEME' ) ? getenv( 'WP_THEME' ) : 'twentytwentyone' );
$wp_rewrite->init();
$wp_rewrite->flush_rules( false );

$activated = activate_plugin( 'pertinent/pertinent.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'activate: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}
echo "installed {$url}\n";
