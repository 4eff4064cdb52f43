"""How long an accountant waits for a report over a busy venue's year (`make bench`).

    .venv/bin/python -m bench.reports [--quick] [--orders N] [--runs N]

A venue-year (bench/venue_year.py: one location, three registers, 500,000 orders, with
`--quick` 50,000) is generated into its own fresh database `halopos_bench_reports`, then the
reports service answers, for an accountant's session:

- the daily summary of one business day (2025-11-22) and of every day of the year (2025);
- the item mix of a month (2025-11) and of the year (2025);
- the payment reconciliation of a business day (2025-11-22);
- the BAS of a calendar quarter (2025-Q3) and of the whole year (2025: every order), by
  calendar date on the accrual basis (the business's default);
- the BAS export bundle of the quarter (a ZIP of the BAS as JSON and CSV, named after the
  business, the report and the period, and manifest.json).

The goal: each within 1 s over the venue-year.

The service runs in this process under uvicorn on a real socket (127.0.0.1, a free port), as
the tests serve it (tests/conftest.py `_serve`), with its own database login and a
`StaticKeySource` verifier holding the key the bench signs with. The client is httpx in the
same event loop, one request at a time, each with a DPoP-bound accountant token and a fresh
proof (signing it, and the service verifying it and spending its jti, is part of every
request, as for a real back office). Nothing else runs: the time is the report's.

Each report is timed from sending the request to the last byte of the answer: its first run
("cold": the first time the service reads that report's rows; the database has been written
and ANALYZEd just before, so Postgres's cache is as a load leaves it), then `--runs` more
(10), of which the median and p95 are reported. A trivial request is made first, so the cold
figures do not include opening the connection pool.

The answers are checked, not only timed: every run must answer 200, and the first and last
answer of each report must carry exactly the figures worked out while the year was generated
(orders, covers, sales, discounts, tax per rate, tips, rounding, refunds, voids, payments per
tender; each day of the year; each item and modifier of the month; the day's shifts expected
and counted; BAS G1-G9, 1A and the refund adjustments), never through SQL. The ZIP must hold
the three files, each with the SHA-256 its manifest states, and the JSON the same figures.
A wrong answer fails the run (exit 1): the bench does not time wrong answers. Before timing,
a sample of the stored Z reports is recomputed by the orders service's own shift facts query,
so a disagreement is the report's, not the generator's.

Not in the figures: the audit log of the year's sales (not generated), so each report's
audit-range lookup (`audit.events` since the period's start) runs over a nearly empty log.

Writes bench/results/reports.json and reports.md; exits 1 on any error or wrong figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import hashlib
import io
import json
import os
import socket
import statistics
import sys
import time
import zipfile
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import sqlalchemy as sa
import uvicorn

from bench.report import RESULTS, machine_info, postgres_version, write_result
from bench.venue_year import DATABASE, DayFigures, VenueYear, generate
from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.auth.access_tokens import TokenVerifier
from libs.auth.keys import StaticKeySource
from libs.auth.principal import Principal
from libs.config import platform_settings
from libs.rbac.matrix import Role
from libs.sales.shift_report import shift_report
from libs.tenancy.database import TenantDatabase
from ops.platform import prepare_database
from services.identity.keys.signing import SigningKey, jwks_document
from services.orders import pricing
from services.orders.shifts.repository import ShiftRepository
from tests.support.tokens import access_token

COMMAND = ".venv/bin/python -m bench.reports"
ORDERS = 500_000
QUICK_ORDERS = 50_000
RUNS = 10
GOAL_SECONDS = 1.0
YEAR = 2025
DAY = date(YEAR, 11, 22)
SUBJECT = "bench-accountant"
# Z reports recomputed from the orders service's own facts before timing.
Z_REPORT_SAMPLE = 20
# A report still running after this long is not timed again.
SECONDS_PER_REPORT = 180.0

# What an answer (JSON, or the ZIP's bytes) gets wrong: nothing when it is right.
Checker = Callable[[Any], list[str]]


# ---------------------------------------------------------------------------------------------
# What each answer must say, from the generated figures.


def _rates(groups: dict[Decimal, list[int]]) -> dict[Decimal, tuple[int, int, int]]:
    return {
        rate.quantize(Decimal("0.001")): (net, tax, gross)
        for rate, (net, tax, gross) in groups.items()
        if (net, tax, gross) != (0, 0, 0)
    }


def _answered_rates(groups: Sequence[dict[str, Any]]) -> dict[Decimal, tuple[int, int, int]]:
    return {
        Decimal(str(group["rate"])).quantize(Decimal("0.001")): (
            group["net_minor"],
            group["tax_minor"],
            group["gross_minor"],
        )
        for group in groups
    }


def expected_totals(figures: DayFigures) -> dict[str, Any]:
    """A `Totals` (services/reports/schemas.py) as the generated figures make it."""
    tax = _rates(figures.tax)
    including = sum(gross for _, _, gross in tax.values())
    tenders = {}
    for tender in ("cash", "card"):
        count, paid = figures.payments.get(tender, [0, 0])
        refunded = figures.refunds_by_tender.get(tender, 0)
        tenders[tender] = (count, paid, refunded, paid - refunded)
    return {
        "orders": figures.orders,
        "covers": figures.covers,
        "gross_sales_minor": figures.gross_sales_minor,
        "discounts_minor": figures.discounts_minor,
        "service_charges_minor": figures.service_charges_minor,
        "net_sales_minor": figures.gross_sales_minor
        - figures.discounts_minor
        + figures.service_charges_minor,
        "sales_excluding_tax_minor": sum(net for net, _, _ in tax.values()),
        "tax_minor": figures.tax_minor,
        "sales_including_tax_minor": including,
        "tax": tax,
        "tips_minor": figures.tips_minor,
        "rounding_minor": figures.rounding_minor,
        "average_ticket_minor": (
            pricing.round_half_up(Fraction(including, figures.orders)) if figures.orders else 0
        ),
        "refunds": (
            figures.refunds,
            figures.refunds_minor,
            figures.refunds_tax_minor,
            _rates(figures.refund_tax),
        ),
        "voids": (
            figures.voided_orders,
            figures.voided_orders_minor,
            figures.voided_lines,
            figures.voided_lines_minor,
        ),
        "payments": tenders,
    }


def answered_totals(totals: dict[str, Any]) -> dict[str, Any]:
    """The same shape, from the service's JSON."""
    refunds, voids = totals["refunds"], totals["voids"]
    return {
        **{
            key: totals[key]
            for key in (
                "orders",
                "covers",
                "gross_sales_minor",
                "discounts_minor",
                "service_charges_minor",
                "net_sales_minor",
                "sales_excluding_tax_minor",
                "tax_minor",
                "sales_including_tax_minor",
                "tips_minor",
                "rounding_minor",
                "average_ticket_minor",
            )
        },
        "tax": _answered_rates(totals["tax"]),
        "refunds": (
            refunds["count"],
            refunds["amount_minor"],
            refunds["tax_minor"],
            _answered_rates(refunds["tax"]),
        ),
        "voids": (
            voids["orders"]["count"],
            voids["orders"]["amount_minor"],
            voids["lines"]["count"],
            voids["lines"]["amount_minor"],
        ),
        "payments": {
            row["tender"]: (
                row["count"],
                row["paid_minor"],
                row["refunded_minor"],
                row["net_minor"],
            )
            for row in totals["payments"]
        },
    }


