"""The snippet's own unit tests (Node's built-in runner), its build freshness and its size budget."""
from __future__ import annotations

import gzip
import shutil
import subprocess

import pytest


def test_snippet_unit_tests_pass_under_node(repo_root):
    """Runs sdk/js/test/*.test.js: config, storage, consent, decide, render, events, tracker, slots, build."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make system-deps`")
    js = repo_root / "sdk" / "js"
    if not (js / "node_modules" / "terser").is_dir():
        # `make lint` normally did this; `make test-fast` skips lint, so install the locked dev tools here.
        npm = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=js,
                             capture_output=True, text=True, timeout=300)
        assert npm.returncode == 0, "npm ci in sdk/js failed:\n" + npm.stdout[-2000:] + npm.stderr[-2000:]
    tests = sorted(str(p.relative_to(js)) for p in (js / "test").glob("*.test.js"))
    assert tests, "no snippet tests found"
    run = subprocess.run([node, "--test", *tests], cwd=js, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


PARTS = ("pertinent.min.js", "pertinent-slots.min.js")


@pytest.mark.parametrize("name", PARTS)
def test_the_plugin_ships_the_built_parts(repo_root, name):
    """The WordPress plugin's copies are the very files sdk/js built (node's test checks they are fresh)."""
    shipped = (repo_root / "wp-plugin" / "pertinent" / "assets" / "js" / name).read_bytes()
    assert shipped == (repo_root / "sdk" / "js" / "dist" / name).read_bytes()


def test_what_every_page_loads_is_under_3_kb_gzipped(repo_root):
    """The size budget by the gzip most people measure with (Node's zlib answers a few bytes smaller).
    Every page loads the tracker; the slots part only where there are slots."""
    tracker = (repo_root / "sdk" / "js" / "dist" / "pertinent.min.js").read_bytes()
    size = len(gzip.compress(tracker, compresslevel=9))
    assert size < 3000, f"{size} bytes gzipped"
