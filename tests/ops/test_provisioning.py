"""Operators provision tenants and locations from the command line (`halopos tenants ...`)."""

from __future__ import annotations

import uuid

import pytest

from tests.support.cli import run_cli
from tests.support.database import Connect, as_tenant


async def audit_actions(connect_as: Connect, tenant: str) -> list[tuple[str, str]]:
    reader = await connect_as("audit")
    async with as_tenant(reader, tenant):
        rows = await reader.fetch("SELECT action, actor_id FROM audit.events ORDER BY seq")
    return [(row["action"], row["actor_id"]) for row in rows]


@pytest.mark.usefixtures("cli_environment")
async def test_a_tenant_and_its_location_are_provisioned_and_audited(
    capsys: pytest.CaptureFixture[str], connect_as: Connect
) -> None:
    status, tenant = await run_cli(
        capsys, "tenants", "create", "--name", "Bondi Kiosk", "--region", "au", "--currency", "AUD"
    )
    assert status == 0
    assert tenant["region"] == "ap-southeast-2"
    assert tenant["currency"] == "AUD"
    tenant_id = str(tenant["tenant_id"])

    status, location = await run_cli(
        capsys,
        "locations",
        "create",
        "--tenant",
        tenant_id,
        "--name",
        "Beach kiosk",
        "--time-zone",
        "Australia/Sydney",
        "--cutoff-hour",
        "3",
    )
    assert status == 0
    assert location["tenant_id"] == tenant_id
    assert location["business_day_cutoff_hour"] == 3

    status, shown = await run_cli(capsys, "tenants", "show", "--tenant", tenant_id)
    assert (status, shown) == (0, tenant)
    # The orders service got the business's settings and its region's tax categories.
    assert await audit_actions(connect_as, tenant_id) == [
        ("tenant.created", "halopos-cli"),
        ("orders.provisioned", "halopos-cli"),
        ("location.created", "halopos-cli"),
    ]


@pytest.mark.usefixtures("cli_environment")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tenants", "create", "--name", "X", "--region", "eu", "--currency", "AUD"], "EUR"),
        (["tenants", "create", "--name", " ", "--region", "au", "--currency", "AUD"], "name"),
        (
            [
                "locations",
                "create",
                "--tenant",
                str(uuid.uuid4()),
                "--name",
                "Bar",
                "--time-zone",
                "Europe/Berlin",
                "--cutoff-hour",
                "5",
            ],
            "no tenant",
        ),
    ],
)
async def test_bad_input_is_refused_and_creates_nothing(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, error = await run_cli(capsys, *argv)
    assert status == 2
    assert message in str(error["error"])


@pytest.mark.usefixtures("cli_environment")
@pytest.mark.parametrize(("zone", "hour"), [("Mars/Olympus_Mons", "4"), ("Europe/Berlin", "24")])
async def test_a_location_needs_a_real_time_zone_and_cutoff(
    zone: str, hour: str, capsys: pytest.CaptureFixture[str], connect_as: Connect
) -> None:
    _, tenant = await run_cli(
        capsys, "tenants", "create", "--name", "Späti", "--region", "eu", "--currency", "EUR"
    )
    tenant_id = str(tenant["tenant_id"])
    status, error = await run_cli(
        capsys,
        "locations",
        "create",
        "--tenant",
        tenant_id,
        "--name",
        "Eck",
        "--time-zone",
        zone,
        "--cutoff-hour",
        hour,
    )
    assert status == 2, error
    assert await audit_actions(connect_as, tenant_id) == [
        ("tenant.created", "halopos-cli"),
        ("orders.provisioned", "halopos-cli"),
    ]
