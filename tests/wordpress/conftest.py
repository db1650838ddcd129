"""One WordPress (with the plugin active) and one real sidecar per test session, torn down at the end.

The WordPress tests run on Debian's WordPress 6.1 (the oldest the plugin supports). A test module that
sets `wordpress_versions = ALL_WORDPRESS` runs on every release in harness.WORDPRESS_RELEASES (6.1 and
7.1): its `wordpress` (and `healthy`) fixture is then one site per version, with ids like `[wp7.1]`."""
from __future__ import annotations

import pytest

from tests.wordpress.harness import (
    OLDEST_WORDPRESS,
    Sidecar,
    WordPressSite,
    seed_site,
    wait_for_rules,
    wordpress_available,
)


def pytest_generate_tests(metafunc):
    # Every test that needs a WordPress is parametrized (even by one version): a session fixture's cache key
    # is then always a version, so pytest groups the tests by version and stands up each site once.
    if "wordpress_version" in metafunc.fixturenames:
        versions = getattr(metafunc.module, "wordpress_versions", (OLDEST_WORDPRESS,))
        metafunc.parametrize("wordpress_version", versions, indirect=True, scope="session",
                             ids=[f"wp{v}" for v in versions])


@pytest.fixture(scope="session")
def wordpress_version(request):
    """The WordPress release of this test's site ("6.1", "7.1")."""
    return request.param


@pytest.fixture(scope="session")
def sidecar():
    """The real sidecar under gunicorn, for the whole session."""
    server = Sidecar().start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def wordpress(sidecar, wordpress_version):
    """A real WordPress pointed at the session's sidecar, seeded with posts, variants and a 3-slot page."""
    reason = wordpress_available(wordpress_version)
    if reason:
        pytest.skip(reason)
    site = WordPressSite(version=wordpress_version).up()
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
