<?php
/**
 * Settings sanitization and effective settings.
 *
 * @package Pertinent
 */

/**
 * @covers ::pertinent_sanitize_settings
 */
class SettingsTest extends PertinentTestCase {

	/**
	 * Named cases: input => expected subset of the sanitized settings.
	 *
	 * @return array<string,array>
	 */
	public function provide_settings() {
		return array(
			'defaults for an empty submission'        => array(
				array(),
				array(
					'timeout_ms'        => 150,
					'render_mode'       => 'auto',
					'consent_mode'      => 'none',
					'breaker_threshold' => 3,
				),
			),
			'timeout clamped to 20..5000'             => array( array( 'timeout_ms' => '999999' ), array( 'timeout_ms' => 5000 ) ),
			'timeout below the floor'                 => array( array( 'timeout_ms' => '1' ), array( 'timeout_ms' => 20 ) ),
			'non-numeric timeout is default'          => array( array( 'timeout_ms' => 'fast' ), array( 'timeout_ms' => 150 ) ),
			'unknown render mode is auto'             => array( array( 'render_mode' => 'edge' ), array( 'render_mode' => 'auto' ) ),
			'consent mode kept when valid'            => array( array( 'consent_mode' => 'dnt' ), array( 'consent_mode' => 'dnt' ) ),
			'javascript url dropped'                  => array( array( 'sidecar_url' => 'javascript:alert(1)' ), array( 'sidecar_url' => '' ) ),
			'url trailing slash trimmed'              => array( array( 'sidecar_url' => 'http://sidecar:8000/' ), array( 'sidecar_url' => 'http://sidecar:8000' ) ),
			'key characters filtered'                 => array( array( 'public_key' => "pub<script>key\n" ), array( 'public_key' => 'pubscriptkey' ) ),
			'post types sanitized, variants implicit' => array( array( 'post_types' => array( 'Post', 'pertinent_variant', 'page' ) ), array( 'post_types' => array( 'post', 'page' ) ) ),
		);
	}

	/**
	 * @dataProvider provide_settings
	 *
	 * @param array $input    Submitted.
	 * @param array $expected Expected subset.
	 */
	public function test_sanitize_settings( $input, $expected ) {
		$out = pertinent_sanitize_settings( $input );
		foreach ( $expected as $key => $value ) {
			$this->assertSame( $value, $out[ $key ], $key );
		}
	}

	public function test_empty_api_key_field_keeps_the_stored_key() {
		$this->configure( array( 'api_key' => 'stored-secret-key-123456' ) );
		$out = pertinent_sanitize_settings(
			array(
				'api_key'      => '',
				'api_key_keep' => '1',
			)
		);
		$this->assertSame( 'stored-secret-key-123456', $out['api_key'] );
		$out = pertinent_sanitize_settings(
			array(
				'api_key'      => 'new-secret-key-987654',
				'api_key_keep' => '1',
			)
		);
		$this->assertSame( 'new-secret-key-987654', $out['api_key'] );
	}

	public function test_stored_option_is_sanitized_again_on_read() {
		update_option(
			'pertinent_settings',
			array(
				'timeout_ms'  => -5,
				'render_mode' => '<b>',
				'sidecar_url' => 'ftp://x',
			)
		);
		pertinent_settings_flush();
		$this->assertSame( 20, pertinent_setting( 'timeout_ms' ) );
		$this->assertSame( 'auto', pertinent_setting( 'render_mode' ) );
		$this->assertSame( '', pertinent_setting( 'sidecar_url' ) );
	}

	public function test_auto_mode_renders_in_the_browser_behind_a_page_cache() {
		$this->configure( array( 'render_mode' => 'auto' ) );
		add_filter( 'pertinent_page_cache_detected', '__return_true' );
		$this->assertSame( 'browser', pertinent_effective_render_mode() );
		remove_filter( 'pertinent_page_cache_detected', '__return_true' );
		$this->assertSame( defined( 'WP_CACHE' ) && WP_CACHE ? 'browser' : 'server', pertinent_effective_render_mode() );
	}

	public function test_setting_is_not_locked_without_its_constant() {
		$this->assertFalse( pertinent_setting_locked( 'sidecar_url' ) );
		$this->assertFalse( pertinent_setting_locked( 'breaker_threshold' ) );
	}

	public function test_option_is_registered_with_a_sanitize_callback_and_hidden_from_rest() {
		pertinent_register_settings();
		$registered = get_registered_settings();
		$this->assertArrayHasKey( 'pertinent_settings', $registered );
		$this->assertSame( 'pertinent_sanitize_settings', $registered['pertinent_settings']['sanitize_callback'] );
		$this->assertFalse( $registered['pertinent_settings']['show_in_rest'] );
	}
}
