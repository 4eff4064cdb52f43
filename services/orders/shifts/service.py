"""Shifts: cash sessions per register. No SQL here and no commit: the request's tenant
transaction commits once.

A register is the device the till's session is bound to; it is numbered (R1, R2, ...) the
first time a shift is opened on it. A register has at most one open shift; orders, payments
and refunds written at the register belong to it. Opening, moving cash and closing (counting
the drawer and the card batch against the shift's facts, storing the Z report) are commands
of the sale (services/orders/sale/commands.py), online and offline alike; here are the reads
of the venues the caller reaches, the register's numbering and the Z report's re-issue.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound
from libs.sales.shift_facts import ShiftNotFound as ShiftNotFound
from libs.sales.shift_report import (
    ShiftReport,
    ZReport,
    shift_report,
    z_report,
)
from services.orders.shifts.repository import Register, ShiftRepository
from services.orders.shifts.schemas import (
    Shift,
    ShiftPage,
    ZReportIssue,
)

# Conflicting opens are resolved by the database; an attempt that lost to a shift which was
# closed again before it could be read simply tries again, this many times.
OPEN_ATTEMPTS = 3


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


def _device(principal: Principal) -> tuple[UUID, UUID]:
    if principal.device_id is None or principal.location_id is None:
        raise RegisterRequired("shifts are opened at a register: sign in on an activated device")
    return principal.device_id, principal.location_id


class Appends(Protocol):
    """Where `ensure_register` appends its audit entry (an `AuditLog`, or the sale's unit of
    work, which appends in turn with the rest)."""

    async def append(
        self,
        *,
        actor: Actor,
        action: str,
        resource_type: str,
        resource_id: str,
        payload: dict[str, Any],
    ) -> Any: ...


async def ensure_register(
    shifts: ShiftRepository,
    audit: Appends,
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


async def current_shift(*, shifts: ShiftRepository, principal: Principal) -> Shift:
    device_id, _ = _device(principal)
    shift = await shifts.current(device_id)
    if shift is None:
        raise NoOpenShift()
    return shift


async def get_shift(*, shifts: ShiftRepository, principal: Principal, shift_id: UUID) -> Shift:
    # Another business's shift is invisible under RLS, another venue's is not reached: both
    # are "not found", never "forbidden".
    shift = await shifts.get(shift_id)
    if shift is None or not principal.reaches(shift.location_id):
        raise ShiftNotFound()
    return shift


async def list_shifts(
    *,
    shifts: ShiftRepository,
    principal: Principal,
    limit: int,
    cursor: str | None,
    status: str | None,
    location_id: UUID | None = None,
) -> ShiftPage:
    after = decode_cursor(cursor) if cursor else None
    page = await shifts.page(
        limit=limit + 1,
        after=after,
        status=status,
        venues=principal.venues,
        location_id=location_id,
    )
    items, next_cursor = cut_page(
        page, limit, lambda shift: encode_cursor(shift.opened_at, shift.id)
    )
    return ShiftPage(items=items, next_cursor=next_cursor)


async def x_report(*, shifts: ShiftRepository, principal: Principal, shift_id: UUID) -> ShiftReport:
    """The shift's numbers as of now, computed live (never stored)."""
    shift = await get_shift(shifts=shifts, principal=principal, shift_id=shift_id)
    return shift_report(await shifts.facts(shift))


async def stored_z_report(
    *, shifts: ShiftRepository, principal: Principal, shift_id: UUID
) -> ZReport:
    shift = await get_shift(shifts=shifts, principal=principal, shift_id=shift_id)
    if shift.status == "open":
        raise ShiftStillOpen(shift_id=str(shift_id))
    stored = await shifts.stored_z_report(shift_id)
    assert stored is not None, "a closed shift has its Z report"
    return ZReport.model_validate(stored)


async def reissue_z_report(
    *,
    shifts: ShiftRepository,
    audit: Appends,
    actor: Actor,
    shift_id: UUID,
    reason: str,
    details: dict[str, Any],
) -> ZReport:
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
    ).model_copy(
        update={
            "version": previous.version + 1,
            # What the close's card settlement confirmed stays confirmed.
            "card_settlement_confirmed": previous.card_settlement_confirmed,
        }
    )
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


async def z_report_versions(
    *, shifts: ShiftRepository, principal: Principal, shift_id: UUID
) -> list[ZReportIssue]:
    shift = await get_shift(shifts=shifts, principal=principal, shift_id=shift_id)
    if shift.status == "open":
        raise ShiftStillOpen(shift_id=str(shift_id))
    return [ZReportIssue.model_validate(row) for row in await shifts.z_report_versions(shift_id)]
