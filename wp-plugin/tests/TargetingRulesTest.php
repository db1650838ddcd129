<?php
/**
 * Targeting rules against the shipped schema: the sanitizer normalises without changing meaning, invalid
 * rules are refused on every path (REST 400 naming rule and field, the classic box keeps the old rules and
 * says why, direct meta writes), and the rules the issue found live-but-dead are among them.
 *
 * @package Pertinent
 */

// Admin screens are loaded only in wp-admin; these tests call them directly.
require_once ABSPATH . 'wp-admin/includes/template.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
require_once ABSPATH . 'wp-admin/includes/screen.php';
require_once dirname( __DIR__ ) . '/pertinent/admin/meta-box.php';

/**
 * Targeting rules through the sanitizer, REST and the classic meta box.
 *
 * @covers ::pertinent_sanitize_targeting
 * @covers ::pertinent_targeting_problems
 */
class TargetingRulesTest extends PertinentTestCase {

	/**
	 * Rules already stored on the variant a test edits.
	 *
	 * @var array
	 */
	private $old_rules = array(
		array(
			'action' => 'pin',
			'when'   => array( 'utm_campaign' => 'spring' ),
			'slots'  => array( 'hero' ),
		),
	);

	/**
	 * Forgets the form post, the notice and the user.
	 */
	protected function tearDown(): void {
		$_POST = array();
		delete_transient( pertinent_targeting_notice_key() );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * A variant holding $this->old_rules.
	 *
	 * @return int
	 */
	private function variant() {
		$id = $this->make_post(
			array(
				'post_type'  => 'pertinent_variant',
				'post_title' => 'Targeted',
			)
		);
		update_post_meta( $id, 'pertinent_targeting', $this->old_rules );
		$this->assertSame( $this->old_rules, get_post_meta( $id, 'pertinent_targeting', true ) );
		return $id;
	}

	/**
	 * Rules the sidecar's compiler refuses (issue 10), and what the plugin says about each.
	 *
	 * @return array<string,array>
	 */
	public function bad_rules() {
		return array(
			'hours that start and end together' => array( array( 'hours' => array( 5, 5 ) ), 'targeting[0].when.hours', 'must not repeat a value (5 appears twice)' ),
			'a start hour past 23'              => array( array( 'hours' => array( 24, 3 ) ), 'targeting[0].when.hours[0]', 'must be at most 23' ),
			'no days at all'                    => array( array( 'days' => array() ), 'targeting[0].when.days', 'must have at least 1 item' ),
			'a day past Sunday'                 => array( array( 'days' => array( 1, 9 ) ), 'targeting[0].when.days[1]', 'must be at most 6' ),
			'a repeated day'                    => array( array( 'days' => array( 2, '2' ) ), 'targeting[0].when.days', 'must not repeat a value (2 appears twice)' ),
			'one hour only'                     => array( array( 'hours' => array( 5 ) ), 'targeting[0].when.hours', 'must have at least 2 items' ),
			'an unknown condition'              => array( array( 'weather' => 'rain' ), 'targeting[0].when.weather', 'is not allowed here (allowed: utm_source, utm_medium, utm_campaign, referrer_contains, device, segment, role, visit_count_min, visit_count_max, hours, days)' ),
			'a boolean visit count'             => array( array( 'visit_count_min' => true ), 'targeting[0].when.visit_count_min', 'must be of type integer' ),
			'a negative visit count'            => array( array( 'visit_count_max' => '-1' ), 'targeting[0].when.visit_count_max', 'must be at least 0' ),
			'text that is too long'             => array( array( 'device' => str_repeat( 'x', 201 ) ), 'targeting[0].when.device', 'must have at most 200 characters' ),
		);
	}

	/**
	 * Each bad rule is named by its field.
	 *
	 * @dataProvider bad_rules
	 *
	 * @param array  $when    Conditions.
	 * @param string $field   Expected path.
	 * @param string $message Expected message.
	 */
	public function test_bad_rules_are_reported_by_field( $when, $field, $message ) {
		$rules = array(
			array(
				'action' => 'pin',
				'when'   => $when,
			),
		);
		$this->assertSame( array( array( $field, $message ) ), pertinent_targeting_problems( $rules ) );
	}

	/**
	 * Sanitizer normalises form input without changing its meaning.
	 */
	public function test_sanitizer_normalises_form_input_without_changing_its_meaning() {
		$raw = array(
			array(
				'action' => ' PIN ',
				'when'   => array(
					'utm_campaign'    => '  Spring ',
					'device'          => '',
					'visit_count_min' => '2',
					'hours'           => array( '22', '6' ),
					'days'            => array( '0', 6 ),
					'segment'         => null,
				),
				'slots'  => array( 'Hero', ' ' ),
			),
		);
		$this->assertSame(
			array(
				array(
					'action' => 'pin',
					'when'   => array(
						'utm_campaign'    => 'spring',
						'visit_count_min' => 2,
						'hours'           => array( 22, 6 ),
						'days'            => array( 0, 6 ),
					),
					'slots'  => array( 'hero' ),
				),
			),
			pertinent_sanitize_targeting( $raw )
		);
		$this->assertSame( array(), pertinent_targeting_problems( $raw ) );
	}

	/**
	 * Text that looks like a number stays text.
	 */
	public function test_text_that_looks_like_a_number_stays_text() {
		$rules = pertinent_sanitize_targeting( '[{"action":"pin","when":{"utm_campaign":"2024","visit_count_min":" 3 "}}]' );
		$this->assertSame( '2024', $rules[0]['when']['utm_campaign'] );
		$this->assertSame( 3, $rules[0]['when']['visit_count_min'] );
	}

	/**
	 * Sanitizer never turns a bad rule into another rule.
	 */
	public function test_sanitizer_never_turns_a_bad_rule_into_another_rule() {
		// The old sanitizer clamped hours into 0..24, dropped day 9 and kept days []: each a different rule.
		$this->assertSame(
			array( 24, 3 ),
			pertinent_sanitize_targeting(
				array(
					array(
						'action' => 'pin',
						'when'   => array( 'hours' => array( 24, 3 ) ),
					),
				)
			)[0]['when']['hours']
		);
		$this->assertSame(
			array( 1, 9 ),
			pertinent_sanitize_targeting(
				array(
					array(
						'action' => 'pin',
						'when'   => array( 'days' => array( 1, 9 ) ),
					),
				)
			)[0]['when']['days']
		);
		$this->assertSame(
			array(),
			pertinent_sanitize_targeting(
				array(
					array(
						'action' => 'pin',
						'when'   => array( 'days' => array() ),
					),
				)
			)[0]['when']['days']
		);
	}

	/**
	 * Json that does not parse is a problem and empty text means no rules.
	 */
	public function test_json_that_does_not_parse_is_a_problem_and_empty_text_means_no_rules() {
		$this->assertSame( array( array( 'targeting', 'is not valid JSON' ) ), pertinent_targeting_problems( '[{"action":' ) );
		$this->assertSame( array(), pertinent_targeting_problems( '  ' ) );
		$this->assertSame( array(), pertinent_sanitize_targeting( '' ) );
	}

	/**
	 * A rule without action and a second bad rule are named by index.
	 */
	public function test_a_rule_without_action_and_a_second_bad_rule_are_named_by_index() {
		$problems = pertinent_targeting_problems( '[{"action":"pin"},{"when":{}},{"action":"boost"}]' );
		$this->assertSame(
			array(
				array( 'targeting[1].action', 'is required' ),
				array( 'targeting[2].action', 'must be one of: "pin", "exclude"' ),
			),
			$problems
		);
	}

	/**
	 * Direct meta writes of invalid rules are refused and the old rules stay.
	 */
	public function test_direct_meta_writes_of_invalid_rules_are_refused_and_the_old_rules_stay() {
		$id = $this->variant();
		$this->assertFalse(
			update_post_meta(
				$id,
				'pertinent_targeting',
				array(
					array(
						'action' => 'pin',
						'when'   => array( 'hours' => array( 5, 5 ) ),
					),
				)
			)
		);
		$this->assertSame( $this->old_rules, get_post_meta( $id, 'pertinent_targeting', true ) );
		$fresh = $this->make_post(
			array(
				'post_type'  => 'pertinent_variant',
				'post_title' => 'Fresh',
			)
		);
		$this->assertFalse( add_post_meta( $fresh, 'pertinent_targeting', array( array( 'action' => 'boost' ) ) ) );
		$this->assertFalse( metadata_exists( 'post', $fresh, 'pertinent_targeting' ) );
	}

	/**
	 * Rest refuses invalid rules with 400 naming rule and field.
	 */
	public function test_rest_refuses_invalid_rules_with_400_naming_rule_and_field() {
		$id = $this->variant();
		wp_set_current_user( 1 );
		$request = new WP_REST_Request( 'POST', '/wp/v2/pertinent_variant/' . $id );
		$request->set_body_params(
			array(
				'title' => 'Renamed',
				'meta'  => array(
					'pertinent_targeting' => array(
						array( 'action' => 'pin' ),
						array(
							'action' => 'exclude',
							'when'   => array( 'hours' => array( 5, 5 ) ),
						),
					),
				),
			)
		);
		$response                          = rest_do_request( $request );
		$GLOBALS['pertinent_sync_pending'] = array();
		$data                              = $response->get_data();
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'pertinent_invalid_targeting', $data['code'] );
		$this->assertStringContainsString( 'targeting[1].when.hours must not repeat a value', $data['message'] );
		$this->assertSame(
			array(
				array(
					'field'   => 'targeting[1].when.hours',
					'message' => 'must not repeat a value (5 appears twice)',
				),
			),
			$data['data']['details']
		);
		// Nothing of the post was written: neither the rules nor the title.
		$this->assertSame( $this->old_rules, get_post_meta( $id, 'pertinent_targeting', true ) );
		$this->assertSame( 'Targeted', get_post( $id )->post_title );
	}

