"""The menu against the real Postgres: what owners and managers build, what the till sees
(venue prices, only what is for sale), archives, versions, offline ids and the audit trail."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.orders.menu.snapshot import MenuSnapshot, load_snapshot
from tests.support.database import Connect, Provision, as_service
from tests.support.menu import Venue, a_cashier_at_a_venue, category, created, item
from tests.support.tokens import TokenFactory

# Far enough ahead for any test to still be before it.
LATER = (datetime.now(UTC) + timedelta(days=30)).isoformat()


async def till_menu(client: httpx.AsyncClient, auth: httpx.Auth) -> dict[str, Any]:
    response = await client.get("/v1/menu", auth=auth)
    assert response.status_code == 200, response.text
    menu: dict[str, Any] = response.json()
    return menu


def items_of(menu: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for c in menu["categories"] for i in c["items"]}


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT actor_type, actor_id, resource_id, payload FROM audit.events "
        "WHERE action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


async def test_the_till_sees_the_menu_in_order_at_its_venues_prices(
    venue: Venue, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    coffee = await category(orders_client, venue, "Coffee", position=1)
    food = await category(orders_client, venue, "Food", position=0)
    milk = await created(
        orders_client,
        "/v1/menu/modifier-groups",
        {"name": "Milk", "min_choices": 0, "max_choices": 1},
        venue.owner,
    )
    oat = await created(
        orders_client,
        f"/v1/menu/modifier-groups/{milk['id']}/modifiers",
        {"name": "Oat", "price_minor": 60, "position": 2},
        venue.owner,
    )
    soy = await created(
        orders_client,
        f"/v1/menu/modifier-groups/{milk['id']}/modifiers",
        {"name": "Soy", "price_minor": 50, "position": 1},
        venue.owner,
    )
    flat_white = await item(
        orders_client, venue, coffee["id"], "Flat white", modifier_group_ids=[milk["id"]]
    )
    assert flat_white["modifier_group_ids"] == [milk["id"]]
    await item(
        orders_client,
        venue,
        food["id"],
        "Banana bread",
        price_minor=695,
        tax_category_id=venue.tax["gst-free"],
    )
    cashier, location_id = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    priced = await orders_client.put(
        f"/v1/menu/items/{flat_white['id']}/location-prices/{location_id}",
        json={"price_minor": 600},
        auth=venue.owner,
    )
    assert priced.status_code == 200, priced.text
    assert priced.json() == {
        "item_id": flat_white["id"],
        "location_id": str(location_id),
        "price_minor": 600,
    }

    menu = await till_menu(orders_client, cashier)
    assert (menu["currency"], menu["prices_include_tax"]) == ("AUD", True)
    # What the till needs to price a sale offline: cash in 5c, each item's rate in force.
    assert menu["cash_rounding_minor"] == 5
    assert isinstance(menu["catalog_version"], int)
    assert menu["location_id"] == str(location_id)
    assert [c["name"] for c in menu["categories"]] == ["Food", "Coffee"]
    sold = items_of(menu)
    assert sold["Flat white"] == {
        "id": flat_white["id"],
        "name": "Flat white",
        "price_minor": 600,
        "tax_category_id": venue.tax["gst"],
        "tax_rate_percent": "10.000",
        "modifier_groups": [
            {
                "id": milk["id"],
                "name": "Milk",
                "min_choices": 0,
                "max_choices": 1,
                "modifiers": [
                    {"id": soy["id"], "name": "Soy", "price_minor": 50},
                    {"id": oat["id"], "name": "Oat", "price_minor": 60},
                ],
            }
        ],
    }
    assert sold["Banana bread"]["price_minor"] == 695
    assert sold["Banana bread"]["tax_category_id"] == venue.tax["gst-free"]
    assert sold["Banana bread"]["tax_rate_percent"] == "0.000"
    # Away from that venue (a back-office session has none), the item's own price.
    assert items_of(await till_menu(orders_client, venue.owner))["Flat white"]["price_minor"] == 550

    fetched = await orders_client.get(f"/v1/menu/items/{flat_white['id']}", auth=cashier)
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"1"'
    assert fetched.json()["location_prices"] == [priced.json()]

    for action, resource_id in (
        ("menu_category.created", coffee["id"]),
        ("modifier_group.created", milk["id"]),
        ("modifier.created", oat["id"]),
        ("menu_item.created", flat_white["id"]),
        ("menu_item.location_price_set", flat_white["id"]),
    ):
        rows = await audit_rows(connect_as, venue.tenant, action)
        assert resource_id in [row["resource_id"] for row in rows], action
        assert all(row["actor_id"] == "staff-owner" for row in rows)
    (created_row,) = [
        row
        for row in await audit_rows(connect_as, venue.tenant, "menu_item.created")
        if row["resource_id"] == flat_white["id"]
    ]
    assert created_row["payload"]["price_minor"] == 550
    assert created_row["payload"]["modifier_group_ids"] == [milk["id"]]
    (price_row,) = await audit_rows(connect_as, venue.tenant, "menu_item.location_price_set")
    assert price_row["payload"]["before"] == {"price_minor": None}
    assert price_row["payload"]["after"] == {"price_minor": 600}
    assert price_row["payload"]["location_id"] == str(location_id)


async def test_archived_things_leave_the_till_and_come_back_when_restored(
    venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    drinks = await category(orders_client, venue, "Drinks")
    size = await created(
        orders_client, "/v1/menu/modifier-groups", {"name": "Size", "max_choices": 1}, venue.owner
    )
    large = await created(
        orders_client,
        f"/v1/menu/modifier-groups/{size['id']}/modifiers",
        {"name": "Large", "price_minor": 80},
        venue.owner,
    )
    tea = await item(orders_client, venue, drinks["id"], "Tea", modifier_group_ids=[size["id"]])
    juice = await item(orders_client, venue, drinks["id"], "Juice")

    archived = await orders_client.patch(
        f"/v1/menu/items/{juice['id']}", json={"archived": True, "version": 1}, auth=venue.owner
    )
    assert archived.status_code == 200, archived.text
    assert (archived.json()["archived"], archived.json()["version"]) == (True, 2)
    assert archived.headers["etag"] == '"2"'
    assert set(items_of(await till_menu(orders_client, venue.owner))) == {"Tea"}
    active = await orders_client.get("/v1/menu/items", auth=venue.owner)
    assert [i["name"] for i in active.json()["items"]] == ["Tea"]
    everything = await orders_client.get(
        "/v1/menu/items", params={"include_archived": "true"}, auth=venue.owner
    )
    assert [i["name"] for i in everything.json()["items"]] == ["Juice", "Tea"]
    (row,) = await audit_rows(connect_as, venue.tenant, "menu_item.archived")
    assert row["resource_id"] == juice["id"]
    assert row["payload"]["before"] == {"archived": False}
    assert row["payload"]["after"] == {"archived": True}

    await orders_client.patch(
        f"/v1/menu/modifiers/{large['id']}", json={"archived": True, "version": 1}, auth=venue.owner
    )
    (group,) = items_of(await till_menu(orders_client, venue.owner))["Tea"]["modifier_groups"]
    assert group["modifiers"] == []
    await orders_client.patch(
        f"/v1/menu/modifier-groups/{size['id']}",
        json={"archived": True, "version": 1},
        auth=venue.owner,
    )
    assert items_of(await till_menu(orders_client, venue.owner))["Tea"]["modifier_groups"] == []
    # The item keeps its link to the archived group: restoring the group brings it back.
    assert (await orders_client.get(f"/v1/menu/items/{tea['id']}", auth=venue.owner)).json()[
        "modifier_group_ids"
    ] == [size["id"]]

    await orders_client.patch(
        f"/v1/menu/categories/{drinks['id']}",
        json={"archived": True, "version": 1},
        auth=venue.owner,
    )
    assert (await till_menu(orders_client, venue.owner))["categories"] == []

    restored = await orders_client.patch(
        f"/v1/menu/items/{juice['id']}", json={"archived": False, "version": 2}, auth=venue.owner
    )
    assert restored.json()["archived_at"] is None
    await orders_client.patch(
        f"/v1/menu/categories/{drinks['id']}",
        json={"archived": False},
        headers={"If-Match": '"2"'},
        auth=venue.owner,
    )
    assert set(items_of(await till_menu(orders_client, venue.owner))) == {"Tea", "Juice"}
    assert len(await audit_rows(connect_as, venue.tenant, "menu_item.restored")) == 1
    assert len(await audit_rows(connect_as, venue.tenant, "menu_category.archived")) == 1
    assert len(await audit_rows(connect_as, venue.tenant, "modifier_group.archived")) == 1
    assert len(await audit_rows(connect_as, venue.tenant, "modifier.archived")) == 1


async def test_nothing_new_goes_into_an_archived_category_group_or_tax_category(
    venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    retired = await category(orders_client, venue, "Winter specials")
    await orders_client.patch(
        f"/v1/menu/categories/{retired['id']}",
        json={"archived": True, "version": 1},
        auth=venue.owner,
    )
    refused = await orders_client.post(
        "/v1/menu/items",
        json={
            "category_id": retired["id"],
            "tax_category_id": venue.tax["gst"],
            "name": "Mulled wine",
            "price_minor": 1200,
        },
        auth=venue.owner,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "menu-category-archived"

    tax = await orders_client.post(
        "/v1/tax/categories",
        json={"code": "luxury", "name": "Luxury", "rate_percent": "10"},
        auth=venue.owner,
    )
    luxury = tax.json()["id"]
    food = await category(orders_client, venue, "Food")
    truffles = await item(orders_client, venue, food["id"], "Truffles", tax_category_id=luxury)
    await orders_client.patch(
        f"/v1/menu/items/{truffles['id']}", json={"archived": True, "version": 1}, auth=venue.owner
    )
    archived_tax = await orders_client.patch(
        f"/v1/tax/categories/{luxury}", json={"archived": True}, auth=venue.owner
    )
    assert archived_tax.status_code == 200, archived_tax.text
    # No active item is ever in an archived tax category: restoring one there is refused.
    refused = await orders_client.patch(
        f"/v1/menu/items/{truffles['id']}", json={"archived": False, "version": 2}, auth=venue.owner
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "tax-category-archived"
    refused = await orders_client.post(
        "/v1/menu/items",
        json={
            "category_id": food["id"],
            "tax_category_id": luxury,
            "name": "Caviar",
            "price_minor": 9900,
        },
        auth=venue.owner,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "tax-category-archived"

    group = await created(orders_client, "/v1/menu/modifier-groups", {"name": "Sauce"}, venue.owner)
    await orders_client.patch(
        f"/v1/menu/modifier-groups/{group['id']}",
        json={"archived": True, "version": 1},
        auth=venue.owner,
    )
    refused = await orders_client.post(
        f"/v1/menu/modifier-groups/{group['id']}/modifiers", json={"name": "BBQ"}, auth=venue.owner
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "modifier-group-archived"
    pie = await item(orders_client, venue, food["id"], "Pie")
    refused = await orders_client.patch(
        f"/v1/menu/items/{pie['id']}",
        json={"modifier_group_ids": [group["id"]], "version": 1},
        auth=venue.owner,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "modifier-group-archived"

    for unknown in (
        {"category_id": str(uuid.uuid4())},
        {"tax_category_id": str(uuid.uuid4())},
        {"modifier_group_ids": [str(uuid.uuid4())]},
    ):
        body = {
            "category_id": food["id"],
            "tax_category_id": venue.tax["gst"],
            "name": "Ghost",
            "price_minor": 100,
        } | unknown
        response = await orders_client.post("/v1/menu/items", json=body, auth=venue.owner)
        assert response.status_code == 422, unknown
        assert response.json()["code"] == "unknown-reference"
    listed = await orders_client.get(
        "/v1/menu/items", params={"include_archived": "true"}, auth=venue.owner
    )
    assert [i["name"] for i in listed.json()["items"]] == ["Pie", "Truffles"]
    assert len(await audit_rows(connect_as, venue.tenant, "menu_item.created")) == 2

    # A tax category still in use on the menu is not archived from under it.
    in_use = await orders_client.patch(
        f"/v1/tax/categories/{venue.tax['gst']}", json={"archived": True}, auth=venue.owner
    )
    assert in_use.status_code == 409
    assert in_use.json()["code"] == "tax-category-in-use"
    assert in_use.json()["active_items"] == 1


async def test_an_edit_needs_the_current_version_and_a_stale_one_changes_nothing(
    venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie", price_minor=650)
    path = f"/v1/menu/items/{pie['id']}"

    missing = await orders_client.patch(path, json={"price_minor": 700}, auth=venue.owner)
    assert missing.status_code == 428
    assert missing.json()["code"] == "version-required"

    changed = await orders_client.patch(
        path, json={"price_minor": 700, "name": "Meat pie", "version": 1}, auth=venue.owner
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["price_minor"], changed.json()["version"]) == (700, 2)
    assert changed.headers["etag"] == '"2"'

    stale = await orders_client.patch(path, json={"price_minor": 1, "version": 1}, auth=venue.owner)
    assert stale.status_code == 409
    assert stale.json()["code"] == "version-conflict"
    assert stale.json()["current_version"] == 2
    stale_header = await orders_client.patch(
        path, json={"price_minor": 1}, headers={"If-Match": '"1"'}, auth=venue.owner
    )
    assert stale_header.status_code == 409
    mismatch = await orders_client.patch(
        path, json={"price_minor": 1, "version": 2}, headers={"If-Match": '"1"'}, auth=venue.owner
    )
    assert mismatch.status_code == 400
    unchanged = (await orders_client.get(path, auth=venue.owner)).json()
    assert (unchanged["price_minor"], unchanged["name"], unchanged["version"]) == (
        700,
        "Meat pie",
        2,
    )

    (row,) = await audit_rows(connect_as, venue.tenant, "menu_item.changed")
    assert row["payload"]["before"] == {"name": "Pie", "price_minor": 650}
    assert row["payload"]["after"] == {"name": "Meat pie", "price_minor": 700}
    assert row["payload"]["version"] == 2
    assert row["payload"]["device_id"] is None

    for body in (
        {"version": 2},
        {"name": None, "version": 2},
        {"price_minor": -1, "version": 2},
        {"price_minor": 5.5, "version": 2},
        {"tenant_id": str(uuid.uuid4()), "version": 2},
        {"modifier_group_ids": [pie["id"], pie["id"]], "version": 2},
    ):
        invalid = await orders_client.patch(path, json=body, auth=venue.owner)
        assert invalid.status_code == 422, body
    assert (await orders_client.get(path, auth=venue.owner)).json()["version"] == 2


async def test_of_two_concurrent_edits_exactly_one_wins(
    venue: Venue, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie", price_minor=650)
    manager = token(venue.tenant, Role.MANAGER)
    responses = await asyncio.gather(
        *(
            orders_client.patch(
                f"/v1/menu/items/{pie['id']}",
                json={"price_minor": price, "version": 1},
                auth=auth,
            )
            for price, auth in ((700, venue.owner), (750, manager), (800, venue.owner))
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 409, 409]
    (winner,) = [r.json() for r in responses if r.status_code == 200]
    now = (await orders_client.get(f"/v1/menu/items/{pie['id']}", auth=venue.owner)).json()
    assert (now["price_minor"], now["version"]) == (winner["price_minor"], 2)


async def test_a_cashier_and_an_accountant_read_the_menu_but_cannot_change_it(
    venue: Venue, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie")
    group = await created(orders_client, "/v1/menu/modifier-groups", {"name": "Sauce"}, venue.owner)
    cashier, location_id = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    accountant = token(venue.tenant, Role.ACCOUNTANT)
    reads = [
        "/v1/menu",
        "/v1/menu/categories",
        "/v1/menu/items",
        f"/v1/menu/items/{pie['id']}",
        "/v1/menu/modifier-groups",
    ]
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/v1/menu/categories", {"name": "Drinks"}),
        ("PATCH", f"/v1/menu/categories/{food['id']}", {"name": "Mains", "version": 1}),
        (
            "POST",
            "/v1/menu/items",
            {
                "category_id": food["id"],
                "tax_category_id": venue.tax["gst"],
                "name": "Free pie",
                "price_minor": 0,
            },
        ),
        ("PATCH", f"/v1/menu/items/{pie['id']}", {"price_minor": 1, "version": 1}),
        ("PUT", f"/v1/menu/items/{pie['id']}/location-prices/{location_id}", {"price_minor": 1}),
        ("DELETE", f"/v1/menu/items/{pie['id']}/location-prices/{location_id}", {}),
        ("POST", "/v1/menu/modifier-groups", {"name": "Extras"}),
        ("PATCH", f"/v1/menu/modifier-groups/{group['id']}", {"name": "x", "version": 1}),
        ("POST", f"/v1/menu/modifier-groups/{group['id']}/modifiers", {"name": "Free"}),
        ("POST", f"/v1/menu/items/{pie['id']}/prices", {"price_minor": 1, "effective_from": LATER}),
    ]
    for auth in (cashier, accountant):
        for path in reads:
            assert (await orders_client.get(path, auth=auth)).status_code == 200, path
        for method, path, body in writes:
            content = None if method == "DELETE" else body
            refused = await orders_client.request(method, path, json=content, auth=auth)
            assert refused.status_code == 403, (method, path)
    unchanged = (await orders_client.get(f"/v1/menu/items/{pie['id']}", auth=cashier)).json()
    assert (unchanged["price_minor"], unchanged["version"], unchanged["location_prices"]) == (
        550,
        1,
        [],
    )
    assert unchanged["scheduled_prices"] == []
    assert await audit_rows(connect_as, venue.tenant, "menu_item.changed") == []


async def test_another_businesss_menu_is_not_found(
    venue: Venue,
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    food = await category(orders_client, venue, "Food")
    group = await created(orders_client, "/v1/menu/modifier-groups", {"name": "Sauce"}, venue.owner)
    modifier = await created(
        orders_client,
        f"/v1/menu/modifier-groups/{group['id']}/modifiers",
        {"name": "Tomato"},
        venue.owner,
    )
    pie = await item(orders_client, venue, food["id"], "Pie")
    _, our_location = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    other = await provision()
    intruder = token(other, Role.OWNER)
    _, their_location = await a_cashier_at_a_venue(connect_as, token, other)

    assert (
        await orders_client.get(f"/v1/menu/items/{pie['id']}", auth=intruder)
    ).status_code == 404
    for path, body, code in (
        (f"/v1/menu/items/{pie['id']}", {"price_minor": 1, "version": 1}, "menu-item-not-found"),
        (
            f"/v1/menu/categories/{food['id']}",
            {"name": "x", "version": 1},
            "menu-category-not-found",
        ),
        (
            f"/v1/menu/modifier-groups/{group['id']}",
            {"name": "x", "version": 1},
            "modifier-group-not-found",
        ),
        (f"/v1/menu/modifiers/{modifier['id']}", {"name": "x", "version": 1}, "modifier-not-found"),
    ):
        response = await orders_client.patch(path, json=body, auth=intruder)
        assert response.status_code == 404, path
        assert response.json()["code"] == code
    priced = await orders_client.put(
        f"/v1/menu/items/{pie['id']}/location-prices/{their_location}",
        json={"price_minor": 1},
        auth=intruder,
    )
    assert priced.status_code == 404
    added = await orders_client.post(
        f"/v1/menu/modifier-groups/{group['id']}/modifiers", json={"name": "x"}, auth=intruder
    )
    assert added.status_code == 404
    for path, code in (
        (f"/v1/menu/items/{pie['id']}/prices", "menu-item-not-found"),
        (f"/v1/menu/modifiers/{modifier['id']}/prices", "modifier-not-found"),
    ):
        scheduled = await orders_client.post(
            path, json={"price_minor": 1, "effective_from": LATER}, auth=intruder
        )
        assert (scheduled.status_code, scheduled.json()["code"]) == (404, code)
    # Their ids are unknown here: an item cannot be filed under our category or tax category.
    their_tax = (await orders_client.get("/v1/tax/categories", auth=intruder)).json()["items"]
    borrowed = await orders_client.post(
        "/v1/menu/items",
        json={
            "category_id": food["id"],
            "tax_category_id": their_tax[0]["id"],
            "name": "Pie",
            "price_minor": 1,
        },
        auth=intruder,
    )
    assert borrowed.status_code == 422
    assert (await till_menu(orders_client, intruder))["categories"] == []

    # Nor may we price our item at their venue.
    cross = await orders_client.put(
        f"/v1/menu/items/{pie['id']}/location-prices/{their_location}",
        json={"price_minor": 1},
        auth=venue.owner,
    )
    assert cross.status_code == 404
    assert cross.json()["code"] == "location-not-found"
    mine = (await orders_client.get(f"/v1/menu/items/{pie['id']}", auth=venue.owner)).json()
    assert (mine["price_minor"], mine["version"], mine["location_prices"]) == (550, 1, [])
    assert mine["scheduled_prices"] == []
    # Nor schedule a price there.
    cross = await orders_client.post(
        f"/v1/menu/items/{pie['id']}/prices",
        json={"price_minor": 1, "effective_from": LATER, "location_id": str(their_location)},
        auth=venue.owner,
    )
    assert (cross.status_code, cross.json()["code"]) == (404, "location-not-found")
    assert our_location != their_location


async def test_a_venue_price_needs_a_real_venue_and_can_be_removed(
    venue: Venue, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie", price_minor=650)
    cashier, location_id = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    base = f"/v1/menu/items/{pie['id']}/location-prices"

    unknown = await orders_client.put(
        f"{base}/{uuid.uuid4()}", json={"price_minor": 700}, auth=venue.owner
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["code"] == "location-not-found"
    no_item = await orders_client.put(
        f"/v1/menu/items/{uuid.uuid4()}/location-prices/{location_id}",
        json={"price_minor": 700},
        auth=venue.owner,
    )
    assert no_item.status_code == 404
    assert no_item.json()["code"] == "menu-item-not-found"
    assert await audit_rows(connect_as, venue.tenant, "menu_item.location_price_set") == []

    for price in (700, 720):
        response = await orders_client.put(
            f"{base}/{location_id}", json={"price_minor": price}, auth=venue.owner
        )
        assert response.status_code == 200
    assert items_of(await till_menu(orders_client, cashier))["Pie"]["price_minor"] == 720
    rows = await audit_rows(connect_as, venue.tenant, "menu_item.location_price_set")
    assert [(r["payload"]["before"], r["payload"]["after"]) for r in rows] == [
        ({"price_minor": None}, {"price_minor": 700}),
        ({"price_minor": 700}, {"price_minor": 720}),
    ]
    for body in ({}, {"price_minor": -5}, {"price_minor": "7.20"}):
        invalid = await orders_client.put(f"{base}/{location_id}", json=body, auth=venue.owner)
        assert invalid.status_code == 422, body

    for _ in range(2):
        removed = await orders_client.delete(f"{base}/{location_id}", auth=venue.owner)
        assert removed.status_code == 204
    assert items_of(await till_menu(orders_client, cashier))["Pie"]["price_minor"] == 650
    (row,) = await audit_rows(connect_as, venue.tenant, "menu_item.location_price_removed")
    assert row["payload"]["before"] == {"price_minor": 720}


async def test_an_offline_record_sent_again_is_created_once(
    venue: Venue,
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    manager = token(venue.tenant, Role.MANAGER)
    category_id = str(uuid.uuid4())
    body = {"id": category_id, "name": "Breakfast", "position": 2}
    first = await orders_client.post("/v1/menu/categories", json=body, auth=manager)
    again = await orders_client.post("/v1/menu/categories", json=body, auth=manager)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = await orders_client.post(
        "/v1/menu/categories", json=body | {"name": "Brunch"}, auth=manager
    )
    assert other.status_code == 409
    assert other.json()["code"] == "menu-id-conflict"

    item_body = {
        "id": str(uuid.uuid4()),
        "category_id": category_id,
        "tax_category_id": venue.tax["gst"],
        "name": "Eggs",
        "price_minor": 1800,
    }
    first = await orders_client.post("/v1/menu/items", json=item_body, auth=manager)
    again = await orders_client.post("/v1/menu/items", json=item_body, auth=manager)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = await orders_client.post(
        "/v1/menu/items", json=item_body | {"price_minor": 1900}, auth=manager
    )
    assert other.status_code == 409

    group_body = {"id": str(uuid.uuid4()), "name": "Eggs how", "min_choices": 1}
    assert (
        await orders_client.post("/v1/menu/modifier-groups", json=group_body, auth=manager)
    ).status_code == 201
    replay = await orders_client.post("/v1/menu/modifier-groups", json=group_body, auth=manager)
    assert replay.status_code == 200
    modifier_body = {"id": str(uuid.uuid4()), "name": "Poached"}
    path = f"/v1/menu/modifier-groups/{group_body['id']}/modifiers"
    assert (await orders_client.post(path, json=modifier_body, auth=manager)).status_code == 201
    assert (await orders_client.post(path, json=modifier_body, auth=manager)).status_code == 200
    conflicting = await orders_client.post(
        path, json=modifier_body | {"price_minor": 100}, auth=manager
    )
    assert conflicting.status_code == 409

    for action in (
        "menu_category.created",
        "menu_item.created",
        "modifier_group.created",
        "modifier.created",
    ):
        assert len(await audit_rows(connect_as, venue.tenant, action)) == 1, action
    # Another business sending the same id makes its own record and sees nothing of ours.
    theirs = token(await provision(), Role.OWNER)
    own = await orders_client.post(
        "/v1/menu/categories", json=body | {"name": "Theirs"}, auth=theirs
    )
    assert own.status_code == 201, own.text
    ours = (await orders_client.get("/v1/menu/categories", auth=manager)).json()["items"]
    assert [c["name"] for c in ours] == ["Breakfast"]


async def test_modifier_groups_keep_min_at_most_max(
    venue: Venue, orders_client: httpx.AsyncClient
) -> None:
    for body in (
        {"name": "x", "min_choices": 2, "max_choices": 1},
        {"name": "x", "max_choices": 0},
    ):
        response = await orders_client.post("/v1/menu/modifier-groups", json=body, auth=venue.owner)
        assert response.status_code == 422, body
    group = await created(
        orders_client,
        "/v1/menu/modifier-groups",
        {"name": "Toppings", "min_choices": 1, "max_choices": 3},
        venue.owner,
    )
    path = f"/v1/menu/modifier-groups/{group['id']}"
    refused = await orders_client.patch(
        path, json={"min_choices": 4, "version": 1}, auth=venue.owner
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "modifier-choices-invalid"
    changed = await orders_client.patch(
        path, json={"min_choices": 0, "max_choices": 5, "version": 1}, auth=venue.owner
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["min_choices"], changed.json()["max_choices"]) == (0, 5)


async def test_an_items_modifier_groups_are_replaced_in_the_order_given(
    venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    coffee = await category(orders_client, venue, "Coffee")
    groups = [
        await created(orders_client, "/v1/menu/modifier-groups", {"name": name}, venue.owner)
        for name in ("Milk", "Size", "Sugar")
    ]
    latte = await item(
        orders_client, venue, coffee["id"], "Latte", modifier_group_ids=[groups[0]["id"]]
    )
    wanted = [groups[2]["id"], groups[1]["id"]]
    changed = await orders_client.patch(
        f"/v1/menu/items/{latte['id']}",
        json={"modifier_group_ids": wanted, "version": 1},
        auth=venue.owner,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["modifier_group_ids"] == wanted
    assert changed.json()["version"] == 2
    fetched = (await orders_client.get(f"/v1/menu/items/{latte['id']}", auth=venue.owner)).json()
    assert fetched["modifier_group_ids"] == wanted
    sold = items_of(await till_menu(orders_client, venue.owner))["Latte"]
    assert [g["name"] for g in sold["modifier_groups"]] == ["Sugar", "Size"]
    (row,) = await audit_rows(connect_as, venue.tenant, "menu_item.changed")
    assert row["payload"]["before"] == {"modifier_group_ids": [groups[0]["id"]]}
    assert row["payload"]["after"] == {"modifier_group_ids": wanted}

    moved = await category(orders_client, venue, "Hot drinks")
    changed = await orders_client.patch(
        f"/v1/menu/items/{latte['id']}",
        json={"category_id": moved["id"], "tax_category_id": venue.tax["gst-free"], "version": 2},
        auth=venue.owner,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["modifier_group_ids"] == wanted
    menu = await till_menu(orders_client, venue.owner)
    assert {c["name"]: [i["name"] for i in c["items"]] for c in menu["categories"]} == {
        "Coffee": [],
        "Hot drinks": ["Latte"],
    }


async def test_lists_are_cursor_paginated_newest_first(
    venue: Venue, orders_client: httpx.AsyncClient
) -> None:
    food = await category(orders_client, venue, "Food")
    names = [f"Dish {n}" for n in range(5)]
    for name in names:
        await item(orders_client, venue, food["id"], name)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await orders_client.get("/v1/menu/items", params=params, auth=venue.owner)).json()
        seen += [i["name"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert (pages, seen) == (3, list(reversed(names)))
    by_category = await orders_client.get(
        "/v1/menu/items", params={"category_id": str(uuid.uuid4())}, auth=venue.owner
    )
    assert by_category.json()["items"] == []
    bad = await orders_client.get("/v1/menu/items", params={"cursor": "nope"}, auth=venue.owner)
    assert bad.status_code == 400


@contextmanager
def counted_statements(database: TenantDatabase) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)


async def test_the_till_menu_costs_the_same_few_queries_however_big(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    cashier, _ = await a_cashier_at_a_venue(connect_as, token, venue.tenant)

    async def statements_for_menu() -> int:
        with counted_statements(service_databases["orders"]) as statements:
            await till_menu(orders_client, cashier)
        return len(statements)

    food = await category(orders_client, venue, "Food")
    group = await created(orders_client, "/v1/menu/modifier-groups", {"name": "Sauce"}, venue.owner)
    await item(orders_client, venue, food["id"], "Dish", modifier_group_ids=[group["id"]])
    small = await statements_for_menu()
    for n in range(3):
        more = await category(orders_client, venue, f"Category {n}")
        extra = await created(
            orders_client, "/v1/menu/modifier-groups", {"name": f"Group {n}"}, venue.owner
        )
        await created(
            orders_client,
            f"/v1/menu/modifier-groups/{extra['id']}/modifiers",
            {"name": f"Choice {n}"},
            venue.owner,
        )
        for m in range(3):
            await item(
                orders_client,
                venue,
                more["id"],
                f"Dish {n}.{m}",
                modifier_group_ids=[group["id"], extra["id"]],
            )
    menu = await till_menu(orders_client, cashier)
    assert sum(len(c["items"]) for c in menu["categories"]) == 10
    assert await statements_for_menu() == small
    assert small <= 8, small


# -- prices by the moment they take effect -----------------------------------------------------


async def snapshot_of(
    database: TenantDatabase, tenant: uuid.UUID, location_id: uuid.UUID | None
) -> MenuSnapshot:
    """What a sale at the venue is priced with (services/orders/menu/snapshot.py)."""
    async with database.provisioning_transaction(tenant) as connection:
        return await load_snapshot(connection, location_id=location_id)


async def test_a_price_change_made_now_is_in_force_at_once_and_sales_before_keep_theirs(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie", price_minor=650)
    before_the_change = datetime.now(UTC)
    changed = await orders_client.patch(
        f"/v1/menu/items/{pie['id']}", json={"price_minor": 700, "version": 1}, auth=venue.owner
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["price_minor"], changed.json()["scheduled_prices"]) == (700, [])
    assert items_of(await till_menu(orders_client, venue.owner))["Pie"]["price_minor"] == 700
    snapshot = await snapshot_of(service_databases["orders"], venue.tenant, None)
    pie_id = uuid.UUID(pie["id"])
    # A sale made before the change (uploaded from an offline till now) keeps the old price.
    assert snapshot.unit_price(pie_id, before_the_change) == 650
    assert snapshot.unit_price(pie_id, datetime.now(UTC)) == 700


async def test_a_scheduled_price_applies_from_its_moment_on_never_before(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie", price_minor=650)
    manager = token(venue.tenant, Role.MANAGER, subject="staff-manager")
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    path = f"/v1/menu/items/{pie['id']}/prices"
    scheduled = await orders_client.post(
        # In Sydney's offset: the same instant, however it is written.
        path,
        json={"price_minor": 720, "effective_from": moment.astimezone().isoformat()},
        auth=manager,
    )
    assert scheduled.status_code == 201, scheduled.text
    answer = scheduled.json()
    assert (answer["price_minor"], answer["version"]) == (650, 1)  # no edit of the item
    (coming,) = answer["scheduled_prices"]
    assert coming["location_id"] is None
    assert (coming["price_minor"], coming["created_by"]) == (720, "staff-manager")
    assert datetime.fromisoformat(coming["effective_from"]) == moment
    fetched = await orders_client.get(f"/v1/menu/items/{pie['id']}", auth=venue.owner)
    assert fetched.json()["scheduled_prices"] == answer["scheduled_prices"]
    assert items_of(await till_menu(orders_client, venue.owner))["Pie"]["price_minor"] == 650

    snapshot = await snapshot_of(service_databases["orders"], venue.tenant, None)
    pie_id = uuid.UUID(pie["id"])
    assert snapshot.unit_price(pie_id, moment - timedelta(microseconds=1)) == 650
    assert snapshot.unit_price(pie_id, moment) == 720
    assert snapshot.unit_price(pie_id, moment + timedelta(days=365)) == 720

    (row,) = await audit_rows(connect_as, venue.tenant, "menu_item.price_scheduled")
    assert (row["actor_id"], row["resource_id"]) == ("staff-manager", pie["id"])
    assert row["payload"]["price_minor"] == 720
    assert row["payload"]["replaces_price_minor"] == 650
    assert row["payload"]["location_id"] is None
    assert datetime.fromisoformat(row["payload"]["effective_from"]) == moment

    again = await orders_client.post(
        path, json={"price_minor": 730, "effective_from": moment.isoformat()}, auth=manager
    )
    assert (again.status_code, again.json()["code"]) == (409, "price-change-duplicate")

    # Once a scheduled change's moment has come (a row from just now stands in for one
    # scheduled earlier), the menu answers with it, and the later one is still to come.
    await as_service(
        connect_as,
        "orders",
        venue.tenant,
        "INSERT INTO orders.menu_prices (id, item_id, price_minor, effective_from, created_by) "
        "VALUES ($1, $2, 690, clock_timestamp(), 'staff-manager')",
        uuid.uuid4(),
        pie_id,
    )
    now_in_force = (await orders_client.get(f"/v1/menu/items/{pie['id']}", auth=venue.owner)).json()
    assert now_in_force["price_minor"] == 690
    assert [p["price_minor"] for p in now_in_force["scheduled_prices"]] == [720]
    assert items_of(await till_menu(orders_client, venue.owner))["Pie"]["price_minor"] == 690


async def test_a_venue_price_over_the_items_price_both_with_histories(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie", price_minor=650)
    cashier, location_id = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    path = f"/v1/menu/items/{pie['id']}"
    put = await orders_client.put(
        f"{path}/location-prices/{location_id}", json={"price_minor": 800}, auth=venue.owner
    )
    assert put.status_code == 200, put.text
    now = datetime.now(UTC)
    item_change, venue_change = now + timedelta(days=1), now + timedelta(days=2)
    for body in (
        {"price_minor": 700, "effective_from": item_change.isoformat()},
        {
            "price_minor": 850,
            "effective_from": venue_change.isoformat(),
            "location_id": str(location_id),
        },
    ):
        response = await orders_client.post(f"{path}/prices", json=body, auth=venue.owner)
        assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["price_minor"] == 650
    assert answer["location_prices"] == [
        {"item_id": pie["id"], "location_id": str(location_id), "price_minor": 800}
    ]
    assert [(p["location_id"], p["price_minor"]) for p in answer["scheduled_prices"]] == [
        (None, 700),
        (str(location_id), 850),
    ]
    assert items_of(await till_menu(orders_client, cashier))["Pie"]["price_minor"] == 800
    (venue_row,) = [
        row
        for row in await audit_rows(connect_as, venue.tenant, "menu_item.price_scheduled")
        if row["payload"]["location_id"] == str(location_id)
    ]
    # What the venue would have charged then without it: its own price, still in force.
    assert venue_row["payload"]["replaces_price_minor"] == 800

    pie_id = uuid.UUID(pie["id"])
    there = await snapshot_of(service_databases["orders"], venue.tenant, location_id)
    elsewhere = await snapshot_of(service_databases["orders"], venue.tenant, None)
    for moment, at_the_venue, anywhere_else in (
        (now, 800, 650),
        (item_change, 800, 700),  # the venue's own price stands over the item's change
        (venue_change, 850, 700),
    ):
        assert there.unit_price(pie_id, moment) == at_the_venue
        assert elsewhere.unit_price(pie_id, moment) == anywhere_else

    # Removing the venue's price now puts it on the item's price, until its scheduled one.
    removed = await orders_client.delete(f"{path}/location-prices/{location_id}", auth=venue.owner)
    assert removed.status_code == 204
    fetched = (await orders_client.get(path, auth=venue.owner)).json()
    assert fetched["location_prices"] == []
    assert items_of(await till_menu(orders_client, cashier))["Pie"]["price_minor"] == 650
    there = await snapshot_of(service_databases["orders"], venue.tenant, location_id)
    assert there.unit_price(pie_id, now) == 800  # what a sale before the removal paid
    assert there.unit_price(pie_id, datetime.now(UTC)) == 650
    assert there.unit_price(pie_id, item_change) == 700
    assert there.unit_price(pie_id, venue_change) == 850

    unknown = await orders_client.post(
        f"{path}/prices",
        json={"price_minor": 1, "effective_from": LATER, "location_id": str(uuid.uuid4())},
        auth=venue.owner,
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "location-not-found")


async def test_a_modifiers_price_is_scheduled_the_same_way(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    group = await created(orders_client, "/v1/menu/modifier-groups", {"name": "Milk"}, venue.owner)
    oat = await created(
        orders_client,
        f"/v1/menu/modifier-groups/{group['id']}/modifiers",
        {"name": "Oat", "price_minor": 60},
        venue.owner,
    )
    moment = datetime.now(UTC) + timedelta(days=1)
    path = f"/v1/menu/modifiers/{oat['id']}/prices"
    scheduled = await orders_client.post(
        path, json={"price_minor": 80, "effective_from": moment.isoformat()}, auth=venue.owner
    )
    assert scheduled.status_code == 201, scheduled.text
    assert scheduled.json()["price_minor"] == 60
    assert [p["price_minor"] for p in scheduled.json()["scheduled_prices"]] == [80]
    groups = (await orders_client.get("/v1/menu/modifier-groups", auth=venue.owner)).json()
    (listed,) = groups["items"][0]["modifiers"]
    assert (listed["price_minor"], len(listed["scheduled_prices"])) == (60, 1)
    venue_price = await orders_client.post(
        path,
        json={"price_minor": 1, "effective_from": LATER, "location_id": str(uuid.uuid4())},
        auth=venue.owner,
    )
    assert venue_price.status_code == 422  # a modifier costs the same at every venue

    snapshot = await snapshot_of(service_databases["orders"], venue.tenant, None)
    oat_id = uuid.UUID(oat["id"])
    assert snapshot.modifier_price(oat_id, moment - timedelta(seconds=1)) == 60
    assert snapshot.modifier_price(oat_id, moment) == 80
    (row,) = await audit_rows(connect_as, venue.tenant, "modifier.price_scheduled")
    assert (row["resource_id"], row["payload"]["replaces_price_minor"]) == (oat["id"], 60)
    assert row["payload"]["group_id"] == group["id"]

    archived = await orders_client.patch(
        f"/v1/menu/modifiers/{oat['id']}", json={"archived": True, "version": 1}, auth=venue.owner
    )
    assert archived.status_code == 200
    refused = await orders_client.post(
        path, json={"price_minor": 90, "effective_from": LATER}, auth=venue.owner
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "modifier-archived")


@pytest.mark.parametrize(
    "effective_from",
    [
        "2020-01-01T00:00:00+00:00",
        (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "2000-01-01T00:00:00Z",
    ],
)
async def test_a_price_change_is_never_retroactive(
    effective_from: str, venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie")
    response = await orders_client.post(
        f"/v1/menu/items/{pie['id']}/prices",
        json={"price_minor": 1, "effective_from": effective_from},
        auth=venue.owner,
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "price-change-retroactive"
    assert "never retroactively" in problem["title"]
    assert "database_now" in problem
    history = await as_service(
        connect_as, "orders", venue.tenant, "SELECT count(*) FROM orders.menu_prices"
    )
    assert history[0][0] == 1  # the item's first price only
    assert await audit_rows(connect_as, venue.tenant, "menu_item.price_scheduled") == []


async def test_a_bad_price_schedule_is_refused(
    venue: Venue, orders_client: httpx.AsyncClient
) -> None:
    food = await category(orders_client, venue, "Food")
    pie = await item(orders_client, venue, food["id"], "Pie")
    path = f"/v1/menu/items/{pie['id']}/prices"
    for body in (
        {"price_minor": 1, "effective_from": "2030-01-01T00:00:00"},  # no offset
        {"price_minor": 1, "effective_from": "2030-01-01"},
        {"price_minor": -1, "effective_from": LATER},
        {"price_minor": "7.20", "effective_from": LATER},
        {"effective_from": LATER},
        {"price_minor": 1, "effective_from": LATER, "version": 1},
    ):
        response = await orders_client.post(path, json=body, auth=venue.owner)
        assert response.status_code == 422, body
    archived = await orders_client.patch(
        f"/v1/menu/items/{pie['id']}", json={"archived": True, "version": 1}, auth=venue.owner
    )
    assert archived.status_code == 200
    refused = await orders_client.post(
        path, json={"price_minor": 1, "effective_from": LATER}, auth=venue.owner
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "menu-item-archived")