def _differences(where: str, expected: dict[str, Any], answered: dict[str, Any]) -> list[str]:
    return [
        f"{where}: {key} is {answered.get(key)!r}, expected {value!r}"
        for key, value in expected.items()
        if answered.get(key) != value
    ]


def _period(answer: dict[str, Any], first: date, last: date) -> list[str]:
    period = answer.get("period", {})
    if (period.get("first_day"), period.get("last_day")) != (str(first), str(last)):
        return [
            f"period is {period.get('first_day')}..{period.get('last_day')}, "
            f"expected {first}..{last}"
        ]
    return []


def check_daily_summary(venue: VenueYear, first: date, last: date) -> Checker:
    def check(answer: dict[str, Any]) -> list[str]:
        problems = _period(answer, first, last)
        problems += _differences(
            "totals",
            expected_totals(venue.figures(first, last)),
            answered_totals(answer["totals"]),
        )
        days = {row["day"]: row for row in answer["days"]}
        wanted = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        if sorted(days) != [str(day) for day in wanted]:
            problems.append(f"{len(days)} days answered, expected {len(wanted)}")
        for day in wanted:
            if str(day) in days:
                problems += _differences(
                    str(day),
                    expected_totals(venue.figures(day, day)),
                    answered_totals(days[str(day)]),
                )
        return problems

    return check


