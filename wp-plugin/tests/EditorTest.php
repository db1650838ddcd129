<?php
/**
 * Editor and settings screens: the classic meta boxes save through the registered sanitizers (with a nonce),
 * the settings page never prints the API key, the block is registered from block.json.
 *
 * @package Pertinent
 */

// The plugin loads its admin screens only in wp-admin (is_admin()); the tests call them directly.
require_once ABSPATH . 'wp-admin/includes/template.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once dirname( __DIR__ ) . '/pertinent/admin/meta-box.php';
require_once dirname( __DIR__ ) . '/pertinent/admin/settings-page.php';

/**
 * @covers ::pertinent_save_meta_boxes
 */
class EditorTest extends PertinentTestCase {

	protected function tearDown(): void {
		$_POST = array();
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	public function test_classic_meta_box_saves_with_a_valid_nonce_only() {
		wp_set_current_user( 1 );
		$id    = $this->make_post( array( 'post_title' => 'Classic' ) );
		$_POST = array(
			'pertinent_meta_nonce' => 'forged',
			'pertinent_topics'     => 'Roses, Tulips',
		);
		pertinent_save_meta_boxes( $id, get_post( $id ) );
		$this->assertSame( array(), (array) get_post_meta( $id, 'pertinent_topics', true ) );

		$_POST['pertinent_meta_nonce'] = wp_create_nonce( 'pertinent_meta_box' );
		pertinent_save_meta_boxes( $id, get_post( $id ) );
		$this->assertSame( array( 'roses', 'tulips' ), get_post_meta( $id, 'pertinent_topics', true ) );
	}

	public function test_variant_box_saves_targeting_json_and_schedule() {
		wp_set_current_user( 1 );
		$id    = $this->make_post(
			array(
				'post_type'  => 'pertinent_variant',
				'post_title' => 'V',
			)
		);
		$_POST = array(
			'pertinent_meta_nonce'   => wp_create_nonce( 'pertinent_meta_box' ),
			'pertinent_variant_kind' => 'cta',
			'pertinent_slots'        => 'Hero, sidebar',
			'pertinent_starts_at'    => '2030-05-01T10:00',
			'pertinent_targeting'    => wp_slash( '[{"action":"pin","when":{"device":"mobile"}}]' ),
		);
		pertinent_save_meta_boxes( $id, get_post( $id ) );
		$this->assertSame( 'cta', get_post_meta( $id, 'pertinent_variant_kind', true ) );
		$this->assertSame( array( 'hero', 'sidebar' ), get_post_meta( $id, 'pertinent_slots', true ) );
		$this->assertStringStartsWith( '2030-05-01T', get_post_meta( $id, 'pertinent_starts_at', true ) );
		$this->assertSame( array( 'device' => 'mobile' ), get_post_meta( $id, 'pertinent_targeting', true )[0]['when'] );
	}

	public function test_settings_page_never_prints_the_api_key() {
		$this->configure( array( 'api_key' => 'super-secret-server-key-9876' ) );
		wp_set_current_user( 1 );
		pertinent_admin_settings_fields();
		ob_start();
		pertinent_render_settings_page();
		$html = ob_get_clean();
		$this->assertStringNotContainsString( 'super-secret-server-key', $html );
		$this->assertStringContainsString( '9876', $html );
		$this->assertStringContainsString( 'pertinent_test_connection', $html );
	}

	public function test_settings_page_needs_manage_options() {
		wp_set_current_user( 0 );
		ob_start();
		pertinent_render_settings_page();
		$this->assertSame( '', ob_get_clean() );
	}

	public function test_block_is_registered_from_block_json_with_a_server_render() {
		$block = WP_Block_Type_Registry::get_instance()->get_registered( 'pertinent/slot' );
		$this->assertNotNull( $block );
		// apiVersion 3 is a WordPress 6.3 feature; 2 is what the declared minimum (6.1) understands.
		$this->assertSame( 2, $block->api_version );
		$this->assertSame( 'pertinent_render_slot_block', $block->render_callback );
		$this->assertSame( array( 'banner', 'cta', 'recommendations', 'read_next' ), $block->attributes['kind']['enum'] );
	}
}
