"""What every cache backend shares: the URL's key prefix, key naming and JSON encoding of values."""
from __future__ import annotations

import hashlib
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


# v2: keys name a visitor by tag, never by id (v1 decision keys are simply never read again).
DECISION_PREFIX = "decision:v2:"


def visitor_tag(visitor_id: str) -> str:
    """A visitor's name inside the cache: a hash, so no backend ever holds the id itself."""
    return hashlib.blake2b(visitor_id.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def generation_key(prefix: str, visitor_id: str) -> str:
    return f"{prefix}gen:{visitor_tag(visitor_id)}"


def decision_key(visitor_id: str | None, digest: str) -> str:
    """A visitor's decisions share a prefix, so erasing the visitor finds them all; a segment's do not."""
    if visitor_id is None:
        return f"{DECISION_PREFIX}s:{digest}"
    return f"{visitor_decisions_prefix(visitor_id)}{digest}"


def visitor_decisions_prefix(visitor_id: str) -> str:
    return f"{DECISION_PREFIX}v:{visitor_tag(visitor_id)}:"


def encode(value: dict) -> str:
    """JSON text; a value that is not JSON-serialisable is the caller's bug and raises TypeError."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def decode(raw: str | bytes | None) -> dict | None:
    return None if raw is None else json.loads(raw)
