"""The hybrid recommender the sidecar serves: blended candidate sources, re-scored by the click classifier.

Sources: collaborative (EASE / item-kNN), content similarity (TF-IDF), session transitions (read next)
and a popularity/recency prior for cold start. All are precomputed neighbour lists, so a request costs a
few numpy gathers over the visitor's history items, whatever the catalog size.

The visitor's history enters as one weight per distinct item (log of the summed event weights, as in the
training matrix), decayed by how many distinct items came after it: training searches that decay, and 1.0
(order does not matter) competes with the rest, so recency counts only where it predicts what comes next.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain import ContentItem
from ..modelset.protocols import RecommendQuery
from .classifiers import positive_proba
from .collaborative import CollaborativeModel, interaction_matrix
from .content import ContentModel
from .items import ItemIndex
from .neighbors import gather_scores
from .transitions import TransitionModel
from .visitor import VisitorState, state_from_history

DEFAULT_BLEND = {"collaborative": 1.0, "content": 0.3, "transition": 0.3, "newest_transition": 0.3,
                 "popularity": 0.05,
                 "read_next_transition": 1.5, "read_next_current": 0.5, "history_decay": 0.97,
                 "rescore_weight": 0.0, "rescore_depth": 50}
# The single sources every blend is compared with (model selection and the promotion gate): a blend that
# loses to one of its own parts must never be the one served. Transitions from the page being read keep
# their weight whichever source is chosen (read-next slots need them); from the newest item they are a part.
_NONE = {"collaborative": 0.0, "content": 0.0, "popularity": 0.0, "newest_transition": 0.0}
SINGLE_SOURCES = {
    "collaborative alone": {**_NONE, "collaborative": 1.0},
    "content alone": {**_NONE, "content": 1.0},
    "popularity alone": {**_NONE, "popularity": 1.0},
    "transitions alone": {**_NONE, "newest_transition": 1.0},
}


def _normalised(v: np.ndarray) -> np.ndarray:
    top = float(v.max()) if len(v) else 0.0
    return v / top if top > 0 else v


def history_profile(pairs, decay: float) -> tuple[np.ndarray, np.ndarray]:
    """Oldest-first (item row, event weight) pairs -> distinct rows and their weights, newest first.

    Weight: log(1 + summed event weights), the training matrix's scale, times decay ** (number of distinct
    items seen since this one was last seen).
    """
    summed: dict[int, float] = {}
    for row, w in reversed(pairs):  # newest first: dict order is then the recency order
        summed[row] = summed.get(row, 0.0) + w
    if not summed:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    rows = np.fromiter(summed.keys(), dtype=np.int64, count=len(summed))
    w = np.log1p(np.fromiter(summed.values(), dtype=np.float32, count=len(summed)))
    return rows, (w * np.power(np.float32(decay), np.arange(len(rows), dtype=np.float32))).astype(np.float32)


class HybridRecommender:
    """Implements modelset.protocols.Recommender; fit follows scikit-learn conventions."""

    def __init__(self, event_weights: dict | None = None, l2: float = 200.0, n_neighbors: int = 400,
                 max_ease_items: int = 3000, blend: dict | None = None,
                 prior_half_life_days: float | None = 7.0):
        self.event_weights = event_weights
        self.l2 = l2
        self.n_neighbors = n_neighbors
        self.max_ease_items = max_ease_items
        self.blend = blend
        self.prior_half_life_days = prior_half_life_days

    # --- training --------------------------------------------------------------------------
    def fit(self, items: list[ContentItem], events: pd.DataFrame):
        """items: the catalog; events: columns visitor_id, session_id, ts, event_type, content_id."""
        self.weights_ = dict(self.event_weights or {"view": 1.0, "click": 3.0, "conversion": 8.0})
        self.blend_ = {**DEFAULT_BLEND, **(self.blend or {})}
        self.index_ = ItemIndex()
        self.index_.add(items)
        n = len(self.index_)
        rows = events["content_id"].map(self.index_.row_)
        known = rows.notna().to_numpy()
        ev = events[known].assign(item=rows[known].astype(np.int64).to_numpy())
        ev = ev[np.array([t != "variant" for t in self.index_.types_])[ev["item"].to_numpy()]]
        w = ev["event_type"].map(self.weights_).fillna(0.0).to_numpy(dtype=np.float32)
        pos = w > 0
        x = interaction_matrix(ev["visitor_id"].to_numpy()[pos], ev["item"].to_numpy()[pos], w[pos], n)
        self.collaborative_ = CollaborativeModel(self.l2, self.n_neighbors, self.max_ease_items).fit(x)
        self.interactions_ = x  # for refit_l2 during the search; dropped before pickling
        self.content_ = ContentModel(n_neighbors=min(50, self.n_neighbors)).fit(items)
        views = ev[ev["event_type"] == "view"][["session_id", "ts", "item"]].dropna(subset=["session_id"])
        self.transitions_ = TransitionModel().fit(views, n)
        self.prior_events_ = (ev["item"].to_numpy()[pos], ev["ts"].to_numpy(dtype=float)[pos], w[pos])
        self.refit_prior(self.prior_half_life_days)
        self.click_features_ = None  # set by training once the click classifier exists
        self.click_model_ = None
        return self

    def refit_l2(self, l2: float):
        """Another EASE ridge without refitting content, transitions or kNN (the l2 search)."""
        self.l2 = l2
        self.collaborative_.refit_ease(self.interactions_, l2)
        return self

    def hyperparameters(self) -> dict:
        """The constructor arguments, to refit the same model on more data."""
        return {"event_weights": self.event_weights, "l2": self.l2, "n_neighbors": self.n_neighbors,
                "max_ease_items": self.max_ease_items, "blend": self.blend,
                "prior_half_life_days": self.prior_half_life_days}

    def drop_training_state(self) -> None:
        """Forget the interaction matrix and search leftovers before the model is saved."""
        self.interactions_ = None
        self.prior_events_ = None
        self.collaborative_.drop_training_state()

    def refit_prior(self, half_life_days: float | None):
        """Popularity decayed by age on a 0..1 scale; None: no decay (all-time popularity)."""
        self.prior_half_life_days = half_life_days
        items, ts, w = self.prior_events_
        end = float(ts.max()) if len(ts) else 0.0
        if half_life_days:
            w = w * np.power(0.5, (end - ts) / 86400.0 / half_life_days)
        prior = np.bincount(items, weights=w, minlength=len(self.index_)).astype(np.float32)
        self.prior_ = _normalised(np.log1p(prior))
        self.trained_until_ = end
        return self

    def set_click_model(self, click_features, click_model) -> None:
        """Attach the calibrated click classifier used to re-score the top candidates."""
        self.click_features_ = click_features
        self.click_model_ = click_model

    # --- serving ---------------------------------------------------------------------------
    def state_from_history(self, history) -> VisitorState:
        """Replay a newest-first history into a visitor state."""
        return state_from_history(history, self.index_, self.weights_)

    def history_weights(self, state: VisitorState) -> tuple[np.ndarray, np.ndarray]:
        """The state's recent items as a history profile (the click features' affinities)."""
        return history_profile(list(state.recent), self.blend_["history_decay"])

    def query_profile(self, history) -> tuple[np.ndarray, np.ndarray]:
        """A newest-first event history (as long as the caller keeps) as a history profile."""
        row_of, weights = self.index_.row_, self.weights_
        pairs = []
        for e in reversed(history):
            row, w = row_of.get(e.content_id) if e.content_id else None, weights.get(e.type, 0.0)
            if row is not None and w > 0:
                pairs.append((row, w))
        return history_profile(pairs, self.blend_["history_decay"])

    def blend_scores(self, profile: tuple[np.ndarray, np.ndarray], current: int | None, kind: str,
                     on_page: bool = True) -> np.ndarray:
        """The blended score of every item for this visitor (history profile) and page."""
        b, n = self.blend_, len(self.index_)
        rows, weights = profile
        cf = gather_scores(n, self.collaborative_.idx_, self.collaborative_.sims_, rows, weights)
        cb = gather_scores(n, self.content_.idx_, self.content_.sims_, rows, weights)
        cb_n = _normalised(cb)
        # Items nobody interacted with in training (new posts) have no collaborative signal: their
        # content similarity stands in for it, so cold-start content competes from its first minute.
        cold = ~self.collaborative_.interacted_[:n]
        score = b["collaborative"] * np.where(cold, cb_n, _normalised(cf)) + b["content"] * cb_n
        if len(self.prior_) == n:
            # No history: popularity is the only signal (cold start), whatever weight the blend gives it,
            # so the blend's weights are chosen for returning visitors, where they make a difference.
            score = score + (b["popularity"] if len(rows) else max(b["popularity"], 1.0)) * self.prior_
        if current is not None:
            one = np.array([current]), np.ones(1, dtype=np.float32)
            tr = gather_scores(n, self.transitions_.idx_, self.transitions_.sims_, *one)
            boost = b["read_next_transition"] if kind == "read_next" else 1.0
            weight = b["transition"] if on_page else b.get("newest_transition", b["transition"])
            score += weight * boost * _normalised(tr)
            if kind == "read_next":
                score += b["read_next_current"] * _normalised(
                    gather_scores(n, self.content_.idx_, self.content_.sims_, *one))
        return score

    def _allowed(self, query: RecommendQuery, current: int | None) -> np.ndarray:
        """Live items allowed by candidates and exclude; variants only when asked for by candidate list."""
        idx = self.index_
        if query.candidates is not None:
            allowed = self._candidate_mask(query.candidates).copy()
        else:
            variant = getattr(idx, "variant_", None)  # sets pickled before it existed compute it here
            if variant is None or len(variant) != len(idx):
                variant = np.array([t == "variant" for t in idx.types_], dtype=bool)
            allowed = idx.live_ & ~variant
        allowed[idx.rows(query.exclude)] = False
        if current is not None and query.candidates is None:
            allowed[current] = False
        return allowed

    def _candidate_mask(self, candidates: frozenset) -> np.ndarray:
        """Rows of a candidate set; slots repeat the same large sets (a filtered catalog), so a few are
        cached: mapping 10k ids costs ~2.5 ms, a cache hit a set comparison."""
        cache = self.__dict__.setdefault("_mask_cache", {})
        if not isinstance(candidates, frozenset):  # a plain set cannot be a key
            candidates = frozenset(candidates)
        mask = cache.get(candidates)
        if mask is None or len(mask) != len(self.index_):
            mask = np.zeros(len(self.index_), dtype=bool)
            mask[self.index_.rows(candidates)] = True
            if len(candidates) > 64:  # short lists (banner variants) are cheap to map every time
                if len(cache) >= 8:
                    cache.clear()
                cache[candidates] = mask
        return mask

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_mask_cache", None)  # a per-process cache, never saved
        return state

    def recommend(self, query: RecommendQuery) -> list[tuple[str, float]]:
        """Up to k (content id, score), best first, honouring candidates and exclude."""
        if query.k <= 0:
            return []
        profile = self.query_profile(query.history)
        current = self.index_.row_.get(query.current_content_id) if query.current_content_id else None
        on_page = current is not None
        if not on_page and len(profile[0]):
            # No page (a batch export, the ranking cases): what follows the newest item read is a recency
            # signal of its own, weighted by the search ("newest_transition"), 0 in every single source.
            current = int(profile[0][0])
        score = self.blend_scores(profile, current, query.kind, on_page)
        score = np.where(self._allowed(query, self.index_.row_.get(query.current_content_id)), score, -np.inf)
        depth = max(query.k, int(self.blend_["rescore_depth"]))
        top = np.argpartition(-score, min(depth, len(score) - 1))[:depth] if len(score) > depth else \
            np.arange(len(score))
        top = top[np.isfinite(score[top])]
        final = score[top]
        if self.click_model_ is not None and self.blend_["rescore_weight"] > 0 and len(top):
            final = self._rescore(self.state_from_history(query.history), query, top, final)
        order = np.lexsort((top, -final))[: query.k]
        ids = self.index_.ids_
        return [(ids[top[i]], float(final[i])) for i in order]

    def _rescore(self, state, query: RecommendQuery, top: np.ndarray, blend: np.ndarray) -> np.ndarray:
        """Mix the blend with P(click) from the calibrated classifier on the top candidates."""
        ctx = query.context
        ts = (ctx.now.timestamp() if ctx.now else self.trained_until_)
        x = self.click_features_.rows(state, top, ts, ctx.device, ctx.referrer)
        p = positive_proba(self.click_model_, x)
        w = float(self.blend_["rescore_weight"])
        return (1 - w) * _normalised(np.maximum(blend, 0)) + w * _normalised(p)

    def observe_catalog(self, items: list[ContentItem]) -> None:
        """New items get vectors, neighbours and a fresh-content prior at once; status changes apply."""
        known = [i for i in items if i.id in self.index_.row_]
        fresh = [i for i in items if i.id not in self.index_.row_]
        if known:
            self.index_.add(known)
        if not fresh:
            return
        self.content_.add_items(fresh)
        n_after = len(self.index_) + len(fresh)
        self.collaborative_.grow(n_after)
        self.transitions_.grow(n_after)
        new_prior = float(np.quantile(self.prior_, 0.75)) if len(self.prior_) else 0.0
        self.prior_ = np.concatenate([self.prior_, np.full(len(fresh), new_prior, dtype=np.float32)])
        # The index grows last: until then readers see only rows every array already has.
        self.index_.add(fresh)