def check_item_mix(venue: VenueYear, first: date, last: date) -> Checker:
    def check(answer: dict[str, Any]) -> list[str]:
        problems = _period(answer, first, last)
        figures = venue.figures(first, last)
        names = {item.id: item.name for item in venue.menu}
        # The year has no service charges: net sales are the lines after discounts.
        expected = {
            str(item_id): (quantity, gross, gross - net, net)
            for item_id, (quantity, gross, net) in figures.items.items()
        }
        answered = {
            row["item_id"]: (
                row["quantity"],
                row["gross_sales_minor"],
                row["discounts_minor"],
                row["net_sales_minor"],
            )
            for row in answer["items"]
            if row["quantity"]  # an item only refunded in the period sold nothing in it
        }
        for item_id in expected.keys() | answered.keys():
            if expected.get(item_id) != answered.get(item_id):
                name = names.get(UUID(item_id), item_id) if item_id else item_id
                problems.append(
                    f"item {name}: (quantity, gross, discounts, sales) is "
                    f"{answered.get(item_id)}, expected {expected.get(item_id)}"
                )
        chosen = {str(key): tuple(value) for key, value in figures.modifiers.items()}
        answered_modifiers = {
            row["modifier_id"]: (row["quantity"], row["gross_minor"]) for row in answer["modifiers"]
        }
        if chosen != answered_modifiers:
            problems.append(f"modifiers are {answered_modifiers}, expected {chosen}")
        quantity = sum(value[0] for value in figures.items.values())
        sales = sum(value[2] for value in figures.items.values())
        totals = answer["totals"]
        answered_totals = (totals["quantity"], totals["net_sales_minor"], totals["refunds_minor"])
        if answered_totals != (quantity, sales, figures.refunds_minor):
            problems.append(
                f"totals (quantity, net sales, refunds) are {answered_totals}, "
                f"expected {(quantity, sales, figures.refunds_minor)}"
            )
        return problems

    return check


def check_reconciliation(venue: VenueYear, first: date, last: date) -> Checker:
    def check(answer: dict[str, Any]) -> list[str]:
        problems = _period(answer, first, last)
        figures = venue.figures(first, last)
        if len(answer["shifts"]) != figures.shifts:
            problems.append(f"{len(answer['shifts'])} shifts, expected {figures.shifts}")
        expected = {
            "cash": (
                figures.expected_cash_minor,
                figures.counted_cash_minor,
                figures.counted_cash_minor - figures.expected_cash_minor,
            ),
            "card": (
                figures.expected_card_minor,
                figures.counted_card_minor,
                figures.counted_card_minor - figures.expected_card_minor,
            ),
        }
        answered = {
            row["tender"]: (row["expected_minor"], row["counted_minor"], row["difference_minor"])
            for row in answer["totals"]
        }
        if answered != expected:
            problems.append(
                f"totals (expected, counted, difference) are {answered}, expected {expected}"
            )
        return problems

    return check


