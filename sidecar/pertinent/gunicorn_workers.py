"""gunicorn's worker classes, answering the requests gunicorn itself refuses in the API's JSON shape.

A request gunicorn cannot parse (bad Content-Length, a request line or URI over its limit, too many or
too large headers, a malformed request line) never reaches Flask: stock gunicorn answers it with an
HTML page. Clients of this sidecar parse `{"error": {"code", "message"}}` on every status, so these
subclasses write that instead. serve.py picks the sync or the threaded one.
"""
from __future__ import annotations

import json
from http import HTTPStatus

from gunicorn import util
from gunicorn.http.errors import ParseException
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

# gunicorn's own status for each refusal it does not answer with 400 (gunicorn/workers/base.py
# handle_error), keyed by exception class name: the classes differ between gunicorn releases.
REFUSALS = {
    "LimitRequestLine": (414, "uri_too_long"),
    "LimitRequestHeaders": (431, "headers_too_large"),
    "ExpectationFailed": (417, "expectation_failed"),
    "UnsupportedTransferCoding": (501, "unsupported_transfer_coding"),
    "ForbiddenProxyRequest": (403, "forbidden"),
    "SSLError": (403, "forbidden"),
    # An unusable header the *application* tried to send, or a bad server setting: our fault, not theirs.
    "InvalidResponseHeader": (500, "internal_error"),
    "InvalidResponseHeaderName": (500, "internal_error"),
    "ConfigurationProblem": (500, "internal_error"),
}
BAD_REQUEST = (400, "bad_request")
INTERNAL_ERROR = (500, "internal_error")


def classify(exc: BaseException) -> tuple[int, str]:
    """(HTTP status, error code) for an exception gunicorn caught while reading or serving a request."""
    for cls in type(exc).__mro__:
        if cls.__name__ in REFUSALS:
            return REFUSALS[cls.__name__]
    return BAD_REQUEST if isinstance(exc, ParseException) else INTERNAL_ERROR


def error_message(status: int, exc: BaseException) -> str:
    if status == 500:
        return "the sidecar failed to handle this request"  # nothing of our internals goes out
    return f"the HTTP request could not be read: {exc}"


def error_bytes(status: int, code: str, message: str) -> bytes:
    """A complete HTTP/1.1 response; the connection closes after it (what follows cannot be trusted)."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "Connection: close\r\n"
            "Content-Type: application/json\r\n"
            "Cache-Control: no-store\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class JsonErrors:
    """Mixin replacing gunicorn's `handle_error` (HTML) with the API's JSON error shape."""

    def handle_error(self, req, client, addr, exc):
        status, code = classify(exc)
        if status == 500:
            self.log.exception("error handling request %s", getattr(req, "uri", "(no URI read)"))
        else:
            ip = addr[0] if addr else ""
            self.log.warning("invalid request from ip=%s: %s %s", ip, type(exc).__name__, exc)
        try:
            util.write_nonblock(client, error_bytes(status, code, error_message(status, exc)))
        except Exception:  # the client is gone, or never could be written to: nothing left to tell it
            self.log.debug("failed to send the error answer")


class JsonSyncWorker(JsonErrors, SyncWorker):
    """gunicorn's sync worker (`--threads 1`)."""


class JsonThreadWorker(JsonErrors, ThreadWorker):
    """gunicorn's threaded worker (the default)."""
