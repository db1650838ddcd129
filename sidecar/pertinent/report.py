"""`pertinent report`: the dashboard summary in the terminal, or as a self-contained HTML page."""
from __future__ import annotations

from html import escape

from .demo.provenance import synthetic_note
from .experiments.stats import ARM_LABELS
from .monitoring.chart import arm_chart_svg
from .monitoring.headline import format_value


def render_text(summary: dict) -> str:
    """Plain lines for a terminal: health, model sets, experiments with verdicts, drift, training."""
    h, models, training, drift = summary["health"], summary["models"], summary["training"], summary["drift"]
    lines = [f"Pertinent report ({summary['generated_at']})", "",
             f"health: {h['status']}" + (f" ({'; '.join(h['reasons'])})" if h["reasons"] else "")]
    for role in ("live", "canary"):
        lines.append(f"{role} model set: {_model_line(models.get(role))}")
        note = synthetic_note((models.get(role) or {}).get("provenance"))
        if note:
            lines.append(f"  note: {note}")
    for entry in models.get("history", [])[:5]:
        lines.append(f"  {entry['at'][:19]} {entry['action']} {entry['version']}: {entry['reason']}")
    lines.append(_traffic_line(summary.get("traffic")))
    lines += ["", "experiments:" if summary["experiments"] else "experiments: none"]
    for report in summary["experiments"]:
        exp = report["experiment"]
        lines.append(f"  {exp['name']} [{exp['id']}, {exp['status']}] since {exp['created_at'][:19]}")
        for arm, a in report["arms"].items():
            lo, hi = a["ctr_ci"]
            lines.append(f"    {ARM_LABELS.get(arm, arm):<11} {a['impressions']:>7} impressions "
                         f"{a['clicks']:>6} clicks  CTR {a['ctr']:6.2%} [{lo:.2%}, {hi:.2%}]  "
                         f"conversions {a['conversions']}")
        lines.append(f"    verdict: {report['verdict']}")
    lines += ["", f"drift: {_drift_line(drift)}",
              f"training: last {training.get('last_at') or 'never'}"
              f" ({training.get('last_reason') or '-'}: {training.get('last_result') or '-'}),"
              f" next {training.get('next_at') or 'when the worker runs'}"]
    if training.get("failures"):
        lines.append(f"  {_retry_line(training)}")
    lines += [f"  skipped model {note}" for note in training.get("skipped") or []]
    return "\n".join(lines) + "\n"


def _traffic_line(traffic: dict | None) -> str:
    """'traffic, last 24 h: 1,204 decisions (38% from cache); fallbacks: cold_start 12' (the sidecar's own
    counts, shared by its workers through the cache)."""
    if not traffic:
        return "traffic: not counted"
    n = traffic["decisions"]
    share = f" ({traffic['cached'] / n:.0%} from cache)" if n else ""
    falls = ", ".join(f"{k} {v:,}" for k, v in traffic["fallbacks"].items()) or "none"
    return f"traffic, last {traffic['window_hours']} h: {n:,} decisions{share}; fallbacks: {falls}"


def _retry_line(training: dict) -> str:
    """'failed 3 times in a row; retrying at ...': the backoff the worker is in, for text and HTML."""
    n = int(training.get("failures") or 0)
    return (f"failed {n} time{'s' if n != 1 else ''} in a row; retrying at "
            f"{training.get('retry_at') or 'the next schedule'}")


