<?php
/**
 * A small JSON Schema validator for exactly the subset the sidecar's rule schema uses (type, enum, const,
 * required, properties, additionalProperties, items, prefixItems, min/maxItems, uniqueItems, min/maxLength,
 * pattern, minimum, maximum, local `$ref`), plus its translation into WordPress's REST schema dialect.
 *
 * One schema file is the definition of targeting rules; this file only knows JSON Schema, not rules.
 * A keyword outside the subset is reported as a problem (fail closed) rather than silently ignored.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Keywords that only annotate: they never make a value invalid.
 *
 * @return string[]
 */
function pertinent_json_schema_annotations() {
	return array( '$schema', '$id', '$defs', '$comment', 'title', 'description', 'default', 'examples' );
}

/**
 * Reads and decodes a schema file once per request.
 *
 * @param string $file Absolute path of a JSON Schema file.
 * @return array<string,mixed> The schema; empty when the file is missing or not JSON (callers refuse then).
 */
function pertinent_json_schema_load( $file ) {
	static $loaded = array();
	if ( ! isset( $loaded[ $file ] ) ) {
		$text            = is_readable( $file ) ? file_get_contents( $file ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file of the plugin.
		$schema          = json_decode( (string) $text, true );
		$loaded[ $file ] = is_array( $schema ) ? $schema : array();
	}
	return $loaded[ $file ];
}

/**
 * Validates a value against a schema.
 *
 * @param mixed  $value  Decoded JSON (arrays for objects and lists; stdClass objects are accepted too).
 * @param array  $schema The (sub)schema.
 * @param string $path   Where the value sits, e.g. `targeting`; problems extend it (`targeting[1].when.hours`).
 * @param array  $root   The whole schema, for `$ref` (defaults to $schema).
 * @return array<int,array{0:string,1:string}> Problems as (path, message); empty when valid.
 */
function pertinent_json_schema_validate( $value, $schema, $path, $root = null ) {
	$root = null === $root ? $schema : $root;
	if ( is_object( $value ) ) {
		$value = get_object_vars( $value );
	}
	if ( false === $schema ) {
		return array( array( $path, __( 'is not allowed here', 'pertinent' ) ) );
	}
	if ( ! is_array( $schema ) ) {
		return array();
	}
	$problems = array();
	if ( isset( $schema['$ref'] ) ) {
		$target = pertinent_json_schema_resolve( $schema['$ref'], $root );
		if ( null === $target ) {
			/* translators: %s: a JSON Schema $ref. */
			return array( array( $path, sprintf( __( 'the schema refers to %s, which it does not define', 'pertinent' ), (string) $schema['$ref'] ) ) );
		}
		$problems = pertinent_json_schema_validate( $value, $target, $path, $root );
	}
	if ( isset( $schema['type'] ) && ! pertinent_json_schema_has_type( $value, $schema['type'] ) ) {
		// Wrong type: the other keywords would only repeat the same complaint.
		/* translators: %s: a JSON type such as "integer" or "string". */
		$problems[] = array( $path, sprintf( __( 'must be of type %s', 'pertinent' ), implode( ' or ', (array) $schema['type'] ) ) );
		return $problems;
	}
	foreach ( array_keys( $schema ) as $keyword ) {
		$checker = pertinent_json_schema_checker( $keyword );
		if ( null === $checker ) {
			if ( ! in_array( $keyword, pertinent_json_schema_annotations(), true ) ) {
				/* translators: %s: a JSON Schema keyword. */
				$problems[] = array( $path, sprintf( __( 'the schema uses the keyword "%s", which this validator does not support', 'pertinent' ), $keyword ) );
			}
			continue;
		}
		if ( $checker ) {
			$problems = array_merge( $problems, call_user_func( $checker, $value, $keyword, $schema, $path, $root ) );
		}
	}
	return $problems;
}

/**
 * The function that checks one keyword; '' for keywords handled elsewhere, null for unsupported ones.
 *
 * @param string $keyword JSON Schema keyword.
 * @return string|null
 */
function pertinent_json_schema_checker( $keyword ) {
	$checkers = array(
		'$ref'                 => '', // Resolved first, in pertinent_json_schema_validate.
		'type'                 => '', // Checked first: nothing else is worth saying about a wrong type.
		'enum'                 => 'pertinent_json_schema_check_enum',
		'const'                => 'pertinent_json_schema_check_const',
		'required'             => 'pertinent_json_schema_check_required',
		'properties'           => 'pertinent_json_schema_check_properties',
		'additionalProperties' => 'pertinent_json_schema_check_properties',
		'prefixItems'          => 'pertinent_json_schema_check_items',
		'items'                => 'pertinent_json_schema_check_items',
		'minItems'             => 'pertinent_json_schema_check_count',
		'maxItems'             => 'pertinent_json_schema_check_count',
		'uniqueItems'          => 'pertinent_json_schema_check_unique',
		'minLength'            => 'pertinent_json_schema_check_length',
		'maxLength'            => 'pertinent_json_schema_check_length',
		'pattern'              => 'pertinent_json_schema_check_pattern',
		'minimum'              => 'pertinent_json_schema_check_bound',
		'maximum'              => 'pertinent_json_schema_check_bound',
	);
	return array_key_exists( $keyword, $checkers ) ? $checkers[ $keyword ] : null;
}

/**
 * A local `$ref` (`#/$defs/name`, any `#/...` JSON pointer) resolved against the root schema.
 *
 * @param mixed $ref  The reference.
 * @param array $root Root schema.
 * @return array|bool|null The target schema, or null when it does not resolve.
 */
function pertinent_json_schema_resolve( $ref, $root ) {
	if ( ! is_string( $ref ) || 0 !== strpos( $ref, '#' ) ) {
		return null;
	}
	$node = $root;
	foreach ( array_filter( explode( '/', substr( $ref, 1 ) ), 'strlen' ) as $part ) {
		$part = str_replace( array( '~1', '~0' ), array( '/', '~' ), rawurldecode( $part ) );
		if ( ! is_array( $node ) || ! array_key_exists( $part, $node ) ) {
			return null;
		}
		$node = $node[ $part ];
	}
	return is_array( $node ) || is_bool( $node ) ? $node : null;
}

/**
 * Whether a PHP array is a JSON list (an empty array is both a list and an object).
 *
 * @param mixed $value Value.
 * @return bool
 */
function pertinent_json_is_list( $value ) {
	return is_array( $value ) && array_keys( $value ) === range( 0, count( $value ) - 1 );
}

/**
 * Whether a value has one of the JSON types. Integers are not booleans and 5.0 is not an integer (the
 * sidecar's compiler refuses it too).
 *
 * @param mixed           $value Value.
 * @param string|string[] $types JSON type name(s).
 * @return bool
 */
function pertinent_json_schema_has_type( $value, $types ) {
	foreach ( (array) $types as $type ) {
		$matches = array(
			'null'    => null === $value,
			'boolean' => is_bool( $value ),
			'integer' => is_int( $value ),
			'number'  => is_int( $value ) || ( is_float( $value ) && is_finite( $value ) ),
			'string'  => is_string( $value ),
			'array'   => is_array( $value ) && ( array() === $value || pertinent_json_is_list( $value ) ),
			'object'  => is_array( $value ) && ( array() === $value || ! pertinent_json_is_list( $value ) ),
		);
		if ( ! empty( $matches[ $type ] ) ) {
			return true;
		}
	}
	return false;
}

/**
 * JSON equality: numbers by value (1 equals 1.0), lists element by element, objects whatever their key order.
 *
 * @param mixed $a One value.
 * @param mixed $b The other.
 * @return bool
 */
function pertinent_json_equal( $a, $b ) {
	$a        = is_object( $a ) ? get_object_vars( $a ) : $a;
	$b        = is_object( $b ) ? get_object_vars( $b ) : $b;
	$a_number = ( is_int( $a ) || is_float( $a ) );
	$b_number = ( is_int( $b ) || is_float( $b ) );
	if ( $a_number || $b_number ) {
		return $a_number && $b_number && (float) $a === (float) $b;
	}
	if ( ! is_array( $a ) || ! is_array( $b ) ) {
		return $a === $b;
	}
	if ( count( $a ) !== count( $b ) || pertinent_json_is_list( $a ) !== pertinent_json_is_list( $b ) ) {
		return false;
	}
	foreach ( $a as $key => $item ) {
		if ( ! array_key_exists( $key, $b ) || ! pertinent_json_equal( $item, $b[ $key ] ) ) {
			return false;
		}
	}
	return true;
}

/**
 * A value as short JSON text for messages.
 *
 * @param mixed $value Value.
 * @return string
 */
function pertinent_json_text( $value ) {
	return (string) wp_json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
}

/*
 * Keyword checks. Each takes ( value, keyword, schema, path, root ) and returns problems; each ignores
 * values of a type its keyword does not apply to, as JSON Schema does.
 */

/**
 * `enum`.
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_enum( $value, $keyword, $schema, $path ) {
	foreach ( (array) $schema[ $keyword ] as $candidate ) {
		if ( pertinent_json_equal( $value, $candidate ) ) {
			return array();
		}
	}
	/* translators: %s: the allowed values. */
	return array( array( $path, sprintf( __( 'must be one of: %s', 'pertinent' ), implode( ', ', array_map( 'pertinent_json_text', (array) $schema[ $keyword ] ) ) ) ) );
}

