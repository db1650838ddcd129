"""`pertinent experiment`, `pertinent report` and `pertinent worker --once` from the command line."""
from __future__ import annotations

import json

import pytest
from pertinent.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PERTINENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PERTINENT_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("PERTINENT_CACHE_URL", "memory://")
    return tmp_path


def test_experiment_commands_then_report_as_text_json_and_html(env, capsys):
    assert main(["experiment", "start", "hero banner", "--arms", "control=0.3,model=0.7",
                 "--slots", "hero"]) == 0
    exp = json.loads(capsys.readouterr().out)
    assert exp["arms"] == {"control": 0.3, "model": 0.7} and exp["slots"] == ["hero"]
    assert main(["experiment", "start", "second"]) == 1
    assert "still running" in capsys.readouterr().out
    # A bad arm is reported as the bad arm, even while another experiment runs.
    assert main(["experiment", "start", "third", "--arms", "control=0.5,foo=0.5"]) == 1
    said = capsys.readouterr().out
    assert "foo" in said and "still running" not in said
    assert main(["experiment", "list"]) == 0
    assert "hero banner" in capsys.readouterr().out

    html = env / "report.html"
    assert main(["report", "--html", str(html)]) == 0
    text = capsys.readouterr().out
    assert "hero banner" in text and "not enough data yet" in text and "live model set: none" in text
    page = html.read_text()
    assert page.startswith("<!doctype html>") and "hero banner" in page and "<svg" in page
    assert "src=" not in page and "href=" not in page  # self-contained: no CDN, no external asset

    assert main(["report", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["experiments"][0]["experiment"]["id"] == exp["id"]
    assert main(["experiment", "stop", exp["id"]]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "stopped"


def test_worker_once_logs_plain_lines_and_survives_a_failed_training(env, caplog):
    caplog.set_level("INFO", logger="pertinent.worker")
    assert main(["worker", "--once"]) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("drift: ") for m in messages)
    assert any(m.startswith("training: started (schedule)") for m in messages)
    assert any(m.startswith("retention: purged 0 events") for m in messages)
    assert any(m.startswith("done: ") and "train:failed" in m for m in messages)
