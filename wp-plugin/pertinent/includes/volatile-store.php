<?php
/**
 * A small key/value store for state that changes on page views (circuit breaker, rate-limit counters)
 * and must therefore never touch the database: a persistent object cache when the site has one,
 * else APCu when loaded, else one small file per key under wp-content/uploads/pertinent-state/.
 * Transients were rejected: without an object cache they are rows in wp_options, i.e. a database
 * write (and an autoload cache bust) on the very page views this plugin must keep cheap.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Which backend holds volatile state on this site.
 *
 * @return string object-cache|apcu|file
 */
function pertinent_volatile_backend() {
	/**
	 * Filters the backend for volatile state (object-cache, apcu or file).
	 *
	 * @param string $backend The detected backend.
	 */
	if ( wp_using_ext_object_cache() ) {
		$backend = 'object-cache';
	} elseif ( function_exists( 'apcu_fetch' ) && function_exists( 'apcu_enabled' ) && apcu_enabled() ) {
		$backend = 'apcu';
	} else {
		$backend = 'file';
	}
	return (string) apply_filters( 'pertinent_volatile_backend', $backend );
}

/**
 * The folder for file-backed state (created on first write, with guards against web listing).
 *
 * @return string
 */
function pertinent_volatile_dir() {
	$uploads = wp_upload_dir( null, false );
	return trailingslashit( $uploads['basedir'] ) . 'pertinent-state';
}

/**
 * Path of the file holding one key.
 *
 * @param string $key Key.
 * @return string
 */
function pertinent_volatile_file( $key ) {
	return pertinent_volatile_dir() . '/' . md5( $key . '|' . wp_salt( 'auth' ) ) . '.json';
}

/**
 * Reads a value; expired or missing keys give $fallback.
 *
 * @param string $key     Key.
 * @param mixed  $fallback Returned when absent.
 * @return mixed
 */
function pertinent_volatile_get( $key, $fallback = null ) {
	$backend = pertinent_volatile_backend();
	if ( 'object-cache' === $backend ) {
		$found = false;
		$value = wp_cache_get( $key, 'pertinent', false, $found );
		return $found ? $value : $fallback;
	}
	if ( 'apcu' === $backend ) {
		$success = false;
		$value   = apcu_fetch( 'pertinent:' . $key, $success );
		return $success ? $value : $fallback;
	}
	$file = pertinent_volatile_file( $key );
	if ( ! is_readable( $file ) ) {
		return $fallback;
	}
	$data = json_decode( (string) file_get_contents( $file ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- local file, not a URL.
	if ( ! is_array( $data ) || ! array_key_exists( 'v', $data ) ) {
		return $fallback;
	}
	if ( ! empty( $data['e'] ) && $data['e'] < time() ) {
		return $fallback;
	}
	return $data['v'];
}

/**
 * Writes a value for $ttl seconds (0 = until overwritten).
 *
 * @param string $key   Key.
 * @param mixed  $value JSON-serializable value.
 * @param int    $ttl   Seconds.
 * @return bool
 */
function pertinent_volatile_set( $key, $value, $ttl = 0 ) {
	$backend = pertinent_volatile_backend();
	if ( 'object-cache' === $backend ) {
		return wp_cache_set( $key, $value, 'pertinent', $ttl );
	}
	if ( 'apcu' === $backend ) {
		return apcu_store( 'pertinent:' . $key, $value, $ttl );
	}
	$dir = pertinent_volatile_dir();
	if ( ! is_dir( $dir ) ) {
		if ( ! wp_mkdir_p( $dir ) ) {
			return false;
		}
		// Keep the folder out of directory listings and web reach on servers that honour these files.
		file_put_contents( $dir . '/index.php', "<?php\n// Silence is golden.\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- WP_Filesystem may need credentials; this is our own state dir.
		file_put_contents( $dir . '/.htaccess', "Require all denied\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- as above.
	}
	$data = wp_json_encode(
		array(
			'v' => $value,
			'e' => $ttl > 0 ? time() + $ttl : 0,
		)
	);
	// Write then rename, so a concurrent reader never sees half a file.
	$file = pertinent_volatile_file( $key );
	$tmp  = $file . '.' . wp_generate_password( 6, false ) . '.tmp';
	if ( false === file_put_contents( $tmp, $data ) ) { // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- as above.
		return false;
	}
	return rename( $tmp, $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.rename_rename -- atomic replace is the point.
}

/**
 * Removes a key.
 *
 * @param string $key Key.
 */
function pertinent_volatile_delete( $key ) {
	$backend = pertinent_volatile_backend();
	if ( 'object-cache' === $backend ) {
		wp_cache_delete( $key, 'pertinent' );
	} elseif ( 'apcu' === $backend ) {
		apcu_delete( 'pertinent:' . $key );
	} else {
		$file = pertinent_volatile_file( $key );
		if ( file_exists( $file ) ) {
			unlink( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.unlink_unlink -- our own state file.
		}
	}
}

/**
 * Deletes expired state files (called from cron, never on a page view).
 */
function pertinent_volatile_gc() {
	if ( 'file' !== pertinent_volatile_backend() ) {
		return;
	}
	foreach ( (array) glob( pertinent_volatile_dir() . '/*.{json,tmp}', GLOB_BRACE ) as $file ) {
		if ( is_string( $file ) && filemtime( $file ) < time() - 3600 ) {
			unlink( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.unlink_unlink -- our own state file.
		}
	}
}
