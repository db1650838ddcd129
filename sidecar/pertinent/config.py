"""Configuration in one place: defaults, then the environment, then a test mapping; validated at start."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

ENV_PREFIX = "PERTINENT_"
# How much each event type says about interest (training, popularity); impressions say nothing by themselves.
DEFAULT_EVENT_WEIGHTS = {"impression": 0.0, "view": 1.0, "dwell": 1.0, "click": 3.0, "conversion": 8.0}


@dataclass(frozen=True)
class Config:
    """Every setting the sidecar reads; each field maps to PERTINENT_<FIELD> in the environment."""

    data_dir: Path = Path("var")
    models_dir: Path = Path("models")
    api_key: str = ""
    public_key: str = ""
    allowed_origins: tuple[str, ...] = ()
    # sqlite:///path/to.db (default: DATA_DIR/pertinent.db) or postgresql://user@host/db
    store_url: str = ""
    # diskcache:///path (default: DATA_DIR/cache) or redis://host:port/db
    cache_url: str = ""
    # Where model sets and the LIVE / CANARY pointers live: unset, models_dir itself; postgresql://...
    # (same form as store_url), tables shared by every host, each keeping verified copies in models_dir.
    models_url: str = ""
    # nats://host:port/STREAM: accepted events go to this JetStream stream and `pertinent ingest` writes
    # them to the store (ingest/). Empty: events go straight to the store.
    events_url: str = ""
    decision_ttl: int = 300
    segment_ttl: int = 60
    max_body_bytes: int = 1_048_576
    max_events_per_batch: int = 500
    max_content_per_batch: int = 1000
    reload_interval: float = 5.0
    retention_days: int = 180
    # Events of a visitor's history read per decision: the whole taste profile of all but the heaviest
    # visitors (training's own search decides how much the older part counts; see recsys/hybrid.py).
    history_limit: int = 500
    log_level: str = "INFO"
    # Experiments, canary and drift (read by the decision hook, the worker and the report).
    experiment_min_impressions: int = 300  # per arm, before a verdict names a winner
    canary_share: float = 0.1  # share of the model arm's visitors served by models/CANARY
    canary_min_impressions: int = 500  # per side, before a canary is promoted or rolled back
    canary_margin: float = 0.01  # promote when CTR is surely not worse than live by more than this
    canary_max_error_rate: float = 0.02  # above the live set's failure rate over the same period
    canary_max_latency_ms: float = 100.0  # mean per decision; twice the live set's (+10 ms) also fails
    drift_threshold: float = 0.2  # population stability index above which drift is flagged
    drift_window_hours: int = 24  # live window compared with the training window
    drift_check_minutes: int = 60
    metric_drop_threshold: float = 0.2  # relative CTR drop of the model arm that triggers a retrain
    train_interval_hours: float = 24.0  # scheduled retraining (daily by default)
    worker_poll_seconds: float = 60.0
    # Event weights for training implicit feedback: view < click < conversion.
    event_weights: dict = field(default_factory=lambda: dict(DEFAULT_EVENT_WEIGHTS))
    # Model set signing (modelset/keys.py). The key that signs and verifies manifests: given inline, or
    # as a file; with neither, DATA_DIR/signing.key (created 0600 with 32 random bytes on first use).
    # Previous keys (comma-separated) still verify, so a key can be rotated without refusing live sets.
    signing_key: str = ""
    signing_key_file: str = ""
    signing_keys_previous: tuple[str, ...] = ()
    # Rate limit of the public routes (decide, recommendations, events: the public key is public), per
    # client IP; see api/limits.py. "off" disables it. Counts live in Redis when the cache is Redis or
    # this URL names one (shared by every replica), otherwise in each worker's memory.
    rate_limit: str = "120/minute"
    rate_limit_storage_url: str = ""
    # Proxies in front of the sidecar whose X-Forwarded-For is believed (0: the socket's peer is the client).
    trusted_proxies: int = 0

    @property
    def resolved_store_url(self) -> str:
        return self.store_url or f"sqlite:///{(self.data_dir / 'pertinent.db').resolve()}"

    @property
    def resolved_cache_url(self) -> str:
        return self.cache_url or f"diskcache:///{(self.data_dir / 'cache').resolve()}"

    @property
    def rate_limit_on(self) -> bool:
        return self.rate_limit.strip().lower() != "off"


# The range every numeric setting must fall in, inclusive: a value outside it is a configuration error
# naming the variable, at start, not a surprise later (PERTINENT_CANARY_SHARE=2 sent every visitor of
# the model arm to the canary; PERTINENT_MAX_BODY_BYTES=0 refused every request). Every int and float
# field of Config has an entry (tests/test_config.py checks), so a new setting cannot skip it.
RANGES: dict[str, tuple[float, float]] = {
    "decision_ttl": (0, 86_400),  # 0: decisions are never cached
    "segment_ttl": (0, 86_400),
    "max_body_bytes": (64, 64 * 1_048_576),
    "max_events_per_batch": (1, 10_000),
    "max_content_per_batch": (1, 10_000),
    "reload_interval": (0, 3_600),  # 0: LIVE is checked on every request (tests)
    "retention_days": (1, 3_650),
    "history_limit": (1, 100_000),
    "experiment_min_impressions": (1, 10**9),
    "canary_share": (0, 1),
    "canary_min_impressions": (1, 10**9),
    "canary_margin": (0, 1),
    "canary_max_error_rate": (0, 1),
    "canary_max_latency_ms": (1, 60_000),
    "drift_threshold": (0.001, 1_000),
    "drift_window_hours": (1, 24 * 90),
    "drift_check_minutes": (1, 7 * 24 * 60),
    "metric_drop_threshold": (0.001, 1),
    "train_interval_hours": (0.01, 24 * 365),
    "worker_poll_seconds": (0.01, 86_400),
    "trusted_proxies": (0, 10),  # more hops than that is a misconfiguration that lets clients pick their IP
}


def _parse(name: str, raw: str, current):
    """Turn one environment string into the type of the field's default, naming the variable on failure."""
    var = ENV_PREFIX + name.upper()
    try:
        if isinstance(current, bool):
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError("expected true/false")
            return raw.lower() in ("1", "true", "yes")
        if isinstance(current, int):
            value = int(raw)
            if value < 0:
                raise ValueError("must not be negative")
            return value
        if isinstance(current, float):
            value = float(raw)
            if value < 0:
                raise ValueError("must not be negative")
            return value
        if isinstance(current, Path):
            return Path(raw)
        if isinstance(current, tuple):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        if isinstance(current, dict):
            pairs = [part.split("=", 1) for part in raw.split(",") if part.strip()]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("expected name=number pairs separated by commas")
            return {k.strip(): float(v) for k, v in pairs}
        return raw
    except ValueError as exc:
        raise ConfigError(f"{var}={raw!r} is not valid: {exc}") from None


