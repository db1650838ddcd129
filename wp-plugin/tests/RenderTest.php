<?php
/**
 * The slot render function against the stub sidecar: an answer, an error, a timeout, an open circuit.
 *
 * @package Pertinent
 */

/**
 * @covers ::pertinent_render_slot
 */
class RenderTest extends PertinentTestCase {

	/**
	 * A published banner variant.
	 *
	 * @param string $body Content.
	 * @return int
	 */
	private function banner( $body = '<p class="chosen">Chosen banner</p>' ) {
		return $this->make_post(
			array(
				'post_type'    => 'pertinent_variant',
				'post_title'   => 'Banner',
				'post_content' => $body,
				'meta_input'   => array( 'pertinent_variant_kind' => 'banner' ),
			)
		);
	}

	/**
	 * Renders one banner slot with a default.
	 *
	 * @param int $candidate Variant id.
	 * @return string
	 */
	private function render_banner( $candidate ) {
		return pertinent_render_slot(
			array(
				'name'       => 'hero',
				'kind'       => 'banner',
				'candidates' => (string) $candidate,
			),
			'<p class="default">Default</p>'
		);
	}

	public function test_renders_the_variant_the_sidecar_chose_with_decision_attributes() {
		$id   = $this->banner();
		$html = $this->render_banner( $id );
		$this->assertStringContainsString( 'class="chosen"', $html );
		$this->assertStringNotContainsString( 'class="default"', $html );
		$this->assertStringContainsString( 'data-pertinent-slot="hero"', $html );
		$this->assertStringContainsString( 'data-pertinent-decision="d_stub"', $html );
		$this->assertStringContainsString( 'data-pertinent-source="model"', $html );
		$request = $this->stub_last_request();
		$this->assertSame( '/v1/decide', $request['path'] );
		$this->assertSame( 'Bearer test-server-key-0123456789', $request['authorization'] );
		$this->assertSame( array( (string) $id ), $request['body']['slots'][0]['candidates'] );
		$this->assertSame( home_url( '/' ), $request['body']['context']['url'] );
	}

	public function test_recommendations_list_the_sites_own_posts_in_the_sidecars_order() {
		$a = $this->make_post(
			array(
				'post_title'   => 'Alpha',
				'post_excerpt' => 'About alpha',
			)
		);
		$b = $this->make_post( array( 'post_title' => 'Beta' ) );
		$this->stub_answer(
			200,
			array(
				'decision_id' => 'd_1',
				'slots'       => array(
					'recs' => array(
						'kind'        => 'recommendations',
						'content_ids' => array( (string) $b, '999999', (string) $a ),
						'source'      => 'model',
						'items'       => array(
							array(
								'id'    => (string) $b,
								'title' => '<b>from the sidecar</b>',
								'url'   => 'http://evil.example/',
							),
						),
					),
				),
			)
		);
		$html = pertinent_render_slot(
			array(
				'name'  => 'recs',
				'kind'  => 'recommendations',
				'count' => 2,
			),
			'Default'
		);
		$this->assertMatchesRegularExpression( '/data-pertinent-content-id="' . $b . '".*data-pertinent-content-id="' . $a . '"/s', $html );
		$this->assertStringContainsString( 'About alpha', $html );
		$this->assertStringContainsString( esc_url( get_permalink( $a ) ), $html );
		// Titles and links come from WordPress, never from the sidecar's answer; unknown ids are skipped.
		$this->assertStringNotContainsString( 'evil.example', $html );
		$this->assertStringNotContainsString( '999999', $html );
	}

	public function test_default_source_keeps_the_default_content() {
		$this->stub_answer(
			200,
			array(
				'decision_id' => 'd_2',
				'slots'       => array(
					'hero' => array(
						'content_ids' => array(),
						'source'      => 'default',
					),
				),
			)
		);
		$html = $this->render_banner( $this->banner() );
		$this->assertStringContainsString( 'class="default"', $html );
		$this->assertStringContainsString( 'data-pertinent-decision="d_2"', $html );
		$this->assertStringContainsString( 'data-pertinent-source="default"', $html );
	}

	public function test_server_error_renders_the_default_and_counts_a_failure() {
		$this->stub_answer( 500, array( 'error' => array( 'code' => 'boom' ) ) );
		$html = $this->render_banner( $this->banner() );
		$this->assertStringContainsString( 'class="default"', $html );
		$this->assertStringContainsString( 'data-pertinent-reason="pertinent_server_error"', $html );
		$this->assertSame( 1, pertinent_breaker_state()['failures'] );
	}

	public function test_timeout_holds_at_the_configured_milliseconds() {
		$this->configure(
			array(
				'sidecar_url' => $this->hung_sidecar_url(),
				'timeout_ms'  => 200,
			)
		);
		$html = $this->render_banner( $this->banner() );
		$this->assertStringContainsString( 'class="default"', $html );
		$this->assertStringContainsString( 'data-pertinent-reason="pertinent_unreachable"', $html );

		// curl names the timeout that fired: ours in milliseconds, not WordPress's one-second floor.
		pertinent_breaker_reset();
		$error = pertinent_sidecar_request( 'POST', '/v1/decide', array( 'slots' => array() ) );
		$this->assertWPErrorLike( $error );
		$this->assertMatchesRegularExpression( '/timed out after \d{1,3} milliseconds/', $error->get_error_message() );
	}

	/**
	 * Asserts a WP_Error.
	 *
	 * @param mixed $value Value.
	 */
	private function assertWPErrorLike( $value ) {
		$this->assertInstanceOf( WP_Error::class, $value );
	}

