#!/usr/bin/env bash
# The plugin's coding-standard checks (issue 11): its own ruleset (wp-plugin/phpcs.xml.dist: WPCS 3 plus
# PHPCompatibilityWP, plugin and tests), WordPress-Extra over the plugin, and PHPCompatibilityWP for PHP 7.4+.
# Zero errors and zero warnings, or it fails. The standards are the releases in ../shared/tools/phpcs (beside
# the clone, wherever it is); phpcs itself is Debian's php-codesniffer (scripts/system-deps.sh).
# Extra arguments go to every phpcs call (e.g. --report=summary).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
standards="$(cd "$repo/.." && pwd)/shared/tools/phpcs"

if ! command -v phpcs >/dev/null 2>&1; then
  echo "phpcs: phpcs is not installed; run 'make system-deps' (Debian's php-codesniffer)" >&2
  exit 1
fi
paths=""
for standard in wpcs phpcsutils phpcsextra phpcompatibility phpcompatibility-wp phpcompatibility-paragonie; do
  if [ ! -d "$standards/$standard" ]; then
    echo "phpcs: coding standard '$standard' not found in $standards; the repository must have ../shared/tools/phpcs beside it" >&2
    exit 1
  fi
  paths="${paths:+$paths,}$standards/$standard"
done

phpcs=(phpcs -q --runtime-set installed_paths "$paths")
(cd "$repo/wp-plugin" && "${phpcs[@]}" --standard=phpcs.xml.dist "$@")
"${phpcs[@]}" --extensions=php --standard=WordPress-Extra "$@" "$repo/wp-plugin/pertinent"
"${phpcs[@]}" --extensions=php --standard=PHPCompatibilityWP --runtime-set testVersion 7.4- "$@" "$repo/wp-plugin/pertinent"
echo "phpcs: wp-plugin passes phpcs.xml.dist, WordPress-Extra and PHPCompatibilityWP (PHP 7.4+): 0 errors, 0 warnings"
