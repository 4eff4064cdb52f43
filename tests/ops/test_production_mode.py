"""`halopos run` makes nothing up unless told it is a development run (`make run` is).

Found by an outside review: `halopos run` against any `DATABASE_URL` seeded the demo tenants
(known e-mails and passwords) and, without `HALOPOS_STRIPE_API_KEY`, started the fake Stripe,
so a business could subscribe for free.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import asyncpg
import pytest

from ops import platform
from ops.platform import PRODUCTION_SETTINGS, PreparedDatabase
from ops.seed import DEMO_TENANTS
from tests.support import REPO_ROOT

# Starts processes or servers of its own: `halopos run` started as a command.
# `-m "not process"` leaves it out.
pytestmark = pytest.mark.process


def test_a_production_run_missing_its_settings_is_refused_naming_each() -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not (name.startswith("HALOPOS_") or name == "DATABASE_URL")
    }
    finished = subprocess.run(
        [sys.executable, "-m", "ops.cli", "run"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    for name in PRODUCTION_SETTINGS:
        assert name in finished.stderr
    assert "--development" in finished.stderr


class Started(Exception):
    pass


async def demo_tenants_in(admin_url: str) -> int:
    connection = await asyncpg.connect(admin_url)
    try:
        count: int = await connection.fetchval(
            "SELECT count(*) FROM identity.tenants WHERE tenant_id = ANY($1::uuid[])",
            [demo.tenant_id for demo in DEMO_TENANTS],
        )
        return count
    finally:
        await connection.close()


def test_a_production_run_seeds_nothing_and_starts_no_fake_stripe(
    database: PreparedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every setting given, as an operator would: the run migrates and starts the processes
    with exactly the environment it was given: no demo tenants, no fake Stripe, no generated
    secrets."""
    given = {
        "DATABASE_URL": database.admin_url,
        **{
            f"HALOPOS_{name.upper()}_DATABASE_URL": url
            for name, url in database.service_urls.items()
        },
        **{
            name: f"operator-{name.lower()}"
            for name in PRODUCTION_SETTINGS
            if name.startswith("HALOPOS_") and not name.endswith("_DATABASE_URL")
        },
    }
    for name in [n for n in os.environ if n.startswith("HALOPOS_FAKE_STRIPE")]:
        monkeypatch.delenv(name)
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    started: list[dict[str, str]] = []

    def start_processes(environment: dict[str, str], *, development: bool) -> None:
        started.append(environment)
        raise Started

    monkeypatch.setattr(platform, "start_processes", start_processes)
    before = asyncio.run(demo_tenants_in(database.admin_url))
    # The launcher takes SIGINT and SIGTERM for its processes; give them back afterwards.
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        with pytest.raises(Started):
            platform.run_platform(development=False)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert asyncio.run(demo_tenants_in(database.admin_url)) == before == 0
    [environment] = started
    for name, value in given.items():
        assert environment[name] == value
    assert not [name for name in environment if name.startswith("HALOPOS_FAKE_STRIPE")]
