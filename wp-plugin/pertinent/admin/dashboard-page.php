<?php
/**
 * The "Pertinent" admin page: sidecar health, live and canary model sets with their offline metrics,
 * experiments with per-arm results (inline SVG chart, no external asset), drift, last and next training.
 *
 * Its data is the sidecar's GET /v1/dashboard (server key), fetched only here in the admin and cached
 * for a minute in a transient; nothing of it ever runs on the front end.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const PERTINENT_DASHBOARD_SLUG = 'pertinent-dashboard';

/**
 * `admin_menu`: a top-level "Pertinent" page for site owners (settings stay under Settings > Pertinent).
 */
function pertinent_dashboard_page_menu() {
	add_menu_page(
		__( 'Pertinent', 'pertinent' ),
		__( 'Pertinent', 'pertinent' ),
		'manage_options',
		PERTINENT_DASHBOARD_SLUG,
		'pertinent_render_dashboard_page',
		'dashicons-chart-bar',
		81
	);
}

/**
 * `admin_enqueue_scripts`: the page's small stylesheet, on this page only.
 *
 * @param string $hook_suffix The current admin page.
 */
function pertinent_dashboard_page_styles( $hook_suffix ) {
	if ( 'toplevel_page_' . PERTINENT_DASHBOARD_SLUG !== $hook_suffix ) {
		return;
	}
	wp_enqueue_style( 'pertinent-dashboard', plugins_url( 'admin/dashboard-page.css', PERTINENT_FILE ), array(), PERTINENT_VERSION );
}

/**
 * The sidecar's dashboard summary, cached briefly (admin only, so a transient is fine).
 *
 * @return array|WP_Error
 */
function pertinent_dashboard_data() {
	$response = pertinent_sidecar_request(
		'GET',
		'/v1/dashboard',
		null,
		array(
			'breaker'    => false,
			'timeout_ms' => 5000,
			'cache'      => 'transient',
			'cache_ttl'  => 60,
		)
	);
	if ( is_wp_error( $response ) ) {
		return $response;
	}
	return is_array( $response['body'] ) ? $response['body'] : new WP_Error( 'pertinent_bad_summary', __( 'The sidecar answered with something other than a summary.', 'pertinent' ) );
}

/**
 * The page.
 */
function pertinent_render_dashboard_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You do not have permission to view this page.', 'pertinent' ) );
	}
	echo '<div class="wrap pertinent-dashboard"><h1>' . esc_html__( 'Pertinent', 'pertinent' ) . '</h1>';
	$data = pertinent_dashboard_data();
	if ( is_wp_error( $data ) ) {
		echo '<div class="notice notice-error"><p>' . esc_html__( 'The sidecar could not be reached:', 'pertinent' ) . ' ' . esc_html( $data->get_error_message() ) . '</p></div>';
		echo '<p><a href="' . esc_url( admin_url( 'options-general.php?page=pertinent' ) ) . '">' . esc_html__( 'Check the sidecar settings', 'pertinent' ) . '</a></p></div>';
		return;
	}
	pertinent_dashboard_health( isset( $data['health'] ) ? $data['health'] : array() );
	pertinent_dashboard_models( isset( $data['models'] ) ? $data['models'] : array() );
	pertinent_dashboard_experiments( isset( $data['experiments'] ) ? $data['experiments'] : array() );
	pertinent_dashboard_drift( isset( $data['drift'] ) ? $data['drift'] : array() );
	pertinent_dashboard_training( isset( $data['training'] ) ? $data['training'] : array() );
	echo '<p class="pertinent-generated">' . esc_html(
		sprintf(
			/* translators: %s: time the sidecar built the summary. */
			__( 'Data from the sidecar at %s (refreshed at most once a minute).', 'pertinent' ),
			isset( $data['generated_at'] ) ? (string) $data['generated_at'] : '?'
		)
	) . '</p></div>';
}

/**
 * Health: ok / degraded with the reasons.
 *
 * @param array $health Summary section.
 */
function pertinent_dashboard_health( $health ) {
	$status = isset( $health['status'] ) ? (string) $health['status'] : 'unknown';
	echo '<h2>' . esc_html__( 'Sidecar health', 'pertinent' ) . '</h2>';
	echo '<p><span class="pertinent-status pertinent-status-' . esc_attr( $status ) . '">' . esc_html( $status ) . '</span></p>';
	if ( ! empty( $health['reasons'] ) && is_array( $health['reasons'] ) ) {
		echo '<ul class="pertinent-reasons">';
		foreach ( $health['reasons'] as $reason ) {
			echo '<li>' . esc_html( (string) $reason ) . '</li>';
		}
		echo '</ul>';
	}
}

