<?php
/**
 * A stub sidecar for PHPUnit (router for `php -S`). It records each request as last-request.json and
 * answers from answer.json ({"status": 200, "body": {...}, "sleep_ms": 0}) when a test wrote one; without
 * it, /v1/decide answers every slot with its candidates (source "model") and other paths with {"ok": true}.
 */
$dir  = getenv( 'PERTINENT_STUB_DIR' );
$body = file_get_contents( 'php://input' );
file_put_contents(
	$dir . '/last-request.json',
	json_encode(
		array(
			'method'        => $_SERVER['REQUEST_METHOD'],
			'path'          => parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ),
			'authorization' => isset( $_SERVER['HTTP_AUTHORIZATION'] ) ? $_SERVER['HTTP_AUTHORIZATION'] : '',
			'body'          => json_decode( $body, true ),
		)
	)
);
$count_file = $dir . '/count';
file_put_contents( $count_file, (string) ( (int) @file_get_contents( $count_file ) + 1 ) );

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
if ( '/v1/decide' === parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) && isset( $request['slots'] ) ) {
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
