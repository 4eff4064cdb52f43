"""What the audit append costs a write: the same small business write with and without
`AuditLog.append` in its transaction, as a ratio (`make bench`).

    .venv/bin/python -m bench.audit [--quick]

Every write a service makes carries an audit row in the same transaction, and a tenant's
appends serialise on its chain head row (libs/audit/append.py). This measures what that costs
the till, so the figure is known rather than guessed: per transaction, and for one busy tenant
whose writers all queue on one head row. An append is held back to its transaction's last
statement (one statement chains and writes all of a transaction's entries), so a writer holds
the head row's lock from that statement to its commit only.

The write is a paid out from an open shift: one `orders.cash_movements` row, inserted as the
shifts repository inserts it (SQLAlchemy Core), through `TenantDatabase.transaction(principal)`
under the orders service's own login, as a request would. "With audit" adds
`AuditLog.from_connection(connection, service="orders").append(...)` with the six-field
payload the service writes for a paid out. The service also locks the shift and bumps its
version; that is left out here, so the write alone never waits for another writer and the
single-tenant scenarios show the chain head's serialisation, not the shift's.

Scenarios: 100 tenants at concurrency 8 (writers rarely share a head), 1 tenant at
concurrency 8 (every writer queues on one head), 1 tenant at concurrency 1 (no contention:
the append's own work). Each side is measured in two halves, without-with-with-without, so a
drift in the machine's speed (a shared Postgres, a noisy neighbour) falls on both sides alike.

Afterwards every tenant's chain is verified by the audit service's own code (what
`GET /v1/audit/verify` runs) under its login: gapless, every entry linked to and hashed over
the one before it, the head at the last entry, and exactly as many benchmark entries as
appends committed. A broken chain fails the run. The verification is timed too: entries per
second is what a reviewer's `verify` of a long log costs.

Runs on its own fresh database `halopos_bench_audit`. Writes bench/results/audit.json and
audit.md; exits 1 if any transaction failed or any chain does not verify.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg
import sqlalchemy as sa

from bench.load import LoadSettings, Measurement, Operation, measure
from bench.orders import DPOP_ALGORITHM, open_tills, provision_tenants
from bench.report import RESULTS, machine_info, postgres_version, write_result
from clients.dpop import DeviceKey
from libs.audit.append import Actor, AuditLog
from libs.audit.checkpoints import CheckpointSigner
from libs.audit.models import events
from libs.auth.principal import Principal
from libs.rbac.matrix import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import prepare_database
from services.audit.verification.service import verify_log
from services.orders.models import cash_movements
from tests.support.database import as_tenant

DATABASE = "halopos_bench_audit"
TENANTS = 100
SUBJECT = "bench-cashier"
CURRENCY = "AUD"
KIND = "paid_out"
ACTION = f"shift.{KIND}"
AMOUNT_MINOR = 2_350
REASON = "Milk from the corner shop"
# TenantDatabase's default pool: more connections than the busiest scenario's writers.
POOL_SIZE = 10
TIME_LIMIT_SECONDS = 60.0
COMMAND = ".venv/bin/python -m bench.audit"
WITHOUT, WITH = "without audit", "with audit"


# The same bench at the commit before appends were held back (each append took the head's
# lock at the append, with two statements and the hashing in Python between them), on this
# machine, the same day: the figures the results compare with.
BEFORE_COMMIT = "39a2b67"  # run 2026-12-07T03:03:25+00:00
BEFORE_BUSY_RATIO = 0.46  # one chain head: with audit ÷ without (the table's ratio)
BEFORE_BUSY_OVER_SPREAD = 822.3 / 942.1  # with-audit tx/s, 1 tenant ÷ 100 tenants
BUSY = "1 tenant, concurrency 8 (one chain head)"
SPREAD = "100 tenants, concurrency 8"


@dataclass(frozen=True)
class Scenario:
    name: str
    tenants: int
    concurrency: int


SCENARIOS = (
    Scenario(f"{TENANTS} tenants, concurrency 8", TENANTS, 8),
    Scenario("1 tenant, concurrency 8 (one chain head)", 1, 8),
    Scenario("1 tenant, concurrency 1", 1, 1),
)


@dataclass(frozen=True)
class Till:
    """A cashier signed in at a tenant's register, and the shift open on it."""

    principal: Principal
    shift_id: UUID


@dataclass
class Result:
    scenario: Scenario
    without: Measurement
    with_audit: Measurement

    @property
    def ratio(self) -> float | None:
        without = self.without.throughput_per_second
        return self.with_audit.throughput_per_second / without if without else None

    @property
    def failed(self) -> bool:
        return any(
            m.errors or m.aborted or m.warmup_errors for m in (self.without, self.with_audit)
        )


