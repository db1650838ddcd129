"""The live model set of this process: loaded from models/LIVE, polled cheaply, swapped atomically.

Readers call `current()` once per request and use that object throughout, so every answer comes from
one whole set even while a reload swaps the reference underneath.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ModelSetError
from .loader import ModelSet, load_model_set
from .manifest import is_safe_name
from .signing import Keyring
from .writer import LIVE_FILE

log = logging.getLogger(__name__)


def _utcnow_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class ModelRegistry:
    """Holds the live ModelSet (or None) and reloads it when models/LIVE changes."""

    def __init__(self, models_dir, reload_interval: float = 5.0, clock=time.monotonic,
                 keyring: Keyring | None = None):
        self.models_dir = Path(models_dir)
        self.keyring = keyring  # None: the environment's keys (modelset/keys.py), read at each load
        self.reload_interval = float(reload_interval)
        self._clock = clock
        self._lock = threading.Lock()
        self._current: ModelSet | None = None
        self._loaded_at: str | None = None
        self._last_error: str | None = None
        self._last_error_code: str | None = None
        self._next_check = 0.0
        self._seen_stat = None  # (mtime_ns, size, inode) of LIVE when last looked at
        self.reloads = 0
        self.failures = 0

    # --- reading --------------------------------------------------------------------------------
    def current(self) -> ModelSet | None:
        """The live set, or None when there is none (the decision core then serves popular/latest)."""
        return self._current

    def status(self) -> dict:
        """What /readyz and /v1/models report: live version, when loaded, the last error, the manifest."""
        current = self._current
        return {
            "live": current.version if current else None,
            "loaded_at": self._loaded_at,
            "last_error": self._last_error,
            "last_error_code": self._last_error_code,
            "manifest": current.manifest if current else None,
            "models_dir": str(self.models_dir),
            "reloads": self.reloads,
            "failures": self.failures,
        }

    # --- loading --------------------------------------------------------------------------------
    def load(self) -> bool:
        """Load the version LIVE names (at start); a missing or bad set leaves current() as before."""
        ok, _ = self.reload()
        return ok

    def reload(self) -> tuple[bool, str]:
        """Force a reload from LIVE now; keeps the old set when the new one cannot be loaded."""
        with self._lock:
            self._next_check = self._clock() + self.reload_interval
            return self._reload_locked(force=True)

    def maybe_reload(self) -> None:
        """Called on every request: a clock check, then at most one stat of LIVE per reload_interval."""
        now = self._clock()
        if now < self._next_check:
            return
        # Another thread already looking: serve with what we have rather than wait.
        if not self._lock.acquire(blocking=False):
            return
        try:
            if now < self._next_check:
                return
            self._next_check = now + self.reload_interval
            self._reload_locked(force=False)
        finally:
            self._lock.release()

    def _live_stat(self):
        try:
            st = os.stat(self.models_dir / LIVE_FILE)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _reload_locked(self, force: bool) -> tuple[bool, str]:
        stat = self._live_stat()
        if not force and stat == self._seen_stat:
            return True, "unchanged"
        self._seen_stat = stat
        if stat is None:
            return self._fail("missing_live", f"{self.models_dir / LIVE_FILE} does not exist")
        try:
            version = (self.models_dir / LIVE_FILE).read_text(encoding="utf-8").strip()
        except OSError as exc:
            return self._fail("missing_live", f"cannot read {self.models_dir / LIVE_FILE}: {exc}")
        if not is_safe_name(version):
            return self._fail("bad_manifest", f"LIVE names {version!r}, which is not a version")
        current = self._current
        if current is not None and current.version == version and not force:
            # LIVE points back at the set that kept serving: an error about another set is history now.
            self._last_error = self._last_error_code = None
            return True, f"{version} already live"
        try:
            model_set = load_model_set(self.models_dir / version, self.keyring)
        except ModelSetError as exc:
            return self._fail(exc.code, f"{version}: {exc.message}")
        except Exception as exc:  # never let a reload take the process down
            log.exception("unexpected error loading model set %s", version)
            return self._fail("bad_artifact", f"{version}: {type(exc).__name__}: {exc}")
        self._current = model_set  # the atomic swap: one reference assignment
        self._loaded_at = _utcnow_iso()
        self._last_error = self._last_error_code = None
        self.reloads += 1
        return True, f"{version} loaded"

    def _fail(self, code: str, message: str) -> tuple[bool, str]:
        current = self._current
        if current is not None:
            message += f" (still serving {current.version})"
        log.warning("model set not loaded: %s", message)
        self._last_error, self._last_error_code = message, code
        self.failures += 1
        return False, message
