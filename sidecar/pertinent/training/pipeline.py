"""`pertinent train`: inputs -> temporal split -> models with search -> evaluation -> gate -> model set.

Split 70/15/15 by time: recommenders fit on the first 70% and are tuned on the next 15%; the classifiers
learn from impressions in that validation window (features from the past only); everything is measured
on the last 15%, the same window for the new set, the baselines and the live set.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..config import load_config
from ..demo.provenance import read_provenance
from ..modelset.writer import promote, write_model_set
from ..recsys.classifiers import ChurnModel, VariantScorer
from ..recsys.features import FEATURE_NAMES
from ..recsys.hybrid import HybridRecommender
from ..recsys.visitor import VISITOR_FEATURES
from . import gate
from .io import InputReport, read_content, read_events, usable_events
from .liveset import evaluate_live
from .ranking import evaluate_ranking, ranking_cases
from .readnext import evaluate_read_next, next_view_pairs
from .shape import untrainable
from .steps import (
    MIN_RETURNING,
    click_features,
    fit_classifiers,
    fit_recommender,
    popularity_baseline,
    single_source_rankings,
)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


class TrainingDataError(Exception):
    """Not enough usable data to train and validate honestly."""


@dataclass
class TrainResult:
    version: str | None
    path: Path | None
    promoted: bool
    gate: dict
    metrics: dict
    baseline_metrics: dict
    rows: dict
    inputs: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"version": self.version, "path": str(self.path) if self.path else None,
                "promoted": self.promoted, "gate": self.gate, "rows": self.rows, "inputs": self.inputs,
                "metrics": self.metrics, "baseline_metrics": self.baseline_metrics, "timings": self.timings}


def _timer(progress, timings: dict):
    @contextlib.contextmanager
    def timer(step: str):
        progress(f"{step} ...")
        t0 = time.perf_counter()
        yield
        timings[step] = round(time.perf_counter() - t0, 3)
        progress(f"{step}: {timings[step]:.1f}s")
    return timer


def train_from_files(events_path, content_path, models_dir, *, force: bool = False, progress=print,
                     content_items=None, **options) -> TrainResult:
    """Read events and content files (CSV or Parquet) and train; content_items replaces the content file."""
    report = InputReport()
    t0 = time.perf_counter()
    items = content_items if content_items is not None else read_content(content_path, report)
    report.content_read = report.content_read or len(items)
    events = read_events(events_path, {i.id for i in items}, report)
    progress(f"loaded {report.events_used} events ({report.events_read} read), {len(items)} content items "
             f"in {time.perf_counter() - t0:.1f}s; skipped: {report.skipped or 'none'}")
    provenance = read_provenance(events_path)
    if provenance:
        synthetic = " (synthetic: says nothing about real visitors)" if provenance.get("synthetic") else ""
        progress(f"data provenance: {provenance.get('source')}{synthetic}")
    return train(events, items, models_dir, force=force, progress=progress,
                 inputs={**report.__dict__, "provenance": provenance}, **options)


def events_frame(store) -> pd.DataFrame:
    """All stored events, as read (usable_events then drops, counts and sorts them like a file's rows)."""
    rows = [(e.visitor_id, e.timestamp.timestamp(), e.type, e.content_id or "", e.value, e.session_id or "",
             e.device or "", e.referrer or "", e.country or "")
            for batch in store.iter_events() for e in batch]
    df = pd.DataFrame(rows, columns=["visitor_id", "ts", "event_type", "content_id", "value", "session_id",
                                     "device", "referrer", "country"])
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df


def train_from_store(store, models_dir, *, force: bool = False, progress=print, **options) -> TrainResult:
    """Train on the sidecar's own store (events + catalog)."""
    t0 = time.perf_counter()
    items = store.list_content()
    report = InputReport(content_read=len(items))
    events = usable_events(events_frame(store), {i.id for i in items}, report)
    progress(f"loaded {report.events_read} events, {len(items)} content items from the store in "
             f"{time.perf_counter() - t0:.1f}s")
    return train(events, items, models_dir, force=force, progress=progress, inputs=report.__dict__, **options)


def train(events: pd.DataFrame, items, models_dir, **options) -> TrainResult:
    """Train, evaluate, gate; write the model set and promote it when the gate passes (or force)."""
    # One thread for OpenMP/BLAS: on a shared 2-core machine their spin-waiting threads made the
    # classifier search 10x slower than single-threaded (measured: 58 s vs 4.9 s for the same fits).
    with threadpool_limits(limits=1):
        return _train(events, items, models_dir, **options)


def _train(events: pd.DataFrame, items, models_dir, *, force: bool = False, progress=print,
          event_weights: dict | None = None, seed: int = 7, k: int = 10, margin: float = 0.05,
          live_margin: float = 0.0, max_cases: int = 3000, write: bool = True, inputs: dict | None = None,
          promote_on_pass: bool = True, refit_all: bool = True) -> TrainResult:
    """Train, evaluate, gate; write the model set and promote it when the gate passes (or force).

    promote_on_pass=False writes a passing set without promoting it: `pertinent worker` sends it out
    as a canary first.
    """
    timings: dict = {}
    timer = _timer(progress, timings)
    weights = dict(event_weights or load_config().event_weights)
    if len(events) < 100 or not items:
        raise TrainingDataError(f"need at least 100 events and some content (have {len(events)} events, "
                                f"{len(items)} items)")
    problem = untrainable(events, items)
    if problem:
        raise TrainingDataError(problem)
    types = {i.id: i.type for i in items}
    ts = events["ts"].to_numpy()
    t_valid, t_test = (float(v) for v in np.quantile(ts, [0.70, 0.85]))
    t_start, t_end = float(ts.min()), float(ts.max())
    train_ev = events[events["ts"] < t_valid]
    n_valid = int(((ts >= t_valid) & (ts < t_test)).sum())
    progress(f"split by time: train {len(train_ev)}, validation {n_valid}, "
             f"test {int((ts >= t_test).sum())} events")
    with timer("ranking cases"):
        # The search evaluates each blend on these: a thousand visitors rank blends as well as all of them.
        history = load_config().history_limit  # the cases see as much history as decide reads
        valid_cases = ranking_cases(events, t_valid, t_test, types, max_cases=min(max_cases, 1000), seed=seed,
                                    history=history)
        test_cases = ranking_cases(events, t_test, t_end + 1, types, max_cases=max_cases, seed=seed,
                                   history=history)
    if len(valid_cases) < 10 or len(test_cases) < 10:
        raise TrainingDataError(f"too few visitors read in the validation/test windows ({len(valid_cases)}/"
                                f"{len(test_cases)}); need at least 10 each")
    t_fold = float(np.quantile(ts, 0.55))
    model, rec_params = fit_recommender(items, events, (t_fold, t_valid, t_test), valid_cases, k, weights,
                                        seed, progress, timer, history=history)
    popular = popularity_baseline(train_ev, types, weights)
    features = click_features(model, train_ev)
    classifiers = fit_classifiers(events, model, features, (t_valid, t_test, t_end), seed, progress, timer)
    model.set_click_model(features, classifiers["click"]["model"])
    with timer("evaluation on the test window"):
        n_content = sum(t != "variant" for t in types.values())
        ranking = evaluate_ranking(model, test_cases, k, n_content)
        ranking_pop = evaluate_ranking(popular, test_cases, k, n_content)
        sources = single_source_rankings(model, test_cases, k, n_content)
        live = evaluate_live(models_dir, test_cases, k, len(types), progress, test_start=t_test)
        pairs = next_view_pairs(events, t_test, t_end + 1, types, seed=seed)
        read_next = evaluate_read_next(model, pairs, k)
        read_next_pop = evaluate_read_next(popular, pairs, k)
    metrics = {"ranking": ranking, "read_next": read_next, "k": k}
    baselines = {"ranking_popularity": ranking_pop, "read_next_popularity": read_next_pop, **sources}
    for name, value in sources.items():
        progress(f"  test window: {name.removeprefix('ranking_').replace('_', ' '):<20} NDCG@{k} "
                 f"{value['overall'][f'ndcg@{k}']:.4f} (served: {rec_params['source']}, "
                 f"{ranking['overall'][f'ndcg@{k}']:.4f})")
    for name, c in classifiers.items():
        metrics[name] = c["metrics"]
        for base, value in c["baselines"].items():
            baselines[f"{name}_{base}"] = value
    returning = sum(bool(c.history) for c in test_cases)
    compare_sources = returning >= MIN_RETURNING
    if not compare_sources:
        progress(f"  gate: single sources not compared: only {returning} returning visitors in the test "
                 f"window (< {MIN_RETURNING})")
    verdict = gate.decide(metrics, baselines, live, k=k, margin=margin, live_margin=live_margin,
                          compare_sources=compare_sources)
    progress(f"gate: {'passed' if verdict['passed'] else 'failed'}: {verdict['reason']}")
    rows = {"events": int(len(events)), "content": len(items),
            "visitors": int(events["visitor_id"].nunique()),
            "train": int(len(train_ev)), "test_cases": len(test_cases)}
    result = TrainResult(None, None, False, verdict, metrics, baselines, rows, inputs or {}, timings)
    if not write:
        return result
    served = model
    if refit_all:
        # Serve what was measured, refit on every event: the popularity prior, transitions and
        # collaborative lists then include the latest weeks instead of stopping at the 70% mark.
        with timer("refit the served recommender on all events"):
            served = HybridRecommender(**model.hyperparameters()).fit(items, events)
            served.blend_ = dict(model.blend_)
            served.drop_training_state()
        hyper_note = "served recommender refit on all events with the hyperparameters chosen above"
    else:
        hyper_note = "served recommender as evaluated (fit on the first 70%)"
    artifacts = {"recommender": served,
                 "variant_scorer": VariantScorer(features, classifiers["click"]["model"],
                                                 classifiers["conversion"]["model"]),
                 "risk": ChurnModel(model, classifiers["churn"]["model"],
                                    classifiers["churn"]["info"]["horizon_days"])}
    hyper = {"recommender": {**rec_params, "served": hyper_note}, "seed": seed, "event_weights": weights,
             "split": [0.70, 0.15, 0.15],
             **{name: c["info"] for name, c in classifiers.items()}}
    with timer("writing the model set and report"):
        path = write_model_set(
            models_dir, artifacts, data_range={"start": _utc(t_start), "end": _utc(t_end)}, rows=rows,
            feature_schema={"click": FEATURE_NAMES, "churn": VISITOR_FEATURES, "event_weights": weights},
            hyperparameters=hyper, metrics=metrics, baseline_metrics=baselines, gate=verdict,
            provenance=(inputs or {}).get("provenance"))
        from .report import write_report

        write_report(path, result, classifiers, live)
    result.version, result.path = path.name, path
    if not promote_on_pass and not force:
        outcome = "passed" if verdict["passed"] else "failed"
        progress(f"wrote {path.name} ({outcome} its gate); not promoted here")
    elif verdict["passed"] or force:
        promote(models_dir, path.name)
        result.promoted = True
        forced = " (forced past the gate)" if force and not verdict["passed"] else ""
        progress(f"promoted {path.name}{forced}; {Path(models_dir) / 'LIVE'} updated")
    else:
        progress(f"kept back {path.name}: {verdict['reason']}")
    return result
