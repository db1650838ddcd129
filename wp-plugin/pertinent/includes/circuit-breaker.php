<?php
/**
 * Circuit breaker around sidecar calls made during a page view: after `breaker_threshold` consecutive
 * failures it opens for `breaker_cooldown` seconds (no call at all, default content at once), then lets
 * one call through (half-open). State lives in the volatile store, never in the database, and is
 * written only when it changes (a healthy sidecar costs no write at all).
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Volatile-store key of the breaker (per sidecar URL, so changing the URL starts fresh).
 *
 * @return string
 */
function pertinent_breaker_key() {
	return 'breaker_' . md5( (string) pertinent_setting( 'sidecar_url' ) );
}

/**
 * Current breaker state.
 *
 * @return array{failures:int,open_until:int}
 */
function pertinent_breaker_state() {
	$state = pertinent_volatile_get( pertinent_breaker_key(), array() );
	$state = is_array( $state ) ? $state : array();
	return array(
		'failures'   => isset( $state['failures'] ) ? (int) $state['failures'] : 0,
		'open_until' => isset( $state['open_until'] ) ? (int) $state['open_until'] : 0,
	);
}

/**
 * Whether calls are currently refused (open and still cooling down).
 *
 * @return bool
 */
function pertinent_breaker_is_open() {
	$state = pertinent_breaker_state();
	return $state['open_until'] > time();
}

/**
 * The error a page-view call gets while the circuit is open (the caller renders its default).
 *
 * @return WP_Error
 */
function pertinent_breaker_open_error() {
	return new WP_Error( 'pertinent_circuit_open', __( 'The sidecar failed repeatedly; calls are paused for a cool-down.', 'pertinent' ) );
}

/**
 * Whether this call may go out. Closed: yes. Open: no. Half-open (cool-down over, failures at the
 * threshold): the first caller claims a short probe window so that concurrent page views keep serving the
 * default instead of all piling onto a sidecar that may still hang.
 *
 * @return bool
 */
function pertinent_breaker_allow() {
	$state = pertinent_breaker_state();
	$now   = time();
	if ( $state['open_until'] > $now ) {
		return false;
	}
	if ( $state['failures'] >= (int) pertinent_setting( 'breaker_threshold' ) ) {
		$probe = max( 1, (int) ceil( (int) pertinent_setting( 'timeout_ms' ) / 1000 ) );
		pertinent_volatile_set(
			pertinent_breaker_key(),
			array(
				'failures'   => $state['failures'],
				'open_until' => $now + $probe,
			),
			(int) pertinent_setting( 'breaker_cooldown' ) + 3600
		);
	}
	return true;
}

/**
 * Records a successful call; writes only if there was something to reset.
 */
function pertinent_breaker_success() {
	$state = pertinent_breaker_state();
	if ( 0 !== $state['failures'] || 0 !== $state['open_until'] ) {
		pertinent_volatile_delete( pertinent_breaker_key() );
	}
}

/**
 * Records a failed call; opens the circuit once the threshold is reached (a failure while half-open
 * re-opens it at once, because the failure count is kept at the threshold).
 */
function pertinent_breaker_failure() {
	$state     = pertinent_breaker_state();
	$threshold = (int) pertinent_setting( 'breaker_threshold' );
	$cooldown  = (int) pertinent_setting( 'breaker_cooldown' );
	$failures  = min( $state['failures'] + 1, $threshold );
	$open      = $failures >= $threshold ? time() + $cooldown : 0;
	pertinent_volatile_set(
		pertinent_breaker_key(),
		array(
			'failures'   => $failures,
			'open_until' => $open,
		),
		$cooldown + 3600
	);
}

/**
 * Closes the circuit by hand (settings saved, test connection succeeded, tests).
 */
function pertinent_breaker_reset() {
	pertinent_volatile_delete( pertinent_breaker_key() );
}
