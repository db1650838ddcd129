"""The HTTP API: one blueprint per feature, all JSON, versioned under /v1."""
from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from flask import Flask, current_app, request

if TYPE_CHECKING:  # the Runtime pulls in every backend; routes only need its attributes
    from ..config import Config
    from ..runtime import Runtime


def runtime() -> Runtime:
    """The Runtime the app was built with (config, store, cache, model registry, catalog)."""
    return current_app.extensions["pertinent"]


def settings() -> Config:
    """The configuration the app was built with (limits, keys, TTLs)."""
    return current_app.extensions["pertinent_config"]


log = logging.getLogger("pertinent.api")


def refresh_model_set() -> None:
    """Pick up a newly promoted model set (the registry rate-limits itself to one stat per interval)."""
    from .. import metrics

    registry = runtime().models
    try:
        registry.maybe_reload()
    except Exception as exc:  # a bad new set must never cost a request: the old one keeps serving
        log.warning("model set reload check failed: %s", exc)
    model_set = registry.current()
    metrics.show_model_version(model_set.version if model_set is not None else None)


def no_store(response):
    """API answers are per visitor or change at any time: no proxy or browser cache may keep them."""
    if request.path.startswith("/v1/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_blueprints(app: Flask) -> None:
    """Every route of the contract; the benchmark's floor route only when PERTINENT_BENCH=1."""
    from . import content, decide, events, experiments, health, models, openapi, visitors

    app.before_request(refresh_model_set)
    app.after_request(no_store)
    from .limits import init_app as limit_public_routes  # after auth: only authorized calls are counted
    limit_public_routes(app)
    for module in (health, openapi, content, events, decide, visitors, models, experiments):
        app.register_blueprint(module.bp)
    if os.environ.get("PERTINENT_BENCH") == "1":
        from . import floor
        app.register_blueprint(floor.bp)
