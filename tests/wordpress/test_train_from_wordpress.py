"""`pertinent train --from-wordpress URL` against the real WordPress: the catalog comes from the site's REST
API (with the plugin's personalization meta), the events from a file keyed by the site's post ids."""
from __future__ import annotations

import csv
import json
import random
import subprocess
from datetime import datetime, timedelta

import pytest

from tests.wordpress.harness import REPO

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]


def write_events(path, post_ids: list[int]) -> None:
    """Views of the site's posts by 80 visitors over three weeks."""
    rng = random.Random(3)
    start = datetime(2026, 10, 1)
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["visitor_id", "timestamp", "event_type", "content_id"])
        for v in range(80):
            when = start + timedelta(hours=6 * v)
            for j in range(5):
                stamp = (when + timedelta(minutes=j)).strftime("%Y-%m-%dT%H:%M:%SZ")
                out.writerow([f"wpv{v}", stamp, "view", rng.choice(post_ids)])


def test_train_reads_the_catalog_from_the_real_wordpress(wordpress, tmp_path):
    pytest.importorskip("pertinent.training.wordpress")
    from pertinent.training.wordpress import fetch_catalog

    items = {item.id: item for item in fetch_catalog(wordpress.url, progress=lambda line: None)}
    first = str(wordpress.seed["posts"][0])
    assert items[first].meta.get("topics") == ["gardening", "spring"]
    assert items[str(wordpress.seed["banner"])].type == "variant"
    published = wordpress.php("return count(get_posts(array('post_type' => array('post', 'page', "
                              "'pertinent_variant'), 'post_status' => 'publish', 'numberposts' => -1, "
                              "'fields' => 'ids')));")
    assert len(items) == published

    events = tmp_path / "events.csv"
    write_events(events, wordpress.seed["posts"])
    proc = subprocess.run(
        [str(REPO / ".venv" / "bin" / "pertinent"), "train", "--from-wordpress", wordpress.url,
         "--events", str(events), "--models", str(tmp_path / "models"), "--force", "--json"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["rows"]["content"] == published
    assert result["rows"]["events"] == 400
    assert (tmp_path / "models" / result["version"] / "manifest.json").exists()
