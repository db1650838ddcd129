"""Measure the live model set on the new set's test window, so the gate compares like with like."""
from __future__ import annotations

from pathlib import Path

from ..errors import ModelSetError
from ..modelset.loader import load_model_set
from ..modelset.writer import live_version
from .ranking import evaluate_ranking


def evaluate_live(models_dir, cases, k: int, catalog_size: int, progress=print,
                  test_start: float | None = None) -> dict | None:
    """Ranking metrics of the live set's recommender, or None when there is no usable live set.

    A live set trained on events inside this test window has seen the answers; it is not compared
    (the gate then judges against the baselines only, and says so)."""
    version = live_version(models_dir)
    if not version:
        return None
    try:
        live = load_model_set(Path(models_dir) / version)
    except (ModelSetError, OSError, ValueError) as exc:
        progress(f"live set {version} cannot be loaded ({exc}); comparing with baselines only")
        return None
    if live.recommender is None:
        return None
    trained_until = _end(live.manifest)
    if test_start is not None and trained_until is not None and trained_until > test_start:
        progress(f"live set {version} was trained on events inside this test window; not compared")
        return None
    return {"version": version, "ranking": evaluate_ranking(live.recommender, cases, k, catalog_size)}


def _end(manifest: dict) -> float | None:
    """The end of a set's training data (epoch seconds), from its manifest."""
    from datetime import datetime

    value = (manifest.get("data_range") or {}).get("end")
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp() if value else None
    except ValueError:
        return None
