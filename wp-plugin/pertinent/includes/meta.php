<?php
/**
 * Personalization metadata editors put on content (topics, audience, funnel stage, intent), registered as
 * post meta with a schema, REST visibility (for the block editor panel) and sanitize callbacks.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The tag-like meta keys and their labels; values are free tags, these are only suggestions.
 *
 * @return array<string,array{label:string,suggestions:string[]}>
 */
function pertinent_meta_fields() {
	return array(
		'pertinent_topics'       => array(
			'label'       => __( 'Topics', 'pertinent' ),
			'suggestions' => array(),
		),
		'pertinent_audience'     => array(
			'label'       => __( 'Audience', 'pertinent' ),
			'suggestions' => array( 'beginner', 'expert', 'developer', 'marketer', 'customer', 'prospect' ),
		),
		'pertinent_funnel_stage' => array(
			'label'       => __( 'Funnel stage', 'pertinent' ),
			'suggestions' => array( 'awareness', 'consideration', 'decision', 'retention' ),
		),
		'pertinent_intent'       => array(
			'label'       => __( 'Intent', 'pertinent' ),
			'suggestions' => array( 'learn', 'compare', 'buy', 'support' ),
		),
	);
}

/**
 * Registers the metadata for every post type (REST needs the type to support custom-fields; posts and
 * pages do).
 */
function pertinent_register_meta() {
	foreach ( array_keys( pertinent_meta_fields() ) as $key ) {
		register_post_meta(
			'',
			$key,
			array(
				'type'              => 'array',
				'single'            => true,
				'default'           => array(),
				'sanitize_callback' => 'pertinent_sanitize_terms',
				'auth_callback'     => 'pertinent_meta_auth',
				'show_in_rest'      => array(
					'schema' => array(
						'type'  => 'array',
						'items' => array(
							'type'      => 'string',
							'maxLength' => 60,
						),
					),
				),
			)
		);
	}
}

/**
 * Only people who may edit the post may change its metadata.
 *
 * @param bool   $allowed  Default.
 * @param string $meta_key Key.
 * @param int    $post_id  Post.
 * @return bool
 */
function pertinent_meta_auth( $allowed, $meta_key, $post_id ) {
	return current_user_can( 'edit_post', $post_id );
}

/**
 * Sanitizes a list of free tags: lowercased, trimmed, de-duplicated, at most 20 of at most 60 characters.
 * Accepts an array or a comma-separated string (the classic meta box).
 *
 * @param mixed $value Raw value.
 * @return string[]
 */
function pertinent_sanitize_terms( $value ) {
	if ( is_string( $value ) ) {
		$value = explode( ',', $value );
	}
	if ( ! is_array( $value ) ) {
		return array();
	}
	$terms = array();
	foreach ( $value as $term ) {
		if ( ! is_scalar( $term ) ) {
			continue;
		}
		$term = strtolower( trim( sanitize_text_field( (string) $term ) ) );
		$term = function_exists( 'mb_substr' ) ? mb_substr( $term, 0, 60 ) : substr( $term, 0, 60 );
		if ( '' !== $term ) {
			$terms[ $term ] = true;
		}
	}
	return array_slice( array_keys( $terms ), 0, 20 );
}

/**
 * The metadata of a post, shaped like the sidecar's `meta` object.
 *
 * @param int $post_id Post.
 * @return array<string,string[]>
 */
function pertinent_post_meta( $post_id ) {
	$meta = array();
	foreach ( array_keys( pertinent_meta_fields() ) as $key ) {
		$values = get_post_meta( $post_id, $key, true );
		$meta[ substr( $key, strlen( 'pertinent_' ) ) ] = pertinent_sanitize_terms( $values );
	}
	return $meta;
}
