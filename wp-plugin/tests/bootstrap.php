<?php
/**
 * PHPUnit bootstrap: loads a real, installed WordPress with the plugin active, and starts a tiny stub
 * sidecar (`php -S` with tests/stub/sidecar.php) for the cases that need an HTTP answer.
 *
 * PHPUnit includes this file inside a function: WordPress's globals must be declared global here, as
 * WordPress's own test suite does, or shortcodes, rewrite rules and the query vanish.
 *
 * @package Pertinent
 */

// phpcs:disable WordPress.WP.GlobalVariablesOverride.Prohibited -- declaring, not overriding.
global $wpdb, $wp_rewrite, $wp, $wp_query, $wp_the_query, $wp_roles, $wp_filter, $wp_actions, $wp_current_filter,
	$shortcode_tags, $current_user, $post, $wp_post_types, $wp_taxonomies, $wp_meta_keys, $wp_rest_server,
	$wp_scripts, $wp_styles, $wp_locale, $wp_embed, $wp_widget_factory, $pagenow, $allowedposttags, $allowedtags,
	$table_prefix, $wp_version, $blog_id, $wp_object_cache, $wp_plugin_paths, $wp_registered_widgets;

$pertinent_site = getenv( 'WP_SITE' );
if ( ! $pertinent_site || ! is_file( $pertinent_site . '/wp-load.php' ) ) {
	fwrite( STDERR, "Set WP_SITE to an installed WordPress folder (see tests/wordpress in the repository).\n" );
	exit( 1 );
}

$_SERVER['HTTP_HOST']       = getenv( 'WP_HOST' ) ? getenv( 'WP_HOST' ) : '127.0.0.1';
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';

require $pertinent_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if ( ! function_exists( 'pertinent_render_slot' ) ) {
	fwrite( STDERR, "The Pertinent plugin is not active in {$pertinent_site}.\n" );
	exit( 1 );
}

require __DIR__ . '/PertinentTestCase.php';

/**
 * A free local TCP port.
 *
 * @return int
 */
function pertinent_test_free_port() {
	$server = stream_socket_server( 'tcp://127.0.0.1:0' );
	$name   = stream_socket_get_name( $server, false );
	fclose( $server );
	return (int) substr( $name, strrpos( $name, ':' ) + 1 );
}

// The stub sidecar: answers from files in a temp folder the tests write.
$pertinent_stub_dir = sys_get_temp_dir() . '/pertinent-stub-' . getmypid();
if ( ! is_dir( $pertinent_stub_dir ) ) {
	mkdir( $pertinent_stub_dir );
}
$pertinent_stub_port = pertinent_test_free_port();
$pertinent_stub      = proc_open( // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_proc_open -- the test bootstrap starts the stub sidecar; no plugin code runs processes.
	array( PHP_BINARY, '-S', '127.0.0.1:' . $pertinent_stub_port, __DIR__ . '/stub/sidecar.php' ),
	array(
		0 => array( 'pipe', 'r' ),
		1 => array( 'file', '/dev/null', 'w' ),
		2 => array( 'file', '/dev/null', 'w' ),
	),
	$pertinent_pipes,
	null,
	array( 'PERTINENT_STUB_DIR' => $pertinent_stub_dir )
);
define( 'PERTINENT_TEST_STUB_URL', 'http://127.0.0.1:' . $pertinent_stub_port );
define( 'PERTINENT_TEST_STUB_DIR', $pertinent_stub_dir );
for ( $pertinent_i = 0; $pertinent_i < 100; $pertinent_i++ ) {
	$pertinent_probe = @fsockopen( '127.0.0.1', $pertinent_stub_port, $pertinent_errno, $pertinent_errstr, 0.1 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- refused while starting.
	if ( $pertinent_probe ) {
		fclose( $pertinent_probe );
		break;
	}
	usleep( 50000 );
}
register_shutdown_function(
	static function () use ( $pertinent_stub, $pertinent_stub_dir ) {
		proc_terminate( $pertinent_stub );
		array_map( 'unlink', (array) glob( $pertinent_stub_dir . '/*' ) );
		rmdir( $pertinent_stub_dir );
	}
);
