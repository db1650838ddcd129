"""The item index every model shares: content ids <-> rows, item types and the labels editors gave them."""
from __future__ import annotations

import numpy as np

from ..domain import ContentItem


def item_labels(item: ContentItem) -> list[str]:
    """Topics, categories and tags as namespaced labels: what a visitor's taste profile is made of."""
    labels = [f"topic:{t}" for t in item.meta.get("topics", []) or []]
    labels += [f"cat:{c}" for c in item.categories] + [f"tag:{t}" for t in item.tags]
    return labels


def item_document(item: ContentItem) -> str:
    """The text a content vectorizer reads: title (twice: it says most), text, tags, categories, metadata."""
    meta = []
    for key, value in (item.meta or {}).items():
        if isinstance(value, (list, tuple)):
            meta += [f"{key}_{v}" for v in value]
        elif isinstance(value, str) and len(value) < 40:
            meta.append(f"{key}_{value}")
    tags = " ".join(t.replace(" ", "_") for t in item.tags)
    cats = " ".join(c.replace(" ", "_") for c in item.categories)
    body = item.text or item.excerpt
    return " ".join([item.title, item.title, body, tags, tags, cats, " ".join(meta)])


class ItemIndex:
    """Maps content ids to dense rows; grows when the catalog gains items after training."""

    def __init__(self):
        self.ids_: list[str] = []
        self.row_: dict[str, int] = {}
        self.types_: list[str] = []
        self.labels_: list[list[str]] = []
        self.published_: list[float] = []
        self.live_ = np.zeros(0, dtype=bool)
        self.variant_ = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self.ids_)

    def add(self, items: list[ContentItem]) -> list[int]:
        """Add or update items; returns the rows of the ones that were new."""
        new_rows = []
        live = list(self.live_)
        for item in items:
            row = self.row_.get(item.id)
            published = item.published_at.timestamp() if item.published_at else 0.0
            if row is None:
                row = len(self.ids_)
                self.row_[item.id] = row
                self.ids_.append(item.id)
                self.types_.append(item.type)
                self.labels_.append(item_labels(item))
                self.published_.append(published)
                live.append(item.is_live)
                new_rows.append(row)
            else:
                self.types_[row] = item.type
                self.labels_[row] = item_labels(item)
                live[row] = item.is_live
        self.live_ = np.array(live, dtype=bool)
        # Kept as an array so serving masks variants out without touching 10k strings per request.
        self.variant_ = np.array([t == "variant" for t in self.types_], dtype=bool)
        return new_rows

    def rows(self, ids) -> np.ndarray:
        """Rows of the known ids among `ids` (unknown ones dropped)."""
        get = self.row_.get
        return np.array([r for r in (get(i) for i in ids) if r is not None], dtype=np.int64)
