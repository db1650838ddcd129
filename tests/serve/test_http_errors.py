"""Requests gunicorn itself refuses, before Flask sees them, answer in the API's JSON error shape.

Raw sockets against a real `pertinent serve`, with the threaded workers (the default) and the sync ones.
"""
from __future__ import annotations

import json
import socket

import pytest
import requests

from tests.serve.conftest import Sidecar

pytestmark = pytest.mark.slow

HOST = "Host: 127.0.0.1\r\n"


@pytest.fixture(scope="module", params=[None, 1], ids=["threaded", "sync"])
def sidecar(request, tmp_path_factory):
    server = Sidecar(tmp_path_factory.mktemp("http-errors"), threads=request.param).start()
    yield server
    server.stop()


def exchange(sidecar, raw: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes, read until the server closes: (status, headers with lower-case names, body)."""
    with socket.create_connection(("127.0.0.1", sidecar.port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), {k.lower(): v for k, v in headers.items()}, body


CASES = {
    "content length not a number": (
        f"POST /v1/events HTTP/1.1\r\n{HOST}Content-Length: abc\r\n\r\n", 400, "bad_request"),
    "negative content length": (
        f"POST /v1/events HTTP/1.1\r\n{HOST}Content-Length: -5\r\n\r\n", 400, "bad_request"),
    "two content lengths": (
        f"POST /v1/events HTTP/1.1\r\n{HOST}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}", 400,
        "bad_request"),
    "uri over the limit": (f"GET /v1/content/{'a' * 5000} HTTP/1.1\r\n{HOST}\r\n", 414, "uri_too_long"),
    "header over the size limit": (
        f"GET /healthz HTTP/1.1\r\n{HOST}X-Big: {'a' * 9000}\r\n\r\n", 431, "headers_too_large"),
    "too many headers": (
        "GET /healthz HTTP/1.1\r\n" + HOST + "".join(f"X-H{i}: v\r\n" for i in range(120)) + "\r\n", 431,
        "headers_too_large"),
    "malformed request line": ("NONSENSE\r\n\r\n", 400, "bad_request"),
    "bad http version": (f"GET /healthz HTTP/9.Z\r\n{HOST}\r\n", 400, "bad_request"),
}


@pytest.mark.parametrize("raw, status, code", CASES.values(), ids=CASES.keys())
def test_a_request_gunicorn_refuses_gets_a_json_error(sidecar, raw, status, code):
    answer_status, headers, body = exchange(sidecar, raw.encode("latin-1"))
    assert answer_status == status, body
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    error = json.loads(body)["error"]
    assert error["code"] == code and error["message"]
    assert "<html" not in body.decode("utf-8", "replace").lower()


def test_the_worker_keeps_serving_after_refusing(sidecar):
    for raw, _, _ in CASES.values():
        exchange(sidecar, raw.encode("latin-1"))
    assert requests.get(sidecar.url + "/healthz", timeout=10).status_code == 200
