"""How long a receipt takes to reach the printer: from the till's close answer to the last
byte of that receipt on the printer's socket (`make bench`).

    .venv/bin/python -m bench.printing [--quick] [--sales N] [--polling-sales N]

The platform runs as bench/orders.py runs it (its own database `halopos_bench_printing`,
identity, orders, bridge and gateway processes on ports 18000-18006). One tenant is
provisioned with a location, a till (register 1, shift open) and a menu; an owner creates a
Bridge token through the gateway. The reference agent (services/bridge/agent/) runs as its
own process, as on a venue's Bridge, against the gateway, printing to a fake network printer
(a TCP server in this process that timestamps what it receives).

Then sales are rung up one after another through the gateway (order, card payment, close).
For each, the clock starts when the close answer has arrived (the receipt is issued and
its print job committed) and stops when the last byte of the bytes holding that receipt's
number reaches the printer. Two ways of fetching jobs are measured:

- long-poll (the agent's default): a poll waits up to 25 s and is answered as soon as a job
  is queued (Postgres NOTIFY wakes it);
- polling every 2 s, as printers with a cloud-polling protocol (e.g. Star CloudPRNT) do. Each
  sale starts at a random moment (0-2 s pause) so closes fall anywhere in the poll cycle.

Writes bench/results/printing.json and printing.md; exits 1 if any receipt was not printed
exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.load import Measurement
from bench.orders import (
    DPOP_ALGORITHM,
    GATEWAY_PORT,
    LINES,
    PUBLIC_URL,
    Platform,
    Register,
    Till,
    cashier_tills,
    environment,
    open_tills,
    provision_tenants,
    service_port,
    write_secret,
)
from bench.report import RESULTS, machine_info, postgres_version, write_result
from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from doubles.printer import FakePrinter
from libs.rbac.matrix import Role
from ops.platform import prepare_database
from ops.state import REPO
from services.identity.keys.signing import SigningKey
from tests.support.tokens import access_token

DATABASE = "halopos_bench_printing"
COMMAND = ".venv/bin/python -m bench.printing"
SERVICES = ("identity", "orders", "bridge")
LONG_POLL_WAIT = 25
POLL_INTERVAL = 2.0
# Longest a sale waits for its receipt before counting it as not printed.
GIVE_UP_SECONDS = 30.0
# Receipt numbers as the orders service issues them: R<register>-<sequence>.
RECEIPT_NUMBER = re.compile(rb"R\d+-\d+")
LONG_POLL = "long-poll (wait 25 s)"
POLLING = f"polling every {POLL_INTERVAL:g} s"


class CapturePrinter(FakePrinter):
    """The fake network printer, keeping for each job the receipt number in its bytes and when
    its last byte arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.receipts: dict[str, list[float]] = defaultdict(list)
        self.unreadable = 0
        self._arrived = asyncio.Condition()

    async def received(self, content: bytes, *, last_byte_at: float) -> None:
        match = RECEIPT_NUMBER.search(content)
        async with self._arrived:
            if match is None:
                self.unreadable += 1
            else:
                self.receipts[match.group().decode("ascii")].append(last_byte_at)
            self._arrived.notify_all()

    async def wait_for(self, number: str) -> float:
        """When the first copy of receipt `number` finished arriving."""
        async with asyncio.timeout(GIVE_UP_SECONDS), self._arrived:
            await self._arrived.wait_for(lambda: number in self.receipts)
        return self.receipts[number][0]


