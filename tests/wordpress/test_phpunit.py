"""Runs the plugin's PHPUnit suite (Debian's phpunit 9.6) against the session's real WordPress, so
`make test` covers the PHP side too."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.wordpress.harness import ALL_WORDPRESS, REPO

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]
# The oldest and the newest WordPress (conftest.py): the same pages, the same PHPUnit suite.
wordpress_versions = ALL_WORDPRESS


def test_phpunit_suite_passes_against_the_real_wordpress(wordpress):
    env = dict(os.environ, WP_SITE=str(wordpress.site), WP_HOST=f"127.0.0.1:{wordpress.port}")
    proc = subprocess.run(["phpunit", "-c", str(REPO / "wp-plugin" / "phpunit.xml.dist")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    print(proc.stdout[-3000:])
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "OK (" in proc.stdout
