"""Order rules: what a cashier does between opening a table and taking payment.

No SQL here and no commit: the request's tenant transaction commits once. Every total is
recomputed by services/orders/pricing.py from the menu's prices and the tax rates in force
when each line was added; nothing a client says about money is trusted.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from libs.api.pagination import decode_cursor, encode_cursor
from libs.api.problems import Conflict, NotFound, Problem
from libs.audit.append import Actor, AuditLog
from libs.auth.overrides import Override, OverrideAction, OverrideGate
from libs.auth.principal import Principal
from services.orders import pricing
from services.orders.concurrency import check_version
from services.orders.limits.repository import LimitsRepository
from services.orders.orders.repository import OrderRepository, tax_json
from services.orders.orders.schemas import (
    Discount,
    DiscountIn,
    LineAdd,
    LineChange,
    LineIn,
    Order,
    OrderChange,
    OrderLine,
    OrderOpen,
    OrderPage,
    TaxLine,
    VoidRequest,
)
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.service import require_open_shift
from services.orders.tax.repository import TaxRepository


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


def actor_payload(principal: Principal, approval: Override | None = None) -> dict[str, Any]:
    """Who, where and with whose approval: in every audit row of the orders service."""
    return {
        "device_id": str(principal.device_id) if principal.device_id else None,
        "approved_by": str(approval.approver_id) if approval else None,
        "approved_by_role": approval.approver_role.value if approval else None,
        "override_jti": approval.jti if approval else None,
    }


async def new_lines(
    orders: OrderRepository,
    taxes: TaxRepository,
    requested: list[LineIn],
    *,
    first_number: int,
    location_id: UUID | None,
    added_by: str,
    at: datetime | None = None,
    offline: bool = False,
) -> list[dict[str, Any]]:
    """Line rows priced from the menu: item (at this venue's price) plus modifiers, taxed at
    the item's tax category's rate in force `at` (now, unless the sale happened offline
    earlier). An `offline` sale already happened: an item archived since still sold."""
    items = await orders.sellable_items(
        {line.item_id for line in requested}, location_id=location_id
    )
    chosen = await orders.sellable_modifiers(
        {modifier for line in requested for modifier in line.modifier_ids}
    )
    rules = {
        rule.id: rule
        for rule in await orders.modifier_group_rules(
            {group for item in items.values() for group in item.modifier_group_ids}
        )
    }
    rates = await taxes.rates_in_force(
        {item.tax_category_id for item in items.values()}, at or datetime.now(UTC)
    )
    rows = []
    for number, line in enumerate(requested, start=first_number):
        item = items.get(line.item_id)
        if item is None or (item.archived and not offline):
            raise ItemNotSellable(item_id=str(line.item_id))
        picked = []
        for modifier_id in line.modifier_ids:
            modifier = chosen.get(modifier_id)
            if modifier is None or (modifier.archived and not offline):
                raise ItemNotSellable(modifier_id=str(modifier_id))
            if modifier.group_id not in item.modifier_group_ids:
                raise ModifiersInvalid(f"{modifier.name} is not offered with {item.name}.")
            picked.append(modifier)
        per_group = Counter(modifier.group_id for modifier in picked)
        for group_id in item.modifier_group_ids:
            rule = rules.get(group_id)
            if rule and not rule.min_choices <= per_group[group_id] <= rule.max_choices:
                raise ModifiersInvalid(
                    f"{item.name}: choose {rule.min_choices} to {rule.max_choices} "
                    f"from {rule.name}."
                )
        rate = rates.get(item.tax_category_id)
        if rate is None:
            raise NoTaxRate(tax_category_id=str(item.tax_category_id))
        rows.append(
            {
                "line_number": number,
                "item_id": item.id,
                "name": item.name,
                "quantity": line.quantity,
                "unit_price_minor": item.price_minor + sum(m.price_minor for m in picked),
                "modifiers": [
                    {"id": str(m.id), "name": m.name, "price_minor": m.price_minor} for m in picked
                ],
                "tax_category_id": item.tax_category_id,
                "tax_rate": rate,
                "discount_kind": line.discount.kind if line.discount else None,
                "discount_value": line.discount.value if line.discount else None,
                "total_minor": 0,
                "added_by": added_by,
                **({"added_at": at} if at is not None else {}),
            }
        )
    return rows


def _as_discount(discount: Any) -> pricing.Discount | None:
    return pricing.Discount(discount.kind, discount.value) if discount is not None else None


def price(order: Order) -> tuple[dict[str, Any], list[OrderLine]]:
    """The order's totals and its active lines, recomputed from the stored unit prices,
    rates and discounts."""
    active = [line for line in order.lines if line.status == "active"]
    try:
        priced = pricing.price_order(
            pricing.OrderInput(
                lines=tuple(
                    pricing.LineInput(
                        key=line.line_number,
                        quantity=line.quantity,
                        unit_price_minor=line.unit_price_minor,
                        tax_rate=Decimal(line.tax_rate),
                        discount=_as_discount(line.discount),
                    )
                    for line in active
                ),
                prices_include_tax=order.prices_include_tax,
                discount=_as_discount(order.discount),
                service_charge_bps=order.service_charge_bps,
                tip_minor=order.tip_minor,
            )
        )
    except pricing.PricingError as error:
        raise PricingRefused(str(error)) from error
    by_number = {line.key: line for line in priced.lines}
    lines = [
        line.model_copy(
            update={
                "gross_minor": by_number[line.line_number].gross_minor,
                "discount_minor": by_number[line.line_number].line_discount_minor
                + by_number[line.line_number].order_discount_minor,
                "service_charge_minor": by_number[line.line_number].service_charge_minor,
                "total_minor": by_number[line.line_number].net_minor,
            }
        )
        for line in active
    ]
    totals = {
        "subtotal_minor": priced.subtotal_minor,
        "discount_minor": priced.discount_minor,
        "service_charge_minor": priced.service_charge_minor,
        "tax_minor": priced.tax_minor,
        "tax": tax_json(priced.tax),
        "tip_minor": priced.tip_minor,
        "total_minor": priced.total_minor,
    }
    return totals, lines


async def _reprice(
    orders: OrderRepository,
    order_id: UUID,
    *,
    limits: LimitsRepository,
    override: OverrideGate,
    discount_before: int,
    changes: dict[str, Any] | None = None,
) -> tuple[Order, Override | None]:
    """Apply `changes` (order columns) and store the recomputed totals in one write, which
    bumps the version once; a discount that grows past the business's limit needs a
    manager's override for this order. Reads the order once, after the caller's line writes."""
    stored = await orders.get(order_id)
    assert stored is not None, "locked by this transaction"
    changes = changes or {}
    view = stored.model_copy(
        update={name: value for name, value in changes.items() if name in Order.model_fields}
    )
    if "discount_kind" in changes:
        kind, value = changes["discount_kind"], changes["discount_value"]
        view.discount = Discount(kind=kind, value=value) if kind is not None else None
    totals, priced_lines = price(view)
    await orders.update_priced_lines(order_id, priced_lines)
    await orders.update(order_id, {**changes, **totals})
    approval = None
    discount = totals["discount_minor"]
    limit_bps = (await limits.current()).discount_limit_bps
    over_limit = discount * 10_000 > limit_bps * totals["subtotal_minor"]
    if discount > discount_before and over_limit:
        approval = await override.consume(action=OverrideAction.DISCOUNT, resource_id=str(order_id))
    priced = {line.line_number: line for line in priced_lines}
    repriced = view.model_copy(
        update={
            **totals,
            "tax": [TaxLine.model_validate(group) for group in totals["tax"]],
            "lines": [priced.get(line.line_number, line) for line in view.lines],
            "version": stored.version + 1,
            "balance_minor": totals["total_minor"] + view.rounding_minor - view.paid_minor,
        }
    )
    return repriced, approval


async def locked_open_order(orders: OrderRepository, order_id: UUID, version: int) -> Order:
    order = await orders.get(order_id, for_update=True)
    if order is None:
        raise OrderNotFound()
    check_version(order.version, version)
    if order.status != "open":
        raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
    return order


def _same_request(order: Order, request: OrderOpen) -> bool:
    """Whether a retried offline order says what the stored one says."""
    lines = [
        (line.item_id, line.quantity, sorted(str(m.id) for m in line.modifiers),
         line.discount.model_dump() if line.discount else None)
        for line in order.lines
    ]  # fmt: skip
    asked = [
        (line.item_id, line.quantity, sorted(str(m) for m in line.modifier_ids),
         line.discount.model_dump() if line.discount else None)
        for line in request.lines
    ]  # fmt: skip
    discount = order.discount.model_dump() if order.discount else None
    return (
        lines == asked
        and discount == (request.discount.model_dump() if request.discount else None)
        and order.table_name == request.table_name
        and order.covers == request.covers
        and order.service_charge_bps == request.service_charge_bps
    )


async def open_order(
    *,
    orders: OrderRepository,
    shifts: ShiftRepository,
    taxes: TaxRepository,
    limits: LimitsRepository,
    override: OverrideGate,
    audit: AuditLog,
    principal: Principal,
    request: OrderOpen,
) -> tuple[int, Order]:
    """Open an order in the open shift of the caller's register, with its first lines.

    (201, order); or (200, order) when a client retries an order it created offline with
    the same id and content."""
    shift = await require_open_shift(shifts=shifts, principal=principal)
    business = await orders.settings()
    order_id = request.id or uuid.uuid4()
    created = await orders.insert(
        {
            "id": order_id,
            "location_id": shift.location_id,
            "register_id": shift.register_id,
            "shift_id": shift.id,
            "status": "open",
            "currency": business.currency,
            "total_minor": 0,
            "created_by": principal.subject,
            "table_name": request.table_name,
            "covers": request.covers,
            "prices_include_tax": business.prices_include_tax,
            "discount_kind": request.discount.kind if request.discount else None,
            "discount_value": request.discount.value if request.discount else None,
            "service_charge_bps": request.service_charge_bps,
        }
    )
    if not created:
        existing = await orders.get(order_id)
        assert existing is not None
        if not _same_request(existing, request):
            raise OrderIdConflict(order_id=str(order_id))
        return 200, existing
    rows = await new_lines(
        orders, taxes, request.lines, first_number=1, location_id=shift.location_id,
        added_by=principal.subject,
    )  # fmt: skip
    await orders.insert_lines(order_id, rows)
    order, approval = await _reprice(
        orders, order_id, limits=limits, override=override, discount_before=0
    )
    await audit.append(
        actor=Actor.of(principal),
        action="order.opened",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval),
            "shift_id": str(shift.id),
            "register_id": str(shift.register_id),
            "table_name": order.table_name,
            "covers": order.covers,
            "lines": [
                {
                    "line_number": line.line_number,
                    "item_id": str(line.item_id),
                    "quantity": line.quantity,
                    "unit_price_minor": line.unit_price_minor,
                }
                for line in order.lines
            ],
            "discount_minor": order.discount_minor,
            "total_minor": order.total_minor,
            "currency": order.currency,
        },
    )
    return 201, order


async def change_order(
    *,
    orders: OrderRepository,
    limits: LimitsRepository,
    override: OverrideGate,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    version: int,
    request: OrderChange,
) -> Order:
    """Table, covers, order discount, service charge, tip: only the fields sent change."""
    order = await locked_open_order(orders, order_id, version)
    sent = request.model_fields_set - {"version"}
    changes: dict[str, Any] = {}
    for field in sent & {"table_name", "covers", "service_charge_bps", "tip_minor"}:
        changes[field] = getattr(request, field)
    if changes.get("service_charge_bps", 0) is None or changes.get("tip_minor", 0) is None:
        raise PricingRefused("service_charge_bps and tip_minor cannot be null; send 0.")
    if "discount" in sent:
        discount: DiscountIn | None = request.discount
        changes["discount_kind"] = discount.kind if discount else None
        changes["discount_value"] = discount.value if discount else None
    changed, approval = await _reprice(
        orders, order_id, limits=limits, override=override,
        discount_before=order.discount_minor, changes=changes,
    )  # fmt: skip
    await audit.append(
        actor=Actor.of(principal),
        action="order.changed",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval),
            "changes": request.model_dump(mode="json", include=sent),
            "total_before_minor": order.total_minor,
            "total_minor": changed.total_minor,
            "version": changed.version,
        },
    )
    return changed


async def add_line(
    *,
    orders: OrderRepository,
    taxes: TaxRepository,
    limits: LimitsRepository,
    override: OverrideGate,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    version: int,
    request: LineAdd,
) -> Order:
    order = await locked_open_order(orders, order_id, version)
    first = max((line.line_number for line in order.lines), default=0) + 1
    rows = await new_lines(
        orders, taxes, [request], first_number=first, location_id=order.location_id,
        added_by=principal.subject,
    )  # fmt: skip
    await orders.insert_lines(order_id, rows)
    changed, approval = await _reprice(
        orders, order_id, limits=limits, override=override, discount_before=order.discount_minor
    )
    added = next(line for line in changed.lines if line.line_number == first)
    await audit.append(
        actor=Actor.of(principal),
        action="order.line_added",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval),
            "line_number": first,
            "item_id": str(added.item_id),
            "name": added.name,
            "quantity": added.quantity,
            "unit_price_minor": added.unit_price_minor,
            "modifiers": [str(m.id) for m in added.modifiers],
            "tax_rate": str(added.tax_rate),
            "total_minor": changed.total_minor,
            "version": changed.version,
        },
    )
    return changed


def _line(order: Order, line_number: int) -> OrderLine:
    line = next((line for line in order.lines if line.line_number == line_number), None)
    if line is None:
        raise LineNotFound(line_number=line_number)
    if line.status != "active":
        raise LineVoided(line_number=line_number)
    return line


async def _void_approval(
    *,
    limits: LimitsRepository,
    override: OverrideGate,
    amount_minor: int,
    resource_id: str,
) -> tuple[Override | None, bool, int]:
    """Above the business's void limit a void needs a manager's override; one presented at
    or below it is still checked and spent, so the audit can name the approver."""
    void_limit_minor = (await limits.current()).void_limit_minor
    needed = amount_minor > void_limit_minor
    approval = None
    if needed or override.token is not None:
        approval = await override.consume(action=OverrideAction.VOID, resource_id=resource_id)
    return approval, needed, void_limit_minor


async def change_line(
    *,
    orders: OrderRepository,
    limits: LimitsRepository,
    override: OverrideGate,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    line_number: int,
    version: int,
    request: LineChange,
) -> Order:
    """Quantity up or down, or the line's discount. Fewer than before voids the difference:
    it needs a reason, and above the void limit a manager's override for this line."""
    order = await locked_open_order(orders, order_id, version)
    line = _line(order, line_number)
    sent = request.model_fields_set - {"version", "reason_code"}
    changes: dict[str, Any] = {}
    approval: Override | None = None
    voided_minor = 0
    if "quantity" in sent and request.quantity is not None and request.quantity != line.quantity:
        if request.quantity < line.quantity:
            if request.reason_code is None:
                raise ReasonRequired()
            voided_minor = line.total_minor * (line.quantity - request.quantity) // line.quantity
            approval, _, _ = await _void_approval(
                limits=limits, override=override, amount_minor=voided_minor,
                resource_id=f"{order_id}/lines/{line_number}",
            )  # fmt: skip
        changes["quantity"] = request.quantity
    if "discount" in sent:
        changes["discount_kind"] = request.discount.kind if request.discount else None
        changes["discount_value"] = request.discount.value if request.discount else None
    if changes:
        await orders.update_line(order_id, line_number, changes)
    changed, discount_approval = await _reprice(
        orders, order_id, limits=limits, override=override, discount_before=order.discount_minor
    )
    await audit.append(
        actor=Actor.of(principal),
        action="order.line_changed",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval or discount_approval),
            "line_number": line_number,
            "changes": request.model_dump(mode="json", include=sent),
            "quantity_before": line.quantity,
            "reason_code": request.reason_code.value if request.reason_code else None,
            "voided_minor": voided_minor,
            "total_minor": changed.total_minor,
            "version": changed.version,
        },
    )
    return changed