def expected_bas(figures: DayFigures) -> dict[str, Any]:
    zero = Decimal("0.000")
    sales = _rates(figures.tax)
    refunds = _rates(figures.refund_tax)
    g1 = sum(gross for _, _, gross in sales.values())
    g3 = sales.get(zero, (0, 0, 0))[2]
    g8 = g1 - g3
    labels = {
        "G1": g1,
        "G2": 0,
        "G3": g3,
        "G4": 0,
        "G5": g3,
        "G6": g8,
        "G7": 0,
        "G8": g8,
        "G9": pricing.round_half_up(Fraction(g8, 11)),
        "1A": sum(tax for _, tax, _ in sales.values()),
    }
    taxable = [value for rate, value in refunds.items() if rate != zero]
    return {
        "labels": labels,
        "whole_dollars": {label: amount // 100 for label, amount in labels.items()},
        "decreasing_adjustments": (
            sum(gross for _, _, gross in taxable),
            sum(tax for _, tax, _ in taxable),
        ),
        "gst_free_refunds_minor": refunds.get(zero, (0, 0, 0))[2],
        "worksheet_gst_minor": labels["G9"],
        "invoice_gst_minor": labels["1A"],
    }


def answered_bas(answer: dict[str, Any]) -> dict[str, Any]:
    adjustment = answer["decreasing_adjustments"]
    return {
        "labels": {row["label"]: row["amount_minor"] for row in answer["labels"]},
        "whole_dollars": {row["label"]: row["whole_dollars"] for row in answer["labels"]},
        "decreasing_adjustments": (adjustment["amount_minor"], adjustment["gst_minor"]),
        "gst_free_refunds_minor": answer["gst_free_refunds_minor"],
        "worksheet_gst_minor": answer["worksheet_gst_minor"],
        "invoice_gst_minor": answer["invoice_gst_minor"],
    }


def check_bas(venue: VenueYear, first: date, last: date) -> Checker:
    def check(answer: dict[str, Any]) -> list[str]:
        return _period(answer, first, last) + _differences(
            "BAS", expected_bas(venue.tax_figures(first, last)), answered_bas(answer)
        )

    return check


def check_bas_export(venue: VenueYear, first: date, last: date) -> Checker:
    bas = check_bas(venue, first, last)

    def check(archive: bytes) -> list[str]:
        try:
            zipped = zipfile.ZipFile(io.BytesIO(archive))
        except zipfile.BadZipFile as error:
            return [f"not a ZIP: {error}"]
        files = {name: zipped.read(name) for name in zipped.namelist()}
        # `<business>_bas_<period>.json` and `.csv` (services/reports/exports.py), and the
        # manifest.
        reports = sorted(name for name in files if name != "manifest.json")
        stems = {name.rsplit(".", 1)[0] for name in reports}
        if "manifest.json" not in files or len(stems) != 1 or len(reports) != 2:
            return [f"the ZIP holds {sorted(files)}, expected <name>.json, .csv, manifest.json"]
        stem = stems.pop()
        if "_bas_" not in stem:
            return [f"the files are named {stem!r}, not after the BAS"]
        json_name, csv_name = f"{stem}.json", f"{stem}.csv"
        if set(reports) != {json_name, csv_name}:
            return [f"the ZIP holds {sorted(files)}, expected {json_name}, {csv_name}"]
        problems = []
        manifest = json.loads(files["manifest.json"])
        stated = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
        for name in (json_name, csv_name):
            if stated.get(name) != hashlib.sha256(files[name]).hexdigest():
                problems.append(f"{name}: its SHA-256 is not the manifest's")
        return problems + [
            f"{json_name}: {problem}" for problem in bas(json.loads(files[json_name]))
        ]

    return check


# ---------------------------------------------------------------------------------------------
# The reports and their timing.


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    params: dict[str, str]
    check: Checker
    archive: bool = False


def endpoints(venue: VenueYear) -> list[Endpoint]:
    location = str(venue.location_id)
    quarter = (date(YEAR, 7, 1), date(YEAR, 9, 30))
    month = (date(YEAR, 11, 1), date(YEAR, 11, 30))
    year = (date(YEAR, 1, 1), date(YEAR, 12, 31))
    return [
        Endpoint(
            "daily summary, one day",
            "/v1/reports/daily-summary",
            {"location_id": location, "period": str(DAY)},
            check_daily_summary(venue, DAY, DAY),
        ),
        Endpoint(
            "item mix, one month",
            "/v1/reports/item-mix",
            {"location_id": location, "period": f"{YEAR}-11"},
            check_item_mix(venue, *month),
        ),
        Endpoint(
            "reconciliation, one day",
            "/v1/reports/reconciliation",
            {"location_id": location, "period": str(DAY)},
            check_reconciliation(venue, DAY, DAY),
        ),
        Endpoint(
            "BAS, one quarter",
            "/v1/reports/bas",
            {"period": f"{YEAR}-Q3"},
            check_bas(venue, *quarter),
        ),
        Endpoint(
            "BAS, the year", "/v1/reports/bas", {"period": str(YEAR)}, check_bas(venue, *year)
        ),
        Endpoint(
            "item mix, the year",
            "/v1/reports/item-mix",
            {"location_id": location, "period": str(YEAR)},
            check_item_mix(venue, *year),
        ),
        Endpoint(
            "daily summary, every day of the year",
            "/v1/reports/daily-summary",
            {"location_id": location, "period": str(YEAR)},
            check_daily_summary(venue, *year),
        ),
        Endpoint(
            "BAS export (ZIP), one quarter",
            "/v1/reports/bas/export",
            {"period": f"{YEAR}-Q3"},
            check_bas_export(venue, *quarter),
            archive=True,
        ),
    ]


class StatementTimer:
    """Every SQL statement the reports service sends, timed (SQLAlchemy's cursor events on its
    engine: from sending it to its last row), named after the repository constant it is."""

    def __init__(self, database: TenantDatabase) -> None:
        from services.reports import repository

        dialect = database.engine.dialect
        self._names = {
            _normal(str(value.compile(dialect=dialect))): name
            for name, value in vars(repository).items()
            if isinstance(value, sa.TextClause)
        }
        self.recording: list[tuple[str, float]] | None = None
        engine = database.engine.sync_engine
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _name(self, statement: str) -> str:
        normal = _normal(statement)
        return self._names.get(normal) or normal[:40]

    def _before(self, connection: sa.Connection, *_: Any) -> None:
        connection.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, connection: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
        started = connection.info["bench_started"].pop()
        if self.recording is not None:
            self.recording.append((self._name(statement), time.perf_counter() - started))


def _normal(statement: str) -> str:
    return " ".join(statement.split())


@dataclass
class Timing:
    name: str
    request: str
    cold_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    # Per run, the cold one first: each SQL statement the service sent and its ms.
    statements: list[list[tuple[str, float]]] = field(default_factory=list)
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def percentile_ms(self, percent: int) -> float | None:
        if len(self.runs_ms) < 2:
            return self.runs_ms[0] if self.runs_ms else None
        return statistics.quantiles(self.runs_ms, n=100, method="inclusive")[percent - 1]

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    @property
    def within_goal(self) -> bool:
        worst = self.percentile_ms(95)
        return (
            not self.failed
            and worst is not None
            and self.cold_ms is not None
            and max(worst, self.cold_ms) <= GOAL_SECONDS * 1000
        )

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.problems)

    def sql_ms(self, run: int) -> float:
        return sum(ms for _, ms in self.statements[run]) if run < len(self.statements) else 0.0

    def statement_summary(self) -> list[tuple[str, float, float]]:
        """Per statement, slowest first: its ms in the cold run and its median over the
        measured runs (prepared statements get a generic plan from their sixth execution,
        so the two can differ by more than a warm cache)."""
        cold: dict[str, float] = {}
        measured: dict[str, list[float]] = {}
        for run, statements in enumerate(self.statements):
            for name, ms in statements:
                if run == 0:
                    cold[name] = cold.get(name, 0.0) + ms
                else:
                    measured.setdefault(name, []).append(ms)
        rows = [
            (name, cold.get(name, 0.0), statistics.median(measured.get(name) or [0.0]))
            for name in cold.keys() | measured.keys()
        ]
        return sorted(rows, key=lambda row: -max(row[1], row[2]))

    def as_dict(self) -> dict[str, Any]:
        def ms(value: float | None) -> float | None:
            return None if value is None else round(value, 1)

        return {
            "name": self.name,
            "request": self.request,
            "cold_ms": ms(self.cold_ms),
            "median_ms": ms(self.median_ms),
            "p95_ms": ms(self.percentile_ms(95)),
            "runs": len(self.runs_ms),
            "runs_ms": [round(value, 1) for value in self.runs_ms],
            "response_bytes": self.bytes,
            "within_goal": self.within_goal,
            "errors": self.errors,
            "wrong_figures": self.problems,
            "sql_ms_runs": [round(self.sql_ms(run), 1) for run in range(len(self.statements))],
            "statements_ms": [
                {"statement": name, "cold_ms": round(cold, 1), "median_ms": round(median, 1)}
                for name, cold, median in self.statement_summary()
            ],
        }


