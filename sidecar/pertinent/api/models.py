"""The live model set (manifest, metrics, registry status) and an admin reload."""
from __future__ import annotations

from flask import Blueprint

from .. import metrics
from ..auth import ADMIN, access
from ..errors import PertinentError
from . import runtime

bp = Blueprint("models", __name__)


@bp.get("/v1/models")
@access(ADMIN)
def get_models():
    """What this worker serves: version, manifest, validation metrics, and the registry's view."""
    registry = runtime().models
    model_set = registry.current()
    manifest = model_set.manifest if model_set is not None else None
    return {
        "model_version": model_set.version if model_set is not None else None,
        "manifest": manifest,
        "metrics": (manifest or {}).get("metrics", {}),
        "registry": registry.status(),
    }


@bp.post("/v1/models/reload")
@access(ADMIN)
def reload_models():
    """Load the set LIVE names now; on failure the old set keeps serving and the answer says why (409).

    Only the worker that takes this request reloads at once; the others follow within
    PERTINENT_RELOAD_INTERVAL seconds, when they next check LIVE.
    """
    registry = runtime().models
    ok, message = registry.reload()
    model_set = registry.current()
    version = model_set.version if model_set is not None else None
    metrics.show_model_version(version)
    if not ok:
        raise PertinentError("reload_failed", message, status=409, details={"model_version": version})
    return {"reloaded": True, "message": message, "model_version": version}
