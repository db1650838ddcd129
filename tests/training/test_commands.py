"""`pertinent train / evaluate / recommend`: JSON, jsonl export, errors as path:line:column (exit 2)."""
from __future__ import annotations

import argparse
import json

from pertinent.demo.generator import to_domain
from pertinent.modelset.writer import live_version
from pertinent.store import open_store
from pertinent.training.commands import register
from pertinent.training.pipeline import train_from_store


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pertinent")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_bad_events_file_exits_2_with_path_line_column(tmp_path, demo_site, capsys):
    bad = tmp_path / "events.csv"
    bad.write_text("visitor_id,timestamp,event_type,content_id\nv1,2026-01-01T00:00:00Z,view,1000\n"
                   "v1,2026-01-01T00:00:00Z,wink,1000\n")
    code = run(["train", "--events", str(bad), "--content", demo_site["content_path"],
                "--models", str(tmp_path / "models")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().startswith(f"{bad}:3:3: column 'event_type'")
    assert "Traceback" not in err
    assert not (tmp_path / "models" / "LIVE").exists()


def test_too_little_data_is_a_message_not_a_traceback(tmp_path, demo_site, capsys):
    few = tmp_path / "events.csv"
    few.write_text("visitor_id,timestamp,event_type,content_id\nv1,2026-01-01T00:00:00Z,view,1000\n")
    assert run(["train", "--events", str(few), "--content", demo_site["content_path"],
                "--models", str(tmp_path / "m")]) == 2
    assert "need at least 100 events" in capsys.readouterr().err


def test_evaluate_json_measures_the_live_set_against_popularity(trained, demo_site, capsys):
    _, models = trained
    assert run(["evaluate", "--models", str(models), "--events", demo_site["events_path"],
                "--content", demo_site["content_path"], "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == live_version(models)
    ours = out["metrics"]["ranking"]["overall"]["ndcg@10"]
    assert ours > 1.3 * out["baseline_metrics"]["ranking_popularity"]["overall"]["ndcg@10"]
    assert out["metrics"]["click"]["auc"] > 0.65


def test_recommend_writes_one_json_line_per_visitor(trained, demo_site, tmp_path, capsys):
    _, models = trained
    visitors = tmp_path / "visitors.txt"
    visitors.write_text("visitor-00001\nvisitor-00002\nnever-seen\n")
    assert run(["recommend", "--models", str(models), "--events", demo_site["events_path"],
                "--visitors", str(visitors), "--k", "5", "--exclude-seen", "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["visitor_id"] for line in lines] == ["visitor-00001", "visitor-00002", "never-seen"]
    assert all(len(line["content_ids"]) == 5 == len(line["scores"]) for line in lines)
    assert lines[2]["content_ids"]  # a visitor with no history still gets the popular items


def test_train_from_the_store_promotes_a_set_the_sidecar_can_load(demo_site, tmp_path):
    items, events = to_domain(demo_site["dir"])
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        store.upsert_content(items)
        store.add_events(events)
        result = train_from_store(store, tmp_path / "models", force=True, progress=lambda _: None)
    finally:
        store.close()
    assert result.promoted and live_version(tmp_path / "models") == result.version
    assert result.metrics["ranking"]["overall"]["ndcg@10"] > \
        1.3 * result.baseline_metrics["ranking_popularity"]["overall"]["ndcg@10"]


def test_a_running_sidecar_picks_up_the_promoted_set_without_restart(trained, demo_site, tmp_path):
    import shutil

    from pertinent.modelset.registry import ModelRegistry

    first, shared = trained
    models = tmp_path / "models"
    shutil.copytree(shared, models)
    registry = ModelRegistry(models, reload_interval=0.0)
    assert registry.load() and registry.current().version == first.version
    result = run(["train", "--events", demo_site["events_path"], "--content", demo_site["content_path"],
                  "--models", str(models), "--force", "--json"])
    assert result == 0
    registry.maybe_reload()
    assert registry.current().version == live_version(models) != first.version
    assert registry.current().recommender is not None
