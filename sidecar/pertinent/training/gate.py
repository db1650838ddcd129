"""The promotion gate: a new model set goes live only if it beats the baselines and the live set."""
from __future__ import annotations


def _get(metrics: dict, *path):
    for key in path:
        if not isinstance(metrics, dict) or key not in metrics:
            return None
        metrics = metrics[key]
    return metrics


def decide(metrics: dict, baselines: dict, live: dict | None, *, k: int = 10, margin: float = 0.05,
           live_margin: float = 0.0, auc_tolerance: float = 0.01, auc_margin: float = 0.02,
           source_tolerance: float = 0.02, compare_sources: bool = True) -> dict:
    """{"passed", "reason", "checks"}, all on the same test window: ranking NDCG@k must beat popularity by
    `margin` (relative), be no more than `source_tolerance` (relative) below any single source of the blend
    (baselines "ranking_<source>_alone"; only when `compare_sources`: with too few returning visitors the
    sources differ by noise, and model selection did not choose between them either) and beat the live set
    by `live_margin`; the click classifier must beat the constant by `auc_margin` AUC and not trail
    logistic regression by more than `auc_tolerance`."""
    checks = []
    key = f"ndcg@{k}"
    new = _get(metrics, "ranking", "overall", key)
    pop = _get(baselines, "ranking_popularity", "overall", key)
    if new is not None and pop is not None:
        checks.append((f"ranking {key} {new:.4f} vs popularity {pop:.4f} (+{margin:.0%} needed)",
                       new >= pop * (1 + margin) and new > 0))
    sources = sorted(b for b in baselines if b.startswith("ranking_") and b.endswith("_alone"))
    for name in sources if compare_sources else ():
        part = _get(baselines, name, "overall", key)
        if new is not None and part is not None:
            # The served ranking must not lose to one of its own parts (model selection picks a single
            # source when it is better on validation; this catches a choice that does not hold on test).
            # The tolerance is the test window's noise: on the demo site a blend 4% ahead on validation
            # came out 2% behind collaborative alone on a test window of ~1,000 visitors.
            label = name.removeprefix("ranking_").replace("_", " ")
            checks.append((f"ranking {key} {new:.4f} vs {label} {part:.4f} (-{source_tolerance:.0%} allowed)",
                           new >= part * (1 - source_tolerance)))
    auc = _get(metrics, "click", "auc")
    lr = _get(baselines, "click_logistic", "auc")
    if auc is not None:
        checks.append((f"click AUC {auc:.4f} vs constant 0.5000 (+{auc_margin} needed)",
                       auc >= 0.5 + auc_margin))
        if lr is not None:
            checks.append((f"click AUC {auc:.4f} vs logistic regression {lr:.4f} (-{auc_tolerance} allowed)",
                           auc >= lr - auc_tolerance))
    if live:
        old = _get(live, "ranking", "overall", key)
        if new is not None and old is not None:
            checks.append((f"ranking {key} {new:.4f} vs live set {old:.4f} (+{live_margin:.0%} needed)",
                           new >= old * (1 + live_margin)))
    failed = [text for text, ok in checks if not ok]
    if not checks:
        return {"passed": False, "reason": "nothing to compare: not enough test data", "checks": []}
    return {"passed": not failed,
            "reason": ("kept back: " + "; ".join(failed)) if failed else "beats baselines"
            + (" and the live set" if live else "") + " on the test window",
            "checks": [{"check": text, "passed": ok} for text, ok in checks]}
