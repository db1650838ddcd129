"""Start a real sidecar (`pertinent serve`, gunicorn) for a benchmark: free port, temp data dir."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from pertinent.config import load_config
from pertinent.modelset.keys import signing_env

from tests.support.net import free_port, wait_for_http

API_KEY = "bench-server-key-0123456789"


class BenchSidecar:
    """A sidecar in a subprocess; `with` stops it (SIGTERM) and keeps its log next to the data."""

    def __init__(self, root: Path, workers: int | None = None, env: dict | None = None):
        self.root = Path(root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.headers = {"Authorization": f"Bearer {API_KEY}"}
        self.workers = workers or os.cpu_count() or 1
        self.env = {**os.environ, "PERTINENT_API_KEY": API_KEY, "PERTINENT_DATA_DIR": str(self.root / "data"),
                    "PERTINENT_MODELS_DIR": str(self.root / "models"), "PERTINENT_RELOAD_INTERVAL": "0.5",
                    "PERTINENT_BENCH": "1", "PERTINENT_LOG_LEVEL": "WARNING", **(env or {})}
        # The bench writes model sets in this process (signed with its key): the server must verify with it.
        self.env.update(signing_env(load_config()))
        for name in ("PROMETHEUS_MULTIPROC_DIR", "PERTINENT_STORE_URL", "PERTINENT_CACHE_URL"):
            if name not in (env or {}):
                self.env.pop(name, None)
        self.process = None

    def __enter__(self) -> BenchSidecar:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "serve.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pertinent", "serve", "--port", str(self.port),
                 "--workers", str(self.workers)], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for_http(self.url + "/healthz", timeout=60)
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def post(self, path: str, body) -> requests.Response:
        answer = requests.post(self.url + path, json=body, headers=self.headers, timeout=60)
        answer.raise_for_status()
        return answer

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()]

    def peak_rss_mb(self) -> list[float]:
        """VmHWM (peak resident set) of each worker, in MB."""
        out = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    out.append(int(line.split()[1]) / 1024)
        return out

    def wait_for_model(self, version: str, timeout: float = 20) -> None:
        """Until every worker serves `version` (each checks LIVE every PERTINENT_RELOAD_INTERVAL)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answers = [requests.get(self.url + "/readyz", timeout=5).json() for _ in range(12)]
            seen = {a.get("model_version") for a in answers}
            if seen == {version}:
                return
            time.sleep(0.3)
        raise TimeoutError(f"workers did not all load model set {version}")