class Accountant:
    """An accountant's session: a DPoP-bound token on a fresh key, minted again before it
    could expire (tokens live at most 10 minutes; a slow report's runs may not)."""

    def __init__(self, signing_key: SigningKey, tenant_id: UUID) -> None:
        self._signing_key = signing_key
        self._tenant_id = tenant_id
        self._minted_at = 0.0
        self._auth: DPoPAuth | None = None

    def auth(self) -> DPoPAuth:
        if self._auth is None or time.monotonic() - self._minted_at > 300:
            key = DeviceKey.generate()
            token = access_token(
                self._signing_key,
                subject=SUBJECT,
                tenant_id=self._tenant_id,
                role=Role.ACCOUNTANT,
                key=key,
            )
            self._auth = DPoPAuth(key, token, public_url=platform_settings().public_url)
            self._minted_at = time.monotonic()
        return self._auth


def _describe(response: httpx.Response) -> str:
    try:
        return f"HTTP {response.status_code} {response.json().get('code')}"
    except ValueError:
        return f"HTTP {response.status_code} {response.content[:120]!r}"


async def time_endpoint(
    client: httpx.AsyncClient,
    accountant: Accountant,
    endpoint: Endpoint,
    runs: int,
    timer: StatementTimer | None = None,
) -> Timing:
    query = "&".join(f"{key}={value}" for key, value in endpoint.params.items())
    timing = Timing(endpoint.name, f"GET {endpoint.path}?{query}")
    started = time.monotonic()
    answers: list[httpx.Response] = []
    for run in range(runs + 1):
        auth = accountant.auth()
        statements: list[tuple[str, float]] = []
        if timer is not None:
            timer.recording = statements
        before = time.perf_counter()
        response = await client.get(endpoint.path, params=endpoint.params, auth=auth)
        elapsed_ms = (time.perf_counter() - before) * 1000
        if timer is not None:
            timer.recording = None
            timing.statements.append([(name, seconds * 1000) for name, seconds in statements])
        if response.status_code != 200:
            timing.errors.append(f"run {run}: {_describe(response)}")
            break
        if run == 0:
            timing.cold_ms = elapsed_ms
        else:
            timing.runs_ms.append(elapsed_ms)
        timing.bytes = len(response.content)
        answers.append(response)
        if time.monotonic() - started > SECONDS_PER_REPORT:
            timing.errors.append(f"stopped after {run + 1} runs: over {SECONDS_PER_REPORT:.0f} s")
            break
    # The first and the last answer, figure by figure (outside the timed part).
    for label, response in {"first": answers[0], "last": answers[-1]}.items() if answers else ():
        body: Any = response.content if endpoint.archive else response.json()
        timing.problems += [f"{label} answer: {problem}" for problem in endpoint.check(body)]
    return timing


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def serve_reports(
    database_url: str, signing_key: SigningKey
) -> AsyncIterator[tuple[str, StatementTimer]]:
    """The reports service on a real socket in this process, as tests/conftest.py serves it,
    with its own database login and a verifier that holds the bench's signing key; and the
    timer of the SQL it sends."""
    from services.reports.app import create_app

    settings = platform_settings()
    database = TenantDatabase(database_url)
    timer = StatementTimer(database)
    verifier = TokenVerifier(
        keys=StaticKeySource(jwks_document([signing_key])),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(database, verifier),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
        access_log=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}", timer
    finally:
        server.should_exit = True
        await task
        await database.dispose()


