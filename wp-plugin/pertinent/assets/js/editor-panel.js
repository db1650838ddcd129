/**
 * Block editor panel "Personalization": free tags per metadata field, stored as registered post meta.
 * Plain wp.element.createElement: no build step.
 */
( function ( wp, settings ) {
	if ( ! wp || ! wp.plugins || ! wp.editPost || ! settings ) {
		return;
	}
	var el = wp.element.createElement;
	var __ = wp.i18n.__;
	var useSelect = wp.data.useSelect;
	var useDispatch = wp.data.useDispatch;
	var FormTokenField = wp.components.FormTokenField;

	function PersonalizationPanel() {
		var meta = useSelect( function ( select ) {
			return select( 'core/editor' ).getEditedPostAttribute( 'meta' ) || {};
		}, [] );
		var editPost = useDispatch( 'core/editor' ).editPost;
		if ( ! ( settings.fields[ 0 ].key in meta ) ) {
			return null; // This post type does not expose the meta over REST (no custom-fields support).
		}
		return el(
			wp.editPost.PluginDocumentSettingPanel,
			{ name: 'pertinent-personalization', title: __( 'Personalization', 'pertinent' ) },
			settings.fields.map( function ( field ) {
				return el( FormTokenField, {
					key: field.key,
					label: field.label,
					value: meta[ field.key ] || [],
					suggestions: field.suggestions,
					onChange: function ( tokens ) {
						var update = {};
						update[ field.key ] = tokens.map( function ( t ) {
							return String( typeof t === 'object' ? t.value : t ).toLowerCase().trim();
						} );
						editPost( { meta: update } );
					},
				} );
			} )
		);
	}

	wp.plugins.registerPlugin( 'pertinent-personalization', { render: PersonalizationPanel, icon: 'randomize' } );
} )( window.wp, window.pertinentEditor );
