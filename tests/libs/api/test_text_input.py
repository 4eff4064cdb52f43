"""Text a person types, as every service takes it in (libs/text.py): NFC, trimmed, bounded,
and without the characters that turn a name into a printer command, a reordered line or a
Postgres error. Every request string of every route is one of these types, or is on a short
list of fields that have validators of their own, with the reason."""

from __future__ import annotations

import re
import types
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import httpx
import pytest
from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import AwareDatetime, BaseModel, TypeAdapter, ValidationError

from libs.auth.access_tokens import TokenVerifier
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from libs.text import (
    MULTI_LINE_PATTERN,
    MULTI_LINE_TEXT_PATTERN,
    SINGLE_LINE_PATTERN,
    SINGLE_LINE_TEXT_PATTERN,
    Email,
    Name,
    Note,
    Text,
    printable,
)
from services.identity.keys.signing import SigningKey
from services.orders.sync.schemas import Operation
from tests.support.database import Connect, Provision, as_service
from tests.support.rbac import service_apps
from tests.support.tokens import TokenFactory

NAME = TypeAdapter(Name)
NOTE = TypeAdapter(Note)
EMAIL = TypeAdapter(Email)

# Every character the rules refuse, by class. (A line feed is refused in a single line only.)
C0 = [chr(code) for code in range(0x00, 0x20) if chr(code) != "\n"]
C1 = [chr(code) for code in range(0x80, 0xA0)]
BIDI = [*"\u202a\u202b\u202c\u202d\u202e", *"\u2066\u2067\u2068\u2069"]
REFUSED = [*C0, "\x7f", *C1, *BIDI, "\u2028", "\u2029"]


