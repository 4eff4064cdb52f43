"""Reports: read the facts of a location's business days (repository), add them up (the pure
aggregator), and say which part of the audit log they come from. No SQL here, no commit.

Reads run in one REPEATABLE READ snapshot (the router's), so a report's figures and its audit
position agree: every write appends its audit entry in its own transaction, so the snapshot
holds exactly the writes up to the chain head it reads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

import rfc8785

from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, Problem
from libs.sales.business_days import BusinessCalendar
from libs.sales.day_facts import Attribution
from libs.webhooks.outbox import Outbox
from libs.webhooks.payloads import PeriodClosed
from services.reports import aggregate
from services.reports.days import YEARS, Period, PeriodError
from services.reports.repository import Business, Location, ReportsRepository
from services.reports.schemas import (
    AuditRange,
    Bas,
    BusinessOut,
    DailySummary,
    ItemMix,
    LocationOut,
    PeriodClosure,
    PeriodOut,
    Reconciliation,
    Totals,
    VatSummary,
)

# Where GST is reported on a BAS, and where VAT is.
AU_REGION = "ap-southeast-2"
EU_REGION = "eu-central-1"
# Running totals of a location's first closure start from its first sale: no sale is
# earlier than the first year a period may fall in.
BEGINNING = date(YEARS.start, 1, 1)


class LocationNotFound(NotFound):
    code = "location-not-found"
    title = "No such location for this business"


class InvalidPeriod(Problem):
    status = 422
    code = "invalid-period"
    title = "The period cannot be read"


class ReportNotApplicable(Conflict):
    code = "report-not-applicable"
    title = "This report is not for this business's tax system"


class PeriodNotEnded(Conflict):
    code = "period-not-ended"
    title = "The period's last business day has not ended yet"


class ClosureInProgress(Conflict):
    code = "closure-in-progress"
    title = "This period is being closed by another request; read the closures again"


def resolve_period(text: str | None, first: date | None, last: date | None) -> Period:
    """`period` (2026-11-21, 2026-11, 2026-Q3, 2026), or `from` and `to` (both days
    included)."""
    try:
        if text is not None and first is None and last is None:
            return Period.parse(text)
        if text is None and first is not None and last is not None:
            return Period.between(first, last)
    except PeriodError as error:
        raise InvalidPeriod(str(error)) from None
    raise InvalidPeriod("Give either `period`, or both `from` and `to`.")


def _period_out(period: Period) -> PeriodOut:
    return PeriodOut(
        kind=period.kind, label=period.label, first_day=period.first, last_day=period.last
    )


def _location_out(location: Location) -> LocationOut:
    return LocationOut(
        id=location.id,
        name=location.name,
        time_zone=location.time_zone,
        business_day_cutoff_hour=location.business_day_cutoff_hour,
    )


def _calendar(location: Location) -> BusinessCalendar:
    return BusinessCalendar.of(location.time_zone, location.business_day_cutoff_hour)


def business_span(location: Location, first: date, last: date) -> tuple[datetime, datetime]:
    """When the business days `first` to `last` start and end at the venue (UTC)."""
    calendar = _calendar(location)
    return calendar.start_of(first), calendar.start_of(last + timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Context:
    repository: ReportsRepository
    business: Business
    # When the report is read (its `generated_at`, shown in the venue's time).
    now: datetime = dataclasses.field(default_factory=lambda: datetime.now(UTC))


async def context(repository: ReportsRepository) -> Context:
    await repository.plan_each_range()
    business = await repository.business()
    if business is None:  # a tenant provisioned without the orders service's settings
        raise ReportNotApplicable("This business has no sales settings yet.")
    return Context(repository, business)


def tax_id_label(business: Business) -> str:
    """What the tax office calls the business's number: an ABN in Australia; in Germany a
    USt-IdNr. (DE and nine digits) or else the Steuernummer."""
    if business.region == AU_REGION:
        return "ABN"
    if business.tax_id is None or business.tax_id.upper().startswith("DE"):
        return "USt-IdNr."
    return "Steuernummer"


def _business_out(business: Business) -> BusinessOut:
    return BusinessOut(
        name=business.name, tax_id=business.tax_id, tax_id_label=tax_id_label(business)
    )


def _local(moment: datetime, time_zone: str) -> datetime:
    """An instant as the venue's clock showed it, with its UTC offset (ISO 8601)."""
    return moment.astimezone(ZoneInfo(time_zone))


