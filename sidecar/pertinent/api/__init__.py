"""The HTTP API: one blueprint per feature, all JSON, versioned under /v1."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:  # the Runtime pulls in every backend; routes only need its attributes
    from ..config import Config
    from ..runtime import Runtime


def runtime() -> Runtime:
    """The Runtime the app was built with (config, store, cache, model registry, catalog)."""
    return current_app.extensions["pertinent"]


def settings() -> Config:
    """The configuration the app was built with (limits, keys, TTLs)."""
    return current_app.extensions["pertinent_config"]


def register_blueprints(app: Flask) -> None:
    """Every route of the contract; the benchmark's floor route only when PERTINENT_BENCH=1."""
    from . import content, decide, events, experiments, health, models, openapi, visitors

    for module in (health, openapi, content, events, decide, visitors, models, experiments):
        app.register_blueprint(module.bp)
    if os.environ.get("PERTINENT_BENCH") == "1":
        from . import floor
        app.register_blueprint(floor.bp)
