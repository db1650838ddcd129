"""Test connection names what is wrong, checked against the real sidecar: the URL, the key, or the
model. Calling /readyz alone said all was well with a wrong key."""
from __future__ import annotations

import pytest

from tests.support.net import free_port

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

CHECK = "return pertinent_connection_check();"


def test_a_right_url_and_key_with_a_live_model_is_ok(healthy, sidecar):
    got = healthy.php(CHECK)
    if got["model_version"] == "":  # the suite's sidecar may not have a set yet: that is the model case
        assert got["problem"] == "model" and "no model set is live" in got["message"]
    else:
        assert got["ok"] and got["problem"] == "" and sidecar.url in got["message"]


def test_a_wrong_key_is_named_as_the_key(healthy, sidecar):
    healthy.configure(api_key="not-the-servers-key-0123456789")
    try:
        got = healthy.php(CHECK)
    finally:
        healthy.configure(api_key=sidecar.api_key)
    assert got["ok"] is False and got["problem"] == "key"
    assert "refused the API key (HTTP 401)" in got["message"] and "server key" in got["message"]


def test_an_address_where_no_sidecar_listens_is_named_as_the_url(healthy, sidecar):
    url = f"http://127.0.0.1:{free_port()}"
    healthy.configure(sidecar_url=url)
    try:
        got = healthy.php(CHECK)
    finally:
        healthy.configure(sidecar_url=sidecar.url)
    assert got["ok"] is False and got["problem"] == "url" and url in got["message"]