def _generated_at(context: Context, time_zone: str | None) -> datetime:
    now = context.now.replace(microsecond=0)
    return _local(now, time_zone) if time_zone else now


async def _location(repository: ReportsRepository, location_id: UUID) -> Location:
    location = await repository.location(location_id)
    if location is None:
        raise LocationNotFound()
    return location


async def audit_range(
    repository: ReportsRepository, locations: Collection[UUID], start: datetime, end: datetime
) -> AuditRange:
    """The audit log's part the figures of [start, end) at these venues come from.

    Every sale, payment, refund and count is made in a shift open at that moment (offline
    too: its entries are recorded when the till uploads, after it happened), so every entry
    behind the figures was recorded at or after the opening of the earliest shift open at
    some time in the period: an order paid tonight that was opened before midnight, a shift
    counted in the period but opened in the one before, a sale uploaded days later. `from_seq`
    is the first entry recorded since then (or since the period's start, if that is earlier),
    so it is never null for a period with figures."""
    seq, head = await repository.audit_head()
    opened = await repository.earliest_shift_opening(locations, start, end)
    since = start if opened is None else min(opened, start)
    first = await repository.first_audit_seq_since(since)
    return AuditRange(from_seq=first, through_seq=seq, through_hash=head.hex())


# ---------------------------------------------------------------------------------------------
# Reports.


async def daily_summary(context: Context, *, location_id: UUID, period: Period) -> DailySummary:
    location = await _location(context.repository, location_id)
    facts = await context.repository.day_facts(location.id, period.first, period.last)
    calendar = _calendar(location)
    summaries = aggregate.daily_summaries(
        facts, [(day, calendar.hours(day)) for day in period.days]
    )
    return DailySummary(
        business=_business_out(context.business),
        location=_location_out(location),
        period=_period_out(period),
        currency=context.business.currency,
        prices_include_tax=context.business.prices_include_tax,
        days=summaries,
        totals=aggregate.totals(facts),
        generated_at=_generated_at(context, location.time_zone),
        audit=await audit_range(
            context.repository, [location.id], *business_span(location, period.first, period.last)
        ),
    )


async def item_mix(context: Context, *, location_id: UUID, period: Period) -> ItemMix:
    location = await _location(context.repository, location_id)
    lines, modifiers = await context.repository.line_facts(location.id, period.first, period.last)
    items, categories, chosen, overall, not_attributed = aggregate.item_mix(lines, modifiers)
    return ItemMix(
        business=_business_out(context.business),
        location=_location_out(location),
        period=_period_out(period),
        currency=context.business.currency,
        prices_include_tax=context.business.prices_include_tax,
        items=items,
        categories=categories,
        modifiers=chosen,
        totals=overall,
        refunds_not_attributed_minor=not_attributed,
        generated_at=_generated_at(context, location.time_zone),
        audit=await audit_range(
            context.repository, [location.id], *business_span(location, period.first, period.last)
        ),
    )


async def reconciliation(context: Context, *, location_id: UUID, period: Period) -> Reconciliation:
    repository = context.repository
    location = await _location(repository, location_id)
    start, end = business_span(location, period.first, period.last)
    closed = await repository.closed_shifts(location.id, start, end)
    staff = await repository.staff_names(
        {shift.opened_by for shift in closed} | {shift.closed_by for shift in closed}
    )
    registers = await repository.register_names(location.id)
    shifts, totals = aggregate.reconcile(
        dataclasses.replace(
            shift,
            opened_at=_local(shift.opened_at, location.time_zone),
            closed_at=_local(shift.closed_at, location.time_zone),
            register_name=registers.get(shift.register_number, ""),
            opened_by_name=staff.get(shift.opened_by, ""),
            closed_by_name=staff.get(shift.closed_by, ""),
        )
        for shift in closed
    )
    return Reconciliation(
        business=_business_out(context.business),
        location=_location_out(location),
        period=_period_out(period),
        currency=context.business.currency,
        shifts=shifts,
        totals=totals,
        open_shifts=await repository.open_shifts_at(location.id, end),
        generated_at=_generated_at(context, location.time_zone),
        audit=await audit_range(repository, [location.id], start, end),
    )


