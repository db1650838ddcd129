"""A model set trained on demo data says so: manifest, report.html and `pertinent report`."""
from __future__ import annotations

import html
import json
import shutil

import numpy as np
from pertinent.cli import main
from pertinent.training.pipeline import train_from_files
from pertinent.training.report import weighting_section
from pertinent.training.weighting import RARE_SHARE, compare_weightings
from sklearn.linear_model import LogisticRegression


def test_manifest_records_that_the_data_is_synthetic(trained):
    result, _ = trained
    provenance = json.loads((result.path / "manifest.json").read_text())["provenance"]
    assert provenance["synthetic"] is True and provenance["source"] == "pertinent demo generator"
    assert provenance["seed"] == 11 and provenance["shapes"]["untagged_posts"] > 0
    assert any("data provenance" in line and "synthetic" in line for line in result.progress_lines)


def test_training_report_shows_the_synthetic_data_note(trained):
    result, _ = trained
    report = (result.path / "report.html").read_text()
    assert "class='synthetic'" in report and "demo generator" in report and "seed 11" in report


def test_training_report_says_why_common_outcomes_are_not_reweighted(trained):
    result, _ = trained
    report = (result.path / "report.html").read_text()
    weighting = json.loads((result.path / "manifest.json").read_text())["metrics"]["click"]["weighting"]
    assert weighting["chosen"] == "none" and weighting["base_rate"] > RARE_SHARE
    assert "Class weighting (click)" in report and "not a rare outcome" in report


def test_training_report_tables_a_rare_outcome_comparison_with_the_chosen_variant():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6000, 3))
    y = (rng.random(6000) < 1 / (1 + np.exp(-(-5 + 1.5 * x[:, 0])))).astype(int)
    comparison = compare_weightings(LogisticRegression(max_iter=1000), x, y, seed=0)
    html = weighting_section("conversion", comparison)
    assert f"{comparison['chosen']} (chosen)" in html and "calibration_error" in html
    assert all(f"<td>{v}" in html for v in comparison["variants"] if v != comparison["chosen"])


def test_pertinent_report_names_synthetic_live_set(trained, tmp_path, monkeypatch, capsys):
    _, models = trained
    monkeypatch.setenv("PERTINENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PERTINENT_MODELS_DIR", str(models))
    monkeypatch.setenv("PERTINENT_CACHE_URL", "memory://")
    html = tmp_path / "report.html"
    assert main(["report", "--html", str(html)]) == 0
    text = capsys.readouterr().out
    assert "note: synthetic data" in text and "demo generator" in text
    assert "synthetic data" in html.read_text()


def test_files_without_provenance_make_no_synthetic_claim(demo_site, tmp_path):
    plain = tmp_path / "export"
    plain.mkdir()
    for name in ("events.csv", "content.csv"):
        shutil.copy(demo_site["dir"] / name, plain / name)
    result = train_from_files(plain / "events.csv", plain / "content.csv", tmp_path / "models", force=True,
                              progress=lambda line: None)
    assert json.loads((result.path / "manifest.json").read_text())["provenance"] == {}
    assert "class='synthetic'" not in (result.path / "report.html").read_text()


def test_precision_recall_of_one_score_for_everyone_is_flat_at_the_base_rate():
    from pertinent.training.report import pr_curve

    y = np.array([1, 0, 0, 0, 1, 0, 0, 0])
    recall, precision = pr_curve(y, np.full(8, 0.3))
    assert list(precision) == [0.25, 0.25] and list(recall) == [0.0, 1.0]
    recall, precision = pr_curve(y, np.array([0.9, 0.1, 0.2, 0.1, 0.8, 0.3, 0.1, 0.2]))
    assert precision.max() == 1.0  # a ranking that puts both positives first is drawn as such


def test_training_report_has_one_timing_row_per_step_and_names_the_live_file(trained):
    result, models = trained
    report = (result.path / "report.html").read_text()
    timings = report.split("<h2>Timings (s)</h2>")[1].split("</table>")[0]
    rows = [row.split("</td>")[0] for row in timings.split("<tr><td>")[1:]]
    # Every step timed before the report was written, each on its own row with a "seconds" cell.
    assert rows == [html.escape(step) for step in result.timings][:len(rows)] and len(rows) >= 10
    assert "<th>seconds</th>" in timings
    assert any(f"{models / 'LIVE'} updated" in line for line in result.progress_lines)
