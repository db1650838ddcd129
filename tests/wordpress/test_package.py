"""The plugin zip a site owner uploads: one pertinent/ folder with main file, block, readme, uninstaller."""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from tests.wordpress.harness import REPO


def test_package_builds_an_uploadable_zip():
    script = REPO / "scripts" / "wp" / "package.sh"
    out = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=True).stdout
    out = out.strip().splitlines()[-1]
    names = set(zipfile.ZipFile(out).namelist())
    for required in ("pertinent/pertinent.php", "pertinent/uninstall.php", "pertinent/readme.txt",
                     "pertinent/blocks/slot/block.json", "pertinent/includes/sidecar-client.php",
                     "pertinent/languages/pertinent.pot"):
        assert required in names
    assert all(name.startswith("pertinent/") for name in names)
    assert Path(out).name.startswith("pertinent-")
