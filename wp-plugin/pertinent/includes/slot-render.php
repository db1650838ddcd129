<?php
/**
 * Turning a slot and the sidecar's answer into HTML. Everything is escaped here, late: titles with esc_html,
 * links with esc_url, attributes with esc_attr, variant bodies with wp_kses_post. Content only ever comes
 * from the site's own posts; the sidecar contributes ids, never markup.
 *
 * @package Pertinent
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Normalizes block attributes / shortcode attributes into a slot.
 *
 * @param array $atts Raw attributes: name, kind, count, layout, candidates.
 * @return array{name:string,kind:string,count:int,layout:string,candidates:int[]}
 */
function pertinent_normalize_slot( $atts ) {
	$atts  = is_array( $atts ) ? $atts : array();
	$kind  = isset( $atts['kind'] ) ? str_replace( '-', '_', strtolower( (string) $atts['kind'] ) ) : 'banner';
	$kind  = in_array( $kind, array( 'banner', 'cta', 'recommendations', 'read_next' ), true ) ? $kind : 'banner';
	$name  = isset( $atts['name'] ) ? pertinent_sanitize_slot_name( $atts['name'] ) : '';
	$count = isset( $atts['count'] ) && is_numeric( $atts['count'] ) ? (int) $atts['count'] : ( 'recommendations' === $kind ? 3 : 1 );
	$cands = isset( $atts['candidates'] ) ? $atts['candidates'] : array();
	$cands = is_array( $cands ) ? $cands : explode( ',', (string) $cands );
	$cands = array_values( array_unique( array_filter( array_map( 'absint', $cands ) ) ) );
	return array(
		'name'       => '' !== $name ? $name : $kind,
		'kind'       => $kind,
		// A banner or CTA shows one variant whatever the block's count says.
		'count'      => pertinent_is_variant_kind( $kind ) ? 1 : max( 1, min( 12, $count ) ),
		'layout'     => isset( $atts['layout'] ) && 'grid' === $atts['layout'] ? 'grid' : 'list',
		'candidates' => array_slice( $cands, 0, 50 ),
	);
}

/**
 * The slot as sent in a decide request (banner/CTA candidates default to the live variants for the slot).
 *
 * @param array $slot Normalized slot.
 * @return array<string,mixed>
 */
function pertinent_slot_request( $slot ) {
	$candidates = $slot['candidates'];
	if ( ! $candidates && pertinent_is_variant_kind( $slot['kind'] ) ) {
		$candidates = pertinent_variant_candidates( $slot['kind'], $slot['name'] );
	}
	$request = array(
		'name'  => $slot['name'],
		'kind'  => $slot['kind'],
		'count' => $slot['count'],
	);
	if ( $candidates ) {
		$request['candidates'] = array_map( 'strval', $candidates );
	}
	return $request;
}

/**
 * The slot's wrapper element around $inner, with the data- attributes the snippet and event joins use.
 *
 * @param array  $slot  Normalized slot.
 * @param string $inner Already-safe inner HTML.
 * @param array  $extra Extra data- attributes (decision, source, rendered), unescaped.
 * @return string
 */
function pertinent_slot_wrapper( $slot, $inner, $extra = array() ) {
	$attrs = array(
		'class'                => 'pertinent-slot pertinent-slot--' . str_replace( '_', '-', $slot['kind'] ),
		'data-pertinent-slot'  => $slot['name'],
		'data-pertinent-kind'  => $slot['kind'],
		'data-pertinent-count' => (string) $slot['count'],
	);
	if ( $slot['candidates'] ) {
		$attrs['data-pertinent-candidates'] = implode( ',', $slot['candidates'] );
	}
	foreach ( $extra as $key => $value ) {
		$attrs[ 'data-pertinent-' . $key ] = (string) $value;
	}
	$html = '<div';
	foreach ( $attrs as $key => $value ) {
		$html .= ' ' . $key . '="' . esc_attr( $value ) . '"';
	}
	return $html . '>' . $inner . '</div>';
}

/**
 * Inner HTML for a slot answer, or '' when the default content must stay (source default, nothing usable).
 *
 * @param array $slot   Normalized slot.
 * @param mixed $answer The sidecar's answer for this slot.
 * @return string
 */
function pertinent_slot_inner_html( $slot, $answer ) {
	if ( ! is_array( $answer ) || empty( $answer['content_ids'] ) || ! is_array( $answer['content_ids'] ) ) {
		return '';
	}
	if ( isset( $answer['source'] ) && 'default' === $answer['source'] ) {
		return '';
	}
	if ( pertinent_is_variant_kind( $slot['kind'] ) ) {
		foreach ( $answer['content_ids'] as $id ) {
			$html = pertinent_variant_html( absint( $id ) );
			if ( '' !== $html ) {
				return $html;
			}
		}
		return '';
	}
	return pertinent_recommendations_html( $slot, $answer['content_ids'] );
}

/**
 * A published, live variant's body, filtered through wp_kses_post.
 *
 * @param int $id Variant id.
 * @return string
 */