def attribution(business: Business) -> Attribution:
    """Which of the daily facts' tax attributions a business's tax periods read.

    Australia's accrual basis puts the whole sale on the earlier of the invoice and the first
    payment (GST Act 1999 s 29-5 (1)): 'accrual'. Its cash basis puts each payment's share
    where it was received (s 29-5 (2)): 'cash'. Germany's Ist-Versteuerung does the same
    (UStG § 13 (1) Nr. 1 b). So, at a till, does its Soll-Versteuerung: § 13 (1) Nr. 1 a
    Satz 4 taxes a part of the price received before the supply in the period it was
    received, to that extent, and an order closes (the supply) only once it is paid, so no
    part is left for the close's period (libs/sales/day_facts.py)."""
    if business.region == AU_REGION and business.tax_basis == "accrual":
        return "accrual"
    return "cash"


async def _tenant_tax(
    context: Context, period: Period
) -> tuple[list[Location], list[aggregate.TaxFact], AuditRange]:
    """Every location's tax facts over the period: its calendar dates at each venue (from
    00:00 local on the first to 00:00 local after the last), attributed by the business's
    tax basis (docs/reports.md, "Tax periods")."""
    locations = await context.repository.locations()
    facts: list[aggregate.TaxFact] = []
    starts, ends = [], []
    for location in locations:
        start, end = business_span(location, period.first, period.last)
        calendar = _calendar(location)
        # The audit range covers the period both as business days and as calendar dates (a
        # tax period's), whichever reaches further.
        starts += [start, calendar.local_midnight(period.first)]
        ends += [end, calendar.local_midnight(period.last + timedelta(days=1))]
        facts += await context.repository.tax_facts(
            location.id, period.first, period.last, attribution(context.business)
        )
    midnight = datetime.combine(period.first, datetime.min.time(), UTC)
    audit = await audit_range(
        context.repository,
        [location.id for location in locations],
        min(starts, default=midnight),
        max(ends, default=midnight),
    )
    return locations, facts, audit


def _first_zone(locations: list[Location]) -> str | None:
    """A business-wide report's clock: its first venue's (where the business began)."""
    return locations[0].time_zone if locations else None


async def bas(context: Context, *, period: Period) -> Bas:
    if context.business.region != AU_REGION:
        raise ReportNotApplicable("The BAS is for Australian businesses; use the VAT summary.")
    locations, facts, audit = await _tenant_tax(context, period)
    figures = aggregate.bas(facts)
    return Bas(
        business=_business_out(context.business),
        tax_basis=context.business.tax_basis,
        period=_period_out(period),
        currency=context.business.currency,
        labels=figures.labels,
        decreasing_adjustments=figures.decreasing_adjustments,
        gst_free_refunds_minor=figures.gst_free_refunds_minor,
        worksheet_gst_minor=figures.worksheet_gst_minor,
        invoice_gst_minor=figures.invoice_gst_minor,
        locations=[_location_out(location) for location in locations],
        generated_at=_generated_at(context, _first_zone(locations)),
        audit=audit,
    )


async def vat_summary(context: Context, *, period: Period) -> VatSummary:
    if context.business.region != EU_REGION:
        raise ReportNotApplicable("The VAT summary is for EU businesses; use the BAS.")
    locations, facts, audit = await _tenant_tax(context, period)
    rates = aggregate.vat_summary(facts)
    return VatSummary(
        business=_business_out(context.business),
        tax_basis=context.business.tax_basis,
        period=_period_out(period),
        currency=context.business.currency,
        rates=rates,
        net_minor=sum(row.net_minor for row in rates),
        tax_minor=sum(row.tax_minor for row in rates),
        boxes=aggregate.ustva_boxes(rates),
        locations=[_location_out(location) for location in locations],
        generated_at=_generated_at(context, _first_zone(locations)),
        audit=audit,
    )


# ---------------------------------------------------------------------------------------------
# Period closures.


def digest(value: Totals) -> bytes:
    """SHA-256 over the totals' RFC 8785 canonical JSON (amounts are integers; rates are
    strings, so no number is ever rounded by a reader)."""
    return hashlib.sha256(rfc8785.dumps(json.loads(value.model_dump_json()))).digest()


def closure_out(row: dict[str, Any]) -> PeriodClosure:
    kind = row["kind"]
    period = Period(kind, row["first_day"], row["last_day"])
    return PeriodClosure(
        id=row["id"],
        location_id=row["location_id"],
        kind=kind,
        period=_period_out(period),
        version=row["version"],
        reason=row["reason"],
        totals=Totals.model_validate(row["totals"]),
        cumulative=Totals.model_validate(row["cumulative"]),
        totals_sha256=bytes(row["totals_sha256"]).hex(),
        cumulative_sha256=bytes(row["cumulative_sha256"]).hex(),
        previous_id=row["previous_id"],
        audit_through_seq=row["audit_through_seq"],
        closed_by=row["closed_by"],
        closed_at=row["closed_at"],
    )


