"""Shifts: cash sessions per register. No SQL here and no commit: the request's tenant
transaction commits once.

A register is the device the till's session is bound to; it is numbered (R1, R2, ...) the
first time a shift is opened on it. A register has at most one open shift; orders, payments
and refunds written at the register belong to it. Closing counts the drawer and the card
batch against what the shift's facts say should be there, and stores the Z report.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from libs.api.pagination import decode_cursor, encode_cursor
from libs.api.problems import Conflict, NotFound
from libs.audit.append import Actor, AuditLog
from libs.auth.overrides import Override, OverrideAction, OverrideGate
from libs.auth.principal import Principal
from services.orders.concurrency import check_version, expected_version
from services.orders.shifts.reports import (
    ShiftReport,
    TenderAmounts,
    ZReport,
    shift_report,
    z_report,
)
from services.orders.shifts.repository import OpenShift, Register, ShiftRepository
from services.orders.shifts.schemas import (
    CashMovement,
    CashMovementCreate,
    ClosedShift,
    Shift,
    ShiftClose,
    ShiftOpen,
    ShiftPage,
    ZReportIssue,
)

# Conflicting opens are resolved by the database; an attempt that lost to a shift which was
# closed again before it could be read simply tries again, this many times.
OPEN_ATTEMPTS = 3


class ShiftNotFound(NotFound):
    code = "shift-not-found"
    title = "No such shift"


class NoOpenShift(NotFound):
    code = "no-open-shift"
    title = "This register has no open shift"


class RegisterRequired(Conflict):
    code = "register-required"
    title = "Shifts are opened at a register: sign in on an activated device"


class OpenShiftRequired(Conflict):
    code = "open-shift-required"
    title = "Open a shift at this register first"


class ShiftAlreadyOpen(Conflict):
    code = "shift-already-open"
    title = "This register already has an open shift; close it first"


class ShiftIdConflict(Conflict):
    code = "shift-id-conflict"
    title = "A shift with this id already exists with different content"


class ShiftClosed(Conflict):
    code = "shift-closed"
    title = "This shift is closed"


class ShiftStillOpen(Conflict):
    code = "shift-open"
    title = "This shift is still open: its Z report is issued at close (see its X report)"


class WrongRegister(Conflict):
    code = "wrong-register"
    title = "Cash is moved only at the shift's own register"


class ShiftHasOpenOrders(Conflict):
    code = "shift-has-open-orders"
    title = "Close, pay or void this shift's open orders first"


@dataclass(frozen=True, slots=True)
class OpenResult:
    shift: Shift
    created: bool


def _device(principal: Principal) -> tuple[UUID, UUID]:
    if principal.device_id is None or principal.location_id is None:
        raise RegisterRequired("shifts are opened at a register: sign in on an activated device")
    return principal.device_id, principal.location_id


def _device_payload(principal: Principal) -> str | None:
    return str(principal.device_id) if principal.device_id else None


def _is_retry(shift: Shift, *, register_id: UUID, principal: Principal, request: ShiftOpen) -> bool:
    """A client retrying an offline open: the same id, register, opener and float."""
    return (
        shift.register_id == register_id
        and shift.opened_by == principal.subject
        and shift.opening_float_minor == request.opening_float_minor
    )


async def ensure_register(
    shifts: ShiftRepository,
    audit: AuditLog,
    principal: Principal,
    device_id: UUID,
    location_id: UUID,
) -> Register:
    register = await shifts.register(device_id)
    for _ in range(OPEN_ATTEMPTS):
        if register is not None:
            return register
        register = await shifts.create_register(device_id=device_id, location_id=location_id)
        if register is not None:
            await audit.append(
                actor=Actor.of(principal),
                action="register.created",
                resource_type="register",
                resource_id=str(device_id),
                payload={
                    "number": register.number,
                    "location_id": str(location_id),
                    "device_id": str(device_id),
                },
            )
            return register
        # Numbered concurrently by another request for this device: read its number.
        register = await shifts.register(device_id)
    raise Conflict("The register could not be numbered; retry.")


async def open_shift(
    *, shifts: ShiftRepository, audit: AuditLog, principal: Principal, request: ShiftOpen
) -> OpenResult:
    """Open a shift at the caller's register (its device), numbering the register on its
    first shift. The partial unique index on open shifts per register decides concurrent
    opens: exactly one wins, the others get 409 `shift-already-open` naming it."""
    device_id, location_id = _device(principal)
    shift_id = request.id or uuid.uuid4()
    if request.id is not None:
        existing = await shifts.get(shift_id)
        if existing is not None:
            if not _is_retry(existing, register_id=device_id, principal=principal, request=request):
                raise ShiftIdConflict(shift_id=str(shift_id))
            return OpenResult(existing, created=False)

    register = await ensure_register(shifts, audit, principal, device_id, location_id)
    for _ in range(OPEN_ATTEMPTS):
        shift = await shifts.insert_shift(
            shift_id=shift_id,
            register=register,
            location_id=location_id,
            opening_float_minor=request.opening_float_minor,
            opened_by=principal.subject,
        )
        if shift is not None:
            break
        if request.id is not None and (existing := await shifts.get(shift_id)) is not None:
            if not _is_retry(existing, register_id=device_id, principal=principal, request=request):
                raise ShiftIdConflict(shift_id=str(shift_id))
            return OpenResult(existing, created=False)
        if (current := await shifts.current(device_id)) is not None:
            raise ShiftAlreadyOpen(
                f"Shift {current.id} is open on register R{current.register_number}.",
                shift_id=str(current.id),
            )
    else:
        raise Conflict("The shift could not be opened; retry.")

    await audit.append(
        actor=Actor.of(principal),
        action="shift.opened",
        resource_type="shift",
        resource_id=str(shift.id),
        payload={
            "register_id": str(shift.register_id),
            "register_number": shift.register_number,
            "location_id": str(shift.location_id),
            "opening_float_minor": shift.opening_float_minor,
            "device_id": _device_payload(principal),
        },
    )
    return OpenResult(shift, created=True)


async def current_shift(*, shifts: ShiftRepository, principal: Principal) -> Shift:
    device_id, _ = _device(principal)
    shift = await shifts.current(device_id)
    if shift is None:
        raise NoOpenShift()
    return shift


async def require_open_shift(
    *, shifts: ShiftRepository, principal: Principal, lock: bool = True
) -> OpenShift:
    """The open shift of the caller's register, for a sale, payment or refund written there
    (409 `register-required` without a device, 409 `open-shift-required` without an open
    shift). With `lock` (the default) the shift row is held FOR SHARE until the transaction
    ends, so the shift cannot close under the write."""
    device_id, _ = _device(principal)
    shift = await shifts.open_shift_for_register(device_id, lock=lock)
    if shift is None:
        raise OpenShiftRequired()
    return shift


async def get_shift(*, shifts: ShiftRepository, shift_id: UUID) -> Shift:
    # Another tenant's shift is invisible under RLS: "not found", never "forbidden".
    shift = await shifts.get(shift_id)
    if shift is None:
        raise ShiftNotFound()
    return shift


async def list_shifts(
    *, shifts: ShiftRepository, limit: int, cursor: str | None, status: str | None
) -> ShiftPage:
    after = decode_cursor(cursor) if cursor else None
    page = await shifts.page(limit=limit + 1, after=after, status=status)
    more = len(page) > limit
    items = page[:limit]
    last = items[-1] if more else None
    return ShiftPage(
        items=items, next_cursor=encode_cursor(last.opened_at, last.id) if last else None
    )


async def add_cash_movement(
    *,
    shifts: ShiftRepository,
    audit: AuditLog,
    principal: Principal,
    shift_id: UUID,
    request: CashMovementCreate,
) -> CashMovement:
    """Paid in or paid out, at the shift's own register while it is open."""
    # Locked: a close of this shift waits, then counts this movement (or this waits, then
    # finds the shift closed).
    shift = await shifts.get(shift_id, for_update=True)
    if shift is None:
        raise ShiftNotFound()
    if shift.status != "open":
        raise ShiftClosed()
    device_id, _ = _device(principal)
    if device_id != shift.register_id:
        raise WrongRegister(
            f"This shift is open on register R{shift.register_number}.",
            register_id=str(shift.register_id),
        )
    movement = await shifts.add_cash_movement(
        movement_id=uuid.uuid4(),
        shift_id=shift_id,
        kind=request.kind,
        amount_minor=request.amount_minor,
        reason=request.reason,
        created_by=principal.subject,
    )
    await audit.append(
        actor=Actor.of(principal),
        action=f"shift.{request.kind}",
        resource_type="shift",
        resource_id=str(shift_id),
        payload={
            "cash_movement_id": str(movement.id),
            "kind": movement.kind,
            "amount_minor": movement.amount_minor,
            "reason": movement.reason,
            "device_id": _device_payload(principal),
            "version": movement.shift_version,
        },
    )
    return movement


