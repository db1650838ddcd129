"""`--from-wordpress URL`: pull the catalog from a WordPress site's REST API (no CSV export needed).

Pages through /wp-json/wp/v2/{posts,pages,...} (X-WP-TotalPages), resolves tag and category ids to names
through `_embed` (falling back to the terms endpoints), and reads the plugin's pertinent_* meta.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import requests

from ..domain import META_KEYS, ContentItem

DEFAULT_TYPES = ("posts", "pages", "pertinent_variant")
TAG_RE = re.compile(r"<[^>]+>")


class WordPressError(Exception):
    """The site cannot be read: wrong URL, not WordPress, REST API disabled, HTTP error."""


def rest_base(url: str) -> str:
    url = url.rstrip("/")
    return url if "/wp-json" in url else url + "/wp-json"


def _text(rendered) -> str:
    value = rendered.get("rendered", "") if isinstance(rendered, dict) else (rendered or "")
    return re.sub(r"\s+", " ", html.unescape(TAG_RE.sub(" ", value))).strip()


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "")).replace(tzinfo=timezone.utc)


def _get(session: requests.Session, url: str, params: dict, timeout: float):
    try:
        response = session.get(url, params=params, timeout=timeout)
    except requests.RequestException as exc:
        raise WordPressError(f"{url}: cannot connect ({exc.__class__.__name__}: {exc})") from None
    return response


def _pages(session, url: str, params: dict, timeout: float, progress, optional: bool = False) -> list[dict]:
    """Every page of a collection endpoint."""
    out, page, total = [], 1, 1
    while page <= total:
        response = _get(session, url, {**params, "page": page, "per_page": 100}, timeout)
        if response.status_code in (401, 403, 404) and optional:
            return []
        if response.status_code != 200:
            raise WordPressError(f"{response.url}: HTTP {response.status_code}")
        try:
            batch = response.json()
        except ValueError:
            raise WordPressError(f"{response.url}: not JSON (is this the WordPress REST API?)") from None
        if not isinstance(batch, list):
            raise WordPressError(f"{response.url}: expected a list of items")
        out += batch
        total = int(response.headers.get("X-WP-TotalPages", "1") or 1)
        progress(f"  {url.rsplit('/', 1)[-1]}: page {page}/{total} ({len(out)} items)")
        page += 1
    return out


def _terms(session, base: str, taxonomy: str, timeout: float, progress) -> dict[int, str]:
    return {t["id"]: html.unescape(t["name"]) for t in
            _pages(session, f"{base}/wp/v2/{taxonomy}", {}, timeout, progress, optional=True)}


def _listish(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if isinstance(value, str) and value.strip():
        return [part.strip() for part in value.split(",") if part.strip()]
    return []


def to_item(post: dict, tags: dict, categories: dict) -> ContentItem:
    """One REST post object -> catalog item; taxonomy ids resolved to names."""
    embedded = {}
    for group in (post.get("_embedded") or {}).get("wp:term", []) or []:
        for term in group or []:
            embedded[(term.get("taxonomy"), term.get("id"))] = html.unescape(term.get("name", ""))
    tag_names = [embedded.get(("post_tag", i)) or tags.get(i, str(i)) for i in post.get("tags", []) or []]
    cat_names = [embedded.get(("category", i)) or categories.get(i, str(i))
                 for i in post.get("categories", []) or []]
    raw_meta = post.get("meta") if isinstance(post.get("meta"), dict) else {}
    meta = {key: _listish(raw_meta.get(f"pertinent_{key}", raw_meta.get(key))) for key in META_KEYS}
    kind = post.get("type", "post")
    return ContentItem(
        id=str(post["id"]), title=_text(post.get("title")), url=post.get("link", ""),
        type="variant" if kind == "pertinent_variant" else kind, excerpt=_text(post.get("excerpt")),
        text=_text(post.get("content")), tags=tag_names, categories=cat_names,
        meta={k: v for k, v in meta.items() if v}, status=post.get("status", "publish"),
        published_at=_when(post.get("date_gmt")), modified_at=_when(post.get("modified_gmt")))


def fetch_catalog(url: str, *, types=DEFAULT_TYPES, auth: tuple[str, str] | None = None,
                  timeout: float = 20.0, progress=print) -> list[ContentItem]:
    """All published content of the listed REST types, as catalog items."""
    base = rest_base(url)
    session = requests.Session()
    session.auth = auth
    session.headers["User-Agent"] = "pertinent-train"
    posts = []
    for kind in types:
        posts += _pages(session, f"{base}/wp/v2/{kind}", {"_embed": "wp:term", "status": "publish"}, timeout,
                        progress, optional=kind != "posts")
    needs_terms = any(p.get("tags") or p.get("categories") for p in posts if not p.get("_embedded"))
    tags = _terms(session, base, "tags", timeout, progress) if needs_terms else {}
    categories = _terms(session, base, "categories", timeout, progress) if needs_terms else {}
    items = [to_item(p, tags, categories) for p in posts if "id" in p]
    progress(f"fetched {len(items)} catalog items from {base}")
    return items
