"""The OpenAPI 3.1 document of every route: paths, parameters, bodies, responses, auth schemes."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ..domain import (
    CONTENT_STATUSES,
    EVENT_TYPES,
    FALLBACKS,
    MAX_ID_LENGTH,
    MAX_SLOT_COUNT,
    SLOT_KINDS,
    SOURCES,
)
from .guard import MAX_BODY_DEPTH
from .parse import MAX_META_BYTES, MAX_META_DEPTH, MAX_SLOTS

STR = {"type": "string"}
STRS = {"type": "array", "items": STR}
ID_RULE = (f"1 to {MAX_ID_LENGTH} characters; no control characters, '/', '\\', NUL or lone surrogates; "
           "not '.' or '..'")
ID = {"type": ["string", "integer"], "minLength": 1, "maxLength": MAX_ID_LENGTH,
      "description": f"an id ({ID_RULE}); integers (WordPress post ids) read as strings"}
PATH_ID = {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH, "description": f"an id: {ID_RULE}"}
TIME = {"type": ["string", "number"], "description": "ISO 8601 time, or epoch seconds"}
SERVER = [{"serverKey": []}]
PUBLIC = [{"serverKey": []}, {"publicKey": []}, {"publicKeyHeader": []}, {"publicKeyQuery": []}]


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict, required: tuple = (), **extra) -> dict:
    return {"type": "object", "properties": props, "required": list(required), **extra}


def body(schema: dict, text_plain: bool = False) -> dict:
    content = {"application/json": {"schema": schema}}
    if text_plain:  # browsers post text/plain to skip the CORS preflight
        content["text/plain"] = {"schema": schema}
    return {"required": True, "content": content}


def ok(description: str, schema: dict | None = None, status: str = "200") -> dict:
    answer = {"description": description}
    if schema is not None:
        answer["content"] = {"application/json": {"schema": schema}}
    return {status: answer}


def errors(*statuses: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def op(summary: str, responses: dict, security=None, **extra) -> dict:
    out = {"summary": summary, "responses": responses, **extra}
    out["security"] = security if security is not None else []
    return out


def path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": PATH_ID}


WHEN = obj({"utm_source": STR, "utm_medium": STR, "utm_campaign": STR, "referrer_contains": STR,
            "device": STR, "visit_count_min": {"type": "integer"}, "visit_count_max": {"type": "integer"},
            "segment": STR, "role": STR,
            "hours": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
            "days": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 6}}},
           additionalProperties=False)
SCHEMAS = {
    "Error": obj({"error": obj({"code": STR, "message": STR, "field": STR, "details": {"type": "object"}},
                               ("code", "message"))}, ("error",)),
    "TargetingRule": obj({"action": {"enum": ["pin", "exclude"]}, "when": WHEN, "slots": STRS}, ("action",)),
    "ContentItem": obj({
        "title": STR, "url": STR, "type": STR, "excerpt": STR, "text": STR, "tags": STRS, "categories": STRS,
        "meta": obj({"topics": STRS, "audience": STRS, "funnel_stage": STRS, "intent": STRS},
                    additionalProperties=True,
                    description=f"editor metadata; free keys kept as sent, at most {MAX_META_DEPTH} levels "
                                f"deep and {MAX_META_BYTES} bytes as JSON"),
        "status": {"enum": list(CONTENT_STATUSES)}, "published_at": TIME, "modified_at": TIME,
        "targeting": {"type": "array", "items": ref("TargetingRule")}, "starts_at": TIME, "ends_at": TIME}),
    "StoredContentItem": {"allOf": [ref("ContentItem"), obj({"id": STR}, ("id",))]},
    "Event": obj({"type": {"enum": list(EVENT_TYPES)}, "visitor_id": ID, "session_id": ID, "content_id": ID,
                  "decision_id": ID, "slot": STR, "arm": STR, "timestamp": TIME, "value": {"type": "number"},
                  "context": obj({"device": STR, "referrer": STR, "country": STR, "locale": STR, "url": STR,
                                  "consent": {"type": "boolean"}})}, ("type", "visitor_id")),
    "PageContext": obj({"url": STR, "content_id": ID, "referrer": STR, "utm": {"type": "object",
                        "additionalProperties": STR}, "device": STR, "locale": STR, "country": STR,
                        "consent": {"type": "boolean", "default": True}, "visit_count": {"type": "integer"},
                        "segment": STR, "logged_in_role": STR}),
    "SlotRequest": obj({"name": STR, "kind": {"enum": list(SLOT_KINDS), "default": "recommendations"},
                        "count": {"type": "integer", "minimum": 1, "maximum": MAX_SLOT_COUNT, "default": 1},
                        "candidates": {"type": "array", "items": ID},
                        "filters": obj({"type": STRS, "tags": STRS, "categories": STRS},
                                       additionalProperties=False)}, ("name",)),
    "DecideRequest": obj({"visitor_id": ID, "session_id": ID, "context": ref("PageContext"),
                          "slots": {"type": "array", "items": ref("SlotRequest"), "minItems": 1,
                                    "maxItems": MAX_SLOTS}}, ("slots",)),
    "SlotDecision": obj({"kind": {"enum": list(SLOT_KINDS)}, "content_ids": STRS,
                         "scores": {"type": "array", "items": {"type": "number"}},
                         "items": {"type": "array", "items": obj({"id": STR, "title": STR, "url": STR})},
                         "source": {"enum": list(SOURCES)}, "reason": STR,
                         "fallback": {"enum": [*FALLBACKS, None],
                                      "description": "why a fallback stands in; null when none does"}},
                        ("kind", "content_ids", "scores", "items", "source", "reason")),
    "Decision": obj({"decision_id": STR, "model_version": {"type": ["string", "null"]}, "arm": STR,
                     "ttl": {"type": "integer"}, "cached": {"type": "boolean"},
                     "slots": {"type": "object", "additionalProperties": ref("SlotDecision")}},
                    ("decision_id", "model_version", "slots")),
    "Readiness": obj({"status": {"enum": ["ok", "degraded", "unavailable"]}, "reasons": STRS,
                      "model_version": {"type": ["string", "null"]}}, ("status", "reasons")),
}
RESPONSES = {f"E{status}": {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
             for status, text in {400: "unparsable JSON", 401: "missing or wrong API key",
                                  403: "public key on a server-key route, an origin not allowed, or the "
                                       "server key in a URL",
                                  404: "not found", 409: "conflict", 413: "body or batch too large",
                                  415: "unsupported Content-Type",
                                  422: "a field does not fit the schema (named): also NUL characters, lone "
                                       "surrogates, non-finite numbers, duplicate keys, nesting over "
                                       f"{MAX_BODY_DEPTH} levels, ids outside the id rule",
                                  503: "a backend is unavailable"}.items()}
BODY_ERRORS = (400, 401, 403, 413, 415, 422, 503)  # 503: the store cannot take the write now
# Public routes only (api/limits.py): a client address over PERTINENT_RATE_LIMIT; the server key is exempt.
RESPONSES["E429"] = {**RESPONSES["E422"], "description": "too many requests from this address (rate_limited)",
                     "headers": {"Retry-After": {"description": "seconds until the client may call again",
                                                 "schema": {"type": "integer", "minimum": 1}}}}


def paths() -> dict:
    item_id = [path_param("content_id")]
    visitor = [path_param("visitor_id")]
    return {
        "/healthz": {"get": op("The process is alive", ok("alive", obj({"status": STR})))},
        "/readyz": {"get": op("Ready to serve: a model set is live and the store answers",
                              {**ok("ok or degraded (fallbacks only)", ref("Readiness")),
                               "503": {"description": "store unreachable",
                                       "content": {"application/json": {"schema": ref("Readiness")}}}})},
        "/metrics": {"get": op("Prometheus metrics of all workers",
                               {"200": {"description": "text format",
                                        "content": {"text/plain": {"schema": STR}}}})},
        "/openapi.json": {"get": op("This document", ok("OpenAPI 3.1", {"type": "object"}))},
        "/v1/content/{content_id}": {
            "parameters": item_id,
            "put": op("Insert or replace a catalog item", {**ok("stored", ref("StoredContentItem")),
                      **errors(*BODY_ERRORS)}, SERVER, requestBody=body(ref("ContentItem"))),
            "get": op("One catalog item", {**ok("the item", ref("StoredContentItem")),
                                           **errors(401, 403, 404, 422)}, SERVER),
            "delete": op("Remove a catalog item",
                         {**ok("deleted", obj({"id": STR, "deleted": {"type": "boolean"}})),
                          **errors(401, 403, 404, 422)}, SERVER)},
        "/v1/content/bulk": {"post": op(
            "Insert or replace many items in one transaction (all or none)",
            {**ok("stored", obj({"stored": {"type": "integer"}})), **errors(*BODY_ERRORS)}, SERVER,
            requestBody=body(obj({"items": {"type": "array", "items": ref("StoredContentItem")}},
                                 ("items",))))},
        "/v1/events": {"post": op(
            "Record behaviour events; accepted ones are durable when this answers",
            {**ok("accepted and rejected counts", obj({"accepted": {"type": "integer"}, "rejected": {
                "type": "array", "description": "one entry per refused event (the others are stored): its "
                "index, the field at fault and the reason, with the codes of a 422 or no_consent",
                "items": obj({"index": {"type": "integer"}, "field": STR, "reason": STR, "message": STR})}}),
                "202"), **errors(*BODY_ERRORS, 429)},
            PUBLIC, requestBody=body(obj({"events": {"type": "array", "items": ref("Event")},
                                          "consent": {"type": "boolean", "default": True}}, ("events",)),
                                     text_plain=True))},
        "/v1/decide": {"post": op("Choose content for every slot of a page",
                                  {**ok("a decision per slot", ref("Decision")), **errors(*BODY_ERRORS, 429)},
                                  PUBLIC,
                                  requestBody=body(ref("DecideRequest"), text_plain=True))},
        "/v1/recommendations": {"get": op(
            "Related / next-best content", {**ok("recommended items", ref("SlotDecision")),
                                            **errors(401, 403, 422, 429)}, PUBLIC,
            parameters=[{"name": "visitor_id", "in": "query", "schema": STR},
                        {"name": "content_id", "in": "query", "schema": STR},
                        {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                "maximum": MAX_SLOT_COUNT, "default": 5}}])},
        "/v1/visitors/{visitor_id}": {
            "parameters": visitor,
            "get": op("Export what is stored about a visitor",
                      {**ok("the visitor's data", obj({"visitor_id": STR, "events": {"type": "array"}})),
                       **errors(401, 403, 422)}, SERVER),
            "delete": op("Erase a visitor's data", {**ok("erased", obj({"visitor_id": STR,
                                                                          "erased": {"type": "integer"}})),
                                                     **errors(401, 403, 422, 503)}, SERVER)},
        "/v1/models": {"get": op("The live model set: manifest, metrics, registry status",
                                 {**ok("model set", {"type": "object"}), **errors(401, 403)}, SERVER)},
        "/v1/models/reload": {"post": op("Load the model set named by models/LIVE now",
                                         {**ok("reloaded", {"type": "object"}), **errors(401, 403, 409)},
                                         SERVER)},
        **experiment_paths(),
    }


def experiment_paths() -> dict:
    """Experiments, their reports and the dashboard summary (server key)."""
    exp = {"type": "object", "description": "id, name, arms (arm -> share), status, created_at, stopped_at, "
                                            "slots, min_impressions"}
    create = obj({"name": STR, "id": PATH_ID, "slots": STRS,
                  "min_impressions": {"type": "integer", "minimum": 1},
                  "arms": {"type": "object", "description": "control (required), rules, model: shares",
                           "additionalProperties": {"type": "number"}}}, ("name",))
    one = [path_param("experiment_id")]
    return {
        "/v1/experiments": {
            "get": op("Every experiment, newest first", {**ok("experiments", obj({"experiments": {
                "type": "array", "items": exp}})), **errors(401, 403)}, SERVER),
            "post": op("Start an experiment (one runs at a time)", {**ok("created", exp, "201"),
                                                                     **errors(*BODY_ERRORS)}, SERVER,
                       requestBody=body(create))},
        "/v1/experiments/{experiment_id}": {"parameters": one, "get": op(
            "One experiment", {**ok("the experiment", exp), **errors(401, 403, 404, 422)}, SERVER)},
        "/v1/experiments/{experiment_id}/stop": {"parameters": one, "post": op(
            "Stop an experiment", {**ok("stopped", exp), **errors(401, 403, 404, 422)}, SERVER)},
        "/v1/experiments/{experiment_id}/report": {"parameters": one, "get": op(
            "Per arm and slot: impressions, clicks, conversions, rates with 95% CIs, uplift over control, "
            "verdict", {**ok("the report", {"type": "object"}), **errors(401, 403, 404, 422)}, SERVER)},
        "/v1/dashboard": {"get": op(
            "Health, live and canary model sets, experiments, drift and training in one document",
            {**ok("the summary", {"type": "object"}), **errors(401, 403)}, SERVER)},
    }


def document() -> dict:
    """The whole OpenAPI document."""
    try:
        app_version = version("pertinent")
    except PackageNotFoundError:
        app_version = "0"
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pertinent sidecar", "version": app_version,
                 "description": "Personalization decisions, catalog, events and model sets; JSON."},
        "paths": paths(),
        "components": {
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "securitySchemes": {
                "serverKey": {"type": "http", "scheme": "bearer", "description": "PERTINENT_API_KEY"},
                "publicKey": {"type": "http", "scheme": "bearer",
                              "description": "PERTINENT_PUBLIC_KEY, from PERTINENT_ALLOWED_ORIGINS only"},
                "publicKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Pertinent-Key"},
                "publicKeyQuery": {"type": "apiKey", "in": "query", "name": "key",
                                   "description": "PERTINENT_PUBLIC_KEY only: the server key in a URL is "
                                                  "refused with 403 server_key_in_url on every keyed route"},
            },
        },
    }
