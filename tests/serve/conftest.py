"""Start `pertinent serve` for real: a subprocess, gunicorn with 2 workers, a free port, a temp data dir."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support.net import free_port, wait_for_http

API_KEY = "serve-test-key-0123456789"


class Sidecar:
    """One running sidecar; `start()` again after `stop()` reuses the same data dir."""

    def __init__(self, root: Path, extra_env: dict | None = None, threads: int | None = None):
        self.root = root
        self.threads = threads  # None: the CLI's default (threaded workers); 1: sync workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.headers = {"Authorization": f"Bearer {API_KEY}"}
        self.env = {**os.environ, "PERTINENT_API_KEY": API_KEY, "PERTINENT_DATA_DIR": str(root / "data"),
                    "PERTINENT_MODELS_DIR": str(root / "models"), "PERTINENT_RELOAD_INTERVAL": "0.2",
                    **(extra_env or {})}
        self.env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process: subprocess.Popen | None = None
        self.log = root / "serve.log"

    def start(self) -> Sidecar:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pertinent", "serve", "--port", str(self.port), "--workers", "2",
                 *(["--threads", str(self.threads)] if self.threads else [])],
                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(self.url + "/healthz", timeout=30)
        except TimeoutError:
            self.stop()
            raise AssertionError(self.log.read_text()) from None
        return self

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def get(self, path: str, **kw):
        return requests.get(self.url + path, headers=self.headers, timeout=10, **kw)

    def post(self, path: str, body, **kw):
        return requests.post(self.url + path, json=body, headers=self.headers, timeout=10, **kw)

    def put(self, path: str, body, **kw):
        return requests.put(self.url + path, json=body, headers=self.headers, timeout=10, **kw)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]


@pytest.fixture
def sidecar(tmp_path):
    server = Sidecar(tmp_path).start()
    yield server
    server.stop()