RATE_LIMIT_STORAGE_SCHEMES = ("redis://", "rediss://", "redis+unix://", "memory://")


def _validate_rate_limit(cfg: Config) -> None:
    """The limit must parse as Flask-Limiter's notation ("120/minute", "10/second;1000/hour") or be off."""
    import limits  # only here: the rest of the configuration needs no rate-limit library

    if cfg.rate_limit_on:
        try:
            limits.parse_many(cfg.rate_limit)
        except ValueError:
            raise ConfigError(f"PERTINENT_RATE_LIMIT={cfg.rate_limit!r}: expected a rate like 120/minute "
                              "(several separated by ';') or off") from None
    url = cfg.rate_limit_storage_url
    if url and not url.startswith(RATE_LIMIT_STORAGE_SCHEMES):
        raise ConfigError(f"PERTINENT_RATE_LIMIT_STORAGE_URL={url!r}: expected redis://HOST:PORT/DB or memory://")


def _validate(cfg: Config) -> Config:
    """Ranges of numeric settings, then checks that span fields: URL schemes, log level, origins."""
    for name, (low, high) in RANGES.items():
        value = getattr(cfg, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ConfigError(f"{ENV_PREFIX}{name.upper()}={value!r} is out of range: "
                              f"expected {low:g} to {high:g}")
    for event, weight in cfg.event_weights.items():
        if not 0 <= weight <= 1_000:  # also refuses nan and inf
            raise ConfigError(f"PERTINENT_EVENT_WEIGHTS: {event}={weight!r} is out of range: "
                              "expected 0 to 1000")
    if cfg.store_url and not cfg.store_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError(f"PERTINENT_STORE_URL={cfg.store_url!r}: expected sqlite:///PATH or postgresql://...")
    if cfg.models_url and not cfg.models_url.startswith(("postgresql://", "postgres://")):
        raise ConfigError(f"PERTINENT_MODELS_URL={cfg.models_url!r}: expected postgresql://... (or unset: "
                          "the models folder)")
    if cfg.cache_url and not cfg.cache_url.startswith(("diskcache:///", "redis://", "rediss://", "memory://")):
        raise ConfigError(f"PERTINENT_CACHE_URL={cfg.cache_url!r}: expected diskcache:///PATH or redis://...")
    if cfg.events_url:
        from .ingest.url import parse_events_url, require_client
        parse_events_url(cfg.events_url)
        require_client()
    if cfg.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"PERTINENT_LOG_LEVEL={cfg.log_level!r}: expected DEBUG, INFO, WARNING or ERROR")
    for origin in cfg.allowed_origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ConfigError(f"PERTINENT_ALLOWED_ORIGINS: {origin!r} is not an origin like https://example.com")
    if cfg.api_key and len(cfg.api_key) < 16:
        raise ConfigError("PERTINENT_API_KEY must be at least 16 characters")
    _validate_signing(cfg)
    _validate_rate_limit(cfg)
    return cfg


