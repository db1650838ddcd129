"""Real servers for the WordPress tests and bench: a throwaway WordPress (scripts/wp/site.sh), the sidecar
under gunicorn (`pertinent serve`); the hung sidecar is tests.support.net.SilentServer."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.support.net import free_port, stop_process_group, wait_for_http

REPO = Path(__file__).resolve().parents[2]
SITE_SH = REPO / "scripts" / "wp" / "site.sh"
EVAL_PHP = REPO / "scripts" / "wp" / "eval.php"


@dataclass(frozen=True)
class WordPressRelease:
    """A WordPress the suite runs the plugin on: where its files come from, and a default theme it ships."""

    version: str
    theme: str
    tarball: Path | None = None  # None: Debian's package, already unpacked in /usr/share/wordpress

    def unavailable(self) -> str | None:
        """Why this release cannot be stood up here, or None when it can."""
        if self.tarball is None:
            if not Path("/usr/share/wordpress/wp-load.php").exists():
                return "Debian's wordpress package is not installed (make system-deps)"
            return None
        if not self.tarball.exists():
            return f"{self.tarball} is missing (WordPress {self.version} comes from ../shared/wordpress)"
        return None

    def tree(self) -> Path:
        """An unpacked copy of the release that site.sh copies from (unpacked once, kept under var/)."""
        if self.tarball is None:
            return Path("/usr/share/wordpress")
        target = REPO / "var" / "wordpress-releases" / self.tarball.name.removesuffix(".tar.gz")
        if not (target / "wordpress" / "wp-load.php").exists():
            # Unpacked beside the target and renamed into place: an interrupted run leaves no half tree.
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".unpack-"))
            try:
                with tarfile.open(self.tarball) as archive:
                    # The "data" filter (no absolute paths, links or devices) exists from Python 3.10.12 on.
                    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                    archive.extractall(staging, **safe)
                try:
                    staging.rename(target)
                except OSError:
                    # Another test run unpacked it first (rename is atomic: its tree is whole).
                    if not (target / "wordpress" / "wp-load.php").exists():
                        raise
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return target / "wordpress"


# The oldest WordPress the plugin supports ("Requires at least" in readme.txt: Debian 12's package) and the
# newest ("Tested up to": the 7.1.0 release in ../shared/wordpress). 7.1 ships no twentytwentyone theme.
WORDPRESS_RELEASES = {
    "6.1": WordPressRelease("6.1", theme="twentytwentyone"),
    "7.1": WordPressRelease("7.1", theme="twentytwentyfive",
                            tarball=REPO.parent / "shared" / "wordpress" / "wordpress-7.1.0.tar.gz"),
}
OLDEST_WORDPRESS = "6.1"
ALL_WORDPRESS = tuple(WORDPRESS_RELEASES)


def wordpress_available(version: str = OLDEST_WORDPRESS) -> str | None:
    """Why WordPress `version` cannot run here, or None when it can."""
    for tool in ("php", "mariadbd", "mariadb-install-db", "phpunit"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (make system-deps)"
    return WORDPRESS_RELEASES[version].unavailable()


class WordPressSite:
    """One WordPress with the plugin active, under var/ on a free port (Debian's 6.1 unless told)."""

    def __init__(self, root: Path | None = None, port: int | None = None, version: str = OLDEST_WORDPRESS):
        self.release = WORDPRESS_RELEASES[version]
        self.version = version
        self.root = root or REPO / "var" / f"wp-test-{uuid.uuid4().hex[:8]}"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.site = self.root / "site"
        self.admin_password = ""

    def up(self) -> WordPressSite:
        """Database, WordPress copy, install, activation, web server."""
        env = dict(os.environ, WP_SOURCE=str(self.release.tree()), WP_THEME=self.release.theme)
        subprocess.run(["bash", str(SITE_SH), "up", str(self.root), str(self.port)], check=True,
                       capture_output=True, text=True, timeout=180, env=env)
        lines = (self.root / "site.env").read_text().splitlines()
        env = dict(line.split("=", 1) for line in lines if "=" in line)
        self.admin_password = env["WP_ADMIN_PASSWORD"]
        return self

    def down(self, keep: bool = False) -> None:
        """Stops the web server and the database; removes the folder unless keep."""
        env = dict(os.environ, KEEP="1" if keep else "0")
        subprocess.run(["bash", str(SITE_SH), "down", str(self.root)], check=False, env=env, timeout=60)

    def php(self, code: str):
        """Runs PHP inside WordPress; returns the code's return value (decoded JSON) or None."""
        proc = subprocess.run(["php", str(EVAL_PHP), str(self.site), "-"], input=code, capture_output=True,
                              text=True, timeout=120, env=dict(os.environ, WP_HOST=f"127.0.0.1:{self.port}"))
        if proc.returncode != 0:
            raise RuntimeError(f"php failed ({proc.returncode}): {proc.stderr or proc.stdout}")
        out = proc.stdout.strip().splitlines()
        return json.loads(out[-1]) if out else None

    def configure(self, **settings) -> None:
        """Sets plugin settings (merged over the stored ones) and closes the circuit breaker."""
        self.php(
            "$s = get_option('pertinent_settings', array()); $s = is_array($s) ? $s : array();"
            f"$s = array_merge($s, json_decode({json.dumps(json.dumps(settings))}, true));"
            "update_option('pertinent_settings', $s); pertinent_settings_flush(); pertinent_breaker_reset();"
            "return pertinent_settings();"
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=kwargs.pop("timeout", 30), **kwargs)

    def log_in(self, page) -> None:
        """Logs a Playwright page in as the admin, through the real login form."""
        page.goto(self.url + "/wp-login.php")
        page.fill("#user_login", "admin")
        page.fill("#user_pass", self.admin_password)
        page.click("#wp-submit")
        page.wait_for_url("**/wp-admin/**")

    def debug_log(self) -> str:
        log = self.root / "debug.log"
        return log.read_text(errors="replace") if log.exists() else ""


class Sidecar:
    """`pertinent serve` under gunicorn with its own data dir, started and stopped by the test."""

    def __init__(self, root: Path | None = None, port: int | None = None, workers: int = 2):
        self.root = root or REPO / "var" / f"sidecar-wp-{uuid.uuid4().hex[:8]}"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_key = "wp-test-" + uuid.uuid4().hex
        self.public_key = "wp-public-" + uuid.uuid4().hex
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def start(self) -> Sidecar:
        self.root.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PERTINENT_API_KEY=self.api_key, PERTINENT_PUBLIC_KEY=self.public_key,
                   PERTINENT_DATA_DIR=str(self.root), PERTINENT_MODELS_DIR=str(self.root / "models"))
        log = (self.root / "sidecar.log").open("ab")
        self.proc = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "pertinent"), "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(self.workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_http(self.url + "/healthz", timeout=60)
        return self

    def stop(self) -> None:
        if self.proc:
            stop_process_group(self.proc, timeout=30)
        self.proc = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)


