"""Pertinent: the personalization sidecar. This module holds only the app factory."""
from __future__ import annotations

from dataclasses import fields

from flask import Flask
from flask.json.provider import DefaultJSONProvider


def create_app(config=None, runtime=None, test_config: dict | None = None) -> Flask:
    """Build the Flask app: defaults, then the environment, then `test_config`; the Runtime may be passed in.

    `test_config` keys that are Config fields (e.g. "api_key") override the configuration; other keys
    (e.g. "TESTING") go to Flask's own config.
    """
    from . import auth, metrics
    from .api import errors, register_blueprints
    from .config import Config, load_config

    test_config = dict(test_config or {})
    names = {f.name for f in fields(Config)}
    overrides = {k: test_config.pop(k) for k in list(test_config) if k in names}
    if config is None and runtime is not None:
        config = runtime.config
    if config is None:
        config = load_config(overrides=overrides or None)
    elif overrides:
        config = load_config(env={}, overrides={**{f.name: getattr(config, f.name) for f in fields(Config)},
                                                **overrides})
    if runtime is None:
        from .runtime import Runtime
        runtime = Runtime.from_config(config)

    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=config.max_body_bytes, JSON_SORT_KEYS=False)
    app.config.update(test_config)
    if isinstance(app.json, DefaultJSONProvider):  # the provider Flask installs; it sorts keys by default
        app.json.sort_keys = False
    app.extensions["pertinent"] = runtime
    app.extensions["pertinent_config"] = config
    metrics.init_app(app)  # first, so requests refused by auth are timed too
    auth.init_app(app, config)
    errors.init_app(app)
    register_blueprints(app)
    return app
