"""What every cache backend shares: the URL's key prefix, key naming and JSON encoding of values."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Generations outlive any cached decision by far; expiring them only bounds memory for gone visitors.
GENERATION_TTL = 30 * 24 * 3600


def split_prefix(url: str) -> tuple[str, str]:
    """(url without the `prefix` query parameter, prefix): several deployments can share one backend."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = "".join(v for k, v in query if k == "prefix")
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def generation_key(prefix: str, visitor_id: str) -> str:
    return f"{prefix}gen:{visitor_id}"


def encode(value: dict) -> str:
    """JSON text; a value that is not JSON-serialisable is the caller's bug and raises TypeError."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def decode(raw: str | bytes | None) -> dict | None:
    return None if raw is None else json.loads(raw)
