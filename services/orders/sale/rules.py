"""The sale's rules as pure functions: pricing lines from the menu, repricing an order, what
a cash payment applies, what a refund gives back and to which tenders, when a manager's
approval is needed. No I/O: the commands (commands.py) read what these need, call them, and
only then change anything, so a refusal leaves every sale as it was.

Money is integer minor units, computed by the money engine (services/orders/pricing.py); the
rules here decide which amounts it is asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from libs.problems import Conflict, NotFound, Problem
from services.orders import pricing
from services.orders.menu.snapshot import MenuSnapshot
from services.orders.sale.model import Sale, SaleLine, SalePayment, rate_text

# -- refusals ----------------------------------------------------------------------------------


class OrderNotFound(NotFound):
    code = "order-not-found"
    title = "No such order"


class LineNotFound(NotFound):
    code = "order-line-not-found"
    title = "No such line on this order"


class OrderIdConflict(Conflict):
    code = "order-id-conflict"
    title = "An order with this id already exists with different content"


class OrderNotOpen(Conflict):
    code = "order-not-open"
    title = "Only an open order can be changed"


class OrderHasPayments(Conflict):
    code = "order-has-payments"
    title = "This order has payments: refund them instead of voiding"


class LineVoided(Conflict):
    code = "order-line-voided"
    title = "This line is voided already"


class ItemNotSellable(Problem):
    status = 422
    code = "item-not-sellable"
    title = "An item or modifier in this request is unknown or archived"


class ModifiersInvalid(Problem):
    status = 422
    code = "modifiers-invalid"
    title = "The modifiers chosen do not fit this item's modifier groups"


class NoTaxRate(Conflict):
    code = "no-tax-rate"
    title = "The item's tax category has no rate in force"


class PricingRefused(Problem):
    status = 422
    code = "pricing-refused"
    title = "These discounts or amounts cannot be applied"


class ReasonRequired(Problem):
    status = 422
    code = "reason-required"
    title = "Reducing a line voids part of it: send a reason_code"


class NothingToPay(Conflict):
    code = "nothing-to-pay"
    title = "This order has no balance to pay"


class Overpayment(Conflict):
    code = "overpayment"
    title = "A card payment cannot be more than the balance"


class PaymentsDoNotMatchTotal(Conflict):
    code = "payments-do-not-match-total"
    title = "An order closes only when its payments equal its total"


class PaymentInProgress(Conflict):
    code = "payment-in-progress"
    title = "A card payment of this order is waiting for the terminal; finish it first"


class OrderNotClosed(Conflict):
    code = "order-not-closed"
    title = "Only a closed (paid) order can be refunded; void an open one"


class OverRefund(Conflict):
    code = "over-refund"
    title = "This is more than is left to refund"


class TendersDoNotMatch(Problem):
    status = 422
    code = "refund-tenders-do-not-match"
    title = "The tenders must be this order's approved payments and add up to the refund"


class DiscountChangeFirst(Conflict):
    code = "discount-change-first"
    title = "Change the discount on its own first, then take the items off"


# -- pricing from the menu -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wanted:
    """A line as a till asks for it: an item, how many, its modifiers, a line discount."""

    item_id: UUID
    quantity: int
    modifier_ids: tuple[UUID, ...] = ()
    discount: pricing.Discount | None = None


def priced_lines(
    menu: MenuSnapshot,
    wanted: Sequence[Wanted],
    *,
    first_number: int,
    at: datetime,
    added_by: str,
    offline: bool,
) -> list[SaleLine]:
    """New lines priced from the menu as it was at `at`: the item at this venue's price
    then, plus its modifiers' prices then, taxed at its tax category's rate in force then.

    A sale recorded offline already happened: an item or modifier archived since (or before:
    the till's menu could not know) still sold then."""
    lines = []
    for number, line in enumerate(wanted, start=first_number):
        item = menu.item(line.item_id)
        item_price = menu.unit_price(line.item_id, at) if item else None
        if item is None or item_price is None or not (offline or item.sellable_at(at)):
            raise ItemNotSellable(item_id=str(line.item_id))
        chosen = []
        for modifier_id in line.modifier_ids:
            modifier = menu.modifier(modifier_id)
            modifier_price = menu.modifier_price(modifier_id, at) if modifier else None
            if (
                modifier is None
                or modifier_price is None
                or not (offline or modifier.sellable_at(at))
            ):
                raise ItemNotSellable(modifier_id=str(modifier_id))
            if modifier.group_id not in item.modifier_group_ids:
                raise ModifiersInvalid(f"{modifier.name} is not offered with {item.name}.")
            chosen.append((modifier, modifier_price))
        per_group = Counter(modifier.group_id for modifier, _ in chosen)
        for rule in menu.offered_groups(item, at):
            if not rule.min_choices <= per_group[rule.id] <= rule.max_choices:
                raise ModifiersInvalid(
                    f"{item.name}: choose {rule.min_choices} to {rule.max_choices} "
                    f"from {rule.name}."
                )
        rate = menu.tax_rate(item.tax_category_id, at)
        if rate is None:
            raise NoTaxRate(tax_category_id=str(item.tax_category_id))
        lines.append(
            SaleLine(
                line_number=number,
                item_id=item.id,
                name=item.name,
                quantity=line.quantity,
                unit_price_minor=item_price + sum(price for _, price in chosen),
                modifiers=[
                    {"id": str(modifier.id), "name": modifier.name, "price_minor": price}
                    for modifier, price in chosen
                ],
                tax_category_id=item.tax_category_id,
                tax_rate=rate,
                discount=line.discount,
                added_by=added_by,
                added_at=at,
            )
        )
    return lines


# -- repricing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Terms:
    """What applies to the whole order: its discount, service charge and tip."""

    discount: pricing.Discount | None
    service_charge_bps: int
    tip_minor: int

    @classmethod
    def of(cls, sale: Sale) -> Terms:
        return cls(sale.discount, sale.service_charge_bps, sale.tip_minor)


def price(
    sale: Sale,
    lines: Sequence[SaleLine],
    terms: Terms,
    *,
    changes: dict[int, dict[str, Any]] | None = None,
) -> pricing.OrderPrice:
    """The order's price with these active lines and terms (a line's pending `changes`:
    quantity or discount by line number). Refuses what the money engine refuses."""
    changes = changes or {}
    try:
        return pricing.price_order(
            pricing.OrderInput(
                lines=tuple(
                    pricing.LineInput(
                        key=line.line_number,
                        quantity=changes.get(line.line_number, {}).get("quantity", line.quantity),
                        unit_price_minor=line.unit_price_minor,
                        tax_rate=line.tax_rate,
                        discount=changes.get(line.line_number, {}).get("discount", line.discount),
                    )
                    for line in lines
                    if line.active
                ),
                prices_include_tax=sale.prices_include_tax,
                discount=terms.discount,
                service_charge_bps=terms.service_charge_bps,
                tip_minor=terms.tip_minor,
            )
        )
    except pricing.PricingError as error:
        raise PricingRefused(str(error)) from error


def tax_json(groups: Sequence[pricing.TaxGroup]) -> list[dict[str, Any]]:
    return [
        {
            "rate": rate_text(group.rate),
            "net_minor": group.net_minor,
            "tax_minor": group.tax_minor,
            "gross_minor": group.gross_minor,
        }
        for group in groups
    ]


def apply_price(sale: Sale, priced: pricing.OrderPrice) -> None:
    """Store a price worked out by `price` on the sale and its active lines."""
    by_number = {line.key: line for line in priced.lines}
    for line in sale.lines:
        amounts = by_number.get(line.line_number)
        if amounts is None:
            continue
        new = (
            amounts.gross_minor,
            amounts.line_discount_minor + amounts.order_discount_minor,
            amounts.service_charge_minor,
            amounts.net_minor,
        )
        if new != (
            line.gross_minor,
            line.discount_minor,
            line.service_charge_minor,
            line.total_minor,
        ):
            line.gross_minor, line.discount_minor, line.service_charge_minor, line.total_minor = new
            line.dirty = True
    sale.subtotal_minor = priced.subtotal_minor
    sale.discount_minor = priced.discount_minor
    sale.service_charge_minor = priced.service_charge_minor
    sale.tax_minor = priced.tax_minor
    sale.tax = tax_json(priced.tax)
    sale.tip_minor = priced.tip_minor
    sale.total_minor = priced.total_minor


def discount_over_limit(discount_minor: int, subtotal_minor: int, *, limit_bps: int) -> bool:
    """Whether an order's whole discount (line and order discounts) is above the business's
    limit, a share of its subtotal (compared exactly, without rounding)."""
    return discount_minor * pricing.BASIS_POINTS > limit_bps * subtotal_minor


def discount_roundings(priced: pricing.OrderPrice) -> int:
    """How many rounded amounts the order's discount can be made of: one per line with a
    line discount, and one for the order discount (an amount off is exact, so this is an
    upper bound; percentages each round to the nearest minor unit)."""
    lines = sum(1 for line in priced.lines if line.line_discount_minor)
    return lines + (1 if any(line.order_discount_minor for line in priced.lines) else 0)


def discount_needs_approval(
    priced: pricing.OrderPrice,
    *,
    before_minor: int,
    before_subtotal_minor: int,
    limit_bps: int,
    taking_items_off: bool = False,
) -> bool:
    """Whether a change of an order needs a manager's approval for its resulting discount
    (docs/pos.md has the table). The rule is the same both ways: a change that stays
    within the limit needs none; one that crosses the limit, up or down, or that changes a
    discount that is over the limit before or after (its amount, or its share of the
    subtotal), needs an approval of the resulting discount. An approval of one discount is
    never stretched to another.

    Taking items off (a void, fewer units) changes the bill, not the discount: it needs
    its own void approval, and a discount approval only when it pushes a discount within the
    limit over it (an amount off a smaller bill)."""
    was_over = discount_over_limit(before_minor, before_subtotal_minor, limit_bps=limit_bps)
    is_over = discount_over_limit(priced.discount_minor, priced.subtotal_minor, limit_bps=limit_bps)
    if taking_items_off:
        return is_over and not was_over
    if not was_over and not is_over:
        return False
    if was_over != is_over:
        return True
    amount_changed = priced.discount_minor != before_minor
    share_changed = priced.discount_minor * before_subtotal_minor != (
        before_minor * priced.subtotal_minor
    )
    return amount_changed or share_changed


def voided_part(line: SaleLine, quantity: int) -> int:
    """The money of the units taken off a line when its quantity goes down to `quantity`."""
    return line.total_minor * (line.quantity - quantity) // line.quantity


# -- payments ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CashTaken:
    applied_minor: int  # what pays the order (after rounding, change excluded)
    change_minor: int
    rounding_minor: int  # the adjustment recorded on the order (AUD: to 5c)


def cash_taken(balance_minor: int, tendered_minor: int, *, rounding_step: int) -> CashTaken:
    """Cash handed over towards a balance. Cash that settles what is left pays the balance
    rounded to the smallest coin (the rounding is the order's explicit adjustment); cash that
    does not settle it is applied as it is."""
    adjustment = pricing.cash_rounding(balance_minor, rounding_step)
    due = balance_minor + adjustment
    if tendered_minor >= due:
        return CashTaken(due, tendered_minor - due, adjustment)
    return CashTaken(tendered_minor, 0, 0)


# -- refunds -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefundedLine:
    line_number: int
    name: str
    quantity: int
    amount_minor: int

    def as_json(self) -> dict[str, Any]:
        return {
            "line_number": self.line_number,
            "name": self.name,
            "quantity": self.quantity,
            "amount_minor": self.amount_minor,
        }


@dataclass(frozen=True, slots=True)
class RefundedTender:
    payment: SalePayment
    amount_minor: int  # of the refund's amount, taken back from this payment
    rounding_minor: int  # cash only: what rounding the cash adds (handed back = amount + this)

    @property
    def handed_back_minor(self) -> int:
        return self.amount_minor + self.rounding_minor


@dataclass(frozen=True, slots=True)
class RefundPlan:
    amount_minor: int  # goods given back, tax included
    lines: tuple[RefundedLine, ...]
    tax: tuple[pricing.TaxGroup, ...]
    tenders: tuple[RefundedTender, ...]

    @property
    def tax_minor(self) -> int:
        return sum(group.tax_minor for group in self.tax)

    @property
    def rounding_minor(self) -> int:
        return sum(tender.rounding_minor for tender in self.tenders)


@dataclass(frozen=True, slots=True)
class RefundAsked:
    """A refund as asked: by line (`lines`: line number and quantity) or by amount, and
    optionally which payments it goes back to."""

    lines: tuple[tuple[int, int], ...] | None
    amount_minor: int | None
    tenders: tuple[tuple[UUID, int], ...] | None

    @classmethod
    def of(cls, request: Any) -> RefundAsked:
        """From a refund request: online (`RefundRequest`) or an offline operation's data."""
        return cls(
            lines=tuple((line.line_number, line.quantity) for line in request.lines)
            if request.lines is not None
            else None,
            amount_minor=request.amount_minor,
            tenders=tuple((tender.payment_id, tender.amount_minor) for tender in request.tenders)
            if request.tenders is not None
            else None,
        )


def line_money(sale: Sale) -> dict[int, int]:
    """Each active line's share of its tax group's gross (tax and service charge in): what
    the customer paid for it."""
    money: dict[int, int] = {}
    for group in sale.tax:
        rate = Decimal(group["rate"])
        lines = [line for line in sale.active_lines if line.tax_rate == rate]
        shares = pricing.allocate(
            group["gross_minor"], [line.total_minor + line.service_charge_minor for line in lines]
        )
        money |= {line.line_number: share for line, share in zip(lines, shares, strict=True)}
    return money


def _units(amount_minor: int, quantity: int, upto: int) -> int:
    """The money of the first `upto` of `quantity` units: cumulative, so every unit's share
    adds up to the whole."""
    return amount_minor * upto // quantity


def refund_plan(
    sale: Sale,
    asked: RefundAsked,
    earlier: dict[Decimal, tuple[int, int]],
    *,
    rounding_step: int,
) -> RefundPlan:
    """What a refund gives back and where the money goes, given what earlier refunds of the
    order gave back per rate (gross, tax). Never more than was charged per line or per rate,
    never more than is left of a payment. The tax comes from `pricing.refund_tax`, so all of
    an order's refunds together un-tax exactly what its sale taxed. Cash handed back is
    rounded like cash taken, each refund on its own (`pricing.cash_rounding`: refunding a
    whole cash sale hands back exactly what was paid), never beyond what is left of the
    payment."""
    groups = {Decimal(group["rate"]): group for group in sale.tax}
    left = {
        rate: group["gross_minor"] - earlier.get(rate, (0, 0))[0] for rate, group in groups.items()
    }
    # Money that can still go back: what was paid (after cash rounding) less what went back.
    paid_left = sale.paid_minor - sale.refunded_minor
    by_rate: dict[Decimal, int] = dict.fromkeys(groups, 0)
    refunded_lines: list[RefundedLine] = []
    if asked.lines is not None:
        money = line_money(sale)
        active = {line.line_number: line for line in sale.active_lines}
        for line_number, quantity in asked.lines:
            line = active.get(line_number)
            if line is None:
                raise LineNotFound(line_number=line_number)
            already = line.refunded_quantity + sum(
                done.quantity for done in refunded_lines if done.line_number == line_number
            )
            if already + quantity > line.quantity:
                raise OverRefund(
                    f"Line {line_number} has {line.quantity - already} left to refund.",
                    line_number=line_number,
                )
            amount = _units(money[line_number], line.quantity, already + quantity)
            amount -= _units(money[line_number], line.quantity, already)
            by_rate[line.tax_rate] += amount
            refunded_lines.append(RefundedLine(line_number, line.name, quantity, amount))
        if sum(by_rate.values()) > paid_left:
            # Cash rounding took a cent or two off what was paid: it comes off the refund
            # too, from the largest group.
            largest = max(by_rate, key=lambda rate: by_rate[rate])
            by_rate[largest] -= sum(by_rate.values()) - paid_left
    else:
        assert asked.amount_minor is not None
        if asked.amount_minor > min(paid_left, sum(left.values())):
            raise OverRefund(refundable_minor=min(paid_left, sum(left.values())))
        rates = list(left)
        shares = pricing.allocate(asked.amount_minor, [left[rate] for rate in rates])
        by_rate = dict(zip(rates, shares, strict=True))
    amount_minor = sum(by_rate.values())
    if amount_minor <= 0 or amount_minor > paid_left:
        raise OverRefund(refundable_minor=paid_left)

    tax = []
    for rate, amount in by_rate.items():
        if amount == 0:
            continue
        group = groups[rate]
        done_gross, done_tax = earlier.get(rate, (0, 0))
        try:
            tax_minor = pricing.refund_tax(
                group_gross_minor=group["gross_minor"],
                group_tax_minor=group["tax_minor"],
                refunded_gross_minor=done_gross,
                refunded_tax_minor=done_tax,
                amount_minor=amount,
            )
        except pricing.PricingError as error:
            raise OverRefund(str(error)) from error
        tax.append(pricing.TaxGroup(rate, amount - tax_minor, tax_minor, amount))
    tenders = _tenders(sale, asked, amount_minor=amount_minor, rounding_step=rounding_step)
    return RefundPlan(amount_minor, tuple(refunded_lines), tuple(tax), tenders)


def _cash_back(amount_minor: int, left_minor: int, rounding_step: int) -> int:
    """The rounding of cash handed back: to the smallest coin, never more than is left of
    the payment (then down to the coin below)."""
    rounding = pricing.cash_rounding(amount_minor, rounding_step)
    if amount_minor + rounding > left_minor:
        rounding = -(amount_minor % rounding_step)
    return rounding


def _tenders(
    sale: Sale, asked: RefundAsked, *, amount_minor: int, rounding_step: int
) -> tuple[RefundedTender, ...]:
    """Which approved payments the money goes back to: as asked, or the latest first, each
    never more than is left of it."""
    approved = {payment.id: payment for payment in sale.payments if payment.status == "approved"}
    plan: list[tuple[SalePayment, int]] = []
    if asked.tenders is not None:
        for payment_id, amount in asked.tenders:
            payment = approved.get(payment_id)
            if payment is None or amount > payment.left_to_refund:
                raise TendersDoNotMatch(payment_id=str(payment_id))
            plan.append((payment, amount))
        if sum(amount for _, amount in plan) != amount_minor:
            raise TendersDoNotMatch(f"The tenders must add up to {amount_minor}.")
    else:
        remaining = amount_minor
        for payment in reversed(list(approved.values())):
            take = min(remaining, payment.left_to_refund)
            if take > 0:
                plan.append((payment, take))
                remaining -= take
        if remaining:
            raise OverRefund(refundable_minor=amount_minor - remaining)
    return tuple(
        RefundedTender(
            payment,
            amount,
            _cash_back(amount, payment.left_to_refund, rounding_step)
            if payment.tender == "cash"
            else 0,
        )
        for payment, amount in plan
    )


# -- the receipt ---------------------------------------------------------------------------------


def sale_snapshot(sale: Sale) -> dict[str, Any]:
    """What the sale's receipt shows, frozen: the sold lines, taxes per rate, payments, totals."""
    return {
        "order_id": str(sale.id),
        "location_id": str(sale.location_id) if sale.location_id else None,
        "table_name": sale.table_name,
        "covers": sale.covers,
        "currency": sale.currency,
        "prices_include_tax": sale.prices_include_tax,
        "lines": [
            {
                "line_number": line.line_number,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price_minor": line.unit_price_minor,
                "modifiers": line.modifiers,
                "tax_rate": str(line.tax_rate),
                "gross_minor": line.gross_minor,
                "discount_minor": line.discount_minor,
                "total_minor": line.total_minor,
            }
            for line in sale.active_lines
        ],
        "subtotal_minor": sale.subtotal_minor,
        "discount_minor": sale.discount_minor,
        "service_charge_minor": sale.service_charge_minor,
        "tax": sale.tax,
        "tax_minor": sale.tax_minor,
        "tip_minor": sale.tip_minor,
        "total_minor": sale.total_minor,
        "rounding_minor": sale.rounding_minor,
        "paid_minor": sale.paid_minor,
        "payments": [
            {
                "tender": payment.tender,
                "amount_minor": payment.amount_minor,
                "tendered_minor": payment.tendered_minor,
                "change_minor": payment.change_minor,
                "scheme": payment.scheme,
                "last4": payment.last4,
                "auth_code": payment.auth_code,
            }
            for payment in sale.payments
            if payment.status == "approved"
        ],
    }
