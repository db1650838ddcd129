"""Serves the OpenAPI document at /openapi.json."""
from __future__ import annotations

from flask import Blueprint

from ..auth import OPEN, access
from .spec import document

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
@access(OPEN)
def openapi_document():
    """The API's machine-readable description (no key needed: it holds no data)."""
    return document()
