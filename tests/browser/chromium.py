"""Debian's Chromium under Playwright (Playwright's own browser download is not used)."""
from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(playwright):
    """A headless Chromium; fails with the fix when the system package is missing."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make system-deps` (Debian's chromium package)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