/**
 * A model set's offline metrics: the headline ones first, each beside the baseline it must beat, then
 * every other figure behind a disclosure. Both lists come from the sidecar (monitoring/headline.py), so
 * this page, `pertinent report` and the API agree on what is shown first and which figures are counts.
 *
 * @param array $set A live or canary entry of the summary.
 */
function pertinent_dashboard_metrics( $set ) {
	$headline = isset( $set['headline'] ) && is_array( $set['headline'] ) ? $set['headline'] : array();
	if ( ! $headline ) {
		echo esc_html__( 'none yet', 'pertinent' );
	}
	echo '<ul class="pertinent-headline">';
	foreach ( $headline as $row ) {
		echo '<li>' . esc_html( (string) $row['label'] ) . ' <strong>' . esc_html( number_format_i18n( (float) $row['value'], 3 ) ) . '</strong>';
		if ( isset( $row['baseline'] ) && is_numeric( $row['baseline'] ) ) {
			/* translators: 1: what the baseline is (e.g. "most popular"), 2: its value. */
			echo ' <span class="pertinent-baseline">' . esc_html( sprintf( __( '(%1$s: %2$s)', 'pertinent' ), (string) $row['baseline_name'], number_format_i18n( (float) $row['baseline'], 3 ) ) ) . '</span>';
		}
		echo '</li>';
	}
	echo '</ul>';
	$rows = isset( $set['metric_rows'] ) && is_array( $set['metric_rows'] ) ? $set['metric_rows'] : array();
	if ( $rows ) {
		echo '<details><summary>' . esc_html__( 'All metrics', 'pertinent' ) . '</summary><table class="pertinent-all-metrics">';
		foreach ( $rows as $row ) {
			$value = empty( $row['integer'] ) ? number_format_i18n( (float) $row['value'], 3 ) : number_format_i18n( (float) $row['value'] );
			echo '<tr><td>' . esc_html( (string) $row['label'] ) . '</td><td>' . esc_html( $value ) . '</td></tr>';
		}
		echo '</table></details>';
	}
}

/**
 * Live and canary model sets, and the promotion / rollback history.
 *
 * @param array $models Summary section.
 */
function pertinent_dashboard_models( $models ) {
	echo '<h2>' . esc_html__( 'Model sets', 'pertinent' ) . '</h2><table class="widefat striped pertinent-models"><thead><tr>';
	foreach ( array( __( 'Role', 'pertinent' ), __( 'Version', 'pertinent' ), __( 'Trained', 'pertinent' ), __( 'Offline metrics', 'pertinent' ) ) as $heading ) {
		echo '<th>' . esc_html( $heading ) . '</th>';
	}
	echo '</tr></thead><tbody>';
	$roles = array(
		'live'   => __( 'Live', 'pertinent' ),
		'canary' => __( 'Canary', 'pertinent' ),
	);
	foreach ( $roles as $role => $label ) {
		$set = isset( $models[ $role ] ) && is_array( $models[ $role ] ) ? $models[ $role ] : null;
		echo '<tr><td>' . esc_html( $label ) . '</td>';
		if ( null === $set ) {
			echo '<td colspan="3">' . esc_html__( 'none yet', 'pertinent' ) . '</td></tr>';
			continue;
		}
		echo '<td><code>' . esc_html( (string) $set['version'] ) . '</code></td>';
		$age = isset( $set['age_hours'] ) && is_numeric( $set['age_hours'] ) ? sprintf( /* translators: %s: hours. */ __( '%s hours ago', 'pertinent' ), number_format_i18n( (float) $set['age_hours'], 1 ) ) : '';
		echo '<td>' . esc_html( $age ) . '</td><td>';
		pertinent_dashboard_metrics( $set );
		echo '</td></tr>';
	}
	echo '</tbody></table>';
	if ( ! empty( $models['history'] ) && is_array( $models['history'] ) ) {
		echo '<h3>' . esc_html__( 'Canary promotions and rollbacks', 'pertinent' ) . '</h3><ul class="pertinent-history">';
		foreach ( array_slice( $models['history'], 0, 5 ) as $entry ) {
			echo '<li><strong>' . esc_html( (string) $entry['action'] ) . '</strong> <code>' . esc_html( (string) $entry['version'] ) . '</code> ' . esc_html( substr( (string) $entry['at'], 0, 16 ) ) . ': ' . esc_html( (string) $entry['reason'] ) . '</li>';
		}
		echo '</ul>';
	}
}

/**
 * Experiments: per-arm table, chart and verdict.
 *
 * @param array $experiments Summary section (reports).
 */
