<?php
/**
 * Slots: the "Personalized slot" block and the [pertinent_slot] shortcode share pertinent_render_slot().
 *
 * Server mode asks the sidecar ONCE per page for all slots. Slots cannot know, while rendering, whether more
 * slots follow (in the content, widgets or the template), so the page is rendered with placeholders into an
 * output buffer opened at `template_redirect`; at `shutdown` (before WordPress flushes buffers) the slots
 * collected are decided in one call and their placeholders replaced. Each placeholder already holds the
 * slot's default markup, so if anything goes wrong (a buffer closed by someone else, an error) the page
 * still shows the default content. Outside a buffered front-end page (REST, feeds, CLI) a slot is decided
 * on its own, or left at its default where no decision makes sense.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers the block (from block.json) and the shortcode.
 */
function pertinent_register_slots() {
	register_block_type(
		PERTINENT_DIR . '/blocks/slot',
		array( 'render_callback' => 'pertinent_render_slot_block' )
	);
	add_shortcode( 'pertinent_slot', 'pertinent_slot_shortcode' );
}

/**
 * Block render callback.
 *
 * @param array  $attributes Block attributes.
 * @param string $content    Rendered inner blocks: the default content.
 * @return string
 */
function pertinent_render_slot_block( $attributes, $content ) {
	return pertinent_render_slot( $attributes, $content );
}

/**
 * Shortcode handler: `[pertinent_slot name="hero" kind="banner"]default content[/pertinent_slot]`.
 *
 * @param array|string $atts    Attributes.
 * @param string|null  $content Enclosed default content.
 * @return string
 */
function pertinent_slot_shortcode( $atts, $content = null ) {
	$atts = shortcode_atts(
		array(
			'name'       => '',
			'kind'       => 'banner',
			'count'      => '',
			'layout'     => 'list',
			'candidates' => '',
		),
		$atts,
		'pertinent_slot'
	);
	// The default is the site's own content, output as WordPress would output it.
	$default_html = null === $content ? '' : do_shortcode( $content );
	return pertinent_render_slot( $atts, $default_html );
}

/**
 * The one render function behind block and shortcode.
 *
 * @param array  $atts    Slot attributes (name, kind, count, layout, candidates).
 * @param string $default_html The default content's HTML.
 * @return string
 */
function pertinent_render_slot( $atts, $default_html ) {
	$slot = pertinent_normalize_slot( $atts );
	if ( ! empty( $GLOBALS['pertinent_render_depth'] ) ) {
		// A slot inside a variant's body: no nested decisions.
		return pertinent_slot_wrapper( $slot, $default_html );
	}
	if ( 'browser' === pertinent_effective_render_mode() ) {
		return pertinent_slot_browser_html( $slot, $default_html );
	}
	if ( pertinent_page_buffer_active() ) {
		return pertinent_page_slot_placeholder( $slot, $default_html );
	}
	if ( ! pertinent_can_decide_inline() ) {
		return pertinent_slot_wrapper( $slot, $default_html, array( 'source' => 'default' ) );
	}
	$decision = pertinent_decide( array( $slot ) );
	return pertinent_slot_final_html( $slot, $default_html, $decision );
}

/**
 * Whether a slot rendered outside the page buffer may call the sidecar itself (not for REST responses,
 * feeds, embeds or the admin: those show the default).
 *
 * @return bool
 */
function pertinent_can_decide_inline() {
	if ( is_admin() || is_feed() || wp_is_json_request() || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
		return false;
	}
	return ! ( function_exists( 'is_embed' ) && is_embed() );
}

/**
 * One decide call for a set of slots.
 *
 * @param array $slots Normalized slots.
 * @return array|WP_Error The decide body, or why there is none (the caller renders defaults).
 */
function pertinent_decide( $slots ) {
	if ( pertinent_breaker_is_open() ) {
		// Checked before the request is even built: an open circuit costs the page a file read, no queries.
		return pertinent_breaker_open_error();
	}
	$request = array(
		'context' => pertinent_page_context(),
		'slots'   => array_map( 'pertinent_slot_request', $slots ),
	);
	$visitor = pertinent_visitor_id();
	if ( '' !== $visitor ) {
		$request['visitor_id'] = $visitor;
	}
	$result = pertinent_sidecar_request( 'POST', '/v1/decide', $request );
	if ( is_wp_error( $result ) ) {
		return $result;
	}
	if ( ! is_array( $result['body'] ) || ! isset( $result['body']['slots'] ) || ! is_array( $result['body']['slots'] ) ) {
		return new WP_Error( 'pertinent_bad_answer', __( 'The sidecar answered without slots.', 'pertinent' ) );
	}
	return $result['body'];
}

