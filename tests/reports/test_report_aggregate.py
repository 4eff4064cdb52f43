"""The report arithmetic (services/reports/aggregate.py), worked by hand: a café's day of three
orders with a discount, a surcharge, a tip, cash rounding, two refunds and two voids, added up
as an accountant would; the item mix, the payment reconciliation, the BAS worksheet (docs/
money.md Example A) and a German VAT summary. Then the property that lets Postgres roll the
facts up before these functions see them: facts summed per day (and rate, or tender) give
the same reports as the facts of each order.

Prices are tax-inclusive, as in Australia and for German consumers: GST is 1/11 of a taxable
price, VAT 19/119 or 7/107 of it, each rounded half up once per invoice (docs/money.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.orders.pricing import Discount, LineInput, OrderInput, TaxGroup, price_order
from services.reports.aggregate import (
    BasFigures,
    DayFacts,
    DayRefundsFact,
    LineFact,
    ModifierFact,
    SalesFact,
    ShiftCloseFact,
    TaxFact,
    TenderFact,
    VoidFact,
    add_totals,
    bas,
    daily_summaries,
    item_mix,
    reconcile,
    totals,
    vat_summary,
)
from services.reports.schemas import (
    BasAdjustment,
    CategoryMixRow,
    CountAmount,
    ItemMixRow,
    ModifierMixRow,
    RefundsSummary,
    TaxRateTotal,
    TenderReconciliation,
    TenderTotal,
    Totals,
    VoidsSummary,
)

FRIDAY, SATURDAY, SUNDAY = date(2026, 10, 2), date(2026, 10, 3), date(2026, 10, 4)
GST, GST_FREE = Decimal("10.000"), Decimal("0.000")
VAT_STANDARD, VAT_REDUCED = Decimal("19.000"), Decimal("7.000")


def rate_total(rate: Decimal, net: int, tax: int, gross: int) -> TaxRateTotal:
    assert net + tax == gross, "a hand-worked group must add up"
    return TaxRateTotal(rate=rate, net_minor=net, tax_minor=tax, gross_minor=gross)


# --- the café's Saturday ----------------------------------------------------------------------
#
# Order A: a flat white 4.50 (GST) and a bread roll 3.00 (GST-free), two covers, paid 7.50 cash.
#   GST: 450 / 11 = 40.91 -> 41, net 409.
# Order B: two flat whites with oat milk, 2 x 5.00 = 10.00; 10 % off the order (1.00); a 10 %
#   surcharge on the 9.00 left (0.90); a 3.00 tip; paid by card: 9.90 + 3.00 = 12.90.
#   GST: (900 + 90) / 11 = 90 exactly, net 900.
# Order C: flat white 4.50, flat white with oat milk 5.00, bread roll 3.00 = 12.50, 5 % off:
#   62.5 -> 63c, shared 450 : 500 : 300 -> 22.68, 25.2, 15.12 -> 22, 25, 15 and the cent left
#   to the largest remainder (0.68): 23, 25, 15. Nets 427, 475, 285.
#   GST: (427 + 475) / 11 = 902 / 11 = 82 exactly, net 820. GST-free 285. Total 11.87, paid
#   in cash: 11.87 rounds down to 11.85, a -2c rounding adjustment.
ORDER_A = [
    SalesFact(SATURDAY, orders=1, covers=2, gross_minor=750),
    TaxFact(SATURDAY, GST, net_minor=409, tax_minor=41, gross_minor=450),
    TaxFact(SATURDAY, GST_FREE, net_minor=300, tax_minor=0, gross_minor=300),
    TenderFact(SATURDAY, "cash", payments=1, paid_minor=750),
]
ORDER_B = [
    SalesFact(
        SATURDAY,
        orders=1,
        gross_minor=1000,
        discounts_minor=100,
        service_charges_minor=90,
        tips_minor=300,
    ),
    TaxFact(SATURDAY, GST, net_minor=900, tax_minor=90, gross_minor=990),
    TenderFact(SATURDAY, "card", payments=1, paid_minor=1290),
]
ORDER_C = [
    SalesFact(
        SATURDAY, orders=1, covers=1, gross_minor=1250, discounts_minor=63, rounding_minor=-2
    ),
    TaxFact(SATURDAY, GST, net_minor=820, tax_minor=82, gross_minor=902),
    TaxFact(SATURDAY, GST_FREE, net_minor=285, tax_minor=0, gross_minor=285),
    TenderFact(SATURDAY, "cash", payments=1, paid_minor=1185),
]
# Refunds the same night: A's bread roll in cash (3.00, no GST); one of B's flat whites to the
# card. B's GST group (9.90, GST 0.90) is shared between its two equal lines: 4.95 each; the
# GST inside the refund is 90 x 495 / 990 = 45, net 450.
REFUNDS = [
    DayRefundsFact(SATURDAY, count=1, amount_minor=300, tax_minor=0),
    TaxFact(SATURDAY, GST_FREE, net_minor=300, tax_minor=0, gross_minor=300, refund=True),
    TenderFact(SATURDAY, "cash", refunded_minor=300),
    DayRefundsFact(SATURDAY, count=1, amount_minor=495, tax_minor=45),
    TaxFact(SATURDAY, GST, net_minor=450, tax_minor=45, gross_minor=495, refund=True),
    TenderFact(SATURDAY, "card", refunded_minor=495),
]
# A flat white rung up in error and voided whole (4.50), and an oat milk flat white voided
# from an order that was then paid (5.00).
VOIDS = [
    VoidFact(SATURDAY, orders=1, orders_minor=450),
    VoidFact(SATURDAY, lines=1, lines_minor=500),
]


def day_facts(*groups: list[Any]) -> DayFacts:
    kinds: dict[type, str] = {
        SalesFact: "sales",
        TaxFact: "tax",
        DayRefundsFact: "refunds",
        VoidFact: "voids",
        TenderFact: "tenders",
    }
    collected: dict[str, list[Any]] = defaultdict(list)
    for group in groups:
        for fact in group:
            collected[kinds[type(fact)]].append(fact)
    return DayFacts(**collected)


SATURDAY_FACTS = day_facts(ORDER_A, ORDER_B, ORDER_C, REFUNDS, VOIDS)

SATURDAY_TOTALS = Totals(
    orders=3,
    covers=3,  # 2 + 0 + 1
    gross_sales_minor=3000,  # 750 + 1000 + 1250
    discounts_minor=163,  # 100 + 63
    service_charges_minor=90,
    net_sales_minor=2927,  # 3000 - 163 + 90
    sales_excluding_tax_minor=2714,  # 2129 + 585
    tax_minor=213,  # 41 + 90 + 82
    sales_including_tax_minor=2927,  # 2342 + 585: inclusive prices, the same as net sales
    tax=[
        rate_total(GST, 2129, 213, 2342),  # 409 + 900 + 820 | 41 + 90 + 82 | 450 + 990 + 902
        rate_total(GST_FREE, 585, 0, 585),  # 300 + 285
    ],
    tips_minor=300,  # B's tip: paid, not a sale, not taxed
    rounding_minor=-2,
    average_ticket_minor=976,  # 2927 / 3 = 975.67 -> 976
    refunds=RefundsSummary(
        count=2,
        amount_minor=795,  # 300 + 495
        tax_minor=45,
        tax=[rate_total(GST, 450, 45, 495), rate_total(GST_FREE, 300, 0, 300)],
    ),
    voids=VoidsSummary(
        orders=CountAmount(count=1, amount_minor=450),
        lines=CountAmount(count=1, amount_minor=500),
    ),
    payments=[
        # Cash: 7.50 + 11.85 taken, 3.00 given back.
        TenderTotal(tender="cash", count=2, paid_minor=1935, refunded_minor=300, net_minor=1635),
        # Card: 12.90 (tip included) taken, 4.95 given back.
        TenderTotal(tender="card", count=1, paid_minor=1290, refunded_minor=495, net_minor=795),
    ],
)


def test_the_orders_are_what_the_money_engine_prices_them_at() -> None:
    # The facts above are not made up: they are what services/orders/pricing.py charges.
    flat_white, oat, roll = 450, 500, 300
    a = price_order(
        OrderInput(
            lines=(LineInput(1, 1, flat_white, Decimal(10)), LineInput(2, 1, roll, Decimal(0))),
            prices_include_tax=True,
        )
    )
    b = price_order(
        OrderInput(
            lines=(LineInput(1, 1, oat, Decimal(10)), LineInput(2, 1, oat, Decimal(10))),
            prices_include_tax=True,
            discount=Discount("percent", 1000),
            service_charge_bps=1000,
            tip_minor=300,
        )
    )
    c = price_order(
        OrderInput(
            lines=(
                LineInput(1, 1, flat_white, Decimal(10)),
                LineInput(2, 1, oat, Decimal(10)),
                LineInput(3, 1, roll, Decimal(0)),
            ),
            prices_include_tax=True,
            discount=Discount("percent", 500),
        )
    )
    assert (a.subtotal_minor, a.discount_minor, a.total_minor) == (750, 0, 750)
    assert a.tax == (TaxGroup(Decimal(10), 409, 41, 450), TaxGroup(Decimal(0), 300, 0, 300))
    assert (b.subtotal_minor, b.discount_minor, b.service_charge_minor) == (1000, 100, 90)
    assert (b.tax, b.total_minor) == ((TaxGroup(Decimal(10), 900, 90, 990),), 1290)
    assert [line.net_minor for line in c.lines] == [427, 475, 285]
    assert (c.subtotal_minor, c.discount_minor, c.total_minor) == (1250, 63, 1187)
    assert c.tax == (TaxGroup(Decimal(10), 820, 82, 902), TaxGroup(Decimal(0), 285, 0, 285))


def test_totals_of_the_cafes_saturday() -> None:
    assert totals(SATURDAY_FACTS) == SATURDAY_TOTALS


def test_totals_do_not_depend_on_the_order_of_the_facts() -> None:
    backwards = DayFacts(
        **{f.name: list(getattr(SATURDAY_FACTS, f.name))[::-1] for f in fields(DayFacts)}
    )
    assert totals(backwards) == SATURDAY_TOTALS


def test_tax_is_listed_per_rate_highest_first_whatever_the_rate_is_written_as() -> None:
    facts = DayFacts(
        tax=[
            TaxFact(SATURDAY, Decimal("0"), 300, 0, 300),
            TaxFact(SATURDAY, Decimal("7"), 1000, 70, 1070),
            TaxFact(SATURDAY, Decimal("19.0"), 1000, 190, 1190),
            # 10, 10.0 and 10.000 percent are one rate.
            TaxFact(SATURDAY, Decimal("10"), 409, 41, 450),
            TaxFact(SATURDAY, Decimal("10.000"), 900, 90, 990),
        ]
    )
    assert totals(facts).tax == [
        rate_total(Decimal("19.000"), 1000, 190, 1190),
        rate_total(Decimal("10.000"), 1309, 131, 1440),  # 409 + 900 | 41 + 90 | 450 + 990
        rate_total(Decimal("7.000"), 1000, 70, 1070),
        rate_total(Decimal("0.000"), 300, 0, 300),
    ]
    assert [str(group.rate) for group in totals(facts).tax] == [
        "19.000",
        "10.000",
        "7.000",
        "0.000",
    ]


@pytest.mark.parametrize(
    ("orders", "including_tax", "average"),
    [
        (2, 1001, 501),  # 500.5 -> 501: half up, not to even (which would give 500)
        (2, 1003, 502),  # 501.5 -> 502
        (3, 1000, 333),  # 333.33 -> 333
        (3, 1001, 334),  # 333.67 -> 334
        (1, 0, 0),  # a free order
    ],
)
def test_average_ticket_rounds_half_up(orders: int, including_tax: int, average: int) -> None:
    facts = DayFacts(
        sales=[SalesFact(SATURDAY, orders=orders, gross_minor=including_tax, tips_minor=999)],
        tax=[TaxFact(SATURDAY, GST_FREE, including_tax, 0, including_tax)],
    )
    summary = totals(facts)
    assert summary.average_ticket_minor == average
    # Tips are paid but are not sales: not in the average, not in the sales.
    assert summary.tips_minor == 999
    assert summary.sales_including_tax_minor == including_tax


def test_a_day_with_only_a_refund_has_no_sales_and_no_average() -> None:
    facts = day_facts(REFUNDS[:3])
    summary = totals(facts)
    assert (summary.orders, summary.average_ticket_minor, summary.tax) == (0, 0, [])
    assert summary.refunds.amount_minor == 300
    assert summary.payments == [
        TenderTotal(tender="cash", count=0, paid_minor=0, refunded_minor=300, net_minor=-300),
        TenderTotal(tender="card", count=0, paid_minor=0, refunded_minor=0, net_minor=0),
    ]


def test_totals_of_nothing_are_zero_with_both_tenders_listed() -> None:
    empty = totals(DayFacts())
    assert empty.model_dump() == {
        "orders": 0,
        "covers": 0,
        "gross_sales_minor": 0,
        "discounts_minor": 0,
        "service_charges_minor": 0,
        "net_sales_minor": 0,
        "sales_excluding_tax_minor": 0,
        "tax_minor": 0,
        "sales_including_tax_minor": 0,
        "tax": [],
        "tips_minor": 0,
        "rounding_minor": 0,
        "average_ticket_minor": 0,
        "refunds": {"count": 0, "amount_minor": 0, "tax_minor": 0, "tax": []},
        "voids": {
            "orders": {"count": 0, "amount_minor": 0},
            "lines": {"count": 0, "amount_minor": 0},
        },
        "payments": [
            {"tender": "cash", "count": 0, "paid_minor": 0, "refunded_minor": 0, "net_minor": 0},
            {"tender": "card", "count": 0, "paid_minor": 0, "refunded_minor": 0, "net_minor": 0},
        ],
    }


# --- daily summaries ------------------------------------------------------------------------


def test_daily_summaries_list_every_day_in_order_with_its_length() -> None:
    # Friday has order A, Saturday (the 23-hour day) nothing, Sunday orders B and C.
    facts = day_facts(
        [replace(fact, day=FRIDAY) for fact in ORDER_A],
        [replace(fact, day=SUNDAY) for fact in ORDER_B + ORDER_C],
    )
    days = daily_summaries(facts, [(FRIDAY, 24.0), (SATURDAY, 23.0), (SUNDAY, 24.0)])
    assert [(day.day, day.hours, day.orders) for day in days] == [
        (FRIDAY, 24.0, 1),
        (SATURDAY, 23.0, 0),
        (SUNDAY, 24.0, 2),
    ]
    friday, saturday, sunday = days
    assert Totals.model_validate(friday.model_dump(exclude={"day", "hours"})) == totals(
        day_facts(ORDER_A)
    )
    assert saturday.model_dump(exclude={"day", "hours"}) == totals(DayFacts()).model_dump()
    # Sunday: B and C. Sales incl. tax 990 + 902 + 285 = 2177; average 2177 / 2 = 1088.5 ->
    # 1089 (half up).
    assert (sunday.gross_sales_minor, sunday.sales_including_tax_minor) == (2250, 2177)
    assert sunday.average_ticket_minor == 1089
    assert sunday.tax == [rate_total(GST, 1720, 172, 1892), rate_total(GST_FREE, 285, 0, 285)]
    # The days add up to the period's totals.
    assert add_totals(add_totals(friday, saturday), sunday) == totals(facts)


def test_daily_summaries_in_the_order_the_days_are_asked_for() -> None:
    facts = day_facts(ORDER_A)
    days = daily_summaries(facts, [(SUNDAY, 24.0), (SATURDAY, 23.0)])
    assert [(day.day, day.orders) for day in days] == [(SUNDAY, 0), (SATURDAY, 1)]
    assert daily_summaries(facts, []) == []


# --- adding totals (closures' running totals) -----------------------------------------------


def test_adding_two_runs_of_days_is_totalling_their_facts_together() -> None:
    first = day_facts(ORDER_A, ORDER_B)
    second = day_facts([replace(fact, day=SUNDAY) for fact in ORDER_C + REFUNDS + VOIDS])
    added = add_totals(totals(first), totals(second))
    assert added == totals(day_facts(ORDER_A, ORDER_B, ORDER_C, REFUNDS, VOIDS))
    # The average is recomputed, not added: (450 + 300 + 990) / 2 = 870 and
    # (902 + 285) / 1 = 1187 give 2927 / 3 = 976, not 870 + 1187.
    assert (totals(first).average_ticket_minor, totals(second).average_ticket_minor) == (
        870,
        1187,
    )
    assert added.average_ticket_minor == 976
    assert add_totals(totals(DayFacts()), totals(first)) == totals(first)


# --- item mix -------------------------------------------------------------------------------

FLAT_WHITE, BREAD_ROLL, PALE_ALE, OAT_MILK, EXTRA_SHOT = (uuid4() for _ in range(5))


def sold(
    item_id: Any, name: str, category: str | None, quantity: int, gross: int, net: int, **more: int
) -> LineFact:
    """Lines of an item sold: `net` after discounts, plus any service charge in `more`."""
    service = more.get("service_charges_minor", 0)
    return LineFact(
        item_id,
        name,
        category,
        quantity=quantity,
        gross_sales_minor=gross,
        discounts_minor=gross - net,
        service_charges_minor=service,
        net_sales_minor=net + service,
    )


def refunded(item_id: Any, name: str, category: str | None, quantity: int, amount: int) -> LineFact:
    return LineFact(item_id, name, category, refunded_quantity=quantity, refunds_minor=amount)


def mix_row(**values: Any) -> dict[str, Any]:
    return {
        "quantity": 0,
        "gross_sales_minor": 0,
        "discounts_minor": 0,
        "service_charges_minor": 0,
        "net_sales_minor": 0,
        "refunded_quantity": 0,
        "refunds_minor": 0,
    } | values


def test_item_mix_best_sellers_first_with_categories_modifiers_and_refunds() -> None:
    lines = [
        sold(FLAT_WHITE, "Flat white", "Cafe", 1, 450, 427),  # C's, 23c of the discount
        sold(FLAT_WHITE, "Flat white", "Cafe", 1, 500, 475),  # with oat milk
        sold(BREAD_ROLL, "Bread roll", "Cafe", 2, 600, 585),  # a rollup of two rolls
        # A pale ale with its 10% service charge (90).
        sold(PALE_ALE, "Pale ale", "Drinks", 1, 900, 900, service_charges_minor=90),
        sold(None, "Open food", None, 1, 200, 200),  # an item since deleted from the menu
        refunded(FLAT_WHITE, "Flat white", "Cafe", 1, 450),  # sold on an earlier day
        refunded(None, "", None, 0, 120),  # a refund by amount names no item
    ]
    modifiers = [
        ModifierFact(OAT_MILK, "Oat milk", 1, 50),
        ModifierFact(OAT_MILK, "Oat milk", 2, 100),
        ModifierFact(EXTRA_SHOT, "Extra shot", 3, 150),
    ]
    items, categories, chosen, overall, not_attributed = item_mix(lines, modifiers)
    cafe, drinks = "Cafe", "Drinks"
    assert items == [
        # Pale ale: 900 + its 90 service charge = 990 net sales, the best seller.
        ItemMixRow(
            item_id=PALE_ALE,
            name="Pale ale",
            category=drinks,
            **mix_row(
                quantity=1, gross_sales_minor=900, service_charges_minor=90, net_sales_minor=990
            ),
        ),
        # Flat white: 1 + 1 = 2 units, 450 + 500 = 950 gross, 427 + 475 = 902 net; one
        # refunded, 450.
        ItemMixRow(
            item_id=FLAT_WHITE,
            name="Flat white",
            category=cafe,
            **mix_row(
                quantity=2,
                gross_sales_minor=950,
                discounts_minor=48,
                net_sales_minor=902,
                refunded_quantity=1,
                refunds_minor=450,
            ),
        ),
        ItemMixRow(
            item_id=BREAD_ROLL,
            name="Bread roll",
            category=cafe,
            **mix_row(quantity=2, gross_sales_minor=600, discounts_minor=15, net_sales_minor=585),
        ),
        ItemMixRow(
            item_id=None,
            name="Open food",
            category=None,
            **mix_row(quantity=1, gross_sales_minor=200, net_sales_minor=200),
        ),
    ]
    assert categories == [
        # Cafe: 2 + 2 = 4 units, 950 + 600 = 1550 gross, 902 + 585 = 1487 net.
        CategoryMixRow(
            category=cafe,
            **mix_row(
                quantity=4,
                gross_sales_minor=1550,
                discounts_minor=63,
                net_sales_minor=1487,
                refunded_quantity=1,
                refunds_minor=450,
            ),
        ),
        CategoryMixRow(
            category=drinks,
            **mix_row(
                quantity=1, gross_sales_minor=900, service_charges_minor=90, net_sales_minor=990
            ),
        ),
        CategoryMixRow(
            category=None, **mix_row(quantity=1, gross_sales_minor=200, net_sales_minor=200)
        ),
    ]
    # Modifiers by units sold; a tie (3 and 3) by name.
    assert chosen == [
        ModifierMixRow(modifier_id=EXTRA_SHOT, name="Extra shot", quantity=3, gross_minor=150),
        ModifierMixRow(modifier_id=OAT_MILK, name="Oat milk", quantity=3, gross_minor=150),
    ]
    # 6 units; 950 + 900 + 600 + 200 = 2650 gross; 2650 - 63 + 90 = 2677 net; refunds 450 by
    # line and 120 by amount.
    assert overall == CategoryMixRow(
        category=None,
        **mix_row(
            quantity=6,
            gross_sales_minor=2650,
            discounts_minor=63,
            service_charges_minor=90,
            net_sales_minor=2677,
            refunded_quantity=1,
            refunds_minor=570,
        ),
    )
    assert not_attributed == 120


def test_item_mix_ties_go_to_more_units_then_the_name() -> None:
    a, b, c = uuid4(), uuid4(), uuid4()
    items, categories, _, _, _ = item_mix(
        [
            sold(a, "Scone", "Bakery", 1, 600, 600),
            sold(b, "Cookie", "Bakery", 3, 600, 600),  # same sales, more units: first
            sold(c, "Brownie", "Sweets", 1, 600, 600),  # same as the scone: by name
        ],
        [],
    )
    assert [item.name for item in items] == ["Cookie", "Brownie", "Scone"]
    assert [(row.category, row.net_sales_minor) for row in categories] == [
        ("Bakery", 1200),
        ("Sweets", 600),
    ]


def test_an_item_renamed_since_is_listed_under_each_name_it_was_sold_as() -> None:
    items, _, _, overall, _ = item_mix(
        [
            sold(FLAT_WHITE, "Flat white", "Cafe", 1, 450, 450),
            sold(FLAT_WHITE, "Flat white (large)", "Cafe", 1, 550, 550),
        ],
        [],
    )
    assert [(item.name, item.quantity) for item in items] == [
        ("Flat white (large)", 1),
        ("Flat white", 1),
    ]
    assert (overall.quantity, overall.net_sales_minor) == (2, 1000)


def test_item_mix_of_nothing() -> None:
    assert item_mix([], []) == ([], [], [], CategoryMixRow(category=None, **mix_row()), 0)


# --- payment reconciliation -----------------------------------------------------------------


def shift_close(
    register: int, closed_at: datetime, expected: dict[str, int], counted: dict[str, int]
) -> ShiftCloseFact:
    return ShiftCloseFact(
        shift_id=uuid4(),
        register_number=register,
        opened_by="alice",
        opened_at=datetime(2026, 10, 3, 7, tzinfo=UTC),
        closed_by="bob",
        closed_at=closed_at,
        z_version=1,
        expected=expected,
        counted=counted,
    )


def test_reconcile_over_and_short_per_shift_and_tender() -> None:
    evening = datetime(2026, 10, 3, 14, tzinfo=UTC)
    # Register 2: float 200.00 + cash 51.35 = 251.35 expected, 249.85 counted: 1.50 short.
    # Card 40.00 expected, the terminal settled 40.00.
    short = shift_close(
        2, evening, {"cash": 25_135, "card": 4_000}, {"cash": 24_985, "card": 4_000}
    )
    # Register 1, closed at the same moment: 1.50 over in cash, card 0.05 short.
    over = shift_close(1, evening, {"cash": 21_250, "card": 1_250}, {"cash": 21_400, "card": 1_245})
    # Register 3 closed first; a Z report of a shift with no card takings has no card key.
    early = shift_close(3, datetime(2026, 10, 3, 9, tzinfo=UTC), {"cash": 20_000}, {"cash": 20_000})
    shifts, overall = reconcile([short, over, early])
    # By closing time, then register.
    assert [shift.register_number for shift in shifts] == [3, 1, 2]
    assert [
        (t.tender, t.expected_minor, t.counted_minor, t.difference_minor) for t in shifts[2].tenders
    ] == [("cash", 25_135, 24_985, -150), ("card", 4_000, 4_000, 0)]
    assert [(t.tender, t.difference_minor) for t in shifts[1].tenders] == [
        ("cash", 150),
        ("card", -5),
    ]
    assert [(t.tender, t.expected_minor, t.counted_minor) for t in shifts[0].tenders] == [
        ("cash", 20_000, 20_000),
        ("card", 0, 0),
    ]
    assert overall == [
        # Cash: 25135 + 21250 + 20000 = 66385 expected; 24985 + 21400 + 20000 = 66385 counted.
        # The 1.50 short and the 1.50 over cancel out in the total, not per shift.
        TenderReconciliation(
            tender="cash", expected_minor=66_385, counted_minor=66_385, difference_minor=0
        ),
        # Card: 4000 + 1250 = 5250 expected, 4000 + 1245 = 5245 counted.
        TenderReconciliation(
            tender="card", expected_minor=5_250, counted_minor=5_245, difference_minor=-5
        ),
    ]


def test_reconcile_nothing_closed() -> None:
    assert reconcile([]) == (
        [],
        [
            TenderReconciliation(tender=t, expected_minor=0, counted_minor=0, difference_minor=0)
            for t in ("cash", "card")
        ],
    )


# --- BAS --------------------------------------------------------------------------------------


def labels(figures: BasFigures) -> dict[str, tuple[int, int]]:
    return {label.label: (label.amount_minor, label.whole_dollars) for label in figures.labels}


def test_bas_of_docs_money_example_a_on_one_invoice() -> None:
    # Coffee 2 x 4.50, muffin 5.00, juice 6.10 (GST) and a bread roll 3.00 (GST-free) on one
    # tax invoice: taxable 20.10, GST 20.10 / 11 = 1.8273 -> 1.83; GST-free 3.00.
    figures = bas(
        [
            TaxFact(SATURDAY, GST, net_minor=1827, tax_minor=183, gross_minor=2010),
            TaxFact(SATURDAY, GST_FREE, net_minor=300, tax_minor=0, gross_minor=300),
        ]
    )
    assert labels(figures) == {
        "G1": (2310, 23),  # 20.10 + 3.00, GST included; $23.10 -> 23 whole dollars
        "G2": (0, 0),  # no exports at a till
        "G3": (300, 3),  # GST-free
        "G4": (0, 0),  # no input-taxed sales
        "G5": (300, 3),  # G2 + G3 + G4
        "G6": (2010, 20),  # G1 - G5
        "G7": (0, 0),
        "G8": (2010, 20),  # G6 + G7
        "G9": (183, 1),  # 2010 / 11 = 182.73 -> 183; on the form $1.83 -> 1, cents dropped
        "1A": (183, 1),  # the invoice's own GST
    }
    assert [label.label for label in figures.labels] == [
        "G1",
        "G2",
        "G3",
        "G4",
        "G5",
        "G6",
        "G7",
        "G8",
        "G9",
        "1A",
    ]
    assert (figures.worksheet_gst_minor, figures.invoice_gst_minor) == (183, 183)
    assert figures.decreasing_adjustments == BasAdjustment(
        description="Refunds of taxable sales (decreasing adjustments, G18)",
        amount_minor=0,
        amount_whole_dollars=0,
        gst_minor=0,
        gst_whole_dollars=0,
    )
    assert figures.gst_free_refunds_minor == 0


def test_bas_worksheet_gst_differs_from_the_invoices_by_a_cent() -> None:
    # The same goods sold on three invoices: each rounds its own GST once.
    #   coffees 9.00: 9.00 / 11 = 0.8182 -> 0.82
    #   muffin  5.00: 5.00 / 11 = 0.4545 -> 0.45
    #   juice   6.10: 6.10 / 11 = 0.5545 -> 0.55
    # 1A (the invoices) = 1.82; G9 = G8 / 11 = 20.10 / 11 = 1.8273 -> 1.83.
    figures = bas(
        [
            TaxFact(SATURDAY, GST, net_minor=818, tax_minor=82, gross_minor=900),
            TaxFact(SATURDAY, GST, net_minor=455, tax_minor=45, gross_minor=500),
            TaxFact(SUNDAY, GST, net_minor=555, tax_minor=55, gross_minor=610),
            TaxFact(SUNDAY, GST_FREE, net_minor=300, tax_minor=0, gross_minor=300),
        ]
    )
    assert labels(figures)["G8"] == (2010, 20)
    assert labels(figures)["G9"] == (183, 1)
    assert labels(figures)["1A"] == (182, 1)
    assert figures.worksheet_gst_minor - figures.invoice_gst_minor == 1


def test_bas_g9_rounds_to_the_nearest_cent_and_whole_dollars_drop_the_cents() -> None:
    def g9(taxable: int) -> tuple[int, int]:
        gst = taxable // 11  # any invoice GST: G9 is worked from G8 alone
        return labels(bas([TaxFact(SATURDAY, GST, taxable - gst, gst, taxable)]))["G9"]

    assert g9(1155) == (105, 1)  # 1155 / 11 = 105 exactly
    assert g9(1150) == (105, 1)  # 104.545 -> 105
    assert g9(1149) == (104, 1)  # 104.4545 -> 104
    # 99.99 of sales: G1 = 9999 -> 99 whole dollars, not 100; G9 = 9999 / 11 = 909 -> 9.
    figures = bas([TaxFact(SATURDAY, GST, 9090, 909, 9999)])
    assert labels(figures)["G1"] == (9999, 99)
    assert labels(figures)["G9"] == (909, 9)


def test_bas_refunds_are_decreasing_adjustments_never_taken_off_g1() -> None:
    # Example A's invoice, then (docs/money.md, refunds) the juice 6.10 refunded: GST
    # 1.83 x 6.10 / 20.10 = 0.5554 -> 0.56, net 5.54; and the bread roll 3.00 refunded.
    sales = [
        TaxFact(SATURDAY, GST, net_minor=1827, tax_minor=183, gross_minor=2010),
        TaxFact(SATURDAY, GST_FREE, net_minor=300, tax_minor=0, gross_minor=300),
    ]
    refunds = [
        TaxFact(SUNDAY, GST, net_minor=554, tax_minor=56, gross_minor=610, refund=True),
        TaxFact(SUNDAY, GST_FREE, net_minor=300, tax_minor=0, gross_minor=300, refund=True),
    ]
    with_refunds = bas(sales + refunds)
    assert with_refunds.labels == bas(sales).labels  # G1..G9 and 1A unchanged
    assert with_refunds.decreasing_adjustments == BasAdjustment(
        description="Refunds of taxable sales (decreasing adjustments, G18)",
        amount_minor=610,
        amount_whole_dollars=6,  # cents dropped, as the labels'
        gst_minor=56,
        gst_whole_dollars=0,
    )
    assert with_refunds.gst_free_refunds_minor == 300
    # A quarter with refunds only: nothing sold, the adjustment still reported.
    only = bas(refunds)
    assert labels(only)["G1"] == (0, 0) and labels(only)["1A"] == (0, 0)
    assert (only.decreasing_adjustments.amount_minor, only.decreasing_adjustments.gst_minor) == (
        610,
        56,
    )


# --- VAT summary ------------------------------------------------------------------------------


def test_vat_summary_19_and_7_percent_less_refunds() -> None:
    # 19 %: 11.90 incl. VAT: 1190 x 19/119 = 190, net 1000; and 4.50: 450 x 19/119 = 71.85
    #   -> 72, net 378. The 4.50 is refunded in full (its whole VAT, 72).
    # 7 %: 10.70 incl. VAT: 1070 x 7/107 = 70, net 1000; half of it (5.35) refunded:
    #   70 x 535 / 1070 = 35, net 500.
    rows = vat_summary(
        [
            TaxFact(SATURDAY, VAT_STANDARD, 1000, 190, 1190),
            TaxFact(SATURDAY, VAT_REDUCED, 1000, 70, 1070),
            TaxFact(SUNDAY, VAT_STANDARD, 378, 72, 450),
            TaxFact(SUNDAY, VAT_STANDARD, 378, 72, 450, refund=True),
            TaxFact(SUNDAY, VAT_REDUCED, 500, 35, 535, refund=True),
        ]
    )
    assert [row.rate for row in rows] == [VAT_STANDARD, VAT_REDUCED]
    standard, reduced = rows
    assert standard.sales == rate_total(VAT_STANDARD, 1378, 262, 1640)  # 1000 + 378 | 190 + 72
    assert standard.refunds == rate_total(VAT_STANDARD, 378, 72, 450)
    assert (standard.net_minor, standard.tax_minor) == (1000, 190)  # 1378 - 378 | 262 - 72
    assert reduced.sales == rate_total(VAT_REDUCED, 1000, 70, 1070)
    assert reduced.refunds == rate_total(VAT_REDUCED, 500, 35, 535)
    assert (reduced.net_minor, reduced.tax_minor) == (500, 35)


def test_vat_summary_of_a_period_with_a_refund_and_no_sale_at_its_rate() -> None:
    # The refund is reported when it happens: in a month without 7 % sales it makes the 7 %
    # line negative.
    rows = vat_summary(
        [
            TaxFact(SATURDAY, VAT_STANDARD, 1000, 190, 1190),
            TaxFact(SUNDAY, VAT_REDUCED, 500, 35, 535, refund=True),
        ]
    )
    assert [(row.rate, row.net_minor, row.tax_minor) for row in rows] == [
        (VAT_STANDARD, 1000, 190),
        (VAT_REDUCED, -500, -35),
    ]
    assert rows[1].sales == rate_total(VAT_REDUCED, 0, 0, 0)
    assert vat_summary([]) == []


# --- additivity: per-order facts and facts rolled up per day give the same reports --------------

F = TypeVar("F")
DAYS = (FRIDAY, SATURDAY, SUNDAY)
# The same rates as Postgres may return them: numeric keeps the scale it was written with.
RATES = (
    Decimal("10"),
    Decimal("10.000"),
    Decimal("0"),
    Decimal("0.000"),
    Decimal("19"),
    Decimal("7.0"),
    Decimal("5.5"),
)
money = st.integers(min_value=0, max_value=100_000)
days = st.sampled_from(DAYS)


@st.composite
def tax_facts(draw: st.DrawFn) -> TaxFact:
    gross = draw(money)
    tax = draw(st.integers(min_value=0, max_value=gross))
    return TaxFact(
        draw(days),
        draw(st.sampled_from(RATES)),
        gross - tax,
        tax,
        gross,
        refund=draw(st.booleans()),
    )


per_order_facts = st.builds(
    DayFacts,
    sales=st.lists(
        st.builds(
            SalesFact,
            day=days,
            orders=st.just(1),
            covers=st.integers(0, 12),
            gross_minor=money,
            discounts_minor=money,
            service_charges_minor=money,
            tips_minor=money,
            rounding_minor=st.integers(-2, 2),
        ),
        max_size=12,
    ),
    tax=st.lists(tax_facts(), max_size=16),
    refunds=st.lists(
        st.builds(
            DayRefundsFact,
            day=days,
            count=st.just(1),
            amount_minor=money,
            tax_minor=money,
        ),
        max_size=6,
    ),
    voids=st.lists(
        st.one_of(
            st.builds(VoidFact, day=days, orders=st.just(1), orders_minor=money),
            st.builds(VoidFact, day=days, lines=st.just(1), lines_minor=money),
        ),
        max_size=6,
    ),
    tenders=st.lists(
        st.one_of(
            st.builds(
                TenderFact,
                day=days,
                tender=st.sampled_from(["cash", "card"]),
                payments=st.just(1),
                paid_minor=money,
            ),
            st.builds(
                TenderFact, day=days, tender=st.sampled_from(["cash", "card"]), refunded_minor=money
            ),
        ),
        max_size=12,
    ),
)


def summed(facts: list[F], key: Any) -> list[F]:
    """The facts added up per key, as a GROUP BY would: every int field summed."""
    groups: dict[Any, list[F]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    rolled = []
    for members in groups.values():
        first = members[0]
        sums = {
            f.name: sum(getattr(member, f.name) for member in members)
            for f in fields(first)  # type: ignore[arg-type]
            if f.type == "int"
        }
        rolled.append(replace(first, **sums))  # type: ignore[type-var]
    return rolled


def rolled_up(facts: DayFacts) -> DayFacts:
    """What the repository's SQL hands over: one row per day (sales, refunds, voids), per day
    and rate (tax, sales and refunds apart) and per day and tender."""
    return DayFacts(
        sales=summed(list(facts.sales), lambda f: f.day),
        tax=summed(list(facts.tax), lambda f: (f.day, Decimal(f.rate).normalize(), f.refund)),
        refunds=summed(list(facts.refunds), lambda f: f.day),
        voids=summed(list(facts.voids), lambda f: f.day),
        tenders=summed(list(facts.tenders), lambda f: (f.day, f.tender)),
    )


def test_rolling_up_sums_the_ints_and_keeps_the_keys() -> None:
    # The helper itself, by hand: two Saturday cash payments and one card become two rows.
    rows = summed(ORDER_A[3:] + ORDER_B[2:] + ORDER_C[3:], lambda f: (f.day, f.tender))
    assert sorted(rows, key=lambda f: f.tender) == [
        TenderFact(SATURDAY, "card", payments=1, paid_minor=1290),
        TenderFact(SATURDAY, "cash", payments=2, paid_minor=1935),  # 750 + 1185
    ]
    assert rolled_up(SATURDAY_FACTS).tax == [
        TaxFact(SATURDAY, GST, 2129, 213, 2342),
        TaxFact(SATURDAY, GST_FREE, 585, 0, 585),
        TaxFact(SATURDAY, GST_FREE, 300, 0, 300, refund=True),
        TaxFact(SATURDAY, GST, 450, 45, 495, refund=True),
    ]
    assert totals(rolled_up(SATURDAY_FACTS)) == SATURDAY_TOTALS


@given(per_order_facts)
def test_reports_over_rolled_up_facts_equal_reports_over_each_orders_facts(
    facts: DayFacts,
) -> None:
    rolled = rolled_up(facts)
    calendar = [(FRIDAY, 24.0), (SATURDAY, 23.0), (SUNDAY, 24.0)]
    assert totals(rolled) == totals(facts)
    assert daily_summaries(rolled, calendar) == daily_summaries(facts, calendar)
    assert bas(rolled.tax) == bas(facts.tax)
    assert vat_summary(rolled.tax) == vat_summary(facts.tax)
    # And a closure's running totals: the days added one by one equal the whole.
    running = totals(DayFacts())
    for day in daily_summaries(facts, calendar):
        running = add_totals(running, Totals.model_validate(day.model_dump()))
    assert running == totals(facts)


ITEMS = [
    (FLAT_WHITE, "Flat white", "Cafe"),
    (BREAD_ROLL, "Bread roll", "Cafe"),
    (PALE_ALE, "Pale ale", "Drinks"),
    (None, "Open food", None),
    (None, "", None),  # a refund by amount
]


@st.composite
def line_facts(draw: st.DrawFn) -> LineFact:
    item_id, name, category = draw(st.sampled_from(ITEMS))
    if draw(st.booleans()):
        return refunded(item_id, name, category, draw(st.integers(0, 3)), draw(money))
    gross = draw(money)
    net = draw(st.integers(0, gross))
    service = draw(st.integers(0, 100))
    return sold(
        item_id, name, category, draw(st.integers(1, 20)), gross, net, service_charges_minor=service
    )


@given(
    st.lists(line_facts(), max_size=20),
    st.lists(
        st.builds(
            ModifierFact,
            modifier_id=st.sampled_from([OAT_MILK, EXTRA_SHOT]),
            name=st.just("Milk"),
            quantity=st.integers(1, 9),
            gross_minor=money,
        ),
        max_size=10,
    ),
)
def test_item_mix_over_rolled_up_lines_equals_item_mix_over_each_line(
    lines: list[LineFact], modifiers: list[ModifierFact]
) -> None:
    rolled_lines = summed(lines, lambda f: (f.item_id, f.name, f.category))
    rolled_modifiers = summed(modifiers, lambda f: (f.modifier_id, f.name))
    assert item_mix(rolled_lines, rolled_modifiers) == item_mix(lines, modifiers)
