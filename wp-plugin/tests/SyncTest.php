<?php
/**
 * Catalog sync payloads, captured with a pre_http_request filter (no network).
 *
 * @package Pertinent
 */

/**
 * @covers ::pertinent_catalog_item
 */
class SyncTest extends PertinentTestCase {

	/**
	 * Requests the plugin tried to send.
	 *
	 * @var array
	 */
	private $calls = array();

	/**
	 * Status the fake sidecar answers with.
	 *
	 * @var int
	 */
	private $status = 200;

	protected function setUp(): void {
		parent::setUp();
		$this->calls  = array();
		$this->status = 200;
		add_filter( 'pre_http_request', array( $this, 'capture' ), 10, 3 );
	}

	/**
	 * The fake sidecar: records and answers.
	 *
	 * @param mixed  $pre  Short-circuit value.
	 * @param array  $args Request args.
	 * @param string $url  URL.
	 * @return array
	 */
	public function capture( $pre, $args, $url ) {
		$this->calls[] = array(
			'method' => $args['method'],
			'url'    => $url,
			'body'   => isset( $args['body'] ) ? json_decode( $args['body'], true ) : null,
			'auth'   => isset( $args['headers']['Authorization'] ) ? $args['headers']['Authorization'] : '',
		);
		return array(
			'response' => array(
				'code'    => $this->status,
				'message' => '',
			),
			'body'     => '{}',
			'headers'  => array(),
			'cookies'  => array(),
		);
	}

	/**
	 * Runs the end-of-request sync now.
	 */
	private function flush() {
		pertinent_sync_flush_pending();
	}

