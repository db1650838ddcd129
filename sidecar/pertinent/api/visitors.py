"""Privacy: export everything stored about a visitor, or erase it (wired to WordPress's privacy tools)."""
from __future__ import annotations

import logging

from flask import Blueprint

from ..auth import ADMIN, access
from ..errors import PertinentError
from . import runtime, settings
from .contract.types import check_id

bp = Blueprint("visitors", __name__)
log = logging.getLogger("pertinent.api")


@bp.get("/v1/visitors/<visitor_id>")
@access(ADMIN)
def export_visitor(visitor_id: str):
    """Everything stored about the visitor (an empty event list for an unknown one)."""
    check_id(visitor_id, "visitor_id")
    return runtime().store.export_visitor(visitor_id)


@bp.delete("/v1/visitors/<visitor_id>")
@access(ADMIN)
def erase_visitor(visitor_id: str):
    """Delete the visitor's data, their cache generation and every decision cached for them.

    Not a generation bump: that would write the visitor back into the cache for 30 days.
    """
    check_id(visitor_id, "visitor_id")
    rt = runtime()
    if settings().events_url:  # events of theirs may still wait in the stream: `ingest` drops those
        from ..ingest.erasure import record_erasure
        record_erasure(rt.store, visitor_id)
    erased = rt.store.erase_visitor(visitor_id)
    try:
        rt.cache.forget_visitor(visitor_id)
    except Exception as exc:
        # The store's rows are gone, the cache's may not be: say so, and a retry (erase is idempotent)
        # finishes the job.
        log.error("erase: cache could not forget the visitor: %s", exc)
        message = "the visitor's stored data was erased but their cached decisions were not; retry"
        raise PertinentError("cache_unavailable", message, status=503) from None
    return {"visitor_id": visitor_id, "erased": erased}