def closable(kind: Literal["day", "month", "year"], text: str) -> Period:
    try:
        period = Period.parse(text)
    except PeriodError as error:
        raise InvalidPeriod(str(error)) from None
    if period.kind != kind:
        raise InvalidPeriod(f"{text!r} is not a {kind}: use 2026-11-21, 2026-11 or 2026.")
    return period


@dataclass(frozen=True, slots=True)
class Closed:
    closure: PeriodClosure
    created: bool


async def close_period(
    context: Context,
    *,
    audit: AuditLog,
    outbox: Outbox,
    principal: Principal,
    location_id: UUID,
    kind: Literal["day", "month", "year"],
    period: Period,
    now: datetime,
) -> Closed:
    """Close a location's day, month or year: its totals, and the running totals continued
    from the last closure of this kind before it, each hashed, the digests in an audit entry.

    The tenant's audit chain head is locked first: no write of the tenant can commit while the
    figures are read, and all those before the head have, so the closure is exactly the books
    through `audit_through_seq`. Closing again with the same figures answers the closure
    already made; with other figures (a sale recorded offline reached the server after the
    close) it issues the next version, `late-arrival`."""
    repository = context.repository
    location = await _location(repository, location_id)
    calendar = _calendar(location)
    ends = calendar.start_of(period.last + timedelta(days=1))
    if now < ends:
        raise PeriodNotEnded(f"{period.label} ends at {ends.isoformat()}.")
    through_seq, _ = await repository.audit_head(lock=True)

    totals = aggregate.totals(await repository.day_facts(location.id, period.first, period.last))
    totals_digest = digest(totals)
    latest = await repository.latest_closure(location.id, kind, period.first)
    if latest is not None and bytes(latest["totals_sha256"]) == totals_digest:
        return Closed(closure_out(latest), created=False)

    previous = await repository.closure_before(location.id, kind, period.first)
    if previous is None:
        cumulative = aggregate.totals(
            await repository.day_facts(location.id, BEGINNING, period.last)
        )
    else:
        gap_first = previous["last_day"] + timedelta(days=1)
        gap = aggregate.totals(await repository.day_facts(location.id, gap_first, period.last))
        cumulative = aggregate.add_totals(Totals.model_validate(previous["cumulative"]), gap)
    cumulative_digest = digest(cumulative)

    closure_id = uuid.uuid4()
    version = 1 if latest is None else latest["version"] + 1
    reason = "close" if latest is None else "late-arrival"
    await audit.append(
        actor=Actor.of(principal),
        action="period.closed",
        resource_type="period_closure",
        resource_id=str(closure_id),
        payload={
            "location_id": str(location.id),
            "kind": kind,
            "period": period.label,
            "version": version,
            "reason": reason,
            "totals_sha256": totals_digest.hex(),
            "cumulative_sha256": cumulative_digest.hex(),
            "previous_id": str(previous["id"]) if previous else None,
            "audit_through_seq": through_seq,
        },
    )
    row = await repository.insert_closure(
        {
            "id": closure_id,
            "location_id": location.id,
            "kind": kind,
            "first_day": period.first,
            "last_day": period.last,
            "version": version,
            "totals": json.loads(totals.model_dump_json()),
            "cumulative": json.loads(cumulative.model_dump_json()),
            "totals_sha256": totals_digest,
            "cumulative_sha256": cumulative_digest,
            "previous_id": previous["id"] if previous else None,
            "audit_through_seq": through_seq,
            "reason": reason,
            "closed_by": principal.subject,
        }
    )
    if row is None:
        raise ClosureInProgress()
    closure = closure_out(row)
    await outbox.emit(
        PeriodClosed(
            closure_id=closure_id,
            location_id=location.id,
            kind=kind,
            period=period.label,
            first_day=period.first,
            last_day=period.last,
            version=version,
            reason=reason,
            currency=context.business.currency,
            totals=closure.totals,
            totals_sha256=totals_digest.hex(),
            closed_at=closure.closed_at,
        ),
        occurred_at=closure.closed_at,
    )
    return Closed(closure, created=True)
