#!/usr/bin/env bash
# A throwaway WordPress with the Pertinent plugin, entirely under one folder (nothing under /etc changes):
# a private MariaDB (own data dir, unix socket only: no port to collide on), a copy of Debian's WordPress,
# wp-config.php, install + plugin activation, and `php -S` with a router.
#   site.sh up DIR PORT     stand it up; writes DIR/site.env (WP_URL, WP_SITE, admin login)
#   site.sh serve DIR PORT  (re)start only the web server
#   site.sh start DIR PORT  restart a site made by `up` as it is (no install step: its theme and options stay)
#   site.sh down DIR        stop everything started from DIR and remove DIR (KEEP=1 keeps the files)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cmd="${1:?usage: site.sh up|serve|down DIR [PORT]}"
dir="${2:?usage: site.sh up|serve|down DIR [PORT]}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
site="$dir/site"
sock="$dir/mysqld.sock"

db_up() {
  if [ ! -d "$dir/db" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/db" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/db-install.log" 2>&1 || { cat "$dir/db-install.log" >&2; exit 1; }
  fi
  setsid mariadbd --no-defaults --user=root --datadir="$dir/db" --socket="$sock" --skip-networking \
    --pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.err" --innodb-buffer-pool-size=32M \
    --innodb-log-file-size=16M --performance-schema=OFF >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    mariadb --no-defaults -S "$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.1
  done
  mariadb --no-defaults -S "$sock" -uroot -e 'SELECT 1' >/dev/null || { cat "$dir/mysqld.err" >&2; exit 1; }
  mariadb --no-defaults -S "$sock" -uroot -e "CREATE DATABASE IF NOT EXISTS wordpress;
    CREATE USER IF NOT EXISTS 'wp'@'localhost' IDENTIFIED BY 'wp';
    GRANT ALL ON wordpress.* TO 'wp'@'localhost';"
}

write_config() {
  local url="$1"
  local salts
  salts="$(php -r 'foreach (["AUTH_KEY","SECURE_AUTH_KEY","LOGGED_IN_KEY","NONCE_KEY","AUTH_SALT","SECURE_AUTH_SALT","LOGGED_IN_SALT","NONCE_SALT"] as $k) printf("define(%s, %s);\n", var_export($k, true), var_export(bin2hex(random_bytes(32)), true));')"
  cat >"$site/wp-config.php" <<PHP
<?php
// Written by scripts/wp/site.sh for a throwaway site.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', 'localhost:$sock' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$salts
\$table_prefix = 'wp_';
define( 'WP_HOME', '$url' );
define( 'WP_SITEURL', '$url' );
// Cron runs only when a test or the demo asks (a due cron task would otherwise slow a measured page).
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$dir/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
@ini_set( 'display_errors', '0' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
}

serve() {
  local port="$1"
  stop_server
  # OPcache on, as on any production PHP (the CLI leaves it off by default); timestamps are still checked,
  # so edits to the linked plugin show up within a second.
  PHP_CLI_SERVER_WORKERS="${WP_WORKERS:-4}" setsid php -d display_errors=0 -d opcache.enable_cli=1 \
    -d opcache.revalidate_freq=0 -S "127.0.0.1:$port" -t "$site" "$here/router.php" >"$dir/php-server.log" 2>&1 &
  echo $! >"$dir/php-server.pid"
  for _ in $(seq 1 100); do
    # bash's /dev/tcp: no curl needed on a minimal machine.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "site.sh: php -S did not answer on $port" >&2
  cat "$dir/php-server.log" >&2
  exit 1
}

stop_server() {
  if [ -f "$dir/php-server.pid" ]; then
    # php -S workers are children of the parent: stop the whole process group (setsid made it ours).
    kill -TERM -- "-$(cat "$dir/php-server.pid")" 2>/dev/null || true
    rm -f "$dir/php-server.pid"
  fi
}

up() {
  local port="${1:?PORT}"
  local url="http://127.0.0.1:$port"
  local password="${WP_ADMIN_PASSWORD:-$(php -r 'echo bin2hex(random_bytes(8));')}"
  db_up
  if [ ! -d "$site" ]; then
    # WP_SOURCE: another unpacked release (the suite's newest WordPress); Debian's package by default.
    cp -rL "${WP_SOURCE:-/usr/share/wordpress}" "$site"
    rm -f "$site/.htaccess"
    # The plugin is linked, not copied: tests and the demo run the working tree's code.
    ln -sfn "$repo/wp-plugin/pertinent" "$site/wp-content/plugins/pertinent"
    mkdir -p "$site/wp-content/uploads"
  fi
  write_config "$url"
  php "$here/install.php" "$site" "$url" "$password" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  cat >"$dir/site.env" <<ENV
WP_URL=$url
WP_SITE=$site
WP_ADMIN_USER=admin
WP_ADMIN_PASSWORD=$password
ENV
  serve "$port"
  echo "site.sh: WordPress at $url (admin / $password)"
}

start() {
  local port="${1:?PORT}"
  local url="http://127.0.0.1:$port"
  db_up
  write_config "$url"
  sed -i "s|^WP_URL=.*|WP_URL=$url|" "$dir/site.env"
  serve "$port"
  echo "site.sh: WordPress at $url"
}

down() {
  stop_server
  if [ -f "$dir/mysqld.pid" ]; then
    local pid
    pid="$(cat "$dir/mysqld.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "${KEEP:-0}" != "1" ]; then
    rm -rf "$dir"
  fi
}

case "$cmd" in
  up) up "${3:-}" ;;
  serve) serve "${3:?PORT}" ;;
  start) start "${3:?PORT}" ;;
  down) down ;;
  *) echo "usage: site.sh up|serve|start|down DIR [PORT]" >&2; exit 2 ;;
esac
