"""The OpenAPI 3.1 document: routes, statuses and auth here; each body's schema from its model (contract/)."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ..decision.rule_schema import HAS_TEXT
from ..domain import MAX_SLOT_COUNT
from ..experiments.definition import EXPERIMENT_ARMS
from .contract.schemas import components, guarded, ref
from .contract.types import PATH_ID
from .guard import MAX_BODY_DEPTH

STR = {"type": "string"}
SERVER: list[dict[str, list[str]]] = [{"serverKey": []}]
PUBLIC: list[dict[str, list[str]]] = [{"serverKey": []}, {"publicKey": []}, {"publicKeyHeader": []},
                                      {"publicKeyQuery": []}]


def obj(props: dict, required: tuple = (), **extra) -> dict:
    return {"type": "object", "properties": props, "required": list(required), **extra}


def body(schema: dict, text_plain: bool = False) -> dict:
    content = {"application/json": {"schema": schema}}
    if text_plain:  # browsers post text/plain to skip the CORS preflight
        content["text/plain"] = {"schema": schema}
    return {"required": True, "content": content}


def ok(description: str, schema: dict | None = None, status: str = "200") -> dict:
    answer: dict[str, object] = {"description": description}
    if schema is not None:
        answer["content"] = {"application/json": {"schema": schema}}
    return {status: answer}


def errors(*statuses: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def op(summary: str, responses: dict, security=None, **extra) -> dict:
    # Any request can be refused by the HTTP server before the app sees it (malformed, URI or headers
    # too large).
    out = {"summary": summary, "responses": {**responses, **SERVER_LAYER}, **extra}
    out["security"] = security if security is not None else []
    return out


def path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": PATH_ID}


RESPONSES = {f"E{status}": {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
             for status, text in {400: "unparsable JSON, or a request the HTTP server cannot parse",
                                  401: "missing or wrong API key",
                                  403: "public key on a server-key route, an origin not allowed, or the "
                                       "server key in a URL",
                                  404: "not found", 409: "conflict", 413: "body or batch too large",
                                  415: "unsupported Content-Type",
                                  422: "a field does not fit the schema (named): also NUL characters, lone "
                                       "surrogates, non-finite numbers, duplicate keys, nesting over "
                                       f"{MAX_BODY_DEPTH} levels, ids outside the id rule",
                                  503: "a backend is unavailable"}.items()}
# Refused by gunicorn before the app sees the request, answered as JSON by gunicorn_workers.py.
RESPONSES["E414"] = {**RESPONSES["E422"], "description": "request line over 4 KB (uri_too_long)"}
RESPONSES["E431"] = {**RESPONSES["E422"], "description": "headers too large or too many (headers_too_large)"}
# 400 too: gunicorn refuses a malformed request (bad Content-Length, bad header) on any route, as JSON.
SERVER_LAYER = errors(400, 414, 431)
BODY_ERRORS = (400, 401, 403, 413, 415, 422, 503)  # 503: the store cannot take the write now
# Public routes only (api/limits.py): a client address over PERTINENT_RATE_LIMIT; the server key is exempt.
RESPONSES["E429"] = {**RESPONSES["E422"], "description": "too many requests from this address (rate_limited)",
                     "headers": {"Retry-After": {"description": "seconds until the client may call again",
                                                 "schema": {"type": "integer", "minimum": 1}}}}


def paths() -> dict:
    item_id = [path_param("content_id")]
    visitor = [path_param("visitor_id")]
    return {
        "/healthz": {"get": op("The process is alive", ok("alive", ref("Alive")))},
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
                         {**ok("deleted", ref("ContentDeleted")),
                          **errors(401, 403, 404, 422)}, SERVER)},
        "/v1/content/bulk": {"post": op(
            "Insert or replace many items in one transaction (all or none)",
            {**ok("stored", ref("ContentStored")), **errors(*BODY_ERRORS)}, SERVER,
            requestBody=body(ref("BulkContent")))},
        "/v1/events": {"post": op(
            "Record behaviour events; accepted ones are durable when this answers",
            {**ok("accepted and rejected counts", ref("EventsAccepted"), "202"), **errors(*BODY_ERRORS, 429)},
            PUBLIC, requestBody=body(ref("EventBatch"),
                                     text_plain=True))},
        "/v1/decide": {"post": op("Choose content for every slot of a page",
                                  {**ok("a decision per slot", ref("Decision")), **errors(*BODY_ERRORS, 429)},
                                  PUBLIC,
                                  requestBody=body(ref("DecideRequest"), text_plain=True))},
        "/v1/recommendations": {"get": op(
            "Related / next-best content", {**ok("recommended items", ref("Recommendations")),
                                            **errors(401, 403, 422, 429)}, PUBLIC,
            parameters=[{"name": "visitor_id", "in": "query", "schema": {**PATH_ID, "minLength": 0}},
                        {"name": "content_id", "in": "query", "schema": {**PATH_ID, "minLength": 0}},
                        {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                "maximum": MAX_SLOT_COUNT, "default": 5}}])},
        "/v1/visitors/{visitor_id}": {
            "parameters": visitor,
            "get": op("Export what is stored about a visitor",
                      {**ok("the visitor's data", ref("VisitorExport")),
                       **errors(401, 403, 422)}, SERVER),
            "delete": op("Erase a visitor's data", {**ok("erased", ref("VisitorErased")),
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
    # experiments/definition.py validates this body itself (not yet a model): described here to match it.
    share = {"type": "number", "exclusiveMinimum": 0, "maximum": 1}
    arms = {"type": "object", "properties": {arm: share for arm in EXPERIMENT_ARMS}, "required": ["control"],
            "additionalProperties": False, "minProperties": 2, "description": "arm -> share; shares sum to 1"}
    exp = ref("Experiment")
    create = guarded(obj({"name": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": HAS_TEXT},
                  "id": PATH_ID, "arms": arms,
                  "slots": {"type": "array", "items": {"type": "string", "minLength": 1}},
                  "min_impressions": {"type": "integer", "minimum": 1}}, ("name",)))
    one = [path_param("experiment_id")]
    return {
        "/v1/experiments": {
            "get": op("Every experiment, newest first",
                      {**ok("experiments", ref("Experiments")), **errors(401, 403)}, SERVER),
            "post": op("Start an experiment (one runs at a time)", {**ok("created", exp, "201"),
                                                                     **errors(*BODY_ERRORS, 409)}, SERVER,
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
            "schemas": components(),
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
