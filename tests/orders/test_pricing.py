"""The money engine: hand-worked invoices an accountant can check line by line (the same ones
as docs/money.md), and properties that must hold for any order hypothesis can think of."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.orders.pricing import (
    Discount,
    LineInput,
    LinePrice,
    OrderInput,
    PricingError,
    TaxGroup,
    allocate,
    cash_rounding,
    price_order,
    refund_tax,
)

GST = Decimal("10")
GST_FREE = Decimal("0")
VAT_STANDARD = Decimal("19")
VAT_REDUCED = Decimal("7")
RATES = (GST_FREE, VAT_REDUCED, GST, VAT_STANDARD)


def exact_share(total: int, weight: int, weight_total: int) -> Fraction:
    return Fraction(total * weight, weight_total)


def half_up(value: Fraction) -> int:
    # Written independently of the engine's own rounding: floor(x + 1/2) for x >= 0.
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


# --- Hand-worked invoices -------------------------------------------------------------------


def test_ato_gst_inclusive_invoice_rounds_gst_once_per_invoice() -> None:
    order = OrderInput(
        lines=(
            LineInput(key=1, quantity=2, unit_price_minor=450, tax_rate=GST),  # coffee
            LineInput(key=2, quantity=1, unit_price_minor=500, tax_rate=GST),  # muffin
            LineInput(key=3, quantity=1, unit_price_minor=610, tax_rate=GST),  # juice
            LineInput(key=4, quantity=1, unit_price_minor=300, tax_rate=GST_FREE),  # bread roll
        ),
        prices_include_tax=True,
    )
    price = price_order(order)

    # Taxable: 2 x 4.50 + 5.00 + 6.10 = 20.10. GST = 1/11 of 20.10 = 1.82727... -> 1.83.
    # Rounded per line it would be 0.82 (9.00/11 = 0.818) + 0.45 (5.00/11 = 0.4545)
    # + 0.55 (6.10/11 = 0.5545) = 1.82: a cent short of the invoice's own GST.
    assert price.tax == (
        TaxGroup(rate=GST, net_minor=1827, tax_minor=183, gross_minor=2010),
        # The GST-free bread roll is still shown, at 0%: a tax invoice lists it separately.
        TaxGroup(rate=GST_FREE, net_minor=300, tax_minor=0, gross_minor=300),
    )
    assert price.subtotal_minor == 2310
    assert price.tax_minor == 183
    # Inclusive prices: the customer pays the shelf prices, 23.10, GST already inside.
    assert price.total_minor == 2310
    per_line = sum(half_up(Fraction(line.net_minor, 11)) for line in price.lines[:3])
    assert per_line == 182


def test_german_vat_invoice_priced_net() -> None:
    order = OrderInput(
        lines=(
            LineInput(key=1, quantity=1, unit_price_minor=1490, tax_rate=VAT_REDUCED),  # food
            LineInput(key=2, quantity=2, unit_price_minor=320, tax_rate=VAT_STANDARD),  # drinks
            LineInput(key=3, quantity=1, unit_price_minor=390, tax_rate=VAT_STANDARD),  # beer
        ),
        prices_include_tax=False,
    )
    price = price_order(order)

    # 19 %: net 2 x 3.20 + 3.90 = 10.30; VAT 10.30 x 19/100 = 1.957 -> 1.96; gross 12.26.
    # 7 %:  net 14.90; VAT 14.90 x 7/100 = 1.043 -> 1.04; gross 15.94.
    # Highest rate first, as German invoices usually list them.
    assert price.tax == (
        TaxGroup(rate=VAT_STANDARD, net_minor=1030, tax_minor=196, gross_minor=1226),
        TaxGroup(rate=VAT_REDUCED, net_minor=1490, tax_minor=104, gross_minor=1594),
    )
    assert price.subtotal_minor == 2520
    assert price.tax_minor == 300
    assert price.total_minor == 2820  # 12.26 + 15.94


def test_german_vat_invoice_priced_gross() -> None:
    order = OrderInput(
        lines=(
            LineInput(key=1, quantity=1, unit_price_minor=1490, tax_rate=VAT_REDUCED),
            LineInput(key=2, quantity=2, unit_price_minor=320, tax_rate=VAT_STANDARD),
            LineInput(key=3, quantity=1, unit_price_minor=390, tax_rate=VAT_STANDARD),
        ),
        prices_include_tax=True,
    )
    price = price_order(order)

    # 19 %: gross 10.30; VAT 10.30 x 19/119 = 1.6445... -> 1.64; net 8.66.
    # 7 %:  gross 14.90; VAT 14.90 x 7/107 = 0.9747... -> 0.97; net 13.93.
    assert price.tax == (
        TaxGroup(rate=VAT_STANDARD, net_minor=866, tax_minor=164, gross_minor=1030),
        TaxGroup(rate=VAT_REDUCED, net_minor=1393, tax_minor=97, gross_minor=1490),
    )
    assert price.tax_minor == 261
    assert price.total_minor == 2520  # the menu prices, 25.20


def test_percent_order_discount_is_shared_across_mixed_rate_lines() -> None:
    order = OrderInput(
        lines=(
            LineInput(key=1, quantity=1, unit_price_minor=1000, tax_rate=GST),
            LineInput(key=2, quantity=1, unit_price_minor=333, tax_rate=GST_FREE),
        ),
        prices_include_tax=True,
        discount=Discount(kind="percent", value=1000),
    )
    price = price_order(order)

    # 10 % of 13.33 = 1.333 -> 1.33. Shared 1000 : 333:
    #   line 1: 133 x 1000/1333 = 99.77 -> 99, remainder 0.77
    #   line 2: 133 x 333/1333  = 33.22 -> 33, remainder 0.22
    # One cent left over goes to the larger remainder, line 1: 1.00 and 0.33.
    assert price.lines == (
        LinePrice(
            key=1,
            gross_minor=1000,
            line_discount_minor=0,
            order_discount_minor=100,
            net_minor=900,
            service_charge_minor=0,
        ),
        LinePrice(
            key=2,
            gross_minor=333,
            line_discount_minor=0,
            order_discount_minor=33,
            net_minor=300,
            service_charge_minor=0,
        ),
    )
    assert price.discount_minor == 133
    # GST on the discounted taxable line only: 9.00 / 11 = 0.818 -> 0.82.
    assert price.tax == (
        TaxGroup(rate=GST, net_minor=818, tax_minor=82, gross_minor=900),
        TaxGroup(rate=GST_FREE, net_minor=300, tax_minor=0, gross_minor=300),
    )
    assert price.total_minor == 1200


def test_every_step_in_order() -> None:
    order = OrderInput(
        lines=(
            LineInput(
                key=1,
                quantity=2,
                unit_price_minor=450,
                tax_rate=GST,
                discount=Discount(kind="amount", value=50),
            ),
            LineInput(key=2, quantity=1, unit_price_minor=650, tax_rate=GST),
            LineInput(key=3, quantity=1, unit_price_minor=333, tax_rate=GST_FREE),
        ),
        prices_include_tax=True,
        discount=Discount(kind="percent", value=1000),
        service_charge_bps=1000,
        tip_minor=500,
    )
    price = price_order(order)

    # Line discount: 9.00 - 0.50 = 8.50; then 6.50 and 3.33; together 18.33.
    # Order discount: 10 % of 18.33 = 1.833 -> 1.83, shared 850 : 650 : 333 (of 1833):
    #   84.86 -> 84 (rem 1578/1833), 64.89 -> 64 (rem 1638/1833), 33.25 -> 33 (rem 450/1833)
    #   two cents left: to line 2, then line 1 -> 85, 65, 33. Nets 7.65, 5.85, 3.00 = 16.50.
    # Service charge: 10 % of 16.50 = 1.65, shared 765 : 585 : 300:
    #   76.5, 58.5, 30 -> 76, 58, 30; one cent left, lines 1 and 2 tie -> line 1: 77, 58, 30.
    assert [
        (line.line_discount_minor, line.order_discount_minor, line.net_minor)
        for line in price.lines
    ] == [(50, 85, 765), (0, 65, 585), (0, 33, 300)]
    assert [line.service_charge_minor for line in price.lines] == [77, 58, 30]
    assert price.discount_minor == 50 + 183
    assert price.service_charge_minor == 165
    # GST: (7.65 + 0.77) + (5.85 + 0.58) = 14.85; 14.85 / 11 = 1.35 exactly.
    # GST-free: 3.00 + 0.30 = 3.30.
    assert price.tax == (
        TaxGroup(rate=GST, net_minor=1350, tax_minor=135, gross_minor=1485),
        TaxGroup(rate=GST_FREE, net_minor=330, tax_minor=0, gross_minor=330),
    )
    # The tip comes last, untaxed and undiscounted: 14.85 + 3.30 + 5.00.
    assert price.total_minor == 2315


def test_an_order_with_every_line_voided_owes_only_its_tip() -> None:
    price = price_order(
        OrderInput(
            lines=(),
            prices_include_tax=True,
            discount=Discount(kind="percent", value=1000),
            service_charge_bps=1000,
            tip_minor=200,
        )
    )
    assert (price.subtotal_minor, price.discount_minor, price.service_charge_minor) == (0, 0, 0)
    assert price.tax == ()
    assert price.total_minor == 200


@pytest.mark.parametrize(
    ("amount", "adjustment"),
    [
        (1230, 0),
        (1231, -1),  # 12.31 -> 12.30
        (1232, -2),  # 12.32 -> 12.30
        (1233, 2),  # 12.33 -> 12.35
        (1234, 1),  # 12.34 -> 12.35
        (1235, 0),
        (1236, -1),  # 12.36 -> 12.35
        (1237, -2),  # 12.37 -> 12.35
        (1238, 2),  # 12.38 -> 12.40
        (1239, 1),  # 12.39 -> 12.40
        (-1233, -2),  # a cash refund of 12.33 pays out 12.35
        (-1232, 2),  # a cash refund of 12.32 pays out 12.30
        (2, -2),
        (3, 2),
    ],
)
def test_aud_cash_rounding(amount: int, adjustment: int) -> None:
    assert cash_rounding(amount, 5) == adjustment


def test_cash_rounding_ties_round_away_from_zero() -> None:
    assert cash_rounding(1235, 10) == 5
    assert cash_rounding(-1235, 10) == -5
    assert cash_rounding(1234, 10) == -4
    assert cash_rounding(1234, 1) == 0


def test_allocate_ties_go_to_the_earlier_weight() -> None:
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(5, [0, 0]) == [3, 2]
    assert allocate(0, []) == []
    assert allocate(7, [0, 3, 0]) == [0, 7, 0]


def test_refund_tax_by_hand() -> None:
    group = {"group_gross_minor": 2010, "group_tax_minor": 183}
    # Refund the juice (6.10): 183 x 610/2010 = 55.54 -> 56.
    first = refund_tax(**group, refunded_gross_minor=0, refunded_tax_minor=0, amount_minor=610)
    assert first == 56
    # Refund the muffin (5.00), cumulatively: 183 x 1110/2010 = 101.06 -> 101, less the 56
    # already refunded: 45 (on its own, 183 x 500/2010 = 45.52 would round to 46).
    second = refund_tax(**group, refunded_gross_minor=610, refunded_tax_minor=56, amount_minor=500)
    assert second == 45
    # The coffees (9.00) empty the group: exactly the 183 - 56 - 45 = 82 left.
    last = refund_tax(**group, refunded_gross_minor=1110, refunded_tax_minor=101, amount_minor=900)
    assert last == 82
    assert (
        refund_tax(
            group_gross_minor=0,
            group_tax_minor=0,
            refunded_gross_minor=0,
            refunded_tax_minor=0,
            amount_minor=0,
        )
        == 0
    )


# --- Refusals ---------------------------------------------------------------------------------


COFFEE = LineInput(key=1, quantity=1, unit_price_minor=1000, tax_rate=GST)


def coffee(**changes: Any) -> LineInput:
    return replace(COFFEE, **changes)


def coffee_order(line: LineInput = COFFEE, **changes: Any) -> OrderInput:
    return replace(OrderInput(lines=(line,), prices_include_tax=True), **changes)


@pytest.mark.parametrize(
    "order",
    [
        coffee_order(coffee(quantity=0)),
        coffee_order(coffee(unit_price_minor=-1)),
        coffee_order(coffee(tax_rate=Decimal("-1"))),
        coffee_order(coffee(tax_rate=Decimal("NaN"))),
        coffee_order(coffee(tax_rate=0.1)),
        coffee_order(coffee(discount=Discount(kind="percent", value=10001))),
        coffee_order(coffee(discount=Discount(kind="percent", value=-1))),
        coffee_order(coffee(discount=Discount(kind="amount", value=-1))),
        coffee_order(coffee(discount=Discount(kind="amount", value=1001))),
        coffee_order(discount=Discount(kind="amount", value=1001)),
        coffee_order(discount=Discount(kind="percent", value=10001)),
        coffee_order(discount=Discount(kind="voucher", value=1)),  # type: ignore[arg-type]
        coffee_order(service_charge_bps=-1),
        coffee_order(service_charge_bps=10001),
        coffee_order(tip_minor=-1),
        OrderInput(
            lines=(
                LineInput(key=1, quantity=1, unit_price_minor=100, tax_rate=GST),
                LineInput(key=1, quantity=1, unit_price_minor=100, tax_rate=GST),
            ),
            prices_include_tax=True,
        ),
    ],
)
def test_refused_orders(order: OrderInput) -> None:
    with pytest.raises(PricingError):
        price_order(order)


def test_refused_order_discount_counts_line_discounts_first() -> None:
    # 10.00 less a 4.00 line discount leaves 6.00: a 7.00 order discount is more than that.
    with pytest.raises(PricingError, match="more than its price"):
        price_order(
            coffee_order(
                coffee(discount=Discount(kind="amount", value=400)),
                discount=Discount(kind="amount", value=700),
            )
        )


def test_refused_allocations_and_rounding() -> None:
    with pytest.raises(PricingError):
        allocate(-1, [1])
    with pytest.raises(PricingError):
        allocate(1, [1, -1])
    with pytest.raises(PricingError):
        allocate(1, [])
    with pytest.raises(PricingError):
        cash_rounding(100, 0)


@pytest.mark.parametrize(
    ("refunded_gross", "refunded_tax", "amount"),
    [
        (0, 0, 2011),  # more than the group
        (2000, 180, 11),  # more than is left
        (0, 0, -1),
        (2011, 0, 0),  # already refunded more than was charged
        (0, 184, 0),
    ],
)
def test_refused_refunds(refunded_gross: int, refunded_tax: int, amount: int) -> None:
    with pytest.raises(PricingError):
        refund_tax(
            group_gross_minor=2010,
            group_tax_minor=183,
            refunded_gross_minor=refunded_gross,
            refunded_tax_minor=refunded_tax,
            amount_minor=amount,
        )


# --- Properties -----------------------------------------------------------------------------

discounts_in_percent = st.builds(
    Discount, kind=st.just("percent"), value=st.integers(min_value=0, max_value=10000)
)


@st.composite
def discount_on(draw: st.DrawFn, amount: int) -> Discount | None:
    return draw(
        st.none()
        | discounts_in_percent
        | st.builds(Discount, kind=st.just("amount"), value=st.integers(0, amount))
    )


@st.composite
def orders(draw: st.DrawFn) -> OrderInput:
    lines = []
    for key in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        quantity = draw(st.integers(min_value=1, max_value=20))
        unit_price = draw(st.integers(min_value=0, max_value=50_000))
        lines.append(
            LineInput(
                key=key,
                quantity=quantity,
                unit_price_minor=unit_price,
                tax_rate=draw(st.sampled_from(RATES)),
                discount=draw(discount_on(quantity * unit_price)),
            )
        )
    # The largest an amount order discount may be is what is left after the line discounts.
    after_line_discounts = sum(
        line.quantity * line.unit_price_minor
        - (
            0
            if line.discount is None
            else line.discount.value
            if line.discount.kind == "amount"
            else half_up(
                Fraction(line.quantity * line.unit_price_minor * line.discount.value, 10000)
            )
        )
        for line in lines
    )
    return OrderInput(
        lines=tuple(lines),
        prices_include_tax=draw(st.booleans()),
        discount=draw(discount_on(after_line_discounts)),
        service_charge_bps=draw(st.sampled_from([0, 0, 500, 1000, 1250]) | st.integers(0, 10000)),
        tip_minor=draw(st.integers(min_value=0, max_value=10_000)),
    )


@given(orders())
def test_lines_add_up(order: OrderInput) -> None:
    price = price_order(order)
    for line_input, line in zip(order.lines, price.lines, strict=True):
        assert line.key == line_input.key
        assert line.gross_minor == line_input.quantity * line_input.unit_price_minor
        assert line.gross_minor - line.line_discount_minor - line.order_discount_minor == (
            line.net_minor
        )
        assert line.net_minor >= 0
        assert line.order_discount_minor >= 0
        assert line.service_charge_minor >= 0
    nets = sum(line.net_minor for line in price.lines)
    assert nets == price.subtotal_minor - price.discount_minor
    assert price.subtotal_minor == sum(line.gross_minor for line in price.lines)
    assert sum(line.service_charge_minor for line in price.lines) == price.service_charge_minor
    assert abs(
        price.service_charge_minor - Fraction(nets * order.service_charge_bps, 10000)
    ) <= Fraction(1, 2)


@given(orders())
def test_tax_groups_add_up(order: OrderInput) -> None:
    price = price_order(order)
    charged = sum(line.net_minor + line.service_charge_minor for line in price.lines)
    if order.prices_include_tax:
        assert sum(group.gross_minor for group in price.tax) == charged
    else:
        assert sum(group.net_minor for group in price.tax) == charged

    assert [group.rate for group in price.tax] == sorted(
        {line.tax_rate for line in order.lines}, reverse=True
    )
    for group in price.tax:
        assert group.net_minor + group.tax_minor == group.gross_minor
        amount = sum(
            line.net_minor + line.service_charge_minor
            for line_input, line in zip(order.lines, price.lines, strict=True)
            if line_input.tax_rate == group.rate
        )
        rate = Fraction(group.rate)
        exact = amount * rate / (100 + rate) if order.prices_include_tax else amount * rate / 100
        assert abs(group.tax_minor - exact) <= Fraction(1, 2)

    assert price.tax_minor == sum(group.tax_minor for group in price.tax)
    assert price.tip_minor == order.tip_minor
    assert price.total_minor == sum(group.gross_minor for group in price.tax) + order.tip_minor


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12),
)
def test_allocate_is_exact_and_fair(total: int, weights: list[int]) -> None:
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(share >= 0 for share in shares)
    effective = weights if any(weights) else [1] * len(weights)
    for share, weight in zip(shares, effective, strict=True):
        assert abs(share - exact_share(total, weight, sum(effective))) < 1


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_cash_rounding_to_five_cents(amount: int) -> None:
    adjustment = cash_rounding(amount, 5)
    assert (amount + adjustment) % 5 == 0
    assert abs(adjustment) <= 2
    assert cash_rounding(-amount, 5) == -adjustment
    assert cash_rounding(amount, 1) == 0


@st.composite
def refund_sequences(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    gross = draw(st.integers(min_value=1, max_value=1_000_000))
    tax = draw(
        st.sampled_from(RATES).map(
            lambda rate: half_up(gross * Fraction(rate) / (100 + Fraction(rate)))
        )
        | st.integers(min_value=0, max_value=gross)
    )
    cuts = draw(st.lists(st.integers(min_value=0, max_value=gross), max_size=10))
    bounds = [0, *sorted(cuts), gross]
    return gross, tax, [end - start for start, end in pairwise(bounds)]


@given(refund_sequences())
def test_partial_refunds_give_back_exactly_the_tax_charged(
    sequence: tuple[int, int, list[int]],
) -> None:
    gross, tax, refunds = sequence
    refunded_gross = refunded_tax = 0
    for amount in refunds:
        refunded = refund_tax(
            group_gross_minor=gross,
            group_tax_minor=tax,
            refunded_gross_minor=refunded_gross,
            refunded_tax_minor=refunded_tax,
            amount_minor=amount,
        )
        assert 0 <= refunded <= tax - refunded_tax
        refunded_gross += amount
        refunded_tax += refunded
    assert refunded_gross == gross
    assert refunded_tax == tax
