"""`pertinent demo`: the demo site's data, a trained model set and a sidecar in the background.

Everything lives under var/ (run from the repository): var/demo/ holds the generated files, the
store and the models; var/pertinent-demo.pid and var/pertinent-demo.log the background server.
Running it again stops the old server and starts a new one on the data already built (training
takes minutes); `--rebuild` regenerates the data (deterministic) and retrains from scratch.
var/demo/env holds the export lines that point the operator commands (report, train, worker) at the
demo's folders; var/demo/build-id changes on every rebuild, so the demo WordPress knows to start over.
"""
from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .demo_guide import example_visitor, print_guide

VAR = Path("var")
DEMO = VAR / "demo"
PID_FILE = VAR / "pertinent-demo.pid"
LOG_FILE = VAR / "pertinent-demo.log"
ENV_FILE = DEMO / "env"
BUILD_ID_FILE = DEMO / "build-id"
# Read by scripts/wp/demo.sh: where the demo WordPress points, and whose personalised page it shows.
SIDECAR_URL_VAR = "PERTINENT_DEMO_SIDECAR"
VISITOR_VAR = "PERTINENT_DEMO_VISITOR"
# The demo sidecar's settings an operator command needs to read the same data.
ENV_EXPORTS = ("PERTINENT_DATA_DIR", "PERTINENT_MODELS_DIR", "PERTINENT_API_KEY", "PERTINENT_PUBLIC_KEY")
# Commands that work on a data folder and a models folder (serve and demo have their own).
OPERATOR_COMMANDS = ("report", "train", "evaluate", "recommend", "worker", "experiment")
HOST = "127.0.0.1"
# Demo keys are fixed so the printed curl lines work; anything real sets PERTINENT_API_KEY itself.
DEMO_API_KEY = "demo-server-key-change-me"
DEMO_PUBLIC_KEY = "demo-public-key"


