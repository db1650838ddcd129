"""`pertinent serve`: the app under gunicorn, models loaded once before the workers fork.

Workers default to the core count; SIGHUP is gunicorn's graceful reload (new workers, then the old
ones finish their requests); SIGTERM stops gracefully. /metrics sums all workers through
prometheus-client's multiprocess mode, whose directory lives in the data dir.
"""
from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from .config import Config

log = logging.getLogger("pertinent.serve")
DEFAULT_THREADS = 4
WORKER_CLASSES = {"gthread": "pertinent.gunicorn_workers.JsonThreadWorker",
                  "sync": "pertinent.gunicorn_workers.JsonSyncWorker"}
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def prepare_metrics_dir(data_dir: Path) -> Path:
    """A fresh multiprocess directory; must be set before prometheus_client is first imported."""
    path = (data_dir / "prometheus").resolve()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    if "prometheus_client" in sys.modules and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        log.warning("prometheus_client was imported before multiprocess mode was set: /metrics is per worker")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def child_exit(server, worker) -> None:
    """Forget a dead worker's live gauges (gunicorn hook, runs in the master)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker) -> None:
    """Each worker gets its own random state (forked copies would draw the same numbers)."""
    import random

    random.seed()


def gunicorn_options(config: Config, host: str, port: int, workers: int, threads: int) -> dict:
    """Settings chosen for a latency-sensitive JSON service on one host."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threaded workers keep connections alive (the snippet and the plugin reuse them) and a slow
        # client holds one thread, not a whole worker; stores and caches connect per process and thread.
        # --threads 1 gives classic sync workers. Both are gunicorn's own, answering the requests gunicorn
        # refuses before Flask sees them (bad Content-Length, long URI, huge headers) in our JSON shape.
        "worker_class": WORKER_CLASSES["gthread" if threads > 1 else "sync"],
        "threads": threads,
        "preload_app": True,  # load models once in the master; workers share those pages after fork
        "timeout": 30,  # a worker silent this long is stuck: restart it
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": None,  # per-request logs cost latency; /metrics has the numbers
        "errorlog": "-",
        "loglevel": config.log_level.lower(),
        "proc_name": "pertinent",
        "child_exit": child_exit,
        "post_fork": post_fork,
        # gunicorn >= 24 opens a control socket at one fixed path per user: several sidecars (tests,
        # demo, bench) on one host would fight over it, and we do not use it.
        "control_socket_disable": True,
    }


class SidecarApplication(BaseApplication):
    """gunicorn running the Pertinent app built by `factory` (called once, in the master)."""

    def __init__(self, factory, options: dict):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self):
        return self.factory()


def warm_up(runtime) -> None:
    """Catalog snapshot and popular ranking built once in the master, so workers share them after fork
    and no visitor's request pays for them. A store that is down now is not fatal: /readyz says so."""
    warm = getattr(runtime.catalog, "warm", None)
    if warm is None:
        return
    try:
        warm(runtime.config.event_weights)
    except Exception as exc:
        log.warning("catalog warm-up skipped: %s", exc)


def freeze_heap() -> None:
    """Move everything loaded so far (model set, catalog snapshot) out of the garbage collector's sight.

    Without this every full collection in a worker walks the whole model set (hundreds of ms at 10,000
    items: the decide tail latency) and touches its pages, un-sharing the memory fork gave for free.
    """
    gc.collect()
    gc.freeze()


def run(config: Config, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
        threads: int = DEFAULT_THREADS) -> None:
    """Build the Runtime (models loaded) and the app before forking, then serve until SIGTERM/SIGINT."""
    from .runtime import Runtime

    logging.basicConfig(level=config.log_level.upper(), format=LOG_FORMAT)
    prepare_metrics_dir(config.data_dir)
    # Built here, not inside gunicorn, so a bad store or cache URL is a ConfigError with its variable's name.
    runtime = Runtime.from_config(config)
    warm_up(runtime)

    def factory():
        from . import create_app

        app = create_app(config, runtime)
        freeze_heap()
        return app

    workers = workers or os.cpu_count() or 1
    options = gunicorn_options(config, host, port, workers, threads)
    # Close this worker's store and cache connections when it exits (PostgreSQL sees a clean goodbye).
    options["worker_exit"] = lambda server, worker: runtime.close()
    SidecarApplication(factory, options).run()
