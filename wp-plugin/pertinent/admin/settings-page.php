<?php
/**
 * Settings > Pertinent: the Settings API form (fields locked by wp-config.php constants are shown read-only),
 * the Test connection button and the bulk catalog sync with its progress.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `admin_menu`.
 */
function pertinent_admin_menu() {
	add_options_page( __( 'Pertinent', 'pertinent' ), __( 'Pertinent', 'pertinent' ), 'manage_options', 'pertinent', 'pertinent_render_settings_page' );
}

/**
 * Settings link on the Plugins screen.
 *
 * @param array $links Links.
 * @return array
 */
function pertinent_plugin_action_links( $links ) {
	array_unshift( $links, '<a href="' . esc_url( admin_url( 'options-general.php?page=pertinent' ) ) . '">' . esc_html__( 'Settings', 'pertinent' ) . '</a>' );
	return $links;
}

/**
 * `admin_init`: sections and fields.
 */
function pertinent_admin_settings_fields() {
	add_settings_section( 'pertinent_sidecar', __( 'Sidecar', 'pertinent' ), '__return_false', 'pertinent' );
	add_settings_section( 'pertinent_behaviour', __( 'Rendering and privacy', 'pertinent' ), '__return_false', 'pertinent' );
	$fields = array(
		'sidecar_url'       => array( __( 'Sidecar URL', 'pertinent' ), 'pertinent_sidecar' ),
		'api_key'           => array( __( 'Server API key', 'pertinent' ), 'pertinent_sidecar' ),
		'public_key'        => array( __( 'Public site key', 'pertinent' ), 'pertinent_sidecar' ),
		'timeout_ms'        => array( __( 'Timeout (ms)', 'pertinent' ), 'pertinent_sidecar' ),
		'breaker_threshold' => array( __( 'Failures before pausing calls', 'pertinent' ), 'pertinent_sidecar' ),
		'breaker_cooldown'  => array( __( 'Pause length (seconds)', 'pertinent' ), 'pertinent_sidecar' ),
		'render_mode'       => array( __( 'Render mode', 'pertinent' ), 'pertinent_behaviour' ),
		'consent_mode'      => array( __( 'Consent', 'pertinent' ), 'pertinent_behaviour' ),
		'post_types'        => array( __( 'Synced content types', 'pertinent' ), 'pertinent_behaviour' ),
	);
	foreach ( $fields as $key => $field ) {
		add_settings_field(
			'pertinent_' . $key,
			$field[0],
			'pertinent_render_field',
			'pertinent',
			$field[1],
			array(
				'key'       => $key,
				'label_for' => 'pertinent_' . $key,
			)
		);
	}
}

/**
 * One field (read-only with a note when a constant fixes it).
 *
 * @param array $args Field args (key).
 */
function pertinent_render_field( $args ) {
	$key      = $args['key'];
	$value    = pertinent_setting( $key );
	$locked   = pertinent_setting_locked( $key );
	$name     = 'pertinent_settings[' . $key . ']';
	$id       = 'pertinent_' . $key;
	$disabled = $locked ? ' disabled' : '';
	switch ( $key ) {
		case 'api_key':
			$hint = '' !== $value ? sprintf( '•••• %s', substr( $value, -4 ) ) : __( 'not set', 'pertinent' );
			echo '<input type="password" autocomplete="new-password" class="regular-text" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value=""' . esc_attr( $disabled ) . '>';
			echo '<input type="hidden" name="pertinent_settings[api_key_keep]" value="1">';
			echo '<p class="description">' . esc_html( sprintf( /* translators: %s: the key's last characters. */ __( 'Stored key: %s. Leave empty to keep it.', 'pertinent' ), $hint ) ) . '</p>';
			break;
		case 'render_mode':
		case 'consent_mode':
			$choices = 'render_mode' === $key
				? array(
					'auto'    => __( 'Auto: browser when a page cache is detected, else server', 'pertinent' ),
					'server'  => __( 'Server: decide while the page renders', 'pertinent' ),
					'browser' => __( 'Browser: cached HTML keeps defaults, the snippet personalizes', 'pertinent' ),
				)
				: array(
					'none'    => __( 'No consent required', 'pertinent' ),
					'require' => __( 'Require consent (cookie pertinent_consent=1 or the WP Consent API)', 'pertinent' ),
					'dnt'     => __( 'Honour Do-Not-Track and Global Privacy Control', 'pertinent' ),
				);
			echo '<select id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '"' . esc_attr( $disabled ) . '>';
			foreach ( $choices as $choice => $label ) {
				echo '<option value="' . esc_attr( $choice ) . '"' . selected( $value, $choice, false ) . '>' . esc_html( $label ) . '</option>';
			}
			echo '</select>';
			break;
		case 'post_types':
			foreach ( get_post_types( array( 'public' => true ), 'objects' ) as $type ) {
				if ( 'attachment' === $type->name ) {
					continue;
				}
				echo '<label><input type="checkbox" name="' . esc_attr( $name ) . '[]" value="' . esc_attr( $type->name ) . '"' . checked( in_array( $type->name, (array) $value, true ), true, false ) . '> ' . esc_html( $type->labels->name ) . '</label><br>';
			}
			break;
		default:
			$type = in_array( $key, array( 'timeout_ms', 'breaker_threshold', 'breaker_cooldown' ), true ) ? 'number' : ( 'sidecar_url' === $key ? 'url' : 'text' );
			echo '<input type="' . esc_attr( $type ) . '" class="regular-text" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( (string) $value ) . '"' . esc_attr( $disabled ) . '>';
	}
	if ( $locked ) {
		$constants = pertinent_settings_constants();
		// A disabled field is not submitted: keep its stored value through a hidden copy.
		if ( 'api_key' !== $key ) {
			echo '<input type="hidden" name="' . esc_attr( $name ) . '" value="' . esc_attr( (string) $value ) . '">';
		}
		echo '<p class="description">' . esc_html( sprintf( /* translators: %s: constant name. */ __( 'Locked by %s in wp-config.php.', 'pertinent' ), $constants[ $key ] ) ) . '</p>';
	}
}

