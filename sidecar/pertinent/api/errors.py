"""The one error handler: every failure a client can see becomes `{"error": {code, message, field}}`."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from ..errors import PertinentError
from ..store.base import StoreUnavailable

log = logging.getLogger("pertinent.api")

# Werkzeug's own errors (routing, body size, methods) mapped to our stable codes.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    411: "length_required",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}


def error_response(code: str, message: str, status: int, field: str | None = None, headers=None):
    """A JSON error body with a status; the shape every client parses."""
    body = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_pertinent_error(exc: PertinentError):
    """Domain errors already carry code, field and status."""
    response = jsonify(exc.to_dict())
    response.status_code = exc.status
    return response


def handle_http_exception(exc: HTTPException):
    """Werkzeug's 404/405/413/... as JSON, keeping the Allow header of a 405."""
    status = exc.code or 500
    code = HTTP_CODES.get(status, "http_error")
    message = exc.description or exc.name
    if status == 413:
        message = "the request body is larger than this server accepts"
    headers = {}
    allowed = getattr(exc, "valid_methods", None)  # only MethodNotAllowed has them
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(sorted(allowed))
    return error_response(code, message, status, headers=headers)


def is_backend_outage(exc: Exception) -> bool:
    """The store's driver saying the database cannot be used right now (sqlite3 and psycopg alike)."""
    return isinstance(exc, StoreUnavailable) or type(exc).__name__ in ("OperationalError", "InterfaceError")


def handle_unexpected(exc: Exception):
    """A bug of ours: logged with its traceback, answered without one. A database outage is a 503."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    if is_backend_outage(exc):
        log.error("store unavailable: %s", exc)
        return error_response("store_unavailable", "the store is unavailable; retry later", 503)
    log.exception("unhandled error")
    return error_response("internal_error", "the sidecar failed to handle this request", 500)


def init_app(app: Flask) -> None:
    """Register the handlers; called once by the app factory."""
    app.register_error_handler(PertinentError, handle_pertinent_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
