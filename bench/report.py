"""Results of a bench run: bench/results/orders.json for machines, orders.md for people."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bench.load import Measurement
from deploy.state import REPO

RESULTS = REPO / "bench" / "results"


async def postgres_version(admin_url: str) -> str:
    connection = await asyncpg.connect(admin_url)
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def _git_commit() -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run(
        [git, "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    return result.stdout.strip() or None


def machine_info(postgres: str) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": postgres,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


@dataclass(frozen=True)
class Report:
    machine: dict[str, Any]
    parameters: dict[str, Any]
    measurements: list[Measurement]
    # Names of the scenarios the ratios divide by.
    ceiling: str
    gateway_pairs: dict[str, tuple[str, str]]

    def _throughput(self, name: str) -> float:
        return next(m.throughput_per_second for m in self.measurements if m.name == name)

    def vs_ceiling(self) -> dict[str, float | None]:
        ceiling = self._throughput(self.ceiling)
        return {m.name: _ratio(m.throughput_per_second, ceiling) for m in self.measurements}

    def gateway_over_direct(self) -> dict[str, float | None]:
        return {
            client: _ratio(self._throughput(gateway), self._throughput(direct))
            for client, (gateway, direct) in self.gateway_pairs.items()
        }

    @property
    def failed(self) -> list[Measurement]:
        return [m for m in self.measurements if m.errors or m.aborted or m.warmup_errors]

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "parameters": self.parameters,
            "scenarios": [m.as_dict() for m in self.measurements],
            "ratios": {
                "throughput_vs_raw_sql": {"baseline": self.ceiling, **self.vs_ceiling()},
                "gateway_over_direct": self.gateway_over_direct(),
            },
        }

    def markdown(self) -> str:
        def number(value: float | None, digits: int = 1) -> str:
            return "n/a" if value is None else f"{value:,.{digits}f}"

        ratios = self.vs_ceiling()
        rows = [
            "| scenario | requests | errors | elapsed s | orders/s | p50 ms | p95 ms | p99 ms "
            "| ÷ raw SQL |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for m in self.measurements:
            errors = f"**{m.errors}**" if m.errors else "0"
            if m.aborted:
                errors += " (aborted)"
            rows.append(
                f"| {m.name} | {m.requests:,} | {errors} | {m.elapsed_seconds:.1f} "
                f"| {number(m.throughput_per_second)} | {number(m.percentile_ms(50))} "
                f"| {number(m.percentile_ms(95))} | {number(m.percentile_ms(99))} "
                f"| {number(ratios[m.name], 2)} |"
            )
        machine, parameters = self.machine, self.parameters
        lines = [
            "# Order writes: gateway vs direct vs raw SQL",
            "",
            f"{machine['date']}, commit {machine['git_commit'] or 'unknown'}, "
            f"{machine['nproc']} CPUs, Python {machine['python']}, "
            f"Postgres {machine['postgres']}.",
            f"{parameters['requests']:,} orders per scenario after {parameters['warmup']:,} "
            f"warm-up, concurrency {parameters['concurrency']}, "
            f"{parameters['lines_per_order']} lines per order, "
            f"{parameters['tenants']} tenants round-robin unless stated.",
            *(
                [
                    f"Each HTTP request carries a DPoP-bound token and a fresh {algorithm} "
                    "proof, signed by the load generator and verified (its jti spent) by the "
                    "gateway and the service."
                ]
                if (algorithm := parameters.get("dpop_proof_per_request"))
                else []
            ),
            "",
            *rows,
            "",
            f"÷ raw SQL: throughput divided by *{self.ceiling}* from the same run.",
        ]
        for client, ratio in self.gateway_over_direct().items():
            lines.append(f"Gateway ({client}) ÷ direct: {number(ratio, 2)}.")
        for m in self.failed:
            kinds = "; ".join(f"{kind} ×{count}" for kind, count in m.error_kinds.most_common(5))
            lines.append(
                f"**{m.name}: {m.errors} errors, {m.warmup_errors} in warm-up"
                f"{', aborted at the time limit' if m.aborted else ''}.** {kinds}"
            )
        lines += [
            "",
            f"The load generator runs on the same {machine['nproc']}-core machine as the "
            "servers and Postgres, so absolute figures are lower bounds; compare the ratios.",
            "",
        ]
        return "\n".join(lines)

    def write(self) -> None:
        write_result(RESULTS / "orders.json", json.dumps(self.as_json(), indent=2) + "\n")
        write_result(RESULTS / "orders.md", self.markdown())


def write_result(path: Path, text: str) -> None:
    # Through a temporary file, so an interrupted run never leaves half a result behind.
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)
