<?php
/**
 * Dependencies of the block's editor script (what a build step would generate; written by hand).
 *
 * @package Pertinent
 */

return array(
	'dependencies' => array( 'wp-blocks', 'wp-block-editor', 'wp-components', 'wp-element', 'wp-i18n' ),
	'version'      => '0.1.0',
);
