"""What was sent to the kitchen or bar and is then taken off the order is cancelled there: a
VOID ticket at the same station, for the line voided, the units taken off a line, or every
line of an order voided whole. What was never sent prints nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from libs.rbac import Role
from tests.support.database import Connect, Provision
from tests.support.printing import printed_lines
from tests.support.sale import sell
from tests.support.tills import OpenTill, open_till, print_jobs, stock_stations
from tests.support.tokens import TokenFactory


@pytest.fixture
async def till(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> OpenTill:
    """A till whose café items go to the kitchen and beer to the bar; cashiers void up to
    $100 alone here (the overrides are tests/identity/test_overrides.py's)."""
    till = await open_till(connect_as, token, await provision())
    await stock_stations(connect_as, till.tenant, till.menu)
    changed = await orders_client.patch(
        "/v1/settings/override-limits",
        json={"void_limit_minor": 10_000},
        auth=token(till.tenant, Role.OWNER, "owner"),
    )
    assert changed.status_code == 200, changed.text
    return till


async def _fired(client: httpx.AsyncClient, till: OpenTill, **fields: Any) -> dict[str, Any]:
    order = await sell(client, till, table_name="4", **fields)
    fired = await client.post(
        f"/v1/orders/{order['id']}/fire", json={"version": order["version"]}, auth=till.staff
    )
    assert fired.status_code == 200, fired.text
    result: dict[str, Any] = fired.json()["order"]
    return result


def _void_jobs(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [job for job in jobs if job["summary"].startswith("VOID")]


async def test_voiding_a_sent_line_prints_a_void_ticket_at_its_station(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await _fired(orders_client, till)
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/lines/2/void",
        json={"version": order["version"], "reason_code": "entered_in_error"},
        auth=till.staff,
    )
    assert voided.status_code == 200, voided.text
    (job,) = _void_jobs(await print_jobs(connect_as, till.tenant))
    assert (job["printer_role"], job["kind"], job["summary"]) == (
        "kitchen",
        "kitchen_ticket",
        "VOID Kitchen: table 4",
    )
    lines = printed_lines(job["body"])
    assert lines[:2] == ["KITCHEN", "*** VOID ***"]
    assert "VOID 1 x Flat white" in lines
    assert "    + Oat milk" in lines


async def test_taking_units_off_a_sent_line_voids_just_those(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till, table_name="4")
    more = await orders_client.patch(
        f"/v1/orders/{order['id']}/lines/1",
        json={"version": order["version"], "quantity": 3},
        auth=till.staff,
    )
    fired = await orders_client.post(
        f"/v1/orders/{order['id']}/fire",
        json={"version": more.json()["version"]},
        auth=till.staff,
    )
    fewer = await orders_client.patch(
        f"/v1/orders/{order['id']}/lines/1",
        json={
            "version": fired.json()["order"]["version"],
            "quantity": 1,
            "reason_code": "customer_request",
        },
        auth=till.staff,
    )
    assert fewer.status_code == 200, fewer.text
    (job,) = _void_jobs(await print_jobs(connect_as, till.tenant))
    assert "VOID 2 x Flat white" in printed_lines(job["body"])
    # Adding units back prints nothing until fired again; never a second VOID.
    assert len(_void_jobs(await print_jobs(connect_as, till.tenant))) == 1


async def test_voiding_an_order_voids_what_was_sent_and_nothing_else(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await _fired(orders_client, till)
    added = await orders_client.post(
        f"/v1/orders/{order['id']}/lines",
        json={"version": order["version"], "item_id": str(till.menu.bread_id)},
        auth=till.staff,
    )
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/void",
        json={"version": added.json()["version"], "reason_code": "walkout"},
        auth=till.staff,
    )
    assert voided.status_code == 200, voided.text
    (job,) = _void_jobs(await print_jobs(connect_as, till.tenant))
    items = [line for line in printed_lines(job["body"]) if line.startswith("VOID ")]
    # The three lines sent; the bread roll added after firing never reached the kitchen.
    assert items == ["VOID 1 x Flat white", "VOID 1 x Flat white", "VOID 1 x Bread roll"]


async def test_a_line_never_sent_is_voided_without_paper(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/lines/1/void",
        json={"version": order["version"], "reason_code": "entered_in_error"},
        auth=till.staff,
    )
    assert voided.status_code == 200, voided.text
    assert await print_jobs(connect_as, till.tenant) == []
