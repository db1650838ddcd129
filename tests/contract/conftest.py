"""Contract harness fixtures: one fresh app per (store, auth mode), the schema it serves, and the
case counter whose summary lines the lead quotes (`contract: sqlite server-key 1234 cases, 0 failures`)."""
from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from pertinent import create_app
from pertinent.runtime import Runtime

from tests.api.conftest import ALLOWED, API_KEY, PUBLIC_KEY, make_config
from tests.support.services import postgres_schema

# The three callers the API knows: a server holding the API key, a browser on an allowed origin
# holding the public key, and an anonymous caller.
AUTH_HEADERS = {
    "server-key": {"Authorization": f"Bearer {API_KEY}"},
    "public-key": {"Authorization": f"Bearer {PUBLIC_KEY}", "Origin": ALLOWED},
    "no-key": {},
}

CASES: Counter = Counter()
FAILURES: Counter = Counter()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_name(request):
    return request.param


@pytest.fixture(scope="module", params=list(AUTH_HEADERS))
def auth_mode(request):
    return request.param


@pytest.fixture(scope="module")
def contract_store_url(store_name, auth_mode, tmp_path_factory):
    """A store nobody else wrote to: SQLite in a new folder, or a PostgreSQL schema of its own (dropped
    after)."""
    tmp = tmp_path_factory.mktemp(f"contract-{store_name}-{auth_mode}")
    if store_name == "sqlite":
        yield tmp, f"sqlite:///{tmp / 'data' / 'pertinent.db'}"
        return
    with postgres_schema("contract") as url:
        yield tmp, url


@pytest.fixture(scope="module")
def contract_app(contract_store_url, auth_mode):
    """A fresh app per (store, auth mode): generated data of one run cannot hide failures of the next.
    Rate limiting is off: thousands of cases from one client would otherwise all be 429s."""
    tmp, url = contract_store_url
    rt = Runtime.from_config(make_config(tmp, store_url=url, rate_limit="off"))
    app = create_app(rt.config, rt, test_config={"TESTING": True})
    yield app
    rt.close()


@pytest.fixture(scope="module")
def api_schema(contract_app):
    return schemathesis.openapi.from_wsgi("/openapi.json", contract_app)


def pytest_terminal_summary(terminalreporter):
    for key in sorted(CASES):
        store, auth = key
        terminalreporter.write_line(f"contract: {store} {auth} {CASES[key]} cases, {FAILURES[key]} failures")