/**
 * The settings page.
 */
function pertinent_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$health = get_transient( 'pertinent_test_connection_' . get_current_user_id() );
	$bulk   = pertinent_bulk_sync_state();
	$queue  = pertinent_sync_queue();
	echo '<div class="wrap"><h1>' . esc_html__( 'Pertinent', 'pertinent' ) . '</h1>';
	if ( is_array( $health ) ) {
		delete_transient( 'pertinent_test_connection_' . get_current_user_id() );
		$problem = isset( $health['problem'] ) ? $health['problem'] : '';
		$class   = $health['ok'] ? 'notice-success' : ( 'model' === $problem ? 'notice-warning' : 'notice-error' );
		echo '<div class="notice ' . esc_attr( $class ) . '" data-problem="' . esc_attr( $problem ) . '">';
		if ( '' !== $health['message'] ) {
			echo '<p><strong>' . esc_html( $health['message'] ) . '</strong></p>';
		}
		echo '<p>' . esc_html( sprintf( /* translators: 1: status, 2: model version. */ __( 'Sidecar status: %1$s. Live model: %2$s.', 'pertinent' ), $health['status'], '' !== $health['model_version'] ? $health['model_version'] : __( 'none', 'pertinent' ) ) );
		if ( $health['reasons'] ) {
			echo ' ' . esc_html( implode( '; ', $health['reasons'] ) );
		}
		echo '</p></div>';
	}
	echo '<form method="post" action="options.php">';
	settings_fields( 'pertinent' );
	do_settings_sections( 'pertinent' );
	submit_button();
	echo '</form>';

	echo '<h2>' . esc_html__( 'Connection and catalog', 'pertinent' ) . '</h2>';
	echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" style="display:inline-block;margin-right:1em">';
	wp_nonce_field( 'pertinent_test_connection' );
	echo '<input type="hidden" name="action" value="pertinent_test_connection">';
	submit_button( __( 'Test connection', 'pertinent' ), 'secondary', 'submit', false );
	echo '</form>';
	echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" style="display:inline-block">';
	wp_nonce_field( 'pertinent_bulk_sync' );
	echo '<input type="hidden" name="action" value="pertinent_bulk_sync">';
	submit_button( __( 'Sync all content now', 'pertinent' ), 'secondary', 'submit', false );
	echo '</form>';
	echo '<p>' . esc_html( sprintf( /* translators: 1: state, 2: done, 3: total. */ __( 'Bulk sync: %1$s, %2$d of %3$d items sent.', 'pertinent' ), $bulk['status'], $bulk['done'], $bulk['total'] ) );
	if ( '' !== $bulk['error'] ) {
		echo ' ' . esc_html( sprintf( /* translators: %s: error. */ __( 'Last error: %s (retrying).', 'pertinent' ), $bulk['error'] ) );
	}
	echo '</p><p>' . esc_html( sprintf( /* translators: %d: queued items. */ _n( '%d change waiting for retry.', '%d changes waiting for retry.', count( $queue ), 'pertinent' ), count( $queue ) ) ) . '</p>';
	echo '</div>';
}

/**
 * Handles admin-post `pertinent_test_connection`: checks URL, key and model (pertinent_connection_check)
 * and shows the result after the redirect.
 */
function pertinent_admin_test_connection() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You are not allowed to do this.', 'pertinent' ), 403 );
	}
	check_admin_referer( 'pertinent_test_connection' );
	$health = pertinent_connection_check();
	if ( $health['ok'] ) {
		pertinent_breaker_reset();
	}
	set_transient( 'pertinent_test_connection_' . get_current_user_id(), $health, 60 );
	wp_safe_redirect( admin_url( 'options-general.php?page=pertinent' ) );
	exit;
}

/**
 * Handles admin-post `pertinent_bulk_sync`: restarts the bulk sync and sends the first batch at once.
 */
function pertinent_admin_bulk_sync() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You are not allowed to do this.', 'pertinent' ), 403 );
	}
	check_admin_referer( 'pertinent_bulk_sync' );
	pertinent_bulk_sync_start();
	pertinent_bulk_sync_batch();
	wp_safe_redirect( admin_url( 'options-general.php?page=pertinent' ) );
	exit;
}
