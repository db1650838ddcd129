<?php
/**
 * Who is looking and with what consent: the first-party visitor id (cookie shared with the JS snippet),
 * the consent decision, and the page context sent with a decide call. Reads request data only.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'PERTINENT_VISITOR_COOKIE', 'pertinent_vid' );
define( 'PERTINENT_CONSENT_COOKIE', 'pertinent_consent' );

/**
 * Whether this visitor may be identified and tracked, per the consent mode setting.
 *
 * @return bool
 */
function pertinent_has_consent() {
	$mode = (string) pertinent_setting( 'consent_mode' );
	if ( 'require' === $mode ) {
		$consent = isset( $_COOKIE[ PERTINENT_CONSENT_COOKIE ] ) && '1' === $_COOKIE[ PERTINENT_CONSENT_COOKIE ];
		if ( ! $consent && function_exists( 'wp_has_consent' ) ) {
			// The WP Consent API plugin, when a consent banner uses it.
			$consent = (bool) wp_has_consent( 'statistics' );
		}
	} elseif ( 'dnt' === $mode ) {
		$dnt     = isset( $_SERVER['HTTP_DNT'] ) && '1' === $_SERVER['HTTP_DNT'];
		$gpc     = isset( $_SERVER['HTTP_SEC_GPC'] ) && '1' === $_SERVER['HTTP_SEC_GPC'];
		$consent = ! $dnt && ! $gpc;
	} else {
		$consent = true;
	}
	/**
	 * Filters whether the current visitor has consented to personalization tracking.
	 *
	 * @param bool   $consent Decision from the consent mode.
	 * @param string $mode    none|require|dnt.
	 */
	return (bool) apply_filters( 'pertinent_has_consent', $consent, $mode );
}

/**
 * A syntactically valid visitor id, or ''.
 *
 * @param mixed $id Candidate id.
 * @return string
 */
function pertinent_clean_visitor_id( $id ) {
	$id = is_string( $id ) ? $id : '';
	return preg_match( '/^[A-Za-z0-9_\-]{8,64}$/', $id ) ? $id : '';
}

/**
 * The visitor id from the first-party cookie (only with consent).
 *
 * @return string
 */
function pertinent_visitor_id() {
	if ( ! pertinent_has_consent() || ! isset( $_COOKIE[ PERTINENT_VISITOR_COOKIE ] ) ) {
		return '';
	}
	return pertinent_clean_visitor_id( wp_unslash( $_COOKIE[ PERTINENT_VISITOR_COOKIE ] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated by a strict pattern.
}

/**
 * Gives a consenting visitor without an id a fresh random one (server render mode; before headers are sent).
 * A cookie is not a database write, and a page cache is absent in server mode by definition.
 */
function pertinent_ensure_visitor_cookie() {
	if ( '' !== pertinent_visitor_id() || ! pertinent_has_consent() || headers_sent() ) {
		return;
	}
	$id = str_replace( '-', '', wp_generate_uuid4() );
	setcookie( PERTINENT_VISITOR_COOKIE, $id, time() + YEAR_IN_SECONDS, COOKIEPATH ? COOKIEPATH : '/', COOKIE_DOMAIN, is_ssl(), false );
	$_COOKIE[ PERTINENT_VISITOR_COOKIE ] = $id;
}

/**
 * The URL of this request (REQUEST_URI already holds any subdirectory the site lives in).
 *
 * @return string
 */
function pertinent_current_url() {
	$uri  = isset( $_SERVER['REQUEST_URI'] ) ? wp_unslash( $_SERVER['REQUEST_URI'] ) : '/'; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- esc_url_raw below.
	$host = (string) wp_parse_url( home_url(), PHP_URL_HOST );
	$port = wp_parse_url( home_url(), PHP_URL_PORT );
	return esc_url_raw( ( is_ssl() ? 'https://' : 'http://' ) . $host . ( $port ? ':' . $port : '' ) . $uri );
}

/**
 * The catalog id of what this page shows: the post id the catalog sync uses, on a single post or page of a
 * synced type; '' elsewhere (home, archives, search, types the sidecar does not know).
 *
 * @return string
 */
function pertinent_current_content_id() {
	if ( ! is_singular() ) {
		return '';
	}
	$post = get_queried_object();
	$type = $post instanceof WP_Post ? $post->post_type : '';
	return in_array( $type, pertinent_synced_post_types(), true ) && PERTINENT_VARIANT_TYPE !== $type ? (string) $post->ID : '';
}

/**
 * The decide call's context for this page view.
 *
 * @return array<string,mixed>
 */
function pertinent_page_context() {
	$consent = pertinent_has_consent();
	$context = array(
		'url'     => pertinent_current_url(),
		'device'  => wp_is_mobile() ? 'mobile' : 'desktop',
		'locale'  => get_locale(),
		'consent' => $consent,
	);
	// The same content id the snippet's views carry, so decisions and events name the page alike.
	$content_id = pertinent_current_content_id();
	if ( '' !== $content_id ) {
		$context['content_id'] = $content_id;
	}
	if ( $consent && isset( $_SERVER['HTTP_REFERER'] ) ) {
		$context['referrer'] = esc_url_raw( wp_unslash( $_SERVER['HTTP_REFERER'] ) );
	}
	$utm = array();
	foreach ( array( 'source', 'medium', 'campaign', 'term', 'content' ) as $part ) {
		if ( isset( $_GET[ 'utm_' . $part ] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- public page context, read only.
			$utm[ $part ] = substr( sanitize_text_field( wp_unslash( $_GET[ 'utm_' . $part ] ) ), 0, 100 ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- as above.
		}
	}
	if ( $utm ) {
		$context['utm'] = $utm;
	}
	if ( is_user_logged_in() ) {
		$user                      = wp_get_current_user();
		$context['logged_in_role'] = $user->roles ? (string) reset( $user->roles ) : 'subscriber';
	}
	/**
	 * Filters the page context sent with a decide call.
	 *
	 * @param array $context Context.
	 */
	return apply_filters( 'pertinent_page_context', $context );
}
