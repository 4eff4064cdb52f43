"""The merged OpenAPI document's examples and constraints (issue 23): every example validates
against the schema it is given for, every request body has one, and a request body states
in its schema the rules its model checks, so a client generated from the document sends only
what the server accepts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import jsonschema_rs
import pytest

from services.orders import pricing
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


def _success_responses() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every 2xx JSON response of every operation, with the media type it is described by."""
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                media = (response.get("content") or {}).get("application/json")
                if status.startswith("2") and media is not None:
                    yield f"{method.upper()} {path} {status}", media


RESPONSES = list(_success_responses())


def _response_has_example(media: dict[str, Any]) -> bool:
    """In the media type, in the schema it refers to, or (a list) in the schema of its items:
    a list of receipts is shown by a receipt."""
    if media.get("example") is not None or media.get("examples"):
        return True
    schema = _resolve(media["schema"])
    if schema.get("type") == "array" and "items" in schema:
        return _has_example(schema["items"])
    return _has_example(schema)


def test_the_document_has_success_responses() -> None:
    assert len(RESPONSES) > 90


@pytest.mark.parametrize(("operation", "media"), RESPONSES, ids=[r[0] for r in RESPONSES])
def test_every_success_response_has_an_example(operation: str, media: dict[str, Any]) -> None:
    assert _response_has_example(media), operation


# -- the examples tell one true story ------------------------------------------------------------


def _example(name: str) -> Any:
    return DOCUMENT["components"]["schemas"][name]["examples"][0]


def _orders_shown() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "Order", _example("Order")
    for name in ("PaymentResult", "ClosedOrder", "RefundResult", "FireResult"):
        yield name, _example(name)["order"]


ORDERS = list(_orders_shown())


@pytest.mark.parametrize(("where", "order"), ORDERS, ids=[o[0] for o in ORDERS])
def test_an_example_order_is_priced_as_the_server_prices_it(
    where: str, order: dict[str, Any]
) -> None:
    lines = order["lines"]
    priced = pricing.price_order(
        pricing.OrderInput(
            lines=tuple(
                pricing.LineInput(
                    key=line["line_number"],
                    quantity=line["quantity"],
                    unit_price_minor=line["unit_price_minor"],
                    tax_rate=Decimal(line["tax_rate"]),
                )
                for line in lines
                if line["status"] == "active"
            ),
            prices_include_tax=order["prices_include_tax"],
            service_charge_bps=order["service_charge_bps"],
            tip_minor=order["tip_minor"],
        )
    )
    for line in lines:
        modifiers = sum(modifier["price_minor"] for modifier in line["modifiers"])
        assert line["gross_minor"] == line["quantity"] * line["unit_price_minor"], where
        assert line["unit_price_minor"] > modifiers, where
    assert order["subtotal_minor"] == priced.subtotal_minor
    assert order["discount_minor"] == priced.discount_minor
    assert order["tax_minor"] == priced.tax_minor == sum(g["tax_minor"] for g in order["tax"])
    assert [
        (Decimal(g["rate"]), g["net_minor"], g["tax_minor"], g["gross_minor"]) for g in order["tax"]
    ] == [(g.rate, g.net_minor, g.tax_minor, g.gross_minor) for g in priced.tax]
    assert order["total_minor"] == priced.total_minor
    assert order["total_minor"] == (
        order["subtotal_minor"]
        - order["discount_minor"]
        + order["service_charge_minor"]
        + order["tip_minor"]
    )
    approved = [p for p in order["payments"] if p["status"] == "approved"]
    assert order["paid_minor"] == sum(p["amount_minor"] for p in approved)
    assert (
        order["balance_minor"]
        == order["total_minor"] + order["rounding_minor"] - order["paid_minor"]
    )
    assert order["refunded_minor"] == sum(line["refunded_minor"] for line in lines)
    assert order["refunded_minor"] == sum(p["refunded_minor"] for p in order["payments"])


def test_a_receipt_is_its_order_as_it_closed() -> None:
    closed = _example("ClosedOrder")
    order, receipt = closed["order"], closed["receipt"]
    snapshot = receipt["snapshot"]
    assert order["status"] == "closed" and order["balance_minor"] == 0
    assert receipt["order_id"] == snapshot["order_id"] == order["id"]
    assert receipt["shift_id"] == order["shift_id"]
    assert receipt["register_id"] == order["register_id"]
    assert receipt["total_minor"] == order["total_minor"] + order["rounding_minor"]
    sold = [line for line in order["lines"] if line["status"] == "active"]
    fields = ("line_number", "name", "quantity", "unit_price_minor", "modifiers", "gross_minor")
    assert [{k: line[k] for k in fields} for line in snapshot["lines"]] == [
        {k: line[k] for k in fields} for line in sold
    ]
    for name in ("subtotal_minor", "discount_minor", "tax", "tax_minor", "total_minor"):
        assert snapshot[name] == order[name], name
    assert snapshot["paid_minor"] == order["paid_minor"]
    assert [p["amount_minor"] for p in snapshot["payments"]] == [
        p["amount_minor"] for p in order["payments"] if p["status"] == "approved"
    ]
    assert _example("Receipt") == receipt


