"""Decide-request parse time (guard + model), timeit over a realistic body.

Run `PYTHONPATH=sidecar python tests/api/decide_parse_timing.py`.

Not a test (no timing assertions): run it before and after a change to the decide contract.
"""
import json
import timeit

from pertinent.api import guard
from pertinent.api.contract.decide import parse_decide

BODY = json.dumps({
    "visitor_id": "v_3f9a2c1e8b7d4a6f", "session_id": "s_19ab77c2",
    "context": {"url": "https://site.test/blog/spring-sale?utm_source=newsletter", "content_id": 1234,
                "referrer": "https://www.google.com/", "utm": {"source": "newsletter", "medium": "email",
                "campaign": "spring"}, "device": "mobile", "locale": "en-GB", "country": "GB",
                "consent": True, "visit_count": 4, "segment": "returning", "logged_in_role": "subscriber"},
    "slots": [{"name": "hero", "kind": "banner", "count": 1, "candidates": ["101", "102", 103, "104"]},
              {"name": "cta", "kind": "cta", "count": 1, "filters": {"type": ["cta"], "tags": ["spring"]}},
              {"name": "read-next", "kind": "read_next", "count": 5, "filters": {"categories": ["blog"]}}],
}).encode()


def once():
    value = guard.loads(BODY)
    assert guard.problem(value) is None
    return parse_decide(value)


def parse_only(value=guard.loads(BODY)):
    return parse_decide(value)


n = 20000
for name, fn in (("guard+parse", once), ("parse only", parse_only)):
    best = min(timeit.repeat(fn, number=n, repeat=5)) / n
    print(f"{name}: {best * 1e6:.1f} µs per decide request")
