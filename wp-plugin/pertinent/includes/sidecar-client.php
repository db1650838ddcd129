<?php
/**
 * The one path every call to the sidecar takes: cache -> circuit breaker -> remote -> is_wp_error ->
 * fallback (the caller gets a WP_Error and renders its default). curl's millisecond timeouts are set
 * through `http_api_curl`, because WordPress alone never waits less than one second with curl.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Calls the sidecar.
 *
 * Options: `timeout_ms` (default: the setting), `connect_timeout_ms` (default: the same, capped at 1000),
 * `breaker` (bool, default true: page-view calls go through the circuit breaker), `cache` ('' | 'object' |
 * 'transient': transients only for admin-side reads, since without an object cache they write the database),
 * `cache_key`, `cache_ttl` (seconds), `auth` ('server' | 'none').
 *
 * @param string     $method  HTTP method.
 * @param string     $path    Path under the sidecar URL, e.g. '/v1/decide'.
 * @param mixed|null $body    JSON-encodable body.
 * @param array      $options See above.
 * @return array{status:int,body:mixed,raw:string}|WP_Error
 */
function pertinent_sidecar_request( $method, $path, $body = null, $options = array() ) {
	$options = wp_parse_args(
		$options,
		array(
			'timeout_ms'         => (int) pertinent_setting( 'timeout_ms' ),
			'connect_timeout_ms' => 0,
			'breaker'            => true,
			'cache'              => '',
			'cache_key'          => '',
			'cache_ttl'          => 60,
			'auth'               => 'server',
		)
	);
	$base    = (string) pertinent_setting( 'sidecar_url' );
	if ( '' === $base ) {
		return new WP_Error( 'pertinent_not_configured', __( 'No sidecar URL is set.', 'pertinent' ) );
	}

	$cache_key = '' !== $options['cache'] ? 'pertinent_' . md5( $options['cache_key'] . '|' . $method . '|' . $path . '|' . $base ) : '';
	$cached    = pertinent_client_cache_get( $options['cache'], $cache_key );
	if ( null !== $cached ) {
		return $cached;
	}

	if ( $options['breaker'] && ! pertinent_breaker_allow() ) {
		return pertinent_breaker_open_error();
	}

	$response = wp_remote_request( $base . $path, pertinent_client_args( $method, $body, $options ) );

	if ( is_wp_error( $response ) ) {
		if ( $options['breaker'] ) {
			pertinent_breaker_failure();
		}
		return new WP_Error( 'pertinent_unreachable', $response->get_error_message(), array( 'cause' => $response->get_error_code() ) );
	}

	$status  = (int) wp_remote_retrieve_response_code( $response );
	$raw     = (string) wp_remote_retrieve_body( $response );
	$decoded = json_decode( $raw, true );

	if ( $status >= 500 || 0 === $status ) {
		if ( $options['breaker'] ) {
			pertinent_breaker_failure();
		}
		return new WP_Error(
			'pertinent_server_error',
			sprintf( 'sidecar answered HTTP %d', $status ),
			array(
				'status' => $status,
				'body'   => $decoded,
			)
		);
	}
	if ( $options['breaker'] ) {
		pertinent_breaker_success();
	}
	if ( $status >= 400 ) {
		$message = isset( $decoded['error']['message'] ) ? (string) $decoded['error']['message'] : sprintf( 'HTTP %d', $status );
		$code    = isset( $decoded['error']['code'] ) ? (string) $decoded['error']['code'] : 'http_' . $status;
		return new WP_Error(
			'pertinent_rejected',
			$message,
			array(
				'status'       => $status,
				'sidecar_code' => $code,
				'body'         => $decoded,
			)
		);
	}

	$result = array(
		'status' => $status,
		'body'   => $decoded,
		'raw'    => $raw,
	);
	pertinent_client_cache_set( $options['cache'], $cache_key, $result, (int) $options['cache_ttl'] );
	return $result;
}

/**
 * Whether a sidecar call failed only with a 404: for a DELETE, the thing is already gone, which is fine.
 *
 * @param array|WP_Error $result What pertinent_sidecar_request() returned.
 * @return bool
 */