function pertinent_variant_html( $id ) {
	$post = $id ? get_post( $id ) : null;
	if ( ! $post || PERTINENT_VARIANT_TYPE !== $post->post_type || 'publish' !== $post->post_status || ! pertinent_variant_is_live( $id ) ) {
		return '';
	}
	$GLOBALS['pertinent_render_depth'] = isset( $GLOBALS['pertinent_render_depth'] ) ? $GLOBALS['pertinent_render_depth'] + 1 : 1;
	$body                              = has_blocks( $post->post_content ) ? do_blocks( $post->post_content ) : wpautop( $post->post_content );
	$body                              = do_shortcode( $body );
	--$GLOBALS['pertinent_render_depth'];
	return '<div class="pertinent-variant" data-pertinent-content-id="' . esc_attr( (string) $id ) . '">' . wp_kses_post( $body ) . '</div>';
}

/**
 * A list of the site's own published posts (title linked, excerpt), in the sidecar's order.
 *
 * @param array $slot Normalized slot.
 * @param array $ids  Content ids from the answer.
 * @return string '' when none of the ids is a public published post.
 */
function pertinent_recommendations_html( $slot, $ids ) {
	$items = '';
	$shown = 0;
	foreach ( $ids as $id ) {
		$post = get_post( absint( $id ) );
		if ( ! $post || 'publish' !== $post->post_status || ! is_post_type_viewable( $post->post_type ) || PERTINENT_VARIANT_TYPE === $post->post_type ) {
			continue;
		}
		$excerpt = '' !== $post->post_excerpt ? $post->post_excerpt : wp_trim_words( wp_strip_all_tags( strip_shortcodes( $post->post_content ) ), 25 );
		$items  .= '<li class="pertinent-item" data-pertinent-content-id="' . esc_attr( (string) $post->ID ) . '">'
			. '<a class="pertinent-item__link" href="' . esc_url( get_permalink( $post ) ) . '">' . esc_html( wp_strip_all_tags( get_the_title( $post ) ) ) . '</a>'
			. '<p class="pertinent-item__excerpt">' . esc_html( wp_strip_all_tags( $excerpt ) ) . '</p>'
			. '</li>';
		if ( ++$shown >= $slot['count'] ) {
			break;
		}
	}
	if ( '' === $items ) {
		return '';
	}
	$class = 'pertinent-recommendations pertinent-recommendations--' . $slot['layout'];
	return '<ul class="' . esc_attr( $class ) . '">' . $items . '</ul>';
}

/**
 * The final server-rendered slot: personalized inner HTML when the answer has one, else the default.
 *
 * @param array          $slot     Normalized slot.
 * @param string         $default_html  Default content (already rendered by the editor's block/shortcode).
 * @param array|WP_Error $decision The decide answer (whole body) or the error that stands for it.
 * @return string
 */
function pertinent_slot_final_html( $slot, $default_html, $decision ) {
	$extra = array( 'rendered' => 'server' );
	$inner = '';
	if ( is_wp_error( $decision ) ) {
		$extra['source'] = 'default';
		$extra['reason'] = $decision->get_error_code();
	} else {
		$answer = isset( $decision['slots'][ $slot['name'] ] ) ? $decision['slots'][ $slot['name'] ] : null;
		$inner  = pertinent_slot_inner_html( $slot, $answer );
		if ( isset( $decision['decision_id'] ) && is_scalar( $decision['decision_id'] ) ) {
			$extra['decision'] = (string) $decision['decision_id'];
		}
		if ( isset( $decision['arm'] ) && is_scalar( $decision['arm'] ) ) {
			$extra['arm'] = (string) $decision['arm'];
		}
		$extra['source'] = '' === $inner ? 'default' : ( isset( $answer['source'] ) ? (string) $answer['source'] : 'model' );
	}
	return pertinent_slot_wrapper( $slot, '' === $inner ? $default_html : $inner, $extra );
}

/**
 * Browser-mode markup: the default content, the slot markers and (banner/CTA) the candidate variants as
 * inert <template>s, so a cached page stays correct and the snippet swaps without fetching markup.
 *
 * @param array  $slot    Normalized slot.
 * @param string $default_html Default content.
 * @return string
 */
function pertinent_slot_browser_html( $slot, $default_html ) {
	$templates = '';
	$request   = pertinent_is_variant_kind( $slot['kind'] ) ? pertinent_slot_request( $slot ) : array();
	if ( ! empty( $request['candidates'] ) ) {
		$slot['candidates'] = array_map( 'absint', $request['candidates'] );
		foreach ( $slot['candidates'] as $id ) {
			$html = pertinent_variant_html( $id );
			if ( '' !== $html ) {
				$templates .= '<template data-pertinent-variant="' . esc_attr( (string) $id ) . '">' . $html . '</template>';
			}
		}
	}
	pertinent_snippet_needed();
	// Templates live inside the slot so the snippet finds them with slot.querySelectorAll().
	return pertinent_slot_wrapper( $slot, $default_html . $templates, array( 'rendered' => 'browser' ) );
}