/**
 * `const`.
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_const( $value, $keyword, $schema, $path ) {
	if ( pertinent_json_equal( $value, $schema[ $keyword ] ) ) {
		return array();
	}
	/* translators: %s: the one allowed value. */
	return array( array( $path, sprintf( __( 'must be %s', 'pertinent' ), pertinent_json_text( $schema[ $keyword ] ) ) ) );
}

/**
 * `required`.
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_required( $value, $keyword, $schema, $path ) {
	if ( ! pertinent_json_schema_has_type( $value, 'object' ) ) {
		return array();
	}
	$problems = array();
	foreach ( (array) $schema[ $keyword ] as $name ) {
		if ( ! array_key_exists( $name, $value ) ) {
			$problems[] = array( $path . '.' . $name, __( 'is required', 'pertinent' ) );
		}
	}
	return $problems;
}

/**
 * `properties` and `additionalProperties`, checked together once (on whichever comes first): each known
 * property against its schema, every other one against additionalProperties.
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @param array  $root    Root schema.
 * @return array
 */
function pertinent_json_schema_check_properties( $value, $keyword, $schema, $path, $root ) {
	if ( 'additionalProperties' === $keyword && isset( $schema['properties'] ) ) {
		return array(); // Done with `properties`.
	}
	if ( ! pertinent_json_schema_has_type( $value, 'object' ) ) {
		return array();
	}
	$known    = isset( $schema['properties'] ) && is_array( $schema['properties'] ) ? $schema['properties'] : array();
	$extra    = array_key_exists( 'additionalProperties', $schema ) ? $schema['additionalProperties'] : true;
	$problems = array();
	foreach ( $value as $name => $item ) {
		$where = $path . '.' . $name;
		if ( array_key_exists( $name, $known ) ) {
			$problems = array_merge( $problems, pertinent_json_schema_validate( $item, $known[ $name ], $where, $root ) );
		} elseif ( false === $extra ) {
			/* translators: %s: the allowed property names. */
			$problems[] = array( $where, sprintf( __( 'is not allowed here (allowed: %s)', 'pertinent' ), implode( ', ', array_keys( $known ) ) ) );
		} elseif ( is_array( $extra ) ) {
			$problems = array_merge( $problems, pertinent_json_schema_validate( $item, $extra, $where, $root ) );
		}
	}
	return $problems;
}

