"""--from-wordpress against a fake WordPress REST API on loopback: pagination and taxonomy names."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from pertinent.training.wordpress import WordPressError, fetch_catalog

from tests.support.net import free_port

TAGS = {5: "seo", 6: "serp", 7: "cart"}
CATEGORIES = {2: "Search", 3: "Shop"}


def _post(i: int, embed: bool) -> dict:
    tags, cats = ([5, 6], [2]) if i % 2 else ([7], [3])
    post = {"id": 100 + i, "type": "post", "status": "publish", "link": f"http://wp.test/?p={100 + i}",
            "date_gmt": "2026-01-02T03:04:05", "modified_gmt": "2026-01-03T00:00:00",
            "title": {"rendered": f"Post &amp; {i}"}, "excerpt": {"rendered": "<p>Short</p>"},
            "content": {"rendered": f"<p>Body <b>{i}</b></p>"}, "tags": tags, "categories": cats,
            "meta": {"pertinent_topics": ["seo"] if i % 2 else [], "pertinent_funnel_stage": ["decision"]}}
    if embed:
        post["_embedded"] = {"wp:term": [
            [{"id": c, "name": CATEGORIES[c], "taxonomy": "category"} for c in cats],
            [{"id": t, "name": TAGS[t], "taxonomy": "post_tag"} for t in tags]]}
    return post


class FakeWordPress(BaseHTTPRequestHandler):
    embed = True

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, body, total_pages=1, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-WP-TotalPages", str(total_pages))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        page, per = int(q.get("page", 1)), int(q.get("per_page", 10))
        if url.path == "/wp-json/wp/v2/posts":
            posts = [_post(i, self.embed and "_embed" in q) for i in range(1, 251)]
            return self._send(posts[(page - 1) * per: page * per], total_pages=-(-len(posts) // per))
        if url.path == "/wp-json/wp/v2/tags":
            return self._send([{"id": k, "name": v} for k, v in TAGS.items()])
        if url.path == "/wp-json/wp/v2/categories":
            return self._send([{"id": k, "name": v} for k, v in CATEGORIES.items()])
        if url.path == "/wp-json/wp/v2/pages":
            return self._send([])
        return self._send({"code": "rest_no_route"}, status=404)


@pytest.fixture
def wordpress():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), FakeWordPress)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", FakeWordPress
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("embed", [True, False], ids=["embedded-terms", "terms-endpoints"])
def test_catalog_is_paged_and_taxonomies_resolved_to_names(wordpress, embed):
    url, handler = wordpress
    handler.embed = embed
    lines: list[str] = []
    items = fetch_catalog(url, progress=lines.append)
    assert len(items) == 250 and len({i.id for i in items}) == 250
    assert any("page 3/3" in line for line in lines)
    first = next(i for i in items if i.id == "101")
    assert first.tags == ["seo", "serp"] and first.categories == ["Search"]
    assert first.title == "Post & 1" and first.text == "Body 1" and first.excerpt == "Short"
    assert first.meta == {"topics": ["seo"], "funnel_stage": ["decision"]}
    assert first.published_at.isoformat() == "2026-01-02T03:04:05+00:00"


def test_an_unreachable_site_is_a_clear_error():
    with pytest.raises(WordPressError, match="cannot connect"):
        fetch_catalog(f"http://127.0.0.1:{free_port()}", progress=lambda _: None, timeout=2)


def _demo_site_as_wordpress(demo_site) -> dict[str, list[dict]]:
    """The demo catalog as WordPress REST objects (posts and the plugin's variants), terms embedded."""
    from pertinent.demo.generator import to_domain

    items, _ = to_domain(demo_site["dir"])
    term_ids: dict[tuple[str, str], int] = {}
    out: dict[str, list[dict]] = {"posts": [], "pertinent_variant": []}
    for item in items:
        terms = [[{"id": term_ids.setdefault(("category", c), len(term_ids) + 1), "name": c,
                   "taxonomy": "category"} for c in item.categories],
                 [{"id": term_ids.setdefault(("post_tag", t), len(term_ids) + 1), "name": t,
                   "taxonomy": "post_tag"} for t in item.tags]]
        kind = "pertinent_variant" if item.type == "variant" else "post"
        out["posts" if kind == "post" else kind].append({
            "id": int(item.id), "type": kind, "status": "publish", "link": item.url,
            "date_gmt": item.published_at.strftime("%Y-%m-%dT%H:%M:%S"), "title": {"rendered": item.title},
            "content": {"rendered": f"<p>{item.text}</p>"}, "excerpt": {"rendered": item.excerpt},
            "categories": [t["id"] for t in terms[0]], "tags": [t["id"] for t in terms[1]],
            "meta": {f"pertinent_{k}": v for k, v in item.meta.items()}, "_embedded": {"wp:term": terms}})
    return out


def test_train_from_wordpress_catalog_and_an_events_file(demo_site, tmp_path):
    import argparse

    from pertinent.training.commands import register

    collections = _demo_site_as_wordpress(demo_site)

    class DemoWordPress(FakeWordPress):
        def do_GET(self):
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            page, per = int(q.get("page", 1)), int(q.get("per_page", 10))
            kind = url.path.rsplit("/", 1)[-1]
            rows = collections.get(kind, [])
            return self._send(rows[(page - 1) * per: page * per], total_pages=max(1, -(-len(rows) // per)))

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), DemoWordPress)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        parser = argparse.ArgumentParser()
        register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["train", "--from-wordpress", f"http://127.0.0.1:{server.server_address[1]}",
                                  "--events", demo_site["events_path"], "--models", str(tmp_path / "m"),
                                  "--force", "--json"])
        assert args.func(args) == 0
    finally:
        server.shutdown()
        server.server_close()
    manifest = json.loads(next((tmp_path / "m").glob("2*/manifest.json")).read_text())
    assert manifest["rows"]["content"] == demo_site["content"]
    ranking = manifest["metrics"]["ranking"]["overall"]["ndcg@10"]
    assert ranking > 1.3 * manifest["baseline_metrics"]["ranking_popularity"]["overall"]["ndcg@10"]
