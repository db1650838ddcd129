"""The OpenAPI document and the registered routes describe the same API, route for route."""
from __future__ import annotations

import re

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "floor.floor"):  # the benchmark's hello route (PERTINENT_BENCH=1 only)
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes |= {(path, m) for m in rule.methods - IGNORED_METHODS}
    return routes


def document_routes(doc) -> set[tuple[str, str]]:
    methods = {"get", "put", "post", "delete", "patch"}
    return {(path, m.upper()) for path, item in doc["paths"].items() for m in item if m in methods}


def test_every_route_is_documented_and_every_documented_route_exists(app, client):
    doc = client.get("/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert flask_routes(app) == document_routes(doc)


def test_every_operation_documents_responses_and_auth(client):
    doc = client.get("/openapi.json").json
    schemes = set(doc["components"]["securitySchemes"])
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation["responses"], (path, method)
            for requirement in operation["security"]:
                assert set(requirement) <= schemes
            for name in re.findall(r"{(\w+)}", path):
                assert any(p["name"] == name for p in item.get("parameters", [])), (path, name)


def test_every_reference_resolves(client):
    doc = client.get("/openapi.json").json
    text = str(doc)
    for kind, name in re.findall(r"#/components/(\w+)/(\w+)", text):
        assert name in doc["components"][kind], name


def test_the_document_is_valid_openapi_3_1(client):
    from openapi_spec_validator import validate

    validate(client.get("/openapi.json").json)
