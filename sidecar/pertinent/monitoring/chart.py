"""A dependency-free inline SVG chart: click-through rate per arm with its 95% interval as a whisker."""
from __future__ import annotations

from html import escape

from ..experiments.stats import ARM_LABELS

COLOURS = {"control": "#8c8c8c", "rules": "#d08c2b", "model": "#2b6cb0", "canary": "#7b3fb5"}


def arm_chart_svg(report: dict, width: int = 420, bar_height: int = 26) -> str:
    """Horizontal bars (CTR) with CI whiskers, one row per arm; scale fits the largest upper bound."""
    arms = report.get("arms", {})
    if not arms:
        return ""
    label_w, pad = 90, 8
    top = max(max(a["ctr_ci"][1] for a in arms.values()), 1e-6)
    scale = (width - label_w - 70) / top
    rows = []
    for i, (arm, a) in enumerate(arms.items()):
        y = pad + i * (bar_height + pad)
        low, high = (x * scale + label_w for x in a["ctr_ci"])
        mid = y + bar_height / 2
        rows.append(
            f'<text x="0" y="{mid + 4:.1f}" font-size="12">{escape(ARM_LABELS.get(arm, arm))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{a["ctr"] * scale:.1f}" height="{bar_height}" '
            f'fill="{COLOURS.get(arm, "#555")}"><title>{escape(arm)}: CTR {a["ctr"]:.2%} '
            f'({a["clicks"]} clicks / {a["impressions"]} impressions)</title></rect>'
            f'<line x1="{low:.1f}" x2="{high:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="#000" />'
            f'<line x1="{low:.1f}" x2="{low:.1f}" y1="{mid - 6:.1f}" y2="{mid + 6:.1f}" stroke="#000" />'
            f'<line x1="{high:.1f}" x2="{high:.1f}" y1="{mid - 6:.1f}" y2="{mid + 6:.1f}" stroke="#000" />'
            f'<text x="{high + 6:.1f}" y="{mid + 4:.1f}" font-size="12">{a["ctr"]:.1%}</text>')
    height = pad + len(arms) * (bar_height + pad)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="click-through rate per arm with 95% intervals">{"".join(rows)}</svg>')
