"""No card data, ever: refused before any handler, log or table sees it."""

from __future__ import annotations

import logging
import uuid

import httpx
import pytest

from libs.api.card_guard import MAX_BODY_BYTES, contains_card_number, luhn_valid
from tests.support.database import Connect, Provision, as_tenant
from tests.support.tills import coffee_order, open_till
from tests.support.tokens import TokenFactory

# Test numbers published by the card networks for testing; none is a real card.
VISA = "4111111111111111"
AMEX = "378282246310005"
MASTERCARD_2_SERIES = "2223003122003222"


@pytest.mark.parametrize(
    "text",
    [
        VISA,
        f"card {VISA} ok",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        AMEX,
        "3782 822463 10005",
        MASTERCARD_2_SERIES,
        f'{{"note": "{VISA}"}}',
        f'{{"pan":{VISA}}}',
        f"card:{VISA}",
        f"({VISA})",
        f"{VISA}.",
        "6011111111111117",  # Discover, 16
        "6212345678901265",  # UnionPay, 16
        "6759649826438453",  # Maestro
    ],
)
def test_card_numbers_are_recognised(text: str) -> None:
    assert contains_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111112",  # fails Luhn
        "1732350000000",  # epoch milliseconds
        "123456789012",  # 12 digits
        "41111111111111111111",  # 20 digits
        "11111111-1111-1111-1111-111111111111",  # an all-digit UUID
        "Table 12, 4 covers, 2 flat whites at 550",
        str(uuid.UUID(int=4111111111111111)),
        "+61 4111 111 111",  # a phone number: 12 digits
    ],
)
def test_ordinary_data_is_not_mistaken_for_a_card(text: str) -> None:
    assert not contains_card_number(text)


def luhn_completed(prefix: str) -> str:
    """`prefix` with the check digit that makes it pass Luhn."""
    return next(prefix + digit for digit in "0123456789" if luhn_valid(prefix + digit))


def identifiers_holding_card_shaped_runs() -> list[str]:
    """Every placement of a Luhn-valid 13-19 digit run inside a UUID's 32 hex digits, with
    letters around it, in every form an id travels in: canonical, hex, and a credential."""
    forms = []
    for length in range(13, 20):
        run = luhn_completed("4" + "1" * (length - 2))
        for offset in range(32 - length + 1):
            hex_digits = ("a" * offset + run).ljust(32, "b")
            identifier = uuid.UUID(hex=hex_digits)
            forms += [str(identifier), identifier.hex, f"hpa_{identifier.hex}_ABCD2345"]
    return forms


def test_identifiers_are_never_mistaken_for_a_card() -> None:
    # The old pattern refused about one random UUID in 900 (2,224 of 2,000,000), in hex and
    # canonical form alike, and with such a tenant id every one of its credentials.
    caught = [form for form in identifiers_holding_card_shaped_runs() if contains_card_number(form)]
    assert caught == []
    assert contains_card_number(f'"{luhn_completed("4" + "1" * 14)}"')  # the run on its own


def test_a_card_number_glued_to_letters_is_caught() -> None:
    # Identifiers are immune by their shape (above), not by letters around digits.
    assert contains_card_number(f"ref{VISA}")
    assert contains_card_number(f"{VISA}-abc")
    assert contains_card_number(f"visa{VISA}exp")


def test_luhn() -> None:
    assert luhn_valid(VISA)
    assert luhn_valid(AMEX)
    assert not luhn_valid("4111111111111112")


async def test_an_order_carrying_a_card_number_is_refused_unstored_and_unlogged(
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    provision: Provision,
    connect_as: Connect,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tenant = await provision()
    till = await open_till(connect_as, token, tenant)
    cashier = till.staff
    # A sale that would be accepted, but for the card number typed into its table name.
    caplog.set_level(logging.DEBUG)
    response = await orders_client.post(
        "/v1/orders", json=coffee_order(till, table_name="Card 4111 1111 1111 1111"), auth=cashier
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "card-data-refused"
    assert "1111" not in response.text
    assert response.headers["x-request-id"]
    assert "1111 1111" not in caplog.text
    orders = await connect_as("orders")
    async with as_tenant(orders, tenant):
        assert await orders.fetchval("SELECT count(*) FROM orders.orders") == 0
        written = "SELECT count(*) FROM audit.events WHERE payload::text LIKE '%4111 1111%'"
        assert await orders.fetchval(written) == 0
    # The same sale without it goes through: the card number was the reason.
    accepted = await orders_client.post(
        "/v1/orders", json=coffee_order(till, table_name="Table 4"), auth=cashier
    )
    assert accepted.status_code == 201, accepted.text

    in_query = await orders_client.get(f"/v1/orders?cursor={VISA}", auth=cashier)
    assert in_query.json()["code"] == "card-data-refused"


async def test_an_oversized_body_is_refused(
    orders_client: httpx.AsyncClient, token: TokenFactory, provision: Provision
) -> None:
    response = await orders_client.post(
        "/v1/orders",
        content=b"{" + b" " * MAX_BODY_BYTES + b"}",
        headers={"content-type": "application/json"},
        auth=token(await provision()),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload-too-large"
