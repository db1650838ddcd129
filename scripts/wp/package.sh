#!/usr/bin/env bash
# Builds the installable plugin zip (what a site owner uploads in Plugins > Add New > Upload):
# var/dist/pertinent-VERSION.zip holding the pertinent/ folder.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(sed -n "s/^define( 'PERTINENT_VERSION', '\(.*\)' );/\1/p" "$repo/wp-plugin/pertinent/pertinent.php")"
out="$repo/var/dist/pertinent-$version.zip"
mkdir -p "$repo/var/dist"
rm -f "$out"
if [ ! -f "$repo/wp-plugin/pertinent/assets/js/pertinent.min.js" ]; then
  echo "package: warning: assets/js/pertinent.min.js is missing (build sdk/js first); browser mode will not load" >&2
fi
(cd "$repo/wp-plugin" && python3 -m zipfile -c "$out" pertinent)
echo "$out"