/**
 * `prefixItems` and `items`, checked together once: position i against prefixItems[i], later positions
 * against items (false: there may be no later positions).
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @param array  $root    Root schema.
 * @return array
 */
function pertinent_json_schema_check_items( $value, $keyword, $schema, $path, $root ) {
	if ( 'items' === $keyword && isset( $schema['prefixItems'] ) ) {
		return array(); // Done with `prefixItems`.
	}
	if ( ! pertinent_json_schema_has_type( $value, 'array' ) ) {
		return array();
	}
	$prefix   = isset( $schema['prefixItems'] ) && is_array( $schema['prefixItems'] ) ? array_values( $schema['prefixItems'] ) : array();
	$rest     = array_key_exists( 'items', $schema ) ? $schema['items'] : true;
	$problems = array();
	foreach ( array_values( $value ) as $i => $item ) {
		$item_schema = $i < count( $prefix ) ? $prefix[ $i ] : $rest;
		if ( true !== $item_schema ) {
			$problems = array_merge( $problems, pertinent_json_schema_validate( $item, $item_schema, $path . '[' . $i . ']', $root ) );
		}
	}
	return $problems;
}

/**
 * `minItems` / `maxItems`.
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_count( $value, $keyword, $schema, $path ) {
	if ( ! pertinent_json_schema_has_type( $value, 'array' ) ) {
		return array();
	}
	$limit = (int) $schema[ $keyword ];
	if ( 'minItems' === $keyword && count( $value ) < $limit ) {
		/* translators: %d: the least number of items. */
		return array( array( $path, sprintf( _n( 'must have at least %d item', 'must have at least %d items', $limit, 'pertinent' ), $limit ) ) );
	}
	if ( 'maxItems' === $keyword && count( $value ) > $limit ) {
		/* translators: %d: the most items allowed. */
		return array( array( $path, sprintf( _n( 'must have at most %d item', 'must have at most %d items', $limit, 'pertinent' ), $limit ) ) );
	}
	return array();
}

