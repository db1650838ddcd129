"""PertinentClient: the sidecar's HTTP API over one requests.Session, with typed answers and clear errors.

Retries (urllib3 Retry) cover the idempotent calls only: GET, PUT and DELETE. A decide is never
retried (the page has a budget; a second try would blow it) and neither is a batch of events (a retry
after a lost answer would store them twice).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .errors import PertinentError, PertinentUnavailable, from_response
from .results import Decision, Slot, SlotResult, TrackResult, VisitorExport

log = logging.getLogger("pertinent_client")

IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})
MAX_EVENTS_PER_REQUEST = 500  # the sidecar's default PERTINENT_MAX_EVENTS_PER_BATCH


def _retrying_adapter(retries: int) -> HTTPAdapter:
    retry = Retry(total=retries, connect=retries, read=retries, status=retries, backoff_factor=0.1,
                  status_forcelist=(502, 503, 504), allowed_methods=IDEMPOTENT, raise_on_status=False)
    return HTTPAdapter(max_retries=retry)


class PertinentClient:
    """Talks to one sidecar with the server API key; the event buffer is thread-safe; `with` flushes."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 2.0, *, batch_size: int = 100,
                 retries: int = 2, max_buffered: int = 10_000):
        base = base_url.rstrip("/")
        self.base_url = base[:-3] if base.endswith("/v1") else base
        self.timeout = timeout
        self.batch_size = max(1, min(batch_size, MAX_EVENTS_PER_REQUEST))
        self.max_buffered = max_buffered
        self._session = requests.Session()
        self._session.headers.update({"Authorization": f"Bearer {api_key}", "Accept": "application/json",
                                      "User-Agent": "pertinent-client/0.1"})
        for scheme in ("http://", "https://"):
            self._session.mount(scheme, _retrying_adapter(retries))
        # POSTs go through a second session whose adapter never retries (see the module docstring).
        self._post = requests.Session()
        self._post.headers.update(self._session.headers)
        self._buffer: list[dict] = []
        self._lock = threading.Lock()

    # --- decisions ---------------------------------------------------------------------------------
    def decide(self, slots: Iterable[Slot | dict], visitor_id: str | None = None, *,
               session_id: str | None = None, context: dict | None = None) -> Decision:
        """One decision for all slots of a page; on PertinentError the page keeps its default content."""
        body = {"visitor_id": visitor_id, "session_id": session_id, "context": context or {},
                "slots": [s.to_json() if isinstance(s, Slot) else dict(s) for s in slots]}
        return Decision.from_json(self._call("POST", "/v1/decide", json=_drop_none(body)))

    def recommend(self, visitor_id: str | None = None, content_id: str | None = None,
                  k: int = 5) -> SlotResult:
        """Related / next-best content for a visitor, on a page when content_id is given."""
        params = _drop_none({"visitor_id": visitor_id, "content_id": content_id, "k": k})
        body = self._call("GET", "/v1/recommendations", params=params)
        return SlotResult.from_json("recommendations", body)

    # --- events --------------------------------------------------------------------------------------
    def track(self, type: str, visitor_id: str, *, content_id: str | None = None,
              session_id: str | None = None, decision_id: str | None = None, slot: str | None = None,
              arm: str | None = None, value: float | None = None, context: dict | None = None,
              timestamp: float | None = None) -> None:
        """Buffer one event (its time taken now); a full batch is sent at once, the rest on flush()/exit.

        A failed send while tracking keeps the events buffered for the next flush and logs a warning:
        tracking never breaks the page that calls it. flush() itself raises.
        """
        event = _drop_none({"type": type, "visitor_id": visitor_id, "content_id": content_id,
                            "session_id": session_id, "decision_id": decision_id, "slot": slot, "arm": arm,
                            "value": value, "context": context,
                            "timestamp": time.time() if timestamp is None else timestamp})
        with self._lock:
            self._buffer.append(event)
            full = len(self._buffer) >= self.batch_size
        if full:
            try:
                self.flush()
            except PertinentUnavailable as exc:
                log.warning("pertinent: events kept for the next flush: %s", exc)

    def flush(self) -> TrackResult:
        """Send every buffered event (in batches); returns what the sidecar accepted and rejected."""
        with self._lock:
            pending, self._buffer = self._buffer, []
        result = TrackResult()
        for start in range(0, len(pending), self.batch_size):
            batch = pending[start:start + self.batch_size]
            try:
                body = self._call("POST", "/v1/events", json={"events": batch})
            except PertinentUnavailable:
                self._requeue(pending[start:])
                raise
            rejected = tuple({**r, "index": r.get("index", 0) + start} for r in body.get("rejected") or [])
            result = result + TrackResult(int(body.get("accepted") or 0), rejected)
        return result

    @property
    def pending(self) -> int:
        """Events buffered and not yet sent."""
        with self._lock:
            return len(self._buffer)

    def _requeue(self, events: list[dict]) -> None:
        with self._lock:
            self._buffer = (events + self._buffer)[-self.max_buffered:]

    # --- catalog -----------------------------------------------------------------------------------
    def upsert_content(self, content_id: str, item: dict) -> dict:
        """Insert or replace one catalog item; returns it as the sidecar stored it."""
        return self._call("PUT", f"/v1/content/{_seg(content_id)}", json=item)

    def upsert_contents(self, items: list[dict]) -> int:
        """Insert or replace many items (each with an "id") in one transaction; returns how many."""
        return int(self._call("POST", "/v1/content/bulk", json={"items": items}).get("stored") or 0)

    def get_content(self, content_id: str) -> dict:
        return self._call("GET", f"/v1/content/{_seg(content_id)}")

    def delete_content(self, content_id: str) -> bool:
        """Remove an item from the catalog; False when it was not there (deleting twice is fine)."""
        try:
            self._call("DELETE", f"/v1/content/{_seg(content_id)}")
        except PertinentError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    # --- privacy -----------------------------------------------------------------------------------
    def export_visitor(self, visitor_id: str) -> VisitorExport:
        body = self._call("GET", f"/v1/visitors/{_seg(visitor_id)}")
        events = list(body.get("events") or [])
        return VisitorExport(visitor_id=body.get("visitor_id", visitor_id), events=events)

    def erase_visitor(self, visitor_id: str) -> int:
        """Delete everything stored about a visitor; returns how many records went."""
        return int(self._call("DELETE", f"/v1/visitors/{_seg(visitor_id)}").get("erased") or 0)

    # --- plumbing ----------------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> dict:
        session = self._session if method in IDEMPOTENT else self._post
        try:
            response = session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.exceptions.RetryError as exc:
            raise PertinentUnavailable(f"{method} {path}: still failing after retries: {exc}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise PertinentUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise from_response(response)
        try:
            return response.json()
        except ValueError as exc:
            raise PertinentUnavailable(f"{method} {path}: the answer is not JSON",
                                       status=response.status_code, code="bad_response") from exc

    def close(self) -> None:
        self._session.close()
        self._post.close()

    def __enter__(self) -> PertinentClient:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.flush()
        except Exception:
            if exc_type is None:  # do not hide the exception already on its way out
                raise
            log.warning("pertinent: could not flush events while leaving on an error", exc_info=True)
        finally:
            self.close()


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def _seg(value: str) -> str:
    """An id as one path segment (slashes and spaces escaped)."""
    return quote(str(value), safe="")
