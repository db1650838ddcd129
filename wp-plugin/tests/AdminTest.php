<?php
/**
 * Admin pieces that can be tested without a browser: metrics parsing, health summary, uninstall.
 *
 * @package Pertinent
 */

// The plugin loads its admin screens only in wp-admin (is_admin()); the tests call them directly.
require_once dirname( __DIR__ ) . '/pertinent/admin/dashboard-widget.php';

/**
 * @covers ::pertinent_render_dashboard_widget
 */
class AdminTest extends PertinentTestCase {

	public function test_widget_shows_the_sidecars_own_24_hour_counts_and_why_fallbacks_served() {
		require_once dirname( __DIR__ ) . '/pertinent/admin/dashboard-page.php';
		require_once dirname( __DIR__ ) . '/pertinent/admin/dashboard-widget.php';
		delete_transient( 'pertinent_' . md5( '|GET|/v1/dashboard|' . PERTINENT_TEST_STUB_URL ) );
		$this->stub_answer(
			200,
			array(
				'traffic' => array(
					'window_hours'    => 24,
					'decisions'       => 1204,
					'cached'          => 300,
					'slots_by_source' => array( 'model' => 3000 ),
					'fallbacks'       => array(
						'cold_start'  => 12,
						'model_error' => 1,
					),
				),
			)
		);
		ob_start();
		pertinent_render_dashboard_widget();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( '1,204 decisions served, 13 slots served by a fallback in the last 24 hours.', $html );
		$this->assertStringContainsString( 'Why: cold_start 12, model_error 1.', $html );
	}

	public function test_health_reports_status_and_model_version() {
		$this->stub_answer(
			200,
			array(
				'status'        => 'ok',
				'reasons'       => array(),
				'model_version' => 'v42',
			)
		);
		$health = pertinent_sidecar_health( true );
		$this->assertTrue( $health['ok'] );
		$this->assertSame( 'v42', $health['model_version'] );
	}

	public function test_health_of_a_degraded_sidecar_keeps_its_reasons() {
		$this->stub_answer(
			503,
			array(
				'status'        => 'degraded',
				'reasons'       => array( 'no model set' ),
				'model_version' => null,
			)
		);
		$health = pertinent_sidecar_health( true );
		$this->assertFalse( $health['ok'] );
		$this->assertSame( 'degraded', $health['status'] );
		$this->assertSame( array( 'no model set' ), $health['reasons'] );
	}

	public function test_health_of_an_unreachable_sidecar() {
		$this->configure( array( 'sidecar_url' => 'http://127.0.0.1:' . pertinent_test_free_port() ) );
		$health = pertinent_sidecar_health( true );
		$this->assertSame( 'unreachable', $health['status'] );
		$this->assertNotSame( '', $health['message'] );
	}

	public function test_privacy_tools_are_registered() {
		$this->assertArrayHasKey( 'pertinent', apply_filters( 'wp_privacy_personal_data_exporters', array() ) );
		$this->assertArrayHasKey( 'pertinent', apply_filters( 'wp_privacy_personal_data_erasers', array() ) );
	}

	public function test_a_personal_data_export_with_our_data_is_written_as_a_zip() {
		// WordPress packs the export into a zip: without PHP's zip extension the site owner's export fails.
		require_once ABSPATH . 'wp-admin/includes/file.php';
		require_once ABSPATH . 'wp-admin/includes/privacy-tools.php';
		$request_id = wp_create_user_request( 'export' . wp_rand() . '@example.org', 'export_personal_data' );
		$this->assertIsInt( $request_id );
		$groups = array(
			'pertinent' => array(
				'group_label'       => 'Pertinent',
				'group_description' => 'Personalization visitor ids',
				'items'             => array(
					'pertinent-visitor' => array(
						array(
							'name'  => 'Visitor id',
							'value' => 'visitor12345678',
						),
					),
				),
			),
		);
		update_post_meta( $request_id, '_export_data_grouped', $groups );
		wp_privacy_generate_personal_data_export_file( $request_id );
		$file = get_post_meta( $request_id, '_export_file_name', true );
		$this->assertNotEmpty( $file, 'the export file was not written' );
		$zip = new ZipArchive();
		$this->assertTrue( $zip->open( wp_privacy_exports_dir() . $file ) );
		$this->assertGreaterThan( 0, $zip->count() );
		$zip->close();
	}

	public function test_eraser_deletes_the_linked_visitors_on_the_sidecar() {
		$user = wp_insert_user(
			array(
				'user_login' => 'erase' . wp_rand(),
				'user_email' => 'erase' . wp_rand() . '@example.org',
				'user_pass'  => wp_generate_password(),
			)
		);
		update_user_meta( $user, 'pertinent_visitor_ids', array( 'visitor12345678' ) );
		$result  = pertinent_privacy_erase( get_userdata( $user )->user_email );
		$request = $this->stub_last_request();
		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $user );
		$this->assertTrue( $result['items_removed'] );
		$this->assertSame( 'DELETE', $request['method'] );
		$this->assertSame( '/v1/visitors/visitor12345678', $request['path'] );
	}
}