/**
 * `uniqueItems`: compares JSON values, not PHP ones (so [1, 1.0] repeats, ["1", 1] does not).
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_unique( $value, $keyword, $schema, $path ) {
	if ( true !== $schema[ $keyword ] || ! pertinent_json_schema_has_type( $value, 'array' ) ) {
		return array();
	}
	$items = array_values( $value );
	$count = count( $items );
	for ( $i = 0; $i < $count; $i++ ) {
		for ( $j = $i + 1; $j < $count; $j++ ) {
			if ( pertinent_json_equal( $items[ $i ], $items[ $j ] ) ) {
				/* translators: %s: the repeated value. */
				return array( array( $path, sprintf( __( 'must not repeat a value (%s appears twice)', 'pertinent' ), pertinent_json_text( $items[ $i ] ) ) ) );
			}
		}
	}
	return array();
}

/**
 * `minLength` / `maxLength`, in characters (code points), as JSON Schema counts them.
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_length( $value, $keyword, $schema, $path ) {
	if ( ! is_string( $value ) ) {
		return array();
	}
	if ( ! mb_check_encoding( $value, 'UTF-8' ) ) {
		return array( array( $path, __( 'is not valid UTF-8 text', 'pertinent' ) ) );
	}
	$limit  = (int) $schema[ $keyword ];
	$length = mb_strlen( $value, 'UTF-8' );
	if ( 'minLength' === $keyword && $length < $limit ) {
		/* translators: %d: the least number of characters. */
		return array( array( $path, sprintf( _n( 'must have at least %d character', 'must have at least %d characters', $limit, 'pertinent' ), $limit ) ) );
	}
	if ( 'maxLength' === $keyword && $length > $limit ) {
		/* translators: %d: the most characters allowed. */
		return array( array( $path, sprintf( _n( 'must have at most %d character', 'must have at most %d characters', $limit, 'pertinent' ), $limit ) ) );
	}
	return array();
}

/**
 * The PCRE form of a JSON Schema pattern: every unescaped `/` escaped, so the pattern cannot close the
 * delimiters early, and `u` so `\S` and friends see characters, not bytes.
 *
 * @param string $pattern ECMA-262 style pattern.
 * @return string
 */