SLOTS_PAGE = (
    '[pertinent_slot name="hero" kind="banner"]<p class="default-hero">Default hero</p>[/pertinent_slot]'
    '<!-- wp:pertinent/slot {"name":"recs","kind":"recommendations","count":3} -->'
    '<p class="default-recs">Default recommendations</p><!-- /wp:pertinent/slot -->'
    '[pertinent_slot name="cta" kind="cta"]<p class="default-cta">Default call to action</p>[/pertinent_slot]'
)


def php_string(text: str) -> str:
    """A PHP single-quoted literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def seed_site(site: WordPressSite, posts: int = 6) -> dict:
    """Posts, a spring banner pinned by a UTM rule, a CTA, and a page with three slots."""
    page_literal = php_string(SLOTS_PAGE)
    code = f"""
kses_remove_filters();
$posts = array();
for ($i = 1; $i <= {posts}; $i++) {{
    $posts[] = wp_insert_post(array('post_title' => "Gardening guide $i", 'post_status' => 'publish',
        'post_content' => "<!-- wp:paragraph --><p>How to grow plant number $i.</p><!-- /wp:paragraph -->"));
}}
update_post_meta($posts[0], 'pertinent_topics', array('gardening', 'spring'));
$banner = wp_insert_post(array('post_type' => 'pertinent_variant', 'post_title' => 'Spring banner',
    'post_status' => 'publish', 'post_content' => '<p class="spring-banner">Spring sale on seeds</p>',
    'meta_input' => array('pertinent_variant_kind' => 'banner',
        'pertinent_targeting' => array(array('action' => 'pin', 'when' => array('utm_campaign' => 'spring'),
            'slots' => array('hero'))))));
