"""No database write on a page view: healthy sidecar, failing sidecar (breaker counting), open circuit,
browser mode and the REST proxy (rate limit counting) all leave MariaDB's write counters unchanged."""
from __future__ import annotations

import subprocess

import pytest
import requests

from tests.support.net import free_port

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

WRITES = ("Com_insert", "Com_update", "Com_delete", "Com_replace", "Com_insert_select", "Com_delete_multi",
          "Com_update_multi")


def db_writes(site) -> int:
    """Write statements the private MariaDB has executed so far."""
    names = ",".join(f"'{name}'" for name in WRITES)
    out = subprocess.run(
        ["mariadb", "--no-defaults", "-S", str(site.root / "mysqld.sock"), "-uroot", "-N", "-e",
         f"SHOW GLOBAL STATUS WHERE Variable_name IN ({names})"],
        capture_output=True, text=True, check=True).stdout
    return sum(int(line.split()[1]) for line in out.splitlines() if line.strip())


def test_page_views_and_proxy_calls_never_write_the_database(healthy):
    slots_body = {"slots": [{"name": "hero", "kind": "banner"}]}
    scenarios = {
        "healthy sidecar": {},
        "failing sidecar, then open circuit": {"sidecar_url": f"http://127.0.0.1:{free_port()}"},
        "browser mode": {"render_mode": "browser"},
    }
    for name, settings in scenarios.items():
        if settings:
            healthy.configure(**settings)
        healthy.get("/three-slots/?utm_campaign=spring")  # first view after a settings change may warm caches
        before = db_writes(healthy)
        for _ in range(5):
            assert healthy.get("/three-slots/?utm_campaign=spring").status_code == 200
            assert requests.post(healthy.url + "/wp-json/pertinent/v1/decide", json=slots_body,
                                 timeout=30).status_code == 200
        assert db_writes(healthy) == before, f"{name}: a page view or proxy call wrote to the database"