function pertinent_json_schema_regex( $pattern ) {
	$out    = '';
	$length = strlen( $pattern );
	for ( $i = 0; $i < $length; $i++ ) {
		$char = $pattern[ $i ];
		if ( '\\' === $char && $i + 1 < $length ) {
			$out .= $char . $pattern[ ++$i ];
			continue;
		}
		$out .= '/' === $char ? '\\/' : $char;
	}
	return '/' . $out . '/u';
}

/**
 * `pattern` (unanchored, as in JSON Schema).
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_pattern( $value, $keyword, $schema, $path ) {
	if ( ! is_string( $value ) ) {
		return array();
	}
	$pattern = (string) $schema[ $keyword ];
	$found   = @preg_match( pertinent_json_schema_regex( $pattern ), $value ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a bad pattern or bad UTF-8 gives false, reported below.
	if ( false === $found ) {
		return array( array( $path, __( 'could not be checked: the schema pattern is invalid or the text is not UTF-8', 'pertinent' ) ) );
	}
	/* translators: %s: a regular expression. */
	return $found ? array() : array( array( $path, sprintf( __( 'must match the pattern %s', 'pertinent' ), $pattern ) ) );
}

/**
 * `minimum` / `maximum` (inclusive).
 *
 * @param mixed  $value   Value.
 * @param string $keyword The keyword.
 * @param array  $schema  Schema.
 * @param string $path    Path.
 * @return array
 */
function pertinent_json_schema_check_bound( $value, $keyword, $schema, $path ) {
	if ( ! pertinent_json_schema_has_type( $value, 'number' ) ) {
		return array();
	}
	$limit = $schema[ $keyword ];
	if ( 'minimum' === $keyword && $value < $limit ) {
		/* translators: %s: the least allowed number. */
		return array( array( $path, sprintf( __( 'must be at least %s', 'pertinent' ), pertinent_json_text( $limit ) ) ) );
	}
	if ( 'maximum' === $keyword && $value > $limit ) {
		/* translators: %s: the largest allowed number. */
		return array( array( $path, sprintf( __( 'must be at most %s', 'pertinent' ), pertinent_json_text( $limit ) ) ) );
	}
	return array();
}

/**
 * Coerces what a form sends towards a schema without changing its meaning: strings trimmed (and passed
 * through $text, e.g. lower-casing), integers from integer strings, and empty strings and nulls dropped
 * from objects and from lists of strings (a condition or slot name left blank). Nothing is clamped,
 * deduplicated or removed for being invalid: the validator reports that instead.
 *
 * @param mixed    $value  Raw value.
 * @param array    $schema The (sub)schema.
 * @param array    $root   Root schema, for `$ref`.
 * @param callable $text   Applied to every trimmed string the schema types as string.
 * @return mixed
 */
function pertinent_json_schema_coerce( $value, $schema, $root, $text ) {
	if ( is_object( $value ) ) {
		$value = get_object_vars( $value );
	}
	while ( is_array( $schema ) && isset( $schema['$ref'] ) ) {
		$target = pertinent_json_schema_resolve( $schema['$ref'], $root );
		$schema = ( is_array( $target ) ? $target : array() ) + array_diff_key( $schema, array( '$ref' => 1 ) );
	}
	if ( ! is_array( $schema ) ) {
		return $value;
	}
	$types = isset( $schema['type'] ) ? (array) $schema['type'] : pertinent_json_schema_enum_types( $schema );
	if ( is_string( $value ) && in_array( 'integer', $types, true ) && ! in_array( 'string', $types, true ) && preg_match( '/^\s*-?\d{1,15}\s*$/', $value ) ) {
		return (int) trim( $value );
	}
	if ( is_string( $value ) && in_array( 'string', $types, true ) ) {
		return call_user_func( $text, trim( $value ) );
	}
	if ( ! is_array( $value ) ) {
		return $value;
	}
	if ( pertinent_json_is_list( $value ) && array() !== $value ) {
		$prefix = isset( $schema['prefixItems'] ) ? array_values( (array) $schema['prefixItems'] ) : array();
		$rest   = isset( $schema['items'] ) ? $schema['items'] : true;
		$out    = array();
		foreach ( $value as $i => $item ) {
			$item = pertinent_json_schema_coerce( $item, $i < count( $prefix ) ? $prefix[ $i ] : $rest, $root, $text );
			if ( $prefix || ( '' !== $item && null !== $item ) ) {
				$out[] = $item;
			}
		}
		return $out;
	}
	$known = isset( $schema['properties'] ) ? (array) $schema['properties'] : array();
	$out   = array();
	foreach ( $value as $name => $item ) {
		$item = pertinent_json_schema_coerce( $item, isset( $known[ $name ] ) ? $known[ $name ] : true, $root, $text );
		if ( '' !== $item && null !== $item ) {
			$out[ $name ] = $item;
		}
	}
	return $out;
}