async def x_report(*, shifts: ShiftRepository, shift_id: UUID) -> ShiftReport:
    """The shift's numbers as of now, computed live (never stored)."""
    shift = await get_shift(shifts=shifts, shift_id=shift_id)
    return shift_report(await shifts.facts(shift))


async def stored_z_report(*, shifts: ShiftRepository, shift_id: UUID) -> ZReport:
    shift = await get_shift(shifts=shifts, shift_id=shift_id)
    if shift.status == "open":
        raise ShiftStillOpen(shift_id=str(shift_id))
    stored = await shifts.stored_z_report(shift_id)
    assert stored is not None, "a closed shift has its Z report"
    return ZReport.model_validate(stored)


async def close_shift(
    *,
    shifts: ShiftRepository,
    audit: AuditLog,
    override: OverrideGate,
    principal: Principal,
    shift_id: UUID,
    request: ShiftClose,
    if_match: str | None,
) -> ClosedShift:
    """Close a shift with what was counted, issuing its Z report.

    The opener closes their own shift; anyone else's close is a force-close and needs a
    manager's override for action `shift_force_close` on this shift (the approver is
    recorded on the shift, in the Z report and in the audit).

    Order of answers: 404 (unknown or another tenant's shift); 409 `shift-closed`; 409
    `version-conflict`; 403 without a valid override for a force-close; 409
    `shift-has-open-orders`. The override is spent in this transaction, so a refused close
    leaves it unspent.
    """
    version = expected_version(request.version, if_match)
    # Locked: orders being written in this shift (FOR SHARE) finish first and are seen
    # below; a concurrent close or cash movement waits for this one.
    shift = await shifts.get(shift_id, for_update=True)
    if shift is None:
        raise ShiftNotFound()
    if shift.status != "open":
        raise ShiftClosed()
    check_version(shift.version, version)
    approval: Override | None = None
    if principal.subject != shift.opened_by:
        approval = await override.consume(
            action=OverrideAction.SHIFT_FORCE_CLOSE, resource_id=str(shift_id)
        )
    open_orders = await shifts.open_order_ids(shift_id)
    if open_orders:
        raise ShiftHasOpenOrders(
            f"{len(open_orders)} order(s) of this shift are still open.",
            order_ids=[str(order_id) for order_id in open_orders],
        )

    facts = await shifts.facts(shift)
    counted = TenderAmounts(cash=request.counted.cash, card=request.counted.card)
    force_closed_by = str(approval.approver_id) if approval else None
    report = z_report(
        shift_report(facts),
        counted=counted,
        closed_by=principal.subject,
        closed_at=facts.as_of,
        force_closed_by=force_closed_by,
        note=request.note,
    )
    closed = await shifts.close(
        shift_id,
        version=shift.version,
        closed_by=principal.subject,
        closed_at=facts.as_of,
        force_closed_by=force_closed_by,
        z_report=report.model_dump(mode="json"),
    )
    assert closed is not None, "the shift is locked by this transaction"
    await audit.append(
        actor=Actor.of(principal),
        action="shift.closed",
        resource_type="shift",
        resource_id=str(shift_id),
        payload={
            "register_id": str(shift.register_id),
            "register_number": shift.register_number,
            "opened_by": shift.opened_by,
            "closed_by": principal.subject,
            "force_close": approval is not None,
            "approved_by": force_closed_by,
            "approved_by_role": approval.approver_role.value if approval else None,
            "override_jti": approval.jti if approval else None,
            "counted": counted.model_dump(),
            "expected": report.expected.model_dump(),
            "difference": report.difference.model_dump(),
            "note": request.note,
            "device_id": _device_payload(principal),
            "version": closed.version,
        },
    )
    return ClosedShift(**closed.model_dump(), z_report=report)


