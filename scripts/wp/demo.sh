#!/usr/bin/env bash
# The demo WordPress on 127.0.0.1:$PERTINENT_DEMO_WP_PORT (default 8080), pointed at the demo sidecar that
# `pertinent demo` started (its URL comes from var/demo/env), with the demo catalog imported and a page with
# three slots. Skips cleanly without PHP.
#   demo.sh up     stand it up (after `pertinent demo`) and print the URLs and the admin login; when the site
#                  exists it is restarted as it is (the editor's posts, variants and settings stay), unless
#                  `pertinent demo --rebuild` rebuilt the demo data since (var/demo/build-id changed)
#   demo.sh down   stop it, keeping var/demo-wp
#   demo.sh wipe   stop it and remove var/demo-wp
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
var="${PERTINENT_DEMO_VAR:-$repo/var}"  # tests run a demo in a folder of their own
dir="$var/demo-wp"
port="${PERTINENT_DEMO_WP_PORT:-8080}"
csv="$var/demo/content.csv"
env_file="$var/demo/env"
build_file="$var/demo/build-id"

have_wordpress() {
  command -v php >/dev/null 2>&1 || return 1
  # grep reads all of php's output: with -q it exits at the match and php, writing on, fails with pipefail.
  php -m 2>/dev/null | grep -i '^mysqli$' >/dev/null || return 1
  [ -f /usr/share/wordpress/wp-load.php ] || return 1
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]
}

wp_eval() {
  php "$here/eval.php" "$dir/site" "$1" >/dev/null
}

up() {
  if ! have_wordpress; then
    echo "demo: skipping WordPress (PHP, MariaDB or Debian's wordpress package is missing; run 'make system-deps')"
    return 0
  fi
  if [ ! -f "$csv" ] || [ ! -f "$env_file" ]; then
    echo "demo: skipping WordPress ($csv or $env_file is missing: run 'pertinent demo' first)"
    return 0
  fi
  # The running demo sidecar's URL and keys, and the visitor whose page the guide shows.
  # shellcheck disable=SC1090
  . "$env_file"
  local sidecar="$PERTINENT_DEMO_SIDECAR" build
  build="$(cat "$build_file" 2>/dev/null || echo none)"
  down >/dev/null 2>&1 || true
  if [ -d "$dir/site" ] && [ "$(cat "$dir/build-id" 2>/dev/null || echo none)" != "$build" ]; then
    echo "demo: the demo data was rebuilt: starting the demo WordPress over"
    wipe >/dev/null
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: skipping WordPress (port $port is in use; use make demo WP_PORT=...)"
    return 0
  fi
  local fresh=1
  if [ -d "$dir/site" ]; then
    fresh=0
    echo "demo: restarting the existing demo WordPress on 127.0.0.1:$port (its posts, variants and settings stay;"
    echo "      make demo REBUILD=1 starts over) ..."
  else
    echo "demo: starting WordPress on 127.0.0.1:$port (about 15 s) ..."
  fi
  if [ "$fresh" = 1 ]; then
    WP_ADMIN_PASSWORD="${PERTINENT_DEMO_WP_PASSWORD:-pertinent-demo}" bash "$here/site.sh" up "$dir" "$port" >/dev/null
  else
    bash "$here/site.sh" start "$dir" "$port" >/dev/null  # no install step: theme, tagline, options stay
  fi
  # ?pertinent_vid=... on any page shows that visitor's page (a demo-only must-use plugin).
  mkdir -p "$dir/site/wp-content/mu-plugins"
  cp "$here/demo-visitor.php" "$dir/site/wp-content/mu-plugins/pertinent-demo-visitor.php"
  if [ "$fresh" = 1 ]; then
    # 400 ms, not the plugin's 150: the demo runs on a developer's machine, often while it trains or tests,
    # and a demo that shows its fallbacks looks broken (the 150 ms budget is measured in bench/).
    wp_eval "update_option('pertinent_settings', array('sidecar_url' => '$sidecar',
      'api_key' => '$PERTINENT_API_KEY', 'public_key' => '$PERTINENT_PUBLIC_KEY', 'render_mode' => 'server',
      'timeout_ms' => 400)); pertinent_breaker_reset();"
  else
    # Only where the sidecar runs now (another PORT, maybe): every other setting is the editor's.
    wp_eval "\$s = (array) get_option('pertinent_settings', array()); \$s['sidecar_url'] = '$sidecar';
      update_option('pertinent_settings', \$s); pertinent_breaker_reset();"
  fi
  local imported
  imported="$(PERTINENT_DEMO_CSV="$csv" WP_HOST="127.0.0.1:$port" php "$here/eval.php" "$dir/site" - \
    <"$here/demo-import.php" | tail -n1)"
  echo "$build" >"$dir/build-id"
  # shellcheck disable=SC1091
  . "$dir/site.env"
  cat <<TXT
demo: WordPress is up ($imported), pointed at the sidecar on $sidecar
  site:                 $WP_URL/
  page with 3 slots:    $WP_URL/personalized/
  as a known reader:    $WP_URL/personalized/?pertinent_vid=$PERTINENT_DEMO_VISITOR
  same, spring campaign $WP_URL/personalized/?utm_campaign=spring
  REST proxy:           $WP_URL/wp-json/pertinent/v1/decide
  admin:                $WP_URL/wp-admin/  (user $WP_ADMIN_USER, password $WP_ADMIN_PASSWORD)
  plugin settings:      $WP_URL/wp-admin/options-general.php?page=pertinent
TXT
}

down() {
  if [ -d "$dir" ]; then
    KEEP=1 bash "$here/site.sh" down "$dir"
    echo "demo: WordPress stopped (var/demo-wp kept: make demo restarts it as it was)"
  fi
}

wipe() {
  if [ -d "$dir" ]; then
    bash "$here/site.sh" down "$dir"
    echo "demo: WordPress stopped and var/demo-wp removed"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  wipe) wipe ;;
  *) echo "usage: demo.sh up|down|wipe" >&2; exit 2 ;;
esac