async def measure(venue: VenueYear, reports_url: str, runs: int) -> list[Timing]:
    signing_key = SigningKey.generate()
    accountant = Accountant(signing_key, venue.tenant_id)
    timings = []
    async with (
        serve_reports(reports_url, signing_key) as (base_url, timer),
        httpx.AsyncClient(base_url=base_url, timeout=SECONDS_PER_REPORT) as client,
    ):
        # Opens the service's connection pool, so no cold figure below includes it.
        opened = await client.get("/v1/reports/closures", auth=accountant.auth())
        if opened.status_code != 200:
            raise RuntimeError(f"GET /v1/reports/closures: {_describe(opened)}")
        for endpoint in endpoints(venue):
            timing = await time_endpoint(client, accountant, endpoint, runs, timer)
            timings.append(_progress(timing))
    return timings


def _progress(timing: Timing) -> Timing:
    def ms(value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.0f} ms"

    verdict = "WRONG" if timing.problems else ("ERROR" if timing.errors else "ok")
    print(
        f"  {timing.name}: cold {ms(timing.cold_ms)}, median {ms(timing.median_ms)}, "
        f"p95 {ms(timing.percentile_ms(95))} [{verdict}]",
        flush=True,
    )
    for problem in (timing.errors + timing.problems)[:5]:
        print(f"    {problem}", flush=True)
    return timing


# ---------------------------------------------------------------------------------------------
# The generated year, checked against the orders service's own reading of it.