function pertinent_sidecar_not_found( $result ) {
	$data = is_wp_error( $result ) ? $result->get_error_data() : null;
	return is_array( $data ) && isset( $data['status'] ) && 404 === $data['status'];
}

/**
 * Arguments for wp_remote_request; `pertinent_timeout_ms` is read back by the http_api_curl hook.
 *
 * @param string     $method  HTTP method.
 * @param mixed|null $body    Body.
 * @param array      $options Options from pertinent_sidecar_request().
 * @return array<string,mixed>
 */
function pertinent_client_args( $method, $body, $options ) {
	$timeout_ms = max( 1, (int) $options['timeout_ms'] );
	$connect_ms = (int) $options['connect_timeout_ms'] > 0 ? (int) $options['connect_timeout_ms'] : min( $timeout_ms, 1000 );
	$headers    = array(
		'Accept'     => 'application/json',
		'User-Agent' => 'Pertinent-WordPress/' . PERTINENT_VERSION,
	);
	$key        = (string) pertinent_setting( 'api_key' );
	if ( 'server' === $options['auth'] && '' !== $key ) {
		$headers['Authorization'] = 'Bearer ' . $key;
	}
	$args = array(
		'method'                       => strtoupper( $method ),
		// Seconds for non-curl transports; curl gets the exact milliseconds from the hook below.
		'timeout'                      => $timeout_ms / 1000,
		'redirection'                  => 0,
		'headers'                      => $headers,
		'pertinent_timeout_ms'         => $timeout_ms,
		'pertinent_connect_timeout_ms' => $connect_ms,
	);
	if ( null !== $body ) {
		$args['headers']['Content-Type'] = 'application/json';
		$args['body']                    = wp_json_encode( $body );
		$args['data_format']             = 'body';
	}
	return $args;
}

/**
 * `http_api_curl`: enforce the millisecond timeouts on our own requests (WordPress rounds curl's timeout up
 * to a full second and leaves the connect timeout at 10 s). NOSIGNAL keeps sub-second timeouts working
 * with the system resolver.
 *
 * @param resource|\CurlHandle $handle      The curl handle (by reference).
 * @param array                $parsed_args Request arguments (ours carry `pertinent_timeout_ms`).
 */