	/**
	 * Rest saves valid rules normalised and reads them back.
	 */
	public function test_rest_saves_valid_rules_normalised_and_reads_them_back() {
		$id = $this->variant();
		wp_set_current_user( 1 );
		$request = new WP_REST_Request( 'POST', '/wp/v2/pertinent_variant/' . $id );
		$request->set_body_params(
			array(
				'meta' => array(
					'pertinent_targeting' => array(
						array(
							'action' => 'exclude',
							'when'   => array(
								'device' => 'Mobile',
								'days'   => array( 5, 6 ),
								'hours'  => array( '22', 6 ),
							),
							'slots'  => array( 'cta' ),
						),
					),
				),
			)
		);
		$response                          = rest_do_request( $request );
		$GLOBALS['pertinent_sync_pending'] = array();
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$stored = get_post_meta( $id, 'pertinent_targeting', true );
		$this->assertSame(
			array(
				'device' => 'mobile',
				'days'   => array( 5, 6 ),
				'hours'  => array( 22, 6 ),
			),
			$stored[0]['when']
		);
		$this->assertSame( 'exclude', $response->get_data()['meta']['pertinent_targeting'][0]['action'] );
	}

	/**
	 * A null value over REST deletes the rules, as for any registered meta.
	 */
	public function test_rest_null_deletes_the_rules() {
		$id = $this->variant();
		wp_set_current_user( 1 );
		$request = new WP_REST_Request( 'POST', '/wp/v2/pertinent_variant/' . $id );
		$request->set_body_params( array( 'meta' => array( 'pertinent_targeting' => null ) ) );
		$response                          = rest_do_request( $request );
		$GLOBALS['pertinent_sync_pending'] = array();
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertFalse( metadata_exists( 'post', $id, 'pertinent_targeting' ) );
	}

