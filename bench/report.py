"""What every results file shares: where it was measured (machine, Postgres, commit), writing
it safely, and, for the two order benches, runs kept side by side under labels ("before",
"after": `--label`), with the tables both render the same way (CPU per unit by process,
statements per unit, profiles)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from ops.state import REPO

from bench import profiling
from bench.cpu import LOAD_GENERATOR, POSTGRES
from bench.statements import (
    AUDIT,
    DPOP_LEDGER,
    IDEMPOTENCY,
    OTHER,
    READ,
    SAVEPOINT,
    SETTING,
    TENANT_BINDING,
    TRANSACTION,
    WRITE,
)

# This checkout's results, also when the servers' code comes from another (bench/checkout.py).
RESULTS = Path(__file__).resolve().parent / "results"
BEFORE = "before"
AFTER = "after"


async def postgres_version(admin_url: str) -> str:
    connection = await asyncpg.connect(admin_url)
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def _git(*arguments: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run([git, *arguments], cwd=REPO, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def _uncommitted_files() -> int | None:
    """Files changed but not committed in the measured checkout, the bench's own aside."""
    status = _git("status", "--porcelain")
    if status is None:
        return None
    return sum(1 for line in status.splitlines() if not line[3:].startswith("bench/"))


def machine_info(postgres: str) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": postgres,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "--short", "HEAD") or None,
        # The checkout whose servers were measured (see bench/checkout.py).
        "code": str(REPO),
        "uncommitted_files": _uncommitted_files(),
    }


def describe_code(machine: Mapping[str, Any]) -> str:
    commit = f"commit {machine.get('git_commit') or 'unknown'}"
    changed = machine.get("uncommitted_files")
    if changed:
        commit += f" + uncommitted changes in {changed} files"
    return f"{commit} ({machine['code']})" if machine.get("code") else commit


def header(machine: Mapping[str, Any]) -> str:
    return (
        f"{machine['date']}, {describe_code(machine)}, {machine['nproc']} CPUs, "
        f"Python {machine['python']}, Postgres {machine['postgres']}."
    )


def write_result(path: Path, text: str) -> None:
    # Through a temporary file, so an interrupted run never leaves half a result behind.
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)


# -- runs under labels -----------------------------------------------------------------------


