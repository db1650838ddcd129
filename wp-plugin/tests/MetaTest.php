<?php
/**
 * Registered post meta: schema, REST visibility, sanitize callbacks; variant targeting.
 *
 * @package Pertinent
 */

/**
 * The plugin's registered meta.
 *
 * @covers ::pertinent_register_meta
 */
class MetaTest extends PertinentTestCase {

	/**
	 * Personalization meta is registered for all post types and shown in rest.
	 */
	public function test_personalization_meta_is_registered_for_all_post_types_and_shown_in_rest() {
		$keys = get_registered_meta_keys( 'post', '' );
		foreach ( array( 'pertinent_topics', 'pertinent_audience', 'pertinent_funnel_stage', 'pertinent_intent' ) as $key ) {
			$this->assertArrayHasKey( $key, $keys );
			$this->assertSame( 'array', $keys[ $key ]['type'] );
			$this->assertTrue( $keys[ $key ]['single'] );
			$this->assertSame( 'string', $keys[ $key ]['show_in_rest']['schema']['items']['type'] );
			$this->assertSame( 'pertinent_sanitize_terms', $keys[ $key ]['sanitize_callback'] );
		}
	}

	/**
	 * Variant meta is registered on the variant type.
	 */
	public function test_variant_meta_is_registered_on_the_variant_type() {
		$keys = get_registered_meta_keys( 'post', 'pertinent_variant' );
		$this->assertSame( array( 'banner', 'cta' ), $keys['pertinent_variant_kind']['show_in_rest']['schema']['enum'] );
		$this->assertArrayHasKey( 'pertinent_targeting', $keys );
		$this->assertTrue( post_type_exists( 'pertinent_variant' ) );
	}

	/**
	 * Raw terms and what the sanitizer keeps.
	 *
	 * @return array<string,array>
	 */
	public function provide_terms() {
		return array(
			'comma string from the classic box' => array( 'Gardening, spring ,, Tools', array( 'gardening', 'spring', 'tools' ) ),
			'duplicates removed'                => array( array( 'a', 'A', 'b' ), array( 'a', 'b' ) ),
			'markup stripped'                   => array( array( '<script>x</script>hello' ), array( 'hello' ) ),
			'non-scalars ignored'               => array( array( array( 'x' ), 'ok' ), array( 'ok' ) ),
			'not a list'                        => array( 42, array() ),
		);
	}

	/**
	 * Terms are trimmed, lower-cased and deduplicated.
	 *
	 * @dataProvider provide_terms
	 *
	 * @param mixed    $input    Raw.
	 * @param string[] $expected Sanitized.
	 */
	public function test_sanitize_terms( $input, $expected ) {
		$this->assertSame( $expected, pertinent_sanitize_terms( $input ) );
	}

	/**
	 * Update post meta runs the sanitize callback.
	 */
	public function test_update_post_meta_runs_the_sanitize_callback() {
		$id = $this->make_post( array( 'post_title' => 'Meta' ) );
		update_post_meta( $id, 'pertinent_topics', 'One, TWO, one' );
		$this->assertSame( array( 'one', 'two' ), get_post_meta( $id, 'pertinent_topics', true ) );
	}

	/**
	 * Targeting with unknown conditions is refused not trimmed.
	 */
	public function test_targeting_with_unknown_conditions_is_refused_not_trimmed() {
		// Unknown keys, day 9 and a bad action used to be dropped silently; now each is named (TargetingRulesTest).
		$problems = pertinent_targeting_problems(
			'[{"action":"pin","when":{"utm_campaign":"spring","evil":"x","visit_count_min":"2","days":[1,9]},"slots":["Hero!"]},{"action":"boom"}]'
		);
		$this->assertSame( array( 'targeting[0].when.evil', 'targeting[0].when.days[1]', 'targeting[1].action' ), array_column( $problems, 0 ) );
	}

	/**
	 * Meta is editable over rest by an editor.
	 */
	public function test_meta_is_editable_over_rest_by_an_editor() {
		$id = $this->make_post( array( 'post_title' => 'REST meta' ) );
		wp_set_current_user( 1 );
		$request = new WP_REST_Request( 'POST', '/wp/v2/posts/' . $id );
		$request->set_body_params( array( 'meta' => array( 'pertinent_intent' => array( 'Buy', 'learn' ) ) ) );
		$response                          = rest_do_request( $request );
		$GLOBALS['pertinent_sync_pending'] = array();
		wp_set_current_user( 0 );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'buy', 'learn' ), get_post_meta( $id, 'pertinent_intent', true ) );
	}
}
