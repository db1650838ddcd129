<?php
/**
 * Per-IP rate limiting for the public REST proxy: a fixed one-minute window counter per client address in
 * the volatile store (object cache, APCu or a small file), never a transient, so a flood of requests cannot
 * turn into a flood of database writes.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The client address used for limiting (REMOTE_ADDR; a proxy-aware site can filter it).
 *
 * @return string
 */
function pertinent_client_ip() {
	$ip = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
	/**
	 * Filters the client address used for rate limiting (e.g. to trust X-Forwarded-For behind a known proxy).
	 *
	 * @param string $ip REMOTE_ADDR.
	 */
	return (string) apply_filters( 'pertinent_client_ip', $ip );
}

/**
 * Counts one request in $bucket for the client and says whether it is within $limit per minute.
 *
 * @param string $bucket Route name.
 * @param int    $limit  Requests per minute.
 * @return bool True when allowed.
 */
function pertinent_rate_limit_allow( $bucket, $limit ) {
	/**
	 * Filters the per-IP, per-minute request limit of a proxy route (0 disables the limit).
	 *
	 * @param int    $limit  Default limit.
	 * @param string $bucket decide|events.
	 */
	$limit = (int) apply_filters( 'pertinent_rate_limit', $limit, $bucket );
	if ( $limit <= 0 ) {
		return true;
	}
	$window = (int) floor( time() / 60 );
	$key    = 'rl_' . $bucket . '_' . md5( pertinent_client_ip() ) . '_' . $window;
	$count  = (int) pertinent_volatile_get( $key, 0 );
	if ( $count >= $limit ) {
		return false;
	}
	pertinent_volatile_set( $key, $count + 1, 120 );
	return true;
}
