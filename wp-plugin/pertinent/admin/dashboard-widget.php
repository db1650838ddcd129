<?php
/**
 * Dashboard widget: sidecar health, live model version, and the decisions served and fallbacks over the
 * last 24 hours, as the sidecar counted them itself (the `traffic` block of GET /v1/dashboard, shared by
 * all its workers and replicas), so the window is the same whoever looks and survives sidecar restarts.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `wp_dashboard_setup`.
 */
function pertinent_dashboard_setup() {
	if ( current_user_can( 'manage_options' ) ) {
		wp_add_dashboard_widget( 'pertinent_dashboard', __( 'Pertinent personalization', 'pertinent' ), 'pertinent_render_dashboard_widget' );
	}
}

/**
 * The widget.
 */
function pertinent_render_dashboard_widget() {
	$health = pertinent_sidecar_health();
	echo '<p><strong>' . esc_html__( 'Sidecar:', 'pertinent' ) . '</strong> ' . esc_html( $health['status'] );
	if ( '' !== $health['message'] ) {
		echo ' (' . esc_html( $health['message'] ) . ')';
	}
	echo '<br><strong>' . esc_html__( 'Live model:', 'pertinent' ) . '</strong> ' . esc_html( '' !== $health['model_version'] ? $health['model_version'] : __( 'none', 'pertinent' ) ) . '</p>';
	$summary = pertinent_dashboard_data();
	$traffic = ! is_wp_error( $summary ) && isset( $summary['traffic'] ) && is_array( $summary['traffic'] ) ? $summary['traffic'] : null;
	if ( null === $traffic ) {
		echo '<p>' . esc_html__( 'Decision counts unavailable.', 'pertinent' ) . '</p>';
		return;
	}
	$fallbacks = array_sum( array_map( 'intval', isset( $traffic['fallbacks'] ) ? (array) $traffic['fallbacks'] : array() ) );
	echo '<p>' . esc_html(
		sprintf(
			/* translators: 1: decisions, 2: fallbacks, 3: hours. */
			__( '%1$s decisions served, %2$s slots served by a fallback in the last %3$d hours.', 'pertinent' ),
			number_format_i18n( (int) $traffic['decisions'] ),
			number_format_i18n( $fallbacks ),
			(int) $traffic['window_hours']
		)
	) . '</p>';
	if ( ! empty( $traffic['fallbacks'] ) ) {
		$why = array();
		foreach ( (array) $traffic['fallbacks'] as $reason => $count ) {
			$why[] = $reason . ' ' . number_format_i18n( (int) $count );
		}
		/* translators: %s: fallback reasons with their counts (cold_start 12, model_error 1). */
		echo '<p class="description">' . esc_html( sprintf( __( 'Why: %s.', 'pertinent' ), implode( ', ', $why ) ) ) . '</p>';
	}
}