@dataclass
class Scenario:
    name: str
    agent_options: tuple[str, ...]
    sales: int
    warmup: int
    # Upper bound of a random pause before each sale (s), to land anywhere in a poll cycle.
    pause: float = 0.0
    print_ms: Measurement = field(init=False)
    close_ms: list[float] = field(default_factory=list)
    duplicates: int = 0
    agent_exit: int | None = None

    def __post_init__(self) -> None:
        self.print_ms = Measurement(self.name)

    @property
    def failed(self) -> bool:
        return bool(self.print_ms.errors or self.duplicates or self.agent_exit)

    def as_dict(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        latencies = self.print_ms.latencies_ms
        return {
            "name": self.name,
            "agent": f"python -m services.bridge.agent {' '.join(self.agent_options)}",
            "sales": self.sales,
            "warmup": self.warmup,
            "printed": len(latencies),
            "errors": self.print_ms.errors,
            "error_kinds": dict(self.print_ms.error_kinds.most_common(5)),
            "duplicates": self.duplicates,
            "agent_exit_status": self.agent_exit,
            "close_to_printed_ms": {
                **{f"p{p}": rounded(self.print_ms.percentile_ms(p)) for p in (50, 90, 99)},
                "max": rounded(max(latencies, default=None)),
            },
            "close_request_ms_p50": rounded(_median(self.close_ms)),
        }


def _median(values: Sequence[float]) -> float | None:
    measured = Measurement("", latencies_ms=list(values))
    return measured.percentile_ms(50)


class SaleFailed(Exception):
    pass


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any], auth: DPoPAuth) -> Any:
    response = await client.post(path, json=body, auth=auth)
    if response.status_code not in (200, 201):
        raise SaleFailed(f"{path.rsplit('/', 1)[-1]}: HTTP {response.status_code}")
    return response.json()


async def sell(client: httpx.AsyncClient, till: Till, auth: DPoPAuth) -> tuple[str, float, float]:
    """Rings up the till's usual order, pays by card and closes it: the receipt number, when
    the close answer arrived, and how long the close took (ms)."""
    order = await _post(client, "/v1/orders", json.loads(till.order_body), auth)
    paid = await _post(
        client,
        f"/v1/orders/{order['id']}/payments",
        {"version": order["version"], "tender": "card"},
        auth,
    )
    started = time.perf_counter()
    closed = await _post(
        client, f"/v1/orders/{order['id']}/close", {"version": paid["order"]["version"]}, auth
    )
    arrived = time.perf_counter()
    return str(closed["receipt"]["number"]), arrived, (arrived - started) * 1000


async def run_scenario(
    scenario: Scenario, till: Till, bridge_token: str, printer: CapturePrinter
) -> Scenario:
    agent = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.bridge.agent",
        "--url",
        PUBLIC_URL,
        "--printer",
        f"receipt=tcp://127.0.0.1:{printer.port}",
        "--log-level",
        "WARNING",
        *scenario.agent_options,
        cwd=REPO,
        env={**os.environ, "HALOPOS_BRIDGE_TOKEN": bridge_token},
    )
    auth = DPoPAuth(till.key, till.access_token, public_url=PUBLIC_URL)
    measured = scenario.print_ms
    try:
        async with httpx.AsyncClient(base_url=PUBLIC_URL, timeout=30) as client:
            for sale in range(scenario.warmup + scenario.sales):
                if scenario.pause:
                    await asyncio.sleep(random.uniform(0, scenario.pause))
                counted = sale >= scenario.warmup
                try:
                    number, closed_at, close_ms = await sell(client, till, auth)
                    printed_at = await printer.wait_for(number)
                except (SaleFailed, httpx.HTTPError, TimeoutError) as error:
                    problem = "not printed" if isinstance(error, TimeoutError) else str(error)
                    kind = problem if counted else f"warm-up: {problem}"
                    measured.errors += 1
                    measured.error_kinds[kind[:200]] += 1
                    continue
                if counted:
                    measured.requests += 1
                    measured.latencies_ms.append((printed_at - closed_at) * 1000)
                    scenario.close_ms.append(close_ms)
    finally:
        if agent.returncode is None:
            agent.send_signal(signal.SIGTERM)
        scenario.agent_exit = await asyncio.wait_for(agent.wait(), 30)
    return scenario