def merge_run(path: Path, label: str, run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The runs already in `path` (a results JSON) with this one in place of its label's;
    "before" first, then the rest in the order they were first recorded. A file from before
    runs had labels is not kept."""
    runs: dict[str, dict[str, Any]] = {}
    if path.exists():
        try:
            runs = dict(json.loads(path.read_text()).get("runs", {}))
        except (ValueError, AttributeError):
            runs = {}
    runs[label] = run
    return dict(sorted(runs.items(), key=lambda item: item[0] != BEFORE))


def write_runs(name: str, runs: Mapping[str, Any], markdown: str) -> None:
    write_result(RESULTS / f"{name}.json", json.dumps({"runs": runs}, indent=2) + "\n")
    write_result(RESULTS / f"{name}.md", markdown)


def number(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def runs_table(runs: Mapping[str, Mapping[str, Any]], load: Callable[[Any], str]) -> list[str]:
    """Which code each run measured, where, and under what load."""
    lines = ["| run | code | date | machine | load |", "| --- | --- | --- | --- | --- |"]
    for label, run in runs.items():
        machine = run["machine"]
        lines.append(
            f"| {label} | {describe_code(machine)} | {machine['date']} "
            f"| {machine['nproc']} CPUs, Python {machine['python']}, "
            f"Postgres {machine['postgres']} | {load(run['parameters'])} |"
        )
    loads = {load(run["parameters"]) for run in runs.values()}
    if len(loads) > 1:
        lines += ["", "**The runs had different loads: compare ratios, not rates.**"]
    return lines


# -- CPU per unit by process -------------------------------------------------------------------

CPU_COLUMNS: tuple[tuple[str, str], ...] = (
    ("gateway", "gateway"),
    ("orders", "orders"),
    ("identity", "identity"),
    (POSTGRES, "Postgres (all)"),
    (f"{POSTGRES} (halopos_orders)", "of which orders' login"),
    (f"{POSTGRES} (halopos_gateway)", "of which gateway's login"),
    (LOAD_GENERATOR, "load generator"),
)


def cpu_table(rows: Sequence[tuple[str, str, Mapping[str, float]]], unit: str) -> list[str]:
    """(scenario, run, CPU ms per unit by process) rows as one table, with a total of the
    processes (the per-login figures are parts of the Postgres one)."""
    lines = [
        f"| scenario | run | {' | '.join(title for _, title in CPU_COLUMNS)} "
        f"| total ms per {unit} |",
        "| --- | --- | " + " | ".join("---:" for _ in CPU_COLUMNS) + " | ---: |",
    ]
    for scenario, label, cpu in rows:
        if not cpu:
            continue
        total = sum(value for name, value in cpu.items() if "(" not in name)
        cells = " | ".join(
            number(cpu.get(name), 2) if name in cpu else "" for name, _ in CPU_COLUMNS
        )
        lines.append(f"| {scenario} | {label} | {cells} | {number(total, 2)} |")
    return lines


# -- statements per unit -------------------------------------------------------------------

STATEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("statements", "statements"),
    ("round trips", "round trips"),
    (READ, "reads"),
    (WRITE, "writes"),
    (TRANSACTION, "begin/commit"),
    (SAVEPOINT, "savepoints"),
    (SETTING, "settings"),
    (OTHER, "other"),
    (DPOP_LEDGER, "DPoP ledger"),
    (AUDIT, "audit"),
    (IDEMPOTENCY, "idempotency"),
    (TENANT_BINDING, "tenant binding"),
    ("prepares", "prepares"),
    ("commits", "commits"),
)


def statements_section(runs: Mapping[str, Mapping[str, Any]], unit: str) -> list[str]:
    """By process and kind per unit; Postgres's own counts; the commonest statements."""
    counted = {label: run["statements"] for label, run in runs.items() if run.get("statements")}
    if not counted:
        return ["No counting pass in these runs."]
    lines = [
        f"| process | run | {' | '.join(title for _, title in STATEMENT_COLUMNS)} |",
        "| --- | --- | " + " | ".join("---:" for _ in STATEMENT_COLUMNS) + " |",
    ]
    processes: list[str] = []
    for summary in counted.values():
        processes += [name for name in summary["per_unit"] if name not in processes]
    for process in processes:
        for label, summary in counted.items():
            row = summary["per_unit"].get(process)
            if row is None:
                continue
            cells = " | ".join(number(row.get(key, 0.0), 2) for key, _ in STATEMENT_COLUMNS)
            lines.append(f"| {process} | {label} | {cells} |")
    counters = sorted(
        {name for summary in counted.values() for name in summary["postgres_per_unit"]},
        key=lambda name: (not name.startswith("transactions"), name),
    )
    lines += [
        "",
        f"Postgres's own counts per {unit} in the same pass (pg_stat_database, "
        "pg_stat_user_tables). Its transactions are every backend's in the database, "
        "autovacuum's included (its runs are counted beside them); the commits above are "
        "the services' own:",
        "",
        f"| counter | {' | '.join(counted)} |",
        "| --- | " + " | ".join("---:" for _ in counted) + " |",
    ]
    for name in counters:
        values = [summary["postgres_per_unit"].get(name, 0.0) for summary in counted.values()]
        if all(value is None or abs(value) < 0.005 for value in values):
            continue
        lines.append(f"| {name} | {' | '.join(number(value, 2) for value in values)} |")
    for label, summary in counted.items():
        for title, key, limit in (
            ("Commonest statements", "commonest", 12),
            ("Transaction control", "transaction_control", 10),
            ("Statements prepared (statement-cache misses)", "prepared", 8),
        ):
            entries = summary.get(key, [])[:limit]
            if not entries:
                continue
            lines += [
                "",
                f"{title}, {label} ({summary['units']:,} {unit}s counted):",
                "",
                f"| process | per {unit} | kind | statement |",
                "| --- | ---: | --- | --- |",
            ]
            for entry in entries:
                text = entry["statement"].replace("|", profiling.ESCAPED_PIPE)
                lines.append(
                    f"| {entry['process']} | {number(entry['per_unit'], 2)} "
                    f"| {entry['category']} | `{text}` |"
                )
    return lines


def profile_section(runs: Mapping[str, Mapping[str, Any]]) -> list[str]:
    profiled = {label: run for label, run in runs.items() if run.get("profile")}
    if not profiled:
        return ["No profiled pass in these runs (`--profile`)."]
    lines: list[str] = []
    for label, run in profiled.items():
        profile = run["profile"]
        lines += [f"### {label}: {profile['scenario']}", ""]
        lines += profiling.markdown(profile["processes"])
    return lines
