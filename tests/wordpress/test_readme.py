"""What the plugin declares to the WordPress.org plugin directory (readme.txt and the main file's headers)
follows the directory's readme rules and agrees with what the suite actually runs: "Requires at least" is
the oldest WordPress the tests stand up, "Tested up to" the newest, and the block's apiVersion is one the
oldest understands. A release bump that forgets one of them fails here."""
from __future__ import annotations

import json
import re

from tests.wordpress.harness import ALL_WORDPRESS, OLDEST_WORDPRESS, REPO

PLUGIN = REPO / "wp-plugin" / "pertinent"
# The directory's parser (wordpress.org/plugins/developers/readme-validator) requires these headers.
REQUIRED_HEADERS = ("Contributors", "Tags", "Requires at least", "Tested up to", "Requires PHP", "Stable tag",
                    "License", "License URI")
SHORT_DESCRIPTION_LIMIT = 150  # characters; the directory cuts the rest off
TAGS_LIMIT = 5  # the directory shows (and indexes) only the first five
# The WordPress version that introduced each block.json apiVersion.
BLOCK_API_SINCE = {1: "5.0", 2: "5.6", 3: "6.3"}


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def readme() -> tuple[str, dict[str, str], str]:
    """The readme's plugin name, its header fields, and its short description (the first paragraph)."""
    text = (PLUGIN / "readme.txt").read_text(encoding="utf-8")
    name = re.match(r"=== (.+?) ===\n", text)
    assert name, "readme.txt must start with '=== Plugin Name ==='"
    head, _, rest = text[name.end():].partition("\n\n")
    fields = dict(line.split(":", 1) for line in head.splitlines() if ":" in line)
    short = rest.split("\n\n", 1)[0].strip()
    return name.group(1), {k.strip(): v.strip() for k, v in fields.items()}, short


def plugin_headers() -> dict[str, str]:
    """The header fields of the main plugin file's first docblock."""
    text = (PLUGIN / "pertinent.php").read_text(encoding="utf-8")
    block = text[text.index("/**"): text.index("*/")]
    fields = re.findall(r"^\s*\*\s*([A-Z][A-Za-z ]+):\s*(.+)$", block, re.M)
    return {k.strip(): v.strip() for k, v in fields}


def test_readme_has_every_header_the_directory_requires():
    name, fields, _ = readme()
    missing = [h for h in REQUIRED_HEADERS if not fields.get(h)]
    assert not missing, f"readme.txt lacks {missing}"
    assert name == plugin_headers()["Plugin Name"]
    assert len([t for t in fields["Tags"].split(",") if t.strip()]) <= TAGS_LIMIT


def test_short_description_fits_the_directory_limit():
    _, _, short = readme()
    assert short and not short.startswith("=="), "the short description is the paragraph after the headers"
    assert len(short) <= SHORT_DESCRIPTION_LIMIT, f"{len(short)} characters: {short}"


def test_stable_tag_is_the_plugin_version():
    _, fields, _ = readme()
    version = plugin_headers()["Version"]
    assert fields["Stable tag"] == version
    main = (PLUGIN / "pertinent.php").read_text(encoding="utf-8")
    assert f"define( 'PERTINENT_VERSION', '{version}' );" in main


def test_declared_versions_are_the_ones_the_suite_runs():
    _, fields, _ = readme()
    headers = plugin_headers()
    # "Tested up to" is major.minor, the newest WordPress the page and PHPUnit tests run on.
    assert fields["Tested up to"] == max(ALL_WORDPRESS, key=version_tuple)
    assert fields["Requires at least"] == headers["Requires at least"] == OLDEST_WORDPRESS
    assert fields["Requires PHP"] == headers["Requires PHP"]
    # The activation check refuses older versions with these constants: the same numbers.
    main = (PLUGIN / "pertinent.php").read_text(encoding="utf-8")
    assert f"define( 'PERTINENT_MIN_WP', '{OLDEST_WORDPRESS}' );" in main
    assert f"define( 'PERTINENT_MIN_PHP', '{headers['Requires PHP']}' );" in main


def test_block_api_version_works_on_the_oldest_supported_wordpress():
    block = json.loads((PLUGIN / "blocks" / "slot" / "block.json").read_text(encoding="utf-8"))
    since = BLOCK_API_SINCE[block["apiVersion"]]
    assert version_tuple(since) <= version_tuple(OLDEST_WORDPRESS), (
        f"apiVersion {block['apiVersion']} needs WordPress {since}; the plugin requires {OLDEST_WORDPRESS}")