async def void_line(
    *,
    orders: OrderRepository,
    limits: LimitsRepository,
    override: OverrideGate,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    line_number: int,
    version: int,
    request: VoidRequest,
) -> Order:
    """Remove a line from an unpaid order. It stays on the order, voided, with its reason."""
    order = await orders.get(order_id, for_update=True)
    if order is None:
        raise OrderNotFound()
    line = next((line for line in order.lines if line.line_number == line_number), None)
    if line is None:
        raise LineNotFound(line_number=line_number)
    approval, needed, void_limit_minor = await _void_approval(
        limits=limits, override=override, amount_minor=line.total_minor,
        resource_id=f"{order_id}/lines/{line_number}",
    )  # fmt: skip
    check_version(order.version, version)
    if order.status != "open":
        raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
    if line.status != "active":
        raise LineVoided(line_number=line_number)
    if order.paid_minor > 0:
        raise OrderHasPayments()
    await orders.update_line(
        order_id, line_number, {"status": "voided", "void_reason": request.reason_code.value}
    )
    changed, _ = await _reprice(
        orders, order_id, limits=limits, override=override, discount_before=order.discount_minor
    )
    await audit.append(
        actor=Actor.of(principal),
        action="order.line_voided",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval),
            "requested_by": principal.subject,
            "line_number": line_number,
            "name": line.name,
            "quantity": line.quantity,
            "amount_minor": line.total_minor,
            "reason_code": request.reason_code.value,
            "note": request.note,
            "override_required": needed,
            "void_limit_minor": void_limit_minor,
            "total_minor": changed.total_minor,
            "version": changed.version,
        },
    )
    return changed


