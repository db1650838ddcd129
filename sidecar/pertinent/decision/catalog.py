"""The live catalog as an in-memory snapshot: items, indexes by type/tag/category, latest order, rules.

Rebuilt only when the store's catalog revision changes (checked at most once a second) or when a
scheduled item starts or ends, so a decide never scans or queries the whole catalog.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..domain import ContentItem
from .fallback import PopularContent
from .rules import RuleBook, compile_targeting

log = logging.getLogger(__name__)

VARIANT_TYPE = "variant"
SMALL_SET = 256  # below this, sorting a set beats walking the catalog's latest order
FILTER_MEMO_MAX = 512
# From this many live items on, rebuilding the snapshot (reading the whole catalog) leaves the
# request path and runs on a thread; smaller catalogs rebuild inline, so a write is visible at once.
BACKGROUND_MIN_ITEMS = 2000


def _epoch(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


def _values(value) -> list[str]:
    values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    return [str(v).strip().lower() for v in values if v is not None and str(v).strip()]


def _index(items: list[ContentItem], attr: str) -> dict[str, frozenset]:
    index: dict[str, set] = {}
    for item in items:
        for value in _values(getattr(item, attr)):
            index.setdefault(value, set()).add(item.id)
    return {key: frozenset(ids) for key, ids in index.items()}


@dataclass(eq=False)
class CatalogSnapshot:
    """An immutable view of the items that may be shown right now (published, inside their schedule)."""

    revision: int | None
    items: dict[str, ContentItem]
    latest: tuple[str, ...]
    rank: dict[str, int]
    by_type: dict[str, frozenset]
    by_tag: dict[str, frozenset]
    by_category: dict[str, frozenset]
    variant_ids: frozenset
    content_ids: frozenset
    all_ids: frozenset
    rules: RuleBook
    next_change: float | None = None  # epoch seconds when a scheduled item starts or ends
    _memo: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Names this snapshot's content for cache keys: the catalog revision and, because scheduled items
        start and end without a write, the next schedule boundary (the same in every worker)."""
        return f"{self.revision}.{int(self.next_change or 0)}"

    def filtered(self, filters: dict | None, kind_default: str) -> frozenset:
        """Live ids matching {"type","tags","categories"} (any of each, all keys); memoised per snapshot.

        Without a type filter, kind_default picks the base set: "variants", "content" (not variants) or "all".
        """
        filters = filters or {}
        types = tuple(sorted(_values(filters.get("type", filters.get("types", ())))))
        tags = tuple(sorted(_values(filters.get("tags", ()))))
        cats = tuple(sorted(_values(filters.get("categories", ()))))
        memo_key = (kind_default, types, tags, cats)
        hit = self._memo.get(memo_key)
        if hit is not None:
            return hit
        if types:
            ids = frozenset().union(*(self.by_type.get(t, frozenset()) for t in types))
        elif kind_default == "variants":
            ids = self.variant_ids
        elif kind_default == "content":
            ids = self.content_ids
        else:
            ids = self.all_ids
        if tags:
            ids = ids & frozenset().union(*(self.by_tag.get(t, frozenset()) for t in tags))
        if cats:
            ids = ids & frozenset().union(*(self.by_category.get(c, frozenset()) for c in cats))
        if len(self._memo) >= FILTER_MEMO_MAX:
            self._memo.clear()
        self._memo[memo_key] = ids
        return ids

    def latest_of(self, eligible, exclude, n: int) -> list[str]:
        """Up to n eligible ids not in exclude, newest first."""
        if n <= 0:
            return []
        if len(eligible) <= SMALL_SET:
            ordered = sorted((i for i in eligible if i in self.rank), key=self.rank.__getitem__)
            return [i for i in ordered if i not in exclude][:n]
        out = []
        for cid in self.latest:
            if cid in eligible and cid not in exclude:
                out.append(cid)
                if len(out) >= n:
                    break
        return out


def _is_live(item: ContentItem, now: float) -> bool:
    starts, ends = _epoch(item.starts_at), _epoch(item.ends_at)
    return item.status == "publish" and (starts is None or starts <= now) and (ends is None or now < ends)


def build_snapshot(published: list[ContentItem], revision: int | None, now: float) -> CatalogSnapshot:
    """Index the live subset of the published items."""
    live = [item for item in published if _is_live(item, now)]
    boundaries = [t for item in published for t in (_epoch(item.starts_at), _epoch(item.ends_at))
                  if t is not None and t > now]
    live.sort(key=lambda it: (-(_epoch(it.published_at or it.modified_at) or 0.0), it.id))
    latest = tuple(item.id for item in live)
    by_type = _index(live, "type")
    variant_ids = by_type.get(VARIANT_TYPE, frozenset())
    return CatalogSnapshot(
        revision=revision, items={item.id: item for item in live}, latest=latest,
        rank={cid: i for i, cid in enumerate(latest)}, by_type=by_type, by_tag=_index(live, "tags"),
        by_category=_index(live, "categories"), variant_ids=variant_ids,
        content_ids=frozenset(latest) - variant_ids, all_ids=frozenset(latest),
        rules=RuleBook([(it.id, compile_targeting(it.id, it.targeting)) for it in live if it.targeting]),
        next_change=min(boundaries) if boundaries else None)


