"""Daily facts: what a sale and a refund add to a location's days, as additive keyed rows.

The reports read days, not orders (docs/reports.md, "Daily facts"). Five tables of the orders
schema hold, per location, day and register, sums that only ever grow or shrink by what a
sale or a refund adds: sales and voids (`day_sales`), tenders (`day_tenders`), tax per rate
under each attribution (`day_tax`), items (`day_items`) and modifiers (`day_modifiers`).

These functions are pure: a sale's facts are computed from the sale and its location's
calendar, a sale's change is `difference(facts(after), facts(before))`, and many are added up
per key (`add`). The orders unit of work writes the difference of every sale it writes and
the facts of every refund it records, in the sale's own transaction; a rebuild from stored
orders (the migration's backfill, the bench's load) computes the same facts from the same
functions, so the two can never disagree.

Tax is attributed three ways, each a row of `day_tax` (`attribution`):
- 'business': the business day of the close (refunds: of the refund), the daily summary's;
- 'accrual': the local calendar date of the earlier of the close and the first approved
  payment: the whole sale (GST Act 1999 s 29-5(1), Australia's accrual basis);
- 'cash': each approved payment's share of the order's tax on the local date it was taken
  (s 29-5(2); UStG § 13 (1) Nr. 1 b), gross and tax shared by largest remainder so they add
  up exactly, the net their difference. Germany's Soll-Versteuerung reads these rows too:
  § 13 (1) Nr. 1 a taxes the supply in its period, but a part of the price received before
  it in the period received, to that extent; a till closes an order only once it is paid,
  so every part is received by the close and each falls where the payment did (a sale
  closed with nothing received stays on the date of its close, the supply's).
Refunds belong to the local date they were given under both bases (s 29-20; UStG § 17 (1)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol
from uuid import UUID

from libs.sales.tax import rate as rate_of

# The register, item or modifier of a fact that has none (an order opened in the back
# office, an open item, a refund by amount).
NIL = UUID(int=0)

Attribution = Literal["business", "accrual", "cash"]
ATTRIBUTIONS: tuple[Attribution, ...] = ("business", "accrual", "cash")


class Calendar(Protocol):
    """A location's days: its business days (from the cutoff) and its calendar dates, both in
    its IANA zone (libs/sales/business_days.py `BusinessCalendar`)."""

    def day_of(self, instant: datetime) -> date: ...

    def local_date(self, instant: datetime) -> date: ...


@dataclass(frozen=True, slots=True)
class FactTable:
    name: str
    keys: tuple[str, ...]
    values: tuple[str, ...]


DAY_SALES = FactTable(
    "day_sales",
    ("location_id", "business_day", "register_id"),
    (
        "orders",
        "covers",
        "gross_sales_minor",
        "discounts_minor",
        "service_charges_minor",
        "tips_minor",
        "rounding_minor",
        "voided_orders",
        "voided_orders_minor",
        "voided_lines",
        "voided_lines_minor",
        "refunds",
        "refunds_minor",
        "refunds_tax_minor",
    ),
)
DAY_TENDERS = FactTable(
    "day_tenders",
    ("location_id", "business_day", "register_id", "tender"),
    ("payments", "paid_minor", "refunded_minor"),
)
DAY_TAX = FactTable(
    "day_tax",
    ("location_id", "day", "attribution", "register_id", "refund", "rate"),
    ("net_minor", "tax_minor", "gross_minor"),
)
DAY_ITEMS = FactTable(
    "day_items",
    ("location_id", "business_day", "register_id", "item_id", "name"),
    (
        "quantity",
        "gross_sales_minor",
        "discounts_minor",
        "service_charges_minor",
        "net_sales_minor",
        "refunded_quantity",
        "refunds_minor",
    ),
)
DAY_MODIFIERS = FactTable(
    "day_modifiers",
    ("location_id", "business_day", "register_id", "modifier_id", "name"),
    ("quantity", "gross_minor"),
)
TABLES = (DAY_SALES, DAY_TENDERS, DAY_TAX, DAY_ITEMS, DAY_MODIFIERS)
_VALUE_INDEX = {table.name: {name: i for i, name in enumerate(table.values)} for table in TABLES}

# A fact's key: the table's name, then its key columns in the table's order.
FactKey = tuple[object, ...]
# Facts: each key's additive values, in the table's order of value columns.
Facts = dict[FactKey, list[int]]


def table_of(key: FactKey) -> FactTable:
    return _TABLES[str(key[0])]


_TABLES = {table.name: table for table in TABLES}


# ---------------------------------------------------------------------------------------------
# What a fact is computed from: the parts of a sale and a refund the days add up.


@dataclass(frozen=True, slots=True)
class TaxGroup:
    rate: Decimal
    net_minor: int
    tax_minor: int
    gross_minor: int


@dataclass(frozen=True, slots=True)
class LineState:
    line_number: int
    item_id: UUID | None
    name: str
    quantity: int
    gross_minor: int
    discount_minor: int
    service_charge_minor: int
    total_minor: int  # after discounts, before the service charge
    active: bool
    # (modifier id, name, price each): what was chosen on one unit of the line.
    modifiers: tuple[tuple[UUID | None, str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class PaymentState:
    id: UUID
    created_at: datetime
    approved: bool
    tender: str
    amount_minor: int
    # The register of the shift the money went through (the tenders' key).
    register_id: UUID | None
    # The shift itself, for whoever has still to look its register up.
    shift_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class SaleState:
    """A sale as far as its facts go; equal states have equal facts."""

    location_id: UUID | None
    register_id: UUID | None
    status: str  # open, closed, voided
    closed_at: datetime | None
    covers: int
    subtotal_minor: int
    discount_minor: int
    service_charge_minor: int
    tip_minor: int
    rounding_minor: int
    total_minor: int
    tax: tuple[TaxGroup, ...]
    lines: tuple[LineState, ...]
    payments: tuple[PaymentState, ...]


@dataclass(frozen=True, slots=True)
class RefundedLine:
    item_id: UUID | None
    name: str
    quantity: int
    amount_minor: int


@dataclass(frozen=True, slots=True)
class RefundState:
    """A refund, with where it was given (the shift's location and register)."""

    location_id: UUID
    register_id: UUID | None
    created_at: datetime
    amount_minor: int
    tax_minor: int
    tax: tuple[TaxGroup, ...]
    lines: tuple[RefundedLine, ...]
    # (tender, amount, register of the shift it went back through)
    tenders: tuple[tuple[str, int, UUID | None], ...]


def tax_groups(groups: Iterable[Mapping[str, object]]) -> tuple[TaxGroup, ...]:
    """Tax groups as orders and refunds store them: [{"rate", "net_minor", ...}]."""
    return tuple(
        TaxGroup(
            rate_of(group["rate"]),
            int(group["net_minor"]),  # type: ignore[call-overload]
            int(group["tax_minor"]),  # type: ignore[call-overload]
            int(group["gross_minor"]),  # type: ignore[call-overload]
        )
        for group in groups
    )


# ---------------------------------------------------------------------------------------------
# Arithmetic on facts.


def _put(facts: Facts, table: FactTable, key: tuple[object, ...], **values: int) -> None:
    row = facts.get((table.name, *key))
    if row is None:
        row = facts[(table.name, *key)] = [0] * len(table.values)
    index = _VALUE_INDEX[table.name]
    for name, value in values.items():
        row[index[name]] += value


def add(into: Facts, facts: Facts, sign: int = 1) -> Facts:
    """`into` plus `sign` times `facts`, in place (and returned)."""
    for key, values in facts.items():
        row = into.get(key)
        if row is None:
            into[key] = [sign * value for value in values]
        else:
            for index, value in enumerate(values):
                row[index] += sign * value
    return into


def difference(after: Facts, before: Facts) -> Facts:
    """What a change adds to the days: after − before, rows that are all zero dropped."""
    return nonzero(add(add({}, after), before, -1))


def summed(many: Iterable[Facts]) -> Facts:
    total: Facts = {}
    for facts in many:
        add(total, facts)
    return nonzero(total)


def nonzero(facts: Facts) -> Facts:
    return {key: values for key, values in facts.items() if any(values)}


def by_table(facts: Facts) -> dict[str, list[tuple[FactKey, list[int]]]]:
    """Each table's rows, sorted by key (every writer locks rows in the same order, so two
    tills never wait on each other in a circle)."""
    tables: dict[str, list[tuple[FactKey, list[int]]]] = {table.name: [] for table in TABLES}
    for key, values in facts.items():
        tables[str(key[0])].append((key[1:], values))
    for rows in tables.values():
        rows.sort(key=lambda row: tuple(str(part) for part in row[0]))
    return tables


# ---------------------------------------------------------------------------------------------
# Tax attribution.


def shares(total: int, weights: Sequence[int], order: Sequence[int]) -> list[int]:
    """`total` split in proportion to `weights`, adding up exactly: each share is its exact
    part rounded down, and the cents left over go one each to the largest remainders, ties
    to the earlier (`order`: the position of each weight in time). Works for negative
    totals too (a floor, then the same rule), and all-zero weights put it all on the first."""
    if not weights:
        return []
    weight_total = sum(weights)
    if weight_total == 0:
        first = min(range(len(weights)), key=lambda i: order[i])
        return [total if i == first else 0 for i in range(len(weights))]
    parts = [total * weight // weight_total for weight in weights]
    remainders = [total * weight % weight_total for weight in weights]
    leftover = total - sum(parts)
    ranked = sorted(range(len(weights)), key=lambda i: (-remainders[i], order[i]))
    for i in ranked[:leftover]:
        parts[i] += 1
    return parts


def _approved_in_time(sale: SaleState) -> list[PaymentState]:
    return sorted(
        (payment for payment in sale.payments if payment.approved),
        key=lambda payment: (payment.created_at, str(payment.id)),
    )


def _tax_rows(
    facts: Facts,
    location: UUID,
    day: date,
    attribution: Attribution,
    register: UUID,
    refund: bool,
    group: TaxGroup,
    net: int,
    tax: int,
    gross: int,
) -> None:
    _put(
        facts,
        DAY_TAX,
        (location, day, attribution, register, refund, group.rate),
        net_minor=net,
        tax_minor=tax,
        gross_minor=gross,
    )


def sale_tax(sale: SaleState, calendar: Calendar, facts: Facts) -> None:
    """A closed sale's tax per rate under each attribution."""
    assert sale.location_id is not None
    assert sale.closed_at is not None
    location, register = sale.location_id, sale.register_id or NIL
    paid = _approved_in_time(sale)
    business_day = calendar.day_of(sale.closed_at)
    supplied = min([sale.closed_at, *(payment.created_at for payment in paid[:1])])
    accrual_day = calendar.local_date(supplied)
    for group in sale.tax:
        figures = (group.net_minor, group.tax_minor, group.gross_minor)
        _tax_rows(facts, location, business_day, "business", register, False, group, *figures)
        _tax_rows(facts, location, accrual_day, "accrual", register, False, group, *figures)
    if not paid:
        # Nothing was received (a sale closed at no charge): its figures, all zero or not,
        # stay on the day of the close, so every basis adds up to the same sales.
        for group in sale.tax:
            figures = (group.net_minor, group.tax_minor, group.gross_minor)
            day = calendar.local_date(sale.closed_at)
            _tax_rows(facts, location, day, "cash", register, False, group, *figures)
        return
    weights = [payment.amount_minor for payment in paid]
    order = list(range(len(paid)))
    days = [calendar.local_date(payment.created_at) for payment in paid]
    for group in sale.tax:
        # The gross and the tax are shared; each share's net is its gross less its tax, so a
        # share adds up on its own as well as with the others (sharing the net apart could
        # give the same payment the spare cent of both net and tax: 301 of a gross of 300).
        taxes = shares(group.tax_minor, weights, order)
        grosses = shares(group.gross_minor, weights, order)
        for day, tax, gross in zip(days, taxes, grosses, strict=True):
            net = gross - tax
            _tax_rows(facts, location, day, "cash", register, False, group, net, tax, gross)


# ---------------------------------------------------------------------------------------------
# A sale's and a refund's facts.


def sale_facts(sale: SaleState, calendar: Calendar) -> Facts:
    """Everything a sale adds to its location's days, as it stands."""
    facts: Facts = {}
    if sale.location_id is None:
        return facts
    location, register = sale.location_id, sale.register_id or NIL
    for payment in sale.payments:
        if payment.approved:
            _put(
                facts,
                DAY_TENDERS,
                (
                    location,
                    calendar.day_of(payment.created_at),
                    payment.register_id or NIL,
                    payment.tender,
                ),
                payments=1,
                paid_minor=payment.amount_minor,
            )
    if sale.closed_at is None:
        return facts
    day = calendar.day_of(sale.closed_at)
    if sale.status == "voided":
        _put(
            facts,
            DAY_SALES,
            (location, day, register),
            voided_orders=1,
            voided_orders_minor=sale.total_minor,
        )
        return facts
    if sale.status != "closed":
        return facts
    voided = [line for line in sale.lines if not line.active]
    _put(
        facts,
        DAY_SALES,
        (location, day, register),
        orders=1,
        covers=sale.covers,
        gross_sales_minor=sale.subtotal_minor,
        discounts_minor=sale.discount_minor,
        service_charges_minor=sale.service_charge_minor,
        tips_minor=sale.tip_minor,
        rounding_minor=sale.rounding_minor,
        voided_lines=len(voided),
        voided_lines_minor=sum(line.total_minor for line in voided),
    )
    sale_tax(sale, calendar, facts)
    for line in sale.lines:
        if not line.active:
            continue
        _put(
            facts,
            DAY_ITEMS,
            (location, day, register, line.item_id or NIL, line.name),
            quantity=line.quantity,
            gross_sales_minor=line.gross_minor,
            discounts_minor=line.discount_minor,
            service_charges_minor=line.service_charge_minor,
            net_sales_minor=line.total_minor + line.service_charge_minor,
        )
        for modifier_id, name, price in line.modifiers:
            _put(
                facts,
                DAY_MODIFIERS,
                (location, day, register, modifier_id or NIL, name),
                quantity=line.quantity,
                gross_minor=line.quantity * price,
            )
    return facts


def refund_facts(refund: RefundState, calendar: Calendar) -> Facts:
    """What a refund takes off the days it was given in."""
    facts: Facts = {}
    location, register = refund.location_id, refund.register_id or NIL
    day = calendar.day_of(refund.created_at)
    local = calendar.local_date(refund.created_at)
    _put(
        facts,
        DAY_SALES,
        (location, day, register),
        refunds=1,
        refunds_minor=refund.amount_minor,
        refunds_tax_minor=refund.tax_minor,
    )
    for tender, amount, through in refund.tenders:
        _put(
            facts,
            DAY_TENDERS,
            (location, day, through or NIL, tender),
            refunded_minor=amount,
        )
    for group in refund.tax:
        figures = (group.net_minor, group.tax_minor, group.gross_minor)
        _tax_rows(facts, location, day, "business", register, True, group, *figures)
        for attribution in ATTRIBUTIONS[1:]:
            _tax_rows(facts, location, local, attribution, register, True, group, *figures)
    attributed = 0
    for line in refund.lines:
        _put(
            facts,
            DAY_ITEMS,
            (location, day, register, line.item_id or NIL, line.name),
            refunded_quantity=line.quantity,
            refunds_minor=line.amount_minor,
        )
        attributed += line.amount_minor
    if refund.amount_minor != attributed:
        # A refund by amount names no item; a refund by line may differ from its lines by the
        # cash rounding taken off it. Either is listed apart, so the items add up to it.
        _put(
            facts,
            DAY_ITEMS,
            (location, day, register, NIL, ""),
            refunds_minor=refund.amount_minor - attributed,
        )
    return nonzero(facts)
