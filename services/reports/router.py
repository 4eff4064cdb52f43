"""Reports for owners and accountants: JSON, CSV (`format=csv`), and the export bundle
(`/export`: JSON + CSV + manifest in a ZIP). Each report is read in one snapshot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.openapi import binary, declares, sends
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection, TenantSnapshot
from libs.audit.append import AuditLog
from libs.problems import PermissionDenied, merge_responses, problems
from libs.rbac import Permission
from libs.sales.shift_facts import ShiftNotFound, read_facts, read_shift
from libs.sales.shift_report import ShiftReport, ZReport, shift_report
from libs.webhooks.outbox import Outbox
from services.reports import exports, service
from services.reports.days import Period
from services.reports.repository import ReportsRepository
from services.reports.schemas import (
    Bas,
    ClosureRequest,
    DailySummary,
    ItemMix,
    PeriodClosure,
    PeriodClosures,
    Reconciliation,
    VatSummary,
)

router = APIRouter(prefix="/v1/reports", tags=["reports"])

Report = TypeVar("Report", bound=exports.Report)
CSV = "text/csv"
ZIP = "application/zip"

PeriodText = Annotated[
    str | None,
    Query(
        max_length=10,
        description="A business day (2026-11-21), month (2026-11), calendar quarter "
        "(2026-Q3) or year (2026); or give `from` and `to`",
    ),
]
From = Annotated[date | None, Query(alias="from", description="First business day")]
To = Annotated[date | None, Query(description="Last business day (included)")]


@declares(service.LocationNotFound)
async def _reached(
    principal: CurrentPrincipal,
    location_id: Annotated[UUID, Query(description="The location (venue)")],
) -> UUID:
    """A venue the caller reaches: another one is "not found", as another business's."""
    if not principal.reaches(location_id):
        raise service.LocationNotFound()
    return location_id


class EveryVenueRequired(PermissionDenied):
    code = "every-venue-required"
    title = "This report is of the whole business; your session reaches some venues only"


@declares(EveryVenueRequired)
def _every_venue(principal: CurrentPrincipal) -> None:
    """A business-wide report adds up every venue: only for a session that reaches them all."""
    if principal.venues is not None:
        raise EveryVenueRequired()


LocationId = Annotated[UUID, Depends(_reached)]
Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]

# `report-not-applicable`: not for this business's tax system. (A venue not reached is
# declared by `_reached`, a business-wide report's refusal by `_every_venue`.)
_ERRORS = problems(service.InvalidPeriod, service.ReportNotApplicable)
# `format=csv` answers the same report as CSV: a header block (whose, which period, when),
# a row of empty cells, then the table (docs/reports.md, "Files").
_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/json": {}, CSV: {"schema": {"type": "string"}}},
        "description": "The report; with `format=csv`, as CSV: a header block (business, tax "
        "id, report, venues, period, currency, tax basis, generated at, audit range), a row of "
        "empty cells, then the table",
    }
}
_VENUE_REPORT = (
    "The report of one venue (`location_id`, one you reach) over a period: a business day, "
    "month, quarter or year (`period`), or `from` and `to`. `format=csv` answers it as CSV. "
    "Figures are in integer minor units of the business's currency."
)
_BUSINESS_REPORT = (
    "The report of the whole business (every venue: a session that reaches some only is "
    "refused) over a month, quarter or year (`period`), or `from` and `to`. `format=csv` "
    "answers it as CSV. Figures are in integer minor units."
)
_BUNDLE = merge_responses(
    binary(
        ZIP,
        "A ZIP of <file>.json, <file>.csv and manifest.json, <file> naming the business, "
        "the venue, the report and the period",
    ),
    sends("Content-Disposition"),
)
# The CSV is a file to save, named for the business, venue, report and period.
_FILES_SENT = merge_responses(_FILES, sends("Content-Disposition"))


def _answer(report: exports.Report, output: Literal["json", "csv"]) -> Response:
    if output == "csv":
        return Response(
            exports.to_csv(report),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": exports.content_disposition(report, "csv")},
        )
    return JSONResponse(report.model_dump(mode="json"))


