"""Privacy: export everything stored about a visitor, or erase it (wired to WordPress's privacy tools)."""
from __future__ import annotations

from flask import Blueprint

from ..auth import ADMIN, access
from . import runtime
from .fields import check_id

bp = Blueprint("visitors", __name__)


@bp.get("/v1/visitors/<visitor_id>")
@access(ADMIN)
def export_visitor(visitor_id: str):
    """Everything stored about the visitor (an empty event list for an unknown one)."""
    check_id(visitor_id, "visitor_id", required=True)
    return runtime().store.export_visitor(visitor_id)


@bp.delete("/v1/visitors/<visitor_id>")
@access(ADMIN)
def erase_visitor(visitor_id: str):
    """Delete the visitor's data and forget their cached decisions."""
    check_id(visitor_id, "visitor_id", required=True)
    rt = runtime()
    erased = rt.store.erase_visitor(visitor_id)
    rt.cache.bump_generation([visitor_id])
    return {"visitor_id": visitor_id, "erased": erased}
