"""The rate limit of the public routes: the public key is public, so anyone may call decide and events.

One budget per client IP across every public route (PERTINENT_RATE_LIMIT, e.g. "120/minute"). The
counts live in Redis when the sidecar has one, shared by every replica and worker; otherwise in
memory, where each gunicorn worker counts on its own (a client gets up to `workers` times the limit).
Callers holding the server key are never limited: the WordPress plugin calls from one address on
behalf of every visitor of the site.
"""
from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from ..auth import PUBLIC, keys_match, presented_key, route_level
from ..cache.keys import split_prefix
from ..config import Config
from .errors import error_response

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")


def not_a_refusal(record: logging.LogRecord) -> bool:
    """Flask-Limiter logs every refused request: under a flood, one line per request. /metrics counts them."""
    return not str(record.msg).startswith("ratelimit ")


logging.getLogger("flask-limiter").addFilter(not_a_refusal)  # its outage and recovery lines stay


def storage(config: Config) -> tuple[str, str]:
    """(URI for the limits library, key prefix): the named URL, else the cache's Redis, else memory."""
    cache_url = config.resolved_cache_url
    url = config.rate_limit_storage_url or (cache_url if cache_url.startswith(REDIS_SCHEMES) else "")
    if not url or url.startswith("memory:"):
        return "memory://", ""
    return split_prefix(url)  # the cache's ?prefix=P keeps deployments sharing one Redis apart


def trust_proxies(app: Flask, config: Config) -> None:
    """Believe X-Forwarded-For only as far as PERTINENT_TRUSTED_PROXIES proxies (werkzeug's ProxyFix).

    Never by default: any client could otherwise name a fresh address per request and never be limited.
    """
    if config.trusted_proxies:
        # Flask's documented way to add WSGI middleware; mypy sees wsgi_app as a method, not an attribute.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=config.trusted_proxies, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def make_limiter(config: Config) -> Limiter:
    """A Limiter counting public requests per client address; it keeps serving when its storage is down."""
    url, prefix = storage(config)
    # Keyword arguments for the storage's client: redis-py takes float timeouts, though Flask-Limiter
    # annotates its storage_options as str | int.
    options: dict[str, Any] = {"key_prefix": f"{prefix}ratelimit"}
    if not url.startswith("memory://"):
        # A Redis this slow counts as down, as for the cache (the URL's own ?socket_timeout= wins).
        from ..cache.redis import DEFAULT_TIMEOUT

        options.update(socket_timeout=DEFAULT_TIMEOUT, socket_connect_timeout=DEFAULT_TIMEOUT)

    def exempt() -> bool:
        """Routes that are not public, and callers holding the server key, are never counted."""
        if route_level() != PUBLIC:
            return True
        key = presented_key(PUBLIC)
        return key is not None and keys_match(key, config.api_key)

    limiter = Limiter(
        get_remote_address,  # request.remote_addr: the peer, or the client ProxyFix found for us
        application_limits=[config.rate_limit],  # one budget across routes, not one per route
        storage_uri=url, storage_options=options, strategy="fixed-window",
        # Redis unreachable: warn once, count in this worker's memory meanwhile, go back to Redis when it
        # answers again. Swallowing errors as well means no storage failure can ever become a 500.
        in_memory_fallback_enabled=True, in_memory_fallback=[config.rate_limit], swallow_errors=True,
        headers_enabled=False,  # Retry-After is sent on the 429 only (see too_many_requests)
    )
    limiter.request_filter(exempt)
    return limiter


def retry_after(limiter: Limiter, exc: RateLimitExceeded) -> int:
    """Whole seconds until the client's window resets (at least 1); the window's length if unknown."""
    try:
        current = limiter.current_limit
        if current is not None:
            return max(1, math.ceil(current.window.reset_time - time.time()))
    except Exception:  # noqa: BLE001 - the storage went away between the count and this answer
        pass
    return max(1, exc.limit.limit.get_expiry())


def init_app(app: Flask) -> None:
    """Limit the public routes per PERTINENT_RATE_LIMIT (nothing when "off"); 429 in the error shape."""
    config: Config = app.extensions["pertinent_config"]
    trust_proxies(app, config)
    if not config.rate_limit_on:
        return
    limiter = make_limiter(config)
    limiter.init_app(app)

    def too_many_requests(exc: RateLimitExceeded):
        seconds = retry_after(limiter, exc)
        message = f"too many requests from this address (limit {exc.description}); retry in {seconds} s"
        # Retry-After is not a CORS-safelisted header: without the expose line the snippet could not read it.
        return error_response("rate_limited", message, 429, headers={
            "Retry-After": str(seconds), "Access-Control-Expose-Headers": "Retry-After"})

    app.register_error_handler(RateLimitExceeded, too_many_requests)
