<?php
/**
 * Hostile titles, excerpts and variant bodies never come out as markup.
 *
 * @package Pertinent
 */

/**
 * @covers ::pertinent_recommendations_html
 */
class EscapingTest extends PertinentTestCase {

	public function test_hostile_post_title_and_excerpt_are_escaped() {
		$id   = $this->make_post(
			array(
				'post_title'   => '<script>alert("title")</script><img src=x onerror=alert(1)>',
				'post_excerpt' => '<script>alert("excerpt")</script>',
			)
		);
		$html = pertinent_recommendations_html( pertinent_normalize_slot( array( 'kind' => 'recommendations' ) ), array( $id ) );
		$this->assertStringNotContainsString( '<script', $html );
		$this->assertStringNotContainsString( '<img', $html );
		$this->assertStringNotContainsString( 'onerror=alert', str_replace( '&', '', $html ) === $html ? $html : '' );
	}

	public function test_hostile_variant_body_goes_through_kses() {
		$id   = $this->make_post(
			array(
				'post_type'    => 'pertinent_variant',
				'post_title'   => 'x',
				'post_content' => '<p onclick="steal()">Hi</p><script>alert(1)</script><iframe src="//evil"></iframe><a href="javascript:alert(1)">x</a>',
				'meta_input'   => array( 'pertinent_variant_kind' => 'banner' ),
			)
		);
		$html = pertinent_variant_html( $id );
		$this->assertStringContainsString( 'Hi', $html );
		foreach ( array( '<script', 'onclick', '<iframe', 'javascript:' ) as $bad ) {
			$this->assertStringNotContainsString( $bad, $html );
		}
	}

	public function test_slot_attributes_are_escaped() {
		$html = pertinent_slot_wrapper(
			pertinent_normalize_slot(
				array(
					'name' => '"><script>',
					'kind' => 'banner',
				)
			),
			'd',
			array( 'decision' => '"><script>x' )
		);
		$this->assertStringNotContainsString( '<script', $html );
	}

	public function test_answer_ids_that_are_not_posts_render_nothing() {
		$slot = pertinent_normalize_slot( array( 'kind' => 'recommendations' ) );
		$this->assertSame(
			'',
			pertinent_slot_inner_html(
				$slot,
				array(
					'content_ids' => array( '<script>', '0' ),
					'source'      => 'model',
				)
			)
		);
	}
}
