<?php
/**
 * Enqueues the JS snippet (built from sdk/js, shipped as assets/js/pertinent.min.js) with `defer` and its
 * settings as data- attributes, only on pages that hold a slot. Its endpoint is the site's own REST proxy,
 * so the browser never needs the sidecar's address.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Path of the shipped snippet.
 *
 * @return string
 */
function pertinent_snippet_path() {
	return PERTINENT_DIR . '/assets/js/pertinent.min.js';
}

/**
 * A slot is on this page: enqueue the snippet (in the footer) if it ships with this copy of the plugin.
 */
function pertinent_snippet_needed() {
	if ( wp_script_is( 'pertinent', 'enqueued' ) || ! file_exists( pertinent_snippet_path() ) || did_action( 'wp_footer' ) ) {
		return;
	}
	wp_enqueue_script( 'pertinent', plugins_url( 'assets/js/pertinent.min.js', PERTINENT_FILE ), array(), PERTINENT_VERSION, true );
}

/**
 * The snippet's data- attributes.
 *
 * @return array<string,string>
 */
function pertinent_snippet_attributes() {
	$consent = (string) pertinent_setting( 'consent_mode' );
	$attrs   = array(
		'data-endpoint' => untrailingslashit( rest_url( 'pertinent/v1' ) ),
		'data-site-key' => (string) pertinent_setting( 'public_key' ),
		// The proxy answers within its own sidecar timeout plus WordPress's REST bootstrap: the browser waits
		// that long (hiding nothing meanwhile beyond its anti-flicker budget) so the answer is not thrown away.
		'data-timeout'  => (string) ( (int) pertinent_setting( 'timeout_ms' ) + 500 ),
	);
	if ( 'require' === $consent ) {
		$attrs['data-require-consent'] = '1';
	} elseif ( 'dnt' === $consent ) {
		$attrs['data-respect-dnt'] = '1';
	}
	if ( is_singular() ) {
		$attrs['data-content-id'] = (string) get_queried_object_id();
	}
	return $attrs;
}

/**
 * `script_loader_tag`: adds `defer` and the data- settings to our tag (WordPress 6.1 has no loading
 * strategies yet).
 *
 * @param string $tag    The <script> tag.
 * @param string $handle Script handle.
 * @return string
 */
function pertinent_script_loader_tag( $tag, $handle ) {
	if ( 'pertinent' !== $handle ) {
		return $tag;
	}
	$attrs = ' defer';
	foreach ( pertinent_snippet_attributes() as $name => $value ) {
		$attrs .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	return preg_replace( '/<script(?=[^>]*\ssrc=)/', '<script' . $attrs, $tag, 1 );
}