async def reissue_z_report(
    *, shifts: ShiftRepository, audit: AuditLog, actor: Actor, shift_id: UUID, reason: str,
    details: dict[str, Any],
) -> ZReport:  # fmt: skip
    """Issue a closed shift's Z report again, as its next version, after something that
    happened in the shift was recorded late (an offline sale uploaded after the close). What
    was counted, who closed it and when stay as they were; the expected amounts and the
    differences are recomputed. Every version is kept (orders.z_reports)."""
    shift = await shifts.get(shift_id, for_update=True)
    assert shift is not None, "the caller found the shift"
    assert shift.status == "closed", "only a closed shift's Z report is re-issued"
    stored = await shifts.stored_z_report(shift_id)
    assert stored is not None, "a closed shift has its Z report"
    previous = ZReport.model_validate(stored)
    report = z_report(
        shift_report(await shifts.facts(shift)),
        counted=previous.counted,
        closed_by=previous.closed_by,
        closed_at=previous.closed_at,
        force_closed_by=previous.force_closed_by,
        note=previous.note,
    ).model_copy(update={"version": previous.version + 1})
    await shifts.reissue_z_report(
        shift_id, report=report.model_dump(mode="json"), reason=reason, issued_by=actor.id
    )
    await audit.append(
        actor=actor,
        action="shift.z_reissued",
        resource_type="shift",
        resource_id=str(shift_id),
        payload={
            **details,
            "reason": reason,
            "version": report.version,
            "previous_version": previous.version,
            "expected": report.expected.model_dump(),
            "expected_before": previous.expected.model_dump(),
            "difference": report.difference.model_dump(),
            "net_sales_minor": report.net_sales_minor,
            "net_sales_before_minor": previous.net_sales_minor,
        },
    )
    return report


async def z_report_versions(*, shifts: ShiftRepository, shift_id: UUID) -> list[ZReportIssue]:
    shift = await get_shift(shifts=shifts, shift_id=shift_id)
    if shift.status == "open":
        raise ShiftStillOpen(shift_id=str(shift_id))
    return [ZReportIssue.model_validate(row) for row in await shifts.z_report_versions(shift_id)]
