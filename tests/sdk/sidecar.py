"""A real sidecar under gunicorn for the SDK and browser tests: a free port, a temp data dir, known keys."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.support.net import free_port, stop_process_group, wait_for_http

API_KEY = "sdk-test-server-key-0123456789"
PUBLIC_KEY = "sdk-test-public-key"
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Sidecar:
    """Where the sidecar listens and how to call it with the server key."""

    url: str
    api_key: str = API_KEY
    public_key: str = PUBLIC_KEY

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.api_key}", **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def put_content(self, content_id: str, **item) -> None:
        r = self.call("PUT", f"/v1/content/{content_id}", json=item)
        assert r.status_code == 200, r.text

    def visitor_events(self, visitor_id: str) -> list[dict]:
        r = self.call("GET", f"/v1/visitors/{visitor_id}")
        assert r.status_code == 200, r.text
        return r.json()["events"]


@contextmanager
def running_sidecar(tmp_dir: Path, allowed_origins: tuple[str, ...] = (), workers: int = 2,
                    env: dict | None = None):
    """Start `pertinent serve` and yield a Sidecar once /healthz answers; stop it (SIGTERM) afterwards."""
    port = free_port()
    data = tmp_dir / "data"
    models = tmp_dir / "models"
    models.mkdir(parents=True, exist_ok=True)
    # Nothing inherited decides where this sidecar stores things: only what is set here.
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith("PERTINENT_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    environ = {**inherited, "PERTINENT_API_KEY": API_KEY, "PERTINENT_PUBLIC_KEY": PUBLIC_KEY,
               "PERTINENT_ALLOWED_ORIGINS": ",".join(allowed_origins), "PERTINENT_DATA_DIR": str(data),
               "PERTINENT_MODELS_DIR": str(models), "PERTINENT_LOG_LEVEL": "WARNING", **(env or {})}
    log_path = tmp_dir / "sidecar.log"
    pertinent = Path(sys.executable).with_name("pertinent")
    with open(log_path, "wb") as log:
        command = [str(pertinent), "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--workers", str(workers)]
        proc = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(url + "/healthz", timeout=60)
        except TimeoutError:
            raise RuntimeError("the sidecar did not start:\n" + log_path.read_text()[-3000:]) from None
        if proc.poll() is not None:
            raise RuntimeError("the sidecar exited:\n" + log_path.read_text()[-3000:])
        yield Sidecar(url)
    finally:
        stop_process_group(proc, timeout=20)
