"""Runs the plugin's PHPUnit suite (Debian's phpunit 9.6) against the session's real WordPress, so
`make test` covers the PHP side too."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.wordpress.harness import REPO

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]


def test_phpunit_suite_passes_against_the_real_wordpress(wordpress):
    env = dict(os.environ, WP_SITE=str(wordpress.site), WP_HOST=f"127.0.0.1:{wordpress.port}")
    proc = subprocess.run(["phpunit", "-c", str(REPO / "wp-plugin" / "phpunit.xml.dist")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    print(proc.stdout[-3000:])
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "OK (" in proc.stdout