def _bundle(
    report: exports.Report, name: str, principal: CurrentPrincipal, parameters: dict[str, Any]
) -> Response:
    content = exports.bundle(name, report, parameters=parameters, generated_by=principal.subject)
    return Response(
        content,
        media_type=ZIP,
        headers={"Content-Disposition": exports.content_disposition(report, "zip")},
    )


def _parameters(**values: Any) -> dict[str, Any]:
    return {key: str(value) for key, value in values.items() if value is not None}


async def _read(
    connection: TenantSnapshot,
    build: Callable[[service.Context], Awaitable[Report]],
) -> Report:
    context = await service.context(ReportsRepository.from_connection(connection))
    return await build(context)


def _location_report(
    name: str,
    path: str,
    model: type[Report],
    build: Callable[..., Awaitable[Report]],
    summary: str,
) -> None:
    """A location's report over a period: `GET path` (JSON or CSV) and `GET path/export`."""

    async def read(connection: TenantSnapshot, location_id: UUID, period: Period) -> Report:
        return await _read(
            connection, lambda context: build(context, location_id=location_id, period=period)
        )

    @router.get(
        path,
        response_model=model,
        summary=summary,
        description=_VENUE_REPORT,
        dependencies=[requires(Permission.REPORTS_READ)],
        responses=merge_responses(_FILES_SENT, _ERRORS),
        name=name,
    )
    async def report(
        connection: TenantSnapshot,
        location_id: LocationId,
        period: PeriodText = None,
        first: From = None,
        to: To = None,
        format: Format = "json",
    ) -> Response:
        resolved = service.resolve_period(period, first, to)
        return _answer(await read(connection, location_id, resolved), format)

    @router.get(
        f"{path}/export",
        summary=f"{summary}: export bundle",
        description="The same report as a ZIP to keep: its JSON, its CSV and a `manifest.json` "
        "saying who made it, when, for which parameters, and the CSV's header block.",
        dependencies=[requires(Permission.REPORTS_READ)],
        response_class=Response,
        responses=merge_responses(_BUNDLE, _ERRORS),
        name=f"{name}-export",
    )
    async def export(
        connection: TenantSnapshot,
        principal: CurrentPrincipal,
        location_id: LocationId,
        period: PeriodText = None,
        first: From = None,
        to: To = None,
    ) -> Response:
        resolved = service.resolve_period(period, first, to)
        parameters = _parameters(location_id=location_id, period=period, **{"from": first}, to=to)
        return _bundle(await read(connection, location_id, resolved), name, principal, parameters)


_location_report(
    "daily-summary",
    "/daily-summary",
    DailySummary,
    service.daily_summary,
    "Daily summary: per business day and in total",
)
_location_report(
    "item-mix",
    "/item-mix",
    ItemMix,
    service.item_mix,
    "Item mix: quantity and sales per item, category and modifier",
)
_location_report(
    "reconciliation",
    "/reconciliation",
    Reconciliation,
    service.reconciliation,
    "Payment reconciliation: per shift and tender, expected against counted",
)


def _tenant_report(
    name: str,
    path: str,
    model: type[Report],
    build: Callable[..., Awaitable[Report]],
    summary: str,
) -> None:
    """A business's tax report over a period, all locations: `GET path` and `path/export`."""

    @router.get(
        path,
        response_model=model,
        summary=summary,
        description=_BUSINESS_REPORT,
        dependencies=[requires(Permission.REPORTS_READ), Depends(_every_venue)],
        responses=merge_responses(_FILES_SENT, _ERRORS),
        name=name,
    )
    async def report(
        connection: TenantSnapshot,
        period: PeriodText = None,
        first: From = None,
        to: To = None,
        format: Format = "json",
    ) -> Response:
        resolved = service.resolve_period(period, first, to)
        answer = await _read(connection, lambda context: build(context, period=resolved))
        return _answer(answer, format)

    @router.get(
        f"{path}/export",
        summary=f"{summary}: export bundle",
        description="The same report as a ZIP to keep: its JSON, its CSV and a `manifest.json` "
        "saying who made it, when, for which parameters, and the CSV's header block.",
        dependencies=[requires(Permission.REPORTS_READ), Depends(_every_venue)],
        response_class=Response,
        responses=merge_responses(_BUNDLE, _ERRORS),
        name=f"{name}-export",
    )
    async def export(
        connection: TenantSnapshot,
        principal: CurrentPrincipal,
        period: PeriodText = None,
        first: From = None,
        to: To = None,
    ) -> Response:
        resolved = service.resolve_period(period, first, to)
        answer = await _read(connection, lambda context: build(context, period=resolved))
        parameters = _parameters(period=period, **{"from": first}, to=to)
        return _bundle(answer, name, principal, parameters)


