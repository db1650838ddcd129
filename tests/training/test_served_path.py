"""The served path: what `pertinent recommend` prints is what the decide route serves the same visitor."""
from __future__ import annotations

import json
import shutil

from pertinent.decision.core import recommend
from pertinent.demo.generator import to_domain

from tests.decision.conftest import build_runtime
from tests.training.test_commands import run


def test_cli_recommend_returns_what_decide_serves_for_the_same_history(trained, demo_site, tmp_path, capsys):
    _, models = trained
    shutil.copytree(models, tmp_path / "models")
    items, events = to_domain(demo_site["dir"])
    by_visitor: dict[str, int] = {}
    for e in events:
        by_visitor[e.visitor_id] = by_visitor.get(e.visitor_id, 0) + 1
    # Returning visitors with a real history (their recommendations depend on it), and one stranger.
    visitors = sorted(v for v, n in by_visitor.items() if 8 <= n <= 200)[:12] + ["never-seen"]
    (tmp_path / "visitors.txt").write_text("\n".join(visitors) + "\n")
    assert run(["recommend", "--models", str(tmp_path / "models"), "--events", demo_site["events_path"],
                "--visitors", str(tmp_path / "visitors.txt"), "--k", "6", "--exclude-seen"]) == 0
    lines = capsys.readouterr().out.splitlines()
    printed = {row["visitor_id"]: row["content_ids"] for row in map(json.loads, lines)}
    runtime = build_runtime(tmp_path)
    try:
        runtime.store.upsert_content(items)
        runtime.store.add_events(events)
        runtime.catalog.refresh()
        served = {v: recommend(v, None, 6, runtime) for v in visitors}
    finally:
        runtime.close()
    assert all(s.source == "model" for s in served.values())
    assert {v: [i.id for i in s.items] for v, s in served.items()} == printed
    # Not a trivially equal pair of popularity lists: the returning visitors get different lists.
    assert len({tuple(printed[v]) for v in visitors[:-1]}) > len(visitors) // 2
