"""Reading a request body: content type (415), size (413, also for chunked bodies), JSON syntax (400)."""
from __future__ import annotations

import json

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import PertinentError
from . import guard


def _is_json_type(mimetype: str) -> bool:
    if mimetype == "application/json":
        return True
    return mimetype.startswith("application/") and mimetype.endswith("+json")


def read_json(*, allow_text_plain: bool = False, items_checked_by_caller: str | None = None):
    """The parsed JSON body, through the guard (guard.py): 422 naming the field it refuses.

    text/plain is accepted where browsers post without a CORS preflight. `items_checked_by_caller`
    names a top-level list whose items the route guards one by one (the events of a batch).
    """
    mimetype = request.mimetype or ""
    if not (_is_json_type(mimetype) or (allow_text_plain and mimetype == "text/plain")):
        accepted = "application/json" + (" or text/plain holding JSON" if allow_text_plain else "")
        raise PertinentError("unsupported_media_type",
                             f"expected Content-Type {accepted}, got {mimetype or 'none'}", status=415)
    # Werkzeug refuses a Content-Length over MAX_CONTENT_LENGTH (413), but a chunked body is only cut
    # at the limit: one that fills it has more coming (or ends exactly there), so it is too large too.
    raw = request.get_data(cache=False)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and request.content_length is None and len(raw) >= limit:
        raise RequestEntityTooLarge()
    if not raw.strip():
        raise PertinentError("invalid_json", "the request body is empty; expected a JSON object", status=400)
    try:
        value = guard.loads(raw)
    except (ValueError, RecursionError) as exc:
        # RecursionError: deeply nested arrays, a cheap way to crash naive parsers.
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "cannot be decoded"
        message = f"the request body is not valid JSON: {detail}"
        raise PertinentError("invalid_json", message, status=400) from None
    refused = guard.problem(value, skip=items_checked_by_caller)
    if refused is not None:
        raise refused
    return value
