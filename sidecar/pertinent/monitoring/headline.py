"""The offline metrics a site owner reads first, each beside the baseline it has to beat, and the rest as
rows. One definition for `pertinent report`, /v1/dashboard and the WordPress admin page: listing the
manifest's metrics alphabetically put eight churn figures first and hid NDCG and click AUC."""
from __future__ import annotations

# (label, path in the manifest's metrics, path in its baseline_metrics, what the baseline is)
HEADLINE = (
    ("ranking NDCG@10", ("ranking", "overall", "ndcg@10"), ("ranking_popularity", "overall", "ndcg@10"),
     "most popular"),
    ("ranking recall@10", ("ranking", "overall", "recall@10"), ("ranking_popularity", "overall", "recall@10"),
     "most popular"),
    ("read-next hit rate@10", ("read_next", "hit_rate@10"), ("read_next_popularity", "hit_rate@10"),
     "most popular"),
    # A constant score always has AUC 0.5; a plain logistic regression on the same features is the bar.
    ("click AUC", ("click", "auc"), ("click_logistic", "auc"), "plain logistic regression"),
    ("conversion AUC", ("conversion", "auc"), ("conversion_logistic", "auc"), "plain logistic regression"),
)
# Counts in the manifest: shown as integers, never as "1,801.000".
COUNTS = frozenset({"n", "positives", "cases", "k"})


def _number(tree, path):
    for key in path:
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree if isinstance(tree, (int, float)) and not isinstance(tree, bool) else None


def headline(metrics: dict | None, baselines: dict | None) -> list[dict]:
    """[{label, value, baseline, baseline_name}] for the headline metrics this model set has."""
    rows = []
    for label, path, base_path, base_name in HEADLINE:
        value = _number(metrics or {}, path)
        if value is not None:
            rows.append({"label": label, "value": value, "baseline": _number(baselines or {}, base_path),
                         "baseline_name": base_name})
    return rows


def metric_rows(metrics: dict | None) -> list[dict]:
    """Every other scalar metric as {label, value, integer}, one level of nesting spelled out
    ("click brier", "ranking overall coverage"); per-slice breakdowns and weighting notes are left to
    the training report."""
    rows = []

    def walk(prefix: str, tree: dict, depth: int) -> None:
        for name, value in tree.items():
            label = f"{prefix} {name}".strip()
            if isinstance(value, dict) and depth < 2 and name not in ("slices", "weighting"):
                walk(label, value, depth + 1)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                integer = name in COUNTS or isinstance(value, int)
                rows.append({"label": label, "value": value, "integer": integer})

    walk("", metrics or {}, 0)
    return rows


def format_value(row: dict) -> str:
    return f"{row['value']:,.0f}" if row.get("integer") else f"{row['value']:.3f}"
