/**
 * The variant's targeting rules as a form: per rule an action, slot names and condition rows (a text or a
 * number, hours as two selects, weekdays as checkboxes). Which conditions exist and what each accepts is
 * read from the rule schema (window.pertinentTargeting.schema, the plugin's schema file); the rules are
 * written as JSON into the "Advanced" textarea, which is what the meta box submits, and validated with
 * the same schema on every change. In the block editor, saving is locked while a rule is invalid.
 */
( function ( win, doc, config ) {
	var form = doc.getElementById( 'pertinent-targeting-form' );
	var textarea = doc.getElementById( 'pertinent_targeting' );
	var problemsBox = doc.getElementById( 'pertinent-targeting-problems' );
	var js = win.pertinentJsonSchema;
	if ( ! form || ! textarea || ! problemsBox || ! js || ! config ) {
		return; // The JSON textarea stays usable on its own.
	}
	var __ = win.wp && win.wp.i18n ? win.wp.i18n.__ : function ( s ) { return s; };
	var schema = config.schema;
	var ruleSchema = js.deref( schema.items, schema );
	var whenSchema = js.deref( ruleSchema.properties.when, schema );
	var conditions = Object.keys( whenSchema.properties );
	var ACTION_LABELS = { pin: __( 'Pin: always show this variant', 'pertinent' ), exclude: __( 'Exclude: never show this variant', 'pertinent' ) };
	var DAYS = [ __( 'Monday', 'pertinent' ), __( 'Tuesday', 'pertinent' ), __( 'Wednesday', 'pertinent' ), __( 'Thursday', 'pertinent' ),
		__( 'Friday', 'pertinent' ), __( 'Saturday', 'pertinent' ), __( 'Sunday', 'pertinent' ) ];
	var rules = [];
	var uid = 0;

	function label( key ) {
		return ( config.conditions && config.conditions[ key ] ) || key;
	}

	function conditionSchema( key ) {
		return js.deref( whenSchema.properties[ key ], schema ) || {}; // {}: a key the schema does not know.
	}

	/** What widget a condition gets, from its schema: a range pair, a set of small integers, a number, text. */
	function widgetOf( key ) {
		var s = conditionSchema( key );
		if ( s.type === 'array' && s.prefixItems ) {
			return 'range';
		}
		if ( s.type === 'array' ) {
			return 'set';
		}
		return s.type === 'integer' ? 'number' : 'text';
	}

	function defaultValue( key ) {
		var s = conditionSchema( key );
		switch ( widgetOf( key ) ) {
			case 'range': return [ 9, 17 ];
			case 'set': return [ 0, 1, 2, 3, 4 ].filter( function ( d ) { return d <= js.deref( s.items, schema ).maximum; } );
			case 'number': return '';
		}
		return '';
	}

	function el( tag, attrs, children ) {
		var node = doc.createElement( tag );
		Object.keys( attrs || {} ).forEach( function ( k ) {
			if ( k === 'text' ) {
				node.textContent = attrs[ k ];
			} else if ( k.slice( 0, 2 ) === 'on' ) {
				node.addEventListener( k.slice( 2 ), attrs[ k ] );
			} else if ( attrs[ k ] !== null && attrs[ k ] !== false ) {
				node.setAttribute( k, attrs[ k ] === true ? '' : attrs[ k ] );
			}
		} );
		( children || [] ).forEach( function ( c ) {
			if ( c ) {
				node.appendChild( c );
			}
		} );
		return node;
	}

	function id( prefix ) {
		uid += 1;
		return 'pertinent-' + prefix + '-' + uid;
	}

	function options( from, to, selected, text ) {
		var out = [];
		for ( var v = from; v <= to; v++ ) {
			out.push( el( 'option', { value: String( v ), selected: v === selected, text: text ? text( v ) : String( v ) } ) );
		}
		return out;
	}

	function hour( h ) {
		return ( h < 10 ? '0' : '' ) + h + ':00';
	}

	/** A number field's value: an integer when it is one, else the text itself (the schema then says why). */
	function numberOf( text ) {
		return /^\s*-?\d+\s*$/.test( text ) ? parseInt( text, 10 ) : text;
	}

	function valueWidget( rule, key, ruleIndex ) {
		var s = conditionSchema( key );
		var value = rule.when[ key ];
		var fieldId = id( 'value' );
		var set = function ( v ) {
			rule.when[ key ] = v;
			sync();
		};
		var kind = widgetOf( key );
		if ( kind === 'range' ) {
			var ends = s.prefixItems.map( function ( p ) { return js.deref( p, schema ); } );
			var pair = Array.isArray( value ) ? value.slice() : defaultValue( key );
			var names = [ __( 'From', 'pertinent' ), __( 'Until', 'pertinent' ) ];
			return el( 'span', { class: 'pertinent-rule__range', 'data-field': key }, ends.map( function ( end, i ) {
				var selectId = id( 'hour' );
				return el( 'span', {}, [
					el( 'label', { for: selectId, text: names[ i ] } ),
					el( 'select', { id: selectId, 'data-part': String( i ), onchange: function ( e ) {
						pair[ i ] = parseInt( e.target.value, 10 );
						set( pair.slice() );
					} }, options( end.minimum, end.maximum, pair[ i ], hour ) ),
				] );
			} ) );
		}
		if ( kind === 'set' ) {
			var item = js.deref( s.items, schema );
			var chosen = Array.isArray( value ) ? value : [];
			var boxes = [];
			for ( var d = item.minimum; d <= item.maximum; d++ ) {
				( function ( day ) {
					var boxId = id( 'day' );
					boxes.push( el( 'span', { class: 'pertinent-rule__day' }, [
						el( 'input', { type: 'checkbox', id: boxId, value: String( day ), checked: chosen.indexOf( day ) >= 0, onchange: function ( e ) {
							var next = chosen.filter( function ( x ) { return x !== day; } );
							if ( e.target.checked ) {
								next.push( day );
							}
							next.sort();
							chosen = next;
							set( next );
						} } ),
						el( 'label', { for: boxId, text: DAYS[ day ] || String( day ) } ),
					] ) );
				} )( d );
			}
			return el( 'fieldset', { class: 'pertinent-rule__days', 'data-field': key }, [ el( 'legend', { class: 'screen-reader-text', text: label( key ) } ) ].concat( boxes ) );
		}
		var input = el( 'input', {
			id: fieldId, 'data-field': key, type: kind === 'number' ? 'number' : 'text',
			min: kind === 'number' ? s.minimum : null, max: kind === 'number' ? s.maximum : null,
			maxlength: s.maxLength || null, value: value === undefined ? '' : String( value ),
			'aria-label': label( key ) + ' (' + __( 'rule', 'pertinent' ) + ' ' + ( ruleIndex + 1 ) + ')',
			oninput: function ( e ) {
				set( kind === 'number' ? numberOf( e.target.value ) : e.target.value );
			},
		} );
		return input;
	}

	function conditionRow( rule, key, ruleIndex ) {
		var selectId = id( 'condition' );
		var used = Object.keys( rule.when );
		var known = conditions.indexOf( key ) >= 0 ? conditions : [ key ].concat( conditions );
		var choices = known.filter( function ( c ) { return c === key || used.indexOf( c ) < 0; } ).map( function ( c ) {
			return el( 'option', { value: c, selected: c === key, text: label( c ) } );
		} );
		return el( 'div', { class: 'pertinent-rule__condition', 'data-condition': key }, [
			el( 'label', { for: selectId, class: 'screen-reader-text', text: __( 'Condition', 'pertinent' ) } ),
			el( 'select', { id: selectId, class: 'pertinent-rule__condition-key', onchange: function ( e ) {
				delete rule.when[ key ];
				rule.when[ e.target.value ] = defaultValue( e.target.value );
				render();
			} }, choices ),
			valueWidget( rule, key, ruleIndex ),
			el( 'button', { type: 'button', class: 'button-link pertinent-rule__remove-condition', text: __( 'Remove condition', 'pertinent' ), onclick: function () {
				delete rule.when[ key ];
				render();
			} } ),
		] );
	}

	function ruleBox( rule, i ) {
		var actionId = id( 'action' );
		var slotsId = id( 'slots' );
		var titleId = id( 'rule-title' );
		var free = conditions.filter( function ( c ) { return ! ( c in rule.when ); } );
		return el( 'div', { class: 'pertinent-rule', role: 'group', 'aria-labelledby': titleId, 'data-rule': String( i ) }, [
			el( 'h4', { id: titleId, text: __( 'Rule', 'pertinent' ) + ' ' + ( i + 1 ) } ),
			el( 'p', {}, [
				el( 'label', { for: actionId, text: __( 'Action', 'pertinent' ) } ),
				el( 'select', { id: actionId, class: 'pertinent-rule__action', 'data-field': 'action', onchange: function ( e ) {
					rule.action = e.target.value;
					sync();
				} }, js.deref( ruleSchema.properties.action, schema ).enum.map( function ( a ) {
					return el( 'option', { value: a, selected: a === rule.action, text: ACTION_LABELS[ a ] || a } );
				} ) ),
			] ),
			el( 'p', {}, [
				el( 'label', { for: slotsId, text: __( 'In slots (comma-separated names; empty = every slot)', 'pertinent' ) } ),
				el( 'input', { type: 'text', id: slotsId, class: 'regular-text pertinent-rule__slots', 'data-field': 'slots', value: ( rule.slots || [] ).join( ', ' ), oninput: function ( e ) {
					rule.slots = e.target.value.split( ',' ).map( function ( s ) { return s.trim(); } ).filter( Boolean );
					sync();
				} } ),
			] ),
			el( 'div', { class: 'pertinent-rule__conditions' }, [
				el( 'p', { class: 'pertinent-rule__when', text: Object.keys( rule.when ).length ? __( 'When all of these hold:', 'pertinent' ) : __( 'Always (no conditions yet).', 'pertinent' ) } ),
			].concat( Object.keys( rule.when ).map( function ( key ) { return conditionRow( rule, key, i ); } ) ) ),
			el( 'p', {}, [
				free.length ? el( 'button', { type: 'button', class: 'button pertinent-rule__add-condition', text: __( 'Add condition', 'pertinent' ), onclick: function () {
					rule.when[ free[ 0 ] ] = defaultValue( free[ 0 ] );
					render();
				} } ) : null,
				el( 'button', { type: 'button', class: 'button-link button-link-delete pertinent-rule__remove', text: __( 'Remove rule', 'pertinent' ), onclick: function () {
					rules.splice( i, 1 );
					render();
				} } ),
			] ),
		] );
	}

	/** The rules as they will be saved: blank text conditions dropped, text trimmed (as the server does). */
	function cleaned() {
		return rules.map( function ( rule ) {
			var when = {};
			Object.keys( rule.when ).forEach( function ( key ) {
				var v = rule.when[ key ];
				if ( typeof v === 'string' ) {
					v = v.trim().toLowerCase();
				}
				if ( v !== '' && v !== null && v !== undefined ) {
					when[ key ] = v;
				}
			} );
			var out = { action: rule.action, when: when };
			if ( rule.slots && rule.slots.length ) {
				out.slots = rule.slots.map( function ( s ) { return s.toLowerCase(); } );
			}
			return out;
		} );
	}

	function describe( path ) {
		var m = /^targeting\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?/.exec( path );
		if ( ! m ) {
			return __( 'Rules', 'pertinent' );
		}
		var field = m[ 2 ] === 'when' && m[ 3 ] ? label( m[ 3 ] ) : ( m[ 2 ] === 'slots' ? __( 'Slots', 'pertinent' ) : m[ 2 ] === 'action' ? __( 'Action', 'pertinent' ) : '' );
		return __( 'Rule', 'pertinent' ) + ' ' + ( parseInt( m[ 1 ], 10 ) + 1 ) + ( field ? ' · ' + field : '' );
	}

	function showProblems( problems ) {
		problemsBox.textContent = '';
		form.querySelectorAll( '[aria-invalid]' ).forEach( function ( n ) { n.removeAttribute( 'aria-invalid' ); } );
		if ( ! problems.length ) {
			problemsBox.className = 'pertinent-targeting__problems';
			return;
		}
		problemsBox.className = 'pertinent-targeting__problems notice notice-error inline';
		problemsBox.appendChild( el( 'p', { text: __( 'These rules cannot be saved yet:', 'pertinent' ) } ) );
		problemsBox.appendChild( el( 'ul', {}, problems.map( function ( p ) {
			var m = /^targeting\[(\d+)\](?:\.(when)\.(\w+)|\.(\w+))?/.exec( p[ 0 ] );
			if ( m ) {
				var box = form.querySelector( '[data-rule="' + m[ 1 ] + '"]' );
				var field = box && box.querySelector( '[data-field="' + ( m[ 3 ] || m[ 4 ] ) + '"]' );
				if ( field ) {
					field.setAttribute( 'aria-invalid', 'true' );
				}
			}
			return el( 'li', { 'data-path': p[ 0 ], text: describe( p[ 0 ] ) + ': ' + p[ 1 ] } );
		} ) ) );
	}

	function lockSaving( locked ) {
		var data = win.wp && win.wp.data;
		if ( ! data || ! data.dispatch || ! data.select( 'core/editor' ) ) {
			return;
		}
		var editor = data.dispatch( 'core/editor' );
		if ( locked ) {
			editor.lockPostSaving( 'pertinent-targeting' );
		} else {
			editor.unlockPostSaving( 'pertinent-targeting' );
		}
	}

	/** Form → JSON textarea → validation against the schema. */
	function sync() {
		var value = cleaned();
		textarea.value = JSON.stringify( value, null, 2 );
		var problems = js.validate( value, schema, 'targeting', schema );
		showProblems( problems );
		lockSaving( problems.length > 0 );
	}

	function render() {
		form.textContent = '';
		rules.forEach( function ( rule, i ) {
			form.appendChild( ruleBox( rule, i ) );
		} );
		if ( rules.length < ( schema.maxItems || Infinity ) ) {
			form.appendChild( el( 'p', {}, [ el( 'button', { type: 'button', class: 'button pertinent-targeting__add-rule', text: __( 'Add rule', 'pertinent' ), onclick: function () {
				rules.push( { action: 'pin', when: {}, slots: [] } );
				render();
			} } ) ] ) );
		}
		sync();
	}

	/** JSON textarea → form (the advanced editor, and the first load). */
	function load() {
		var parsed;
		try {
			parsed = textarea.value.trim() ? JSON.parse( textarea.value ) : [];
		} catch ( e ) {
			showProblems( [ [ 'targeting', __( 'is not valid JSON', 'pertinent' ) ] ] );
			lockSaving( true );
			return;
		}
		if ( ! Array.isArray( parsed ) ) {
			showProblems( js.validate( parsed, schema, 'targeting', schema ) );
			lockSaving( true );
			return;
		}
		rules = parsed.map( function ( r ) {
			r = r && typeof r === 'object' ? r : {};
			var when = r.when && typeof r.when === 'object' && ! Array.isArray( r.when ) ? r.when : {};
			return { action: r.action, when: Object.assign( {}, when ), slots: Array.isArray( r.slots ) ? r.slots.slice() : [] };
		} );
		render();
	}

	textarea.addEventListener( 'change', load );
	load();
} )( window, document, window.pertinentTargeting );
