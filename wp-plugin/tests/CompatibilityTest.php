<?php
/**
 * PHP 7.4 compatibility of the plugin's source: `php -l` on PHP 8.2 accepts 8.0-only syntax, so look for it.
 *
 * @package Pertinent
 */

/**
 * @coversNothing
 */
class CompatibilityTest extends PHPUnit\Framework\TestCase {

	/**
	 * @return array<string,array{0:string}>
	 */
	public function provide_sources() {
		$files    = array();
		$iterator = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( dirname( __DIR__ ) . '/pertinent' ) );
		foreach ( $iterator as $file ) {
			if ( $file->isFile() && 'php' === $file->getExtension() ) {
				$files[ substr( $file->getPathname(), strlen( dirname( __DIR__ ) ) + 1 ) ] = array( $file->getPathname() );
			}
		}
		return $files;
	}

	/**
	 * @dataProvider provide_sources
	 *
	 * @param string $path Source file.
	 */
	public function test_source_uses_no_php8_only_syntax( $path ) {
		$code = '';
		foreach ( token_get_all( (string) file_get_contents( $path ) ) as $token ) {
			// Strings and comments may mention anything: check code only.
			if ( is_array( $token ) && in_array( $token[0], array( T_COMMENT, T_DOC_COMMENT, T_CONSTANT_ENCAPSED_STRING, T_ENCAPSED_AND_WHITESPACE, T_INLINE_HTML ), true ) ) {
				continue;
			}
			$code .= is_array( $token ) ? $token[1] : $token;
		}
		$patterns = array(
			'match expression'      => '/\bmatch\s*\(/i',
			'nullsafe operator'     => '/\?->/',
			'union type'            => '/function\s*&?\s*\w*\s*\([^)]*\b\w+\s*\|\s*\w+\s+\$/',
			'union return type'     => '/\)\s*:\s*\??\w+\s*\|\s*\w+/',
			'mixed/static type'     => '/\)\s*:\s*(mixed|static)\b/',
			'named argument'        => '/\w\(\s*[a-z_]+\s*:\s*[^:]/',
			'constructor promotion' => '/function\s+__construct\s*\([^)]*\b(public|private|protected)\s/',
			'throw expression'      => '/(\?\?|=>|\?:)\s*throw\b/',
			'attributes'            => '/#\[/',
			'str_contains etc.'     => '/\b(str_contains|str_starts_with|str_ends_with|get_debug_type|array_is_list)\s*\(/',
		);
		foreach ( $patterns as $what => $pattern ) {
			$this->assertDoesNotMatchRegularExpression( $pattern, $code, "$what in $path (the plugin declares PHP 7.4+)" );
		}
	}

	public function test_plugin_header_declares_php_and_wordpress_versions() {
		$headers = get_file_data(
			dirname( __DIR__ ) . '/pertinent/pertinent.php',
			array(
				'php'    => 'Requires PHP',
				'wp'     => 'Requires at least',
				'domain' => 'Text Domain',
			)
		);
		$this->assertSame( '7.4', $headers['php'] );
		$this->assertSame( '6.1', $headers['wp'] );
		$this->assertSame( 'pertinent', $headers['domain'] );
	}
}