function pertinent_dashboard_experiments( $experiments ) {
	echo '<h2>' . esc_html__( 'Experiments', 'pertinent' ) . '</h2>';
	if ( empty( $experiments ) ) {
		echo '<p>' . esc_html__( 'No experiment yet. Start one with `pertinent experiment start` or POST /v1/experiments to compare personalization with your default content.', 'pertinent' ) . '</p>';
		return;
	}
	foreach ( $experiments as $report ) {
		$exp  = isset( $report['experiment'] ) ? $report['experiment'] : array();
		$arms = isset( $report['arms'] ) && is_array( $report['arms'] ) ? $report['arms'] : array();
		echo '<div class="pertinent-experiment"><h3>' . esc_html( (string) $exp['name'] ) . ' <span class="pertinent-exp-status">' . esc_html( (string) $exp['status'] ) . '</span></h3>';
		echo '<table class="widefat striped"><thead><tr>';
		foreach ( array( __( 'Arm', 'pertinent' ), __( 'Impressions', 'pertinent' ), __( 'Clicks', 'pertinent' ), __( 'Click-through (95% CI)', 'pertinent' ), __( 'Conversions', 'pertinent' ), __( 'Uplift vs default', 'pertinent' ) ) as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $arms as $arm => $figures ) {
			$ci     = isset( $figures['ctr_ci'] ) ? $figures['ctr_ci'] : array( 0, 0 );
			$uplift = isset( $figures['vs_control']['ctr'] ) && is_array( $figures['vs_control']['ctr'] ) ? $figures['vs_control']['ctr'] : null;
			echo '<tr><td>' . esc_html( pertinent_dashboard_arm_label( (string) $arm ) ) . '</td>';
			echo '<td>' . esc_html( number_format_i18n( (int) $figures['impressions'] ) ) . '</td>';
			echo '<td>' . esc_html( number_format_i18n( (int) $figures['clicks'] ) ) . '</td>';
			echo '<td>' . esc_html( sprintf( '%.1f%% (%.1f–%.1f)', 100 * (float) $figures['ctr'], 100 * (float) $ci[0], 100 * (float) $ci[1] ) ) . '</td>';
			echo '<td>' . esc_html( number_format_i18n( (int) $figures['conversions'] ) ) . '</td>';
			echo '<td>' . esc_html( $uplift ? sprintf( '%+.1f pts (%.1f to %.1f)', 100 * (float) $uplift['diff'], 100 * (float) $uplift['low'], 100 * (float) $uplift['high'] ) : '—' ) . '</td></tr>';
		}
		echo '</tbody></table>';
		pertinent_dashboard_chart( $arms );
		echo '<p class="pertinent-verdict"><strong>' . esc_html( isset( $report['verdict'] ) ? (string) $report['verdict'] : '' ) . '</strong></p></div>';
	}
}

/**
 * A plain name for an arm.
 *
 * @param string $arm Arm id.
 * @return string
 */
function pertinent_dashboard_arm_label( $arm ) {
	$labels = array(
		'control' => __( 'Default content', 'pertinent' ),
		'rules'   => __( 'Rules only', 'pertinent' ),
		'model'   => __( 'Model', 'pertinent' ),
		'canary'  => __( 'Canary model', 'pertinent' ),
	);
	return isset( $labels[ $arm ] ) ? $labels[ $arm ] : $arm;
}

/**
 * Inline SVG: one bar per arm (click-through rate) with its 95% interval as a whisker.
 *
 * @param array $arms Arm figures from the report.
 */
function pertinent_dashboard_chart( $arms ) {
	if ( empty( $arms ) ) {
		return;
	}
	$width  = 460;
	$label  = 110;
	$bar_h  = 24;
	$pad    = 8;
	$top    = 0.000001;
	$colors = array(
		'control' => '#8c8c8c',
		'rules'   => '#d08c2b',
		'model'   => '#2271b1',
		'canary'  => '#7b3fb5',
	);
	foreach ( $arms as $figures ) {
		$top = max( $top, (float) $figures['ctr_ci'][1] );
	}
	$scale  = ( $width - $label - 70 ) / $top;
	$height = $pad + count( $arms ) * ( $bar_h + $pad );
	echo '<svg class="pertinent-chart" xmlns="http://www.w3.org/2000/svg" width="' . esc_attr( (string) $width ) . '" height="' . esc_attr( (string) $height ) . '" role="img" aria-label="' . esc_attr__( 'Click-through rate per arm with 95% intervals', 'pertinent' ) . '">';
	$i = 0;
	foreach ( $arms as $arm => $figures ) {
		$y    = $pad + $i * ( $bar_h + $pad );
		$mid  = $y + $bar_h / 2;
		$bar  = (float) $figures['ctr'] * $scale;
		$low  = $label + (float) $figures['ctr_ci'][0] * $scale;
		$high = $label + (float) $figures['ctr_ci'][1] * $scale;
		$fill = isset( $colors[ $arm ] ) ? $colors[ $arm ] : '#555555';
		printf( '<text x="0" y="%.1f" font-size="12">%s</text>', (float) $mid + 4, esc_html( pertinent_dashboard_arm_label( (string) $arm ) ) );
		printf( '<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"></rect>', (int) $label, (int) $y, (float) $bar, (int) $bar_h, esc_attr( $fill ) );
		printf( '<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#000"></line>', (float) $low, (float) $high, (float) $mid, (float) $mid );
		printf( '<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#000"></line>', (float) $low, (float) $low, (float) $mid - 6, (float) $mid + 6 );
		printf( '<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#000"></line>', (float) $high, (float) $high, (float) $mid - 6, (float) $mid + 6 );
		printf( '<text x="%.1f" y="%.1f" font-size="12">%s</text>', (float) $high + 6, (float) $mid + 4, esc_html( sprintf( '%.1f%%', 100 * (float) $figures['ctr'] ) ) );
		++$i;
	}
	echo '</svg>';
}

