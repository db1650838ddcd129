<?php
/**
 * Editor UI: the block editor panel (assets/js/editor-panel.js, no build step) and classic meta boxes for
 * personalization metadata and for a variant's kind, slots, schedule and targeting.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `enqueue_block_editor_assets`: the document-settings panel bound to the registered meta.
 */
function pertinent_enqueue_editor_panel() {
	wp_enqueue_script(
		'pertinent-editor-panel',
		plugins_url( 'assets/js/editor-panel.js', PERTINENT_FILE ),
		array( 'wp-plugins', 'wp-edit-post', 'wp-element', 'wp-components', 'wp-data', 'wp-i18n' ),
		PERTINENT_VERSION,
		true
	);
	$fields = array();
	foreach ( pertinent_meta_fields() as $key => $field ) {
		$fields[] = array(
			'key'         => $key,
			'label'       => $field['label'],
			'suggestions' => $field['suggestions'],
		);
	}
	wp_localize_script( 'pertinent-editor-panel', 'pertinentEditor', array( 'fields' => $fields ) );
	wp_set_script_translations( 'pertinent-editor-panel', 'pertinent', PERTINENT_DIR . '/languages' );
}

/**
 * `add_meta_boxes`: classic boxes (shown in the block editor's meta box area too).
 *
 * @param string  $post_type Post type.
 * @param WP_Post $post      Post.
 */
function pertinent_add_meta_boxes( $post_type, $post ) {
	if ( PERTINENT_VARIANT_TYPE === $post_type ) {
		add_meta_box( 'pertinent_variant', __( 'Variant targeting', 'pertinent' ), 'pertinent_render_variant_box', $post_type, 'normal' );
		return;
	}
	if ( in_array( $post_type, pertinent_synced_post_types(), true ) && ! use_block_editor_for_post( $post ) ) {
		add_meta_box( 'pertinent_meta', __( 'Personalization', 'pertinent' ), 'pertinent_render_meta_box', $post_type, 'side' );
	}
}

/**
 * Classic meta box: comma-separated tags per field.
 *
 * @param WP_Post $post Post.
 */
function pertinent_render_meta_box( $post ) {
	wp_nonce_field( 'pertinent_meta_box', 'pertinent_meta_nonce' );
	foreach ( pertinent_meta_fields() as $key => $field ) {
		$value = implode( ', ', pertinent_sanitize_terms( get_post_meta( $post->ID, $key, true ) ) );
		echo '<p><label for="' . esc_attr( $key ) . '">' . esc_html( $field['label'] ) . '</label><br>';
		echo '<input type="text" class="widefat" id="' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="' . esc_attr( $value ) . '"';
		if ( $field['suggestions'] ) {
			echo ' placeholder="' . esc_attr( implode( ', ', $field['suggestions'] ) ) . '"';
		}
		echo '></p>';
	}
}

/**
 * Variant box: kind, slots, schedule, targeting (JSON rules, validated on save).
 *
 * @param WP_Post $post Variant.
 */
function pertinent_render_variant_box( $post ) {
	wp_nonce_field( 'pertinent_meta_box', 'pertinent_meta_nonce' );
	$kind      = get_post_meta( $post->ID, 'pertinent_variant_kind', true );
	$slots     = implode( ', ', (array) get_post_meta( $post->ID, 'pertinent_slots', true ) );
	$targeting = get_post_meta( $post->ID, 'pertinent_targeting', true );
	echo '<p><label for="pertinent_variant_kind">' . esc_html__( 'Kind', 'pertinent' ) . '</label> <select id="pertinent_variant_kind" name="pertinent_variant_kind">';
	foreach ( array( 'banner' => __( 'Banner', 'pertinent' ), 'cta' => __( 'Call to action', 'pertinent' ) ) as $value => $label ) {
		echo '<option value="' . esc_attr( $value ) . '"' . selected( $kind, $value, false ) . '>' . esc_html( $label ) . '</option>';
	}
	echo '</select></p>';
	echo '<p><label for="pertinent_slots">' . esc_html__( 'Slots it may fill (comma-separated; empty = any)', 'pertinent' ) . '</label><input type="text" class="widefat" id="pertinent_slots" name="pertinent_slots" value="' . esc_attr( $slots ) . '"></p>';
	foreach ( array( 'pertinent_starts_at' => __( 'Starts', 'pertinent' ), 'pertinent_ends_at' => __( 'Ends', 'pertinent' ) ) as $key => $label ) {
		$value = (string) get_post_meta( $post->ID, $key, true );
		$local = '' !== $value ? wp_date( 'Y-m-d\TH:i', strtotime( $value ) ) : '';
		echo '<p><label for="' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label> <input type="datetime-local" id="' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="' . esc_attr( $local ) . '"></p>';
	}
	echo '<p><label for="pertinent_targeting">' . esc_html__( 'Targeting rules (JSON)', 'pertinent' ) . '</label>';
	echo '<textarea class="widefat code" rows="5" id="pertinent_targeting" name="pertinent_targeting">' . esc_textarea( $targeting ? wp_json_encode( $targeting, JSON_PRETTY_PRINT ) : '' ) . '</textarea>';
	echo '<span class="description">' . esc_html__( 'Example: [{"action": "pin", "when": {"utm_campaign": "spring"}, "slots": ["hero"]}]', 'pertinent' ) . '</span></p>';
}

/**
 * `save_post`: saves the classic boxes (nonce and capability checked).
 *
 * @param int     $post_id Post.
 * @param WP_Post $post    Post.
 */
function pertinent_save_meta_boxes( $post_id, $post ) {
	if ( ! isset( $_POST['pertinent_meta_nonce'] ) || ! wp_verify_nonce( sanitize_key( $_POST['pertinent_meta_nonce'] ), 'pertinent_meta_box' ) ) {
		return;
	}
	if ( ( defined( 'DOING_AUTOSAVE' ) && DOING_AUTOSAVE ) || ! current_user_can( 'edit_post', $post_id ) ) {
		return;
	}
	$keys = PERTINENT_VARIANT_TYPE === $post->post_type
		? array( 'pertinent_variant_kind', 'pertinent_slots', 'pertinent_starts_at', 'pertinent_ends_at', 'pertinent_targeting' )
		: array_keys( pertinent_meta_fields() );
	foreach ( $keys as $key ) {
		if ( isset( $_POST[ $key ] ) ) {
			// Each key's registered sanitize callback runs inside update_post_meta.
			update_post_meta( $post_id, $key, wp_unslash( $_POST[ $key ] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- sanitized by the registered meta's sanitize_callback.
		}
	}
}