def test_a_refund_gives_back_what_its_receipt_says() -> None:
    result = _example("RefundResult")
    refund, order, receipt = result["refund"], result["order"], result["receipt"]
    sale = _example("ClosedOrder")["order"]
    snapshot = receipt["snapshot"]
    assert refund["order_id"] == order["id"] == receipt["order_id"] == sale["id"]
    assert receipt["refund_id"] == refund["id"]
    assert receipt["original_receipt_id"] == _example("ClosedOrder")["receipt"]["id"]
    assert refund["amount_minor"] == sum(line["amount_minor"] for line in refund["lines"])
    assert refund["amount_minor"] + refund["rounding_minor"] == sum(
        tender["amount_minor"] for tender in refund["tenders"]
    )
    group = sale["tax"][0]
    assert refund["tax_minor"] == pricing.refund_tax(
        group_gross_minor=group["gross_minor"],
        group_tax_minor=group["tax_minor"],
        refunded_gross_minor=0,
        refunded_tax_minor=0,
        amount_minor=refund["amount_minor"],
    )
    assert order["refunded_minor"] == refund["amount_minor"]
    assert receipt["total_minor"] == snapshot["amount_minor"] == refund["amount_minor"]
    assert snapshot["tax"] == refund["tax"] and snapshot["lines"] == refund["lines"]


def test_a_shift_report_adds_up() -> None:
    z = _example("ZReport")
    assert z["net_sales_minor"] == (
        z["gross_sales_minor"] - z["discounts_minor"] + z["service_charges_minor"]
    )
    assert z["tax_total_minor"] == sum(group["tax_minor"] for group in z["tax"])
    # Prices include tax: the sales per rate, tax included, are the net sales.
    assert sum(group["gross_minor"] for group in z["tax"]) == z["net_sales_minor"]
    paid = z["payments"]
    assert paid["cash"]["count"] + paid["card"]["count"] == z["order_count"]
    assert paid["cash"]["amount_minor"] + paid["card"]["amount_minor"] == (
        z["net_sales_minor"] + z["tips_minor"] + z["rounding_minor"]
    )
    refunded = z["refunds"]["by_tender"]
    assert z["expected"] == {
        "cash": z["opening_float_minor"]
        + paid["cash"]["amount_minor"]
        - refunded["cash"]
        + z["paid_in_minor"]
        - z["paid_out_minor"],
        "card": paid["card"]["amount_minor"] - refunded["card"],
    }
    assert z["difference"] == {
        tender: z["counted"][tender] - z["expected"][tender] for tender in ("cash", "card")
    }
    assert z["paid_out_minor"] == sum(m["amount_minor"] for m in z["cash_movements"])


def test_the_day_adds_up() -> None:
    summary = _example("DailySummary")
    totals = summary["totals"]
    assert totals["net_sales_minor"] == (
        totals["gross_sales_minor"] - totals["discounts_minor"] + totals["service_charges_minor"]
    )
    assert totals["sales_including_tax_minor"] == (
        totals["sales_excluding_tax_minor"] + totals["tax_minor"]
    )
    assert totals["average_ticket_minor"] == round(
        totals["sales_including_tax_minor"] / totals["orders"]
    )
    for tender in totals["payments"]:
        assert tender["net_minor"] == tender["paid_minor"] - tender["refunded_minor"]
    z = _example("ZReport")
    assert totals["net_sales_minor"] == z["net_sales_minor"]
    mix = _example("ItemMix")
    # One vocabulary: the item mix's money columns mean what the daily summary's do.
    for key in ("gross_sales_minor", "discounts_minor", "service_charges_minor", "net_sales_minor"):
        assert mix["totals"][key] == totals[key], key
    money = ("gross_sales_minor", "discounts_minor", "service_charges_minor", "net_sales_minor")
    for key in ("quantity", *money, "refunded_quantity"):
        assert sum(row[key] for row in mix["items"]) == mix["totals"][key], key
        assert sum(row[key] for row in mix["categories"]) == mix["totals"][key], key


def test_the_tax_returns_add_up() -> None:
    bas = {label["label"]: label for label in _example("Bas")["labels"]}
    amount = {name: label["amount_minor"] for name, label in bas.items()}
    assert amount["G5"] == amount["G2"] + amount["G3"] + amount["G4"]
    assert amount["G6"] == amount["G1"] - amount["G5"]
    assert amount["G8"] == amount["G6"] + amount["G7"]
    assert amount["G9"] == round(amount["G8"] / 11)
    assert all(label["whole_dollars"] == label["amount_minor"] // 100 for label in bas.values())
    vat = _example("VatSummary")
    for rate in vat["rates"]:
        assert rate["net_minor"] == rate["sales"]["net_minor"] - rate["refunds"]["net_minor"]
        assert rate["tax_minor"] == rate["sales"]["tax_minor"] - rate["refunds"]["tax_minor"]
    assert vat["net_minor"] == sum(rate["net_minor"] for rate in vat["rates"])
    assert vat["tax_minor"] == sum(rate["tax_minor"] for rate in vat["rates"])
