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
	foreach ( array(
		'banner' => __( 'Banner', 'pertinent' ),
		'cta'    => __( 'Call to action', 'pertinent' ),
	) as $value => $label ) {
		echo '<option value="' . esc_attr( $value ) . '"' . selected( $kind, $value, false ) . '>' . esc_html( $label ) . '</option>';
	}
	echo '</select></p>';
	echo '<p><label for="pertinent_slots">' . esc_html__( 'Slots it may fill (comma-separated; empty = any)', 'pertinent' ) . '</label><input type="text" class="widefat" id="pertinent_slots" name="pertinent_slots" value="' . esc_attr( $slots ) . '"></p>';
	foreach ( array(
		'pertinent_starts_at' => __( 'Starts', 'pertinent' ),
		'pertinent_ends_at'   => __( 'Ends', 'pertinent' ),
	) as $key => $label ) {
		$value = (string) get_post_meta( $post->ID, $key, true );
		$local = '' !== $value ? wp_date( 'Y-m-d\TH:i', strtotime( $value ) ) : '';
		echo '<p><label for="' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label> <input type="datetime-local" id="' . esc_attr( $key ) . '" name="' . esc_attr( $key ) . '" value="' . esc_attr( $local ) . '"></p>';
	}
	pertinent_render_targeting_form( $targeting );
}

/**
 * The targeting part of the variant box: a form built by assets/js/targeting-form.js from the rules below
 * (rule by rule: action, slots, conditions), validated in the browser with the same schema file as on save.
 * The JSON under "Advanced" is what is submitted; without JavaScript it is the editor itself.
 *
 * @param mixed $targeting Stored rules.
 */