@dataclass
class ChainCheck:
    tenants: int = 0
    entries: int = 0
    benchmark_entries: int = 0
    # Time spent verifying, all tenants and the longest chain (entries/s for a reviewer).
    seconds: float = 0.0
    largest_entries: int = 0
    largest_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def paid_out(
    database: TenantDatabase, tills: Sequence[Till], *, audited: bool, appended: Counter[UUID]
) -> Operation:
    """One paid out per operation, round-robin over the tills; with `audited`, its audit
    entry too, counted per tenant once committed (the chain check expects exactly these)."""

    async def operation(number: int) -> str | None:
        till = tills[number % len(tills)]
        movement_id = uuid.uuid4()
        async with database.transaction(till.principal) as connection:
            await connection.execute(
                sa.insert(cash_movements).values(
                    id=movement_id,
                    shift_id=till.shift_id,
                    kind=KIND,
                    amount_minor=AMOUNT_MINOR,
                    reason=REASON,
                    created_by=till.principal.subject,
                )
            )
            if audited:
                await AuditLog.from_connection(connection, service="orders").append(
                    actor=Actor.of(till.principal),
                    action=ACTION,
                    resource_type="shift",
                    resource_id=str(till.shift_id),
                    payload={
                        "cash_movement_id": str(movement_id),
                        "kind": KIND,
                        "amount_minor": AMOUNT_MINOR,
                        "currency": CURRENCY,
                        "reason": REASON,
                        "device_id": str(till.principal.device_id),
                    },
                )
        if audited:
            appended[till.principal.tenant_id] += 1
        return None

    return operation


def _combined(name: str, halves: Sequence[Measurement]) -> Measurement:
    combined = Measurement(name)
    for half in halves:
        combined.requests += half.requests
        combined.errors += half.errors
        combined.elapsed_seconds += half.elapsed_seconds
        combined.aborted = combined.aborted or half.aborted
        combined.warmup_errors += half.warmup_errors
        combined.latencies_ms.extend(half.latencies_ms)
        combined.error_kinds.update(half.error_kinds)
    return combined


async def measure_scenario(
    url: str,
    scenario: Scenario,
    tills: Sequence[Till],
    settings: LoadSettings,
    appended: Counter[UUID],
) -> Result:
    half = LoadSettings(
        concurrency=scenario.concurrency,
        warmup=settings.warmup,
        requests=settings.requests // 2,
        time_limit_seconds=settings.time_limit_seconds,
    )
    database = TenantDatabase(url, pool_size=POOL_SIZE)
    halves: dict[bool, list[Measurement]] = {False: [], True: []}
    try:
        for audited in (False, True, True, False):
            operation = paid_out(database, tills, audited=audited, appended=appended)
            side = WITH if audited else WITHOUT
            halves[audited].append(await measure(f"{scenario.name}, {side}", operation, half))
    finally:
        await database.dispose()
    return Result(
        scenario,
        without=_combined(f"{scenario.name}, {WITHOUT}", halves[False]),
        with_audit=_combined(f"{scenario.name}, {WITH}", halves[True]),
    )


_OPEN_SHIFT = "SELECT id FROM orders.shifts WHERE register_id = $1 AND status = 'open'"


async def open_shifts(orders_url: str, tills: Sequence[tuple[UUID, UUID, UUID]]) -> list[Till]:
    """The shift open at each (tenant, location, device) register, read as the orders login."""
    connection = await asyncpg.connect(orders_url)
    opened = []
    try:
        for tenant_id, location_id, device_id in tills:
            async with as_tenant(connection, tenant_id):
                shift_id = await connection.fetchval(_OPEN_SHIFT, device_id)
            principal = Principal(
                subject=SUBJECT,
                tenant_id=tenant_id,
                role=Role.CASHIER,
                location_id=location_id,
                device_id=device_id,
            )
            opened.append(Till(principal, shift_id))
    finally:
        await connection.close()
    return opened


