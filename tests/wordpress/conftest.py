"""One WordPress (with the plugin active) and one real sidecar per test session, torn down at the end."""
from __future__ import annotations

import pytest

from tests.wordpress.harness import Sidecar, WordPressSite, seed_site, wait_for_rules, wordpress_available


@pytest.fixture(scope="session")
def sidecar():
    """The real sidecar under gunicorn, for the whole session."""
    server = Sidecar().start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def wordpress(sidecar):
    """A real WordPress pointed at the session's sidecar, seeded with posts, variants and a 3-slot page."""
    reason = wordpress_available()
    if reason:
        pytest.skip(reason)
    site = WordPressSite().up()
    try:
        site.configure(sidecar_url=sidecar.url, api_key=sidecar.api_key, public_key=sidecar.public_key,
                       render_mode="server", timeout_ms=150, breaker_threshold=3, breaker_cooldown=30)
        site.seed = seed_site(site)
        wait_for_rules(sidecar, site.seed["banner"])
        yield site
    finally:
        site.down()


@pytest.fixture
def healthy(wordpress, sidecar):
    """The site pointed at the real sidecar with a closed circuit; restored after the test.

    The timeout is generous here: these tests check what is rendered, on a 2-core machine shared with other
    suites; the 150 ms budget itself is exercised by the hung-sidecar test and measured in bench/."""
    wordpress.configure(sidecar_url=sidecar.url, api_key=sidecar.api_key, render_mode="server",
                        timeout_ms=2000, breaker_threshold=3, breaker_cooldown=30)
    yield wordpress
    wordpress.configure(sidecar_url=sidecar.url, api_key=sidecar.api_key, render_mode="server",
                        timeout_ms=150, breaker_threshold=3, breaker_cooldown=30)
