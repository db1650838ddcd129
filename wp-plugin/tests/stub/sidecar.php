<?php
/**
 * A stub sidecar for PHPUnit (router for `php -S`). It records each request as last-request.json and
 * answers from answer.json ({"status": 200, "body": {...}, "sleep_ms": 0}) when a test wrote one; without
 * it, /v1/decide answers every slot with its candidates (source "model") and other paths with {"ok": true}.
 *
 * @package Pertinent
 */

/**
 * A request header or server value as the plugin sent it ('' when absent).
 *
 * @param string $key Key of $_SERVER.
 * @return string
 */
function pertinent_stub_server( $key ) {
	return isset( $_SERVER[ $key ] ) ? (string) $_SERVER[ $key ] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- a test double outside WordPress (no wp_unslash): it records the raw request so a test sees exactly what the plugin sent.
}

$dir          = getenv( 'PERTINENT_STUB_DIR' );
$request_path = parse_url( pertinent_stub_server( 'REQUEST_URI' ), PHP_URL_PATH );
$body         = file_get_contents( 'php://input' );
file_put_contents(
	$dir . '/last-request.json',
	json_encode(
		array(
			'method'        => pertinent_stub_server( 'REQUEST_METHOD' ),
			'path'          => $request_path,
			'authorization' => pertinent_stub_server( 'HTTP_AUTHORIZATION' ),
			'body'          => json_decode( $body, true ),
		)
	)
);
$count_file = $dir . '/count';
file_put_contents( $count_file, (string) ( ( is_file( $count_file ) ? (int) file_get_contents( $count_file ) : 0 ) + 1 ) );

header( 'Content-Type: application/json' );
if ( is_file( $dir . '/answer.json' ) ) {
	$answer = json_decode( file_get_contents( $dir . '/answer.json' ), true );
	if ( ! empty( $answer['sleep_ms'] ) ) {
		usleep( 1000 * (int) $answer['sleep_ms'] );
	}
	http_response_code( isset( $answer['status'] ) ? (int) $answer['status'] : 200 );
	echo json_encode( isset( $answer['body'] ) ? $answer['body'] : new stdClass() );
	return true;
}
$request = json_decode( $body, true );
if ( '/v1/decide' === $request_path && isset( $request['slots'] ) ) {
	$slots = array();
	foreach ( $request['slots'] as $slot ) {
		$ids                    = isset( $slot['candidates'] ) ? array_slice( $slot['candidates'], 0, $slot['count'] ) : array();
		$slots[ $slot['name'] ] = array(
			'kind'        => $slot['kind'],
			'content_ids' => $ids,
			'source'      => $ids ? 'model' : 'default',
			'reason'      => 'stub',
		);
	}
	echo json_encode(
		array(
			'decision_id'   => 'd_stub',
			'model_version' => 'stub',
			'arm'           => 'model',
			'slots'         => $slots,
		)
	);
	return true;
}
echo json_encode( array( 'ok' => true ) );
return true;