MIN_SIGNING_KEY_CHARS, MAX_SIGNING_KEY_CHARS = 32, 1024


def _validate_signing(cfg: Config) -> None:
    """The signing settings: one source for the current key, every key long enough to resist guessing."""
    if cfg.signing_key and cfg.signing_key_file:
        raise ConfigError("PERTINENT_SIGNING_KEY and PERTINENT_SIGNING_KEY_FILE are both set: choose one")
    named = [("PERTINENT_SIGNING_KEY", cfg.signing_key)] if cfg.signing_key else []
    named += [(f"PERTINENT_SIGNING_KEYS_PREVIOUS[{i}]", key)
              for i, key in enumerate(cfg.signing_keys_previous)]
    for var, key in named:
        if not MIN_SIGNING_KEY_CHARS <= len(key.encode()) <= MAX_SIGNING_KEY_CHARS:
            raise ConfigError(f"{var} must be {MIN_SIGNING_KEY_CHARS} to {MAX_SIGNING_KEY_CHARS} bytes long "
                              f"(got {len(key.encode())}); generate one with `openssl rand -hex 32`")


def load_config(env: dict | None = None, overrides: dict | None = None) -> Config:
    """Defaults, then PERTINENT_* variables from `env` (os.environ by default), then `overrides`."""
    env = os.environ if env is None else env
    values = {}
    defaults = Config()
    for f in fields(Config):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is not None and raw != "":
            values[f.name] = _parse(f.name, raw, getattr(defaults, f.name))
    cfg = replace(defaults, **values)
    if overrides:
        unknown = set(overrides) - {f.name for f in fields(Config)}
        if unknown:
            raise ConfigError(f"unknown configuration keys: {sorted(unknown)}")
        cfg = replace(cfg, **overrides)
    return _validate(cfg)