/**
 * Drift: status, the largest PSI and each feature's.
 *
 * @param array $drift Summary section.
 */
function pertinent_dashboard_drift( $drift ) {
	$status = isset( $drift['status'] ) ? (string) $drift['status'] : 'unknown';
	echo '<h2>' . esc_html__( 'Drift', 'pertinent' ) . '</h2><p><span class="pertinent-status pertinent-status-' . esc_attr( 'drift' === $status ? 'degraded' : ( 'ok' === $status ? 'ok' : 'unknown' ) ) . '">' . esc_html( str_replace( '_', ' ', $status ) ) . '</span>';
	if ( isset( $drift['max_psi'], $drift['threshold'] ) && in_array( $status, array( 'ok', 'drift' ), true ) ) {
		echo ' ' . esc_html( sprintf( /* translators: 1: largest PSI, 2: threshold. */ __( 'largest population stability index %1$.3f (threshold %2$.2f)', 'pertinent' ), (float) $drift['max_psi'], (float) $drift['threshold'] ) );
	}
	echo '</p>';
	if ( ! empty( $drift['features'] ) && is_array( $drift['features'] ) ) {
		echo '<table class="widefat striped pertinent-drift"><thead><tr><th>' . esc_html__( 'Feature', 'pertinent' ) . '</th><th>PSI</th></tr></thead><tbody>';
		$rows = $drift['features'];
		if ( isset( $drift['scores'] ) && is_numeric( $drift['scores'] ) ) {
			$rows['predicted score'] = $drift['scores'];
		}
		foreach ( $rows as $feature => $psi ) {
			echo '<tr><td>' . esc_html( str_replace( '_', ' ', (string) $feature ) ) . '</td><td>' . esc_html( sprintf( '%.3f', (float) $psi ) ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}
}

/**
 * Training: last run, why, its result, and the next scheduled one.
 *
 * @param array $training Summary section.
 */
function pertinent_dashboard_training( $training ) {
	$value = static function ( $key, $fallback ) use ( $training ) {
		return isset( $training[ $key ] ) && '' !== (string) $training[ $key ] ? (string) $training[ $key ] : $fallback;
	};
	echo '<h2>' . esc_html__( 'Training', 'pertinent' ) . '</h2><table class="widefat pertinent-training"><tbody>';
	$rows     = array(
		__( 'Last training', 'pertinent' ) => $value( 'last_at', __( 'never (is `pertinent worker` running?)', 'pertinent' ) ),
		__( 'Why', 'pertinent' )           => $value( 'last_reason', '—' ),
		__( 'Result', 'pertinent' )        => $value( 'last_result', '—' ),
		__( 'Next training', 'pertinent' ) => $value( 'next_at', __( 'when the worker next runs', 'pertinent' ) ),
	);
	$failures = isset( $training['failures'] ) ? (int) $training['failures'] : 0;
	if ( $failures > 0 ) {
		// The worker retries a failed training with backoff; say so, so the owner knows it is not stuck.
		$rows[ __( 'Retry', 'pertinent' ) ] = sprintf(
			/* translators: 1: failed trainings in a row, 2: time of the next attempt */
			_n( 'failed %1$d time in a row; retrying at %2$s', 'failed %1$d times in a row; retrying at %2$s', $failures, 'pertinent' ),
			$failures,
			$value( 'retry_at', __( 'the next schedule', 'pertinent' ) )
		);
	}
	if ( ! empty( $training['skipped'] ) && is_array( $training['skipped'] ) ) {
		// Models the data could not train (e.g. no conversions yet) predict their base rate: say which.
		$rows[ __( 'Skipped models', 'pertinent' ) ] = implode( '; ', array_map( 'strval', $training['skipped'] ) );
	}
	foreach ( $rows as $label => $text ) {
		echo '<tr><th scope="row">' . esc_html( $label ) . '</th><td>' . esc_html( $text ) . '</td></tr>';
	}
	echo '</tbody></table>';
}
