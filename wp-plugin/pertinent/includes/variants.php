<?php
/**
 * The "Variant" post type: banners and calls-to-action an editor writes once and the sidecar chooses
 * between, each with targeting hints (pin/exclude rules), the slots it may fill and an optional schedule.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'PERTINENT_VARIANT_TYPE', 'pertinent_variant' );

/**
 * Registers the post type and its meta.
 */
function pertinent_register_variants() {
	register_post_type(
		PERTINENT_VARIANT_TYPE,
		array(
			'labels'          => array(
				'name'          => __( 'Variants', 'pertinent' ),
				'singular_name' => __( 'Variant', 'pertinent' ),
				'add_new_item'  => __( 'Add New Variant', 'pertinent' ),
				'edit_item'     => __( 'Edit Variant', 'pertinent' ),
				'menu_name'     => __( 'Variants', 'pertinent' ),
			),
			'description'     => __( 'Banners and calls-to-action for personalized slots.', 'pertinent' ),
			'public'          => false,
			'show_ui'         => true,
			'show_in_rest'    => true,
			'menu_icon'       => 'dashicons-randomize',
			'supports'        => array( 'title', 'editor', 'custom-fields', 'revisions' ),
			'capability_type' => 'post',
			'map_meta_cap'    => true,
		)
	);

	$common = array(
		'single'        => true,
		'auth_callback' => 'pertinent_meta_auth',
	);
	register_post_meta(
		PERTINENT_VARIANT_TYPE,
		'pertinent_variant_kind',
		$common + array(
			'type'              => 'string',
			'default'           => 'banner',
			'sanitize_callback' => 'pertinent_sanitize_variant_kind',
			'show_in_rest'      => array(
				'schema' => array(
					'type' => 'string',
					'enum' => array( 'banner', 'cta' ),
				),
			),
		)
	);
	register_post_meta(
		PERTINENT_VARIANT_TYPE,
		'pertinent_slots',
		$common + array(
			'type'              => 'array',
			'default'           => array(),
			'sanitize_callback' => 'pertinent_sanitize_slot_names',
			'show_in_rest'      => array(
				'schema' => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
			),
		)
	);
	foreach ( array( 'pertinent_starts_at', 'pertinent_ends_at' ) as $key ) {
		register_post_meta(
			PERTINENT_VARIANT_TYPE,
			$key,
			$common + array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => 'pertinent_sanitize_datetime',
				'show_in_rest'      => true,
			)
		);
	}
	register_post_meta(
		PERTINENT_VARIANT_TYPE,
		'pertinent_targeting',
		$common + array(
			'type'              => 'array',
			'default'           => array(),
			'sanitize_callback' => 'pertinent_sanitize_targeting',
			'show_in_rest'      => array( 'schema' => pertinent_targeting_schema() ),
		)
	);
}

/**
 * JSON schema of the targeting rules (the sidecar's `targeting` field).
 *
 * @return array<string,mixed>
 */
function pertinent_targeting_schema() {
	return array(
		'type'  => 'array',
		'items' => array(
			'type'       => 'object',
			'properties' => array(
				'action' => array(
					'type' => 'string',
					'enum' => array( 'pin', 'exclude' ),
				),
				'when'   => array(
					'type'                 => 'object',
					'additionalProperties' => true,
				),
				'slots'  => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
			),
		),
	);
}

/**
 * Whether a slot kind is filled by one variant (banner, CTA) rather than a list of the site's posts.
 *
 * @param mixed $kind Slot or variant kind.
 * @return bool
 */
function pertinent_is_variant_kind( $kind ) {
	return in_array( $kind, array( 'banner', 'cta' ), true );
}

/**
 * banner|cta.
 *
 * @param mixed $value Raw.
 * @return string
 */
function pertinent_sanitize_variant_kind( $value ) {
	return pertinent_is_variant_kind( $value ) ? $value : 'banner';
}

/**
 * A slot name: lowercase letters, digits, dashes and underscores, at most 64 characters.
 *
 * @param mixed $value Raw.
 * @return string
 */
function pertinent_sanitize_slot_name( $value ) {
	$value = is_scalar( $value ) ? strtolower( (string) $value ) : '';
	return substr( preg_replace( '/[^a-z0-9_\-]/', '', $value ), 0, 64 );
}

/**
 * A list of slot names (array or comma-separated string).
 *
 * @param mixed $value Raw.
 * @return string[]
 */
function pertinent_sanitize_slot_names( $value ) {
	$value = is_string( $value ) ? explode( ',', $value ) : ( is_array( $value ) ? $value : array() );
	return array_slice( array_values( array_unique( array_filter( array_map( 'pertinent_sanitize_slot_name', $value ) ) ) ), 0, 20 );
}

/**
 * An ISO 8601 UTC date-time, or '' when empty or unparseable.
 *
 * @param mixed $value Raw (anything strtotime understands, interpreted in the site's timezone).
 * @return string
 */
function pertinent_sanitize_datetime( $value ) {
	if ( ! is_string( $value ) || '' === trim( $value ) ) {
		return '';
	}
	try {
		$date = new DateTimeImmutable( trim( $value ), wp_timezone() );
	} catch ( Exception $e ) {
		return '';
	}
	return $date->setTimezone( new DateTimeZone( 'UTC' ) )->format( 'Y-m-d\TH:i:s\Z' );
}

