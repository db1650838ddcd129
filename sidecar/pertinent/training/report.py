"""The HTML report in each model set folder: gate verdict, metric tables, slices, ROC/PR/calibration/lift."""
from __future__ import annotations

import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402

from ..demo.provenance import synthetic_note  # noqa: E402

CSS = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
       "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
       "text-align:right}th:first-child,td:first-child{text-align:left}.pass{color:#060}.fail{color:#a00}"
       "img{max-width:48%;margin:1%}.synthetic{background:#fff4d6;border:1px solid #d9a400;padding:.5em}")


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.4f}" if isinstance(v, float) else html.escape(str(v))


def _table(rows: dict[str, dict], columns: list[str] | None = None) -> str:
    """Rows of metric dicts -> an HTML table (only scalar metrics)."""
    if not rows:
        return "<p>No data.</p>"
    columns = columns or [k for k, v in next(iter(rows.values())).items() if not isinstance(v, dict)]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(f"<tr><td>{html.escape(name)}</td>"
                   + "".join(f"<td>{_fmt(m.get(c))}</td>" for c in columns) + "</tr>"
                   for name, m in rows.items())
    return f"<table><tr><th></th>{head}</tr>{body}</table>"


def pr_curve(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(recall, precision) points to draw. One score for everyone ranks nothing: precision is the base
    rate at every recall, a flat line. sklearn's curve joins (1, base rate) to (0, 1) there instead, a
    diagonal that reads as skill."""
    if p.min() == p.max():
        return np.array([0.0, 1.0]), np.array([y.mean(), y.mean()])
    precision, recall, _ = precision_recall_curve(y, p)
    return recall, precision


def _plots(folder: Path, name: str, curves: dict) -> list[str]:
    """ROC, precision-recall, calibration and lift PNGs for one classifier; returns file names."""
    y = np.asarray(curves["y"])
    if len(y) == 0 or y.min() == y.max():
        return []
    files = []
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8))
    for label in ("model", "logistic", "constant"):
        p = np.asarray(curves[label])
        fpr, tpr, _ = roc_curve(y, p)
        axes[0].plot(fpr, tpr, label=label)
        axes[1].plot(*pr_curve(y, p), label=label)
    axes[0].plot([0, 1], [0, 1], ":", color="grey")
    axes[0].set(title=f"{name}: ROC", xlabel="false positive rate", ylabel="true positive rate")
    axes[1].set(title=f"{name}: precision-recall", xlabel="recall", ylabel="precision")
    cal = curves["calibration"]
    axes[2].plot(cal["predicted"], cal["observed"], "o-", label="model")
    top = max(cal["predicted"] + cal["observed"] + [0.01])
    axes[2].plot([0, top], [0, top], ":", color="grey")
    axes[2].set(title=f"{name}: calibration", xlabel="predicted probability", ylabel="observed rate")
    order = np.argsort(-np.asarray(curves["model"]), kind="stable")
    deciles = np.array_split(y[order], 10)
    axes[3].bar(range(1, 11), [d.mean() / y.mean() if len(d) else 0 for d in deciles])
    axes[3].axhline(1.0, color="grey", linestyle=":")
    axes[3].set(title=f"{name}: lift by decile", xlabel="decile (1 = highest score)", ylabel="lift")
    for ax in axes[:2]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    file = f"{name}_curves.png"
    fig.savefig(folder / file, dpi=80)
    plt.close(fig)
    files.append(file)
    return files


def _slices(metrics: dict) -> str:
    parts = []
    for dim, groups in (metrics.get("slices") or {}).items():
        if groups:
            parts.append(f"<h4>by {html.escape(dim)}</h4>" + _table(groups))
    return "".join(parts) or "<p>No slice large enough.</p>"


def weighting_section(name: str, comparison: dict) -> str:
    """The class weighting / resampling comparison on the time-series folds, the chosen variant marked."""
    head = f"<h3>Class weighting ({html.escape(name)})</h3>"
    if not comparison.get("variants"):
        reason = comparison.get("reason", "not compared (the classifier is a constant)")
        return head + f"<p>Unweighted; not compared: {html.escape(reason)}.</p>"
    chosen = comparison["chosen"]
    rows = {f"{v} (chosen)" if v == chosen else v: m for v, m in comparison["variants"].items()}
    return (head + f"<p>Base rate {comparison['base_rate']:.4f} over {comparison['folds']} fold(s); "
            f"chosen by {html.escape(comparison['chosen_by'])}. Weighting distorts raw probabilities, "
            "so every variant is compared after calibration.</p>"
            + _table(rows, ["pr_auc", "log_loss", "brier", "calibration_error"]))


def write_report(folder, result, classifiers: dict, live: dict | None) -> Path:
    """Write report.html (and PNGs) into the model set folder."""
    folder = Path(folder)
    m, b, k = result.metrics, result.baseline_metrics, result.metrics.get("k", 10)
    gate = result.gate
    verdict = "passed" if gate["passed"] else "kept back"
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>Model set {folder.name}</title>"
           f"<style>{CSS}</style></head><body><h1>Model set {html.escape(folder.name)}</h1>",
           f"<p class='{'pass' if gate['passed'] else 'fail'}'><b>Gate: {verdict}</b> — "
           f"{html.escape(gate['reason'])}</p>"]
    note = synthetic_note(result.inputs.get("provenance"))
    if note:
        out.append(f"<p class='synthetic'><b>Note:</b> {html.escape(note[0].upper() + note[1:])}.</p>")
    out.append("<ul>")
    out += [f"<li class='{'pass' if c['passed'] else 'fail'}'>{html.escape(c['check'])}</li>"
            for c in gate["checks"]]
    skipped = ", ".join(f"{r}: {n}" for r, n in (result.inputs.get("skipped") or {}).items()) or "none"
    out.append("</ul><h2>Data</h2>" + _table({"rows": result.rows}) + _table({"inputs": {
        "events_read": result.inputs.get("events_read"), "events_used": result.inputs.get("events_used"),
        "skipped": skipped}}))
    ranking = {"hybrid (new)": m["ranking"]["overall"],
               "popularity baseline": b["ranking_popularity"]["overall"]}
    if live:
        ranking[f"live set {live['version']}"] = live["ranking"]["overall"]
    out.append(f"<h2>Ranking on the test window (k={k})</h2>" + _table(ranking))
    out.append("<h3>Slices (hybrid)</h3>" + _slices(m["ranking"]))
    if "read_next" in m:
        out.append("<h2>Read next (the post opened next in the session)</h2>" + _table(
            {"hybrid, read_next slot (new)": m["read_next"],
             "popularity baseline": b.get("read_next_popularity", {})}))
    for name, c in classifiers.items():
        rows = {f"{name} ({c['info'].get('model')})": m[name]}
        rows.update({f"{base} baseline": value for base, value in c["baselines"].items()})
        out.append(f"<h2>{name.capitalize()} classifier</h2>" + _table(rows))
        out += [f"<img src='{f}' alt='{name} curves'>" for f in _plots(folder, name, c["curves"])]
        out.append(weighting_section(name, m[name].get("weighting") or {}))
        out.append(f"<h3>Slices ({name})</h3>" + _slices(m[name]))
    # One row per step: a row per metric would run off the page sideways.
    out.append("<h2>Timings (s)</h2>" + _table({step: {"seconds": v} for step, v in result.timings.items()}))
    out.append("</body></html>")
    path = folder / "report.html"
    path.write_text("\n".join(out), encoding="utf-8")
    return path
