#!/usr/bin/env bash
# php -l and the coding standards (scripts/phpcs.sh) over the plugin, node --check over the snippet sources.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d wp-plugin ] && find wp-plugin -name '*.php' | grep . >/dev/null; then
  find wp-plugin -name '*.php' -print0 | xargs -0 -n1 php -l >/dev/null
  echo "lint: php -l passed on $(find wp-plugin -name '*.php' | wc -l) files"
  bash scripts/phpcs.sh
fi
if [ -f sdk/js/package-lock.json ]; then
  # The snippet's build and size tests need terser (a dev dependency): `npm ci` only when the lock is newer.
  if [ ! -f sdk/js/node_modules/.package-lock.json ] || [ sdk/js/package-lock.json -nt sdk/js/node_modules/.package-lock.json ]; then
    (cd sdk/js && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
if [ -d sdk/js/src ] && find sdk/js/src -name '*.js' | grep . >/dev/null; then
  for f in $(find sdk/js/src sdk/js/test -name '*.js' 2>/dev/null); do node --check "$f"; done
  echo "lint: node --check passed"
fi
