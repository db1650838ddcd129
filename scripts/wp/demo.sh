#!/usr/bin/env bash
# The demo WordPress on 127.0.0.1:8080, pointed at the demo sidecar (127.0.0.1:8000) that `pertinent demo`
# started, with the demo catalog imported and a page with three slots. Skips cleanly without PHP.
#   demo.sh up     stand it up (after `pertinent demo`) and print the URLs and the admin login
#   demo.sh down   stop it and remove var/demo-wp
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dir="$repo/var/demo-wp"
port="${PERTINENT_DEMO_WP_PORT:-8080}"
sidecar="${PERTINENT_DEMO_SIDECAR:-http://127.0.0.1:8000}"
# The demo sidecar's keys (fixed in `pertinent demo` unless the environment sets them).
api_key="${PERTINENT_API_KEY:-demo-server-key-change-me}"
public_key="${PERTINENT_PUBLIC_KEY:-demo-public-key}"
csv="$repo/var/demo/content.csv"

have_wordpress() {
  command -v php >/dev/null 2>&1 || return 1
  # grep reads all of php's output: with -q it exits at the match and php, writing on, fails with pipefail.
  php -m 2>/dev/null | grep -i '^mysqli$' >/dev/null || return 1
  [ -f /usr/share/wordpress/wp-load.php ] || return 1
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]
}

up() {
  if ! have_wordpress; then
    echo "demo: skipping WordPress (PHP, MariaDB or Debian's wordpress package is missing; run 'make system-deps')"
    return 0
  fi
  if [ ! -f "$csv" ]; then
    echo "demo: skipping WordPress ($csv is missing: run 'pertinent demo' first)"
    return 0
  fi
  down >/dev/null 2>&1 || true
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: skipping WordPress (port $port is in use; set PERTINENT_DEMO_WP_PORT)"
    return 0
  fi
  echo "demo: starting WordPress on 127.0.0.1:$port (about 15 s) ..."
  WP_ADMIN_PASSWORD="${PERTINENT_DEMO_WP_PASSWORD:-pertinent-demo}" bash "$here/site.sh" up "$dir" "$port" >/dev/null
  php "$here/eval.php" "$dir/site" "update_option('pertinent_settings', array('sidecar_url' => '$sidecar',
    'api_key' => '$api_key', 'public_key' => '$public_key', 'render_mode' => 'server', 'timeout_ms' => 150));" \
    >/dev/null
  local imported
  imported="$(PERTINENT_DEMO_CSV="$csv" WP_HOST="127.0.0.1:$port" php "$here/eval.php" "$dir/site" - \
    <"$here/demo-import.php" | tail -n1)"
  # shellcheck disable=SC1091
  . "$dir/site.env"
  cat <<TXT
demo: WordPress is up ($imported)
  site:                 $WP_URL/
  page with 3 slots:    $WP_URL/personalized/
  same, spring campaign $WP_URL/personalized/?utm_campaign=spring
  REST proxy:           $WP_URL/wp-json/pertinent/v1/decide
  admin:                $WP_URL/wp-admin/  (user $WP_ADMIN_USER, password $WP_ADMIN_PASSWORD)
  plugin settings:      $WP_URL/wp-admin/options-general.php?page=pertinent
TXT
}

down() {
  if [ -d "$dir" ]; then
    bash "$here/site.sh" down "$dir"
    echo "demo: WordPress stopped"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: demo.sh up|down" >&2; exit 2 ;;
esac
