<?php
/**
 * Settings: one option (`pertinent_settings`) registered with a schema, a default and a sanitize callback,
 * sanitized again on read; wp-config.php constants override (and lock) single fields for deployments.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The option's defaults: a fresh install renders default content until a sidecar URL is set.
 *
 * @return array<string,mixed>
 */
function pertinent_settings_defaults() {
	return array(
		'sidecar_url'       => '',
		'api_key'           => '',
		'public_key'        => '',
		'timeout_ms'        => 150,
		'breaker_threshold' => 3,
		'breaker_cooldown'  => 30,
		'render_mode'       => 'auto',
		'consent_mode'      => 'none',
		'post_types'        => array( 'post', 'page' ),
	);
}

/**
 * The wp-config.php constants that fix a setting (shown locked on the settings page).
 *
 * @return array<string,string> setting key => constant name
 */
function pertinent_settings_constants() {
	return array(
		'sidecar_url' => 'PERTINENT_SIDECAR_URL',
		'api_key'     => 'PERTINENT_API_KEY',
		'public_key'  => 'PERTINENT_PUBLIC_KEY',
		'timeout_ms'  => 'PERTINENT_TIMEOUT_MS',
		'render_mode' => 'PERTINENT_RENDER_MODE',
	);
}

/**
 * Registers the option with the Settings API.
 */
function pertinent_register_settings() {
	register_setting(
		'pertinent',
		'pertinent_settings',
		array(
			'type'              => 'object',
			'default'           => pertinent_settings_defaults(),
			'sanitize_callback' => 'pertinent_sanitize_settings',
			'show_in_rest'      => false, // Holds the server API key: never exposed over REST.
		)
	);
}

/**
 * Clamps an integer into a range, falling back to the default when not numeric.
 *
 * @param mixed $value   Raw value.
 * @param int   $min     Lower bound.
 * @param int   $max     Upper bound.
 * @param int   $fallback Used when $value is not numeric.
 * @return int
 */
function pertinent_clamp_int( $value, $min, $max, $fallback ) {
	if ( ! is_numeric( $value ) ) {
		return $fallback;
	}
	return max( $min, min( $max, (int) $value ) );
}

/**
 * Sanitizes a submitted (or stored) settings array; an empty API key field keeps the stored key,
 * because the settings page never prints the key back.
 *
 * @param mixed $input Raw settings.
 * @return array<string,mixed>
 */
function pertinent_sanitize_settings( $input ) {
	$defaults = pertinent_settings_defaults();
	$input    = is_array( $input ) ? $input : array();
	$stored   = get_option( 'pertinent_settings', array() );
	$stored   = is_array( $stored ) ? $stored : array();
	$out      = array();

	$url                = isset( $input['sidecar_url'] ) ? trim( (string) $input['sidecar_url'] ) : '';
	$url                = esc_url_raw( untrailingslashit( $url ), array( 'http', 'https' ) );
	$out['sidecar_url'] = (string) $url;

	foreach ( array( 'api_key', 'public_key' ) as $key ) {
		$value = isset( $input[ $key ] ) ? trim( (string) $input[ $key ] ) : '';
		$value = preg_replace( '/[^A-Za-z0-9_\-\.~+\/=]/', '', $value );
		if ( 'api_key' === $key && '' === $value && ! empty( $input['api_key_keep'] ) ) {
			$value = isset( $stored['api_key'] ) ? (string) $stored['api_key'] : '';
		}
		$out[ $key ] = substr( (string) $value, 0, 256 );
	}

	$out['timeout_ms']        = pertinent_clamp_int( isset( $input['timeout_ms'] ) ? $input['timeout_ms'] : null, 20, 5000, $defaults['timeout_ms'] );
	$out['breaker_threshold'] = pertinent_clamp_int( isset( $input['breaker_threshold'] ) ? $input['breaker_threshold'] : null, 1, 100, $defaults['breaker_threshold'] );
	$out['breaker_cooldown']  = pertinent_clamp_int( isset( $input['breaker_cooldown'] ) ? $input['breaker_cooldown'] : null, 1, 3600, $defaults['breaker_cooldown'] );

	$mode               = isset( $input['render_mode'] ) ? (string) $input['render_mode'] : '';
	$out['render_mode'] = in_array( $mode, array( 'server', 'browser', 'auto' ), true ) ? $mode : $defaults['render_mode'];

	$consent             = isset( $input['consent_mode'] ) ? (string) $input['consent_mode'] : '';
	$out['consent_mode'] = in_array( $consent, array( 'none', 'require', 'dnt' ), true ) ? $consent : $defaults['consent_mode'];

	$types = isset( $input['post_types'] ) && is_array( $input['post_types'] ) ? $input['post_types'] : $defaults['post_types'];
	$types = array_values( array_unique( array_filter( array_map( 'sanitize_key', $types ) ) ) );
	// Variants are always synced: the sidecar must know them to choose between them.
	$out['post_types'] = array_values( array_diff( $types, array( 'pertinent_variant' ) ) );

	return $out;
}

/**
 * The effective settings: stored option sanitized again on read, then wp-config.php constants on top.
 * Memoized per request (flushed when the option changes) because a page with slots reads it often.
 *
 * @return array<string,mixed>
 */
function pertinent_settings() {
	if ( isset( $GLOBALS['pertinent_settings_memo'] ) ) {
		return $GLOBALS['pertinent_settings_memo'];
	}
	$stored = get_option( 'pertinent_settings', array() );
	$stored = is_array( $stored ) ? $stored : array();
	// Re-sanitize on read, so a hand-edited option cannot inject anything.
	$settings = pertinent_sanitize_settings( $stored + pertinent_settings_defaults() );
	foreach ( pertinent_settings_constants() as $key => $constant ) {
		if ( defined( $constant ) ) {
			$fixed            = pertinent_sanitize_settings( array( $key => constant( $constant ) ) + $settings );
			$settings[ $key ] = $fixed[ $key ];
		}
	}
	$GLOBALS['pertinent_settings_memo'] = $settings;
	return $settings;
}

/**
 * Forgets the per-request settings memo (hooked to option updates; tests call it too).
 */
function pertinent_settings_flush() {
	unset( $GLOBALS['pertinent_settings_memo'] );
}

/**
 * One setting by key.
 *
 * @param string $key Setting name.
 * @return mixed
 */
function pertinent_setting( $key ) {
	$settings = pertinent_settings();
	return isset( $settings[ $key ] ) ? $settings[ $key ] : null;
}

/**
 * Whether a setting is fixed by a wp-config.php constant.
 *
 * @param string $key Setting name.
 * @return bool
 */
function pertinent_setting_locked( $key ) {
	$constants = pertinent_settings_constants();
	return isset( $constants[ $key ] ) && defined( $constants[ $key ] );
}

/**
 * The render mode in effect for this request: auto means browser when a page cache is detected.
 *
 * @return string server|browser
 */
function pertinent_effective_render_mode() {
	$mode = (string) pertinent_setting( 'render_mode' );
	if ( 'auto' === $mode ) {
		$cached = defined( 'WP_CACHE' ) && WP_CACHE;
		/**
		 * Filters whether a full-page cache serves this site (auto render mode then renders in the browser).
		 *
		 * @param bool $cached Whether WP_CACHE is true.
		 */
		$mode = apply_filters( 'pertinent_page_cache_detected', $cached ) ? 'browser' : 'server';
	}
	return $mode;
}
