"""Who may call what: the server API key, the public site key from allowed origins, and CORS.

Routes declare an access level with `@access(...)`: "open" (health, metrics, the API document),
"public" (decide, recommendations, events: server key, or the public key from an allowed origin),
"admin" (everything else, and the default: server key only). Keys are compared in constant time.
"""
from __future__ import annotations

import hmac

from flask import Flask, Response, current_app, request

from .config import Config
from .errors import Forbidden, Unauthorized

OPEN, PUBLIC, ADMIN = "open", "public", "admin"
PREFLIGHT_HEADERS = "Authorization, Content-Type, X-Pertinent-Key"
PREFLIGHT_MAX_AGE = "600"


def access(level: str):
    """Mark a view function with its access level."""
    def mark(view):
        view.access = level
        return view
    return mark


def keys_match(presented: str, expected: str) -> bool:
    """Constant-time comparison, so response timing says nothing about how much of a key was right."""
    return bool(expected) and hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


def presented_key(level: str) -> str | None:
    """The key the caller sent: Bearer header; public routes also take X-Pertinent-Key or ?key=.

    ?key= is for the public site key only (a browser's script tag); see refuse_server_key_in_url.
    """
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    if level == PUBLIC:
        return request.headers.get("X-Pertinent-Key") or request.args.get("key") or None
    return None


def origin_allowed(origin: str, config: Config) -> bool:
    return "*" in config.allowed_origins or origin.rstrip("/") in config.allowed_origins


def route_level() -> str | None:
    """The access level of the matched route, or None when no route matched (a 404 follows)."""
    endpoint = request.endpoint
    view = current_app.view_functions.get(endpoint) if request.url_rule and endpoint else None
    return getattr(view, "access", ADMIN) if view else None


def refuse_server_key_in_url(config: Config) -> None:
    """403 for the server key in a query string, on every keyed route: URLs end up in proxy logs.

    Never accepted there, even next to a valid header, so a caller doing it learns at once.
    """
    if any(keys_match(value, config.api_key) for value in request.args.getlist("key")):
        raise Forbidden("server_key_in_url", "the server API key must never be sent in a URL (it ends up "
                        "in logs): send it as 'Authorization: Bearer KEY', and rotate it")


def authorize(level: str, config: Config) -> str:
    """Raise 401/403 unless the request may use a route of this level; returns which key it used."""
    if level == OPEN:
        return "none"
    refuse_server_key_in_url(config)
    origin = request.headers.get("Origin")
    if level == PUBLIC and origin and not origin_allowed(origin, config):
        raise Forbidden("origin_not_allowed", f"origin {origin} is not in PERTINENT_ALLOWED_ORIGINS")
    key = presented_key(level)
    if not key:
        raise Unauthorized("missing_key", "send the API key as 'Authorization: Bearer KEY'")
    if keys_match(key, config.api_key):
        return "server"
    if keys_match(key, config.public_key):
        if level == PUBLIC:
            return "public"
        message = "this route needs the server API key, not the public site key"
        raise Forbidden("public_key_not_allowed", message)
    raise Unauthorized("invalid_key", "the API key is not valid")


def preflight(config: Config) -> Response:
    """Answer a CORS preflight: allowed origin on a public route gets the headers, anything else 403."""
    origin = request.headers.get("Origin", "")
    rule = request.url_rule  # set whenever route_level() is PUBLIC
    if rule is None or route_level() != PUBLIC or not origin or not origin_allowed(origin, config):
        raise Forbidden("origin_not_allowed", "cross-origin requests are not allowed here")
    response = current_app.response_class(status=204)
    methods = sorted(m for m in rule.methods or () if m not in ("HEAD", "OPTIONS"))
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
    response.headers["Access-Control-Allow-Headers"] = PREFLIGHT_HEADERS
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    response.headers["Vary"] = "Origin"
    return response


def init_app(app: Flask, config: Config) -> None:
    """Check every request before its view runs; add CORS headers to public routes' answers."""

    @app.before_request
    def check_access():
        level = route_level()
        if level is None:
            return None
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            return preflight(config)
        authorize(level, config)
        return None

    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        if route_level() != PUBLIC:
            return response
        response.vary.add("Origin")
        origin = request.headers.get("Origin")
        if origin and origin_allowed(origin, config):
            response.headers["Access-Control-Allow-Origin"] = origin
        return response