def demo_env() -> dict:
    """The demo sidecar's environment: its own data and models under var/demo, demo keys unless set."""
    env = dict(os.environ)
    env.update({"PERTINENT_DATA_DIR": str((DEMO / "data").resolve()),
                "PERTINENT_MODELS_DIR": str((DEMO / "models").resolve())})
    env.setdefault("PERTINENT_API_KEY", DEMO_API_KEY)
    env.setdefault("PERTINENT_PUBLIC_KEY", DEMO_PUBLIC_KEY)
    env.setdefault("PERTINENT_ALLOWED_ORIGINS", "*")  # the demo WordPress may run on any local port
    env.pop("PERTINENT_STORE_URL", None)  # the demo never writes into a real store
    env.pop("PERTINENT_CACHE_URL", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # The model set is trained (and signed) in this process: the server must verify with the same key.
    from .config import load_config
    from .modelset.keys import signing_env

    env.update(signing_env(load_config()))
    return env


def _running_pid() -> int | None:
    """The demo server's pid when the pid file names a live `pertinent` process (not a reused pid)."""
    try:
        pid = int(PID_FILE.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"pertinent" in cmdline and b"serve" in cmdline else None


def stop() -> int:
    """Stop the background demo server (SIGTERM, then SIGKILL after 20 s); fine when none runs."""
    pid = _running_pid()
    if pid is None:
        PID_FILE.unlink(missing_ok=True)
        print("pertinent demo: no demo sidecar running")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists() and not _is_zombie(pid):
        time.sleep(0.1)
    if Path(f"/proc/{pid}").exists() and not _is_zombie(pid):
        os.kill(pid, signal.SIGKILL)
    PID_FILE.unlink(missing_ok=True)
    print(f"pertinent demo: stopped the sidecar (pid {pid})")
    return 0


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def write_env_file(env: dict, base: str, visitor: str) -> Path:
    """var/demo/env: `source` it and the operator commands read the running demo's data and models."""
    lines = [f"export {name}={shlex.quote(env[name])}" for name in ENV_EXPORTS]
    lines.append(f"export {SIDECAR_URL_VAR}={shlex.quote(base)}")
    lines.append(f"export {VISITOR_VAR}={shlex.quote(visitor)}")
    ENV_FILE.write_text("# Written by `pertinent demo`: source it to run report, train, worker on the demo.\n"
                        + "\n".join(lines) + "\n")
    return ENV_FILE


def note_when_demo_runs(args, environ=os.environ) -> None:
    """One stderr line when an operator command would read ./var and ./models while the demo runs."""
    if args.command not in OPERATOR_COMMANDS or getattr(args, "models", None):
        return
    if "PERTINENT_DATA_DIR" in environ or "PERTINENT_MODELS_DIR" in environ:
        return
    if _running_pid() is None:
        return
    print(f"pertinent: note: the demo is running with its data in {DEMO}/; this command reads ./var and "
          f"./models (run `source {ENV_FILE}` to use the demo's)", file=sys.stderr)


def _port_taken(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) == 0


def prepare_data(env: dict) -> dict:
    """Generate the demo site, load it into a fresh store, train and promote a model set."""
    import shutil

    from .config import load_config
    from .demo.generator import generate, to_domain
    from .store import open_store

    shutil.rmtree(DEMO, ignore_errors=True)
    print("pertinent demo: generating the demo site (seed 7) in var/demo ...", flush=True)
    generate(DEMO, seed=7)
    BUILD_ID_FILE.write_text(f"{time.time_ns()}\n")  # a new build: the demo WordPress starts over
    items, events = to_domain(DEMO)
    config = load_config(env)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.resolved_store_url)
    try:
        store.upsert_content(items)
        store.add_events(events)
    finally:
        store.close()
    print(f"pertinent demo: loaded {len(items)} catalog items and {len(events)} events into the store",
          flush=True)
    version = train(config.models_dir, items)
    return {"items": items, "events": events, "version": version}


def train(models_dir: Path, items) -> str:
    """The training pipeline when installed; otherwise the popularity baseline as a real model set."""
    try:
        from .training.pipeline import train_from_files
    except ImportError:
        train_from_files = None
    if train_from_files is not None:
        print("pertinent demo: training the model set ...", flush=True)
        result = train_from_files(DEMO / "events.csv", DEMO / "content.csv", models_dir, force=True,
                                  progress=lambda line: print(f"  {line}", flush=True))
        return result.version
    return _train_popularity(models_dir)


def _train_popularity(models_dir: Path) -> str:
    import pandas as pd

    from .modelset.writer import promote, write_model_set
    from .recsys.baseline import PopularityRecommender

    events = pd.read_csv(DEMO / "events.csv", dtype=str, keep_default_na=False)
    content = pd.read_csv(DEMO / "content.csv", dtype=str, keep_default_na=False)
    model = PopularityRecommender().fit(events, content)
    path = write_model_set(models_dir, {"recommender": model},
                           data_range={"start": events["timestamp"].min(), "end": events["timestamp"].max()},
                           rows={"events": len(events), "content": len(content),
                                 "visitors": events["visitor_id"].nunique()})
    promote(models_dir, path.name)
    return path.name


def start_server(env: dict, port: int) -> int:
    """`pertinent serve` in its own session (it outlives this command), logging to var/."""
    import requests

    VAR.mkdir(exist_ok=True)
    with LOG_FILE.open("ab") as log:
        command = [sys.executable, "-m", "pertinent", "serve", "--host", HOST, "--port", str(port)]
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    PID_FILE.write_text(f"{process.pid}\n")
    url = f"http://{HOST}:{port}/readyz"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"pertinent demo: the sidecar exited ({process.returncode}); see {LOG_FILE}:\n"
                             + LOG_FILE.read_text()[-2000:])
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return process.pid
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"pertinent demo: the sidecar did not become ready in 60 s; see {LOG_FILE}")


def reuse_data(env: dict) -> dict | None:
    """The data of an earlier run when it is complete (a live model set and the generated files)."""
    from .demo.generator import to_domain
    from .modelset.writer import live_version

    version = live_version(Path(env["PERTINENT_MODELS_DIR"]))
    if version is None or not (DEMO / "events.csv").exists() or not (DEMO / "data").exists():
        return None
    print(f"pertinent demo: reusing var/demo and model set {version} (--rebuild to start over)", flush=True)
    items, events = to_domain(DEMO)
    return {"items": items, "events": events, "version": version}


def start(port: int = 8000, rebuild: bool = False) -> int:
    """Stop any previous demo, build (or reuse) data and model set, start the sidecar, print how to use it."""
    stop()
    if _port_taken(port):
        print(f"pertinent demo: port {port} is in use by another program; free it or use --port",
              file=sys.stderr)
        return 1
    env = demo_env()
    prepared = (None if rebuild else reuse_data(env)) or prepare_data(env)
    pid = start_server(env, port)
    base = f"http://{HOST}:{port}"
    env_file = write_env_file(env, base, example_visitor(prepared))
    print_guide(base, env["PERTINENT_API_KEY"], env["PERTINENT_PUBLIC_KEY"], prepared, pid, str(env_file))
    return 0
