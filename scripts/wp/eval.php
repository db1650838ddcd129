<?php
/**
 * Runs PHP code inside a loaded WordPress (what `wp eval` would do; wp-cli is not available here).
 * Usage: php eval.php SITE_DIR 'code;'   or   php eval.php SITE_DIR - < file.php
 * The code's return value, if not null, is printed as JSON.
 */
list( , $site_dir, $code ) = $argv;
$_SERVER['HTTP_HOST']       = getenv( 'WP_HOST' ) ? getenv( 'WP_HOST' ) : 'localhost';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

global $wpdb, $wp_rewrite, $wp_roles, $wp, $wp_query, $shortcode_tags, $post;

require $site_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/post.php';

if ( '-' === $code ) {
	$code = stream_get_contents( STDIN );
}
$code   = preg_replace( '/^\s*<\?php/', '', $code );
$result = eval( $code ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- a test and provisioning helper, fed by our own scripts.
if ( null !== $result ) {
	echo wp_json_encode( $result ), "\n";
}
