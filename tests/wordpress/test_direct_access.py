"""Every PHP file of the plugin refuses to run when requested directly (outside WordPress): its first
statement after the file docblock is the ABSPATH guard (the uninstaller's is WP_UNINSTALL_PLUGIN).
A file that ran its code on a direct request could print paths or errors to anyone."""
from __future__ import annotations

import re

import pytest

from tests.wordpress.harness import REPO

PLUGIN = REPO / "wp-plugin" / "pertinent"
GUARDS = {
    "uninstall.php": r"if \( ! defined\( 'WP_UNINSTALL_PLUGIN' \) \) \{\s*exit;",
}
ABSPATH_GUARD = r"(if \( ! defined\( 'ABSPATH' \) \) \{\s*exit;|defined\( 'ABSPATH' \) \|\| exit;)"


def first_statement(php: str) -> str:
    """The code after `<?php` (and its same-line comment) and the file docblock."""
    code = re.sub(r"^<\?php[^\n]*\n", "", php, count=1)
    code = re.sub(r"^\s*/\*\*.*?\*/", "", code, count=1, flags=re.S)
    code = re.sub(r"^(\s*//[^\n]*\n)+", "", code)  # a comment saying why the guard is there
    return code.lstrip()


@pytest.mark.parametrize("path", sorted(PLUGIN.rglob("*.php")), ids=lambda p: str(p.relative_to(PLUGIN)))
def test_php_file_starts_with_its_direct_access_guard(path):
    guard = GUARDS.get(str(path.relative_to(PLUGIN)), ABSPATH_GUARD)
    assert re.match(guard, first_statement(path.read_text(encoding="utf-8"))), f"{path} lacks {guard}"
