"""Measure the live model set on the new set's test window, so the gate compares like with like."""
from __future__ import annotations

from pathlib import Path

from ..errors import ModelSetError
from ..modelset.loader import load_model_set
from ..modelset.writer import live_version
from .ranking import evaluate_ranking


def evaluate_live(models_dir, cases, k: int, catalog_size: int, progress=print) -> dict | None:
    """Ranking metrics of the live set's recommender, or None when there is no usable live set."""
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
    return {"version": version, "ranking": evaluate_ranking(live.recommender, cases, k, catalog_size)}
