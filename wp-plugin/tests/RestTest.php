<?php
/**
 * The public REST proxy through rest_do_request: validation, per-slot html, fallback, rate limit, consent.
 *
 * @package Pertinent
 */

/**
 * @covers ::pertinent_rest_decide
 */
class RestTest extends PertinentTestCase {

	/**
	 * POSTs a JSON (or text/plain) body to a proxy route.
	 *
	 * @param string $route        decide|events.
	 * @param mixed  $body         Payload.
	 * @param string $content_type Content type.
	 * @return WP_REST_Response
	 */
	private function post( $route, $body, $content_type = 'application/json' ) {
		$request = new WP_REST_Request( 'POST', '/pertinent/v1/' . $route );
		$request->set_header( 'Content-Type', $content_type );
		$request->set_body( is_string( $body ) ? $body : wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	public function test_routes_are_registered_and_public() {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( '/pertinent/v1/decide', $routes );
		$this->assertArrayHasKey( '/pertinent/v1/events', $routes );
		wp_set_current_user( 0 );
		$this->assertSame(
			200,
			$this->post(
				'decide',
				array(
					'slots' => array(
						array(
							'name' => 'hero',
							'kind' => 'banner',
						),
					),
				)
			)->get_status()
		);
	}

	public function test_decide_adds_html_rendered_from_the_sites_own_variant() {
		$id       = $this->make_post(
			array(
				'post_type'    => 'pertinent_variant',
				'post_title'   => 'V',
				'post_content' => '<p class="v">Variant</p><script>alert(1)</script>',
				'meta_input'   => array( 'pertinent_variant_kind' => 'banner' ),
			)
		);
		$response = $this->post( 'decide', '{"visitor_id":"abcdefgh1234","slots":[{"name":"hero","kind":"banner","candidates":["' . $id . '"]}]}', 'text/plain' );
		$this->assertSame( 200, $response->get_status() );
		$hero = $response->get_data()['slots']['hero'];
		$this->assertStringContainsString( 'class="v"', $hero['html'] );
		$this->assertStringNotContainsString( '<script', $hero['html'] );
		$this->assertSame( 'abcdefgh1234', $this->stub_last_request()['body']['visitor_id'] );
	}

	/**
	 * @return array<string,array>
	 */
	public function provide_bad_payloads() {
		return array(
			'no slots'           => array( array( 'slots' => array() ) ),
			'unknown kind'       => array(
				array(
					'slots' => array(
						array(
							'name' => 'a',
							'kind' => 'popup',
						),
					),
				),
			),
			'markup in a name'   => array(
				array(
					'slots' => array(
						array(
							'name' => '<b>',
							'kind' => 'cta',
						),
					),
				),
			),
			'unknown field'      => array(
				array(
					'slots' => array(
						array(
							'name' => 'a',
							'kind' => 'cta',
						),
					),
					'admin' => true,
				),
			),
			'too many slots'     => array(
				array(
					'slots' => array_fill(
						0,
						11,
						array(
							'name' => 'a',
							'kind' => 'cta',
						)
					),
				),
			),
			'bad visitor id'     => array(
				array(
					'visitor_id' => 'x y',
					'slots'      => array(
						array(
							'name' => 'a',
							'kind' => 'cta',
						),
					),
				),
			),
			'candidates not ids' => array(
				array(
					'slots' => array(
						array(
							'name'       => 'a',
							'kind'       => 'cta',
							'candidates' => array( 'x' ),
						),
					),
				),
			),
			'not json at all'    => array( 'hello' ),
		);
	}

	/**
	 * @dataProvider provide_bad_payloads
	 *
	 * @param mixed $payload Payload.
	 */
	public function test_decide_rejects_bad_payloads_without_calling_the_sidecar( $payload ) {
		$response = $this->post( 'decide', $payload, 'text/plain' );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 0, $this->stub_requests() );
	}

	public function test_decide_falls_back_to_defaults_when_the_sidecar_fails() {
		$this->stub_answer( 503, array() );
		$response = $this->post(
			'decide',
			array(
				'slots' => array(
					array(
						'name' => 'hero',
						'kind' => 'banner',
					),
				),
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertTrue( $data['fallback'] );
		$this->assertSame( 'default', $data['slots']['hero']['source'] );
	}

	public function test_requests_over_the_limit_get_429() {
		add_filter(
			'pertinent_rate_limit',
			static function () {
				return 2;
			}
		);
		$_SERVER['REMOTE_ADDR'] = '192.0.2.' . wp_rand( 1, 254 );
		$body                   = array(
			'slots' => array(
				array(
					'name' => 'hero',
					'kind' => 'banner',
				),
			),
		);
		$this->assertSame( 200, $this->post( 'decide', $body )->get_status() );
		$this->assertSame( 200, $this->post( 'decide', $body )->get_status() );
		$this->assertSame( 429, $this->post( 'decide', $body )->get_status() );
		$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
	}

	public function test_events_are_forwarded_and_dropped_without_consent() {
		$events   = array(
			'events' => array(
				array(
					'type'        => 'click',
					'visitor_id'  => 'abcdefgh1234',
					'slot'        => 'hero',
					'decision_id' => 'd_1',
					'content_id'  => '5',
				),
			),
		);
		$response = $this->post( 'events', $events );
		$this->assertSame( 202, $response->get_status() );
		$this->assertSame( 'click', $this->stub_last_request()['body']['events'][0]['type'] );

		$this->clear_stub();
		add_filter( 'pertinent_has_consent', '__return_false' );
		$response = $this->post( 'events', $events );
		$this->assertSame( 202, $response->get_status() );
		$this->assertSame( 0, $response->get_data()['accepted'] );
		$this->assertSame( 0, $this->stub_requests(), 'nothing is sent before consent' );
	}

	public function test_decide_without_consent_sends_no_visitor_id() {
		$this->configure( array( 'consent_mode' => 'require' ) );
		$this->post(
			'decide',
			array(
				'visitor_id' => 'abcdefgh1234',
				'slots'      => array(
					array(
						'name' => 'hero',
						'kind' => 'banner',
					),
				),
			)
		);
		$sent = $this->stub_last_request()['body'];
		$this->assertArrayNotHasKey( 'visitor_id', $sent );
		$this->assertFalse( $sent['context']['consent'] );
	}
}