def owner_auth(signing_key: SigningKey, register: Register) -> DPoPAuth:
    key = DeviceKey.generate(DPOP_ALGORITHM)
    token = access_token(
        signing_key, subject="bench-owner", tenant_id=register.tenant_id, role=Role.OWNER, key=key
    )
    return DPoPAuth(key, token, public_url=PUBLIC_URL)


async def create_bridge_token(owner: DPoPAuth, register: Register) -> str:
    async with httpx.AsyncClient(base_url=PUBLIC_URL, timeout=30) as client:
        created = await client.post(
            "/v1/admin/security/bridge-tokens",
            json={"location_id": str(register.location_id), "name": "Bench Bridge"},
            auth=owner,
        )
    if created.status_code != 201:
        raise RuntimeError(f"creating a Bridge token: HTTP {created.status_code} {created.text}")
    return str(created.json()["token"])


async def measure_scenarios(
    scenarios: Sequence[Scenario], signing_key: SigningKey, register: Register
) -> None:
    bridge_token = await create_bridge_token(owner_auth(signing_key, register), register)
    printer = await CapturePrinter().start()
    try:
        for scenario in scenarios:
            # Minted per scenario: tokens live at most 10 minutes, a run may not.
            [till] = cashier_tills(signing_key, [register])
            before = {number: len(copies) for number, copies in printer.receipts.items()}
            await run_scenario(scenario, till, bridge_token, printer)
            scenario.duplicates = sum(
                len(copies) - before.get(number, 0) - 1
                for number, copies in printer.receipts.items()
                if len(copies) - before.get(number, 0) > 1
            )
            _progress(scenario)
    finally:
        await printer.stop()
    if printer.unreadable:
        raise RuntimeError(f"{printer.unreadable} prints held no receipt number")


def _progress(scenario: Scenario) -> None:
    m = scenario.print_ms
    errors = f", {m.errors} errors" if m.errors else ""
    p50, p99 = m.percentile_ms(50), m.percentile_ms(99)
    print(
        f"  {scenario.name}: p50 {p50 or 0:,.1f} ms, p99 {p99 or 0:,.1f} ms{errors}",
        flush=True,
    )


