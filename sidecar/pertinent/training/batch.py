"""`pertinent recommend`: one JSON line per visitor from their history in an events file (email, offline)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..domain import PageContext
from ..modelset.protocols import RecommendQuery
from .io import TrainingInputError
from .ranking import _events


def read_visitor_ids(path) -> list[str]:
    """One id per line, or a CSV with a visitor_id column."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TrainingInputError(path, 0, 0, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainingInputError(path, 1, 1, f"cannot be read as a list of visitor ids: {exc}") from None
    numbered = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    lines = [line for _, line in numbered]
    if lines and "," in lines[0] and "visitor_id" in lines[0].split(","):
        col = lines[0].split(",").index("visitor_id")
        ids = []
        for number, line in numbered[1:]:
            parts = line.split(",")
            if len(parts) <= col:
                raise TrainingInputError(path, number, len(parts) + 1, "missing the visitor_id column")
            ids.append(parts[col].strip())
        return ids
    return [v for v in lines if v != "visitor_id"]


def recommend_lines(recommender, events: pd.DataFrame, visitor_ids: list[str], k: int, *,
                    exclude_seen: bool = False, history: int | None = None):
    """Yield one JSON line per visitor: {"visitor_id", "content_ids", "scores"}."""
    if history is None:  # as much history as the decide route reads, so both serve the same ranking
        from ..config import load_config

        history = load_config().history_limit
    past = events[events["event_type"] != "impression"]
    groups = dict(tuple(past.groupby("visitor_id")))
    for vid in visitor_ids:
        rows = groups.get(vid)
        hist = _events(rows.tail(history)) if rows is not None else []
        seen = frozenset()
        if exclude_seen and rows is not None:
            seen = frozenset(c for c in rows["content_id"] if c)
        # No `now`, as on the decide route: recency is scored as of the model set's end of training, so
        # the CLI prints what a page would be served (the newest event's time scored up to 0.005 off).
        query = RecommendQuery(history=hist, context=PageContext(), k=k, exclude=seen)
        recs = recommender.recommend(query)
        yield json.dumps({"visitor_id": vid, "content_ids": [c for c, _ in recs],
                          "scores": [round(s, 6) for _, s in recs]})
