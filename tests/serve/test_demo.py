"""`pertinent demo`: builds the demo site, starts a sidecar whose printed curl lines work, stops it."""
from __future__ import annotations

import shlex
import subprocess

import pytest
from pertinent import demo_command

from tests.support.net import free_port


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
        # Running it again restarts cleanly on the data already built.
        assert demo_command.start(port=port) == 0
        assert "reusing var/demo" in capsys.readouterr().out
    finally:
        demo_command.stop()
    assert not (tmp_path / "var" / "pertinent-demo.pid").exists()