@dataclass
class PrintingReport:
    machine: dict[str, Any]
    parameters: dict[str, Any]
    scenarios: Sequence[Scenario]

    @property
    def failed(self) -> list[Scenario]:
        return [scenario for scenario in self.scenarios if scenario.failed]

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "parameters": self.parameters,
            "command": COMMAND,
            "scenarios": [scenario.as_dict() for scenario in self.scenarios],
        }

    def markdown(self) -> str:
        def number(value: float | None) -> str:
            return "n/a" if value is None else f"{value:,.1f}"

        rows = [
            "| agent fetching jobs by | receipts | errors | p50 ms | p90 ms | p99 ms | max ms "
            "| close request p50 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for scenario in self.scenarios:
            m = scenario.print_ms
            errors = f"**{m.errors}**" if m.errors else "0"
            rows.append(
                f"| {scenario.name} | {len(m.latencies_ms):,} | {errors} "
                f"| {number(m.percentile_ms(50))} | {number(m.percentile_ms(90))} "
                f"| {number(m.percentile_ms(99))} | {number(max(m.latencies_ms, default=None))} "
                f"| {number(_median(scenario.close_ms))} |"
            )
        machine = self.machine
        lines = [
            "# Printing: from a sale's close to its receipt on the printer",
            "",
            f"{machine['date']}, commit {machine['git_commit'] or 'unknown'}, "
            f"{machine['nproc']} CPUs, Python {machine['python']}, "
            f"Postgres {machine['postgres']}.",
            "Sales one after another at one till, through the gateway (order, card payment, "
            "close). Per sale: from the close answer arriving at the till to the last byte of "
            "the receipt reaching the printer's socket, through the bridge service, the "
            "gateway and the reference agent (its own process) to a fake network printer.",
            "",
            *rows,
            "",
            "Each scenario runs after its own warm-up sales, which are not counted. "
            f"Polling: a random 0-{POLL_INTERVAL:g} s pause before each sale, so closes fall "
            "anywhere in the poll cycle.",
        ]
        for scenario in self.failed:
            kinds = "; ".join(
                f"{kind} ×{count}" for kind, count in scenario.print_ms.error_kinds.most_common(5)
            )
            lines.append(
                f"**{scenario.name}: {scenario.print_ms.errors} errors, "
                f"{scenario.duplicates} receipts printed twice, agent exit status "
                f"{scenario.agent_exit}.** {kinds}"
            )
        lines += [
            "",
            f"Reproduce: `{COMMAND}` (or `make bench`). Till, servers, Postgres, agent and "
            f"printer share the {machine['nproc']}-core machine; on a venue's LAN add the "
            "round trips between the Bridge and the cloud.",
            "",
        ]
        return "\n".join(lines)

    def write(self) -> None:
        write_result(RESULTS / "printing.json", json.dumps(self.as_json(), indent=2) + "\n")
        write_result(RESULTS / "printing.md", self.markdown())


def run(scenarios: Sequence[Scenario]) -> PrintingReport:
    prepared = prepare_database(DATABASE, fresh=True)
    try:
        urls = prepared.service_urls
        tenants = asyncio.run(provision_tenants(urls, 1))
        [register] = asyncio.run(open_tills(urls, tenants, [DeviceKey.generate(DPOP_ALGORITHM)]))
        with tempfile.TemporaryDirectory(prefix="halopos-bench-") as keys:
            key_file = Path(keys) / "signing.pem"
            signing_key = SigningKey.load_or_create(key_file)
            totp_key_file = write_secret(Path(keys) / "totp.key", os.urandom(32))
            with Platform(environment(urls, key_file, totp_key_file)) as platform:
                for name in SERVICES:
                    platform.start(name, f"services.{name}.app:create_app", service_port(name))
                platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT)
                asyncio.run(measure_scenarios(scenarios, signing_key, register))
        postgres = asyncio.run(postgres_version(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    return PrintingReport(
        machine=machine_info(postgres),
        parameters={
            "long_poll_wait_seconds": LONG_POLL_WAIT,
            "poll_interval_seconds": POLL_INTERVAL,
            "give_up_seconds": GIVE_UP_SECONDS,
            "tenants": 1,
            "registers": 1,
            "lines_per_order": len(LINES),
            "uvicorn_workers_per_process": 1,
        },
        scenarios=scenarios,
    )


def parse_scenarios(argv: Sequence[str] | None) -> list[Scenario]:
    parser = argparse.ArgumentParser(prog="python -m bench.printing", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: 30 and 10 sales")
    parser.add_argument("--sales", type=int, help="long-poll sales (default 200)")
    parser.add_argument("--polling-sales", type=int, help="sales polling every 2 s (default 50)")
    options = parser.parse_args(argv)
    warmup = 5 if options.quick else 10
    return [
        Scenario(
            LONG_POLL,
            ("--wait", str(LONG_POLL_WAIT)),
            sales=options.sales or (30 if options.quick else 200),
            warmup=warmup,
        ),
        Scenario(
            POLLING,
            ("--wait", "0", "--interval", f"{POLL_INTERVAL:g}"),
            sales=options.polling_sales or (10 if options.quick else 50),
            warmup=2,
            pause=POLL_INTERVAL,
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    scenarios = parse_scenarios(argv)
    print(
        "bench: " + ", ".join(f"{s.sales} sales {s.name}" for s in scenarios),
        flush=True,
    )
    report = run(scenarios)
    report.write()
    print(report.markdown())
    for failed in report.failed:
        print(f"bench: {failed.name} had errors; see bench/results/printing.md", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
