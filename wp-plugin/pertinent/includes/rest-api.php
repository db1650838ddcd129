<?php
/**
 * The public REST proxy for browser rendering: `/wp-json/pertinent/v1/decide` and `/events`. Public and
 * without a nonce on purpose (a cached page carries a stale nonce), so every request is rate limited per IP
 * and its payload validated against a schema before it is forwarded with the server key. The browser never
 * needs the sidecar's address; the proxy also adds per-slot `html` rendered from the site's own content.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `rest_api_init`: registers the routes.
 */
function pertinent_register_rest_routes() {
	register_rest_route(
		'pertinent/v1',
		'/decide',
		array(
			'methods'             => 'POST',
			'callback'            => 'pertinent_rest_decide',
			'permission_callback' => '__return_true', // Public: cached pages call it; limited and validated below.
		)
	);
	register_rest_route(
		'pertinent/v1',
		'/events',
		array(
			'methods'             => 'POST',
			'callback'            => 'pertinent_rest_events',
			'permission_callback' => '__return_true', // As above.
		)
	);
}

/**
 * Schema of the decide payload accepted from browsers.
 *
 * @return array<string,mixed>
 */
function pertinent_rest_decide_schema() {
	$id = array(
		'type'    => 'string',
		'pattern' => '^[A-Za-z0-9_\-]{8,64}$',
	);
	return array(
		'type'                 => 'object',
		'additionalProperties' => false,
		'required'             => array( 'slots' ),
		'properties'           => array(
			'visitor_id' => $id,
			'session_id' => $id,
			'context'    => array(
				'type'                 => 'object',
				'additionalProperties' => false,
				'properties'           => array(
					'url'         => array(
						'type'      => 'string',
						'maxLength' => 2000,
					),
					'content_id'  => array(
						'type'      => array( 'string', 'integer' ),
						'maxLength' => 64,
					),
					'referrer'    => array(
						'type'      => 'string',
						'maxLength' => 2000,
					),
					'utm'         => array(
						'type'                 => 'object',
						'additionalProperties' => array(
							'type'      => 'string',
							'maxLength' => 200,
						),
					),
					'device'      => array(
						'type'      => 'string',
						'maxLength' => 20,
					),
					'locale'      => array(
						'type'      => 'string',
						'maxLength' => 20,
					),
					'country'     => array(
						'type'      => 'string',
						'maxLength' => 8,
					),
					'consent'     => array( 'type' => 'boolean' ),
					'visit_count' => array(
						'type'    => 'integer',
						'minimum' => 0,
					),
					'segment'     => array(
						'type'      => 'string',
						'maxLength' => 64,
					),
				),
			),
			'slots'      => array(
				'type'     => 'array',
				'minItems' => 1,
				'maxItems' => 10,
				'items'    => array(
					'type'                 => 'object',
					'additionalProperties' => false,
					'required'             => array( 'name', 'kind' ),
					'properties'           => array(
						'name'       => array(
							'type'    => 'string',
							'pattern' => '^[a-z0-9_\-]{1,64}$',
						),
						'kind'       => array(
							'type' => 'string',
							'enum' => array( 'banner', 'cta', 'recommendations', 'read_next' ),
						),
						'count'      => array(
							'type'    => 'integer',
							'minimum' => 1,
							'maximum' => 12,
						),
						'layout'     => array(
							'type' => 'string',
							'enum' => array( 'list', 'grid' ),
						),
						'candidates' => array(
							'type'     => 'array',
							'maxItems' => 50,
							'items'    => array(
								'type'    => array( 'string', 'integer' ),
								'pattern' => '^[0-9]+$',
							),
						),
					),
				),
			),
		),
	);
}

/**
 * Schema of the events payload accepted from browsers.
 *
 * @return array<string,mixed>
 */
function pertinent_rest_events_schema() {
	$short = array(
		'type'      => 'string',
		'maxLength' => 64,
	);
	return array(
		'type'                 => 'object',
		'additionalProperties' => false,
		'required'             => array( 'events' ),
		'properties'           => array(
			'events' => array(
				'type'     => 'array',
				'minItems' => 1,
				'maxItems' => 50,
				'items'    => array(
					'type'                 => 'object',
					'additionalProperties' => false,
					'required'             => array( 'type' ),
					'properties'           => array(
						'type'        => array(
							'type' => 'string',
							'enum' => array( 'impression', 'view', 'click', 'dwell', 'conversion' ),
						),
						'visitor_id'  => $short,
						'session_id'  => $short,
						'content_id'  => array(
							'type'      => array( 'string', 'integer' ),
							'maxLength' => 64,
						),
						'decision_id' => $short,
						'slot'        => $short,
						'arm'         => $short,
						'timestamp'   => array(
							'type'      => array( 'string', 'number' ),
							'maxLength' => 40,
						),
						'value'       => array( 'type' => 'number' ),
						'context'     => array(
							'type'                 => 'object',
							'additionalProperties' => false,
							'properties'           => array(
								'device'   => array(
									'type'      => 'string',
									'maxLength' => 20,
								),
								'referrer' => array(
									'type'      => 'string',
									'maxLength' => 2000,
								),
								'country'  => array(
									'type'      => 'string',
									'maxLength' => 8,
								),
								'locale'   => array(
									'type'      => 'string',
									'maxLength' => 20,
								),
								'url'      => array(
									'type'      => 'string',
									'maxLength' => 2000,
								),
							),
						),
					),
				),
			),
		),
	);
}

/**
 * The JSON payload, from a JSON body or a text/plain body holding JSON (what browsers send to avoid a
 * CORS preflight), validated and sanitized against $schema.
 *
 * @param WP_REST_Request $request Request.
 * @param array           $schema  Schema.
 * @return array|WP_Error
 */