/**
 * `template_redirect`: in server mode, give the visitor an id and open the page buffer.
 */
function pertinent_template_redirect() {
	if ( 'server' !== pertinent_effective_render_mode() || is_feed() || is_robots() || is_trackback() || is_embed() ) {
		return;
	}
	if ( '' === (string) pertinent_setting( 'sidecar_url' ) ) {
		return;
	}
	pertinent_ensure_visitor_cookie();
	pertinent_page_buffer_start();
}

/**
 * Opens the page buffer.
 */
function pertinent_page_buffer_start() {
	ob_start();
	$GLOBALS['pertinent_page_buffer'] = array(
		'level' => ob_get_level(),
		'slots' => array(),
	);
}

/**
 * Whether slots are being collected for one decide call.
 *
 * @return bool
 */
function pertinent_page_buffer_active() {
	return isset( $GLOBALS['pertinent_page_buffer'] ) && ob_get_level() >= $GLOBALS['pertinent_page_buffer']['level'];
}

/**
 * Registers a slot and returns its placeholder: the default markup between two unique comments.
 *
 * @param array  $slot    Normalized slot.
 * @param string $default_html Default content.
 * @return string
 */
function pertinent_page_slot_placeholder( $slot, $default_html ) {
	/**
	 * Filters whether the JS snippet is also loaded on server-rendered pages with slots. On by default: it
	 * records the view, impressions, clicks and dwell of the slots rendered here, with the decision, arm and
	 * content ids in their markup, and never decides a `data-pertinent-rendered="server"` slot a second time.
	 * The consent rules are those of browser mode: with "require consent" it stores and sends nothing before
	 * consent, and the REST proxy drops events without it. Off: neither part of the snippet on such a page
	 * (not even the tracker every other page loads).
	 *
	 * @param bool $enqueue Whether to load the snippet.
	 */
	if ( apply_filters( 'pertinent_snippet_in_server_mode', true ) ) {
		pertinent_snippet_needed();
	} else {
		pertinent_snippet_unwanted();
	}
	$index = count( $GLOBALS['pertinent_page_buffer']['slots'] );
	// Marked server-rendered too: a placeholder left in the page (its buffer closed early) keeps its default,
	// and the snippet neither decides it nor tracks it (it carries no decision).
	$placeholder = '<!--pertinent-slot:' . $index . '-->' . pertinent_slot_wrapper(
		$slot,
		$default_html,
		array(
			'rendered' => 'server',
			'source'   => 'default',
		)
	) . '<!--/pertinent-slot:' . $index . '-->';

	$GLOBALS['pertinent_page_buffer']['slots'][ $index ] = array(
		'slot'        => $slot,
		'default'     => $default_html,
		'placeholder' => $placeholder,
	);
	return $placeholder;
}

/**
 * `shutdown` (priority 0, before wp_ob_end_flush_all): decide all collected slots at once and print the page.
 */
function pertinent_page_buffer_finish() {
	if ( ! isset( $GLOBALS['pertinent_page_buffer'] ) ) {
		return;
	}
	$buffer = $GLOBALS['pertinent_page_buffer'];
	unset( $GLOBALS['pertinent_page_buffer'] );
	while ( ob_get_level() > $buffer['level'] ) {
		ob_end_flush();
	}
	if ( ob_get_level() !== $buffer['level'] ) {
		return; // Our buffer was closed by someone else: the page went out with its default content.
	}
	$html = (string) ob_get_clean();
	echo pertinent_fill_slots( $html, $buffer['slots'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the page itself; slot parts are escaped where built.
}

/**
 * Replaces each slot placeholder in the page with its decided markup (one decide call for all).
 *
 * @param string $html  The page.
 * @param array  $slots Collected slots (slot, default, placeholder).
 * @return string
 */
function pertinent_fill_slots( $html, $slots ) {
	if ( ! $slots ) {
		return $html;
	}
	// Two slots with the same name would collide in the answer: later ones get a suffix.
	$seen = array();
	foreach ( $slots as $i => $entry ) {
		$name = $entry['slot']['name'];
		if ( isset( $seen[ $name ] ) ) {
			$slots[ $i ]['slot']['name'] = $name . '-' . $i;
		}
		$seen[ $name ] = true;
	}
	$decision = pertinent_decide( wp_list_pluck( $slots, 'slot' ) );
	$replace  = array();
	foreach ( $slots as $entry ) {
		$replace[ $entry['placeholder'] ] = pertinent_slot_final_html( $entry['slot'], $entry['default'], $decision );
	}
	return strtr( $html, $replace );
}
