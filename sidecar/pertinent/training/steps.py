"""The training steps: recommender with its search, click/conversion/churn classifiers with baselines."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..recsys.baseline import PopularityRecommender
from ..recsys.classifiers import positive_proba
from ..recsys.features import ClickFeatures
from ..recsys.hybrid import SINGLE_SOURCES, HybridRecommender
from .classify import fit_classifier, logistic_baseline
from .metrics import calibration, classification_metrics, sliced
from .ranking import evaluate_ranking, ranking_cases
from .replay import label_churn, label_responses, replay
from .ridge import holdout_ridge
from .search import (
    HALF_LIVES,
    L2_GRID,
    apply,
    fold_score,
    restore,
    select,
    split_visitors,
    successive_halving,
)

CLICK_WINDOW_S = 1800.0
CONVERSION_WINDOW_S = 7200.0
# Below this many returning visitors (with a history) in the validation windows the blend is not searched.
MIN_RETURNING = 100
# Impressions featurised per window; more adds little to AUC and costs time linearly.
MAX_EXAMPLES = 40_000


def fit_recommender(items, events, cuts, valid_cases, k, weights, seed, progress, timer,
                    history: int = 500) -> tuple[HybridRecommender, dict]:
    """Pick the EASE ridge, then the blend by successive halving, then the blend or a single source, all on
    two rolling time-series folds."""
    t_fold, t_valid, t_test = cuts
    types = {i.id: i.type for i in items}
    folds = []
    with timer("recommender fit (content, kNN, transitions, prior)"):
        model = HybridRecommender(event_weights=weights, l2=L2_GRID[0])
        model.fit(items, events[events["ts"] < t_valid])
    early_cases = ranking_cases(events, t_fold, t_valid, types, max_cases=len(valid_cases), seed=seed,
                                history=history)
    if len(early_cases) >= 10:
        with timer("recommender fit for the earlier fold"):
            early = HybridRecommender(event_weights=weights, l2=L2_GRID[0])
            early.fit(items, events[events["ts"] < t_fold])
        folds.append((early, early_cases))
    folds.append((model, valid_cases))
    returning = sum(bool(c.history) for _, cases in folds for c in cases)
    if returning < MIN_RETURNING:
        return _unsearched(model, folds, returning, k, len(items), progress)
    best = None
    for l2 in L2_GRID:
        with timer(f"EASE l2={l2:g}"):
            for fold_model, _ in folds:
                if l2 != fold_model.l2:
                    fold_model.refit_l2(l2)
            score = fold_score(folds, SINGLE_SOURCES["collaborative alone"], k, len(items))
        progress(f"  l2={l2:g}: mean validation NDCG@{k} of collaborative alone over {len(folds)} "
                 f"fold(s) {score:.4f}")
        if best is None or score > best[0]:
            best = (score, l2)
    l2 = best[1]
    for fold_model, _ in folds:
        if l2 != fold_model.l2:
            fold_model.refit_l2(l2)
    # The search and the selection see different visitors: the best of ~25 candidates on the visitors it
    # was picked on looks better than it is (winner's curse), so it meets the single sources on fresh ones.
    searched, held = split_visitors(folds, seed)
    with timer("blend search (successive halving)"):
        blend, trials = successive_halving(searched, k, len(items), seed=seed, progress=progress)
    with timer("selection: searched blend vs single sources"):
        source, chosen, compared = select(held, blend, k, len(items), progress=progress)
    apply(model, chosen)
    model.drop_training_state()
    return model, {"l2": l2, "blend": model.blend_, "prior_half_life_days": model.prior_half_life_days,
                   "source": source, "validation_ndcg": compared, "search_trials": len(trials),
                   "folds": len(folds)}


def _unsearched(model: HybridRecommender, folds, returning: int, k: int, catalog_size: int,
                progress) -> tuple[HybridRecommender, dict]:
    """Too few returning visitors to tell blends apart: EASE on the whole history, popularity for cold start.

    Every blend scores the same on a cold start, so the search would be decided by a handful of visitors
    (on MovieLens ~10 per half-window: it then chose popularity alone, 0.059 NDCG@10 against EASE's 0.10).
    """
    collab = model.collaborative_
    l2, by_l2 = holdout_ridge(model.interactions_, collab.head_, L2_GRID) if len(collab.head_) > 1 else \
        (model.l2, {})
    progress(f"  selection: only {returning} returning visitors in the validation windows "
             f"(< {MIN_RETURNING}): no blend search; serving collaborative alone, history order ignored, "
             f"EASE l2={l2:g} from a within-visitor holdout "
             f"({', '.join(f'{v:g}: {s:.4f}' for v, s in by_l2.items()) or 'too few items'})")
    model.refit_l2(l2)
    served = {**SINGLE_SOURCES["collaborative alone"], "history_decay": 1.0}
    # The validation windows are mostly first visits, served by the popularity prior: plenty of cases to
    # choose how fast it forgets, which is what the gate's popularity baseline is measured against.
    by_half_life = {h: fold_score(folds, {**served, "prior_half_life_days": h}, k, catalog_size)
                    for h in HALF_LIVES}
    half_life = max(HALF_LIVES, key=lambda h: by_half_life[h])
    tried = ", ".join(f"{h or 'none'}: {v:.4f}" for h, v in by_half_life.items())
    progress(f"  cold start: popularity prior half-life {half_life or 'none'} days from the validation "
             f"windows ({tried})")
    apply(model, {**served, "prior_half_life_days": half_life})
    model.drop_training_state()
    return model, {"l2": l2, "blend": model.blend_, "l2_holdout_ndcg": by_l2,
                   "prior_half_life_days": model.prior_half_life_days, "source": "collaborative alone",
                   "validation_ndcg": {}, "search_trials": 0, "returning_visitors": returning, "folds": 0}


def single_source_rankings(model: HybridRecommender, cases, k: int, n_content: int) -> dict:
    """Each single source of the fitted model on the same cases: {"ranking_<source>": metrics}."""
    out = {}
    for name, blend in SINGLE_SOURCES.items():
        saved = apply(model, {**blend, "history_decay": model.blend_["history_decay"]})
        try:
            out["ranking_" + name.replace(" ", "_")] = evaluate_ranking(model, cases, k, n_content)
        finally:
            restore(model, saved)
    return out


def popularity_baseline(train: pd.DataFrame, types: dict, weights: dict) -> PopularityRecommender:
    """The baseline every ranking must beat: recency-decayed weighted popularity of posts."""
    posts = train[train["content_id"].map(lambda c: types.get(c) not in (None, "variant"))]
    return PopularityRecommender(weights=weights).fit(posts)


def click_features(model: HybridRecommender, train: pd.DataFrame) -> ClickFeatures:
    """Item popularity and smoothed click-through rate from the training window only."""
    n = len(model.index_)
    rows = train["content_id"].map(model.index_.row_)
    known = rows.notna().to_numpy()
    r = rows[known].astype(np.int64).to_numpy()
    w = train["event_type"][known].map(model.weights_).fillna(0.0).to_numpy()
    pop = np.log1p(np.bincount(r, weights=w, minlength=n)).astype(np.float32)
    imp = train[train["event_type"] == "impression"]
    clicked = label_responses(imp[["visitor_id", "session_id", "content_id", "ts"]].reset_index(drop=True),
                              train, "click", CLICK_WINDOW_S)
    imp_rows = imp["content_id"].map(model.index_.row_)
    ok = imp_rows.notna().to_numpy()
    n_imp = np.bincount(imp_rows[ok].astype(np.int64), minlength=n)
    n_click = np.bincount(imp_rows[ok].astype(np.int64), weights=clicked[ok], minlength=n)
    prior = float(clicked.mean()) if len(clicked) else 0.0
    ctr = ((n_click + 20 * prior) / (n_imp + 20)).astype(np.float32)
    return ClickFeatures(model, pop, ctr, prior)


def _evaluate_classifier(model, x_train, y_train, x_test, y_test, meta, seed) -> tuple[dict, dict, dict]:
    """Test metrics of the model and its baselines, slices, and curve data for the report."""
    p = positive_proba(model, x_test) if len(x_test) else np.zeros(0)
    lr = logistic_baseline(x_train, y_train, seed)
    base_rate = float(y_train.mean()) if len(y_train) else 0.0  # no examples: no warning on stderr
    p_lr = positive_proba(lr, x_test) if lr is not None and len(x_test) else np.full(len(y_test), base_rate)
    p_const = np.full(len(y_test), base_rate)
    metrics = classification_metrics(y_test, p)
    metrics["slices"] = {key: sliced(meta[key].astype(str).to_numpy(), y_test, p) for key in
                         ("device", "country", "is_new")} if len(meta) else {}
    if "is_new" in metrics["slices"]:
        metrics["slices"]["visitor"] = {("new" if k == "True" else "returning"): v
                                        for k, v in metrics["slices"].pop("is_new").items()}
    baselines = {"logistic": classification_metrics(y_test, p_lr),
                 "constant": classification_metrics(y_test, p_const)}
    curves = {"y": y_test, "model": p, "logistic": p_lr, "constant": p_const,
              "calibration": calibration(y_test, p)}
    return metrics, baselines, curves


def fit_classifiers(events, model, features, windows, seed, progress, timer) -> dict:
    """Click, conversion and churn classifiers: trained on the validation window, tested on the test one."""
    (t_valid, t_test, t_end) = windows
    with timer("features (replaying events in time order)"):
        examples, churn = replay(events, features, {"valid": (t_valid, t_test), "test": (t_test, t_end + 1)},
                                 churn_cutoffs=[t_valid, t_test], max_examples=MAX_EXAMPLES, seed=seed)
    out = {}
    xv, mv = examples["valid"].frame()
    xt, mt = examples["test"].frame()
    progress(f"  {len(xv)} validation and {len(xt)} test impressions")
    for name, kind, within, only_variants in (("click", "click", CLICK_WINDOW_S, False),
                                              ("conversion", "conversion", CONVERSION_WINDOW_S, True)):
        sv = (mv["item_type"] == "variant").to_numpy() if only_variants else np.ones(len(mv), bool)
        st = (mt["item_type"] == "variant").to_numpy() if only_variants else np.ones(len(mt), bool)
        yv = label_responses(mv[sv].reset_index(drop=True), events, kind, within)
        yt = label_responses(mt[st].reset_index(drop=True), events, kind, within)
        with timer(f"{name} classifier (search + calibration)"):
            clf, info = fit_classifier(xv[sv], yv, seed=seed)
        metrics, baselines, curves = _evaluate_classifier(clf, xv[sv], yv, xt[st], yt,
                                                          mt[st].reset_index(drop=True), seed)
        metrics["weighting"] = info.pop("weighting", {})  # fold measurements, beside the test window's
        out[name] = {"model": clf, "info": info, "metrics": metrics, "baselines": baselines, "curves": curves}
    ids_v, xc_v = churn[t_valid]
    ids_t, xc_t = churn[t_test]
    yc_v = label_churn(ids_v, events, t_valid, t_test - t_valid)
    yc_t = label_churn(ids_t, events, t_test, t_end - t_test)
    # One snapshot has no time order inside (rows are in first-seen order, which skews the "later" part
    # used for calibration towards new visitors): shuffle it, seeded.
    order = np.random.default_rng(seed).permutation(len(yc_v))
    xc_v, yc_v = xc_v[order], yc_v[order]
    with timer("churn classifier (search + calibration)"):
        clf, info = fit_classifier(xc_v, yc_v, seed=seed)
    metrics, baselines, curves = _evaluate_classifier(clf, xc_v, yc_v, xc_t, yc_t, pd.DataFrame(), seed)
    metrics["weighting"] = info.pop("weighting", {})
    out["churn"] = {"model": clf, "info": {**info, "horizon_days": (t_test - t_valid) / 86400.0},
                    "metrics": metrics, "baselines": baselines, "curves": curves}
    return out