function pertinent_rest_payload( $request, $schema ) {
	$body = $request->get_json_params();
	if ( ! is_array( $body ) ) {
		$raw = (string) $request->get_body();
		if ( strlen( $raw ) > 65536 ) {
			return new WP_Error( 'pertinent_too_large', __( 'Payload too large.', 'pertinent' ), array( 'status' => 413 ) );
		}
		$body = json_decode( $raw, true );
	}
	if ( ! is_array( $body ) ) {
		return new WP_Error( 'pertinent_bad_json', __( 'The body must be a JSON object.', 'pertinent' ), array( 'status' => 400 ) );
	}
	$valid = rest_validate_value_from_schema( $body, $schema, 'payload' );
	if ( is_wp_error( $valid ) ) {
		$valid->add_data( array( 'status' => 400 ) );
		return $valid;
	}
	return rest_sanitize_value_from_schema( $body, $schema, 'payload' );
}

/**
 * A 429 when the client is over its limit.
 *
 * @return WP_Error
 */
function pertinent_rest_too_many() {
	return new WP_Error( 'pertinent_rate_limited', __( 'Too many requests; try again in a minute.', 'pertinent' ), array( 'status' => 429 ) );
}

/**
 * POST /pertinent/v1/decide: forwards to the sidecar and adds per-slot `html`. When the sidecar cannot
 * answer, every slot comes back with source "default" (HTTP 200): the page keeps its default content.
 *
 * @param WP_REST_Request $request Request.
 * @return WP_REST_Response|WP_Error
 */
function pertinent_rest_decide( $request ) {
	if ( ! pertinent_rate_limit_allow( 'decide', 60 ) ) {
		return pertinent_rest_too_many();
	}
	$payload = pertinent_rest_payload( $request, pertinent_rest_decide_schema() );
	if ( is_wp_error( $payload ) ) {
		return $payload;
	}
	$slots = array();
	foreach ( $payload['slots'] as $raw ) {
		$slot                   = pertinent_normalize_slot( $raw );
		$slots[ $slot['name'] ] = $slot;
	}
	$context            = isset( $payload['context'] ) ? $payload['context'] : array();
	$consent            = pertinent_has_consent() && ( ! isset( $context['consent'] ) || $context['consent'] );
	$context['consent'] = $consent;
	$forward            = array(
		'context' => (object) $context,
		'slots'   => array_values( array_map( 'pertinent_slot_request', $slots ) ),
	);
	if ( $consent ) {
		foreach ( array( 'visitor_id', 'session_id' ) as $key ) {
			if ( isset( $payload[ $key ] ) ) {
				$forward[ $key ] = $payload[ $key ];
			}
		}
	}
	$result = pertinent_sidecar_request( 'POST', '/v1/decide', $forward );
	if ( is_wp_error( $result ) || ! isset( $result['body']['slots'] ) || ! is_array( $result['body']['slots'] ) ) {
		$answer = array(
			'decision_id' => null,
			'fallback'    => true,
			'reason'      => is_wp_error( $result ) ? $result->get_error_code() : 'pertinent_bad_answer',
			'slots'       => array(),
		);
		foreach ( $slots as $name => $slot ) {
			$answer['slots'][ $name ] = array(
				'kind'        => $slot['kind'],
				'content_ids' => array(),
				'source'      => 'default',
				'html'        => '',
			);
		}
		return new WP_REST_Response( $answer, 200 );
	}
	$answer = $result['body'];
	foreach ( $answer['slots'] as $name => $slot_answer ) {
		if ( ! isset( $slots[ $name ] ) || ! is_array( $slot_answer ) ) {
			unset( $answer['slots'][ $name ] );
			continue;
		}
		$answer['slots'][ $name ]['html'] = pertinent_slot_inner_html( $slots[ $name ], $slot_answer );
		unset( $answer['slots'][ $name ]['items'] ); // Titles and URLs come from the site's own HTML.
	}
	return new WP_REST_Response( $answer, 200 );
}

/**
 * The 202 for a batch that was not stored (no consent, sidecar unreachable): how many were dropped and why.
 *
 * @param int    $count  Events dropped.
 * @param string $reason Why.
 * @return WP_REST_Response
 */
function pertinent_rest_events_dropped( $count, $reason ) {
	return new WP_REST_Response(
		array(
			'accepted' => 0,
			'dropped'  => $count,
			'reason'   => $reason,
		),
		202
	);
}

/**
 * POST /pertinent/v1/events: forwards a batch of behaviour events (nothing is sent without consent).
 *
 * @param WP_REST_Request $request Request.
 * @return WP_REST_Response|WP_Error
 */
function pertinent_rest_events( $request ) {
	if ( ! pertinent_rate_limit_allow( 'events', 120 ) ) {
		return pertinent_rest_too_many();
	}
	$payload = pertinent_rest_payload( $request, pertinent_rest_events_schema() );
	if ( is_wp_error( $payload ) ) {
		return $payload;
	}
	if ( ! pertinent_has_consent() ) {
		return pertinent_rest_events_dropped( count( $payload['events'] ), 'no_consent' );
	}
	$events = array();
	foreach ( $payload['events'] as $event ) {
		if ( isset( $event['context'] ) ) {
			$event['context'] = (object) $event['context'];
		}
		$events[] = $event;
	}
	$result = pertinent_sidecar_request( 'POST', '/v1/events', array( 'events' => $events ) );
	if ( is_wp_error( $result ) ) {
		return pertinent_rest_events_dropped( count( $events ), $result->get_error_code() );
	}
	return new WP_REST_Response( $result['body'], 202 );
}
