"""What the gunicorn workers answer for each failure they catch, without starting gunicorn."""
from __future__ import annotations

import json

from gunicorn.http import errors
from pertinent.gunicorn_workers import classify, error_bytes, error_message


def test_a_failure_of_ours_is_a_500_that_shows_nothing_of_it():
    exc = RuntimeError("password=hunter2 at /srv/pertinent/secret.py")
    status, code = classify(exc)
    assert (status, code) == (500, "internal_error")
    assert "hunter2" not in error_message(status, exc)


def test_a_bad_header_the_application_sent_is_ours_not_the_clients():
    assert classify(errors.InvalidResponseHeader("X-Bad\r\n")) == (500, "internal_error")
    assert classify(errors.InvalidHeader("CONTENT-LENGTH")) == (400, "bad_request")


def test_the_answer_is_a_complete_json_response_that_closes_the_connection():
    raw = error_bytes(431, "headers_too_large", "too many headers: 101")
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 431 Request Header Fields Too Large"
    assert "Connection: close" in lines and f"Content-Length: {len(body)}" in lines
    assert json.loads(body) == {"error": {"code": "headers_too_large", "message": "too many headers: 101"}}