$cta = wp_insert_post(array('post_type' => 'pertinent_variant', 'post_title' => 'Newsletter CTA',
    'post_status' => 'publish', 'post_content' => '<p class="newsletter-cta">Join the newsletter</p>',
    'meta_input' => array('pertinent_variant_kind' => 'cta',
        'pertinent_targeting' => array(array('action' => 'pin', 'when' => array('utm_campaign' => 'spring'),
            'slots' => array('cta'))))));
$page = wp_insert_post(array('post_type' => 'page', 'post_title' => 'Three slots',
    'post_name' => 'three-slots', 'post_status' => 'publish', 'post_content' => {page_literal}));
return array('posts' => $posts, 'banner' => $banner, 'cta' => $cta, 'page' => $page);
"""
    return site.php(code)


def wait_for_rules(sidecar: Sidecar, banner: int, timeout: float = 15.0) -> None:
    """Until the sidecar's catalog snapshot (refreshed in the background) serves the pinned spring banner."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # A fresh visitor each time: an anonymous answer would be cached for the segment.
        body = {"visitor_id": uuid.uuid4().hex, "context": {"utm": {"campaign": "spring"}, "consent": True},
                "slots": [{"name": "hero", "kind": "banner", "count": 1, "candidates": [str(banner)]}]}
        answer = sidecar.request("POST", "/v1/decide", json=body).json()
        if answer.get("slots", {}).get("hero", {}).get("source") == "rules":
            return
        time.sleep(0.2)
    raise TimeoutError(f"the sidecar never served the pinned banner: {answer}")


def wait_for_events(sidecar: Sidecar, visitor_id: str, want, timeout: float = 15.0) -> list[dict]:
    """The visitor's stored events once want(events) holds (they reach the store through the REST proxy)."""
    deadline = time.monotonic() + timeout
    events: list[dict] = []
    while time.monotonic() < deadline:
        events = sidecar.request("GET", f"/v1/visitors/{visitor_id}").json().get("events", [])
        if want(events):
            return events
        time.sleep(0.3)
    raise AssertionError(f"events never arrived through the proxy; the store has {events}")


# Headers the proxy sets itself (requests decodes bodies, so their encoding and length change too).
HOP_BY_HOP = ("host", "content-length", "transfer-encoding", "connection", "content-encoding")


class RecordingProxy:
    """Forwards every request to the sidecar and records it (method, path, JSON body), so a test can see
    what WordPress itself asked the sidecar, e.g. the visitor id a server-side decide call carried."""

    def __init__(self, target: str):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.target = target
        self.requests: list[dict] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _forward(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                proxy.requests.append({"method": self.command, "path": self.path, "body": body})
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                resp = requests.request(self.command, proxy.target + self.path, data=raw, headers=headers,
                                        timeout=30)
                self.send_response(resp.status_code)
                for k, v in resp.headers.items():
                    if k.lower() not in HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(resp.content)))
                self.end_headers()
                self.wfile.write(resp.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self, path: str) -> list[dict]:
        """The JSON bodies of the requests made to `path` (e.g. "/v1/decide"), in order."""
        return [r["body"] for r in self.requests if r["path"].split("?")[0] == path and r["body"] is not None]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
