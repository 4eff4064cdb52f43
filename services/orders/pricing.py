"""The money engine: what an order costs, how much of it is tax, and how refunds and cash
rounding move that tax. Pure functions, no I/O, so the till, the receipt, the reports and the
exports all get the same numbers from the same inputs.

Money is integer minor units (cents) and tax rates are `Decimal` percents. Every division is
done on exact fractions and rounded once, half up (half a cent goes away from zero): a float
would make 0.1 + 0.2 a different number on different code paths, and an accountant
reconciling a day's takings would find the cent.

Tax is worked out per rate on the whole invoice, never per line and then added up: that is
how the ATO lets GST be rounded ("rounded per invoice") and how EU VAT is stated on an invoice
(one amount per rate). Per-line rounding would drift from the invoice total by a cent every
few lines. The rules, in order, with worked examples, are in docs/money.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from libs.sales.money import round_half_up

# Basis points in a whole: 10000 bps = 100 %.
BASIS_POINTS = 10000


class PricingError(ValueError):
    """An order the engine refuses to price. The message is shown to the cashier."""


@dataclass(frozen=True, slots=True)
class Discount:
    kind: Literal["percent", "amount"]
    value: int  # percent: basis points (1000 = 10%, max 10000); amount: minor units (>= 0)


@dataclass(frozen=True, slots=True)
class LineInput:
    key: int  # the line number; echoed back
    quantity: int  # >= 1
    unit_price_minor: int  # item + chosen modifiers, per unit, in the tenant's pricing basis
    tax_rate: Decimal  # percent in force for this line
    discount: Discount | None = None


@dataclass(frozen=True, slots=True)
class OrderInput:
    lines: tuple[LineInput, ...]
    prices_include_tax: bool
    discount: Discount | None = None  # order-level discount
    service_charge_bps: int = 0  # % of the discounted goods, e.g. 1000 = 10%
    tip_minor: int = 0


@dataclass(frozen=True, slots=True)
class LinePrice:
    key: int
    gross_minor: int  # quantity * unit_price_minor
    line_discount_minor: int
    order_discount_minor: int  # this line's share of the order discount
    net_minor: int  # gross - both discounts (pricing basis: incl. tax if inclusive)
    service_charge_minor: int  # this line's share of the service charge


@dataclass(frozen=True, slots=True)
class TaxGroup:  # one per distinct rate present on the order (incl. 0%)
    rate: Decimal
    net_minor: int  # excluding tax
    tax_minor: int
    gross_minor: int  # including tax; net + tax == gross


@dataclass(frozen=True, slots=True)
class OrderPrice:
    lines: tuple[LinePrice, ...]
    subtotal_minor: int  # sum of line gross
    discount_minor: int  # all line + order discounts
    service_charge_minor: int
    tax: tuple[TaxGroup, ...]  # sorted by rate, highest first
    tax_minor: int  # sum of group tax
    tip_minor: int
    total_minor: int  # what the customer owes: sum(group gross) + tip


def price_order(order: OrderInput) -> OrderPrice:
    """Prices an order: line discounts, then the order discount, then the service charge, then
    tax per rate on the whole invoice, then the tip (untaxed, undiscounted)."""
    _check_order(order)

    grosses = [line.quantity * line.unit_price_minor for line in order.lines]
    line_discounts = [
        _discount_amount(line.discount, gross, what=f"line {line.key}")
        for line, gross in zip(order.lines, grosses, strict=True)
    ]
    after_line_discounts = [
        gross - discount for gross, discount in zip(grosses, line_discounts, strict=True)
    ]

    # The order discount is one number on the receipt, but each line must carry its share:
    # lines can have different tax rates, and tax is owed on what was actually charged.
    order_discount = _discount_amount(order.discount, sum(after_line_discounts), what="the order")
    order_discount_shares = allocate(order_discount, after_line_discounts)
    nets = [
        amount - share
        for amount, share in zip(after_line_discounts, order_discount_shares, strict=True)
    ]

    # A service charge is part of the supply, so it is taxed at the rate of what it was
    # charged on; spreading it over the lines is what gives each share its rate.
    service_charge = round_half_up(Fraction(sum(nets) * order.service_charge_bps, BASIS_POINTS))
    service_charge_shares = allocate(service_charge, nets)

    lines = tuple(
        LinePrice(
            key=line.key,
            gross_minor=gross,
            line_discount_minor=line_discount,
            order_discount_minor=order_share,
            net_minor=net,
            service_charge_minor=service_share,
        )
        for line, gross, line_discount, order_share, net, service_share in zip(
            order.lines,
            grosses,
            line_discounts,
            order_discount_shares,
            nets,
            service_charge_shares,
            strict=True,
        )
    )

    # Decimal("10") and Decimal("10.0") are equal and hash alike, so they share a group.
    amount_per_rate: dict[Decimal, int] = {}
    for line, line_price in zip(order.lines, lines, strict=True):
        amount = line_price.net_minor + line_price.service_charge_minor
        amount_per_rate[line.tax_rate] = amount_per_rate.get(line.tax_rate, 0) + amount
    tax = tuple(
        _tax_group(rate, amount, prices_include_tax=order.prices_include_tax)
        for rate, amount in sorted(amount_per_rate.items(), key=lambda item: item[0], reverse=True)
    )

    return OrderPrice(
        lines=lines,
        subtotal_minor=sum(grosses),
        discount_minor=sum(line_discounts) + order_discount,
        service_charge_minor=service_charge,
        tax=tax,
        tax_minor=sum(group.tax_minor for group in tax),
        tip_minor=order.tip_minor,
        total_minor=sum(group.gross_minor for group in tax) + order.tip_minor,
    )


def cash_rounding(amount_minor: int, increment_minor: int) -> int:
    """The rounding adjustment (rounded - amount) that makes a cash amount payable in the
    smallest coin: AUD has no 1c or 2c coins, so increment 5 gives the Australian rule
    (1, 2 down; 3, 4 up to 5; 6, 7 down to 5; 8, 9 up). A refund (negative amount) rounds
    the mirror image of the same sale, so paying and refunding it cancel out. An exact tie,
    possible only with an even increment, rounds away from zero."""
    if increment_minor < 1:
        raise PricingError("The cash rounding increment must be at least one cent.")
    magnitude = abs(amount_minor)
    remainder = magnitude % increment_minor
    if remainder == 0:
        return 0
    adjustment = increment_minor - remainder if 2 * remainder >= increment_minor else -remainder
    return -adjustment if amount_minor < 0 else adjustment


def allocate(total_minor: int, weights: Sequence[int]) -> list[int]:
    """Splits `total_minor` into whole cents in proportion to `weights` so that the shares add
    up exactly (largest-remainder method). Each share is within one cent of its exact
    proportional share; the leftover cents go to the largest fractional parts, ties to the
    earlier weight. All-zero weights split the total evenly."""
    if total_minor < 0:
        raise PricingError("Cannot allocate a negative amount.")
    if any(weight < 0 for weight in weights):
        raise PricingError("Allocation weights cannot be negative.")
    if not weights:
        if total_minor:
            raise PricingError("Cannot allocate an amount over nothing.")
        return []
    if not any(weights):
        weights = [1] * len(weights)
    weight_total = sum(weights)
    shares = [total_minor * weight // weight_total for weight in weights]
    remainders = [total_minor * weight % weight_total for weight in weights]
    leftover = total_minor - sum(shares)
    by_largest_remainder = sorted(range(len(weights)), key=lambda index: -remainders[index])
    for index in by_largest_remainder[:leftover]:
        shares[index] += 1
    return shares


def refund_tax(
    *,
    group_gross_minor: int,
    group_tax_minor: int,
    refunded_gross_minor: int,
    refunded_tax_minor: int,
    amount_minor: int,
) -> int:
    """The tax inside a refund of `amount_minor` (tax-inclusive) taken out of one tax group of
    an order, given what was already refunded from that group.

    Proportional to the group's own tax, so a refund un-taxes at the rate the sale was taxed,
    and cumulative: the tax of everything refunded so far, this refund included, is
    half-up(group tax x refunded gross / group gross), less the tax already refunded. So many
    small refunds carry their fair share each (rounding each on its own would leave the
    rounding cents to the last one), and the refund that empties the group returns exactly
    the tax still unrefunded: together they give back exactly the tax that was charged."""
    if min(group_gross_minor, group_tax_minor, refunded_gross_minor, refunded_tax_minor) < 0:
        raise PricingError("Tax group amounts cannot be negative.")
    if amount_minor < 0:
        raise PricingError("A refund amount cannot be negative.")
    if group_tax_minor > group_gross_minor:
        raise PricingError("A tax group cannot hold more tax than its gross amount.")
    if refunded_gross_minor > group_gross_minor or refunded_tax_minor > group_tax_minor:
        raise PricingError("More has already been refunded than was charged.")
    remaining_gross = group_gross_minor - refunded_gross_minor
    if amount_minor > remaining_gross:
        raise PricingError(
            f"Cannot refund {amount_minor}: only {remaining_gross} is left to refund."
        )
    if group_gross_minor == 0:
        return 0
    remaining_tax = group_tax_minor - refunded_tax_minor
    if amount_minor == remaining_gross:
        return remaining_tax
    refunded_after = refunded_gross_minor + amount_minor
    cumulative = round_half_up(Fraction(group_tax_minor * refunded_after, group_gross_minor))
    return min(max(cumulative - refunded_tax_minor, 0), remaining_tax)


def _check_order(order: OrderInput) -> None:
    seen_keys: set[int] = set()
    for line in order.lines:
        if line.key in seen_keys:
            raise PricingError(f"Line {line.key} appears twice on the order.")
        seen_keys.add(line.key)
        if line.quantity < 1:
            raise PricingError(f"Line {line.key}: the quantity must be at least 1.")
        if line.unit_price_minor < 0:
            raise PricingError(f"Line {line.key}: the price cannot be negative.")
        # A float rate would carry binary noise (0.07 is not 7/100) into the tax.
        if not isinstance(line.tax_rate, Decimal) or not line.tax_rate.is_finite():
            raise PricingError(f"Line {line.key}: the tax rate must be an exact percentage.")
        if line.tax_rate < 0:
            raise PricingError(f"Line {line.key}: the tax rate cannot be negative.")
    if order.service_charge_bps < 0:
        raise PricingError("The service charge cannot be negative.")
    if order.service_charge_bps > BASIS_POINTS:
        raise PricingError("The service charge cannot be more than 100%.")
    if order.tip_minor < 0:
        raise PricingError("The tip cannot be negative.")


def _discount_amount(discount: Discount | None, amount_minor: int, *, what: str) -> int:
    """The discount in cents off `amount_minor`; never more than the amount itself."""
    if discount is None:
        return 0
    if discount.kind == "percent":
        if not 0 <= discount.value <= BASIS_POINTS:
            raise PricingError(f"The discount on {what} must be between 0% and 100%.")
        return round_half_up(Fraction(amount_minor * discount.value, BASIS_POINTS))
    if discount.kind == "amount":
        if discount.value < 0:
            raise PricingError(f"The discount on {what} cannot be negative.")
        if discount.value > amount_minor:
            raise PricingError(f"The discount on {what} is more than its price.")
        return discount.value
    raise PricingError(f"The discount on {what} must be a percentage or an amount.")


def _tax_group(rate: Decimal, amount_minor: int, *, prices_include_tax: bool) -> TaxGroup:
    fraction_rate = Fraction(rate)
    if prices_include_tax:
        # The tax inside a tax-inclusive price: rate / (100 + rate) of it (1/11 for 10% GST).
        tax = round_half_up(amount_minor * fraction_rate / (100 + fraction_rate))
        return TaxGroup(
            rate=rate, net_minor=amount_minor - tax, tax_minor=tax, gross_minor=amount_minor
        )
    tax = round_half_up(amount_minor * fraction_rate / 100)
    return TaxGroup(
        rate=rate, net_minor=amount_minor, tax_minor=tax, gross_minor=amount_minor + tax
    )