_tenant_report(
    "bas",
    "/bas",
    Bas,
    service.bas,
    "BAS (Australia): GST worksheet G1-G9 and 1A for a month, quarter or year",
)
_tenant_report(
    "vat-summary",
    "/vat-summary",
    VatSummary,
    service.vat_summary,
    "VAT summary (EU): net and tax per rate, sales less refunds",
)


@router.get(
    "/shifts/{shift_id}",
    dependencies=[requires(Permission.REPORTS_READ)],
    response_model=ShiftReport | ZReport,
    responses=problems(ShiftNotFound),
    name="shift_report",
)
async def shift_of_the_business(
    shift_id: UUID, connection: TenantSnapshot, principal: CurrentPrincipal
) -> ShiftReport | ZReport:
    """A shift's X report while it is open (read live), its Z report (the latest version
    issued) once closed: the same functions the till's X and Z come from. Another venue's
    shift is not found."""
    shift = await read_shift(connection, shift_id)
    # Another business's shift is invisible under RLS, another venue's is not reached.
    if shift is None or not principal.reaches(shift.location_id):
        raise ShiftNotFound()
    if shift.status == "open":
        return shift_report(await read_facts(connection, shift))
    assert shift.z_report is not None, "a closed shift has its Z report"
    return ZReport.model_validate(shift.z_report)


@router.get(
    "/closures",
    dependencies=[requires(Permission.REPORTS_READ)],
    responses=problems(service.LocationNotFound),
)
async def list_closures(
    connection: TenantSnapshot,
    principal: CurrentPrincipal,
    location_id: Annotated[UUID | None, Query()] = None,
    kind: Literal["day", "month", "year"] | None = None,
    limit: Annotated[int, Query(ge=1, le=400)] = 100,
) -> PeriodClosures:
    """Period closures of the venues you reach, latest period first; every version of a
    re-closed period."""
    if location_id is not None and not principal.reaches(location_id):
        raise service.LocationNotFound()
    rows = await ReportsRepository.from_connection(connection).closures(
        location_id, kind, limit, venues=principal.venues
    )
    return PeriodClosures(items=[service.closure_out(row) for row in rows])


@router.post(
    "/closures",
    status_code=201,
    response_model=PeriodClosure,
    dependencies=[requires(Permission.REPORTS_CLOSE)],
    responses=merge_responses(
        {200: {"model": PeriodClosure, "description": "Already closed with these figures"}},
        problems(
            service.LocationNotFound,
            service.PeriodNotEnded,
            service.ClosureInProgress,
            service.InvalidPeriod,
        ),
    ),
)
async def close_period(
    body: ClosureRequest,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
) -> PeriodClosure:
    """Close a location's business day, month or year: its totals and running totals are
    stored, hashed, and the digests appended to the audit chain. Safe to repeat: the same
    figures answer the closure already made (200); changed figures (a late offline sale)
    issue its next version (201, `late-arrival`)."""
    if not principal.reaches(body.location_id):
        raise service.LocationNotFound()
    context = await service.context(ReportsRepository.from_connection(connection))
    closed = await service.close_period(
        context,
        audit=AuditLog.from_connection(connection, service="reports"),
        outbox=Outbox.from_connection(connection),
        principal=principal,
        location_id=body.location_id,
        kind=body.kind,
        period=service.closable(body.kind, body.period),
        now=datetime.now(UTC),
    )
    if not closed.created:
        response.status_code = 200
    return closed.closure
