"""The merged OpenAPI document the gateway serves (gateway/openapi.py) as a contract an
integrator can build on: valid OpenAPI 3.1, one operation per route of the RBAC table, each
described, tagged, secured as the route really is, and listing its error statuses with their
problem codes. That the running code sends nothing else is checked at the end of every test
run (tests/conftest.py: `pytest_sessionfinish`)."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from libs.auth.dpop import CHECKS
from libs.problems import PROBLEM_CONTENT_TYPE
from libs.rbac.matrix import ROUTES, Role, is_allowed
from tests.fuzz.stack import merged_openapi_document

DOCUMENT = merged_openapi_document()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]
JSON = "application/json"


def by_route(method: str, path: str) -> Any:
    return next(route for route in ROUTES if (route.method, route.path) == (method, path))


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(DOCUMENT, cls=OpenAPIV31SpecValidator)


def test_every_route_of_the_rbac_table_is_exactly_one_operation() -> None:
    routes = sorted((route.method, route.path) for route in ROUTES)
    operations = sorted((method, path) for method, path, _ in OPERATIONS)
    assert operations == routes


def test_servers_and_info_say_where_the_api_and_its_guides_are() -> None:
    assert DOCUMENT["servers"] and all(server["description"] for server in DOCUMENT["servers"])
    assert "https://" in DOCUMENT["info"]["description"]


def test_the_tags_are_declared_once_each_with_a_description() -> None:
    names = [tag["name"] for tag in DOCUMENT["tags"]]
    assert len(names) == len(set(names))
    assert all(tag["description"] for tag in DOCUMENT["tags"])


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_operation_is_described_and_tagged(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    assert operation.get("summary"), "no summary"
    assert operation.get("description"), "no description: give the handler a docstring"
    declared = {tag["name"] for tag in DOCUMENT["tags"]}
    assert operation.get("tags") and set(operation["tags"]) <= declared


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_operation_is_secured_as_the_route_is(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    route = by_route(method, path)
    statuses = set(operation["responses"])
    security = operation["security"]
    if route.permission is None:
        # A public route checks no permission; one that reads a DPoP proof (sign-in, refresh,
        # activation) asks for the proof and lists the 401 it sends when it is refused.
        forbidden = operation["responses"].get("403", {}).get("x-problem-codes", [])
        assert "permission-denied" not in forbidden
        codes = operation["responses"].get("401", {}).get("x-problem-codes", [])
        if "invalid-dpop-proof" in codes:
            assert security == [{"dpopProof": []}]
        else:
            assert security == [] and "401" not in statuses
    elif is_allowed(Role.BRIDGE, route.permission):
        assert security == [{"bridgeToken": []}]
        assert "invalid-bridge-token" in operation["responses"]["401"]["x-problem-codes"]
    else:
        assert security == [{"dpop": [], "dpopProof": []}]
        assert {"unauthenticated", "invalid-dpop-proof"} <= set(
            operation["responses"]["401"]["x-problem-codes"]
        )
        assert "permission-denied" in operation["responses"]["403"]["x-problem-codes"]


def test_the_proof_only_routes_are_sign_in_refresh_activation_and_the_tills_roster() -> None:
    proof_only = sorted(
        (method, path) for method, path, op in OPERATIONS if op["security"] == [{"dpopProof": []}]
    )
    assert proof_only == [
        ("GET", "/v1/devices/roster"),
        ("POST", "/v1/auth/password"),
        ("POST", "/v1/auth/pin"),
        ("POST", "/v1/auth/token"),
        ("POST", "/v1/auth/totp"),
        ("POST", "/v1/auth/totp/enrolment"),
        ("POST", "/v1/auth/totp/enrolment/confirm"),
        ("POST", "/v1/devices/activate"),
    ]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_error_status_lists_its_problem_codes(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
    # Every route can be refused by the gateway's rate limit and for a malformed request.
    assert {"413", "422", "429", "503"} <= set(errors)
    for status, response in errors.items():
        codes = response.get("x-problem-codes")
        assert codes, f"{status} lists no problem code"
        assert list(response["content"]) == [PROBLEM_CONTENT_TYPE], status
        for code in codes:
            assert f"`{code}`" in response["description"], (status, code)
    assert "Retry-After" in errors["429"]["headers"]
    if "401" in errors:
        assert "WWW-Authenticate" in errors["401"]["headers"]


def test_a_refused_proof_names_its_check_from_a_fixed_set() -> None:
    check = DOCUMENT["components"]["schemas"]["ProblemDetails"]["properties"]["check"]
    assert sorted(check["anyOf"][0]["enum"]) == sorted(CHECKS)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_response_names_its_request_id_and_files_say_they_are_files(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    for status, response in operation["responses"].items():
        assert "X-Request-Id" in response["headers"], status
        for media_type, content in response.get("content", {}).items():
            if media_type in (JSON, PROBLEM_CONTENT_TYPE):
                continue
            # A ZIP, JSON Lines, CSV, Markdown or a script: a string, binary unless text.
            assert content["schema"]["type"] == "string", (status, media_type)
            if not media_type.startswith("text/"):
                assert content["schema"]["format"] == "binary", (status, media_type)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    resolved: dict[str, Any] = DOCUMENT
    for part in ref.removeprefix("#/").split("/"):
        resolved = resolved[part]
    return resolved


def _has_example(content: dict[str, Any]) -> bool:
    if "example" in content or "examples" in content:
        return True
    schema = _resolve(content.get("schema", {}))
    options = [schema, *(_resolve(option) for option in schema.get("anyOf", []))]
    options += [_resolve(option) for option in schema.get("oneOf", [])]
    if schema.get("type") == "array":  # a bare list: its items' example is the example
        options.append(_resolve(schema.get("items", {})))
    return any("example" in option or "examples" in option for option in options)


def _missing_examples() -> list[str]:
    missing = []
    for method, path, operation in OPERATIONS:
        body = operation.get("requestBody", {}).get("content", {}).get(JSON)
        if body is not None and not _has_example(body):
            missing.append(f"{method} {path} request body")
        for status, response in operation["responses"].items():
            content = response.get("content", {}).get(JSON)
            if status.startswith("2") and content is not None and not _has_example(content):
                missing.append(f"{method} {path} {status}")
    return missing


def test_every_request_body_and_json_success_has_an_example() -> None:
    assert _missing_examples() == []
