<?php
/**
 * Base test case: points the plugin at the stub sidecar, closes the circuit, and cleans up what a test made.
 *
 * @package Pertinent
 */

use PHPUnit\Framework\TestCase;

/**
 * Shared setup for the plugin's tests.
 */
abstract class PertinentTestCase extends TestCase {

	/**
	 * Posts created by the test, deleted afterwards.
	 *
	 * @var int[]
	 */
	protected $created = array();

	/**
	 * The option as it was before the test.
	 *
	 * @var mixed
	 */
	private $saved_settings;

	/**
	 * Sockets opened by the test (hung sidecars).
	 *
	 * @var resource[]
	 */
	private $sockets = array();

	protected function setUp(): void {
		parent::setUp();
		$this->saved_settings = get_option( 'pertinent_settings' );
		$this->configure( array() );
		$this->clear_stub();
		kses_remove_filters();
	}

	protected function tearDown(): void {
		remove_all_filters( 'pre_http_request' );
		foreach ( $this->created as $id ) {
			wp_delete_post( $id, true );
		}
		remove_all_filters( 'pertinent_rate_limit' );
		remove_all_filters( 'pertinent_has_consent' );
		foreach ( $this->sockets as $socket ) {
			fclose( $socket );
		}
		update_option( 'pertinent_settings', $this->saved_settings );
		pertinent_settings_flush();
		pertinent_breaker_reset();
		$GLOBALS['pertinent_sync_pending'] = array();
		kses_init_filters();
		parent::tearDown();
	}

	/**
	 * Sets the plugin's settings over test defaults (stub sidecar, server mode, 150 ms).
	 *
	 * @param array $settings Overrides.
	 */
	protected function configure( $settings ) {
		update_option(
			'pertinent_settings',
			array_merge(
				array(
					'sidecar_url'       => PERTINENT_TEST_STUB_URL,
					'api_key'           => 'test-server-key-0123456789',
					'public_key'        => 'test-public-key-0123456789',
					'timeout_ms'        => 150,
					'breaker_threshold' => 3,
					'breaker_cooldown'  => 30,
					'render_mode'       => 'server',
					'consent_mode'      => 'none',
					'post_types'        => array( 'post', 'page' ),
				),
				$settings
			)
		);
		pertinent_settings_flush();
		pertinent_breaker_reset();
	}

	/**
	 * Makes the stub answer every request with $status and $body.
	 *
	 * @param int   $status   HTTP status.
	 * @param mixed $body     JSON body.
	 * @param int   $sleep_ms Delay before answering.
	 */
	protected function stub_answer( $status, $body, $sleep_ms = 0 ) {
		file_put_contents(
			PERTINENT_TEST_STUB_DIR . '/answer.json',
			wp_json_encode(
				array(
					'status'   => $status,
					'body'     => $body,
					'sleep_ms' => $sleep_ms,
				)
			)
		);
	}

	/**
	 * Forgets answers and recorded requests.
	 */
	protected function clear_stub() {
		foreach ( array( 'answer.json', 'last-request.json', 'count' ) as $file ) {
			if ( file_exists( PERTINENT_TEST_STUB_DIR . '/' . $file ) ) {
				unlink( PERTINENT_TEST_STUB_DIR . '/' . $file );
			}
		}
	}

	/**
	 * How many requests reached the stub.
	 *
	 * @return int
	 */
	protected function stub_requests() {
		return (int) @file_get_contents( PERTINENT_TEST_STUB_DIR . '/count' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- absent before the first request.
	}

	/**
	 * The last request the stub saw.
	 *
	 * @return array
	 */
	protected function stub_last_request() {
		return json_decode( (string) file_get_contents( PERTINENT_TEST_STUB_DIR . '/last-request.json' ), true );
	}

	/**
	 * A sidecar URL whose socket accepts connections (kernel backlog) and never answers.
	 *
	 * @return string
	 */
	protected function hung_sidecar_url() {
		$socket          = stream_socket_server( 'tcp://127.0.0.1:0' );
		$this->sockets[] = $socket;
		return 'http://' . stream_socket_get_name( $socket, false );
	}

	/**
	 * Creates a post (deleted after the test) without syncing it to the stub.
	 *
	 * @param array $args wp_insert_post arguments.
	 * @return int
	 */
	protected function make_post( $args ) {
		$id                                = wp_insert_post( $args + array( 'post_status' => 'publish' ) );
		$this->created[]                   = $id;
		$GLOBALS['pertinent_sync_pending'] = array();
		return $id;
	}
}
