<?php
/**
 * Loads the JS snippet (built from sdk/js) with `defer` and its settings as data- attributes. Its two parts:
 * assets/js/pertinent.min.js, the tracker, on every public front-end page (views, dwell, link clicks, with
 * the page's content id on single posts and pages), and assets/js/pertinent-slots.min.js (decide, render,
 * impressions) only on pages that hold a slot. Their endpoint is the site's own REST proxy, so the browser
 * never needs the sidecar's address.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The snippet's parts: script handle => file in the plugin.
 *
 * @return array<string,string>
 */
function pertinent_snippet_parts() {
	return array(
		'pertinent'       => 'assets/js/pertinent.min.js',
		'pertinent-slots' => 'assets/js/pertinent-slots.min.js',
	);
}

/**
 * Whether this request is a public front-end page the snippet may run on. Never the admin, feeds, embeds,
 * REST or robots.txt; never previews or the customizer, so editors checking their work leave no events
 * (and see the default content of browser-mode slots).
 *
 * @return bool
 */
function pertinent_snippet_allowed() {
	if ( is_admin() || is_feed() || is_embed() || is_robots() || is_trackback() || is_preview() || is_customize_preview() ) {
		return false;
	}
	return ! ( defined( 'REST_REQUEST' ) && REST_REQUEST ) && ! wp_doing_ajax();
}

/**
 * Enqueues one part of the snippet (in the footer) if it ships with this copy of the plugin.
 *
 * @param string $handle A key of pertinent_snippet_parts().
 */
function pertinent_snippet_enqueue( $handle ) {
	$file = pertinent_snippet_parts()[ $handle ];
	if ( wp_script_is( $handle, 'enqueued' ) || ! file_exists( PERTINENT_DIR . '/' . $file ) || did_action( 'wp_footer' ) ) {
		return;
	}
	wp_enqueue_script( $handle, plugins_url( $file, PERTINENT_FILE ), array(), PERTINENT_VERSION, true );
}

/**
 * `wp_enqueue_scripts`: the tracker on every public page, so ordinary posts, pages, the home page, archives
 * and search results record their views. Not on 404s: there is no content to learn from.
 */
function pertinent_enqueue_tracker() {
	/**
	 * Filters whether the tracker is loaded on a page without slots (pages with slots always load it).
	 *
	 * @param bool $track Whether to load it.
	 */
	if ( pertinent_snippet_allowed() && ! is_404() && apply_filters( 'pertinent_track_page', true ) ) {
		pertinent_snippet_enqueue( 'pertinent' );
	}
}

/**
 * A slot is on this page: both parts of the snippet. The slots part's own tag is printed (after the
 * tracker's) so it downloads in parallel instead of after the tracker has run.
 */
function pertinent_snippet_needed() {
	if ( pertinent_snippet_allowed() ) {
		pertinent_snippet_enqueue( 'pertinent' );
		pertinent_snippet_enqueue( 'pertinent-slots' );
	}
}

/**
 * A server-rendered page whose owner wants no JS there (`pertinent_snippet_in_server_mode`): neither part.
 */
function pertinent_snippet_unwanted() {
	foreach ( array_keys( pertinent_snippet_parts() ) as $handle ) {
		wp_dequeue_script( $handle );
	}
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
	$content_id = pertinent_current_content_id();
	if ( '' !== $content_id ) {
		$attrs['data-content-id'] = $content_id;
	}
	return $attrs;
}

/**
 * `script_loader_tag`: adds `defer` and the data- settings to the tracker's tag, and `defer` and the marker
 * the tracker looks for (so it does not fetch the part a second time) to the slots part's (WordPress 6.1
 * has no loading strategies yet).
 *
 * @param string $tag    The <script> tag.
 * @param string $handle Script handle.
 * @return string
 */
function pertinent_script_loader_tag( $tag, $handle ) {
	if ( 'pertinent' === $handle ) {
		$attrs = ' defer';
		foreach ( pertinent_snippet_attributes() as $name => $value ) {
			$attrs .= ' ' . $name . '="' . esc_attr( $value ) . '"';
		}
	} elseif ( 'pertinent-slots' === $handle ) {
		$attrs = ' defer data-pertinent-slots';
	} else {
		return $tag;
	}
	return preg_replace( '/<script(?=[^>]*\ssrc=)/', '<script' . $attrs, $tag, 1 );
}