/**
 * Sanitizes targeting rules to the sidecar's shape; unknown condition keys are dropped.
 *
 * @param mixed $value Raw rules (array, or JSON text from the classic meta box).
 * @return array<int,array<string,mixed>>
 */
function pertinent_sanitize_targeting( $value ) {
	if ( is_string( $value ) ) {
		$value = json_decode( $value, true );
	}
	if ( ! is_array( $value ) ) {
		return array();
	}
	$strings = array( 'utm_source', 'utm_medium', 'utm_campaign', 'referrer_contains', 'device', 'segment', 'role' );
	$ints    = array( 'visit_count_min', 'visit_count_max' );
	$rules   = array();
	foreach ( array_slice( $value, 0, 20 ) as $rule ) {
		if ( ! is_array( $rule ) || ! isset( $rule['action'] ) || ! in_array( $rule['action'], array( 'pin', 'exclude' ), true ) ) {
			continue;
		}
		$when = array();
		$raw  = isset( $rule['when'] ) && is_array( $rule['when'] ) ? $rule['when'] : array();
		foreach ( $strings as $key ) {
			if ( isset( $raw[ $key ] ) && is_scalar( $raw[ $key ] ) && '' !== trim( (string) $raw[ $key ] ) ) {
				$when[ $key ] = substr( sanitize_text_field( (string) $raw[ $key ] ), 0, 200 );
			}
		}
		foreach ( $ints as $key ) {
			if ( isset( $raw[ $key ] ) && is_numeric( $raw[ $key ] ) ) {
				$when[ $key ] = max( 0, (int) $raw[ $key ] );
			}
		}
		if ( isset( $raw['hours'] ) && is_array( $raw['hours'] ) && 2 === count( $raw['hours'] ) ) {
			$when['hours'] = array_map(
				static function ( $h ) {
					return max( 0, min( 24, (int) $h ) );
				},
				array_values( $raw['hours'] )
			);
		}
		if ( isset( $raw['days'] ) && is_array( $raw['days'] ) ) {
			$when['days'] = array_values( array_unique( array_filter( array_map( 'intval', $raw['days'] ), static function ( $d ) {
				return $d >= 0 && $d <= 6;
			} ) ) );
		}
		$rules[] = array(
			'action' => $rule['action'],
			'when'   => $when,
			'slots'  => pertinent_sanitize_slot_names( isset( $rule['slots'] ) ? $rule['slots'] : array() ),
		);
	}
	return $rules;
}

/**
 * Published variants of a kind that may fill a slot now (schedule honoured), newest first.
 *
 * @param string $kind  banner|cta.
 * @param string $slot  Slot name.
 * @param int    $limit At most this many.
 * @return int[]
 */
function pertinent_variant_candidates( $kind, $slot, $limit = 20 ) {
	$out = array();
	foreach ( pertinent_published_variants() as $id => $variant ) {
		if ( $variant['kind'] === $kind && ( ! $variant['slots'] || in_array( $slot, $variant['slots'], true ) ) && pertinent_variant_is_live( $id ) ) {
			$out[] = $id;
		}
		if ( count( $out ) >= $limit ) {
			break;
		}
	}
	return $out;
}

/**
 * Every published variant with its kind and slots, newest first: one query (plus one for their meta) per
 * request, however many slots the page has.
 *
 * @return array<int,array{kind:string,slots:string[]}>
 */
function pertinent_published_variants() {
	$cached = wp_cache_get( 'published_variants', 'pertinent' );
	if ( is_array( $cached ) ) {
		return $cached;
	}
	$variants = array();
	$ids      = get_posts(
		array(
			'post_type'        => PERTINENT_VARIANT_TYPE,
			'post_status'      => 'publish',
			'posts_per_page'   => 100,
			'fields'           => 'ids',
			'no_found_rows'    => true,
			'suppress_filters' => false,
		)
	);
	update_meta_cache( 'post', $ids );
	foreach ( $ids as $id ) {
		$variants[ (int) $id ] = array(
			'kind'  => pertinent_sanitize_variant_kind( get_post_meta( $id, 'pertinent_variant_kind', true ) ),
			'slots' => (array) get_post_meta( $id, 'pertinent_slots', true ),
		);
	}
	// Non-persistent unless the site has an object cache; either way flushed when a variant changes.
	wp_cache_set( 'published_variants', $variants, 'pertinent', 300 );
	return $variants;
}

/**
 * Forgets the variant list when a variant is saved or deleted.
 *
 * @param int $post_id Post.
 */
function pertinent_flush_variants( $post_id ) {
	if ( PERTINENT_VARIANT_TYPE === get_post_type( $post_id ) ) {
		wp_cache_delete( 'published_variants', 'pertinent' );
	}
}

/**
 * Whether a variant's schedule includes now.
 *
 * @param int $id Variant.
 * @return bool
 */
function pertinent_variant_is_live( $id ) {
	$now    = time();
	$starts = (string) get_post_meta( $id, 'pertinent_starts_at', true );
	$ends   = (string) get_post_meta( $id, 'pertinent_ends_at', true );
	if ( '' !== $starts && strtotime( $starts ) > $now ) {
		return false;
	}
	return '' === $ends || strtotime( $ends ) > $now;
}

/**
 * `added_post_meta` / `updated_post_meta`: a variant's kind or slots changed.
 *
 * @param int $meta_id Meta row.
 * @param int $post_id Post.
 */
function pertinent_flush_variants_meta( $meta_id, $post_id ) {
	pertinent_flush_variants( $post_id );
}