EMPTY = build_snapshot([], None, 0.0)


class CatalogView:
    """Keeps this process's catalog snapshot fresh and tells the live recommender about new items."""

    def __init__(self, store, models=None, check_interval: float = 1.0, clock=time.monotonic, wall=time.time):
        self.store = store
        self.models = models
        self.check_interval = check_interval
        self._clock, self._wall = clock, wall
        self._lock = threading.Lock()
        self._snapshot = EMPTY
        self._published: list[ContentItem] = []
        self._next_check = 0.0
        self._observed_set = None
        self.refreshes = 0
        # The cold-start ranking lives next to the catalog: both are per-process views of the store.
        self.popular = PopularContent(store)

    def snapshot(self) -> CatalogSnapshot:
        """The current snapshot, refreshed first when due; never raises (a store error keeps the old one)."""
        if self._clock() >= self._next_check:
            first = self._snapshot is EMPTY
            # The first build blocks (nothing to serve yet); later ones let others use the old snapshot.
            if self._lock.acquire(blocking=first):
                handed_off = False
                try:
                    handed_off = self._check(first)
                finally:
                    if not handed_off:
                        self._lock.release()
        self._observe_model_swap()
        return self._snapshot

    def _check(self, first: bool) -> bool:
        """Rebuild when stale (lock held); True when a thread took over the rebuild and the lock."""
        if self._clock() < self._next_check:
            return False
        self._next_check = self._clock() + self.check_interval
        plan = self._plan()
        if plan is None:
            return False
        if not first and len(self._snapshot.items) >= BACKGROUND_MIN_ITEMS:
            # A big catalog takes a noticeable time to read and index: do it off the request path.
            threading.Thread(target=self._rebuild_and_release, args=plan, daemon=True).start()
            return True
        self._rebuild(*plan)
        return False

    def refresh(self) -> CatalogSnapshot:
        """Force a check and rebuild now, on this thread (start-up warm-up, tests)."""
        with self._lock:
            self._next_check = self._clock() + self.check_interval
            plan = self._plan()
            if plan is not None:
                self._rebuild(*plan)
        self._observe_model_swap()
        return self._snapshot

    def warm(self, weights: dict | None = None) -> CatalogSnapshot:
        """Build the snapshot and fetch the popular ranking now, so no visitor's request pays for them
        (call before gunicorn forks: workers then share the snapshot's memory)."""
        snapshot = self.refresh()
        self.popular.ranking(weights)
        return snapshot

    def _plan(self):
        """(revision, must re-read the store) when the snapshot is stale, else None. One cheap query."""
        old = self._snapshot
        try:
            revision = self.store.catalog_revision()
        except Exception:
            log.exception("catalog revision unavailable; serving the previous snapshot")
            return None
        if revision != old.revision or old is EMPTY:
            return revision, True
        if old.next_change is not None and self._wall() >= old.next_change:
            return revision, False  # a scheduled item started or ended: re-index what we have
        return None

    def _rebuild_and_release(self, revision, fetch: bool) -> None:
        try:
            self._rebuild(revision, fetch)
        finally:
            self._lock.release()

    def _rebuild(self, revision, fetch: bool) -> None:
        old = self._snapshot
        try:
            if fetch:
                self._published = self.store.list_content(("publish",))
            new = build_snapshot(self._published, revision, self._wall())
        except Exception:
            log.exception("catalog refresh failed; serving the previous snapshot")
            return
        changed = [item for cid, item in new.items.items() if old.items.get(cid) != item]
        self._snapshot = new
        self.refreshes += 1
        model_set = self.models.current() if self.models is not None else None
        if changed and model_set is not None and model_set is self._observed_set:
            self._tell(model_set, changed)

    def _observe_model_swap(self) -> None:
        """A newly loaded model set learns about the whole live catalog once."""
        model_set = self.models.current() if self.models is not None else None
        if model_set is not self._observed_set:
            self._observed_set = model_set
            if model_set is not None and self._snapshot.items:
                self._tell(model_set, list(self._snapshot.items.values()))

    @staticmethod
    def _tell(model_set, items: list[ContentItem]) -> None:
        """Every artifact that can learn new items hears of them: the recommender for new posts, the
        variant scorer for variants created after training (each artifact holds its own item index)."""
        for role in ("recommender", "variant_scorer"):
            artifact = getattr(model_set, role, None)
            observe = getattr(artifact, "observe_catalog", None)
            if observe is None:
                continue
            try:
                observe(items)
            except Exception:
                log.exception("model set %s: %s.observe_catalog failed", model_set.version, role)
