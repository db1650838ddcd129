<?php
/**
 * Imports the demo catalog (var/demo/content.csv, written by `pertinent demo`) into the demo WordPress:
 * posts keep their catalog ids (import_id) so the trained model's ids are the site's post ids; variants
 * become Variant posts (alternately banner and CTA). Then a bulk sync sends everything to the sidecar with
 * WordPress's own URLs, and a page with three slots is created. Run through eval.php with PERTINENT_DEMO_CSV.
 * The import runs once per site (option pertinent_demo_imported): on a restarted demo only the sync runs, so
 * what an editor changed, deleted or added since stays as it is.
 */
$csv = getenv( 'PERTINENT_DEMO_CSV' );
$fh  = fopen( $csv, 'r' );
if ( ! $fh ) {
	fwrite( STDERR, "demo-import: cannot read {$csv}\n" );
	exit( 1 );
}
$already = (bool) get_option( 'pertinent_demo_imported' );
// One bulk sync at the end instead of one request per post.
remove_action( 'wp_after_insert_post', 'pertinent_sync_after_insert_post', 10 );
kses_remove_filters();
wp_defer_term_counting( true );

// WordPress's own sample content is not part of the demo catalog.
foreach ( $already ? array() : array( 'hello-world' => 'post', 'sample-page' => 'page' ) as $slug => $type ) {
	$sample = get_page_by_path( $slug, OBJECT, $type );
	if ( $sample ) {
		wp_delete_post( $sample->ID, true );
	}
}

$split = static function ( $value ) {
	return array_values( array_filter( array_map( 'trim', explode( '|', (string) $value ) ) ) );
};

// The text's paragraphs are separated by blank lines; the first one is the post's excerpt.
$paragraphs = static function ( $text ) {
	return array_values( array_filter( array_map( 'trim', preg_split( '/\n\s*\n/', (string) $text ) ) ) );
};

if ( ! $already ) {
	update_option( 'blogname', 'Harbour Lane Digital' );
	update_option( 'blogdescription', 'Practical marketing notes for small businesses' );
}

$header   = fgetcsv( $fh );
$posts    = 0;
$variants = 0;
while ( ! $already && ( $row = fgetcsv( $fh ) ) !== false ) {
	$item = array_combine( $header, $row );
	$id   = (int) $item['content_id'];
	if ( get_post( $id ) ) {
		continue; // Already imported (a second `make demo`).
	}
	$meta = array();
	foreach ( array( 'topics', 'audience', 'funnel_stage', 'intent' ) as $key ) {
		if ( isset( $item[ $key ] ) && '' !== $item[ $key ] ) {
			$meta[ 'pertinent_' . $key ] = $split( $item[ $key ] );
		}
	}
	$date = $item['published_at'] ? gmdate( 'Y-m-d H:i:s', strtotime( $item['published_at'] ) ) : current_time( 'mysql', 1 );
	if ( 'variant' === $item['type'] ) {
		$meta['pertinent_variant_kind'] = 0 === $variants % 2 ? 'banner' : 'cta';
		wp_insert_post(
			array(
				'import_id'     => $id,
				'post_type'     => 'pertinent_variant',
				'post_title'    => $item['title'],
				'post_content'  => '<p class="demo-offer"><strong>' . esc_html( $item['title'] ) . '</strong> ' . esc_html( $item['text'] ) . '</p>',
				'post_status'   => 'publish',
				'post_date_gmt' => $date,
				'meta_input'    => $meta,
			)
		);
		++$variants;
		continue;
	}
	$categories = array();
	foreach ( $split( $item['categories'] ) as $name ) {
		$term         = term_exists( $name, 'category' );
		$term         = $term ? $term : wp_insert_term( $name, 'category' );
		$categories[] = (int) $term['term_id'];
	}
	$body = '';
	foreach ( $paragraphs( $item['text'] ) as $paragraph ) {
		$body .= '<!-- wp:paragraph --><p>' . esc_html( $paragraph ) . "</p><!-- /wp:paragraph -->\n\n";
	}
	$excerpt = $paragraphs( $item['text'] );
	wp_insert_post(
		array(
			'import_id'     => $id,
			'post_title'    => $item['title'],
			'post_excerpt'  => $excerpt ? $excerpt[0] : '',
			'post_content'  => $body,
			'post_status'   => 'publish',
			'post_date_gmt' => $date,
			'post_date'     => get_date_from_gmt( $date ),
			'tags_input'    => $split( $item['tags'] ),
			'post_category' => $categories,
			'meta_input'    => $meta,
		)
	);
	++$posts;
}
wp_defer_term_counting( false );

// An editor rule to see at work: the spring campaign's banner is pinned in the hero slot for visitors
// who arrive with utm_campaign=spring (the demo prints that URL), whatever the model would choose.
if ( ! $already && ! get_post( 9100 ) ) {
	wp_insert_post(
		array(
			'import_id'    => 9100,
			'post_type'    => 'pertinent_variant',
			'post_title'   => 'Spring sale: 30% off every plan',
			'post_content' => '<p class="demo-offer demo-spring"><strong>Spring sale: 30% off every plan</strong> until the end of the month, for readers of our spring newsletter.</p>',
			'post_status'  => 'publish',
			'meta_input'   => array(
				'pertinent_variant_kind' => 'banner',
				'pertinent_targeting'    => array(
					array(
						'action' => 'pin',
						'when'   => array( 'utm_campaign' => 'spring' ),
						'slots'  => array( 'hero' ),
					),
				),
			),
		)
	);
	++$variants;
}

if ( ! $already && ! get_page_by_path( 'personalized' ) ) {
	wp_insert_post(
		array(
			'post_type'    => 'page',
			'post_name'    => 'personalized',
			'post_title'   => 'Personalized for you',
			'post_status'  => 'publish',
			'post_content' => '<!-- wp:pertinent/slot {"name":"hero","kind":"banner"} --><p class="default-hero">Welcome to the demo site.</p><!-- /wp:pertinent/slot -->'
				. '<!-- wp:pertinent/slot {"name":"recs","kind":"recommendations","count":4} --><p>Browse our latest articles.</p><!-- /wp:pertinent/slot -->'
				. '[pertinent_slot name="cta" kind="cta"]<p>Subscribe to the newsletter.</p>[/pertinent_slot]',
		)
	);
}

update_option( 'pertinent_demo_imported', 1 );

pertinent_bulk_sync_start();
$state = pertinent_bulk_sync_state();
while ( 'running' === $state['status'] ) {
	$state = pertinent_bulk_sync_batch();
	if ( '' !== $state['error'] ) {
		fwrite( STDERR, 'demo-import: bulk sync failed: ' . $state['error'] . "\n" );
		break;
	}
}
return array(
	'posts'    => $posts,
	'variants' => $variants,
	'synced'   => $state['done'],
);
