#!/usr/bin/env bash
# Debian packages for the WordPress and browser parts of the suite, installed only when missing.
# Nothing under /etc is configured by hand: WordPress runs from a copy under var/.
set -euo pipefail
pkgs=()
command -v php >/dev/null 2>&1 || pkgs+=(php-cli php-mysql php-curl php-xml php-mbstring php-sqlite3)
[ -d /usr/share/wordpress ] || pkgs+=(wordpress)
# A classic default theme for the WordPress tests and demo (the wordpress package ships none).
[ -d /usr/share/wordpress/wp-content/themes/twentytwentyone ] || pkgs+=(wordpress-theme-twentytwentyone)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || pkgs+=(mariadb-server)
# The zip extension: WordPress's personal-data export (Tools > Export Personal Data) writes a zip file.
php -m 2>/dev/null | grep -i '^zip$' >/dev/null || pkgs+=(php-zip)
command -v phpunit >/dev/null 2>&1 || pkgs+=(phpunit)
command -v phpcs >/dev/null 2>&1 || pkgs+=(php-codesniffer)  # scripts/phpcs.sh; the standards come from ../shared/tools/phpcs
command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)
command -v wrk >/dev/null 2>&1 || pkgs+=(wrk)  # the HTTP load generator of `make bench`
command -v docker-compose >/dev/null 2>&1 || pkgs+=(docker-compose)  # validates docker-compose.yml offline; no engine runs here
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "system-deps: installing ${pkgs[*]}"
  apt-get update -qq -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}" >/dev/null
fi
echo "system-deps: PHP $(php -r 'echo PHP_VERSION;'), $(chromium --version 2>/dev/null | head -n1), node $(node --version)"