function pertinent_http_api_curl( $handle, $parsed_args ) {
	if ( empty( $parsed_args['pertinent_timeout_ms'] ) ) {
		return;
	}
	curl_setopt( $handle, CURLOPT_NOSIGNAL, 1 ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- the only way to set ms timeouts.
	curl_setopt( $handle, CURLOPT_TIMEOUT_MS, (int) $parsed_args['pertinent_timeout_ms'] ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- as above.
	curl_setopt( $handle, CURLOPT_CONNECTTIMEOUT_MS, (int) $parsed_args['pertinent_connect_timeout_ms'] ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- as above.
}

/**
 * Cached answer, if any.
 *
 * @param string $store '' | 'object' | 'transient'.
 * @param string $key   Cache key.
 * @return array|null
 */
function pertinent_client_cache_get( $store, $key ) {
	if ( 'transient' === $store ) {
		$value = get_transient( $key );
	} elseif ( 'object' === $store ) {
		$value = wp_cache_get( $key, 'pertinent' );
	} else {
		return null;
	}
	return is_array( $value ) ? $value : null;
}

/**
 * Stores an answer.
 *
 * @param string $store '' | 'object' | 'transient'.
 * @param string $key   Cache key.
 * @param array  $value Answer.
 * @param int    $ttl   Seconds.
 */
function pertinent_client_cache_set( $store, $key, $value, $ttl ) {
	if ( 'transient' === $store ) {
		set_transient( $key, $value, $ttl );
	} elseif ( 'object' === $store ) {
		wp_cache_set( $key, $value, 'pertinent', $ttl );
	}
}

/**
 * Health summary for the admin: /healthz, /readyz (status, reasons, model version). Admin-only, so it may
 * use a short transient; it does not trip the page-view circuit breaker.
 *
 * @param bool $fresh Skip the cache (the Test connection button).
 * @return array{ok:bool,status:string,model_version:string,reasons:array,message:string}
 */
function pertinent_sidecar_health( $fresh = false ) {
	$options = array(
		'breaker'    => false,
		'timeout_ms' => 2000,
		'cache'      => $fresh ? '' : 'transient',
		'cache_ttl'  => 60,
	);
	$ready   = pertinent_sidecar_request( 'GET', '/readyz', null, $options );
	if ( is_wp_error( $ready ) ) {
		$data = $ready->get_error_data();
		// /readyz answers 503 when degraded; its body still says why.
		if ( is_array( $data ) && isset( $data['body']['status'] ) ) {
			$ready = array( 'body' => $data['body'] );
		} else {
			return array(
				'ok'            => false,
				'status'        => 'unreachable',
				'model_version' => '',
				'reasons'       => array(),
				'message'       => $ready->get_error_message(),
			);
		}
	}
	$body = is_array( $ready['body'] ) ? $ready['body'] : array();
	return array(
		'ok'            => isset( $body['status'] ) && 'ok' === $body['status'],
		'status'        => isset( $body['status'] ) ? (string) $body['status'] : 'unknown',
		'model_version' => isset( $body['model_version'] ) ? (string) $body['model_version'] : '',
		'reasons'       => isset( $body['reasons'] ) && is_array( $body['reasons'] ) ? array_map( 'strval', $body['reasons'] ) : array(),
		'message'       => '',
	);
}

/**
 * What "Test connection" reports: the sidecar's health (no key needed), then an authenticated call
 * (GET /v1/models with the server key), then whether a model set is live. `problem` names the part to
 * fix: url, key, model, or '' when all three are fine. /readyz alone said "ok" with a wrong key while
 * every slot fell back with pertinent_rejected.
 *
 * @return array{ok:bool,problem:string,status:string,model_version:string,reasons:string[],message:string}
 */
function pertinent_connection_check() {
	$url    = (string) pertinent_setting( 'sidecar_url' );
	$health = pertinent_sidecar_health( true );
	$check  = $health + array( 'problem' => '' );
	if ( 'unreachable' === $health['status'] ) {
		$check['problem'] = 'url';
		/* translators: 1: the sidecar URL setting, 2: the error. */
		$check['message'] = sprintf( __( 'Cannot reach the sidecar at %1$s (%2$s): check the Sidecar URL setting and that the sidecar is running.', 'pertinent' ), $url, $health['message'] );
		return $check;
	}
	$models = pertinent_sidecar_request(
		'GET',
		'/v1/models',
		null,
		array(
			'breaker'    => false,
			'timeout_ms' => 2000,
		)
	);
	if ( is_wp_error( $models ) ) {
		$data        = $models->get_error_data();
		$status      = is_array( $data ) && isset( $data['status'] ) ? (int) $data['status'] : 0;
		$check['ok'] = false;
		if ( 401 === $status || 403 === $status ) {
			$check['problem'] = 'key';
			/* translators: 1: the sidecar URL, 2: HTTP status. */
			$check['message'] = sprintf( __( 'The sidecar at %1$s refused the API key (HTTP %2$d): enter its server key (PERTINENT_API_KEY), not the public key.', 'pertinent' ), $url, $status );
		} else {
			$check['problem'] = 'url';
			/* translators: 1: the sidecar URL, 2: the error. */
			$check['message'] = sprintf( __( 'The sidecar at %1$s answered its health check but not an API call (%2$s): is the URL the sidecar itself, not a proxy in front of it?', 'pertinent' ), $url, $models->get_error_message() );
		}
		return $check;
	}
	if ( '' === $health['model_version'] ) {
		$check['ok']      = false;
		$check['problem'] = 'model';
		$check['message'] = __( 'Connected and the key is accepted, but no model set is live: slots show popular and latest content until one is trained (pertinent train, or the pertinent worker).', 'pertinent' );
		return $check;
	}
	/* translators: %s: the sidecar URL. */
	$check['message'] = $health['ok'] ? sprintf( __( 'Connected to %s: the key is accepted and a model set is live.', 'pertinent' ), $url ) : '';
	return $check;
}
