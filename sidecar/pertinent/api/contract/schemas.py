"""The models' JSON Schemas as OpenAPI `components.schemas`: written by pydantic, assembled here.

A dozen lines of our own rather than spectree or flask-openapi3: those want to own routing and
validation (their own error bodies and status codes), while ours must keep the guard, the error codes
and the per-event rejection of a batch; all they would add is this loop.
"""
from __future__ import annotations

from functools import cache

from pydantic.json_schema import models_json_schema

from .content import BulkContent, ContentItem
from .decide import DecideRequest
from .events import Event, EventBatch
from .responses import RESPONSE_MODELS
from .types import REF_TEMPLATE

REQUEST_MODELS = (ContentItem, BulkContent, Event, EventBatch, DecideRequest)


@cache
def components() -> dict:
    """Every request model (as validated) and response model (as serialized), keyed by class name."""
    pairs = [(m, "validation") for m in REQUEST_MODELS] + [(m, "serialization") for m in RESPONSE_MODELS]
    _, top = models_json_schema(pairs, ref_template=REF_TEMPLATE)
    return top["$defs"]


def ref(name: str) -> dict:
    """A reference to a component; KeyError at document build time when no model has that name."""
    if name not in components():
        raise KeyError(f"no schema component {name!r}")
    return {"$ref": REF_TEMPLATE.format(model=name)}
