"""The models' JSON Schemas as OpenAPI `components.schemas`: written by pydantic, assembled here.

A dozen lines of our own rather than spectree or flask-openapi3: those want to own routing and
validation (their own error bodies and status codes), while ours must keep the guard, the error codes
and the per-event rejection of a batch; all they would add is this loop.
"""
from __future__ import annotations

from functools import cache

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from .content import BulkContent, ContentItem
from .decide import DecideRequest
from .events import Event, EventBatch
from .responses import RESPONSE_MODELS
from .types import REF_TEMPLATE, STORABLE_KEYS, STORABLE_TEXT_SCHEMA

REQUEST_MODELS = (ContentItem, BulkContent, Event, EventBatch, DecideRequest)

# What the body guard (api/guard.py) lets through anywhere in a body, unknown fields included: JSON whose
# keys and strings hold no NUL or lone surrogate. Unknown fields are ignored, but only once they pass it.
STORABLE_JSON = "StorableJson"
_STORABLE_JSON_SCHEMA = {
    "description": "any JSON value whose object keys and strings hold no NUL or lone surrogate",
    "anyOf": [STORABLE_TEXT_SCHEMA, {"type": ["number", "boolean", "null"]},
              {"type": "array", "items": {"$ref": REF_TEMPLATE.format(model=STORABLE_JSON)}},
              {"type": "object", **STORABLE_KEYS,
               "additionalProperties": {"$ref": REF_TEMPLATE.format(model=STORABLE_JSON)}}]}


def guarded(schema):
    """A request schema saying what the guard enforces: every object's keys storable, unknown fields too."""
    if isinstance(schema, list):
        return [guarded(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: guarded(value) for key, value in schema.items()}
    if out.get("type") == "object" or "properties" in out:
        out.setdefault("propertyNames", STORABLE_KEYS["propertyNames"])
        if out.get("additionalProperties", True) is True:
            out["additionalProperties"] = {"$ref": REF_TEMPLATE.format(model=STORABLE_JSON)}
    return out


@cache
def components() -> dict:
    """Every request model (as validated) and response model (as serialized), keyed by class name."""
    pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = [(m, "validation") for m in REQUEST_MODELS]
    pairs += [(m, "serialization") for m in RESPONSE_MODELS]
    _, top = models_json_schema(pairs, ref_template=REF_TEMPLATE)
    _, requests = models_json_schema([(m, "validation") for m in REQUEST_MODELS], ref_template=REF_TEMPLATE)
    defs = {name: guarded(schema) if name in requests["$defs"] else schema
            for name, schema in top["$defs"].items()}
    return {**defs, STORABLE_JSON: _STORABLE_JSON_SCHEMA}


def ref(name: str) -> dict:
    """A reference to a component; KeyError at document build time when no model has that name."""
    if name not in components():
        raise KeyError(f"no schema component {name!r}")
    return {"$ref": REF_TEMPLATE.format(model=name)}
