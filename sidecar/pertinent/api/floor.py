"""A bare hello route for `make bench`: the same app's cost floor (registered only when PERTINENT_BENCH=1)."""
from __future__ import annotations

from flask import Blueprint

from ..auth import OPEN, access

bp = Blueprint("floor", __name__)


@bp.get("/v1/_floor")
@access(OPEN)
def floor():
    """Hello: what a request costs before any decision work."""
    return {"hello": "pertinent"}
