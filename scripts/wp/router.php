<?php
/**
 * Router for `php -S`: real files are served as they are, everything else goes through WordPress's
 * index.php (so /robots.txt, /wp-sitemap.xml and pretty permalinks behave as under Apache's rewrite rules).
 */
$pertinent_path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$pertinent_file = $_SERVER['DOCUMENT_ROOT'] . $pertinent_path;
if ( '/' !== $pertinent_path && is_file( $pertinent_file ) ) {
	if ( '.php' === substr( $pertinent_file, -4 ) ) {
		// A PHP entry point (wp-login.php, wp-cron.php, wp-admin/...): run it with the right script name.
		$_SERVER['SCRIPT_NAME']     = $pertinent_path;
		$_SERVER['SCRIPT_FILENAME'] = $pertinent_file;
		$_SERVER['PHP_SELF']        = $pertinent_path;
		chdir( dirname( $pertinent_file ) );
		require $pertinent_file;
		return true;
	}
	return false; // A static file: php -S serves it.
}
if ( is_dir( $pertinent_file ) && is_file( rtrim( $pertinent_file, '/' ) . '/index.php' ) ) {
	$_SERVER['SCRIPT_NAME'] = rtrim( $pertinent_path, '/' ) . '/index.php';
	chdir( $pertinent_file );
	require rtrim( $pertinent_file, '/' ) . '/index.php';
	return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
chdir( $_SERVER['DOCUMENT_ROOT'] );
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