def _refusal(adapter: TypeAdapter[Any], value: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as refused:
        adapter.validate_python(value)
    [error] = refused.value.errors()
    return dict(error)


# -- the types ---------------------------------------------------------------------------------


def test_text_is_stored_in_nfc_and_trimmed() -> None:
    decomposed = "Cafe\u0301 latte"  # e + combining acute, as some keyboards send it
    assert NAME.validate_python(decomposed) == "Café latte"
    assert NAME.validate_python(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert NAME.validate_python("\u00a0 Flat white \u3000") == "Flat white"
    # Inside a name, spacing is the owner's business.
    assert NAME.validate_python("Flat  white") == "Flat  white"


@pytest.mark.parametrize("character", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_every_control_bidi_and_separator_character_is_refused(character: str, where: str) -> None:
    # At either end too: U+001C..U+001F and U+0085 are white space to Python's strip(), and
    # must be refused, not quietly dropped.
    value = {"start": character + "Pizza", "middle": "Piz" + character + "za"}.get(
        where, "Pizza" + character
    )
    error = _refusal(NAME, value)
    assert error["type"] == "forbidden_character"
    assert f"U+{ord(character):04X}" in error["msg"]
    # Notes refuse the same (a line feed aside).
    assert _refusal(NOTE, value)["type"] == "forbidden_character"


def test_a_line_break_is_refused_in_a_name_and_kept_in_a_note() -> None:
    assert "single line" in _refusal(NAME, "Flat\nwhite")["msg"]
    assert NOTE.validate_python("Till 2 short\r\nrecounted\n") == "Till 2 short\nrecounted"
    for character in ("\r", "\t", "\x0b", "\x0c", "\x1b"):
        assert _refusal(NOTE, f"Till 2{character}short")["type"] == "forbidden_character"


def test_a_lone_surrogate_is_refused() -> None:
    # JSON may spell one ("\\ud800"); no encoder, Postgres's included, takes it.
    assert _refusal(NAME, "Pizza\ud800")["type"] == "forbidden_character"


def test_length_is_bounded_in_code_points_after_normalising() -> None:
    assert NAME.validate_python("x" * 100) == "x" * 100
    assert _refusal(NAME, "x" * 101)["type"] == "string_too_long"
    # 200 code points as sent, 100 once composed: it fits.
    assert len(NAME.validate_python("e\u0301" * 100)) == 100
    assert NAME.validate_python("  " + "x" * 100 + "  ") == "x" * 100
    assert _refusal(NOTE, "x" * 501)["type"] == "string_too_long"


@pytest.mark.parametrize("blank", ["", " ", "\u00a0\u3000"])
def test_a_required_name_cannot_be_blank(blank: str) -> None:
    assert _refusal(NAME, blank)["type"] == "string_too_short"


def test_only_strings_are_text() -> None:
    assert _refusal(NAME, 12)["type"] == "string_type"
    assert _refusal(NAME, None)["type"] == "string_type"


def test_an_email_is_lower_case_trimmed_and_has_no_control_character() -> None:
    assert (
        EMAIL.validate_python("  Sam.Cook@HarbourLane.example ") == "sam.cook@harbourlane.example"
    )
    assert _refusal(EMAIL, "sam\x1b@harbourlane.example")["type"] == "forbidden_character"
    assert _refusal(EMAIL, "sam@harbour\u202elane.example")["type"] == "forbidden_character"
    for malformed in ("not-an-email", "sam@localhost", "sam cook@harbourlane.example", "a@b@c.d"):
        assert _refusal(EMAIL, malformed)["type"] == "string_pattern_mismatch", malformed
    assert _refusal(EMAIL, "s@" + "x" * 250 + ".au")["type"] == "string_too_long"


def test_the_published_schema_states_the_rule() -> None:
    schema = NAME.json_schema()
    assert schema["maxLength"] == 100 and schema["minLength"] == 1
    assert schema["pattern"] == SINGLE_LINE_TEXT_PATTERN
    assert schema["x-halopos-text"] == "single-line"
    assert NOTE.json_schema()["pattern"] == MULTI_LINE_TEXT_PATTERN
    # Required text has a character besides white space, which is stripped.
    for pattern in (SINGLE_LINE_TEXT_PATTERN, MULTI_LINE_TEXT_PATTERN):
        assert re.fullmatch(pattern, " \u00a0 ") is None
        assert re.fullmatch(pattern, " Flat white ")
    assert re.fullmatch(MULTI_LINE_TEXT_PATTERN, "Till 2\ncounted twice")
    # The pattern integrators see refuses exactly what the validator refuses.
    single, multi = re.compile(SINGLE_LINE_PATTERN), re.compile(MULTI_LINE_PATTERN)
    for character in REFUSED:
        assert single.fullmatch(f"a{character}b") is None
        assert multi.fullmatch(f"a{character}b") is None
    assert single.fullmatch("a\nb") is None and multi.fullmatch("a\nb")
    assert single.fullmatch("Café ☕ Zürich 東京 مقهى")


def test_printable_keeps_the_text_and_drops_the_commands() -> None:
    assert printable("Pizza\x1bp\x00\x19\xfa") == "Pizzapú"
    assert printable("Flat\nwhite\tlarge\r") == "Flat white large "
    assert printable("\u202egnp.exe\u2069") == "gnp.exe"
    assert printable("Café ☕") == "Café ☕"


# -- every request field -----------------------------------------------------------------------

# Strings that are not text a person types, each with the validator that holds it instead.
NOT_TEXT = {
    "StaffCreate.password": "a credential: argon2id-hashed, never stored, shown or printed",
    "PasswordSignIn.password": "a credential: verified against its argon2id hash, never stored",
    "StaffCreate.pin": "4 to 6 ASCII digits (pattern), then hashed",
    "StaffUpdate.pin": "4 to 6 ASCII digits (pattern), then hashed (a PIN reset)",
    "PinSignIn.pin": "4 to 6 ASCII digits (pattern)",
    "RefundOverride.pin": "4 to 6 ASCII digits (pattern)",
    "VoidOverride.pin": "4 to 6 ASCII digits (pattern)",
    "DiscountAmountOverride.pin": "4 to 6 ASCII digits (pattern)",
    "DiscountPercentOverride.pin": "4 to 6 ASCII digits (pattern)",
    "ForceCloseOverride.pin": "4 to 6 ASCII digits (pattern)",
    "CodeSignIn.code": "6 ASCII digits (pattern)",
    "EnrolmentConfirm.code": "6 ASCII digits (pattern)",
    "RecoveryCodeSignIn.recovery_code": "a credential: only its digest is compared, never stored",
    "PasswordSignIn.enrolment_code": "a credential: only its digest is compared, never stored",
    "CodeSignIn.challenge": "an opaque credential: parse_credential's ASCII pattern, digest",
    "RecoveryCodeSignIn.challenge": "an opaque credential: parse_credential's pattern, digest",
    "EnrolmentStart.challenge": "an opaque credential: parse_credential's ASCII pattern, digest",
    "EnrolmentConfirm.challenge": "an opaque credential: parse_credential's ASCII pattern",
    "RefreshRequest.refresh_token": "an opaque credential: parse_credential's ASCII pattern",
    "PinSignIn.device": "an opaque device handle: parse_credential's ASCII pattern",
    "DeviceActivation.code": "an opaque credential: parse_credential's ASCII pattern",
    "DeviceActivation.public_jwk": "a JWK: only the RFC 7638 members are kept, and their "
    "thumbprint must equal that of the key that signed the request's DPoP proof",
    "RefundOverride.resource_id": "a UUID or <UUID>/lines/<n>: canonicalised by a pattern",
    "VoidOverride.resource_id": "a UUID or <UUID>/lines/<n>: canonicalised by a pattern",
    "DiscountAmountOverride.resource_id": "a UUID or <UUID>/lines/<n>: canonicalised by a pattern",
    "DiscountPercentOverride.resource_id": "a UUID or <UUID>/lines/<n>: canonicalised by a pattern",
    "ForceCloseOverride.resource_id": "a UUID or <UUID>/lines/<n>: canonicalised by a pattern",
    "TaxCategoryCreate.code": "ASCII [a-z0-9-] (pattern, and a CHECK constraint)",
    "CardDetails.scheme": "ASCII [a-z_] (pattern)",
    "CardDetails.last4": "4 ASCII digits (pattern)",
    "CardDetails.auth_code": "ASCII letters and digits (pattern)",
    "CardDetails.terminal_id": "ASCII [A-Za-z0-9_.-] (pattern)",
    "EndpointCreate.url": "an http(s) URL in ASCII (pattern), then checked by "
    "services/webhooks/addresses.py before it is stored or sent to",
    "EndpointUpdate.url": "the same as EndpointCreate.url",
    "ClosureRequest.period": "read by services/reports/days.Period against ASCII patterns",
    "query:period": "read by services/reports/days.Period against ASCII patterns",
    "query:cursor": "opaque: decode_cursor reads a timestamp and a UUID out of it, or 400",
    "Batch.operations": "each one is validated as services.orders.sync.schemas.Operation, "
    "which this test walks too",
    "OrderCreateData.override_token": "a compact JWS (pattern), verified as X-Override-Token",
    "RefundData.override_token": "a compact JWS (pattern), verified as X-Override-Token",
    "OrderVoidData.override_token": "a compact JWS (pattern), verified as X-Override-Token",
    "ShiftCloseData.override_token": "a compact JWS (pattern), verified as X-Override-Token",
    "header:Idempotency-Key": "a header (the HTTP server refuses control characters in "
    "headers); compared, never printed or exported",
    "header:If-Match": "a header, read as a version number",
    "header:X-Override-Token": "a header, verified as a signed token",
    "header:X-Device": "a header, parsed as a device handle (hpd_<business>_<secret>) or refused",
    "header:If-None-Match": "a header, compared with the roster's ETag and never stored",
    "header:Stripe-Signature": "a header, verified as Stripe's HMAC",
}
PLAIN = (int, float, bool, Decimal, uuid.UUID, date, datetime, AwareDatetime, type(None))


def _strings(annotation: Any, metadata: list[Any], where: str) -> Iterator[str]:
    """Where `annotation` takes a string that is not one of the text types."""
    if any(isinstance(rule, Text) for rule in metadata):
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *more = get_args(annotation)
        yield from _strings(inner, [*metadata, *more], where)
    elif origin in (Union, types.UnionType):
        for option in get_args(annotation):
            yield from _strings(option, metadata, where)
    elif origin is Literal:
        return
    elif origin in (list, tuple, set, frozenset):
        for item in get_args(annotation):
            yield from _strings(item, [], where)
    elif origin is dict or annotation is Any:
        yield where
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _strings(field.annotation, field.metadata, f"{annotation.__name__}.{name}")
    elif isinstance(annotation, type) and issubclass(annotation, (Enum, *PLAIN)):
        return
    else:
        # str, or a type this walk does not know: either way, someone must look at it.
        yield where


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for dependency in dependant.dependencies:
        yield from _dependants(dependency)


def _route_strings(route: APIRoute) -> Iterator[str]:
    for dependant in _dependants(route.dependant):
        for field in dependant.body_params:
            yield from _strings(field.field_info.annotation, field.field_info.metadata, "body")
        located = [
            *(("path", field) for field in dependant.path_params),
            *(("query", field) for field in dependant.query_params),
            *(("header", field) for field in dependant.header_params),
            *(("cookie", field) for field in dependant.cookie_params),
        ]
        for location, field in located:
            info = field.field_info
            assert isinstance(info, params.Param)
            yield from _strings(info.annotation, info.metadata, f"{location}:{field.alias}")


def test_every_request_string_is_text_or_has_a_validator_of_its_own(
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
    signing_key: SigningKey,
) -> None:
    found: dict[str, set[str]] = {}
    for name, app in service_apps(service_databases, verifier, signing_key).items():
        routes = [route for router in app.state.routers for route in router.routes]
        assert routes, name
        for route in routes:
            assert isinstance(route, APIRoute)
            for where in _route_strings(route):
                found.setdefault(where, set()).add(f"{name} {route.path}")
    # What a till uploads offline is validated operation by operation, apart from the body.
    for where in _strings(Operation, [], "sync operation"):
        found.setdefault(where, set()).add("orders POST /v1/sync/operations")

    untyped = {where: sorted(routes) for where, routes in found.items() if where not in NOT_TEXT}
    assert not untyped, f"give these a libs/text.py type (or list why not): {untyped}"
    stale = set(NOT_TEXT) - set(found)
    assert not stale, f"no longer in any request: {stale}"


# -- through the API ---------------------------------------------------------------------------


@pytest.fixture
async def menu(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> tuple[uuid.UUID, httpx.Auth, dict[str, str]]:
    tenant = await provision()
    owner = token(tenant, Role.OWNER, subject="staff-owner")
    taxes = (await orders_client.get("/v1/tax/categories", auth=owner)).json()["items"]
    category = await orders_client.post("/v1/menu/categories", json={"name": "Pizza"}, auth=owner)
    assert category.status_code == 201, category.text
    body = {"category_id": category.json()["id"], "tax_category_id": taxes[0]["id"]}
    return tenant, owner, body


def _validation_problem(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    if problem["code"] == "nul-character-refused":
        # U+0000 may be refused before validation, by the request middleware; the types
        # refuse it on their own too (the unit tests above).
        return
    assert problem["code"] == "validation-failed"
    assert [error["location"][-1] for error in problem["errors"]] == [field]


@pytest.mark.parametrize(
    "name",
    [
        "Margherita\x1bp0\x19\xfa",  # ESC p: opens the cash drawer on every receipt
        "Margherita\x00",  # U+0000: Postgres refuses it in text (was a 500)
        "\u202eatirehgraM",  # shows reversed
        "Margherita\n\x1dVA\x03",  # GS V: cuts the paper
    ],
    ids=["esc-p", "nul", "bidi-override", "gs-v"],
)
async def test_a_menu_item_name_with_a_printer_command_is_refused_and_nothing_is_stored(
    name: str,
    menu: tuple[uuid.UUID, httpx.Auth, dict[str, str]],
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    tenant, owner, body = menu
    response = await orders_client.post(
        "/v1/menu/items", json={**body, "name": name, "price_minor": 1800}, auth=owner
    )
    _validation_problem(response, "name")
    # The problem names the character; it does not echo the text back.
    assert name not in response.text
    stored = await as_service(connect_as, "orders", tenant, "SELECT name FROM orders.menu_items")
    assert stored == []

    # The same for a category's, a modifier group's and a modifier's name, and a rename.
    refused = await orders_client.post("/v1/menu/categories", json={"name": name}, auth=owner)
    _validation_problem(refused, "name")
    group = await orders_client.post(
        "/v1/menu/modifier-groups", json={"name": f"Extras{name}"}, auth=owner
    )
    _validation_problem(group, "name")
    item = await orders_client.post(
        "/v1/menu/items", json={**body, "name": "Margherita", "price_minor": 1800}, auth=owner
    )
    assert item.status_code == 201, item.text
    renamed = await orders_client.patch(
        f"/v1/menu/items/{item.json()['id']}", json={"name": name, "version": 1}, auth=owner
    )
    _validation_problem(renamed, "name")
    names = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT name FROM orders.menu_items UNION ALL SELECT name FROM orders.menu_categories",
    )
    assert sorted(row["name"] for row in names) == ["Margherita", "Pizza"]


async def test_a_name_is_stored_composed_and_trimmed(
    menu: tuple[uuid.UUID, httpx.Auth, dict[str, str]], orders_client: httpx.AsyncClient
) -> None:
    _, owner, body = menu
    response = await orders_client.post(
        "/v1/menu/items",
        json={**body, "name": "  Cafe\u0301 latte\u00a0", "price_minor": 550},
        auth=owner,
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Café latte"


@pytest.mark.parametrize("email", ["sam\x1b@harbourlane.example", "sam@harbourlane.example\x00"])
async def test_a_staff_email_with_a_control_character_is_refused(
    email: str,
    provision: Provision,
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    body = {"email": email, "display_name": "Sam", "role": "cashier"}
    response = await identity_client.post("/v1/staff", json=body, auth=token(tenant, Role.OWNER))
    _validation_problem(response, "email")
    stored = await as_service(connect_as, "identity", tenant, "SELECT id FROM identity.staff")
    assert stored == []


async def test_a_staff_display_name_with_a_control_character_is_refused(
    provision: Provision, token: TokenFactory, identity_client: httpx.AsyncClient
) -> None:
    tenant = await provision()
    body = {"email": "sam@harbourlane.example", "display_name": "Sam\x07", "role": "cashier"}
    response = await identity_client.post("/v1/staff", json=body, auth=token(tenant, Role.OWNER))
    _validation_problem(response, "display_name")


async def test_an_audit_filter_with_nul_is_refused_not_a_server_error(
    provision: Provision, token: TokenFactory, audit_client: httpx.AsyncClient
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    for parameter in ("actor_type", "actor_id", "action", "resource_type", "resource_id"):
        response = await audit_client.get(
            "/v1/audit/events", params={parameter: "order\x00"}, auth=owner
        )
        _validation_problem(response, parameter)
    # A plain filter still works.
    listed = await audit_client.get("/v1/audit/events", params={"action": "order.*"}, auth=owner)
    assert listed.status_code == 200, listed.text
