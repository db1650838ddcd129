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
			'show_in_rest'      => array( 'schema' => pertinent_targeting_rest_schema() ),
		)
	);
}

/**
 * The JSON Schema of an item's targeting rules: THE definition, shipped in schema/targeting-rules.json (the
 * sidecar's API validates against the same file).
 *
 * @return array<string,mixed>
 */
function pertinent_targeting_schema() {
	return pertinent_json_schema_load( PERTINENT_DIR . '/schema/targeting-rules.json' );
}

/**
 * The same schema for `show_in_rest` (WordPress's dialect; see pertinent_json_schema_for_rest).
 *
 * @return array<string,mixed>
 */
function pertinent_targeting_rest_schema() {
	$schema = pertinent_targeting_schema();
	return pertinent_json_schema_for_rest( $schema, $schema );
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
 * A variant's kind: banner or cta (anything else reads as banner).
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
 * What an editor or a form sends, normalised without changing its meaning: JSON text decoded, text trimmed
 * and lower-cased (rules compare text case-insensitively), integers from numeric strings, blank conditions
 * dropped. An invalid rule stays invalid here, for pertinent_targeting_problems() to report.
 *
 * @param mixed $value Raw rules (array, or JSON text from the classic meta box).
 * @return mixed The normalised rules, or the text itself when it is not JSON.
 */
function pertinent_normalise_targeting( $value ) {
	if ( is_string( $value ) ) {
		if ( '' === trim( $value ) ) {
			return array();
		}
		$decoded = json_decode( $value, true );
		if ( null === $decoded && JSON_ERROR_NONE !== json_last_error() ) {
			return $value;
		}
		$value = $decoded;
	}
	$schema = pertinent_targeting_schema();
	return pertinent_json_schema_coerce( $value, $schema, $schema, 'pertinent_lowercase' );
}

/**
 * Lower-cased text (any script); bytes that are not UTF-8 are left alone for the validator to refuse.
 *
 * @param string $text Text.
 * @return string
 */
function pertinent_lowercase( $text ) {
	return mb_check_encoding( $text, 'UTF-8' ) ? mb_strtolower( $text, 'UTF-8' ) : $text;
}

/**
 * Why rules cannot be saved, as (field, message) pairs naming the rule and field
 * (`targeting[1].when.hours`); empty when they are valid.
 *
 * @param mixed $value Raw or normalised rules.
 * @return array<int,array{0:string,1:string}>
 */
function pertinent_targeting_problems( $value ) {
	if ( ! pertinent_targeting_schema() ) {
		return array( array( 'targeting', __( 'cannot be checked: the plugin\'s schema/targeting-rules.json is missing or unreadable', 'pertinent' ) ) );
	}
	$rules = pertinent_normalise_targeting( $value );
	if ( is_string( $rules ) ) {
		return array( array( 'targeting', __( 'is not valid JSON', 'pertinent' ) ) );
	}
	return pertinent_json_schema_validate( $rules, pertinent_targeting_schema(), 'targeting' );
}

/**
 * Problems as one sentence for an error message or an admin notice.
 *
 * @param array<int,array{0:string,1:string}> $problems From pertinent_targeting_problems().
 * @return string
 */
function pertinent_targeting_problems_text( $problems ) {
	$parts = array();
	foreach ( $problems as $problem ) {
		$parts[] = $problem[0] . ' ' . $problem[1];
	}
	/* translators: %s: what is wrong, e.g. "targeting[0].when.hours must not repeat a value". */
	return sprintf( __( 'Targeting rules not saved: %s.', 'pertinent' ), implode( '; ', $parts ) );
}

/**
 * The registered meta's sanitize callback: normalises only. Validation refuses the write (see
 * pertinent_refuse_invalid_targeting) instead of turning a bad rule into a different one.
 *
 * @param mixed $value Raw rules.
 * @return mixed
 */
function pertinent_sanitize_targeting( $value ) {
	return pertinent_normalise_targeting( $value );
}

/**
 * `add_post_metadata` / `update_post_metadata`: refuses to store targeting rules the schema rejects, on
 * every path (REST, forms, code), so the stored value stays the previous, valid one.
 *
 * @param null|bool $check      Short-circuit value.
 * @param int       $object_id  Post.
 * @param string    $meta_key   Meta key.
 * @param mixed     $meta_value The value, already sanitized.
 * @return null|bool False to refuse the write.
 */
function pertinent_refuse_invalid_targeting( $check, $object_id, $meta_key, $meta_value ) {
	if ( 'pertinent_targeting' !== $meta_key || null !== $check ) {
		return $check;
	}
	return pertinent_targeting_problems( $meta_value ) ? false : null;
}

/**
 * `rest_pre_insert_pertinent_variant`: a REST save with invalid rules is answered 400 naming the rule and
 * field, before anything of the post is written.
 *
 * @param stdClass|WP_Error $prepared_post The post about to be saved.
 * @param WP_REST_Request   $request       The request.
 * @return stdClass|WP_Error
 */
function pertinent_rest_pre_insert_variant( $prepared_post, $request ) {
	$meta = $request->get_param( 'meta' );
	// A null value deletes the meta (WordPress's REST convention): nothing to validate.
	if ( is_wp_error( $prepared_post ) || ! is_array( $meta ) || ! isset( $meta['pertinent_targeting'] ) ) {
		return $prepared_post;
	}
	$problems = pertinent_targeting_problems( $meta['pertinent_targeting'] );
	if ( ! $problems ) {
		return $prepared_post;
	}
	$fields = array();
	foreach ( $problems as $problem ) {
		$fields[ 'meta.pertinent_' . $problem[0] ] = $problem[1];
	}
	return new WP_Error(
		'pertinent_invalid_targeting',
		pertinent_targeting_problems_text( $problems ),
		array(
			'status'  => 400,
			'params'  => $fields,
			'details' => array_map(
				static function ( $problem ) {
					return array(
						'field'   => $problem[0],
						'message' => $problem[1],
					);
				},
				$problems
			),
		)
	);
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
