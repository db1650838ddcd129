"""`pertinent worker`: the retraining loop that runs beside the sidecar.

Each iteration: take (or renew) the deployment's worker lock in the store, judge a running canary,
check drift, retrain when the schedule, drift or a metric drop says so (a passing model set starts as
a canary, never straight to live when one is live), and purge events past retention. One plain log
line per step, so `journalctl` or `docker logs` shows progress.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .experiments.report import tally
from .experiments.stats import uplift
from .modelset import canary
from .modelset.manifest import MANIFEST_NAME
from .monitoring.drift import check_drift, save_drift
from .training.shape import skipped_models

log = logging.getLogger("pertinent.worker")
LOCK_NAME = "worker"
STATE_KIND, STATE_ID = "worker", "state"
MIN_TRIGGER_GAP_HOURS = 6.0  # at most one drift- or metric-triggered retraining per this many hours
# A failed training is retried after 5 minutes, then 10, 20, ... up to 4 hours (never later than the
# schedule): a store blip or a few missing events should cost minutes, not the day until the schedule.
RETRY_FIRST_MINUTES = 5.0
RETRY_MAX_MINUTES = 240.0

# train(runtime, reason) -> path of the new model set folder, or None when training produced nothing.
TrainFn = Callable[[object, str], "Path | None"]


class Worker:
    """One deployment's worker; `run_once` is a single iteration (tests call it, no sleeping)."""

    def __init__(self, runtime, train: TrainFn | None = None, owner: str | None = None):
        self.runtime = runtime
        self.config = runtime.config
        self.store = runtime.store
        self.train = train or default_train
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"

    def run_once(self, now: datetime | None = None) -> list[str]:
        """One iteration; returns what it did (e.g. ["canary:rollback", "drift:ok", "train:drift"])."""
        now = now or datetime.now(timezone.utc)
        if not self.store.try_lock(LOCK_NAME, self.owner, self._lock_ttl()):
            log.info("another worker holds the lock; waiting")
            return ["waiting"]
        state = self.store.get_record(STATE_KIND, STATE_ID) or {}
        actions = [self._judge_canary(now, state)]
        drift = self._check_drift(now, state)
        actions.append(f"drift:{drift['status']}" if drift else "drift:skipped")
        reason = self._training_reason(now, state, drift)
        if reason:
            actions.append(self._retrain(now, state, reason))
        actions.append(self._purge(now, state))
        state.update(last_run_at=now.isoformat(), owner=self.owner,
                     next_training_at=self._next_training(state, now).isoformat())
        self.store.put_record(STATE_KIND, STATE_ID, state)
        return [a for a in actions if a]

    def run_forever(self) -> None:
        """Iterate every worker_poll_seconds until interrupted; an iteration's error is logged, not fatal."""
        log.info("worker %s started; polling every %.0fs", self.owner, self.config.worker_poll_seconds)
        try:
            while True:
                try:
                    self.runtime.models.maybe_reload()
                    self.run_once()
                except Exception:  # noqa: BLE001 - the loop must survive a bad iteration
                    log.exception("worker iteration failed; retrying next poll")
                time.sleep(self.config.worker_poll_seconds)
        finally:
            self.store.release_lock(LOCK_NAME, self.owner)

    # --- steps ---------------------------------------------------------------------------------
    def _judge_canary(self, now: datetime, state: dict) -> str:
        decision = canary.evaluate_canary(self.store, self.runtime.models.sets, self.config, now)
        if decision is None:
            return ""
        log.info("canary: %s: %s", decision.action, decision.reason)
        canary.apply_decision(self.store, self.runtime.models.sets, decision, now)
        if decision.action in ("promote", "rollback"):
            # The training result names the canary's fate once it has one: "serving as canary" stayed on
            # the admin page after the set was promoted.
            done = "promoted to live" if decision.action == "promote" else "rolled back"
            state["last_training_result"] = f"{decision.version} {done} after its canary: {decision.reason}"
        if decision.action == "promote":
            self.runtime.models.reload()
        return f"canary:{decision.action}"

    def _check_drift(self, now: datetime, state: dict) -> dict | None:
        last = state.get("last_drift_at")
        if last and now - _time(last) < timedelta(minutes=self.config.drift_check_minutes):
            return None
        model_set = self.runtime.models.current()
        result = check_drift(self.store, model_set, threshold=self.config.drift_threshold,
                             live_hours=self.config.drift_window_hours, now=now,
                             category_of=self._category_lookup())
        save_drift(self.store, result)
        state["last_drift_at"] = now.isoformat()
        log.info("drift: %s, max PSI %.3f (threshold %.2f)%s", result["status"], result["max_psi"],
                 result["threshold"], f", drifted: {', '.join(result['drifted_features'])}"
                 if result["drifted"] else "")
        return result

    def _training_reason(self, now: datetime, state: dict, drift: dict | None) -> str | None:
        """Why to retrain now, or None: a canary under way always waits for its verdict first."""
        if canary.canary_version(self.runtime.models.sets):
            return None
        retry = state.get("retry_at")
        if retry and now >= _time(retry):
            return f"retry {state.get('training_failures', 1)} after a failed training"
        if now >= self._next_training(state, now):
            return "schedule"
        # Drift or a metric drop retrain early, but not again within the gap: a set that keeps failing
        # its gate on drifted data would otherwise be retrained at every check.
        last = state.get("last_training_at")
        gap = timedelta(hours=min(MIN_TRIGGER_GAP_HOURS, self.config.train_interval_hours))
        if last and now - _time(last) < gap:
            return None
        if drift and drift.get("drifted"):
            return "drift: " + ", ".join(drift["drifted_features"])
        # The metric-drop check reads two windows of events: only as often as the drift check.
        drop = self._metric_drop(now) if drift is not None else None
        return drop

    def _metric_drop(self, now: datetime) -> str | None:
        """The model arm's CTR in the last window against the window before: surely lower, and by enough."""
        width = timedelta(hours=self.config.drift_window_hours)
        batches = list(self.store.iter_events(since=now - 2 * width, until=now))
        counts = tally(batches, ("model",), start=now - 2 * width, end=now - width)["model"]["*"]
        recent = tally(batches, ("model",), start=now - width, end=now)["model"]["*"]
        need = self.config.canary_min_impressions
        if min(counts.impressions, recent.impressions) < need:
            return None
        before, after = counts.clicks / counts.impressions, recent.clicks / recent.impressions
        result = uplift(recent.clicks, recent.impressions, counts.clicks, counts.impressions)
        if before > 0 and (before - after) / before > self.config.metric_drop_threshold and result.high < 0:
            return f"metric drop: model CTR {after:.1%} vs {before:.1%} the window before"
        return None

    def _retrain(self, now: datetime, state: dict, reason: str) -> str:
        log.info("training: started (%s)", reason)
        state.update(last_training_at=now.isoformat(), last_training_reason=reason)
        try:
            with self._lock_kept_alive():  # training may outlast the lock's time to live
                path = self.train(self.runtime, reason)
        except Exception as exc:  # noqa: BLE001 - a failed training is logged and retried with backoff
            return self._failed(now, state, exc)
        for key in ("training_failures", "retry_at", "last_training_skipped"):
            state.pop(key, None)
        if path is None:
            state["last_training_result"] = "no model set produced"
            log.info("training: no model set produced")
            return "train:none"
        version = Path(path).name
        manifest = _manifest(Path(path))
        gate = manifest.get("gate") or {}
        state["last_training_version"] = version
        # Models the data could not train (no conversions, say) are named, not silently constant.
        state["last_training_skipped"] = skipped_models(manifest.get("hyperparameters") or {})
        if not gate.get("passed", False):
            state["last_training_result"] = f"{version} failed its gate: {gate.get('reason', '')}"
            log.info("training: %s failed its gate (%s); live set kept", version, gate.get("reason", ""))
            return "train:gate_failed"
        went = canary.release(self.store, self.runtime.models, Path(path), f"retrained ({reason})", now)
        if went == "live":
            state["last_training_result"] = f"{version} promoted (no live set before)"
            log.info("training: %s promoted directly: there was no live set", version)
            return "train:promoted"
        state["last_training_result"] = f"{version} serving as canary"
        log.info("training: %s passed its gate; serving as canary to %.0f%% of the model arm", version,
                 self.config.canary_share * 100)
        return "train:canary"

    def _failed(self, now: datetime, state: dict, exc: Exception) -> str:
        """Record why training failed and when it is retried (backoff growing with each failure in a row)."""
        from .training.io import TrainingInputError
        from .training.pipeline import TrainingDataError

        failures = int(state.get("training_failures", 0)) + 1
        retry_at = now + retry_delay(failures, self.config.train_interval_hours)
        # The data's own problem is said in its words; anything else is a bug and keeps its type and trace.
        if isinstance(exc, (TrainingDataError, TrainingInputError)):
            log.warning("training: failed: %s", exc)
            why = str(exc)
        else:
            log.exception("training: failed")
            why = f"{type(exc).__name__}: {exc}"
        state.update(training_failures=failures, retry_at=retry_at.isoformat(),
                     last_training_result=f"failed: {why}")
        log.info("training: failure %d in a row; retrying at %s", failures, retry_at.isoformat())
        return "train:failed"

    def _purge(self, now: datetime, state: dict) -> str:
        last = state.get("last_purge_at")
        if last and now - _time(last) < timedelta(hours=24):
            return ""
        cutoff = now - timedelta(days=self.config.retention_days)
        purged = self.store.purge_events(cutoff)
        state.update(last_purge_at=now.isoformat(), last_purge_count=purged)
        log.info("retention: purged %d events older than %s", purged, cutoff.date().isoformat())
        return f"purge:{purged}"

    def _lock_ttl(self) -> float:
        return max(300.0, 3 * self.config.worker_poll_seconds)

    @contextmanager
    def _lock_kept_alive(self):
        """Renew the worker lock in the background while a long step runs, so no second worker starts."""
        ttl, stop = self._lock_ttl(), threading.Event()

        def beat():
            while not stop.wait(ttl / 3):
                try:
                    self.store.try_lock(LOCK_NAME, self.owner, ttl)
                except Exception:  # noqa: BLE001 - the next beat retries
                    log.warning("could not renew the worker lock")

        thread = threading.Thread(target=beat, name="pertinent-worker-lock", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _next_training(self, state: dict, now: datetime) -> datetime:
        """The retry after a failure when one is due, else the schedule."""
        last = state.get("last_training_at")
        if not last:
            return now
        scheduled = _time(last) + timedelta(hours=self.config.train_interval_hours)
        retry = state.get("retry_at")
        return min(_time(retry), scheduled) if retry else scheduled

    def _category_lookup(self):
        categories = {item.id: (item.categories[0] if item.categories else None)
                      for item in self.store.list_content()}
        return categories.get


def retry_delay(failures: int, interval_hours: float) -> timedelta:
    """5, 10, 20, 40 ... minutes after the 1st, 2nd, 3rd, 4th failure in a row; capped, and never past
    the regular schedule."""
    minutes = RETRY_FIRST_MINUTES * 2 ** min(max(failures - 1, 0), 16)
    return timedelta(minutes=min(minutes, RETRY_MAX_MINUTES, interval_hours * 60.0))


def default_train(runtime, reason: str) -> Path | None:
    """Train on the store with the training pipeline; the new set is written, not promoted (canary first)."""
    from .training.pipeline import train_from_store

    result = train_from_store(runtime.store, runtime.config.models_dir, promote_on_pass=False,
                              event_weights=runtime.config.event_weights,
                              progress=lambda message: log.info("training: %s", message))
    return result.path


def _manifest(path: Path) -> dict:
    """The new set's manifest read leniently: an unreadable one counts as a failed gate, not a crash."""
    try:
        return json.loads((path / MANIFEST_NAME).read_text())
    except (OSError, ValueError):
        return {}


def _time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def register(sub) -> None:
    """`pertinent worker [--once]` on the CLI's subcommands."""
    parser = sub.add_parser("worker", help="retrain on schedule/drift, judge canaries, purge old events")
    parser.add_argument("--once", action="store_true", help="run one iteration and exit (for cron or tests)")
    parser.set_defaults(func=cmd_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    """Run the worker with plain log lines on stderr: time, level, what happened."""
    from .config import load_config
    from .runtime import Runtime

    config = load_config()
    logging.basicConfig(level=config.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = Runtime.from_config(config)
    worker = Worker(runtime)
    try:
        if args.once:
            actions = worker.run_once()
            log.info("done: %s", ", ".join(actions) or "nothing to do")
            if actions != ["waiting"]:
                runtime.store.release_lock(LOCK_NAME, worker.owner)
            return 0
        worker.run_forever()
    except KeyboardInterrupt:
        log.info("worker stopped")
    finally:
        runtime.close()
    return 0
