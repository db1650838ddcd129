"""PERTINENT_EVENTS_URL: nats://HOST:PORT[,HOST:PORT...]/STREAM, the servers and the stream's name."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ConfigError

SCHEMES = ("nats", "tls")
# JetStream refuses names with whitespace, '.', '*', '>' or path separators; keep to a portable set.
_STREAM_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class EventsStream:
    """Where accepted events go: the NATS servers and one JetStream stream."""

    servers: tuple[str, ...]
    stream: str

    @property
    def subject(self) -> str:
        """The one subject the stream holds; events of other publishers stay out of it."""
        return f"{self.stream}.events"

    @property
    def redacted(self) -> str:
        """The servers and stream for messages, without credentials."""
        hosts = ",".join(s.split("://", 1)[1].rpartition("@")[2] for s in self.servers)
        return f"{self.servers[0].split('://', 1)[0]}://{hosts}/{self.stream}"


def parse_events_url(url: str) -> EventsStream:
    """The stream a URL names; a ConfigError naming PERTINENT_EVENTS_URL when it does not fit."""
    parts = urlsplit(url)
    expected = "expected nats://HOST:PORT/STREAM (several servers separated by commas)"
    if parts.scheme not in SCHEMES or not parts.netloc:
        raise ConfigError(f"PERTINENT_EVENTS_URL={_shown(url)!r}: {expected}")
    stream = parts.path.strip("/")
    if not _STREAM_NAME.match(stream):
        raise ConfigError(f"PERTINENT_EVENTS_URL={_shown(url)!r}: the stream name {stream!r} must be 1 to 64 "
                          "letters, digits, '-' or '_'")
    creds, _, hosts = parts.netloc.rpartition("@")
    prefix = f"{parts.scheme}://" + (creds + "@" if creds else "")
    servers = tuple(prefix + host.strip() for host in hosts.split(",") if host.strip())
    if not servers:
        raise ConfigError(f"PERTINENT_EVENTS_URL={_shown(url)!r}: {expected}")
    return EventsStream(servers=servers, stream=stream)


def _shown(url: str) -> str:
    """A URL with any password masked: configuration errors are logged."""
    scheme, sep, rest = url.partition("://")
    creds, at, hosts = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return scheme + sep + creds + at + hosts


def require_client() -> None:
    """A ConfigError at start, instead of a failing request later, when nats-py is not installed."""
    import importlib.util

    if importlib.util.find_spec("nats") is None:
        raise ConfigError("PERTINENT_EVENTS_URL needs the NATS client: pip install 'pertinent[stream]' "
                          "(nats-py)")
