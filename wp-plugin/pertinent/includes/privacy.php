<?php
/**
 * WordPress privacy tools: a personal-data exporter and eraser that ask the sidecar about the visitor ids
 * linked to a user (linked at login, never on a page view), and suggested privacy-policy text.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'PERTINENT_USER_VISITORS', 'pertinent_visitor_ids' );

/**
 * `wp_login`: links the browser's visitor id to the user, so export and erase can find it.
 *
 * @param string  $login User login.
 * @param WP_User $user  User.
 */
function pertinent_link_visitor_on_login( $login, $user ) {
	$visitor = pertinent_visitor_id();
	if ( '' === $visitor || ! $user instanceof WP_User ) {
		return;
	}
	$ids = pertinent_user_visitor_ids( $user->ID );
	if ( ! in_array( $visitor, $ids, true ) ) {
		$ids[] = $visitor;
		update_user_meta( $user->ID, PERTINENT_USER_VISITORS, array_slice( $ids, -20 ) );
	}
}

/**
 * Visitor ids linked to a user.
 *
 * @param int $user_id User.
 * @return string[]
 */
function pertinent_user_visitor_ids( $user_id ) {
	$ids = get_user_meta( $user_id, PERTINENT_USER_VISITORS, true );
	return is_array( $ids ) ? array_values( array_filter( array_map( 'pertinent_clean_visitor_id', $ids ) ) ) : array();
}

/**
 * `wp_privacy_personal_data_exporters`.
 *
 * @param array $exporters Exporters.
 * @return array
 */
function pertinent_register_exporter( $exporters ) {
	$exporters['pertinent'] = array(
		'exporter_friendly_name' => __( 'Pertinent personalization', 'pertinent' ),
		'callback'               => 'pertinent_privacy_export',
	);
	return $exporters;
}

/**
 * `wp_privacy_personal_data_erasers`.
 *
 * @param array $erasers Erasers.
 * @return array
 */
function pertinent_register_eraser( $erasers ) {
	$erasers['pertinent'] = array(
		'eraser_friendly_name' => __( 'Pertinent personalization', 'pertinent' ),
		'callback'             => 'pertinent_privacy_erase',
	);
	return $erasers;
}

/**
 * Exports what the sidecar holds about the user's visitor ids. WordPress also passes a page number: a user
 * has a handful of visitor ids, so the first page holds everything and says done.
 *
 * @param string $email User email.
 * @return array{data:array,done:bool}
 */
function pertinent_privacy_export( $email ) {
	$user = get_user_by( 'email', $email );
	$data = array();
	foreach ( $user ? pertinent_user_visitor_ids( $user->ID ) : array() as $visitor ) {
		$result = pertinent_sidecar_request(
			'GET',
			'/v1/visitors/' . rawurlencode( $visitor ),
			null,
			array(
				'breaker'    => false,
				'timeout_ms' => 5000,
			)
		);
		$fields = array(
			array(
				'name'  => __( 'Visitor id', 'pertinent' ),
				'value' => $visitor,
			),
		);
		if ( ! is_wp_error( $result ) && is_array( $result['body'] ) ) {
			$fields[] = array(
				'name'  => __( 'Data held by the personalization service', 'pertinent' ),
				'value' => wp_json_encode( $result['body'], JSON_PRETTY_PRINT ),
			);
		}
		$data[] = array(
			'group_id'    => 'pertinent',
			'group_label' => __( 'Personalization', 'pertinent' ),
			'item_id'     => 'pertinent-' . $visitor,
			'data'        => $fields,
		);
	}
	return array(
		'data' => $data,
		'done' => true,
	);
}

/**
 * Erases the user's visitor data on the sidecar, then the link itself (in one page, as the export).
 *
 * @param string $email User email.
 * @return array{items_removed:bool,items_retained:bool,messages:array,done:bool}
 */
function pertinent_privacy_erase( $email ) {
	$user     = get_user_by( 'email', $email );
	$removed  = false;
	$retained = false;
	$messages = array();
	foreach ( $user ? pertinent_user_visitor_ids( $user->ID ) : array() as $visitor ) {
		$result = pertinent_sidecar_request(
			'DELETE',
			'/v1/visitors/' . rawurlencode( $visitor ),
			null,
			array(
				'breaker'    => false,
				'timeout_ms' => 5000,
			)
		);
		if ( ! is_wp_error( $result ) || pertinent_sidecar_not_found( $result ) ) {
			$removed = true;
		} else {
			$retained   = true;
			$messages[] = sprintf(
				/* translators: %s: error message. */
				__( 'The personalization service could not erase a visitor: %s', 'pertinent' ),
				$result->get_error_message()
			);
		}
	}
	if ( $user && ! $retained ) {
		delete_user_meta( $user->ID, PERTINENT_USER_VISITORS );
	}
	return array(
		'items_removed'  => $removed,
		'items_retained' => $retained,
		'messages'       => $messages,
		'done'           => true,
	);
}

/**
 * `admin_init`: suggested privacy-policy text.
 */
function pertinent_privacy_policy_content() {
	if ( ! function_exists( 'wp_add_privacy_policy_content' ) ) {
		return;
	}
	$text = '<p>' . __( 'This site personalizes some banners, calls-to-action and recommended articles. To do so it stores a random visitor identifier in a first-party cookie (pertinent_vid) and records which content you view and click, together with your device type and the page that referred you. It does not store your IP address. The data is kept by the site\'s own personalization service and deleted after the configured retention period.', 'pertinent' ) . '</p>'
		. '<p>' . __( 'Where the site asks for consent, nothing is recorded before you give it; when Do-Not-Track or Global Privacy Control is honoured, a browser sending them is not tracked. You can ask for an export or erasure of this data through the site\'s privacy request form.', 'pertinent' ) . '</p>';
	wp_add_privacy_policy_content( 'Pertinent', wp_kses_post( $text ) );
}
