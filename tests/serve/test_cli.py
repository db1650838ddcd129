"""The command line refuses to start on bad configuration, naming the variable, without a traceback."""
from __future__ import annotations

import os
import subprocess
import sys


def run_serve(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PERTINENT_")}
    clean.update({"PERTINENT_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run([sys.executable, "-m", "pertinent", "serve", "--port", "1", *args],
                          env=clean, capture_output=True, text=True, timeout=60)


def test_serve_refuses_to_start_without_an_api_key(tmp_path):
    result = run_serve(tmp_path)
    assert result.returncode == 2
    assert "PERTINENT_API_KEY" in result.stderr and "--insecure-dev-key" in result.stderr


def test_a_bad_variable_is_named_with_exit_2_and_no_traceback(tmp_path):
    result = run_serve(tmp_path, PERTINENT_API_KEY="k" * 20, PERTINENT_MAX_BODY_BYTES="lots")
    assert result.returncode == 2
    assert "PERTINENT_MAX_BODY_BYTES" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_store_url_is_named(tmp_path):
    result = run_serve(tmp_path, "--insecure-dev-key", PERTINENT_STORE_URL="mysql://db/x")
    assert result.returncode == 2
    assert "PERTINENT_STORE_URL" in result.stderr and "Traceback" not in result.stderr
    assert "development API key" in result.stdout
