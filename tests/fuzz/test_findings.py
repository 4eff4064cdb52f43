"""What the API fuzz found, pinned one request each, so a regression fails here by name and not
only as one generated example among thousands (tests/fuzz/test_api_fuzz.py)."""

from __future__ import annotations

import pytest
import requests

from libs.api.pagination import MAX_SEQ_CURSOR
from libs.rbac import ROUTES, Role, is_allowed
from tests.fuzz.sessions import Business
from tests.fuzz.stack import FuzzStack, merged_openapi_document

pytestmark = pytest.mark.fuzz

DOCUMENT = merged_openapi_document()

# What any route can answer, whatever it does: a body over the card guard's limit (413), a
# request the card guard or validation refuses (422), the gateway's rate limits and caps (429),
# and a service that cannot be reached (503). Behind a token also no or a bad token (401) and a
# role or subscription that does not allow it (403); a public route sends neither of those
# unless it reads a DPoP proof (sign-in, refresh, activation: 401). Each route declares its
# own 400s, 404s and 409s itself (docs/architecture.md, "Declaring errors and headers").
ANY_ROUTE = {"413", "422", "429", "503"}
BEHIND_A_TOKEN = {"401", "403"}


def operations() -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, ops in DOCUMENT["paths"].items() for method in ops]


@pytest.mark.parametrize(("method", "path"), operations(), ids=lambda value: str(value))
def test_every_operation_declares_what_any_route_can_answer(method: str, path: str) -> None:
    operation = DOCUMENT["paths"][path][method.lower()]
    route = next(route for route in ROUTES if (route.method, route.path) == (method, path))
    expected = ANY_ROUTE | (BEHIND_A_TOKEN if route.permission else set())
    undeclared = expected - set(operation["responses"])
    assert not undeclared, sorted(undeclared)
    for status in expected:
        content = operation["responses"][status]["content"]
        assert content["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/ProblemDetails"
        }


@pytest.mark.parametrize(
    ("method", "path", "headers", "code"),
    [
        # Found by the fuzz: a cursor that is not one of ours (libs/api/pagination.py).
        ("GET", "/v1/orders?cursor=" + "0" * 64, {}, "invalid-cursor"),
        # Found by the fuzz: an If-Match and a body `version` that disagree
        # (libs/api/concurrency.py).
        ("PATCH", "/v1/orders/{order_id}", {"If-Match": "0" * 40}, "version-mismatch"),
    ],
    ids=["cursor", "if-match"],
)
def test_a_request_that_cannot_be_read_is_a_declared_400(
    method: str,
    path: str,
    headers: dict[str, str],
    code: str,
    fuzz_stack: FuzzStack,
    business: Business,
) -> None:
    """Undeclared before: the published document promised integrators no 400 anywhere."""
    response = requests.request(
        method,
        fuzz_stack.gateway + path.format(order_id=business.order_id),
        json={"covers": 1, "version": 1} if method == "PATCH" else None,
        headers=headers,
        auth=business.cashier,
        timeout=30,
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    template = path.split("?", 1)[0]
    assert "400" in DOCUMENT["paths"][template][method.lower()]["responses"]


@pytest.mark.parametrize("path", ["/v1/audit/events", "/v1/audit/checkpoints"])
def test_a_cursor_past_a_bigint_is_refused_not_a_server_error(
    path: str, fuzz_stack: FuzzStack, business: Business
) -> None:
    """Found by the fuzz: `cursor=132355788301517992082625402247315456` reached Postgres,
    which cannot take it (asyncpg OverflowError), and was answered 500."""
    for cursor, status in ((MAX_SEQ_CURSOR, 200), (MAX_SEQ_CURSOR + 1, 422), (2**120, 422)):
        response = requests.get(
            f"{fuzz_stack.gateway}{path}",
            params={"cursor": str(cursor)},
            auth=business.owner,
            timeout=30,
        )
        assert response.status_code == status, (cursor, response.text)
    assert response.json()["code"] == "validation-failed"
    [parameter] = [p for p in DOCUMENT["paths"][path]["get"]["parameters"] if p["name"] == "cursor"]
    assert parameter["schema"]["anyOf"][0]["maximum"] == MAX_SEQ_CURSOR


def test_the_document_names_the_scheme_each_route_takes(
    fuzz_stack: FuzzStack, business: Business
) -> None:
    """It said `bearer` for every route: a client built from it sent `Authorization: Bearer`
    with a DPoP-bound token, which is refused (a stolen bearer token must be useless)."""
    schemes = DOCUMENT["components"]["securitySchemes"]
    assert schemes["dpop"]["scheme"] == "DPoP"
    assert (schemes["dpopProof"]["in"], schemes["dpopProof"]["name"]) == ("header", "DPoP")
    assert schemes["bridgeToken"]["scheme"] == "bearer"
    for route in ROUTES:
        operation = DOCUMENT["paths"][route.path][route.method.lower()]
        if route.permission is None:
            # Nothing, or the DPoP proof alone (sign-in, refresh, activation).
            assert operation["security"] in ([], [{"dpopProof": []}]), route
        elif is_allowed(Role.BRIDGE, route.permission):
            assert operation["security"] == [{"bridgeToken": []}], route
        else:
            assert operation["security"] == [{"dpop": [], "dpopProof": []}], route
    as_bearer = requests.get(
        f"{fuzz_stack.gateway}/v1/menu",
        headers={"Authorization": f"Bearer {business.owner.current_access_token()}"},
        timeout=30,
    )
    assert as_bearer.status_code == 401, as_bearer.text
