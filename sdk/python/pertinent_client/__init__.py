"""A small client for the Pertinent sidecar, for any CMS or script: decide, recommend, track, sync, privacy.

    from pertinent_client import PertinentClient, Slot
    client = PertinentClient("http://127.0.0.1:8000", api_key="...")
    decision = client.decide([Slot("hero", kind="banner", candidates=["12", "13"])], visitor_id="v1")
"""
from __future__ import annotations

from .client import PertinentClient
from .errors import PertinentError, PertinentUnavailable
from .results import Decision, Item, Slot, SlotResult, TrackResult, VisitorExport

__all__ = [
    "Decision", "Item", "PertinentClient", "PertinentError", "PertinentUnavailable", "Slot", "SlotResult",
    "TrackResult", "VisitorExport",
]
