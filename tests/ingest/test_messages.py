"""The events URL and the message format, without a server: what the stream carries and how it is named."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from pertinent.config import load_config
from pertinent.domain import Event
from pertinent.errors import ConfigError
from pertinent.ingest import messages
from pertinent.ingest.url import parse_events_url

T0 = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def _events(n: int, path_len: int = 10) -> list[Event]:
    return [Event(type="view", visitor_id=f"v{i}", timestamp=T0 + timedelta(microseconds=i), content_id="p1",
                  session_id="s1", value=1.5, device="mobile", url_path="/" + "x" * path_len)
            for i in range(n)]


def test_the_url_names_servers_and_stream():
    target = parse_events_url("nats://user:secret@a.example:4222,b.example:4223/pertinent-events")
    assert target.servers == ("nats://user:secret@a.example:4222", "nats://user:secret@b.example:4223")
    assert (target.stream, target.subject) == ("pertinent-events", "pertinent-events.events")
    assert "secret" not in target.redacted and "a.example:4222,b.example:4223" in target.redacted


@pytest.mark.parametrize("url, says", [
    ("http://127.0.0.1:4222/s", "expected nats://HOST:PORT/STREAM"),
    ("nats://127.0.0.1:4222", "stream name ''"),
    ("nats://127.0.0.1:4222/a.b", "stream name 'a.b'"),
    ("nats://u:hunter2@127.0.0.1:4222/a b", "stream name"),
])
def test_a_bad_url_is_a_configuration_error_naming_the_setting(url, says):
    with pytest.raises(ConfigError, match="PERTINENT_EVENTS_URL") as caught:
        load_config(env={"PERTINENT_EVENTS_URL": url})
    assert says in str(caught.value) and "hunter2" not in str(caught.value)


def test_events_round_trip_through_a_message_with_ids_from_its_content():
    evs = _events(5)
    [message] = messages.encode(evs, 1 << 20)
    decoded = messages.decode(message.payload)
    assert [e for _, e in decoded] == evs
    assert [i for i, _ in decoded] == [f"{message.id}.{n}" for n in range(5)]
    assert messages.encode(evs, 1 << 20)[0].id == message.id  # the same batch again: the same ids
    assert messages.encode(_events(6)[1:], 1 << 20)[0].id != message.id


def test_a_batch_over_the_payload_limit_is_split_in_order_with_each_message_under_it():
    evs = _events(300, path_len=900)
    limit = 64 * 1024
    batch = messages.encode(evs, limit)
    assert len(batch) > 1 and all(len(m.payload) <= limit - messages.HEADROOM_BYTES for m in batch)
    assert [e for m in batch for _, e in messages.decode(m.payload)] == evs
    assert len({m.id for m in batch}) == len(batch)


@pytest.mark.parametrize("payload", [b"{not json", b"[]", b'{"v": 99, "events": []}',
                                     json.dumps({"v": 1, "events": [{"type": "view"}]}).encode(),
                                     json.dumps({"v": 1, "events": [5]}).encode()])
def test_what_is_not_an_event_batch_of_ours_is_a_bad_message(payload):
    with pytest.raises(messages.BadMessage):
        messages.decode(payload)


def test_ingest_without_the_setting_says_what_is_missing(monkeypatch, tmp_path, capsys):
    from pertinent.cli import main

    monkeypatch.delenv("PERTINENT_EVENTS_URL", raising=False)
    monkeypatch.setenv("PERTINENT_DATA_DIR", str(tmp_path))
    assert main(["ingest"]) == 2
    err = capsys.readouterr().err
    assert "PERTINENT_EVENTS_URL is not set" in err and "Traceback" not in err


def test_the_setting_without_the_nats_client_installed_is_refused_at_start(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nats" else real(name, *a))
    with pytest.raises(ConfigError, match=r"pip install 'pertinent\[stream\]'"):
        load_config(env={"PERTINENT_EVENTS_URL": "nats://127.0.0.1:4222/pertinent-events"})
    assert load_config(env={}).events_url == ""  # without the setting nothing needs it