function pertinent_render_targeting_form( $targeting ) {
	$json = wp_json_encode( $targeting ? $targeting : array(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	echo '<fieldset class="pertinent-targeting"><legend><strong>' . esc_html__( 'Targeting rules', 'pertinent' ) . '</strong></legend>';
	echo '<p class="description">' . esc_html__( 'Pin this variant (always show it) or exclude it (never show it) when every condition of a rule holds. No rules: the model decides.', 'pertinent' ) . '</p>';
	echo '<div id="pertinent-targeting-form" class="pertinent-targeting__rules"></div>';
	echo '<div id="pertinent-targeting-problems" class="pertinent-targeting__problems" role="alert" aria-live="polite"></div>';
	echo '<details class="pertinent-targeting__advanced"><summary>' . esc_html__( 'Advanced: edit as JSON', 'pertinent' ) . '</summary>';
	echo '<p><label for="pertinent_targeting">' . esc_html__( 'Targeting rules (JSON)', 'pertinent' ) . '</label>';
	echo '<textarea class="widefat code" rows="8" id="pertinent_targeting" name="pertinent_targeting">' . esc_textarea( (string) $json ) . '</textarea></p>';
	echo '</details></fieldset>';
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
		if ( 'pertinent_targeting' === $key && isset( $_POST[ $key ] ) ) {
			pertinent_save_targeting_field( $post_id, wp_unslash( $_POST[ $key ] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- normalised and validated against the schema there.
		} elseif ( isset( $_POST[ $key ] ) ) {
			// Each key's registered sanitize callback runs inside update_post_meta.
			update_post_meta( $post_id, $key, wp_unslash( $_POST[ $key ] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- sanitized by the registered meta's sanitize_callback.
		}
	}
}

/**
 * Saves the classic box's rules, or keeps the stored ones and remembers why for the next screen's notice.
 *
 * @param int   $post_id Variant.
 * @param mixed $raw     Submitted rules (JSON text).
 */
function pertinent_save_targeting_field( $post_id, $raw ) {
	$problems = pertinent_targeting_problems( $raw );
	if ( ! $problems ) {
		update_post_meta( $post_id, 'pertinent_targeting', $raw );
		return;
	}
	set_transient(
		pertinent_targeting_notice_key(),
		array(
			'post'     => (int) $post_id,
			'message'  => pertinent_targeting_problems_text( $problems ),
			'rejected' => is_string( $raw ) ? $raw : wp_json_encode( $raw ),
		),
		10 * MINUTE_IN_SECONDS
	);
}

/**
 * The transient holding the current user's last refused targeting save.
 *
 * @return string
 */
function pertinent_targeting_notice_key() {
	return 'pertinent_targeting_refused_' . get_current_user_id();
}

/**
 * `admin_notices`: on the variant's screen, says why its rules were not saved (once), with what was sent.
 */
function pertinent_targeting_admin_notice() {
	$notice = get_transient( pertinent_targeting_notice_key() );
	$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
	$post   = get_post();
	if ( ! is_array( $notice ) || ! $screen || PERTINENT_VARIANT_TYPE !== $screen->post_type || ! $post || (int) $post->ID !== $notice['post'] ) {
		return;
	}
	delete_transient( pertinent_targeting_notice_key() );
	echo '<div class="notice notice-error pertinent-targeting-notice"><p>' . esc_html( $notice['message'] ) . ' ' . esc_html__( 'The previous rules are kept.', 'pertinent' ) . '</p>';
	echo '<details><summary>' . esc_html__( 'What was sent', 'pertinent' ) . '</summary><pre>' . esc_html( $notice['rejected'] ) . '</pre></details></div>';
}

/**
 * `admin_enqueue_scripts`: the rule form and its validator on a variant's edit screen, with the schema file
 * itself (the browser checks rules against the same definition as the server).
 *
 * @param string $hook_suffix Admin page.
 */
function pertinent_enqueue_targeting_form( $hook_suffix ) {
	$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
	if ( ! in_array( $hook_suffix, array( 'post.php', 'post-new.php' ), true ) || ! $screen || PERTINENT_VARIANT_TYPE !== $screen->post_type ) {
		return;
	}
	wp_enqueue_style( 'pertinent-targeting-form', plugins_url( 'assets/css/targeting-form.css', PERTINENT_FILE ), array(), PERTINENT_VERSION );
	wp_enqueue_script( 'pertinent-json-schema', plugins_url( 'assets/js/json-schema.js', PERTINENT_FILE ), array(), PERTINENT_VERSION, true );
	wp_enqueue_script( 'pertinent-targeting-form', plugins_url( 'assets/js/targeting-form.js', PERTINENT_FILE ), array( 'pertinent-json-schema', 'wp-i18n' ), PERTINENT_VERSION, true );
	wp_add_inline_script(
		'pertinent-targeting-form',
		'window.pertinentTargeting = ' . wp_json_encode(
			array(
				'schema'     => pertinent_targeting_schema(),
				'conditions' => pertinent_targeting_condition_labels(),
			)
		) . ';',
		'before'
	);
	wp_set_script_translations( 'pertinent-targeting-form', 'pertinent', PERTINENT_DIR . '/languages' );
}

/**
 * Human names for the conditions the schema defines (the schema says which exist and what they accept;
 * this only labels them). A condition without a label here still appears, under its key.
 *
 * @return array<string,string>
 */
function pertinent_targeting_condition_labels() {
	return array(
		'utm_campaign'      => __( 'UTM campaign is', 'pertinent' ),
		'utm_source'        => __( 'UTM source is', 'pertinent' ),
		'utm_medium'        => __( 'UTM medium is', 'pertinent' ),
		'referrer_contains' => __( 'Referrer contains', 'pertinent' ),
		'device'            => __( 'Device is', 'pertinent' ),
		'segment'           => __( 'Segment is', 'pertinent' ),
		'role'              => __( 'User role is', 'pertinent' ),
		'visit_count_min'   => __( 'Visits at least', 'pertinent' ),
		'visit_count_max'   => __( 'Visits at most', 'pertinent' ),
		'hours'             => __( 'Time of day (UTC)', 'pertinent' ),
		'days'              => __( 'Days of the week', 'pertinent' ),
	);
}
