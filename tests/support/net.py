"""Small helpers for tests that start real servers: free ports and waiting until one answers."""
from __future__ import annotations

import socket
import time

import requests


def free_port() -> int:
    """A TCP port nobody listens on right now (tests run in parallel sessions: never hard-code one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 20.0) -> None:
    """Poll until `url` answers at all (any status), or fail with what the last attempt said."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException as exc:
            last = exc
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")
