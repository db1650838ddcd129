/**
 * The browser twin of includes/json-schema.php: validates a value against the schema subset the rule
 * schema uses and returns [path, message] problems, so the editor sees what the server would refuse before
 * saving. Same keywords, same semantics (integers are not booleans, uniqueItems compares JSON values);
 * an unsupported keyword is a problem, as on the server. One difference JavaScript cannot avoid: 5.0 and
 * 5 are the same number here, so 5.0 passes as an integer (the form only ever produces integers).
 */
( function ( win ) {
	var ANNOTATIONS = [ '$schema', '$id', '$defs', '$comment', 'title', 'description', 'default', 'examples' ];
	var KEYWORDS = [ '$ref', 'type', 'enum', 'const', 'required', 'properties', 'additionalProperties',
		'prefixItems', 'items', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern',
		'minimum', 'maximum' ];

	function isObject( v ) {
		return v !== null && typeof v === 'object' && ! Array.isArray( v );
	}

	function hasType( v, type ) {
		switch ( type ) {
			case 'null': return v === null;
			case 'boolean': return typeof v === 'boolean';
			case 'integer': return typeof v === 'number' && Number.isInteger( v );
			case 'number': return typeof v === 'number' && isFinite( v );
			case 'string': return typeof v === 'string';
			case 'array': return Array.isArray( v );
			case 'object': return isObject( v );
		}
		return false;
	}

	function equal( a, b ) {
		if ( Array.isArray( a ) || Array.isArray( b ) ) {
			return Array.isArray( a ) && Array.isArray( b ) && a.length === b.length &&
				a.every( function ( x, i ) { return equal( x, b[ i ] ); } );
		}
		if ( isObject( a ) || isObject( b ) ) {
			if ( ! isObject( a ) || ! isObject( b ) || Object.keys( a ).length !== Object.keys( b ).length ) {
				return false;
			}
			return Object.keys( a ).every( function ( k ) { return k in b && equal( a[ k ], b[ k ] ); } );
		}
		return a === b;
	}

	function resolve( ref, root ) {
		if ( typeof ref !== 'string' || ref.charAt( 0 ) !== '#' ) {
			return null;
		}
		var node = root;
		var parts = ref.slice( 1 ).split( '/' ).filter( Boolean );
		for ( var i = 0; i < parts.length; i++ ) {
			var key = decodeURIComponent( parts[ i ] ).replace( /~1/g, '/' ).replace( /~0/g, '~' );
			if ( ! isObject( node ) || ! ( key in node ) ) {
				return null;
			}
			node = node[ key ];
		}
		return node;
	}

	/** A schema with its `$ref` chain merged in (for code that reads a schema's shape, like the form). */
	function deref( schema, root ) {
		while ( isObject( schema ) && schema.$ref ) {
			var target = resolve( schema.$ref, root ) || {};
			var rest = Object.assign( {}, schema );
			delete rest.$ref;
			schema = Object.assign( {}, target, rest );
		}
		return schema;
	}

	function json( v ) {
		return JSON.stringify( v );
	}

	function validate( value, schema, path, root ) {
		root = root || schema;
		if ( schema === false ) {
			return [ [ path, 'is not allowed here' ] ];
		}
		if ( ! isObject( schema ) ) {
			return [];
		}
		var problems = [];
		if ( schema.$ref !== undefined ) {
			var target = resolve( schema.$ref, root );
			if ( target === null ) {
				return [ [ path, 'the schema refers to ' + schema.$ref + ', which it does not define' ] ];
			}
			problems = validate( value, target, path, root );
		}
		if ( schema.type !== undefined ) {
			var types = [].concat( schema.type );
			if ( ! types.some( function ( t ) { return hasType( value, t ); } ) ) {
				problems.push( [ path, 'must be of type ' + types.join( ' or ' ) ] );
				return problems;
			}
		}
		Object.keys( schema ).forEach( function ( keyword ) {
			if ( KEYWORDS.indexOf( keyword ) < 0 ) {
				if ( ANNOTATIONS.indexOf( keyword ) < 0 ) {
					problems.push( [ path, 'the schema uses the keyword "' + keyword + '", which this validator does not support' ] );
				}
				return;
			}
			problems = problems.concat( check( keyword, value, schema, path, root ) );
		} );
		return problems;
	}

	function check( keyword, value, schema, path, root ) {
		var arg = schema[ keyword ];
		var out = [];
		switch ( keyword ) {
			case 'enum':
				return arg.some( function ( c ) { return equal( value, c ); } ) ? [] : [ [ path, 'must be one of: ' + arg.map( json ).join( ', ' ) ] ];
			case 'const':
				return equal( value, arg ) ? [] : [ [ path, 'must be ' + json( arg ) ] ];
			case 'required':
				if ( isObject( value ) ) {
					arg.forEach( function ( name ) {
						if ( ! ( name in value ) ) {
							out.push( [ path + '.' + name, 'is required' ] );
						}
					} );
				}
				return out;
			case 'properties':
			case 'additionalProperties':
				if ( ( keyword === 'additionalProperties' && schema.properties ) || ! isObject( value ) ) {
					return [];
				}
				var known = schema.properties || {};
				var extra = 'additionalProperties' in schema ? schema.additionalProperties : true;
				Object.keys( value ).forEach( function ( name ) {
					var where = path + '.' + name;
					if ( Object.prototype.hasOwnProperty.call( known, name ) ) {
						out = out.concat( validate( value[ name ], known[ name ], where, root ) );
					} else if ( extra === false ) {
						out.push( [ where, 'is not allowed here (allowed: ' + Object.keys( known ).join( ', ' ) + ')' ] );
					} else if ( isObject( extra ) ) {
						out = out.concat( validate( value[ name ], extra, where, root ) );
					}
				} );
				return out;
			case 'prefixItems':
			case 'items':
				if ( ( keyword === 'items' && schema.prefixItems ) || ! Array.isArray( value ) ) {
					return [];
				}
				var prefix = schema.prefixItems || [];
				var rest = 'items' in schema ? schema.items : true;
				value.forEach( function ( item, i ) {
					var itemSchema = i < prefix.length ? prefix[ i ] : rest;
					if ( itemSchema !== true ) {
						out = out.concat( validate( item, itemSchema, path + '[' + i + ']', root ) );
					}
				} );
				return out;
			case 'minItems':
				return Array.isArray( value ) && value.length < arg ? [ [ path, 'must have at least ' + arg + ( arg === 1 ? ' item' : ' items' ) ] ] : [];
			case 'maxItems':
				return Array.isArray( value ) && value.length > arg ? [ [ path, 'must have at most ' + arg + ( arg === 1 ? ' item' : ' items' ) ] ] : [];
			case 'uniqueItems':
				if ( arg === true && Array.isArray( value ) ) {
					for ( var i = 0; i < value.length; i++ ) {
						for ( var j = i + 1; j < value.length; j++ ) {
							if ( equal( value[ i ], value[ j ] ) ) {
								return [ [ path, 'must not repeat a value (' + json( value[ i ] ) + ' appears twice)' ] ];
							}
						}
					}
				}
				return [];
			case 'minLength':
			case 'maxLength':
				if ( typeof value !== 'string' ) {
					return [];
				}
				var length = Array.from( value ).length; // Code points, as JSON Schema and the server count.
				if ( keyword === 'minLength' && length < arg ) {
					return [ [ path, 'must have at least ' + arg + ( arg === 1 ? ' character' : ' characters' ) ] ];
				}
				return keyword === 'maxLength' && length > arg ? [ [ path, 'must have at most ' + arg + ( arg === 1 ? ' character' : ' characters' ) ] ] : [];
			case 'pattern':
				return typeof value !== 'string' || new RegExp( arg, 'u' ).test( value ) ? [] : [ [ path, 'must match the pattern ' + arg ] ];
			case 'minimum':
				return typeof value === 'number' && value < arg ? [ [ path, 'must be at least ' + arg ] ] : [];
			case 'maximum':
				return typeof value === 'number' && value > arg ? [ [ path, 'must be at most ' + arg ] ] : [];
		}
		return [];
	}

	win.pertinentJsonSchema = { validate: validate, deref: deref, resolve: resolve, equal: equal };
} )( window );