	public function test_slow_answer_past_the_timeout_renders_the_default() {
		$this->stub_answer(
			200,
			array(
				'decision_id' => 'late',
				'slots'       => array(),
			),
			600
		);
		$html = $this->render_banner( $this->banner() );
		$this->assertStringContainsString( 'class="default"', $html );
		$this->assertStringNotContainsString( 'late', $html );
	}

	public function test_open_circuit_renders_the_default_without_calling() {
		$id = $this->banner();
		$this->stub_answer( 500, array() );
		for ( $i = 0; $i < 3; $i++ ) {
			$this->render_banner( $id );
		}
		$this->assertTrue( pertinent_breaker_is_open() );
		$calls = $this->stub_requests();
		$html  = $this->render_banner( $id );
		$this->assertSame( $calls, $this->stub_requests(), 'an open circuit must not call the sidecar' );
		$this->assertStringContainsString( 'data-pertinent-reason="pertinent_circuit_open"', $html );
		$this->assertStringContainsString( 'class="default"', $html );
	}

	public function test_circuit_closes_after_the_cooldown_when_the_sidecar_recovers() {
		$id = $this->banner();
		$this->configure(
			array(
				'breaker_threshold' => 1,
				'breaker_cooldown'  => 1,
			)
		);
		$this->stub_answer( 500, array() );
		$this->render_banner( $id );
		$this->assertTrue( pertinent_breaker_is_open() );
		sleep( 2 );
		$this->clear_stub();
		$html = $this->render_banner( $id );
		$this->assertStringContainsString( 'class="chosen"', $html );
		$this->assertFalse( pertinent_breaker_is_open() );
		$this->assertSame( 0, pertinent_breaker_state()['failures'] );
	}

	public function test_half_open_circuit_lets_one_probe_through() {
		$this->configure(
			array(
				'breaker_threshold' => 2,
				'breaker_cooldown'  => 30,
			)
		);
		pertinent_volatile_set(
			pertinent_breaker_key(),
			array(
				'failures'   => 2,
				'open_until' => time() - 1,
			)
		);
		$this->assertTrue( pertinent_breaker_allow(), 'the first caller after the cool-down probes' );
		$this->assertFalse( pertinent_breaker_allow(), 'others keep the default while the probe runs' );
		pertinent_breaker_success();
		$this->assertTrue( pertinent_breaker_allow() );
		$this->assertTrue( pertinent_breaker_allow() );
	}

	public function test_shortcode_and_block_share_the_render_function() {
		$id        = $this->banner();
		$shortcode = do_shortcode( '[pertinent_slot name="hero" kind="banner" candidates="' . $id . '"]<p class="default">Default</p>[/pertinent_slot]' );
		$block     = do_blocks( '<!-- wp:pertinent/slot {"name":"hero","kind":"banner","candidates":"' . $id . '"} --><p class="default">Default</p><!-- /wp:pertinent/slot -->' );
		$this->assertSame( $shortcode, $block );
		$this->assertStringContainsString( 'class="chosen"', $block );
	}

	public function test_page_buffer_collects_all_slots_into_one_decide_call() {
		$id = $this->banner();
		ob_start(); // Catches what the page buffer prints when it finishes.
		pertinent_page_buffer_start();
		echo '<main>';
		echo $this->render_banner( $id ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- test output.
		echo pertinent_render_slot( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the slot's HTML, printed as a theme prints the content (the plugin escapes inside it).
			array(
				'name'       => 'cta',
				'kind'       => 'cta',
				'candidates' => '999999',
			),
			'<p class="cta-default">CTA</p>'
		);
		echo pertinent_render_slot( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- as above.
			array(
				'name' => 'recs',
				'kind' => 'recommendations',
			),
			'<p>Recs</p>'
		);
		echo '</main>';
		$this->assertSame( 0, $this->stub_requests(), 'no call before the page is complete' );
		pertinent_page_buffer_finish();
		$html = ob_get_clean();
		$this->assertSame( 1, $this->stub_requests() );
		$this->assertCount( 3, $this->stub_last_request()['body']['slots'] );
		$this->assertStringContainsString( 'class="chosen"', $html );
		$this->assertStringContainsString( 'cta-default', $html );
		$this->assertStringNotContainsString( '<!--pertinent-slot:', $html );
	}

	public function test_browser_mode_renders_defaults_markers_and_variant_templates() {
		$this->configure( array( 'render_mode' => 'browser' ) );
		$id   = $this->banner();
		$html = $this->render_banner( $id );
		$this->assertSame( 0, $this->stub_requests() );
		$this->assertStringContainsString( 'class="default"', $html );
		$this->assertStringContainsString( 'data-pertinent-rendered="browser"', $html );
		$this->assertStringContainsString( '<template data-pertinent-variant="' . $id . '">', $html );
	}

	public function test_unscheduled_variant_is_never_rendered() {
		$id = $this->banner();
		update_post_meta( $id, 'pertinent_starts_at', '2099-01-01 00:00' );
		$html = $this->render_banner( $id );
		$this->assertStringContainsString( 'class="default"', $html );
	}

	public function test_snippet_tag_is_deferred_with_its_settings() {
		$tag = pertinent_script_loader_tag( "<script src='x.js' id='pertinent-js'></script>", 'pertinent' ); // phpcs:ignore WordPress.WP.EnqueuedResources.NonEnqueuedScript -- a script tag as data: the filter's input.
		$this->assertStringContainsString( '<script defer data-endpoint="', $tag );
		$this->assertStringContainsString( 'data-site-key="test-public-key-0123456789"', $tag );
		$this->assertStringContainsString( '/pertinent/v1"', $tag );
	}
}
