<?php
/**
 * Dashboard widget: sidecar health, live model version, and decisions served / fallbacks in the last 24 hours,
 * computed from the sidecar's Prometheus counters (cumulative since it started) as the difference with a
 * snapshot taken about a day earlier. Snapshots are written only when an admin views the dashboard.
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
 * Totals from the sidecar's Prometheus text: slot decisions (`pertinent_slot_decisions_total`, any source)
 * and fallbacks to the default content (the samples of that counter with source="default").
 *
 * @param string $text Prometheus exposition text.
 * @return array{decisions:float,fallbacks:float}
 */
function pertinent_parse_metrics( $text ) {
	$totals = array(
		'decisions' => 0.0,
		'fallbacks' => 0.0,
	);
	foreach ( preg_split( '/\r?\n/', (string) $text ) as $line ) {
		if ( ! preg_match( '/^pertinent_slot_decisions_total(\{[^}]*\})?\s+([0-9.eE+\-]+)/', $line, $m ) ) {
			continue;
		}
		$value                = (float) $m[2];
		$totals['decisions'] += $value;
		if ( false !== strpos( $m[1], 'source="default"' ) ) {
			$totals['fallbacks'] += $value;
		}
	}
	return $totals;
}

/**
 * Decisions and fallbacks over the last ~24 h (or since the oldest snapshot when younger).
 *
 * @param array{decisions:float,fallbacks:float} $now Current totals.
 * @return array{decisions:float,fallbacks:float,since:int}
 */
function pertinent_metrics_window( $now ) {
	$snapshots = get_option( 'pertinent_metrics_snapshots', array() );
	$snapshots = is_array( $snapshots ) ? $snapshots : array();
	$time      = time();
	$last      = $snapshots ? end( $snapshots ) : null;
	if ( ! $last || $time - $last['t'] >= HOUR_IN_SECONDS ) {
		$snapshots[] = array( 't' => $time ) + $now;
		$snapshots   = array_values(
			array_filter(
				$snapshots,
				static function ( $s ) use ( $time ) {
					return $s['t'] >= $time - 2 * DAY_IN_SECONDS;
				}
			)
		);
		update_option( 'pertinent_metrics_snapshots', $snapshots, false );
	}
	$base = null;
	foreach ( $snapshots as $snapshot ) {
		if ( $snapshot['t'] <= $time - DAY_IN_SECONDS || null === $base ) {
			$base = $snapshot;
		}
	}
	// Counters reset when the sidecar restarts: a negative difference means "since the restart".
	$decisions = $now['decisions'] - $base['decisions'];
	$fallbacks = $now['fallbacks'] - $base['fallbacks'];
	return array(
		'decisions' => $decisions < 0 ? $now['decisions'] : $decisions,
		'fallbacks' => $fallbacks < 0 ? $now['fallbacks'] : $fallbacks,
		'since'     => (int) $base['t'],
	);
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
	$metrics = pertinent_sidecar_request(
		'GET',
		'/metrics',
		null,
		array(
			'breaker'    => false,
			'timeout_ms' => 2000,
			'cache'      => 'transient',
			'cache_ttl'  => 300,
		)
	);
	if ( is_wp_error( $metrics ) ) {
		echo '<p>' . esc_html__( 'Metrics unavailable.', 'pertinent' ) . '</p>';
		return;
	}
	$window = pertinent_metrics_window( pertinent_parse_metrics( $metrics['raw'] ) );
	$hours  = max( 1, (int) round( ( time() - $window['since'] ) / HOUR_IN_SECONDS ) );
	echo '<p>' . esc_html(
		sprintf(
			/* translators: 1: decisions, 2: fallbacks, 3: hours. */
			__( '%1$s decisions served, %2$s fallbacks to default content in the last %3$d hours.', 'pertinent' ),
			number_format_i18n( $window['decisions'] ),
			number_format_i18n( $window['fallbacks'] ),
			min( 24, $hours )
		)
	) . '</p>';
}
