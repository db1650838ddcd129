"""Deactivation stops cron; uninstalling removes options, meta, variants, scheduled events and state files.
Runs on its own throwaway WordPress, since it wipes what the session's site holds."""
from __future__ import annotations

import pytest

from tests.support.net import free_port
from tests.wordpress.harness import WordPressSite, wordpress_available

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

MAKE = """
$post = wp_insert_post(array('post_title' => 'Tagged', 'post_status' => 'publish',
    'meta_input' => array('pertinent_topics' => array('x'))));
$variant = wp_insert_post(array('post_type' => 'pertinent_variant', 'post_title' => 'V',
    'post_status' => 'publish', 'meta_input' => array('pertinent_variant_kind' => 'cta')));
update_user_meta(1, 'pertinent_visitor_ids', array('visitor12345678'));
pertinent_breaker_failure();
return array('post' => $post, 'variant' => $variant);
"""

LEFT = """
uninstall_plugin('pertinent/pertinent.php');
global $wpdb;
$count = function ($table, $column) use ($wpdb) {
    return (int) $wpdb->get_var("SELECT COUNT(*) FROM $table WHERE $column LIKE '%pertinent%'");
};
return array(
    'options' => $count($wpdb->options, 'option_name'),
    'postmeta' => $count($wpdb->postmeta, 'meta_key'),
    'usermeta' => $count($wpdb->usermeta, 'meta_key'),
    'variant' => (bool) get_post(VARIANT),
    'post' => (bool) get_post(POST),
    'state' => is_dir(wp_upload_dir(null, false)['basedir'] . '/pertinent-state'),
    'cron' => strpos(serialize(_get_cron_array()), 'pertinent') !== false,
);
"""


def test_deactivate_then_uninstall_leaves_nothing_behind():
    reason = wordpress_available()
    if reason:
        pytest.skip(reason)
    site = WordPressSite().up()
    try:
        site.configure(sidecar_url=f"http://127.0.0.1:{free_port()}", render_mode="server")
        made = site.php(MAKE)
        # The sidecar is unreachable: the saves were queued (at the end of that request), the retry is
        # scheduled, and the breaker's state lives in a file.
        assert site.php("return array(count(pertinent_sync_queue()),"
                        "(bool) wp_next_scheduled('pertinent_sync_retry'), is_dir(pertinent_volatile_dir()));"
                        ) == [2, True, True]

        assert site.php("deactivate_plugins('pertinent/pertinent.php');"
                        "return array(wp_next_scheduled('pertinent_sync_retry'),"
                        "wp_next_scheduled('pertinent_bulk_sync'));") == [False, False]
        left = site.php(LEFT.replace("VARIANT", str(made["variant"])).replace("POST", str(made["post"])))
        assert left == {"options": 0, "postmeta": 0, "usermeta": 0, "variant": False, "post": True,
                        "state": False, "cron": False}
    finally:
        site.down()
