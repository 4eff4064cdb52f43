"""The shift report's card arithmetic as a pure function (libs/sales/shift_report.py): what
the shift expects on the terminal's batch is card taken minus card refunded, which is negative
for a shift that only refunded cards, and a count of exactly that batch is no difference."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from libs.sales.shift_report import (
    PaymentFact,
    RefundFact,
    RefundTenderFact,
    ShiftFacts,
    ShiftHeader,
    TenderAmounts,
    shift_report,
    z_report,
)

AT = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
HEADER = ShiftHeader(
    id=uuid.uuid4(),
    register_id=uuid.uuid4(),
    register_number=1,
    location_id=uuid.uuid4(),
    status="open",
    opened_by="alice",
    opened_at=AT,
    opening_float_minor=20_000,
    currency="AUD",
)


def _close(facts: ShiftFacts, cash: int, card: int) -> TenderAmounts:
    report = z_report(
        shift_report(facts),
        counted=TenderAmounts(cash=cash, card=card),
        closed_by="alice",
        closed_at=AT,
    )
    assert report.expected.cash == 20_000
    return report.difference


def test_a_refund_only_shift_expects_a_negative_batch() -> None:
    """One card refund of 1250 (GST 114) of an earlier day's sale, no sales: expected card
    0 - 1250 = -1250; counted -1250 is difference 0, counted -1200 is +50 (over)."""
    facts = ShiftFacts(
        shift=HEADER,
        as_of=AT,
        refunds=(RefundFact(amount_minor=1_250, tax_minor=114),),
        refund_tenders=(RefundTenderFact(tender="card", amount_minor=1_250),),
    )
    assert shift_report(facts).expected == TenderAmounts(cash=20_000, card=-1_250)
    assert _close(facts, 20_000, -1_250) == TenderAmounts(cash=0, card=0)
    assert _close(facts, 20_000, -1_200) == TenderAmounts(cash=0, card=50)


amounts = st.lists(st.integers(min_value=1, max_value=1_000_000), max_size=8)


@given(taken=amounts, refunded=amounts, error=st.integers(min_value=-10_000, max_value=10_000))
def test_the_card_difference_is_the_count_minus_taken_plus_refunded(
    taken: list[int], refunded: list[int], error: int
) -> None:
    facts = ShiftFacts(
        shift=HEADER,
        as_of=AT,
        payments=tuple(PaymentFact("card", "approved", amount) for amount in taken),
        refund_tenders=tuple(RefundTenderFact("card", amount) for amount in refunded),
    )
    batch = sum(taken) - sum(refunded)  # what the terminal settles, negative or not
    assert shift_report(facts).expected.card == batch
    assert _close(facts, 20_000, batch).card == 0
    assert _close(facts, 20_000, batch + error).card == error
