"""The dashboard's 24-hour decision totals come from the sidecar's own counts, shared by its workers
through the cache, not from the admin's first visit."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pertinent.cache import open_cache
from pertinent.domain import Decision, SlotDecision
from pertinent.monitoring.traffic import TrafficCounter, window_totals

NOW = datetime(2026, 12, 2, 15, 30, tzinfo=timezone.utc)


def decision(source="model", fallback=None, cached=False):
    slot = SlotDecision(name="s", kind="recommendations", items=[], source=source, reason="",
                        fallback=fallback)
    return Decision(id="d", slots=[slot], model_version="v", cached=cached)


def test_two_workers_counts_add_up_in_the_window_and_old_hours_fall_out():
    cache = open_cache("memory://")
    clock = [0.0]
    first, second = TrafficCounter(clock=lambda: clock[0]), TrafficCounter(clock=lambda: clock[0])
    first.record(decision(), cache, NOW - timedelta(hours=25))  # outside the window
    first.record(decision("latest", "cold_start"), cache, NOW - timedelta(hours=3))
    second.record(decision(cached=True), cache, NOW)
    second.record(decision("default", "default_content"), cache, NOW)
    assert window_totals(cache, NOW)["decisions"] == 0  # nothing flushed yet: under FLUSH_SECONDS
    clock[0] = 10.0
    first.record(decision(), cache, NOW)
    second.flush(cache)
    totals = window_totals(cache, NOW)
    assert totals == {"window_hours": 24, "decisions": 4, "cached": 1,
                      "slots_by_source": {"default": 1, "latest": 1, "model": 2},
                      "fallbacks": {"cold_start": 1, "default_content": 1}}


def test_counts_a_failed_flush_could_not_write_are_kept_for_the_next(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    broken, working = open_cache(f"diskcache:///{blocker}/cache"), open_cache("memory://")
    counter = TrafficCounter(clock=lambda: 0.0)
    counter.record(decision(), broken, NOW)
    counter.flush(broken)
    counter.flush(working)
    assert window_totals(working, NOW)["decisions"] == 1



def test_the_report_states_the_window_and_the_fallbacks():
    from pertinent.report import _traffic_line

    line = _traffic_line({"window_hours": 24, "decisions": 1204, "cached": 602, "slots_by_source": {},
                          "fallbacks": {"cold_start": 12}})
    assert line == "traffic, last 24 h: 1,204 decisions (50% from cache); fallbacks: cold_start 12"
