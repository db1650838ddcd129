"""A model set of this process, named by a pointer (LIVE, or CANARY): polled cheaply, swapped atomically.

Readers call `current()` once per request and use that object throughout, so every answer comes from
one whole set even while a reload swaps the reference underneath. The live set and the canary are two
registries over the same model-set store (modelset/sets.py): one polling mechanism for both.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ModelSetError
from .loader import ModelSet, load_model_set
from .manifest import is_safe_name
from .sets import CANARY, LIVE, ModelSets, as_model_sets
from .signing import Keyring

log = logging.getLogger(__name__)


def _utcnow_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class ModelRegistry:
    """Holds the ModelSet a pointer names (or None) and reloads it when the pointer changes.

    LIVE: a missing pointer or a set that will not load leaves the previous set serving. CANARY
    (`optional`): no pointer means no canary, and a set that will not load serves nothing, since the
    previous canary is not what the pointer names; `on_failure(version, message)` hears of it.
    """

    def __init__(self, models: ModelSets | str | Path, reload_interval: float = 5.0, clock=time.monotonic,
                 keyring: Keyring | None = None, pointer: str = LIVE, optional: bool = False,
                 on_failure: Callable[[str, str], None] | None = None):
        self.sets = as_model_sets(models)  # a folder path means the folder backend
        self.models_dir = self.sets.models_dir
        self.pointer = pointer
        self.optional = optional
        self._on_failure = on_failure
        self.keyring = keyring  # None: the environment's keys (modelset/keys.py), read at each load
        self.reload_interval = float(reload_interval)
        self._clock = clock
        self._lock = threading.Lock()
        self._current: ModelSet | None = None
        self._loaded_at: str | None = None
        self._last_error: str | None = None
        self._last_error_code: str | None = None
        self._next_check = 0.0
        self._seen_token: object = None  # the pointer's token (modelset/sets.py) when last looked at
        self.reloads = 0
        self.failures = 0

    @classmethod
    def canary(cls, models: ModelSets, reload_interval: float = 5.0, clock=time.monotonic,
               keyring: Keyring | None = None, on_failure=None) -> ModelRegistry:
        """The registry of the CANARY pointer, beside the live one over the same store."""
        return cls(models, reload_interval, clock, keyring, pointer=CANARY, optional=True,
                   on_failure=on_failure)

    # --- reading --------------------------------------------------------------------------------
    def current(self) -> ModelSet | None:
        """The live set, or None when there is none (the decision core then serves popular/latest)."""
        return self._current

    def polled(self) -> ModelSet | None:
        """current() after maybe_reload(): for readers that are not on the decide path's own reload."""
        self.maybe_reload()
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
        """Force a reload from the pointer now; keeps the old set when the new one cannot be loaded."""
        with self._lock:
            self._next_check = self._clock() + self.reload_interval
            return self._reload_locked(force=True)

    def maybe_reload(self) -> None:
        """Called on every request: a clock check, then at most one look at the pointer per interval."""
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

    def _reload_locked(self, force: bool) -> tuple[bool, str]:
        where = self.sets.where(self.pointer)
        try:
            token = self.sets.pointer_token(self.pointer)
            if not force and token == self._seen_token:
                return True, "unchanged"
            version = self.sets.pointer(self.pointer) if token is not None else None
        except Exception as exc:  # noqa: BLE001 - the model-set store is down: keep serving what we have
            return self._fail("models_unavailable", f"cannot read {where}: {type(exc).__name__}: {exc}")
        self._seen_token = token
        if version is None:
            if self.optional:
                self._current = None
                self._last_error = self._last_error_code = None
                return True, f"no {self.pointer}"
            if token is None:
                return self._fail("missing_live", f"{where} does not exist")
            return self._fail("missing_live", f"{where} names no version")
        if not is_safe_name(version):
            return self._fail("bad_manifest", f"{self.pointer} names {version!r}, which is not a version")
        current = self._current
        if current is not None and current.version == version and not force:
            # The pointer names the set that kept serving: an error about another set is history now.
            self._last_error = self._last_error_code = None
            return True, f"{version} already live"
        try:
            model_set = load_model_set(self.sets.fetch(version, self.keyring), self.keyring)
        except ModelSetError as exc:
            return self._fail(exc.code, f"{version}: {exc.message}", version)
        except Exception as exc:  # never let a reload take the process down
            log.exception("unexpected error loading model set %s", version)
            return self._fail("bad_artifact", f"{version}: {type(exc).__name__}: {exc}", version)
        self._current = model_set  # the atomic swap: one reference assignment
        self._loaded_at = _utcnow_iso()
        self._last_error = self._last_error_code = None
        self.reloads += 1
        return True, f"{version} loaded"

    def _fail(self, code: str, message: str, version: str | None = None) -> tuple[bool, str]:
        if self.optional and version is not None:
            self._current = None  # a canary that will not load is not replaced by the one before
        current = self._current
        if current is not None:
            message += f" (still serving {current.version})"
        log.warning("%s model set not loaded: %s", self.pointer, message)
        self._last_error, self._last_error_code = message, code
        self.failures += 1
        if version is not None and self._on_failure is not None:
            self._on_failure(version, message)
        return False, message
