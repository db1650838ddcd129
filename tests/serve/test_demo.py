"""`pertinent demo`: builds the demo site, starts a sidecar whose printed curl lines work, stops it."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
import requests
from pertinent import demo_command

from tests.support.net import free_port

REPO = Path(__file__).resolve().parents[2]


def test_stop_without_a_running_demo_is_fine(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert demo_command.stop() == 0
    assert "no demo sidecar running" in capsys.readouterr().out


def test_stop_never_kills_a_process_that_is_not_the_demo_sidecar(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    other = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / "var").mkdir()
        (tmp_path / "var" / "pertinent-demo.pid").write_text(f"{other.pid}\n")
        demo_command.stop()
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


@pytest.mark.slow
def test_demo_starts_a_sidecar_whose_printed_curl_lines_work(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERTINENT_API_KEY", raising=False)
    monkeypatch.delenv("PERTINENT_PUBLIC_KEY", raising=False)
    # The full training pipeline takes minutes; the popularity model set exercises the same path.
    monkeypatch.setattr(demo_command, "train",
                        lambda models_dir, items: demo_command._train_popularity(models_dir))
    port = free_port()
    try:
        assert demo_command.start(port=port) == 0
        printed = capsys.readouterr().out
        curls = [line.strip() for line in printed.splitlines() if line.strip().startswith("curl ")]
        assert 4 <= len(curls) <= 6
        for line in curls:
            if "|" in line:
                continue
            out = subprocess.run(shlex.split(line) + ["-f", "-o", "/dev/null", "-w", "%{http_code}"],
                                 capture_output=True, text=True, timeout=30)
            assert out.stdout in ("200", "202"), (line, out.stdout, out.stderr)
        # The env file points the operator commands at the demo's folders and keys.
        assert "source var/demo/env" in printed
        sourced = subprocess.run(["bash", "-c", "source var/demo/env && env"], capture_output=True, text=True,
                                 check=True).stdout.splitlines()
        values = dict(line.split("=", 1) for line in sourced if line.startswith("PERTINENT_"))
        assert values["PERTINENT_DATA_DIR"] == str(tmp_path / "var" / "demo" / "data")
        assert values["PERTINENT_MODELS_DIR"] == str(tmp_path / "var" / "demo" / "models")
        assert (tmp_path / "var" / "demo" / "models" / "LIVE").exists()
        assert values["PERTINENT_API_KEY"] == demo_command.DEMO_API_KEY
        assert values["PERTINENT_DEMO_SIDECAR"] == f"http://127.0.0.1:{port}"
        visitor = values["PERTINENT_DEMO_VISITOR"]
        assert len(visitor) >= 8 and f"visitor_id={visitor}" in printed
        # Running it again restarts cleanly on the data already built.
        assert demo_command.start(port=port) == 0
        assert "reusing var/demo" in capsys.readouterr().out
    finally:
        demo_command.stop()
    assert not (tmp_path / "var" / "pertinent-demo.pid").exists()


def test_operator_commands_note_on_stderr_when_they_read_the_default_folders_while_the_demo_runs(
        tmp_path, monkeypatch, capsys):
    from pertinent import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERTINENT_DATA_DIR", raising=False)
    monkeypatch.delenv("PERTINENT_MODELS_DIR", raising=False)
    monkeypatch.setattr(demo_command, "_running_pid", lambda: 4242)
    cli.main(["experiment", "list"])  # through the CLI: the hook is wired where every command passes
    err = capsys.readouterr().err
    assert err.count("pertinent: note: the demo is running") == 1 and "source var/demo/env" in err
    for args, env in [(dict(command="serve"), {}), (dict(command="report"), {"PERTINENT_DATA_DIR": "x"}),
                      (dict(command="train", models="elsewhere"), {})]:
        demo_command.note_when_demo_runs(argparse.Namespace(**args), environ=env)
        assert capsys.readouterr().err == "", args
    monkeypatch.setattr(demo_command, "_running_pid", lambda: None)
    demo_command.note_when_demo_runs(argparse.Namespace(command="report"), environ={})
    assert capsys.readouterr().err == ""


DEMO_SH = REPO / "scripts" / "wp" / "demo.sh"
EVAL_PHP = REPO / "scripts" / "wp" / "eval.php"
SCREENSHOTS = REPO / "test-artifacts" / "demo"


def _demo_wp(tmp_path, command: str, wp_port: int) -> str:
    env = {**os.environ, "PERTINENT_DEMO_VAR": str(tmp_path / "var"), "PERTINENT_DEMO_WP_PORT": str(wp_port)}
    out = subprocess.run(["bash", str(DEMO_SH), command], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def _wp(tmp_path, code: str):
    out = subprocess.run(["php", str(EVAL_PHP), str(tmp_path / "var" / "demo-wp" / "site"), code],
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _screenshots(site: str, personalized: str) -> None:
    """The home page, a known reader's personalized page and the plugin's admin page, for a person to see."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, url in [("home", site + "/"), ("personalized", personalized)]:
                page.goto(url, timeout=120_000)
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            page.goto(site + "/wp-login.php")
            page.fill("#user_login", "admin")
            page.fill("#user_pass", "pertinent-demo")
            page.click("#wp-submit")
            page.wait_for_url("**/wp-admin/**", timeout=120_000)
            for name, path in [("admin-dashboard", "/wp-admin/admin.php?page=pertinent-dashboard"),
                               ("admin-settings", "/wp-admin/options-general.php?page=pertinent")]:
                page.goto(site + path, timeout=120_000)
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.wordpress
@pytest.mark.browser
def test_demo_wordpress_takes_the_ports_and_a_rerun_keeps_what_the_editor_did(tmp_path, monkeypatch, capsys):
    from tests.wordpress.harness import wordpress_available

    reason = wordpress_available()
    if reason:
        pytest.skip(reason)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERTINENT_API_KEY", raising=False)
    monkeypatch.delenv("PERTINENT_PUBLIC_KEY", raising=False)
    monkeypatch.setattr(demo_command, "train",
                        lambda models_dir, items: demo_command._train_popularity(models_dir))
    port, wp_port = free_port(), free_port()
    try:
        assert demo_command.start(port=port) == 0
        first = _demo_wp(tmp_path, "up", wp_port)
        assert f"http://127.0.0.1:{wp_port}/personalized/" in first
        assert f"pointed at the sidecar on http://127.0.0.1:{port}" in first
        assert _wp(tmp_path, "return pertinent_setting('sidecar_url');") == f"http://127.0.0.1:{port}"
        # The guide's "as a known reader" link renders the page for that visitor.
        link = next(w for w in first.split() if "pertinent_vid=" in w)
        visitor = link.split("pertinent_vid=")[1]
        assert len(visitor) >= 8
        page = requests.get(link, timeout=60)
        assert page.status_code == 200 and "Harbour Lane Digital" in page.text
        assert "Welcome to the demo site." not in page.text  # the hero slot was filled, not the default
        _screenshots(f"http://127.0.0.1:{wp_port}", link)

        # An editor writes a post and changes a setting; the demo is then started again on another port.
        post_id = _wp(tmp_path, "return wp_insert_post(array('post_title' => 'Our spring opening hours',"
                                " 'post_status' => 'publish', 'post_content' => 'Open late on Fridays.'));")
        _wp(tmp_path, "$s = get_option('pertinent_settings'); $s['timeout_ms'] = 900;"
                      " update_option('pertinent_settings', $s);"
                      " update_option('blogdescription', 'Since 2011'); return 1;")
        port = free_port()
        assert demo_command.start(port=port) == 0
        again = _demo_wp(tmp_path, "up", wp_port)
        assert "restarting the existing demo WordPress" in again
        assert _wp(tmp_path, f"return get_post_field('post_title', {post_id});") == "Our spring opening hours"
        assert _wp(tmp_path, "return pertinent_setting('timeout_ms');") == 900
        assert _wp(tmp_path, "return get_option('blogdescription');") == "Since 2011"
        assert _wp(tmp_path, "return pertinent_setting('sidecar_url');") == f"http://127.0.0.1:{port}"
        assert requests.get(f"http://127.0.0.1:{wp_port}/", timeout=60).status_code == 200
        # make stop keeps the files; a rebuild of the demo data starts the WordPress over.
        _demo_wp(tmp_path, "down", wp_port)
        assert (tmp_path / "var" / "demo-wp" / "site").is_dir()
        (tmp_path / "var" / "demo" / "build-id").write_text("rebuilt\n")
        rebuilt = _demo_wp(tmp_path, "up", wp_port)
        assert "starting the demo WordPress over" in rebuilt
        assert _wp(tmp_path, "return count(get_posts(array('title' => 'Our spring opening hours')));") == 0
        assert _wp(tmp_path, "return count(get_posts(array('numberposts' => -1)));") == 300
    finally:
        _demo_wp(tmp_path, "wipe", wp_port)
        demo_command.stop()