	/**
	 * Classic save keeps the old rules and says what was wrong.
	 */
	public function test_classic_save_keeps_the_old_rules_and_says_what_was_wrong() {
		$id = $this->variant();
		wp_set_current_user( 1 );
		$_POST = array(
			'pertinent_meta_nonce'   => wp_create_nonce( 'pertinent_meta_box' ),
			'pertinent_variant_kind' => 'cta',
			'pertinent_targeting'    => wp_slash( '[{"action":"pin","when":{"days":[]}}]' ),
		);
		pertinent_save_meta_boxes( $id, get_post( $id ) );
		$this->assertSame( $this->old_rules, get_post_meta( $id, 'pertinent_targeting', true ) );
		$this->assertSame( 'cta', get_post_meta( $id, 'pertinent_variant_kind', true ), 'the other fields still save' );

		$GLOBALS['post'] = get_post( $id ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- the edit screen's post, as post.php sets it; unset below.
		set_current_screen( 'pertinent_variant' );
		ob_start();
		pertinent_targeting_admin_notice();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'notice-error', $html );
		$this->assertStringContainsString( 'targeting[0].when.days must have at least 1 item', $html );
		$this->assertStringContainsString( 'The previous rules are kept.', $html );
		$this->assertStringContainsString( esc_html( '"days":[]' ), $html );
		ob_start();
		pertinent_targeting_admin_notice();
		$this->assertSame( '', ob_get_clean(), 'the notice is shown once' );
		unset( $GLOBALS['post'], $GLOBALS['current_screen'] );
	}

	/**
	 * Classic save stores valid rules from the form.
	 */
	public function test_classic_save_stores_valid_rules_from_the_form() {
		$id = $this->variant();
		wp_set_current_user( 1 );
		$_POST = array(
			'pertinent_meta_nonce' => wp_create_nonce( 'pertinent_meta_box' ),
			'pertinent_targeting'  => wp_slash( '[{"action":"exclude","when":{"hours":[22,6],"role":"Subscriber"},"slots":["hero"]}]' ),
		);
		pertinent_save_meta_boxes( $id, get_post( $id ) );
		$stored = get_post_meta( $id, 'pertinent_targeting', true );
		$this->assertSame( 'exclude', $stored[0]['action'] );
		$this->assertSame(
			array(
				'hours' => array( 22, 6 ),
				'role'  => 'subscriber',
			),
			$stored[0]['when']
		);
		$this->assertFalse( get_transient( pertinent_targeting_notice_key() ) );
	}

	/**
	 * The form gets the schema file itself.
	 */
	public function test_the_form_gets_the_schema_file_itself() {
		set_current_screen( 'pertinent_variant' );
		pertinent_enqueue_targeting_form( 'post.php' );
		$before = wp_scripts()->get_data( 'pertinent-targeting-form', 'before' );
		unset( $GLOBALS['current_screen'] );
		$this->assertTrue( wp_script_is( 'pertinent-json-schema', 'enqueued' ) );
		$this->assertIsArray( $before );
		$this->assertStringContainsString( wp_json_encode( pertinent_targeting_schema() ), implode( "\n", $before ) );
		wp_dequeue_script( 'pertinent-targeting-form' );
		wp_dequeue_script( 'pertinent-json-schema' );
		wp_dequeue_style( 'pertinent-targeting-form' );
	}
}