def render_html(summary: dict) -> str:
    """One HTML page, no external assets (no CDN): tables and inline SVG charts."""
    h, models, drift = summary["health"], summary["models"], summary["drift"]
    parts = [f"<h1>Pertinent report</h1><p>{escape(summary['generated_at'])}</p>",
             f"<h2>Health: {escape(h['status'])}</h2>",
             "<ul>" + "".join(f"<li>{escape(r)}</li>" for r in h["reasons"]) + "</ul>",
             "<h2>Model sets</h2><table>"
             "<tr><th>role</th><th>version</th><th>age (h)</th><th>metrics</th></tr>"]
    for role in ("live", "canary"):
        m = models.get(role)
        if not m:
            parts.append(f"<tr><td>{role}</td><td colspan='3'>none yet</td></tr>")
            continue
        note = synthetic_note(m.get("provenance"))
        parts.append(f"<tr><td>{role}</td><td>{escape(str(m.get('version', '-')))}</td>"
                     f"<td>{m.get('age_hours', '-')}</td><td>{_metrics_html(m)}"
                     f"{f'<p>{escape(note)}</p>' if note else ''}</td></tr>")
    parts.append(f"</table><p>{escape(_traffic_line(summary.get('traffic')))}</p>")
    parts.append("<h3>Promotions and rollbacks</h3>")
    history = models.get("history") or []
    items = "".join(f"<li>{escape(e['at'][:19])} {escape(e['action'])} {escape(str(e['version']))}: "
                    f"{escape(e['reason'])}</li>" for e in history)
    parts.append(f"<ul>{items}</ul>" if history else "<p>none yet</p>")
    parts.append("<h2>Experiments</h2>" + ("" if summary["experiments"] else "<p>none yet</p>"))
    for report in summary["experiments"]:
        exp = report["experiment"]
        parts.append(f"<h3>{escape(exp['name'])} ({escape(exp['status'])})</h3>{arm_chart_svg(report)}"
                     f"<p><strong>{escape(report['verdict'])}</strong></p>")
    parts.append(f"<h2>Drift</h2><p>{escape(_drift_line(drift))}</p>")
    rows = [(k, v) for k, v in drift.get("features", {}).items()]
    if drift.get("scores") is not None:
        rows.append(("predicted score", drift["scores"]))
    if rows:  # no table at all before there is a reference to compare with
        cells = "".join(f"<tr><td>{escape(k)}</td><td>{v:.3f}</td></tr>" for k, v in rows)
        parts.append(f"<table><tr><th>feature</th><th>PSI</th></tr>{cells}</table>")
    t = summary["training"]
    parts.append(f"<h2>Training</h2><p>last: {escape(str(t.get('last_at') or 'never'))} "
                 f"({escape(str(t.get('last_reason') or '-'))}): {escape(str(t.get('last_result') or '-'))}; "
                 f"next: {escape(str(t.get('next_at') or '-'))}</p>")
    if t.get("failures"):
        parts.append(f"<p><strong>{escape(_retry_line(t))}</strong></p>")
    if t.get("skipped"):
        parts.append("<p>Skipped models:</p><ul>" + "".join(f"<li>{escape(n)}</li>" for n in t["skipped"])
                     + "</ul>")
    style = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}")
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pertinent report</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>\n")


def _metrics_html(model: dict) -> str:
    """Headline metrics with their baselines, then every other metric behind a disclosure."""
    head = "".join(f"<li>{escape(_headline_text(row))}</li>" for row in model.get("headline") or [])
    rest = "".join(f"<tr><td>{escape(r['label'])}</td><td>{format_value(r)}</td></tr>"
                   for r in model.get("metric_rows") or [])
    return (f"<ul>{head}</ul>" if head else "") + (
        f"<details><summary>all metrics</summary><table>{rest}</table></details>" if rest else "")


def _model_line(model: dict | None) -> str:
    if not model:
        return "none yet"
    lines = [f"{model['version']} (age {model.get('age_hours')} h)"]
    lines += [f"  {_headline_text(row)}" for row in model.get("headline") or []]
    return "\n".join(lines)


def _headline_text(row: dict) -> str:
    base = "" if row["baseline"] is None else f" ({row['baseline_name']}: {row['baseline']:.3f})"
    return f"{row['label']} {row['value']:.3f}{base}"


def _drift_line(drift: dict) -> str:
    status = drift.get("status", "unknown")
    if status in ("unknown", "no_reference", "insufficient_data"):
        return status.replace("_", " ")
    flagged = f"; drifted: {', '.join(drift['drifted_features'])}" if drift.get("drifted") else ""
    return f"{status}, max PSI {drift.get('max_psi', 0):.3f} (threshold {drift.get('threshold')}){flagged}"


def register(sub) -> None:
    """`pertinent report [--html FILE] [--json]` on the CLI's subcommands."""
    parser = sub.add_parser("report", help="health, model sets, experiments, drift and training at a glance")
    parser.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page to FILE")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON instead of text")
    parser.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    """Print the summary (the same document as GET /v1/dashboard) from this machine's configuration."""
    import json
    from pathlib import Path

    from .config import load_config
    from .monitoring.summary import build_summary
    from .runtime import Runtime

    runtime = Runtime.from_config(load_config())
    try:
        summary = build_summary(runtime)
    finally:
        runtime.close()
    print(json.dumps(summary, indent=2, default=str) if args.json else render_text(summary), end="")
    if args.html:
        Path(args.html).write_text(render_html(summary), encoding="utf-8")
        print(f"\nwrote {args.html}")
    return 0
