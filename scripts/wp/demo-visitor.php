<?php
/**
 * Demo only (a must-use plugin that scripts/wp/demo.sh copies into the demo WordPress): a page opened with
 * ?pertinent_vid=ID is rendered for that visitor, and the id is kept in the visitor cookie, so a person can
 * click through the demo as one of its simulated readers. The id must pass the plugin's own rule.
 * Never installed on a real site: anyone could read as anyone.
 */
add_action(
	'plugins_loaded',
	static function () {
		if ( ! isset( $_GET['pertinent_vid'] ) || ! function_exists( 'pertinent_clean_visitor_id' ) ) {
			return;
		}
		$id = pertinent_clean_visitor_id( wp_unslash( $_GET['pertinent_vid'] ) );
		if ( '' === $id || headers_sent() ) {
			return;
		}
		$_COOKIE[ PERTINENT_VISITOR_COOKIE ] = $id;
		setcookie( PERTINENT_VISITOR_COOKIE, $id, time() + DAY_IN_SECONDS, COOKIEPATH ? COOKIEPATH : '/', COOKIE_DOMAIN, false, false );
	}
);
