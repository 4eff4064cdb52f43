"""The check that holds the running code to its OpenAPI document (libs/api/openapi.py
`undeclared`, run at the end of every test session by tests/conftest.py): each response a
route sent must be declared by its operation, status, problem code and header alike."""

from __future__ import annotations

from typing import Any

from libs.api.openapi import Sent, undeclared
from libs.problems import NotFound, merge_responses, problems
from libs.rbac import Permission
from libs.rbac.matrix import Route

ROUTE = Route("GET", "/v1/orders/{order_id}", "orders", Permission.ORDERS_READ)


class OrderNotFound(NotFound):
    code = "order-not-found"
    title = "No such order"


def _document() -> dict[str, Any]:
    responses = merge_responses(
        {200: {"description": "The order", "headers": {"ETag": {"schema": {"type": "string"}}}}},
        problems(OrderNotFound),
    )
    return {
        "paths": {ROUTE.path: {"get": {"responses": {str(k): v for k, v in responses.items()}}}}
    }


def _find(method: str, path: str) -> Route | None:
    return ROUTE if ROUTE.matches(method, path) else None


def _sent(status: int, code: str | None = None, *headers: str) -> Sent:
    return Sent("GET", "/v1/orders/42", status, code, frozenset(headers))


def test_what_the_route_declares_passes() -> None:
    sent = [_sent(200, None, "etag"), _sent(404, "order-not-found")]
    assert undeclared(sent, _document(), _find) == []


def test_a_status_the_operation_does_not_declare_is_named() -> None:
    assert undeclared([_sent(409, "version-conflict")], _document(), _find) == [
        "GET /v1/orders/{order_id} 409 (code version-conflict): status not declared"
    ]


def test_a_problem_code_its_status_does_not_list_is_named() -> None:
    assert undeclared([_sent(404, "receipt-not-found")], _document(), _find) == [
        "GET /v1/orders/{order_id} 404: problem code receipt-not-found not declared"
    ]


def test_a_header_its_response_does_not_declare_is_named() -> None:
    assert undeclared([_sent(404, "order-not-found", "retry-after")], _document(), _find) == [
        "GET /v1/orders/{order_id} 404: header retry-after not declared"
    ]


def test_what_no_route_owns_is_left_to_the_route_table() -> None:
    stray = Sent("GET", "/v1/nothing/here", 404, "not-found", frozenset())
    dotted = Sent("GET", "/v1/orders/../x", 404, "not-found", frozenset())
    assert undeclared([stray, dotted], _document(), _find) == []
