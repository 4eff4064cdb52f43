"""The simulated EFTPOS terminal: outcomes by test amount, answers reproducible from the
reference, and never anything that could be a card number."""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from doubles.terminal import SimulatedTerminal
from libs.api.card_guard import contains_card_number
from services.orders.payments.terminal import PaymentTerminal, TerminalOutcome, TerminalResult

LONG_DIGIT_RUN = re.compile(r"\d{13,}")


def assert_no_card_number(result: TerminalResult) -> None:
    texts = [repr(result), *(str(value) for value in dataclasses.astuple(result))]
    for text in texts:
        assert not LONG_DIGIT_RUN.search(text), text
        assert not contains_card_number(text), text


async def test_approved() -> None:
    terminal: PaymentTerminal = SimulatedTerminal()
    result = await terminal.purchase(amount_minor=1250, currency="AUD", reference="order-1")

    assert result.outcome is TerminalOutcome.APPROVED
    assert result.amount_minor == 1250
    assert result.scheme in {"visa", "mastercard", "amex", "eftpos"}
    assert result.last4 is not None
    assert re.fullmatch(r"\d{4}", result.last4)
    assert result.auth_code is not None
    assert re.fullmatch(r"\d{6}", result.auth_code)
    assert re.fullmatch(r"SIM-[0-9a-f]{12}", result.terminal_reference)
    assert_no_card_number(result)


@pytest.mark.parametrize("amount", [51, 1051, 99951])
async def test_cents_51_is_declined(amount: int) -> None:
    result = await SimulatedTerminal().purchase(
        amount_minor=amount, currency="AUD", reference="order-2"
    )

    assert result.outcome is TerminalOutcome.DECLINED
    assert result.amount_minor == amount
    assert (result.scheme, result.last4, result.auth_code) == (None, None, None)
    assert re.fullmatch(r"SIM-[0-9a-f]{12}", result.terminal_reference)
    assert_no_card_number(result)


async def test_cents_52_times_out_after_the_timeout() -> None:
    terminal = SimulatedTerminal(timeout_seconds=0.05)
    started = time.monotonic()
    result = await terminal.purchase(amount_minor=1052, currency="EUR", reference="order-3")

    assert time.monotonic() - started >= 0.05
    assert result.outcome is TerminalOutcome.TIMED_OUT
    assert (result.scheme, result.last4, result.auth_code) == (None, None, None)
    assert_no_card_number(result)


async def test_refunds_follow_the_same_test_amounts() -> None:
    terminal = SimulatedTerminal()
    approved = await terminal.refund(amount_minor=500, currency="AUD", reference="order-4")
    declined = await terminal.refund(amount_minor=551, currency="AUD", reference="order-4")
    timed_out = await terminal.refund(amount_minor=552, currency="AUD", reference="order-4")

    assert approved.outcome is TerminalOutcome.APPROVED
    assert declined.outcome is TerminalOutcome.DECLINED
    assert timed_out.outcome is TerminalOutcome.TIMED_OUT


async def test_same_reference_same_answer() -> None:
    first = await SimulatedTerminal().purchase(
        amount_minor=1999, currency="AUD", reference="order-5"
    )
    retried = await SimulatedTerminal().purchase(
        amount_minor=1999, currency="AUD", reference="order-5"
    )
    other = await SimulatedTerminal().purchase(
        amount_minor=1999, currency="AUD", reference="order-6"
    )

    assert retried == first
    assert other.terminal_reference != first.terminal_reference


async def test_a_refund_shows_the_same_card_under_its_own_reference() -> None:
    terminal = SimulatedTerminal()
    purchase = await terminal.purchase(amount_minor=1999, currency="AUD", reference="order-7")
    refund = await terminal.refund(amount_minor=1999, currency="AUD", reference="order-7")

    assert (refund.scheme, refund.last4) == (purchase.scheme, purchase.last4)
    assert refund.terminal_reference != purchase.terminal_reference
    assert refund.auth_code != purchase.auth_code


async def test_many_references_never_look_like_a_card() -> None:
    terminal = SimulatedTerminal()
    schemes = set()
    for number in range(500):
        result = await terminal.purchase(
            amount_minor=100 + number, currency="AUD", reference=f"order-{number}"
        )
        assert_no_card_number(result)
        schemes.add(result.scheme)
    assert {"visa", "mastercard", "amex", "eftpos"} <= schemes


@pytest.mark.parametrize("amount", [0, -1, -1051])
async def test_amount_must_be_positive(amount: int) -> None:
    terminal = SimulatedTerminal()
    with pytest.raises(ValueError, match="more than zero"):
        await terminal.purchase(amount_minor=amount, currency="AUD", reference="order-8")
    with pytest.raises(ValueError, match="more than zero"):
        await terminal.refund(amount_minor=amount, currency="AUD", reference="order-8")


@pytest.mark.parametrize(("currency", "reference"), [("aud", "order-9"), ("AUD", "")])
async def test_currency_and_reference_are_required(currency: str, reference: str) -> None:
    with pytest.raises(ValueError, match=r"currency|reference"):
        await SimulatedTerminal().purchase(amount_minor=100, currency=currency, reference=reference)


def test_negative_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        SimulatedTerminal(timeout_seconds=-1)


@pytest.mark.parametrize(
    "fields",
    [
        # A whole card number where the last four belong.
        {"outcome": TerminalOutcome.APPROVED, "last4": "4111111111111111"},
        {"outcome": TerminalOutcome.APPROVED, "last4": "111"},
        {"outcome": TerminalOutcome.APPROVED, "auth_code": "12345"},
        {"outcome": TerminalOutcome.DECLINED, "last4": "1111"},
        {"outcome": TerminalOutcome.TIMED_OUT, "scheme": "visa"},
    ],
)
def test_a_result_refuses_card_details_it_should_not_carry(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"last4|authorisation|approved"):
        TerminalResult(amount_minor=100, terminal_reference="REF-1", **fields)  # type: ignore[arg-type]
