"""HTTP servers for the browser tests: the fixture site, and fake sidecars (scripted, slow or silent)."""
from __future__ import annotations

import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SNIPPET = REPO_ROOT / "sdk" / "js" / "dist" / "pertinent.min.js"


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # the test output is not the place for access logs
        pass

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave up (its timeout aborted the request): exactly what some tests want


def _serve(handler_cls, **attrs) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (handler_cls,), attrs))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class FixtureSite:
    """The site a visitor browses: fixture pages carrying the snippet tag, and the snippet itself.

    page(name, endpoint, **attrs) registers a page whose <script> tag points at `endpoint`, and returns
    its URL; any /post/... path is a plain article page (where clicked links lead).
    """

    def __init__(self):
        self.pages: dict[str, str] = {}
        self.proxy_decision: dict | None = None  # what /proxy/v1/decide answers, when set
        self.server = _serve(_SiteHandler, site=self)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, fixture: str, endpoint: str, **attrs) -> str:
        tag = {"data-endpoint": endpoint, **{"data-" + k.replace("_", "-"): v for k, v in attrs.items()}}
        rendered = " ".join(f'{k}="{html.escape(str(v))}"' if v is not True else k for k, v in tag.items())
        token = uuid.uuid4().hex[:10]
        text = (FIXTURES / f"{fixture}.html").read_text().replace("{{SCRIPT_ATTRS}}", rendered)
        self.pages[f"/p/{token}/{fixture}.html"] = text
        return f"{self.origin}/p/{token}/{fixture}.html"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _SiteHandler(_Quiet):
    site: FixtureSite

    def do_GET(self):
        path = self.path.split("?")[0]
        # The tracker, and the slots part it loads from beside itself.
        if path in ("/pertinent.min.js", "/pertinent-slots.min.js"):
            return self._send(200, (SNIPPET.parent / path[1:]).read_bytes(), "application/javascript")
        if path in self.site.pages:
            return self._send(200, self.site.pages[path].encode(), "text/html; charset=utf-8")
        if path.startswith("/post/"):
            body = f"<!doctype html><title>{html.escape(path)}</title><h1>{html.escape(path)}</h1>"
            return self._send(200, body.encode(), "text/html; charset=utf-8")
        return self._send(404, b"not found", "text/plain")

    def do_POST(self):
        # The site's own proxy (like the WordPress plugin's REST route): same origin as the page.
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path.startswith("/proxy/v1/decide") and self.site.proxy_decision is not None:
            return self._send(200, json.dumps(self.site.proxy_decision).encode(), "application/json")
        return self._send(202, b'{"accepted": 0, "rejected": []}', "application/json")


class FakeSidecar:
    """A sidecar that answers decide with a scripted body after `delay` seconds, with CORS for `origin`.

    It records every request (method, path, content type, body) so tests can see what the browser sent,
    including that no CORS preflight (OPTIONS) was needed.
    """

    def __init__(self, decision: dict, origin: str, delay: float = 0.0):
        self.decision = decision
        self.origin = origin
        self.delay = delay
        self.requests: list[dict] = []
        self.server = _serve(_FakeHandler, fake=self)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _FakeHandler(_Quiet):
    fake: FakeSidecar

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.fake.requests.append({"method": self.command, "path": self.path, "body": body,
                                   "content_type": self.headers.get("Content-Type", "")})

    def do_OPTIONS(self):
        self._record()
        self._send(204, b"", "text/plain", {"Access-Control-Allow-Origin": self.fake.origin})

    def do_POST(self):
        self._record()
        cors = {"Access-Control-Allow-Origin": self.fake.origin}
        if self.path.startswith("/v1/decide"):
            time.sleep(self.fake.delay)
            return self._send(200, json.dumps(self.fake.decision).encode(), "application/json", cors)
        return self._send(202, b'{"accepted": 0, "rejected": []}', "application/json", cors)
