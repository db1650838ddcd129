"""Metrics: ranking at k (precision, recall, NDCG, MAP, coverage) and classification (AUC, PR-AUC, ...)."""
from __future__ import annotations

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


def mean(values) -> float:
    return float(np.mean(values)) if values else 0.0


def ranking_metrics(recommended: list[list[str]], truths: list[set[str]], k: int, catalog_size: int) -> dict:
    """Mean precision@k, recall@k, NDCG@k, MAP@k, hit rate over cases, and catalog coverage."""
    p, r, ndcg, ap, hit = [], [], [], [], []
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    shown: set[str] = set()
    for recs, truth in zip(recommended, truths, strict=True):
        recs = recs[:k]
        shown.update(recs)
        rel = np.array([1.0 if c in truth else 0.0 for c in recs] + [0.0] * (k - len(recs)))
        n_hit = rel.sum()
        p.append(n_hit / k)
        r.append(n_hit / len(truth))
        ideal = discounts[: min(len(truth), k)].sum()
        ndcg.append(float((rel * discounts).sum() / ideal))
        precisions = np.cumsum(rel) / np.arange(1, k + 1)
        ap.append(float((precisions * rel).sum() / min(len(truth), k)))
        hit.append(float(n_hit > 0))
    return {f"precision@{k}": mean(p), f"recall@{k}": mean(r), f"ndcg@{k}": mean(ndcg), f"map@{k}": mean(ap),
            f"hit_rate@{k}": mean(hit), "coverage": len(shown) / max(catalog_size, 1), "cases": len(truths)}


def classification_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    """AUC-ROC, PR-AUC, Brier, log loss and lift in the top decile; None where one class is missing."""
    y = np.asarray(y, dtype=int)
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    out = {"n": int(len(y)), "positives": int(y.sum()), "base_rate": float(y.mean()) if len(y) else 0.0}
    if len(y) == 0 or y.min() == y.max():
        return {**out, "auc": None, "pr_auc": None, "brier": None, "log_loss": None, "lift_top_decile": None}
    top = np.argsort(-p, kind="stable")[: max(1, len(p) // 10)]
    return {**out, "auc": float(roc_auc_score(y, p)), "pr_auc": float(average_precision_score(y, p)),
            "brier": float(brier_score_loss(y, p)), "log_loss": float(log_loss(y, p, labels=[0, 1])),
            "lift_top_decile": float(y[top].mean() / y.mean())}


def calibration(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict:
    """Observed vs predicted rate per quantile bin, for the calibration plot."""
    if len(y) == 0 or np.min(y) == np.max(y):
        return {"predicted": [], "observed": []}
    observed, predicted = calibration_curve(y, p, n_bins=bins, strategy="quantile")
    return {"predicted": predicted.tolist(), "observed": observed.tolist()}


def sliced(meta_values, y, p, metric=classification_metrics, min_size: int = 30) -> dict:
    """The metric per slice value (device, country, new vs returning) where the slice is big enough."""
    values = np.asarray(meta_values)
    out = {}
    for value in sorted(set(values.tolist()), key=str):
        mask = values == value
        if mask.sum() >= min_size:
            out[str(value)] = metric(np.asarray(y)[mask], np.asarray(p)[mask])
    return out
