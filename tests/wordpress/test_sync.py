"""Catalog sync from a real WordPress to the real sidecar: publish, trash, delete, and a failed sync queued
then retried by WP-Cron."""
from __future__ import annotations

import pytest

from tests.support.net import free_port

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]


def publish(site, title: str) -> int:
    return site.php(f"return wp_insert_post(array('post_title' => '{title}', 'post_status' => 'publish',"
                    "'post_content' => 'Body',"
                    "'meta_input' => array('pertinent_audience' => array('Beginner'))));")


def test_published_post_reaches_the_sidecar_and_trash_and_delete_follow(healthy, sidecar):
    post_id = publish(healthy, "Sync me")
    item = sidecar.request("GET", f"/v1/content/{post_id}").json()
    assert item["title"] == "Sync me" and item["status"] == "publish"
    assert item["meta"]["audience"] == ["beginner"]
    assert item["url"].startswith(healthy.url)

    healthy.php(f"wp_trash_post({post_id});")
    resp = sidecar.request("GET", f"/v1/content/{post_id}")
    assert resp.status_code == 404 or resp.json()["status"] == "trash"

    healthy.php(f"wp_delete_post({post_id}, true);")
    assert sidecar.request("GET", f"/v1/content/{post_id}").status_code == 404


def test_failed_sync_is_queued_and_retried_by_cron(healthy, sidecar):
    healthy.configure(sidecar_url=f"http://127.0.0.1:{free_port()}")
    post_id = publish(healthy, "Written while the sidecar was down")
    queue = healthy.php("return pertinent_sync_queue();")
    assert queue[str(post_id)]["action"] == "put" and queue[str(post_id)]["attempts"] == 1
    assert healthy.php("return (bool) wp_next_scheduled('pertinent_sync_retry');")
    assert sidecar.request("GET", f"/v1/content/{post_id}").status_code == 404

    healthy.configure(sidecar_url=sidecar.url)
    # Time passes: the backoff and the cron event are due now. Cron itself runs over HTTP, as in production.
    healthy.php("$q = pertinent_sync_queue(); foreach ($q as $id => $item) { $q[$id]['next_at'] = 0; }"
                "update_option('pertinent_sync_queue', $q, false);"
                "wp_clear_scheduled_hook('pertinent_sync_retry');"
                "wp_schedule_event(time() - 1, 'pertinent_minute', 'pertinent_sync_retry');")
    healthy.get("/wp-cron.php?doing_wp_cron")
    item = sidecar.request("GET", f"/v1/content/{post_id}").json()
    assert item["title"] == "Written while the sidecar was down"
    assert str(post_id) not in (healthy.php("return pertinent_sync_queue();") or {})


def test_bulk_sync_sends_every_published_post_in_batches(healthy, sidecar):
    state = healthy.php("pertinent_bulk_sync_start(); $s = pertinent_bulk_sync_state();"
                        "while ('running' === $s['status']) { $s = pertinent_bulk_sync_batch(); } return $s;")
    assert state["status"] == "done" and state["done"] == state["total"] > 0
    for post_id in healthy.seed["posts"]:
        assert sidecar.request("GET", f"/v1/content/{post_id}").status_code == 200