async def check_z_reports(orders_url: str, venue: VenueYear, sample: int) -> list[str]:
    """Stored Z reports of a sample of shifts against `shift_report` over the facts the
    orders service reads for them (ShiftRepository.facts): the generator's books must be the
    books the service would have kept."""
    step = max(1, len(venue.shift_ids) // sample)
    shift_ids = venue.shift_ids[::step][:sample]
    derived = {
        "kind",
        "status",
        "as_of",
        "counted",
        "difference",
        "closed_by",
        "closed_at",
        "force_closed_by",
        "note",
        "version",
    }
    problems = []
    database = TenantDatabase(orders_url, pool_size=1)
    reader = Principal(subject=SUBJECT, tenant_id=venue.tenant_id, role=Role.ACCOUNTANT)
    try:
        async with database.snapshot(reader) as connection:
            shifts = ShiftRepository.from_connection(connection)
            for shift_id in shift_ids:
                shift = await shifts.get(shift_id)
                stored = await shifts.stored_z_report(shift_id)
                if shift is None or stored is None:
                    problems.append(f"shift {shift_id}: not found, or no Z report")
                    continue
                live = shift_report(await shifts.facts(shift)).model_dump(mode="json")
                problems += [
                    f"shift {shift_id}: {key} stored {stored.get(key)!r}, facts {value!r}"
                    for key, value in live.items()
                    if key not in derived and stored.get(key) != value
                ]
    finally:
        await database.dispose()
    return problems


async def table_sizes(admin_url: str) -> dict[str, int]:
    connection = await asyncpg.connect(admin_url)
    try:
        rows = await connection.fetch(
            "SELECT relname, pg_total_relation_size(oid) AS bytes FROM pg_class "
            "WHERE relnamespace = 'orders'::regnamespace AND relkind = 'r' "
            "AND relname IN ('orders', 'order_lines', 'payments', 'refunds', 'shifts')"
        )
        return {row["relname"]: int(row["bytes"]) for row in rows}
    finally:
        await connection.close()


# ---------------------------------------------------------------------------------------------
# Results.


@dataclass
class ReportsBench:
    machine: dict[str, Any]
    parameters: dict[str, Any]
    load: dict[str, Any]
    timings: list[Timing]
    z_report_problems: list[str]

    @property
    def failed(self) -> bool:
        return bool(self.z_report_problems) or any(timing.failed for timing in self.timings)

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "parameters": self.parameters,
            "command": COMMAND,
            "goal_seconds": GOAL_SECONDS,
            "load": self.load,
            "reports": [timing.as_dict() for timing in self.timings],
            "generated_z_reports_problems": self.z_report_problems,
        }

    def markdown(self) -> str:
        def ms(value: float | None) -> str:
            return "n/a" if value is None else f"{value:,.0f}"

        rows = [
            "| report | request | cold ms | median ms | p95 ms | runs | answer | within 1 s |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for t in self.timings:
            verdict = "yes" if t.within_goal else "**no**"
            if t.failed:
                verdict = "**wrong figures**" if t.problems else "**error**"
            rows.append(
                f"| {t.name} | `{t.request.replace(str(self.parameters['location_id']), '…')}` "
                f"| {ms(t.cold_ms)} | {ms(t.median_ms)} | {ms(t.percentile_ms(95))} "
                f"| {len(t.runs_ms)} | {t.bytes / 1024:,.0f} KiB | {verdict} |"
            )
        machine, parameters, load = self.machine, self.parameters, self.load
        counts = load["counts"]
        lines = [
            "# Reports over a venue-year",
            "",
            f"{machine['date']}, commit {machine['git_commit'] or 'unknown'}, "
            f"{machine['nproc']} CPUs, Python {machine['python']}, "
            f"Postgres {machine['postgres']} (shared_buffers {parameters['shared_buffers']}); "
            "load average before timing "
            f"{', '.join(str(v) for v in parameters['load_average_before_timing'])}.",
            f"One venue's year {YEAR} (bench/venue_year.py, seed {parameters['seed']}): "
            f"{counts['orders']:,} orders ({counts['closed_orders']:,} paid, "
            f"{counts['voided_orders']:,} voided), {counts['order_lines']:,} lines, "
            f"{counts['payments'] + counts['declined_payments']:,} payments, "
            f"{counts['refunds']:,} refunds, {counts['shifts']:,} shifts with Z reports; "
            f"loaded in {load['seconds']:.0f} s ({counts['rows']:,} rows, COPY), of which "
            f"{load.get('facts_seconds', 0):.0f} s building the daily facts from the loaded "
            "orders (`services.orders.day_facts.rebuild`).",
            "",
            "The goal: each report within 1 s (cold and p95) over the venue-year.",
            "",
            *rows,
            "",
            f"An accountant's session over HTTP (DPoP proof per request) to the reports service "
            f"under uvicorn in the bench's process, one request at a time; cold is each "
            f"report's first run, then {parameters['runs']} runs give the median and p95. "
            "Every answer was 200 and the first and last of each carried exactly the figures "
            "worked out while generating the year"
            + (" **except as marked**." if self.failed else ".")
            + " The bench's own objects (the year's figures it checks against, "
            f"{parameters.get('objects_frozen_before_timing', 0):,}) are frozen out of the "
            "garbage collector before timing: a full collection scanning them had landed "
            "inside a timed request (the year's summary 1.1 s cold in two runs of three), a "
            "heap no service process holds.",
        ]
        for t in self.timings:
            for problem in (t.errors + t.problems)[:10]:
                lines.append(f"- **{t.name}**: {problem}")
        for problem in self.z_report_problems[:10]:
            lines.append(f"- **generated Z report**: {problem}")
        lines += [
            "",
            "## Where the time went",
            "",
            "The service's SQL, timed at its engine (SQLAlchemy cursor events: from sending a "
            "statement to its last row): per report, the SQL of the cold run and the median of "
            "the measured runs, and the statements (named after services/reports/"
            "repository.py's constants) taking 5 ms or more, cold → median ms.",
            "",
            "| report | SQL ms, cold | SQL ms, median | statements, cold → median ms |",
            "| --- | ---: | ---: | --- |",
        ]
        for t in self.timings:
            measured = [t.sql_ms(run) for run in range(1, len(t.statements))]
            slowest = "; ".join(
                f"{name} {cold:,.0f} → {median:,.0f}"
                for name, cold, median in t.statement_summary()
                if max(cold, median) >= 5
            )
            lines.append(
                f"| {t.name} | {ms(t.sql_ms(0) if t.statements else None)} "
                f"| {ms(statistics.median(measured) if measured else None)} | {slowest} |"
            )
        lines += BEFORE_THE_FACTS
        lines += [
            "",
            f"Reproduce: `{COMMAND}` (or `make bench`; `--quick`: {QUICK_ORDERS:,} orders). "
            f"Client, service and Postgres share the {machine['nproc']}-core machine.",
            "",
        ]
        return "\n".join(lines)

    def write(self) -> None:
        write_result(RESULTS / "reports.json", json.dumps(self.as_json(), indent=2) + "\n")
        write_result(RESULTS / "reports.md", self.markdown())


# What the reports cost before they read the daily facts (issue 24), and why they cost it.
BEFORE_THE_FACTS = [
    "",
    "## Before the daily facts",
    "",
    "Until issue 24 every report rolled the orders up itself (`width_bucket` of each order's "
    "instant over the period's day boundaries, `jsonb_to_recordset` of each order's tax), so "
    "its time grew with the orders in the period: over this venue-year the year's daily "
    "summary took 1.85 s (median), the year's BAS 0.98 s and one month's item mix 0.69 s "
    "(a year's about ten times that). The profile was all in Postgres: the year's summary "
    "read ~500,000 orders five times (sales, tax per rate, voids, payments, refunds), the "
    "BAS unpacked ~500,000 tax JSON arrays, and the item mix joined every line of the "
    "period to its order.",
    "",
    "Now the orders service keeps per-location, per-day, per-register facts as each sale "
    "commits (orders.day_sales, day_tenders, day_tax, day_items, day_modifiers; "
    'docs/reports.md, "Daily facts"), and every report sums at most a few thousand of '
    "their rows: a year is 365 days × 3 registers, and per tender, tax rate or item. Its "
    "time no longer depends on how many orders the period holds. What is left of a year's "
    "daily summary is mostly Python, not SQL (the table above): adding up and rendering 365 "
    "day summaries, ~350 KiB of JSON.",
]


async def _shared_buffers(admin_url: str) -> str:
    connection = await asyncpg.connect(admin_url)
    try:
        return str(await connection.fetchval("SHOW shared_buffers"))
    finally:
        await connection.close()


def run(orders: int, runs: int, seed: int) -> ReportsBench:
    prepared = prepare_database(DATABASE, fresh=True)
    try:
        urls = prepared.service_urls
        started = time.perf_counter()
        venue = asyncio.run(
            generate(prepared.admin_url, orders=orders, seed=seed, year=YEAR, service_urls=urls)
        )
        load_seconds = time.perf_counter() - started
        print(f"bench: {orders:,} orders loaded in {load_seconds:.0f} s", flush=True)
        z_problems = asyncio.run(check_z_reports(urls["orders"], venue, Z_REPORT_SAMPLE))
        # The year's generated figures (millions of objects the checks compare against) live in
        # this process beside the service, which no service process has: a full collection
        # scanning them once landed inside a timed request (the year's daily summary 1.1 s
        # cold in two runs, 0.13 s in another). Frozen, the collector scans only what the
        # requests themselves allocate, as it would in the service's own process.
        gc.collect()
        gc.freeze()
        frozen = gc.get_freeze_count()
        # The machine may be shared: what else was running when the timing started.
        load_average = os.getloadavg()
        timings = asyncio.run(measure(venue, urls["reports"], runs))
        gc.unfreeze()
        postgres = asyncio.run(postgres_version(prepared.admin_url))
        shared_buffers = asyncio.run(_shared_buffers(prepared.admin_url))
        sizes = asyncio.run(table_sizes(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    return ReportsBench(
        machine=machine_info(postgres),
        parameters={
            "orders": orders,
            "seed": seed,
            "runs": runs,
            "year": YEAR,
            "day": str(DAY),
            "location_id": str(venue.location_id),
            "tenant_id": str(venue.tenant_id),
            "shared_buffers": shared_buffers,
            "server": "uvicorn in the bench process, one worker",
            "objects_frozen_before_timing": frozen,
            "load_average_before_timing": [round(value, 2) for value in load_average],
        },
        load={
            "seconds": round(load_seconds, 1),
            "facts_seconds": round(venue.facts_seconds, 1),
            "counts": venue.counts,
            "table_bytes": sizes,
        },
        timings=timings,
        z_report_problems=z_problems,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reports",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ORDERS:,} orders")
    parser.add_argument("--orders", type=int, help=f"in the year (default {ORDERS:,})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed per report ({RUNS})")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    orders = options.orders or (QUICK_ORDERS if options.quick else ORDERS)
    print(f"bench: a venue-year of {orders:,} orders, {options.runs} runs per report", flush=True)
    report = run(orders, options.runs, options.seed)
    report.write()
    print(report.markdown())
    if report.failed:
        print("bench: errors or wrong figures; see bench/results/reports.md", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
