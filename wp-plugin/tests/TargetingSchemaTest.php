<?php
/**
 * The JSON Schema validator (includes/json-schema.php): each keyword of the subset the rule schema uses,
 * on small schemas, with the path and message of every problem.
 *
 * @package Pertinent
 */

/**
 * Keyword by keyword.
 *
 * @covers ::pertinent_json_schema_validate
 */
class TargetingSchemaTest extends PertinentTestCase {

	/**
	 * Problems of $value against $schema, as "path: message" strings.
	 *
	 * @param mixed $value  Value.
	 * @param array $schema Schema.
	 * @return string[]
	 */
	private function problems( $value, $schema ) {
		return array_map(
			static function ( $p ) {
				return $p[0] . ': ' . $p[1];
			},
			pertinent_json_schema_validate( $value, $schema, 'v' )
		);
	}

	/**
	 * (value, schema, expected problems) for each keyword: a passing and a failing case.
	 *
	 * @return array<string,array>
	 */
	public function keyword_cases() {
		$obj  = array(
			'type'                 => 'object',
			'additionalProperties' => false,
			'required'             => array( 'a' ),
			'properties'           => array( 'a' => array( 'type' => 'string' ) ),
		);
		$pair = array(
			'type'        => 'array',
			'prefixItems' => array(
				array(
					'type'    => 'integer',
					'maximum' => 23,
				),
				array( 'type' => 'string' ),
			),
			'items'       => false,
		);
		return array(
			'integer accepts an int'             => array( 5, array( 'type' => 'integer' ), array() ),
			'integer refuses true'               => array( true, array( 'type' => 'integer' ), array( 'v: must be of type integer' ) ),
			'integer refuses 5.0'                => array( 5.0, array( 'type' => 'integer' ), array( 'v: must be of type integer' ) ),
			'integer refuses "5"'                => array( '5', array( 'type' => 'integer' ), array( 'v: must be of type integer' ) ),
			'boolean refuses 1'                  => array( 1, array( 'type' => 'boolean' ), array( 'v: must be of type boolean' ) ),
			'number accepts 1.5'                 => array( 1.5, array( 'type' => 'number' ), array() ),
			'type list'                          => array( null, array( 'type' => array( 'string', 'null' ) ), array() ),
			'array refuses an object'            => array( array( 'a' => 1 ), array( 'type' => 'array' ), array( 'v: must be of type array' ) ),
			'object refuses a list'              => array( array( 1, 2 ), array( 'type' => 'object' ), array( 'v: must be of type object' ) ),
			'empty array is a list and object'   => array( array(), array( 'type' => 'object' ), array() ),
			'enum'                               => array( 'pin', array( 'enum' => array( 'pin', 'exclude' ) ), array() ),
			'enum refuses another value'         => array( 'boost', array( 'enum' => array( 'pin', 'exclude' ) ), array( 'v: must be one of: "pin", "exclude"' ) ),
			'enum compares types'                => array( '1', array( 'enum' => array( 1 ) ), array( 'v: must be one of: 1' ) ),
			'const'                              => array( 2, array( 'const' => 2 ), array() ),
			'const refuses'                      => array( 3, array( 'const' => 2 ), array( 'v: must be 2' ) ),
			'required'                           => array( array( 'b' => 'x' ), $obj, array( 'v.a: is required', 'v.b: is not allowed here (allowed: a)' ) ),
			'properties check their schema'      => array( array( 'a' => 1 ), $obj, array( 'v.a: must be of type string' ) ),
			'additionalProperties as a schema'   => array(
				array( 'x' => 'y' ),
				array(
					'type'                 => 'object',
					'additionalProperties' => array( 'type' => 'integer' ),
				),
				array( 'v.x: must be of type integer' ),
			),
			'items'                              => array(
				array( 1, 'two' ),
				array(
					'type'  => 'array',
					'items' => array( 'type' => 'integer' ),
				),
				array( 'v[1]: must be of type integer' ),
			),
			'prefixItems by position'            => array( array( 24, 3 ), $pair, array( 'v[0]: must be at most 23', 'v[1]: must be of type string' ) ),
			'items false after prefixItems'      => array( array( 1, 'a', 'extra' ), $pair, array( 'v[2]: is not allowed here' ) ),
			'minItems'                           => array( array(), array( 'minItems' => 1 ), array( 'v: must have at least 1 item' ) ),
			'maxItems'                           => array( array( 1, 2, 3 ), array( 'maxItems' => 2 ), array( 'v: must have at most 2 items' ) ),
			'minItems equal to maxItems'         => array(
				array( 1 ),
				array(
					'minItems' => 2,
					'maxItems' => 2,
				),
				array( 'v: must have at least 2 items' ),
			),
			'uniqueItems'                        => array( array( 5, 5 ), array( 'uniqueItems' => true ), array( 'v: must not repeat a value (5 appears twice)' ) ),
			'uniqueItems compares JSON values'   => array( array( 1, 1.0 ), array( 'uniqueItems' => true ), array( 'v: must not repeat a value (1 appears twice)' ) ),
			'uniqueItems keeps types apart'      => array( array( '1', 1, true ), array( 'uniqueItems' => true ), array() ),
			'uniqueItems on objects'             => array(
				array(
					array(
						'a' => 1,
						'b' => 2,
					),
					array(
						'b' => 2,
						'a' => 1,
					),
				),
				array( 'uniqueItems' => true ),
				array( 'v: must not repeat a value ({"a":1,"b":2} appears twice)' ),
			),
			'minLength counts characters'        => array( 'é', array( 'minLength' => 2 ), array( 'v: must have at least 2 characters' ) ),
			'maxLength counts characters'        => array( 'ééé', array( 'maxLength' => 3 ), array() ),
			'maxLength refuses'                  => array( 'abcd', array( 'maxLength' => 3 ), array( 'v: must have at most 3 characters' ) ),
			'pattern'                            => array( '   ', array( 'pattern' => '\\S' ), array( 'v: must match the pattern \\S' ) ),
			'pattern is unanchored'              => array( ' x ', array( 'pattern' => '\\S' ), array() ),
			'pattern with a slash'               => array( 'a/b', array( 'pattern' => '^a/b$' ), array() ),
			'pattern cannot close the delimiter' => array( 'x', array( 'pattern' => 'x/e' ), array( 'v: must match the pattern x/e' ) ),
			'pattern sees unicode spaces'        => array( "\u{a0}", array( 'pattern' => '\\S' ), array( 'v: must match the pattern \\S' ) ),
			'minimum'                            => array( -1, array( 'minimum' => 0 ), array( 'v: must be at least 0' ) ),
			'maximum'                            => array( 7, array( 'maximum' => 6 ), array( 'v: must be at most 6' ) ),
			'bounds ignore strings'              => array( '99', array( 'maximum' => 6 ), array() ),
			'unsupported keyword fails closed'   => array( 1, array( 'anyOf' => array() ), array( 'v: the schema uses the keyword "anyOf", which this validator does not support' ) ),
			'annotations are ignored'            => array(
				1,
				array(
					'title'       => 't',
					'description' => 'd',
				),
				array(),
			),
		);
	}

