<?php
/**
 * Where the snippet's parts load and which content id the tracker is told (includes/snippet.php).
 *
 * @package Pertinent
 */

/**
 * The tracker on every public page, the slots part where a slot renders, the catalog id on singular pages.
 */
class SnippetTest extends PertinentTestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->dequeue(); // Other suites render slots, which enqueue both parts.
	}

	protected function tearDown(): void {
		$this->dequeue();
		$GLOBALS['wp_the_query']->init();
		parent::tearDown();
	}

	private function dequeue() {
		foreach ( array_keys( pertinent_snippet_parts() ) as $handle ) {
			wp_dequeue_script( $handle );
		}
	}

	/**
	 * Makes $args the main query, as WordPress does for a front-end request.
	 *
	 * @param array $args Query vars.
	 */
	private function visit( $args ) {
		// $wp_query and $wp_the_query are one object (nothing here calls query_posts()): run it with $args.
		$GLOBALS['wp_the_query']->query( $args );
	}

	private function post( $type = 'post' ) {
		$id              = wp_insert_post(
			array(
				'post_type'   => $type,
				'post_title'  => 'Tracked',
				'post_status' => 'publish',
			)
		);
		$this->created[] = $id;
		return $id;
	}

	public function test_a_single_post_tells_the_tracker_its_catalog_id() {
		$id = $this->post();
		$this->visit( array( 'p' => $id ) );
		$this->assertSame( (string) $id, pertinent_snippet_attributes()['data-content-id'] );
		pertinent_enqueue_tracker();
		$this->assertTrue( wp_script_is( 'pertinent', 'enqueued' ) );
		$this->assertFalse( wp_script_is( 'pertinent-slots', 'enqueued' ), 'no slot: no slots part' );
	}

	public function test_archives_and_unsynced_types_send_no_content_id() {
		$this->post();
		$this->visit( array( 'post_type' => 'post' ) );
		$this->assertArrayNotHasKey( 'data-content-id', pertinent_snippet_attributes() );
		$variant = $this->post( PERTINENT_VARIANT_TYPE );
		$this->visit(
			array(
				'p'         => $variant,
				'post_type' => PERTINENT_VARIANT_TYPE,
			)
		);
		$this->assertSame( '', pertinent_current_content_id(), 'variants are never content' );
	}

	public function test_feeds_and_previews_load_nothing() {
		$id = $this->post();
		foreach ( array(
			array( 'feed' => 'rss2' ),
			array(
				'p'       => $id,
				'preview' => 'true',
			),
		) as $args ) {
			$this->visit( $args );
			$this->assertFalse( pertinent_snippet_allowed(), wp_json_encode( $args ) );
			pertinent_enqueue_tracker();
			pertinent_snippet_needed();
			$this->assertFalse( wp_script_is( 'pertinent', 'enqueued' ), wp_json_encode( $args ) );
		}
	}

	public function test_the_page_filter_turns_the_tracker_off_but_slots_still_load_both_parts() {
		$this->visit( array( 'p' => $this->post() ) );
		add_filter( 'pertinent_track_page', '__return_false' );
		pertinent_enqueue_tracker();
		remove_all_filters( 'pertinent_track_page' );
		$this->assertFalse( wp_script_is( 'pertinent', 'enqueued' ) );
		pertinent_snippet_needed();
		$this->assertTrue( wp_script_is( 'pertinent', 'enqueued' ) && wp_script_is( 'pertinent-slots', 'enqueued' ) );
	}

	public function test_the_slots_part_tag_is_deferred_and_marked_for_the_tracker() {
		// phpcs:disable WordPress.WP.EnqueuedResources.NonEnqueuedScript -- script tags as data: the filter's input and output.
		$tag = pertinent_script_loader_tag( "<script src='s.js' id='pertinent-slots-js'></script>", 'pertinent-slots' );
		$this->assertSame( "<script defer data-pertinent-slots src='s.js' id='pertinent-slots-js'></script>", $tag );
		$this->assertSame( '<script src="o.js"></script>', pertinent_script_loader_tag( '<script src="o.js"></script>', 'other' ) );
		// phpcs:enable WordPress.WP.EnqueuedResources.NonEnqueuedScript
	}
}