async def check_chains(
    audit_url: str, tenants: Sequence[UUID], appended: Counter[UUID]
) -> ChainCheck:
    """Every tenant's chain verified as `GET /v1/audit/verify` verifies it (the audit
    service's login, one snapshot, gapless, linked, recomputed, head at the last entry),
    timed, and with exactly as many benchmark entries as appends were committed."""
    check = ChainCheck()
    database = TenantDatabase(audit_url, pool_size=1)
    signer = CheckpointSigner.generate()  # no checkpoints are signed here; none to check
    try:
        for tenant in tenants:
            reader = Principal(subject="bench", tenant_id=tenant, role=Role.ACCOUNTANT)
            async with database.snapshot(reader) as connection:
                started = time.perf_counter()
                result = await verify_log(
                    connection, tenant_id=tenant, signer=signer, origin=f"bench/{tenant}"
                )
                elapsed = time.perf_counter() - started
                written = await connection.scalar(
                    sa.select(sa.func.count()).where(events.c.action == ACTION)
                )
            check.tenants += 1
            check.entries += result.entries
            check.seconds += elapsed
            check.benchmark_entries += written or 0
            if result.entries > check.largest_entries:
                check.largest_entries, check.largest_seconds = result.entries, elapsed
            if result.first_break is not None:
                broken = result.first_break
                check.problems.append(f"tenant {tenant}: entry {broken.seq}: {broken.reason}")
            if written != appended[tenant]:
                check.problems.append(
                    f"tenant {tenant}: {written} benchmark entries, {appended[tenant]} committed"
                )
    finally:
        await database.dispose()
    return check


