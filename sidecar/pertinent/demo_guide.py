"""What `pertinent demo` prints at the end: where the sidecar is and curl lines to paste."""
from __future__ import annotations

import json
import shlex
from collections import Counter


def _curl(method: str, url: str, key: str, body: dict | None = None) -> str:
    parts = ["curl -s"]
    if method != "GET":
        parts.append(f"-X {method}")
    parts.append(shlex.quote(url))
    parts.append("-H " + shlex.quote(f"Authorization: Bearer {key}"))
    if body is not None:
        parts.append("-H 'Content-Type: application/json'")
        parts.append("-d " + shlex.quote(json.dumps(body, separators=(",", ":"))))
    return " ".join(parts)


def example_visitor(prepared: dict) -> str:
    """The visitor with the longest history, so the examples show personalisation rather than cold start."""
    counts = Counter(e.visitor_id for e in prepared["events"] if e.type in ("click", "view"))
    return counts.most_common(1)[0][0]


def print_guide(base: str, api_key: str, public_key: str, prepared: dict, pid: int, env_file: str) -> None:
    """URLs, keys and 6 copy-paste curl lines using a real visitor and a real post of the demo data."""
    visitor = example_visitor(prepared)
    post = next(i for i in prepared["items"] if i.type == "post")
    decide = {"visitor_id": visitor, "context": {"url": post.url, "content_id": post.id, "device": "mobile",
                                                 "utm": {"source": "newsletter"}},
              "slots": [{"name": "hero", "kind": "banner"}, {"name": "signup", "kind": "cta"},
                        {"name": "related", "kind": "recommendations", "count": 3}]}
    event = {"events": [{"type": "click", "visitor_id": visitor, "content_id": post.id, "slot": "related",
                         "context": {"device": "mobile"}}]}
    lines = [
        _curl("POST", f"{base}/v1/decide", api_key, decide),
        _curl("POST", f"{base}/v1/events", api_key, event),
        _curl("GET", f"{base}/v1/recommendations?visitor_id={visitor}&content_id={post.id}&k=5", api_key),
        _curl("GET", f"{base}/v1/content/{post.id}", api_key),
        _curl("GET", f"{base}/v1/models", api_key),
        f"curl -s {base}/metrics | grep '^pertinent_'",
    ]
    print(f"""
Pertinent demo sidecar is running (pid {pid}) at {base}
  model set:   {prepared['version']}
  health:      {base}/readyz
  API doc:     {base}/openapi.json
  metrics:     {base}/metrics
  server key:  {api_key}
  public key:  {public_key}   (browsers: decide, events, recommendations)
  log:         var/pertinent-demo.log        stop with: make stop
  visitor:     {visitor}   (a reader with a long history: the examples below use it)

Operator commands (pertinent report, train, worker) read ./var and ./models unless told otherwise;
point them at this demo with:
  source {env_file}

Try:
""" + "\n".join(f"  {line}" for line in lines) + "\n", flush=True)