	public function test_publishing_sends_the_catalog_item() {
		$cat             = wp_insert_term( 'Garden', 'category' );
		$id              = wp_insert_post(
			array(
				'post_title'    => 'Tomatoes &amp; more',
				'post_content'  => '<!-- wp:paragraph --><p>Grow <strong>tomatoes</strong>.</p><!-- /wp:paragraph -->',
				'post_status'   => 'publish',
				'tags_input'    => array( 'veg' ),
				'post_category' => array( $cat['term_id'] ),
				'meta_input'    => array( 'pertinent_funnel_stage' => array( 'awareness' ) ),
			)
		);
		$this->created[] = $id;
		$this->flush();
		wp_delete_term( $cat['term_id'], 'category' );

		$put = end( $this->calls );
		$this->assertSame( 'PUT', $put['method'] );
		$this->assertSame( PERTINENT_TEST_STUB_URL . '/v1/content/' . $id, $put['url'] );
		$this->assertSame( 'Bearer test-server-key-0123456789', $put['auth'] );
		$item = $put['body'];
		$this->assertSame( 'Tomatoes & more', $item['title'] );
		$this->assertSame( 'post', $item['type'] );
		$this->assertSame( 'publish', $item['status'] );
		$this->assertSame( 'Grow tomatoes.', $item['text'] );
		$this->assertSame( array( 'veg' ), $item['tags'] );
		$this->assertSame( array( 'Garden' ), $item['categories'] );
		$this->assertSame( array( 'awareness' ), $item['meta']['funnel_stage'] );
		$this->assertSame( get_permalink( $id ), $item['url'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $item['published_at'] );
	}

	public function test_trash_sends_status_trash_and_delete_sends_delete() {
		$id = $this->make_post( array( 'post_title' => 'Short-lived' ) );
		wp_trash_post( $id );
		$this->flush();
		$this->assertSame( 'trash', end( $this->calls )['body']['status'] );
		wp_delete_post( $id, true );
		$this->flush();
		$last = end( $this->calls );
		$this->assertSame( 'DELETE', $last['method'] );
		$this->assertStringEndsWith( '/v1/content/' . $id, $last['url'] );
	}

	public function test_unpublishing_sends_the_new_status() {
		$id = $this->make_post( array( 'post_title' => 'Back to draft' ) );
		wp_update_post(
			array(
				'ID'          => $id,
				'post_status' => 'draft',
			)
		);
		$this->flush();
		$this->assertSame( 'draft', end( $this->calls )['body']['status'] );
	}

	public function test_variant_is_sent_as_type_variant_with_targeting_and_schedule() {
		$id              = wp_insert_post(
			array(
				'post_type'    => 'pertinent_variant',
				'post_title'   => 'Sale',
				'post_content' => '<p>Sale</p>',
				'post_status'  => 'publish',
				'meta_input'   => array(
					'pertinent_variant_kind' => 'cta',
					'pertinent_targeting'    => array(
						array(
							'action' => 'exclude',
							'when'   => array( 'device' => 'mobile' ),
						),
					),
					'pertinent_ends_at'      => '2030-01-01 00:00:00',
				),
			)
		);
		$this->created[] = $id;
		$this->flush();
		$item = end( $this->calls )['body'];
		$this->assertSame( 'variant', $item['type'] );
		$this->assertSame( array( 'cta' ), $item['meta']['kind'] );
		$this->assertSame( 'exclude', $item['targeting'][0]['action'] );
		$this->assertSame( array( 'device' => 'mobile' ), $item['targeting'][0]['when'] );
		$this->assertStringStartsWith( '2030-01-01T', $item['ends_at'] );
	}

	public function test_failed_sync_is_queued_with_backoff_and_retried() {
		$this->status = 503;
		$id           = $this->make_post( array( 'post_title' => 'Queued' ) );
		pertinent_sync_defer( $id, 'put' );
		$this->flush();
		$queue = pertinent_sync_queue();
		$this->assertSame( 1, $queue[ $id ]['attempts'] );
		$this->assertGreaterThan( time() + 50, $queue[ $id ]['next_at'] );
		$this->assertNotFalse( wp_next_scheduled( 'pertinent_sync_retry' ) );

		// Not due yet: cron leaves it alone.
		$calls = count( $this->calls );
		pertinent_sync_retry();
		$this->assertCount( $calls, $this->calls );

		$this->status            = 200;
		$queue[ $id ]['next_at'] = 0;
		update_option( 'pertinent_sync_queue', $queue, false );
		$this->assertSame( 1, pertinent_sync_retry() );
		$this->assertArrayNotHasKey( $id, pertinent_sync_queue() );
		if ( ! pertinent_sync_queue() ) {
			$this->assertFalse( wp_next_scheduled( 'pertinent_sync_retry' ), 'an empty queue needs no tick' );
		}
	}

	public function test_backoff_doubles_up_to_an_hour() {
		$this->assertSame( 60, pertinent_sync_backoff( 1 ) );
		$this->assertSame( 120, pertinent_sync_backoff( 2 ) );
		$this->assertSame( 3600, pertinent_sync_backoff( 30 ) );
	}

	public function test_bulk_sync_sends_batches_with_progress() {
		for ( $i = 0; $i < 3; $i++ ) {
			$this->make_post( array( 'post_title' => 'Bulk ' . $i ) );
		}
		pertinent_bulk_sync_start();
		$state = pertinent_bulk_sync_state();
		while ( 'running' === $state['status'] ) {
			$state = pertinent_bulk_sync_batch();
		}
		$this->assertSame( $state['total'], $state['done'] );
		$bulk = array_values(
			array_filter(
				$this->calls,
				static function ( $c ) {
					return '/v1/content/bulk' === substr( $c['url'], -16 );
				}
			)
		);
		$this->assertNotEmpty( $bulk );
		$ids = array();
		foreach ( $bulk as $call ) {
			$this->assertLessThanOrEqual( PERTINENT_BULK_BATCH, count( $call['body']['items'] ) );
			$ids = array_merge( $ids, wp_list_pluck( $call['body']['items'], 'id' ) );
		}
		foreach ( array_slice( $this->created, -3 ) as $id ) {
			$this->assertContains( (string) $id, $ids );
		}
	}

	public function test_revisions_are_not_synced() {
		$id       = $this->make_post( array( 'post_title' => 'Original' ) );
		$revision = _wp_put_post_revision( get_post( $id ) );
		$this->assertIsInt( $revision );
		$this->assertArrayNotHasKey( $revision, $GLOBALS['pertinent_sync_pending'] );
	}
}