@dataclass
class AuditReport:
    machine: dict[str, Any]
    parameters: dict[str, Any]
    results: list[Result]
    chains: ChainCheck

    @property
    def failed(self) -> bool:
        return bool(self.chains.problems) or any(result.failed for result in self.results)

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "parameters": self.parameters,
            "command": COMMAND,
            "scenarios": [
                {
                    "name": result.scenario.name,
                    "tenants": result.scenario.tenants,
                    "concurrency": result.scenario.concurrency,
                    "without_audit": result.without.as_dict(),
                    "with_audit": result.with_audit.as_dict(),
                    "with_over_without": None if result.ratio is None else round(result.ratio, 3),
                }
                for result in self.results
            ],
            "chains": {
                "tenants_verified": self.chains.tenants,
                "entries_verified": self.chains.entries,
                "benchmark_entries": self.chains.benchmark_entries,
                "verify_seconds": round(self.chains.seconds, 3),
                "largest_chain_entries": self.chains.largest_entries,
                "largest_chain_verify_seconds": round(self.chains.largest_seconds, 3),
                "problems": self.chains.problems,
            },
        }

    def markdown(self) -> str:
        def number(value: float | None, digits: int = 1) -> str:
            return "n/a" if value is None else f"{value:,.{digits}f}"

        def pair(result: Result, percent: int) -> str:
            return " / ".join(
                number(m.percentile_ms(percent)) for m in (result.without, result.with_audit)
            )

        rows = [
            "| scenario | without audit tx/s | with audit tx/s | ratio | p50 ms without / with "
            "| p99 ms without / with |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for result in self.results:
            rows.append(
                f"| {result.scenario.name} | {number(result.without.throughput_per_second)} "
                f"| {number(result.with_audit.throughput_per_second)} "
                f"| {number(result.ratio, 2)} | {pair(result, 50)} | {pair(result, 99)} |"
            )
        machine, parameters, chains = self.machine, self.parameters, self.chains
        lines = [
            "# The audit append: the same write with and without it",
            "",
            f"{machine['date']}, commit {machine['git_commit'] or 'unknown'}, "
            f"{machine['nproc']} CPUs, Python {machine['python']}, "
            f"Postgres {machine['postgres']}.",
            f"The write: one paid out (`orders.cash_movements` row) in "
            "`TenantDatabase.transaction(principal)` under the orders login; with audit, plus "
            f"`AuditLog.append` of a {parameters['payload_fields']}-field payload. "
            f"{parameters['requests']:,} transactions per side per scenario (two halves, "
            f"without-with-with-without, each after {parameters['warmup']:,} warm-up), "
            f"pool of {parameters['pool_size']} connections.",
            "",
            *rows,
            "",
            "ratio: with-audit throughput divided by without-audit throughput, same run.",
            f"Chains verified afterwards: {chains.tenants} tenants, {chains.entries:,} entries "
            f"({chains.benchmark_entries:,} from this run): "
            + ("gapless and unbroken." if not chains.problems else "**BROKEN.**"),
            "",
            "Verifying (`GET /v1/audit/verify`'s code, under the audit login): "
            f"{chains.entries:,} entries in {chains.seconds:.2f} s "
            f"({chains.entries / max(chains.seconds, 1e-9):,.0f} entries/s); the longest "
            f"chain, {chains.largest_entries:,} entries, in {chains.largest_seconds:.2f} s "
            f"({chains.largest_entries / max(chains.largest_seconds, 1e-9):,.0f} entries/s).",
        ]
        lines += self._before_and_after()
        lines += [f"**{problem}**" for problem in chains.problems[:10]]
        for result in self.results:
            for m in (result.without, result.with_audit):
                if m.errors or m.aborted or m.warmup_errors:
                    kinds = "; ".join(f"{k} ×{n}" for k, n in m.error_kinds.most_common(5))
                    lines.append(
                        f"**{m.name}: {m.errors} errors, {m.warmup_errors} in warm-up"
                        f"{', aborted at the time limit' if m.aborted else ''}.** {kinds}"
                    )
        lines += [
            "",
            f"Reproduce: `{COMMAND}` (or `make bench`). The load generator shares the "
            f"{machine['nproc']}-core machine with Postgres, so absolute figures are lower "
            "bounds; compare the ratios.",
            "",
        ]
        return "\n".join(lines)

    def _before_and_after(self) -> list[str]:
        by_name = {result.scenario.name: result for result in self.results}
        busy, spread = by_name.get(BUSY), by_name.get(SPREAD)
        if busy is None or spread is None or busy.ratio is None:
            return []
        spread_rate = spread.with_audit.throughput_per_second
        busy_over_spread = busy.with_audit.throughput_per_second / spread_rate if spread_rate else 0
        return [
            "",
            f"One busy business: with audit ÷ without, {busy.ratio:.2f} (before held-back "
            f"appends, commit {BEFORE_COMMIT}: {BEFORE_BUSY_RATIO:.2f}); one business's "
            f"audited writes ÷ 100 businesses', {busy_over_spread:.2f} (before: "
            f"{BEFORE_BUSY_OVER_SPREAD:.2f}). Why: a writer used to lock its business's chain "
            "head at its append and hold it through a second statement, the hashing in Python "
            "between them, and the commit; "
            "now a transaction's entries are written by its last statement, which locks the "
            "head, chains and hashes them in Postgres and moves the head, so the lock is held "
            "for that one statement and the commit. This write appends last anyway, so the "
            "gain here is that round trip; transactions that append before other work gain "
            "their whole remaining work. What is left of the lock is mostly the holder waiting "
            "for its own (busy) client to send COMMIT, not the disk: the same ratio with "
            "`synchronous_commit = off`.",
        ]

    def write(self) -> None:
        write_result(RESULTS / "audit.json", json.dumps(self.as_json(), indent=2) + "\n")
        write_result(RESULTS / "audit.md", self.markdown())


def _progress(result: Result) -> Result:
    print(
        f"  {result.scenario.name}: {result.without.throughput_per_second:,.0f} -> "
        f"{result.with_audit.throughput_per_second:,.0f} tx/s "
        f"(x{result.ratio or 0:.2f})",
        flush=True,
    )
    return result


def run(settings: LoadSettings, tenant_count: int) -> AuditReport:
    prepared = prepare_database(DATABASE, fresh=True)
    appended: Counter[UUID] = Counter()
    results = []
    try:
        urls = prepared.service_urls
        tenants = asyncio.run(provision_tenants(urls, tenant_count))
        keys = [DeviceKey.generate(DPOP_ALGORITHM) for _ in tenants]
        registers = asyncio.run(open_tills(urls, tenants, keys))
        tills = asyncio.run(
            open_shifts(
                urls["orders"], [(r.tenant_id, r.location_id, r.device_id) for r in registers]
            )
        )
        print(f"bench: {len(tills)} tenants provisioned, each with an open shift", flush=True)
        for scenario in SCENARIOS:
            scenario_tills = tills[: scenario.tenants]
            result = asyncio.run(
                measure_scenario(urls["orders"], scenario, scenario_tills, settings, appended)
            )
            results.append(_progress(result))
        chains = asyncio.run(check_chains(urls["audit"], tenants, appended))
        postgres = asyncio.run(postgres_version(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    return AuditReport(
        machine=machine_info(postgres),
        parameters={
            "requests": settings.requests,
            "warmup": settings.warmup,
            "time_limit_seconds": settings.time_limit_seconds,
            "tenants": tenant_count,
            "pool_size": POOL_SIZE,
            "payload_fields": 6,
            "write": "INSERT orders.cash_movements (SQLAlchemy Core)",
        },
        results=results,
        chains=chains,
    )


def parse_settings(argv: Sequence[str] | None) -> LoadSettings:
    parser = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: 400 per side, 50 warm-up")
    parser.add_argument("--requests", type=int, help="measured per side per scenario (4000)")
    parser.add_argument("--warmup", type=int, help="not measured, before each half (200)")
    options = parser.parse_args(argv)
    return LoadSettings(
        concurrency=0,  # per scenario
        warmup=options.warmup if options.warmup is not None else (50 if options.quick else 200),
        requests=options.requests or (400 if options.quick else 4000),
        time_limit_seconds=TIME_LIMIT_SECONDS,
    )


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_settings(argv)
    print(f"bench: {settings.requests} transactions per side per scenario", flush=True)
    report = run(settings, TENANTS)
    report.write()
    print(report.markdown())
    if report.failed:
        print("bench: errors or a broken chain; see bench/results/audit.md", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
