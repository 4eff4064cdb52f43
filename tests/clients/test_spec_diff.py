"""The breaking-change check (tools/spec_diff.py): each kind it reports, on the smallest
documents that show it, what it leaves alone, and the served spec against the released one,
whose breaking changes must all be acknowledged (clients/released/breaking-changes.txt)."""

from __future__ import annotations

import copy
import json
from typing import Any

from tools import spec_diff
from tools.clients import served_document

ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"$ref": "#/components/schemas/OrderStatus"},
        "total_minor": {"type": "integer"},
        "table_name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/OrderLine"}},
    },
    "required": ["id", "status", "total_minor", "lines"],
}
OPEN: dict[str, Any] = {
    "type": "object",
    "properties": {
        "table_name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "covers": {"type": "integer"},
        "tender": {"type": "string", "enum": ["cash", "card", "voucher"]},
        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
    },
}
LINE: dict[str, Any] = {
    "type": "object",
    "properties": {"item_id": {"type": "string"}, "quantity": {"type": "integer"}},
    "required": ["item_id"],
}


def released() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/orders": {
                "post": {
                    "operationId": "orders.open_order",
                    "security": [{"dpop": []}],
                    "parameters": [
                        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Open"}}
                        }
                    },
                    "responses": {
                        "201": {
                            "description": "opened",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Order"}
                                }
                            },
                        },
                        "409": {"description": "conflict"},
                    },
                },
                "get": {
                    "operationId": "orders.list_orders",
                    "security": [{"dpop": []}],
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["open", "closed"]},
                        }
                    ],
                    "responses": {"200": {"description": "orders"}},
                },
            },
            "/v1/orders/{order_id}": {
                "get": {
                    "operationId": "orders.get_order",
                    "security": [{"dpop": []}],
                    "responses": {"200": {"description": "the order"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Order": ORDER,
                "Open": OPEN,
                "Line": LINE,
                "OrderLine": copy.deepcopy(LINE),
                "OrderStatus": {"type": "string", "enum": ["open", "closed"]},
            },
            "securitySchemes": {"dpop": {"type": "http", "scheme": "DPoP"}},
        },
    }


def changed(change: Any) -> list[str]:
    """The breaking changes after `change(document)` edits a copy of the released one."""
    document = copy.deepcopy(released())
    change(document)
    return spec_diff.breaking_changes(released(), document)


def post(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/v1/orders"]["post"]
    return operation


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


OPEN_ORDER = "POST /v1/orders (orders.open_order)"


def test_the_same_document_breaks_nothing() -> None:
    assert spec_diff.breaking_changes(released(), released()) == []


def test_additions_a_client_does_not_need_to_know_break_nothing() -> None:
    def add(document: dict[str, Any]) -> None:
        document["paths"]["/v1/shifts"] = {"get": {"operationId": "shifts.list", "responses": {}}}
        schemas(document)["Open"]["properties"]["note"] = {"type": "string"}
        schemas(document)["Order"]["properties"]["note"] = {"type": "string"}
        schemas(document)["OrderStatus"]["enum"].append("void")
        post(document)["responses"]["200"] = {"description": "replayed"}
        post(document)["parameters"].append({"name": "page", "in": "query", "required": False})
        schemas(document)["Open"]["properties"]["covers"] = {"type": "integer", "maximum": 99}
        # A response status that is not a success, gone: a client handles problems by code.
        del post(document)["responses"]["409"]

    assert changed(add) == []


def test_an_operation_removed() -> None:
    def remove(document: dict[str, Any]) -> None:
        del document["paths"]["/v1/orders"]["get"]

    assert changed(remove) == ["operation-removed: GET /v1/orders (orders.list_orders)"]


def test_a_renamed_path_parameter_is_the_same_operation() -> None:
    def rename(document: dict[str, Any]) -> None:
        paths = document["paths"]
        paths["/v1/orders/{id}"] = paths.pop("/v1/orders/{order_id}")

    assert changed(rename) == []


def test_an_operation_id_changed() -> None:
    def rename(document: dict[str, Any]) -> None:
        post(document)["operationId"] = "orders.create"

    assert changed(rename) == [f"operation-id-changed: {OPEN_ORDER}: now orders.create"]


def test_a_required_parameter_added_or_made_required() -> None:
    def require(document: dict[str, Any]) -> None:
        post(document)["parameters"][0]["required"] = True
        post(document)["parameters"].append(
            {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"}}
        )

    assert changed(require) == [
        f"request-parameter-added-required: {OPEN_ORDER}: header if-match",
        f"request-parameter-became-required: {OPEN_ORDER}: header idempotency-key",
    ]


def test_a_parameter_narrowed_or_an_enum_value_removed() -> None:
    def narrow(document: dict[str, Any]) -> None:
        parameter = document["paths"]["/v1/orders"]["get"]["parameters"][0]
        parameter["schema"] = {"type": "string", "enum": ["open"]}
        post(document)["parameters"][0]["schema"] = {"type": "integer"}

    assert changed(narrow) == [
        "request-parameter-enum-value-removed: GET /v1/orders (orders.list_orders): "
        "query status: closed",
        f"request-parameter-type-narrowed: {OPEN_ORDER}: header idempotency-key: string -> integer",
    ]


def test_a_request_body_made_required() -> None:
    def require(document: dict[str, Any]) -> None:
        post(document)["requestBody"]["required"] = True

    assert changed(require) == [f"request-body-became-required: {OPEN_ORDER}: body"]


def test_a_request_media_type_removed() -> None:
    def replace(document: dict[str, Any]) -> None:
        content = post(document)["requestBody"]["content"]
        content["application/x-www-form-urlencoded"] = content.pop("application/json")

    assert changed(replace) == [f"request-media-type-removed: {OPEN_ORDER}: application/json"]


def test_a_required_request_property_added_or_made_required_at_any_depth() -> None:
    def require(document: dict[str, Any]) -> None:
        schemas(document)["Open"]["required"] = ["covers", "reason"]
        schemas(document)["Open"]["properties"]["reason"] = {"type": "string"}
        schemas(document)["Line"]["required"] = ["item_id", "quantity"]

    assert changed(require) == [
        f"request-property-added-required: {OPEN_ORDER}: reason",
        f"request-property-became-required: {OPEN_ORDER}: covers",
        f"request-property-became-required: {OPEN_ORDER}: lines[].quantity",
    ]


def test_a_request_property_narrowed() -> None:
    def narrow(document: dict[str, Any]) -> None:
        # null no longer accepted; a number where any was
        schemas(document)["Open"]["properties"]["table_name"] = {"type": "string"}
        schemas(document)["Line"]["properties"]["quantity"] = {"type": "string"}

    assert changed(narrow) == [
        f"request-property-type-narrowed: {OPEN_ORDER}: lines[].quantity: integer -> string "
        "(integer refused)",
        f"request-property-type-narrowed: {OPEN_ORDER}: table_name: null|string -> string "
        "(null refused)",
    ]


def test_a_request_property_widened_breaks_nothing() -> None:
    def widen(document: dict[str, Any]) -> None:
        schemas(document)["Open"]["properties"]["covers"] = {"type": ["integer", "null"]}
        schemas(document)["Line"]["properties"]["quantity"] = {"type": "number"}

    assert changed(widen) == []


def test_a_body_split_into_alternatives_keeps_what_each_accepts() -> None:
    """cash or card: one object becomes a oneOf of two, each with its own `tender`."""

    def split(document: dict[str, Any]) -> None:
        common = {"lines": OPEN["properties"]["lines"], "table_name": {"type": "string"}}
        schemas(document)["Open"] = {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {**common, "tender": {"const": tender}},
                    "required": ["tender"],
                }
                for tender in ("cash", "card", "voucher")
            ]
        }

    # Every tender is still accepted; but each alternative requires one, and none takes a
    # null table_name.
    assert changed(split) == [
        f"request-property-became-required: {OPEN_ORDER}: tender",
        f"request-property-type-narrowed: {OPEN_ORDER}: table_name: null|string -> string "
        "(null refused)",
    ]


def test_properties_declared_for_a_free_form_object_ask_for_nothing_new() -> None:
    def declare(document: dict[str, Any]) -> None:
        schemas(document)["Open"]["properties"]["public_jwk"] = {
            "type": "object",
            "properties": {"kty": {"type": "string"}, "x": {"type": "string"}},
            "required": ["kty", "x"],
        }

    document = released()
    schemas(document)["Open"]["properties"]["public_jwk"] = {"type": "object"}
    after = copy.deepcopy(document)
    declare(after)
    assert spec_diff.breaking_changes(document, after) == []


def test_a_parameter_no_longer_nullable_breaks_nothing() -> None:
    def tighten(document: dict[str, Any]) -> None:
        post(document)["parameters"][0]["schema"] = {"type": "string", "maxLength": 40}

    document = released()
    post(document)["parameters"][0]["schema"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    after = copy.deepcopy(document)
    tighten(after)
    assert spec_diff.breaking_changes(document, after) == []


def test_a_request_enum_value_removed() -> None:
    def remove(document: dict[str, Any]) -> None:
        schemas(document)["Open"]["properties"]["tender"]["enum"] = ["cash", "card"]

    assert changed(remove) == [
        f"request-property-enum-value-removed: {OPEN_ORDER}: tender: voucher"
    ]


def test_a_success_status_removed() -> None:
    def remove(document: dict[str, Any]) -> None:
        post(document)["responses"]["200"] = post(document)["responses"].pop("201")

    assert changed(remove) == [f"response-status-removed: {OPEN_ORDER}: 201"]


def test_a_response_media_type_removed() -> None:
    def replace(document: dict[str, Any]) -> None:
        content = post(document)["responses"]["201"]["content"]
        content["application/xml"] = content.pop("application/json")

    assert changed(replace) == [f"response-media-type-removed: {OPEN_ORDER}: 201 application/json"]


def test_a_response_property_removed_or_made_optional_at_any_depth() -> None:
    def remove(document: dict[str, Any]) -> None:
        del schemas(document)["Order"]["properties"]["total_minor"]
        schemas(document)["Order"]["required"] = ["id", "lines"]
        del schemas(document)["OrderLine"]["properties"]["quantity"]

    assert changed(remove) == [
        f"response-property-became-optional: {OPEN_ORDER}: 201.status",
        f"response-property-removed: {OPEN_ORDER}: 201.lines[].quantity",
        f"response-property-removed: {OPEN_ORDER}: 201.total_minor",
    ]


def test_a_response_property_type_changed() -> None:
    def change(document: dict[str, Any]) -> None:
        schemas(document)["Order"]["properties"]["total_minor"] = {
            "anyOf": [{"type": "integer"}, {"type": "null"}]
        }
        schemas(document)["Order"]["properties"]["table_name"] = {"type": "string"}

    # Narrower in a response (table_name never null now) is no surprise to a client.
    assert changed(change) == [
        f"response-property-type-changed: {OPEN_ORDER}: 201.total_minor: integer -> integer|null"
    ]


def test_security_changed() -> None:
    def change(document: dict[str, Any]) -> None:
        post(document)["security"] = [{"bearerAuth": []}]
        # An added alternative, or no longer needing any, breaks nothing.
        document["paths"]["/v1/orders"]["get"]["security"] = [{"dpop": []}, {"bridge": []}]
        document["paths"]["/v1/orders/{order_id}"]["get"]["security"] = [{}]

    assert changed(change) == [f"security-changed: {OPEN_ORDER}: dpop -> bearerAuth"]


def test_security_needed_where_none_was() -> None:
    document = released()
    del post(document)["security"]
    assert spec_diff.breaking_changes(document, released()) == [
        f"security-changed: {OPEN_ORDER}: none -> dpop"
    ]


def test_a_security_scheme_redefined() -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["securitySchemes"]["dpop"]["scheme"] = "bearer"

    assert changed(change) == ["security-scheme-changed: dpop: http DPoP -> http bearer"]


def test_every_breaking_change_since_the_release_is_acknowledged() -> None:
    released_spec = json.loads(spec_diff.RELEASED.read_text(encoding="utf-8"))
    changes = spec_diff.breaking_changes(released_spec, served_document())
    acknowledged = spec_diff.acknowledged()
    assert sorted(set(changes) - set(acknowledged)) == [], (
        "breaking changes since the released spec, not acknowledged: say them in the release "
        "notes and add them to clients/released/breaking-changes.txt (make spec-diff)"
    )
    assert sorted(set(acknowledged) - set(changes)) == [], (
        "acknowledged breaking changes that no longer happen: remove them from "
        "clients/released/breaking-changes.txt"
    )
