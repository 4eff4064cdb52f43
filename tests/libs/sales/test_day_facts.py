"""Daily facts (libs/sales/day_facts.py), worked by hand: what a sale and a refund add to a
location's days, how a change becomes a difference, and how tax is attributed by the business
day, by accrual (the earlier of the close and the first payment) and by cash (each payment's
exact share on the date it was taken)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from libs.sales import day_facts
from libs.sales.business_days import BusinessCalendar
from libs.sales.day_facts import (
    NIL,
    LineState,
    PaymentState,
    RefundedLine,
    RefundState,
    SaleState,
    TaxGroup,
)

LOCATION = UUID(int=1)
TILL = UUID(int=2)
OTHER_TILL = UUID(int=3)
FLAT_WHITE = UUID(int=10)
OAT_MILK = UUID(int=20)
TEN = Decimal("10.000")
ZERO = Decimal("0.000")


SYDNEY = BusinessCalendar.of("Australia/Sydney", 3)
BERLIN = BusinessCalendar.of("Europe/Berlin", 5)


def at(calendar: BusinessCalendar, text: str) -> datetime:
    """A wall-clock time at the venue, as an instant."""
    return datetime.fromisoformat(text).replace(tzinfo=calendar.time_zone).astimezone(UTC)


def payment(
    n: int, when: datetime, amount: int, tender: str = "cash", **kw: object
) -> PaymentState:
    return PaymentState(
        id=UUID(int=100 + n),
        created_at=when,
        approved=bool(kw.get("approved", True)),
        tender=tender,
        amount_minor=amount,
        register_id=kw.get("register", TILL),  # type: ignore[arg-type]
    )


def sale(closed_at: datetime | None, payments: tuple[PaymentState, ...], **kw: object) -> SaleState:
    """A $33.00 order: a $22.00 GST-able line (two flat whites with oat milk at $1.00, less a
    $2.00 discount) and an $11.00 GST-free one."""
    lines = (
        LineState(
            1, FLAT_WHITE, "Flat white", 2, 2400, 200, 0, 2200, True, ((OAT_MILK, "Oat", 100),)
        ),
        LineState(2, None, "Bread", 1, 1100, 0, 0, 1100, True),
        LineState(3, None, "Cake", 1, 650, 0, 0, 650, False),
    )
    defaults: dict[str, object] = {
        "location_id": LOCATION,
        "register_id": TILL,
        "status": "closed" if closed_at else "open",
        "closed_at": closed_at,
        "covers": 2,
        "subtotal_minor": 3500,
        "discount_minor": 200,
        "service_charge_minor": 0,
        "tip_minor": 0,
        "rounding_minor": 0,
        "total_minor": 3300,
        "tax": (TaxGroup(TEN, 2000, 200, 2200), TaxGroup(ZERO, 1100, 0, 1100)),
        "lines": lines,
        "payments": payments,
    }
    return SaleState(**(defaults | kw))  # type: ignore[arg-type]


def tax_rows(
    facts: day_facts.Facts, attribution: str
) -> dict[tuple[date, Decimal, bool], list[int]]:
    return {
        (key[2], key[6], key[5]): values  # type: ignore[misc]
        for key, values in facts.items()
        if key[0] == "day_tax" and key[3] == attribution
    }


def test_a_split_payment_across_midnight_is_shared_exactly_under_cash_basis() -> None:
    # $10.00 cash at 23:50 on 30 June, $23.00 card at 00:30 on 1 July, closed then. By cash,
    # each payment carries its share of each rate's figures on the date it was taken:
    #   10%  gross 2200 × 1000/3300 = 666.67, × 2300/3300 = 1533.33 → 667 + 1533 (the larger
    #        remainder, 0.67, takes the cent); tax 200 → 60.61 + 139.39 → 61 + 139; the
    #        nets are gross less tax: 606 + 1394 (sharing 2000 apart gives the same here).
    #   0%   gross = net 1100 → 333.33 + 766.67 → 333 + 767.
    closed = at(SYDNEY, "2026-07-01T00:30")
    paid = (
        payment(1, at(SYDNEY, "2026-06-30T23:50"), 1000),
        payment(2, closed, 2300, "card"),
    )
    facts = day_facts.sale_facts(sale(closed, paid), SYDNEY)

    june, july = date(2026, 6, 30), date(2026, 7, 1)
    assert tax_rows(facts, "cash") == {
        (june, TEN, False): [606, 61, 667],
        (july, TEN, False): [1394, 139, 1533],
        (june, ZERO, False): [333, 0, 333],
        (july, ZERO, False): [767, 0, 767],
    }
    # By accrual the whole invoice is the earlier of the close and the first payment: June.
    assert tax_rows(facts, "accrual") == {
        (june, TEN, False): [2000, 200, 2200],
        (june, ZERO, False): [1100, 0, 1100],
    }
    # The daily summary's: the business day of the close (00:30 is before the 3 am cutoff).
    assert tax_rows(facts, "business") == {
        (june, TEN, False): [2000, 200, 2200],
        (june, ZERO, False): [1100, 0, 1100],
    }
    # Tenders on the business day each payment was taken: both 30 June.
    assert facts[("day_tenders", LOCATION, june, TILL, "cash")] == [1, 1000, 0]
    assert facts[("day_tenders", LOCATION, june, TILL, "card")] == [1, 2300, 0]


def test_accrual_takes_the_earlier_of_the_close_and_the_first_payment() -> None:
    # Invoiced and paid at 01:30 on 1 July: the June business day, but the July quarter.
    closed = at(SYDNEY, "2026-07-01T01:30")
    facts = day_facts.sale_facts(sale(closed, (payment(1, closed, 3300),)), SYDNEY)
    assert set(tax_rows(facts, "accrual")) == {
        (date(2026, 7, 1), TEN, False),
        (date(2026, 7, 1), ZERO, False),
    }
    assert set(tax_rows(facts, "business")) == {
        (date(2026, 6, 30), TEN, False),
        (date(2026, 6, 30), ZERO, False),
    }
    # A deposit taken on 31 December, the sale closed at 04:30 on 1 January in Berlin (cutoff
    # 5 am). Australia's accrual rule would put the whole sale on the deposit's date; a German
    # business reads the 'cash' rows on both bases: an advance payment is taxed when received
    # only to its extent (UStG § 13 (1) Nr. 1 a Satz 4), so December has the deposit's share
    # under Soll as under Ist.
    closed = at(BERLIN, "2027-01-01T04:30")
    paid = (payment(1, at(BERLIN, "2026-12-31T20:00"), 1100), payment(2, closed, 2200))
    facts = day_facts.sale_facts(sale(closed, paid), BERLIN)
    assert tax_rows(facts, "accrual") == {
        (date(2026, 12, 31), TEN, False): [2000, 200, 2200],
        (date(2026, 12, 31), ZERO, False): [1100, 0, 1100],
    }
    # 1100/3300 = one third: 10% gross 733.33 → 733 + 1467 (0.67 takes the cent), tax
    # 66.67 → 67 + 133, and each net is its gross less its tax: 666 + 1334 (sharing the net
    # apart would give 667 + 1333, and 667 + 67 is not 733); 0% 366.67 → 367 + 733.
    assert tax_rows(facts, "cash") == {
        (date(2026, 12, 31), TEN, False): [666, 67, 733],
        (date(2027, 1, 1), TEN, False): [1334, 133, 1467],
        (date(2026, 12, 31), ZERO, False): [367, 0, 367],
        (date(2027, 1, 1), ZERO, False): [733, 0, 733],
    }


def test_a_closed_sale_adds_its_sales_items_modifiers_and_voided_lines() -> None:
    closed = at(SYDNEY, "2026-11-21T20:00")
    facts = day_facts.sale_facts(
        sale(closed, (payment(1, closed, 3300),), tip_minor=0, rounding_minor=0), SYDNEY
    )
    day = date(2026, 11, 21)
    assert facts[("day_sales", LOCATION, day, TILL)] == [
        1, 2, 3500, 200, 0, 0, 0, 0, 0, 1, 650, 0, 0, 0,
    ]  # fmt: skip
    assert facts[("day_items", LOCATION, day, TILL, FLAT_WHITE, "Flat white")] == [
        2, 2400, 200, 0, 2200, 0, 0,
    ]  # fmt: skip
    assert facts[("day_items", LOCATION, day, TILL, NIL, "Bread")] == [1, 1100, 0, 0, 1100, 0, 0]
    assert ("day_items", LOCATION, day, TILL, NIL, "Cake") not in facts  # voided
    assert facts[("day_modifiers", LOCATION, day, TILL, OAT_MILK, "Oat")] == [2, 200]


def test_a_change_is_the_difference_of_after_and_before() -> None:
    closed = at(SYDNEY, "2026-11-21T20:00")
    open_ = sale(None, (payment(1, closed, 3300, approved=False),))
    pending = day_facts.sale_facts(open_, SYDNEY)
    assert pending == {}  # nothing approved, nothing closed

    paid = replace(open_, payments=(payment(1, closed, 3300),))
    delta = day_facts.difference(day_facts.sale_facts(paid, SYDNEY), pending)
    assert delta == {("day_tenders", LOCATION, date(2026, 11, 21), TILL, "cash"): [1, 3300, 0]}

    done = replace(paid, status="closed", closed_at=closed)
    delta = day_facts.difference(
        day_facts.sale_facts(done, SYDNEY), day_facts.sale_facts(paid, SYDNEY)
    )
    assert ("day_tenders", LOCATION, date(2026, 11, 21), TILL, "cash") not in delta
    assert delta[("day_sales", LOCATION, date(2026, 11, 21), TILL)][0] == 1

    # Voiding an open order adds a voided order and nothing else.
    voided = replace(open_, status="voided", closed_at=closed, payments=())
    assert day_facts.difference(day_facts.sale_facts(voided, SYDNEY), pending) == {
        ("day_sales", LOCATION, date(2026, 11, 21), TILL): [0] * 7 + [1, 3300] + [0] * 5
    }


def test_a_refund_by_line_and_one_by_amount() -> None:
    given = at(SYDNEY, "2026-11-22T10:00")
    day = date(2026, 11, 22)
    by_line = RefundState(
        location_id=LOCATION,
        register_id=OTHER_TILL,
        created_at=given,
        amount_minor=1100,
        tax_minor=100,
        tax=(TaxGroup(TEN, 1000, 100, 1100),),
        lines=(RefundedLine(FLAT_WHITE, "Flat white", 1, 1100),),
        tenders=((("cash", 1100, OTHER_TILL)),),
    )
    facts = day_facts.refund_facts(by_line, SYDNEY)
    assert facts[("day_sales", LOCATION, day, OTHER_TILL)][-3:] == [1, 1100, 100]
    assert facts[("day_tenders", LOCATION, day, OTHER_TILL, "cash")] == [0, 0, 1100]
    assert facts[("day_items", LOCATION, day, OTHER_TILL, FLAT_WHITE, "Flat white")] == [
        0, 0, 0, 0, 0, 1, 1100,
    ]  # fmt: skip
    for attribution in ("business", "accrual", "cash"):
        assert tax_rows(facts, attribution) == {(day, TEN, True): [1000, 100, 1100]}

    by_amount = replace(by_line, lines=(), amount_minor=500, tax=(TaxGroup(TEN, 455, 45, 500),))
    facts = day_facts.refund_facts(by_amount, SYDNEY)
    assert facts[("day_items", LOCATION, day, OTHER_TILL, NIL, "")] == [0, 0, 0, 0, 0, 0, 500]


def test_shares_add_up_exactly_ties_to_the_earlier() -> None:
    assert day_facts.shares(100, [1, 1, 1], [0, 1, 2]) == [34, 33, 33]
    assert day_facts.shares(100, [1, 1, 1], [2, 1, 0]) == [33, 33, 34]
    assert day_facts.shares(-100, [1, 1, 1], [0, 1, 2]) == [-33, -33, -34]
    assert day_facts.shares(7, [0, 0], [1, 0]) == [0, 7]
    assert sum(day_facts.shares(12345, [3, 7, 11, 13], [0, 1, 2, 3])) == 12345


def test_facts_add_up_per_key_and_drop_zero_rows() -> None:
    key = ("day_tenders", LOCATION, date(2026, 11, 21), TILL, "cash")
    assert day_facts.summed([{key: [1, 100, 0]}, {key: [-1, -100, 0]}]) == {}
    assert day_facts.summed([{key: [1, 100, 0]}, {key: [1, 50, 10]}]) == {key: [2, 150, 10]}