/**
 * The JSON types of an `enum`'s values (a schema may give `enum` without `type`).
 *
 * @param array $schema Schema.
 * @return string[]
 */
function pertinent_json_schema_enum_types( $schema ) {
	$values = isset( $schema['enum'] ) ? (array) $schema['enum'] : ( array_key_exists( 'const', $schema ) ? array( $schema['const'] ) : array() );
	$types  = array();
	foreach ( $values as $value ) {
		foreach ( array( 'null', 'boolean', 'integer', 'number', 'string', 'array', 'object' ) as $type ) {
			if ( pertinent_json_schema_has_type( $value, $type ) ) {
				$types[] = $type;
				break;
			}
		}
	}
	return array_values( array_unique( $types ) );
}

/**
 * The same schema in WordPress's REST dialect (for `show_in_rest`), which has no `$ref`, `const`,
 * `prefixItems` or `items: false` and wants a `type` everywhere: references inlined, `const` as a one-value
 * `enum`, `prefixItems` as `items` matching any of them (maxItems still bounds the length). The result is
 * never stricter than the source, so the plugin's own validator stays the one that decides.
 *
 * @param mixed $schema The (sub)schema.
 * @param array $root   Root schema, for `$ref`.
 * @return mixed
 */
function pertinent_json_schema_for_rest( $schema, $root ) {
	if ( ! is_array( $schema ) ) {
		return $schema;
	}
	while ( isset( $schema['$ref'] ) ) {
		$target = pertinent_json_schema_resolve( $schema['$ref'], $root );
		$schema = ( is_array( $target ) ? $target : array() ) + array_diff_key( $schema, array( '$ref' => 1 ) );
	}
	if ( array_key_exists( 'const', $schema ) ) {
		$schema['enum'] = array( $schema['const'] );
	}
	if ( ! isset( $schema['type'] ) && pertinent_json_schema_enum_types( $schema ) ) {
		$types          = pertinent_json_schema_enum_types( $schema );
		$schema['type'] = 1 === count( $types ) ? $types[0] : $types;
	}
	if ( isset( $schema['prefixItems'] ) ) {
		$choices = array_map(
			static function ( $item ) use ( $root ) {
				return pertinent_json_schema_for_rest( $item, $root );
			},
			array_values( (array) $schema['prefixItems'] )
		);
		$types   = array_unique( array_map( 'wp_json_encode', wp_list_pluck( $choices, 'type' ) ) );
		$items   = array( 'anyOf' => $choices );
		if ( 1 === count( $types ) && isset( $choices[0]['type'] ) ) {
			$items['type'] = $choices[0]['type'];
		}
		$schema['items'] = $items;
	} elseif ( isset( $schema['items'] ) && is_array( $schema['items'] ) ) {
		$schema['items'] = pertinent_json_schema_for_rest( $schema['items'], $root );
	} else {
		unset( $schema['items'] );
	}
	if ( isset( $schema['properties'] ) ) {
		foreach ( $schema['properties'] as $name => $property ) {
			$schema['properties'][ $name ] = pertinent_json_schema_for_rest( $property, $root );
		}
	}
	$keep = array_merge( rest_get_allowed_schema_keywords(), array( 'required' ) );
	return array_intersect_key( $schema, array_flip( $keep ) );
}
