<?php
/**
 * Renders the admin dashboard page outside WordPress: the few WordPress functions it calls are stubbed
 * (escaping as WordPress does it), and the sidecar's answer is the JSON file given as argv[1].
 */
define( 'ABSPATH', __DIR__ );
define( 'PERTINENT_FILE', __FILE__ );
define( 'PERTINENT_VERSION', 'test' );

class WP_Error {
	private $message;
	public function __construct( $code, $message ) { $this->message = $message; }
	public function get_error_message() { return $this->message; }
}
function is_wp_error( $thing ) { return $thing instanceof WP_Error; }
function __( $text, $domain = '' ) { return $text; }
function esc_html( $text ) { return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' ); }
function esc_attr( $text ) { return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' ); }
function esc_html__( $text, $domain = '' ) { return esc_html( $text ); }
function _n( $single, $plural, $number, $domain = '' ) { return 1 === (int) $number ? $single : $plural; }
function esc_attr__( $text, $domain = '' ) { return esc_attr( $text ); }
function esc_url( $url ) { return esc_attr( $url ); }
function admin_url( $path ) { return 'http://example.test/wp-admin/' . $path; }
function current_user_can( $cap ) { return true; }
function number_format_i18n( $number, $decimals = 0 ) { return number_format( (float) $number, $decimals ); }
function wp_die( $message ) { echo $message; exit( 1 ); }
function pertinent_sidecar_request( $method, $path, $body = null, $options = array() ) {
	if ( '/v1/dashboard' !== $path || 'transient' !== $options['cache'] ) {
		return new WP_Error( 'unexpected', "unexpected call $method $path" );
	}
	$raw = file_get_contents( $GLOBALS['argv'][1] );
	return '' === $raw ? new WP_Error( 'pertinent_unreachable', 'connection refused' ) : array( 'status' => 200, 'body' => json_decode( $raw, true ), 'raw' => $raw );
}

require dirname( __DIR__, 3 ) . '/wp-plugin/pertinent/admin/dashboard-page.php';
pertinent_render_dashboard_page();