async def get_order(*, orders: OrderRepository, order_id: UUID) -> Order:
    # Another tenant's order is invisible under RLS, so it is "not found", never "forbidden".
    order = await orders.get(order_id)
    if order is None:
        raise OrderNotFound()
    return order


async def list_orders(*, orders: OrderRepository, limit: int, cursor: str | None) -> OrderPage:
    after = decode_cursor(cursor) if cursor else None
    page = await orders.page(limit=limit + 1, after=after)
    more = len(page) > limit
    items = page[:limit]
    last = items[-1] if more else None
    return OrderPage(
        items=items, next_cursor=encode_cursor(last.created_at, last.id) if last else None
    )


async def void_order(
    *,
    orders: OrderRepository,
    audit: AuditLog,
    limits: LimitsRepository,
    override: OverrideGate,
    principal: Principal,
    order_id: UUID,
    version: int,
    request: VoidRequest,
) -> Order:
    """Void an unpaid open order; above the business's void limit, with a manager's approval.

    An order whose total is above the limit (services/orders/limits/; 0 by default, so
    every void) needs a manager's override token for action `void` on this order; one at or
    below it is voided by the cashier alone, or with an override if one is presented (it is
    then checked and spent like any other, and the audit names the approver).

    Order of answers: another tenant's or an unknown order is 404 before any override is
    looked at (its existence is not confirmed to anyone); then the override is consumed
    (403 if needed and missing, or invalid, or already used); then the version and the
    order's state (409; the transaction rolls back, and the override with it). The override
    is spent in this request's transaction, so it is used up exactly when the void commits.
    """
    # Locked: a concurrent void of the same order waits here, then finds it voided.
    order = await orders.get(order_id, for_update=True)
    if order is None:
        raise OrderNotFound()
    approval, needed, void_limit_minor = await _void_approval(
        limits=limits, override=override, amount_minor=order.total_minor,
        resource_id=str(order_id),
    )  # fmt: skip
    if order.status != "open":
        raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
    check_version(order.version, version)
    if order.paid_minor > 0:
        raise OrderHasPayments()
    await orders.update(order_id, {"status": "voided", "closed_at": datetime.now(UTC)})
    voided = await orders.get(order_id)
    assert voided is not None, "the order is locked by this transaction"
    await audit.append(
        actor=Actor.of(principal),
        action="order.voided",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval),
            "requested_by": principal.subject,
            "override_required": needed,
            "void_limit_minor": void_limit_minor,
            "reason_code": request.reason_code.value,
            "note": request.note,
            "total_minor": voided.total_minor,
            "currency": voided.currency,
            "version": voided.version,
        },
    )
    return voided