	/**
	 * One keyword, one case.
	 *
	 * @dataProvider keyword_cases
	 *
	 * @param mixed    $value    Value.
	 * @param array    $schema   Schema.
	 * @param string[] $expected Problems.
	 */
	public function test_keyword( $value, $schema, $expected ) {
		$this->assertSame( $expected, $this->problems( $value, $schema ) );
	}

	/**
	 * Ref resolves against the root and a missing one is a problem.
	 */
	public function test_ref_resolves_against_the_root_and_a_missing_one_is_a_problem() {
		$schema = array(
			'$defs' => array(
				'count' => array(
					'type'    => 'integer',
					'minimum' => 0,
				),
			),
			'type'  => 'array',
			'items' => array( '$ref' => '#/$defs/count' ),
		);
		$this->assertSame( array( 'v[1]: must be at least 0' ), $this->problems( array( 1, -2 ), $schema ) );
		$schema['items'] = array( '$ref' => '#/$defs/missing' );
		$this->assertSame( array( 'v[0]: the schema refers to #/$defs/missing, which it does not define' ), $this->problems( array( 1 ), $schema ) );
	}

	/**
	 * Objects decoded as stdclass are objects.
	 */
	public function test_objects_decoded_as_stdclass_are_objects() {
		$schema = array(
			'type'                 => 'object',
			'additionalProperties' => false,
			'properties'           => array( 'a' => array( 'type' => 'integer' ) ),
		);
		$this->assertSame( array( 'v.a: must be of type integer' ), $this->problems( json_decode( '{"a":"x"}' ), $schema ) );
	}

	/**
	 * The shipped schema uses only supported keywords.
	 */
	public function test_the_shipped_schema_uses_only_supported_keywords() {
		// A keyword outside the subset would make every rule "unsupported": this valid rule touches every part.
		$rule = array(
			'action' => 'pin',
			'slots'  => array( 'hero' ),
			'when'   => array(
				'utm_source'        => 'news',
				'utm_medium'        => 'email',
				'utm_campaign'      => 'spring',
				'referrer_contains' => 'google',
				'device'            => 'mobile',
				'segment'           => 'loyal',
				'role'              => 'subscriber',
				'visit_count_min'   => 2,
				'visit_count_max'   => 9,
				'hours'             => array( 22, 6 ),
				'days'              => array( 0, 6 ),
			),
		);
		$this->assertSame( array(), pertinent_json_schema_validate( array( $rule ), pertinent_targeting_schema(), 'targeting' ) );
	}

	/**
	 * Rest dialect has no keyword WordPress does not know.
	 */
	public function test_rest_dialect_has_no_keyword_wordpress_does_not_know() {
		$rest    = wp_json_encode( pertinent_targeting_rest_schema() );
		$allowed = array_merge( rest_get_allowed_schema_keywords(), array( 'required' ) );
		foreach ( array( '$ref', '$defs', 'prefixItems', 'const', '$schema' ) as $keyword ) {
			$this->assertStringNotContainsString( '"' . $keyword . '"', $rest );
		}
		$this->assertContains( 'uniqueItems', $allowed );
		// WordPress's own validator, given the derived schema, accepts a valid rule and refuses a bad action.
		$schema = pertinent_targeting_rest_schema();
		$this->assertTrue(
			rest_validate_value_from_schema(
				array(
					array(
						'action' => 'pin',
						'when'   => array( 'hours' => array( 22, 6 ) ),
					),
				),
				$schema
			)
		);
		$this->assertWPError( rest_validate_value_from_schema( array( array( 'action' => 'boost' ) ), $schema ) );
	}

	/**
	 * Asserts a WP_Error.
	 *
	 * @param mixed $value Value.
	 */
	private function assertWPError( $value ) {
		$this->assertInstanceOf( WP_Error::class, $value );
	}
}
