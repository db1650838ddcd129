<?php
/**
 * The "Pertinent" admin page: what the sidecar's dashboard summary turns into, escaped, cached briefly.
 *
 * @package Pertinent
 */

// The plugin loads its admin screens only in wp-admin (is_admin()); the tests call them directly.
require_once dirname( __DIR__ ) . '/pertinent/admin/dashboard-page.php';

/**
 * @covers ::pertinent_render_dashboard_page
 */
class DashboardPageTest extends PertinentTestCase {

	protected function setUp(): void {
		parent::setUp();
		delete_transient( 'pertinent_' . md5( '|GET|/v1/dashboard|' . PERTINENT_TEST_STUB_URL ) );
		$admins = get_users(
			array(
				'role'   => 'administrator',
				'number' => 1,
				'fields' => 'ID',
			)
		);
		wp_set_current_user( (int) $admins[0] );
	}

	protected function tearDown(): void {
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * A summary as GET /v1/dashboard answers it, with hostile strings where the sidecar echoes input.
	 *
	 * @return array
	 */
	private function summary() {
		$arm = static function ( $impressions, $clicks, $low, $high, $uplift = null ) {
			$figures = array(
				'impressions' => $impressions,
				'clicks'      => $clicks,
				'conversions' => 3,
				'ctr'         => $clicks / $impressions,
				'ctr_ci'      => array( $low, $high ),
			);
			if ( $uplift ) {
				$figures['vs_control'] = array( 'ctr' => $uplift );
			}
			return $figures;
		};
		return array(
			'generated_at' => '2026-11-24T01:00:00+00:00',
			'health'       => array(
				'status'  => 'degraded',
				'reasons' => array( 'drift: PSI 0.34 above 0.20 (device)' ),
			),
			'models'       => array(
				'live'    => array(
					'version'     => 'v-live',
					'age_hours'   => 5.5,
					'metrics'     => array( 'ranking' => array( 'ndcg@10' => 0.412 ) ),
					'headline'    => array(
						array(
							'label'         => 'ranking NDCG@10',
							'value'         => 0.412,
							'baseline'      => 0.19,
							'baseline_name' => 'most popular',
						),
					),
					'metric_rows' => array(
						array(
							'label'   => 'churn auc',
							'value'   => 0.8437,
							'integer' => false,
						),
						array(
							'label'   => 'churn n',
							'value'   => 1556,
							'integer' => true,
						),
					),
				),
				'canary'  => null,
				'history' => array(
					array(
						'at'      => '2026-11-24T00:00:00',
						'action'  => 'rollback',
						'version' => 'v-bad',
						'reason'  => 'canary v-bad is worse <b>',
					),
				),
			),
			'experiments'  => array(
				array(
					'experiment' => array(
						'name'   => '<script>alert(1)</script>',
						'status' => 'running',
					),
					'arms'       => array(
						'control' => $arm( 1000, 60, 0.047, 0.077 ),
						'model'   => $arm(
							1000,
							140,
							0.120,
							0.162,
							array(
								'diff' => 0.08,
								'low'  => 0.051,
								'high' => 0.109,
							)
						),
					),
					'verdict'    => 'model beats default on click-through by 8.0 points, 95% CI 5.1 to 10.9',
				),
			),
			'drift'        => array(
				'status'    => 'drift',
				'max_psi'   => 0.34,
				'threshold' => 0.2,
				'features'  => array( 'device' => 0.34 ),
				'scores'    => 0.02,
			),
			'training'     => array(
				'last_at'     => '2026-11-23T03:00:00+00:00',
				'last_reason' => 'schedule',
				'last_result' => 'v-bad serving as canary',
				'next_at'     => '2026-11-24T03:00:00+00:00',
			),
		);
	}

	private function render() {
		ob_start();
		pertinent_render_dashboard_page();
		return (string) ob_get_clean();
	}

	public function test_page_shows_every_section_and_escapes_what_the_sidecar_echoes() {
		$this->stub_answer( 200, $this->summary() );
		$html = $this->render();
		$this->assertStringNotContainsString( '<script>alert', $html );
		$this->assertStringContainsString( '&lt;script&gt;alert(1)&lt;/script&gt;', $html );
		$this->assertStringNotContainsString( 'worse <b>', $html );
		$this->assertSame( 2, substr_count( $html, '<rect' ) );
		$this->assertStringContainsString( 'model beats default on click-through by 8.0 points', $html );
		$this->assertStringContainsString( 'v-live', $html );
		$this->assertStringContainsString( 'drift: PSI 0.34 above 0.20 (device)', $html );
		$this->assertStringContainsString( 'v-bad serving as canary', $html );
	}

	public function test_headline_metrics_come_first_beside_their_baseline_and_counts_read_as_counts() {
		$this->stub_answer( 200, $this->summary() );
		$html = $this->render();
		$this->assertStringContainsString( 'ranking NDCG@10 <strong>0.412</strong> <span class="pertinent-baseline">(most popular: 0.190)</span>', $html );
		$this->assertLessThan( strpos( $html, 'churn auc' ), strpos( $html, 'ranking NDCG@10' ) );
		$this->assertStringContainsString( '<td>churn n</td><td>1,556</td>', $html );
		$this->assertStringContainsString( '<summary>All metrics</summary>', $html );
	}

	public function test_a_failed_training_shows_its_reason_and_when_it_is_retried() {
		$summary             = $this->summary();
		$summary['training'] = array(
			'last_at'     => '2026-11-24T00:50:00+00:00',
			'last_reason' => 'retry 2 after a failed training',
			'last_result' => 'failed: too few visitors read in the validation/test windows (3/1)',
			'next_at'     => '2026-11-24T01:10:00+00:00',
			'failures'    => 2,
			'retry_at'    => '2026-11-24T01:10:00+00:00',
		);
		$this->stub_answer( 200, $summary );
		$html = $this->render();
		$this->assertStringContainsString( 'failed: too few visitors read in the validation/test windows (3/1)', $html );
		$this->assertStringContainsString( 'failed 2 times in a row; retrying at 2026-11-24T01:10:00+00:00', $html );
	}

	public function test_summary_is_fetched_once_then_served_from_the_short_cache() {
		$this->stub_answer( 200, $this->summary() );
		$this->render();
		$this->render();
		$this->assertSame( 1, $this->stub_requests() );
		$this->assertSame( 'GET', $this->stub_last_request()['method'] );
	}

	public function test_unreachable_sidecar_is_said_plainly() {
		$this->configure( array( 'sidecar_url' => 'http://127.0.0.1:' . pertinent_test_free_port() ) );
		$html = $this->render();
		$this->assertStringContainsString( 'could not be reached', $html );
	}
}
