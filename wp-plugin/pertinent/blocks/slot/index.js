/**
 * Editor side of the "Personalized slot" block: settings in the sidebar, the default content as inner blocks.
 * Rendered on the server (render_callback), so save() only keeps the inner blocks.
 */
( function ( wp ) {
	var el = wp.element.createElement;
	var __ = wp.i18n.__;
	var be = wp.blockEditor;
	var c = wp.components;

	wp.blocks.registerBlockType( 'pertinent/slot', {
		edit: function ( props ) {
			var a = props.attributes;
			var set = props.setAttributes;
			var blockProps = be.useBlockProps( { className: 'pertinent-slot-editor' } );
			var isList = a.kind === 'recommendations' || a.kind === 'read_next';
			return el(
				'div',
				blockProps,
				el(
					be.InspectorControls,
					null,
					el(
						c.PanelBody,
						{ title: __( 'Slot', 'pertinent' ) },
						el( c.TextControl, {
							label: __( 'Slot name', 'pertinent' ),
							help: __( 'Lowercase letters, digits and dashes; unique on the page.', 'pertinent' ),
							value: a.name,
							onChange: function ( v ) { set( { name: v.toLowerCase().replace( /[^a-z0-9_-]/g, '' ) } ); },
						} ),
						el( c.SelectControl, {
							label: __( 'Kind', 'pertinent' ),
							value: a.kind,
							options: [
								{ value: 'banner', label: __( 'Banner', 'pertinent' ) },
								{ value: 'cta', label: __( 'Call to action', 'pertinent' ) },
								{ value: 'recommendations', label: __( 'Recommended posts', 'pertinent' ) },
								{ value: 'read_next', label: __( 'Read next', 'pertinent' ) },
							],
							onChange: function ( v ) { set( { kind: v } ); },
						} ),
						isList && el( c.RangeControl, {
							label: __( 'Number of posts', 'pertinent' ),
							value: a.count,
							min: 1,
							max: 12,
							onChange: function ( v ) { set( { count: v } ); },
						} ),
						isList && el( c.SelectControl, {
							label: __( 'Layout', 'pertinent' ),
							value: a.layout,
							options: [
								{ value: 'list', label: __( 'List', 'pertinent' ) },
								{ value: 'grid', label: __( 'Grid', 'pertinent' ) },
							],
							onChange: function ( v ) { set( { layout: v } ); },
						} ),
						! isList && el( c.TextControl, {
							label: __( 'Candidate variant ids (optional)', 'pertinent' ),
							help: __( 'Comma-separated; empty means every live variant of this kind for the slot.', 'pertinent' ),
							value: a.candidates,
							onChange: function ( v ) { set( { candidates: v.replace( /[^0-9,]/g, '' ) } ); },
						} )
					)
				),
				el( 'p', { className: 'pertinent-slot-editor__label' }, __( 'Personalized slot', 'pertinent' ) + ( a.name ? ': ' + a.name : '' ) + ' (' + a.kind + ') — ' + __( 'default content:', 'pertinent' ) ),
				el( be.InnerBlocks, null )
			);
		},
		save: function () {
			return el( be.InnerBlocks.Content, null );
		},
	} );
} )( window.wp );
