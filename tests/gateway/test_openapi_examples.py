"""The merged OpenAPI document's examples and constraints (issue 23): every example validates
against the schema it is given for, every request body has one, and a request body states
in its schema the rules its model checks, so a client generated from the document sends only
what the server accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from tests.fuzz.stack import merged_openapi_document

DOCUMENT = merged_openapi_document()


def _validator(schema: dict[str, Any]) -> Any:
    """A JSON Schema 2020-12 validator (the one schemathesis validates with) for `schema`,
    its `$ref`s resolved in the document's components, formats checked."""
    root = {**schema, "components": DOCUMENT["components"]}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def _examples(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every schema in `node` that carries `examples`, with where it is and each example."""
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list) and ("type" in node or "properties" in node):
            for example in node["examples"]:
                yield where, node, example
        for key, value in node.items():
            yield from _examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{where}/{index}")


EXAMPLES = list(_examples(DOCUMENT["components"]["schemas"], "#/components/schemas"))


def test_the_document_has_examples() -> None:
    assert len(EXAMPLES) > 60


@pytest.mark.parametrize(("where", "schema", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_example_validates_against_its_schema(
    where: str, schema: dict[str, Any], example: Any
) -> None:
    errors = [error.message for error in _validator(schema).iter_errors(example)]
    assert not errors, f"{where}: {errors}"


def _request_bodies() -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body and "application/json" in body["content"]:
                yield f"{method.upper()} {path}", body["content"]["application/json"]["schema"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = DOCUMENT["components"]["schemas"][name]
    return schema


def _has_example(schema: dict[str, Any]) -> bool:
    schema = _resolve(schema)
    if schema.get("examples"):
        return True
    branches = [
        branch for branch in schema.get("oneOf") or schema.get("anyOf") or [] if branch != _NULL
    ]
    return bool(branches) and all(_has_example(branch) for branch in branches)


_NULL = {"type": "null"}
BODIES = list(_request_bodies())


@pytest.mark.parametrize(("operation", "schema"), BODIES, ids=[b[0] for b in BODIES])
def test_every_request_body_has_an_example(operation: str, schema: dict[str, Any]) -> None:
    assert _has_example(schema), operation


def _schema(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _valid(name: str, body: Any) -> bool:
    return bool(_validator(_schema(name)).is_valid(body))


def test_a_change_asks_for_its_version() -> None:
    """Without `version` or If-Match a change is 428: the document asks for `version`."""
    assert not _valid("OrderChange", {"covers": 2})
    assert _valid("OrderChange", {"version": 3, "covers": 2})
    assert not _valid("ShiftClose", {"counted": {"cash": 0, "card": 0}})


def test_a_percent_discount_is_at_most_everything() -> None:
    assert _valid("OrderChange", {"version": 1, "discount": {"kind": "percent", "value": 10_000}})
    assert not _valid(
        "OrderChange", {"version": 1, "discount": {"kind": "percent", "value": 10_001}}
    )
    assert _valid("OrderChange", {"version": 1, "discount": {"kind": "amount", "value": 10_001}})


def test_cash_and_card_are_each_their_own_shape() -> None:
    body = DOCUMENT["paths"]["/v1/orders/{order_id}/payments"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "tender"
    validator = _validator(schema)
    assert validator.is_valid({"version": 1, "tender": "cash", "tendered_minor": 1000})
    assert not validator.is_valid({"version": 1, "tender": "cash"})
    assert not validator.is_valid({"version": 1, "tender": "cash", "amount_minor": 500})
    assert validator.is_valid({"version": 1, "tender": "card"})
    assert not validator.is_valid({"version": 1, "tender": "card", "tendered_minor": 500})


def test_a_refund_is_by_lines_or_by_amount() -> None:
    body = DOCUMENT["paths"]["/v1/orders/{order_id}/refunds"]["post"]["requestBody"]
    validator = _validator(body["content"]["application/json"]["schema"])
    lines = [{"line_number": 1, "quantity": 1}]
    base = {"version": 1, "reason_code": "other"}
    assert validator.is_valid({**base, "lines": lines})
    assert validator.is_valid({**base, "amount_minor": 450})
    assert not validator.is_valid(base)
    assert not validator.is_valid({**base, "lines": lines, "amount_minor": 450})


def test_a_patch_names_something_and_refuses_null_where_the_server_does() -> None:
    assert not _valid("MenuItemUpdate", {"version": 1})
    assert not _valid("MenuItemUpdate", {"version": 1, "name": None})
    assert _valid("MenuItemUpdate", {"version": 1, "name": "Long black"})
    assert _valid("MenuCategoryUpdate", {"version": 1, "printer_role": None})
    assert not _valid("TaxCategoryUpdate", {})
    assert not _valid("OverrideLimitsUpdate", {"void_limit_minor": None})


def test_blank_text_is_not_text() -> None:
    assert not _valid("MenuCategoryCreate", {"name": "   "})
    assert _valid("MenuCategoryCreate", {"name": " Coffee "})


def test_a_rate_is_a_decimal_string() -> None:
    assert _valid("TaxCategoryCreate", {"code": "gst", "name": "GST", "rate_percent": "10"})
    assert _valid("TaxCategoryCreate", {"code": "gst", "name": "GST", "rate_percent": "5.125"})
    for rate in ("10.1234", "100", "ten", "-1"):
        body = {"code": "gst", "name": "GST", "rate_percent": rate}
        assert not _valid("TaxCategoryCreate", body), rate


def test_an_override_says_what_each_action_approves() -> None:
    order = "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60"
    base = {"approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37", "pin": "4821"}
    body = DOCUMENT["paths"]["/v1/auth/overrides"]["post"]["requestBody"]
    validator = _validator(body["content"]["application/json"]["schema"])
    void_line = {**base, "action": "void", "resource_id": f"{order}/lines/2", "amount_minor": 450}
    assert validator.is_valid(void_line)
    assert not validator.is_valid({**void_line, "action": "refund"})
    assert not validator.is_valid({**void_line, "amount_minor": None})
    discount = {**base, "action": "discount", "resource_id": order}
    assert validator.is_valid({**discount, "percent_bps": 2000})
    assert not validator.is_valid({**discount, "percent_bps": 2000, "amount_minor": 100})
    assert not validator.is_valid({**base, "action": "refund", "resource_id": "an order"})


def test_typed_where_it_was_untyped() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    snapshot = schemas["Receipt"]["properties"]["snapshot"]
    assert snapshot["discriminator"]["propertyName"] == "kind"
    assert schemas["SaleSnapshot"]["properties"]["lines"]["items"]
    assert schemas["SigningJwk"]["required"] == ["kty", "crv", "x", "y", "kid", "use", "alg"]
    audit = schemas["AuditEvent"]["properties"]
    assert audit["payload"]["type"] == "object" and audit["hash"]["pattern"]
