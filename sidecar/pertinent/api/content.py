"""The catalog: items the CMS syncs (posts, pages, banner and CTA variants), one at a time or in bulk."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask import Blueprint

from ..auth import ADMIN, access
from ..domain import ContentItem
from ..errors import NotFound, PertinentError
from . import runtime, settings
from .body import read_json
from .contract.content import parse_bulk, parse_content
from .contract.types import check_id

bp = Blueprint("content", __name__)


def item_to_dict(item: ContentItem) -> dict:
    """A catalog item as JSON, times in ISO 8601."""
    out = asdict(item)
    for key, value in out.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
    return out


@bp.put("/v1/content/<content_id>")
@access(ADMIN)
def put_content(content_id: str):
    """Insert or replace one item."""
    content_id = check_id(content_id, "id")
    item = parse_content(read_json(), content_id)
    runtime().store.upsert_content([item])
    return item_to_dict(item)


@bp.get("/v1/content/<content_id>")
@access(ADMIN)
def get_content(content_id: str):
    content_id = check_id(content_id, "id")
    item = runtime().store.get_content(content_id)
    if item is None:
        raise NotFound("not_found", f"no content with id {content_id!r}", field="id")
    return item_to_dict(item)


@bp.delete("/v1/content/<content_id>")
@access(ADMIN)
def delete_content(content_id: str):
    """Remove an item; it is never chosen again (404 when it was not in the catalog)."""
    content_id = check_id(content_id, "id")
    if not runtime().store.delete_content(content_id):
        raise NotFound("not_found", f"no content with id {content_id!r}", field="id")
    return {"id": content_id, "deleted": True}


@bp.post("/v1/content/bulk")
@access(ADMIN)
def bulk_content():
    """Insert or replace many items in one transaction: all are valid and stored, or none is."""
    body = read_json()
    raw_items = body.get("items") if isinstance(body, dict) else None
    limit = settings().max_content_per_batch
    if isinstance(raw_items, list) and len(raw_items) > limit:  # before validating any of them
        message = f"at most {limit} items per request (PERTINENT_MAX_CONTENT_PER_BATCH)"
        raise PertinentError("batch_too_large", message, field="items", status=413)
    items = parse_bulk(body)
    stored = runtime().store.upsert_content(items) if items else 0
    return {"stored": stored}
