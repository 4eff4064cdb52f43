"""The menu snapshot that prices sales (services/orders/menu/snapshot.py): its pure lookups at
moments before, at and after each change; the catalog version that every write to what a
sale is priced or taxed with moves, in the writer's transaction; the process cache against
the real Postgres (a write reloads, another business never sees it); the price history the
triggers keep; and the migration that backfilled it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from alembic import command

from libs.rbac import Role
from libs.tenancy.database import TenantDatabase, driver_connection
from ops.database import alembic_config, recreate_database, with_database
from ops.platform import PreparedDatabase
from services.orders.menu.snapshot import (
    CatalogRows,
    MenuSnapshot,
    PriceChange,
    RateChange,
    SnapshotCache,
    WrongTenant,
    build_snapshot,
    business_price,
    load_snapshot,
    rate_in_force,
    read_catalog_version,
    venue_price,
)
from services.orders.tax.service import TaxSettingsNotFound
from tests.conftest import TEST_DATABASE
from tests.support.database import Connect, Provision, as_service, bind_tenant
from tests.support.menu import Venue, a_cashier_at_a_venue, category, created, item
from tests.support.tills import stock_menu
from tests.support.tokens import TokenFactory

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# -- pure lookups ------------------------------------------------------------------------------


def test_a_price_is_the_one_in_force_at_the_moment_and_the_first_before_it() -> None:
    changes = [PriceChange(at(0), 450), PriceChange(at(10), 500), PriceChange(at(20), 480)]
    assert business_price(changes, at(0)) == 450
    assert business_price(changes, at(9.99)) == 450
    assert business_price(changes, at(10)) == 500  # from its moment on, not after
    assert business_price(changes, at(19)) == 500
    assert business_price(changes, at(20)) == 480
    assert business_price(changes, at(10_000)) == 480
    # Dated before the item existed: a till's clock behind ours, not a sale of nothing.
    assert business_price(changes, at(-1)) == 450
    assert business_price([], at(0)) is None
    # The same instant in another offset is the same moment.
    sydney = at(10).astimezone(datetime.now().astimezone().tzinfo)
    assert business_price(changes, sydney) == 500
    with pytest.raises(ValueError, match="timezone-aware"):
        business_price(changes, datetime(2026, 1, 1))


def test_a_venue_price_applies_from_its_moment_until_it_is_removed() -> None:
    venue_changes = [PriceChange(at(5), 600), PriceChange(at(15), None), PriceChange(at(25), 650)]
    assert venue_price(venue_changes, at(4)) is None  # not before its first
    assert venue_price(venue_changes, at(5)) == 600
    assert venue_price(venue_changes, at(15)) is None  # removed: back on the item's price
    assert venue_price(venue_changes, at(30)) == 650


def test_a_tax_rate_is_the_one_in_force_and_none_before_the_first() -> None:
    rates = [RateChange(at(0), Decimal("10")), RateChange(at(10), Decimal("12.5"))]
    assert rate_in_force(rates, at(-1)) is None  # never read as 0%
    assert rate_in_force(rates, at(0)) == Decimal("10")
    assert rate_in_force(rates, at(10)) == Decimal("12.5")
    assert rate_in_force([], at(0)) is None


IDS = {
    name: uuid.uuid4()
    for name in (
        "tenant",
        "venue",
        "other_venue",
        "coffee",
        "bread",
        "cafe",
        "retired",
        "milk",
        "size",
        "oat",
        "soy",
        "large",
        "gst",
        "free",
    )
}


def a_snapshot() -> MenuSnapshot:
    """Rows as the load statement returns them: a café with coffee (450, then 500 from hour
    10) that the venue sells at 600 from hour 5 until hour 15; oat milk +50 then +60 from hour
    12 and archived at hour 30; a size group archived at hour 40; bread in a category archived
    at hour 50; GST 10% then 12.5% from hour 20."""
    i = IDS
    rows = CatalogRows(
        7,
        "AUD",
        True,
        5,
        i["tenant"],
        [(i["cafe"], "Cafe", "bar", None), (i["retired"], "Bakery", None, at(50))],
        [
            (i["coffee"], "Flat white", i["cafe"], i["gst"], None),
            (i["bread"], "Bread roll", i["retired"], i["free"], None),
        ],
        [(i["coffee"], i["milk"]), (i["coffee"], i["size"])],
        [(i["milk"], "Milk", 0, 1, None), (i["size"], "Size", 1, 1, at(40))],
        [
            (i["oat"], i["milk"], "Oat", at(30)),
            (i["soy"], i["milk"], "Soy", None),
            (i["large"], i["size"], "Large", None),
        ],
        [
            (i["coffee"], None, None, 450, at(0)),
            (i["bread"], None, None, 300, at(0)),
            (None, i["oat"], None, 50, at(0)),
            (None, i["soy"], None, 40, at(0)),
            (None, i["large"], None, 80, at(0)),
            (i["coffee"], None, i["venue"], 600, at(5)),
            (i["coffee"], None, None, 500, at(10)),
            (None, i["oat"], None, 60, at(12)),
            (i["coffee"], None, i["venue"], None, at(15)),
        ],
        [
            (i["gst"], Decimal("10.000"), at(0)),
            (i["free"], Decimal("0.000"), at(0)),
            (i["gst"], Decimal("12.500"), at(20)),
        ],
    )
    return build_snapshot(rows, location_id=IDS["venue"])


def test_the_snapshot_prices_an_item_at_its_venue_at_any_moment() -> None:
    snapshot = a_snapshot()
    coffee = IDS["coffee"]
    # (hour, price): the item's own price, the venue's over it while it has one, and the
    # item's (changed meanwhile) once the venue's is removed.
    for hour, price in (
        (-1, 450),
        (0, 450),
        (4.9, 450),
        (5, 600),
        (10, 600),
        (14.9, 600),
        (15, 500),
        (100, 500),
    ):
        assert snapshot.unit_price(coffee, at(hour)) == price, hour
    assert snapshot.unit_price(uuid.uuid4(), at(0)) is None
    assert (snapshot.version, snapshot.currency, snapshot.cash_rounding_minor) == (7, "AUD", 5)
    assert snapshot.prices_include_tax and snapshot.business == IDS["tenant"]


def test_the_snapshot_answers_what_pricing_a_line_needs() -> None:
    snapshot = a_snapshot()
    coffee = snapshot.item(IDS["coffee"])
    assert coffee is not None
    assert (coffee.name, coffee.category_id, coffee.printer_role) == (
        "Flat white",
        IDS["cafe"],
        "bar",
    )
    assert coffee.tax_category_id == IDS["gst"]
    assert coffee.modifier_group_ids == (IDS["milk"], IDS["size"])  # the till's order
    assert snapshot.item(uuid.uuid4()) is None

    assert [snapshot.modifier_price(IDS["oat"], at(h)) for h in (0, 11.9, 12)] == [50, 50, 60]
    oat = snapshot.modifier(IDS["oat"])
    assert oat is not None and oat.group_id == IDS["milk"]
    # Archived at hour 30: an offline sale from before still had it.
    assert oat.sellable_at(at(29.9)) and not oat.sellable_at(at(30))
    large = snapshot.modifier(IDS["large"])
    assert large is not None and large.sellable_at(at(39)) and not large.sellable_at(at(40))
    assert [m.name for m in snapshot.modifiers_of(IDS["milk"])] == ["Oat", "Soy"]

    size = snapshot.group(IDS["size"])
    assert size is not None and (size.min_choices, size.max_choices) == (1, 1)
    # The size group was offered until it was archived; then its rule no longer applied.
    assert [g.name for g in snapshot.offered_groups(coffee, at(39))] == ["Milk", "Size"]
    assert [g.name for g in snapshot.offered_groups(coffee, at(40))] == ["Milk"]

    bread = snapshot.item(IDS["bread"])
    assert bread is not None and bread.category_archived_at == at(50)
    assert bread.sellable_at(at(49)) and not bread.sellable_at(at(50))
    assert coffee.sellable_at(at(1_000))

    assert [snapshot.tax_rate(IDS["gst"], at(h)) for h in (-1, 0, 19, 20)] == [
        None,
        Decimal("10.000"),
        Decimal("10.000"),
        Decimal("12.500"),
    ]
    assert snapshot.tax_rate(IDS["free"], at(100)) == Decimal("0.000")
    assert snapshot.tax_rate(uuid.uuid4(), at(0)) is None
    assert [c.name for c in snapshot.categories] == ["Cafe", "Bakery"]
    with pytest.raises(TypeError):
        snapshot._items[uuid.uuid4()] = coffee  # type: ignore[index]


# -- against Postgres: the version ---------------------------------------------------------


async def version_of(connect_as: Connect, tenant: uuid.UUID) -> int:
    (row,) = await as_service(
        connect_as, "orders", tenant, "SELECT catalog_version FROM orders.settings"
    )
    version: int = row[0]
    return version


Write = Callable[[httpx.AsyncClient, Venue, dict[str, Any]], Awaitable[httpx.Response]]


def _call(method: str, path: str, body: dict[str, Any] | None = None) -> Write:
    """A request by the owner; "{name}" in the path and in the body's strings is filled in
    from what `_arrange` made."""

    async def write(
        client: httpx.AsyncClient, venue: Venue, made: dict[str, Any]
    ) -> httpx.Response:
        filled = {k: v.format(**made) if isinstance(v, str) else v for k, v in (body or {}).items()}
        return await client.request(
            method, path.format(**made), json=filled if body is not None else None, auth=venue.owner
        )

    return write


LATER = (datetime.now(UTC) + timedelta(days=30)).isoformat()
CATEGORY, ITEM, GROUP = (
    "/v1/menu/categories/{category}",
    "/v1/menu/items/{item}",
    "/v1/menu/modifier-groups/{group}",
)
MODIFIER, TAX = "/v1/menu/modifiers/{modifier}", "/v1/tax/categories"
# Every kind of write that changes what a sale is priced or taxed with.
WRITES: dict[str, Write] = {
    "category created": _call("POST", "/v1/menu/categories", {"name": "Bar"}),
    "category renamed": _call("PATCH", CATEGORY, {"name": "Tea", "version": 1}),
    "category printer role": _call("PATCH", CATEGORY, {"printer_role": "kitchen", "version": 1}),
    "category archived": _call(
        "PATCH", "/v1/menu/categories/{spare_category}", {"archived": True, "version": 1}
    ),
    "item created": _call(
        "POST",
        "/v1/menu/items",
        {"category_id": "{category}", "tax_category_id": "{gst}", "name": "Pie", "price_minor": 1},
    ),
    "item repriced": _call("PATCH", ITEM, {"price_minor": 500, "version": 1}),
    "item renamed": _call("PATCH", ITEM, {"name": "Long black", "version": 1}),
    "item taxed otherwise": _call("PATCH", ITEM, {"tax_category_id": "{gst_free}", "version": 1}),
    "item modifier groups": _call("PATCH", ITEM, {"modifier_group_ids": [], "version": 1}),
    "item archived": _call("PATCH", ITEM, {"archived": True, "version": 1}),
    "item price scheduled": _call(
        "POST", ITEM + "/prices", {"price_minor": 520, "effective_from": LATER}
    ),
    "venue price set": _call("PUT", ITEM + "/location-prices/{location}", {"price_minor": 600}),
    "venue price removed": _call(
        "DELETE", "/v1/menu/items/{priced_item}/location-prices/{location}"
    ),
    "venue price scheduled": _call(
        "POST",
        ITEM + "/prices",
        {"price_minor": 620, "effective_from": LATER, "location_id": "{location}"},
    ),
    "group created": _call("POST", "/v1/menu/modifier-groups", {"name": "Size"}),
    "group rule": _call("PATCH", GROUP, {"min_choices": 1, "version": 1}),
    "group archived": _call("PATCH", GROUP, {"archived": True, "version": 1}),
    "modifier created": _call("POST", GROUP + "/modifiers", {"name": "Soy"}),
    "modifier repriced": _call("PATCH", MODIFIER, {"price_minor": 70, "version": 1}),
    "modifier archived": _call("PATCH", MODIFIER, {"archived": True, "version": 1}),
    "modifier price scheduled": _call(
        "POST", MODIFIER + "/prices", {"price_minor": 80, "effective_from": LATER}
    ),
    "tax category created": _call(
        "POST", TAX, {"code": "luxury", "name": "Luxury", "rate_percent": "20"}
    ),
    "tax category renamed": _call("PATCH", TAX + "/{gst}", {"name": "Goods and services"}),
    "tax category archived": _call("PATCH", TAX + "/{spare_tax}", {"archived": True}),
    "tax rate scheduled": _call(
        "POST", TAX + "/{gst}/rates", {"rate_percent": "12.5", "effective_from": LATER}
    ),
    "prices include tax": _call(
        "PATCH", "/v1/tax/settings", {"prices_include_tax": False, "version": 1}
    ),
    "cash rounding": _call("PATCH", "/v1/tax/settings", {"cash_rounding_minor": 10, "version": 1}),
}


async def _arrange(
    client: httpx.AsyncClient, venue: Venue, connect_as: Connect, token: TokenFactory
) -> dict[str, Any]:
    cafe = await category(client, venue, "Cafe")
    spare = await category(client, venue, "Spare")
    group = await created(client, "/v1/menu/modifier-groups", {"name": "Milk"}, venue.owner)
    modifier = await created(
        client,
        f"/v1/menu/modifier-groups/{group['id']}/modifiers",
        {"name": "Oat", "price_minor": 60},
        venue.owner,
    )
    coffee = await item(client, venue, cafe["id"], "Flat white", modifier_group_ids=[group["id"]])
    priced = await item(client, venue, cafe["id"], "Muffin")
    _, location = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    put = await client.put(
        f"/v1/menu/items/{priced['id']}/location-prices/{location}",
        json={"price_minor": 700},
        auth=venue.owner,
    )
    assert put.status_code == 200, put.text
    spare_tax = await client.post(
        "/v1/tax/categories",
        json={"code": "spare", "name": "Spare", "rate_percent": "5"},
        auth=venue.owner,
    )
    return {
        "category": cafe["id"],
        "spare_category": spare["id"],
        "group": group["id"],
        "modifier": modifier["id"],
        "item": coffee["id"],
        "priced_item": priced["id"],
        "location": location,
        "gst": venue.tax["gst"],
        "gst_free": venue.tax["gst-free"],
        "spare_tax": spare_tax.json()["id"],
    }


@pytest.mark.parametrize("write", sorted(WRITES))
async def test_every_write_that_prices_or_taxes_a_sale_moves_the_version(
    write: str,
    venue: Venue,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    made = await _arrange(orders_client, venue, connect_as, token)
    before = await version_of(connect_as, venue.tenant)
    response = await WRITES[write](orders_client, venue, made)
    assert response.status_code < 300, response.text
    assert await version_of(connect_as, venue.tenant) > before


async def test_reads_and_other_writes_leave_the_version(
    venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect, provision: Provision
) -> None:
    other = await provision()
    theirs = await version_of(connect_as, other)
    before = await version_of(connect_as, venue.tenant)
    for path in ("/v1/menu", "/v1/menu/items", "/v1/tax/categories", "/v1/tax/settings"):
        assert (await orders_client.get(path, auth=venue.owner)).status_code == 200
    limits = await orders_client.patch(
        "/v1/settings/override-limits", json={"void_limit_minor": 500}, auth=venue.owner
    )
    assert limits.status_code == 200, limits.text
    # The pricing basis sent unchanged is no change either.
    same = await orders_client.patch(
        "/v1/tax/settings", json={"prices_include_tax": True, "version": 1}, auth=venue.owner
    )
    assert same.status_code == 200, same.text
    assert await version_of(connect_as, venue.tenant) == before
    # A menu write of one business never moves another's.
    await category(orders_client, venue, "Ours")
    assert await version_of(connect_as, venue.tenant) > before
    assert await version_of(connect_as, other) == theirs


async def test_a_version_taken_by_a_rolled_back_write_is_never_seen_again(
    venue: Venue, connect_as: Connect
) -> None:
    orders = await connect_as("orders")
    transaction = orders.transaction()
    await transaction.start()
    await bind_tenant(orders, venue.tenant)
    await orders.execute(
        "INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Gone')", uuid.uuid4()
    )
    abandoned = await orders.fetchval("SELECT catalog_version FROM orders.settings")
    await transaction.rollback()
    before = await version_of(connect_as, venue.tenant)
    assert before < abandoned
    await as_service(
        connect_as,
        "orders",
        venue.tenant,
        "INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Kept')",
        uuid.uuid4(),
    )
    after = await version_of(connect_as, venue.tenant)
    assert after > abandoned  # a snapshot cached at `abandoned` can never match again


# -- against Postgres: the cache -------------------------------------------------------------


async def test_a_hit_makes_no_query_and_a_write_reloads(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    cafe = await category(orders_client, venue, "Cafe")
    coffee = await item(orders_client, venue, cafe["id"], "Flat white", price_minor=450)
    _, location = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    cache = SnapshotCache()
    database = service_databases["orders"]
    async with database.provisioning_transaction(venue.tenant) as connection:
        version = await read_catalog_version(connection)
        first = await cache.get(
            connection, tenant_id=venue.tenant, location_id=location, version=version
        )
    assert (cache.loads, cache.hits, first.version) == (1, 0, version)
    now = datetime.now(UTC)
    assert first.unit_price(uuid.UUID(coffee["id"]), now) == 450

    # A hit does not touch the connection at all: a closed one will do.
    closed = await connect_as("orders")
    await closed.close()
    again = await cache.get(closed, tenant_id=venue.tenant, location_id=location, version=version)
    assert again is first and (cache.loads, cache.hits) == (1, 1)

    changed = await orders_client.patch(
        f"/v1/menu/items/{coffee['id']}", json={"price_minor": 480, "version": 1}, auth=venue.owner
    )
    assert changed.status_code == 200, changed.text
    async with database.provisioning_transaction(venue.tenant) as connection:
        newer = await read_catalog_version(connection)
        second = await cache.get(
            connection, tenant_id=venue.tenant, location_id=location, version=newer
        )
    assert newer > version and second.version == newer and cache.loads == 2
    assert second.unit_price(uuid.UUID(coffee["id"]), datetime.now(UTC)) == 480
    # The old snapshot still answers for the moment before the change, and so does the new.
    assert second.unit_price(uuid.UUID(coffee["id"]), now) == 450


async def test_another_business_never_gets_this_ones_snapshot(
    venue: Venue,
    provision: Provision,
    orders_client: httpx.AsyncClient,
    service_databases: dict[str, TenantDatabase],
) -> None:
    cafe = await category(orders_client, venue, "Cafe")
    ours = await item(orders_client, venue, cafe["id"], "Flat white")
    other = await provision("eu")
    cache = SnapshotCache()
    database = service_databases["orders"]
    async with database.provisioning_transaction(venue.tenant) as connection:
        version = await read_catalog_version(connection)
        mine = await cache.get(
            connection, tenant_id=venue.tenant, location_id=None, version=version
        )
    assert mine.item(uuid.UUID(ours["id"])) is not None
    async with database.provisioning_transaction(other) as connection:
        theirs_version = await read_catalog_version(connection)
        # Their version is never ours (one sequence for every business).
        assert theirs_version != version
        theirs = await cache.get(
            connection, tenant_id=other, location_id=None, version=theirs_version
        )
        # A caller naming our business over their connection is refused, even with our
        # version: nothing is filed under a business the connection is not bound to.
        with pytest.raises(WrongTenant):
            await cache.get(connection, tenant_id=venue.tenant, location_id=None, version=-1)
    assert theirs.item(uuid.UUID(ours["id"])) is None and theirs.currency == "EUR"
    assert theirs.business == other and len(cache) == 2
    async with database.provisioning_transaction(venue.tenant) as connection:
        assert (
            await cache.get(connection, tenant_id=venue.tenant, location_id=None, version=version)
        ) is mine


async def test_a_business_never_provisioned_has_no_snapshot(
    connect_as: Connect, service_databases: dict[str, TenantDatabase]
) -> None:
    unknown = uuid.uuid4()
    async with service_databases["orders"].provisioning_transaction(unknown) as connection:
        with pytest.raises(TaxSettingsNotFound):
            await read_catalog_version(connection)
        with pytest.raises(TaxSettingsNotFound):
            await load_snapshot(connection, location_id=None)
    # Nor over a connection bound to no business at all: row-level security hides every row.
    unbound = await connect_as("orders")
    with pytest.raises(TaxSettingsNotFound):
        await load_snapshot(unbound, location_id=None)


async def test_a_menu_changed_while_it_is_read_is_read_again(
    venue: Venue,
    connect_as: Connect,
    admin: asyncpg.Connection,
    service_databases: dict[str, TenantDatabase],
) -> None:
    """A change committed between two of the load's queries would mix two states of the menu
    under one version: the load sees the version move and reads it all again."""
    writer = await connect_as("orders")
    transaction = writer.transaction()
    await transaction.start()
    await bind_tenant(writer, venue.tenant)
    # Holds the load at its modifiers query, after it has read the version and categories.
    await writer.execute("LOCK TABLE orders.modifiers IN ACCESS EXCLUSIVE MODE")
    async with service_databases["orders"].provisioning_transaction(venue.tenant) as connection:
        started = await read_catalog_version(connection)
        reader = (await driver_connection(connection)).get_server_pid()
        loading = asyncio.create_task(load_snapshot(connection, location_id=None))
        for _ in range(1000):
            waiting = await admin.fetchval(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", reader
            )
            if waiting:
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail("the load never reached the locked table")
        await writer.execute(
            "INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Late')", uuid.uuid4()
        )
        await transaction.commit()
        snapshot = await loading
        assert snapshot.version == await read_catalog_version(connection) > started
    assert [category.name for category in snapshot.categories] == ["Late"]


async def test_the_cache_keeps_the_most_recently_used_and_concurrent_loads_agree(
    venue: Venue,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    cafe = await category(orders_client, venue, "Cafe")
    await item(orders_client, venue, cafe["id"], "Flat white")
    venues = [(await a_cashier_at_a_venue(connect_as, token, venue.tenant))[1] for _ in range(3)]
    cache = SnapshotCache(max_size=2)
    database = service_databases["orders"]

    async def get(location: uuid.UUID) -> MenuSnapshot:
        async with database.provisioning_transaction(venue.tenant) as connection:
            version = await read_catalog_version(connection)
            return await cache.get(
                connection, tenant_id=venue.tenant, location_id=location, version=version
            )

    # Ten requests at once for one venue, on ten connections: each gets a whole snapshot.
    loaded = await asyncio.gather(*(get(venues[0]) for _ in range(10)))
    assert len({snapshot.version for snapshot in loaded}) == 1
    assert cache.loads + cache.hits == 10 and len(cache) == 1
    await get(venues[1])
    await get(venues[0])  # used again: now the most recent
    await get(venues[2])  # evicts venues[1], the least recently used
    assert len(cache) == 2
    loads = cache.loads
    await get(venues[0])
    assert cache.loads == loads
    await get(venues[1])
    assert cache.loads == loads + 1
    with pytest.raises(ValueError, match="at least 1"):
        SnapshotCache(max_size=0)


async def test_a_menu_written_outside_the_api_is_priced_too(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    """A menu stocked with raw SQL as the orders role (as tests/support/tills.py and the demo
    seed do) has its price history all the same: the triggers record it, whoever writes."""
    tenant = await provision()
    menu = await stock_menu(connect_as, tenant)
    _, location = await a_cashier_at_a_venue(connect_as, token, tenant)
    await as_service(
        connect_as,
        "orders",
        tenant,
        "INSERT INTO orders.menu_item_location_prices (item_id, location_id, price_minor) "
        "VALUES ($1, $2, 520)",
        menu.coffee_id,
        location,
    )
    async with service_databases["orders"].provisioning_transaction(tenant) as connection:
        there = await load_snapshot(connection, location_id=location)
        elsewhere = await load_snapshot(connection, location_id=None)
    now = datetime.now(UTC)
    coffee, bread = there.item(menu.coffee_id), there.item(menu.bread_id)
    assert coffee is not None and bread is not None
    assert (coffee.name, coffee.modifier_group_ids) == ("Flat white", (menu.milk_group_id,))
    assert there.unit_price(menu.coffee_id, now) == 520
    assert elsewhere.unit_price(menu.coffee_id, now) == 450
    assert there.unit_price(menu.bread_id, now) == 300
    assert there.modifier_price(menu.oat_milk_id, now) == 50
    assert there.tax_rate(coffee.tax_category_id, now) == Decimal("10.000")
    assert there.tax_rate(bread.tax_category_id, now) == Decimal("0.000")
    group = there.group(menu.milk_group_id)
    assert group is not None and (group.min_choices, group.max_choices) == (0, 1)


# -- against Postgres: the history the triggers keep -----------------------------------------


async def test_every_price_written_is_recorded_with_who_wrote_it(
    venue: Venue, orders_client: httpx.AsyncClient, connect_as: Connect, token: TokenFactory
) -> None:
    cafe = await category(orders_client, venue, "Cafe")
    coffee = await item(orders_client, venue, cafe["id"], "Flat white", price_minor=450)
    _, location = await a_cashier_at_a_venue(connect_as, token, venue.tenant)
    manager = token(venue.tenant, Role.MANAGER, subject="staff-manager")
    path = f"/v1/menu/items/{coffee['id']}"
    await orders_client.patch(path, json={"price_minor": 480, "version": 1}, auth=manager)
    await orders_client.patch(path, json={"name": "Flat white (large)", "version": 2}, auth=manager)
    venue_path = f"{path}/location-prices/{location}"
    await orders_client.put(venue_path, json={"price_minor": 600}, auth=manager)
    await orders_client.delete(venue_path, auth=venue.owner)
    # A writer outside the API (a fixture, a migration) is recorded too, by its role.
    await as_service(
        connect_as,
        "orders",
        venue.tenant,
        "UPDATE orders.menu_items SET price_minor = 490 WHERE id = $1",
        uuid.UUID(coffee["id"]),
    )
    rows = await as_service(
        connect_as,
        "orders",
        venue.tenant,
        "SELECT location_id, price_minor, created_by FROM orders.menu_prices "
        "WHERE item_id = $1 ORDER BY effective_from",
        uuid.UUID(coffee["id"]),
    )
    assert [tuple(row) for row in rows] == [
        (None, 450, "staff-owner"),
        (None, 480, "staff-manager"),  # the rename wrote no price
        (location, 600, "staff-manager"),
        (location, None, "staff-owner"),  # the venue is back on the item's price
        (None, 490, "halopos_orders"),
    ]


async def test_the_history_is_insert_only_for_the_service(
    venue: Venue, connect_as: Connect
) -> None:
    for statement in (
        "UPDATE orders.menu_prices SET price_minor = 0",
        "DELETE FROM orders.menu_prices",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await as_service(connect_as, "orders", venue.tenant, statement)


# -- the migration -------------------------------------------------------------------------


async def test_the_migration_gives_every_existing_price_a_history(
    database: PreparedDatabase,
) -> None:
    scratch = f"{TEST_DATABASE}_menu_prices"
    await recreate_database(database.admin_url, scratch)
    admin_url = with_database(database.admin_url, scratch)
    config = alembic_config(admin_url)
    await asyncio.to_thread(command.upgrade, config, "20261129_0900")
    tenant, location, tax, cafe, coffee, group, oat = (uuid.uuid4() for _ in range(7))
    made = datetime(2026, 11, 30, 8, tzinfo=UTC)
    # As the migration admin (a superuser: row-level security does not apply), the rows a
    # business had before the history existed.
    connection = await asyncpg.connect(admin_url)
    try:
        for statement, args in (
            (
                "INSERT INTO identity.tenants (tenant_id, name, region, currency) "
                "VALUES ($1, 'Harbour Lane Cafe', 'ap-southeast-2', 'AUD')",
                (tenant,),
            ),
            (
                "INSERT INTO identity.locations (tenant_id, id, name, time_zone, "
                "business_day_cutoff_hour) VALUES ($1, $2, 'Bar', 'Australia/Sydney', 3)",
                (tenant, location),
            ),
            ("INSERT INTO orders.settings (tenant_id, currency) VALUES ($1, 'AUD')", (tenant,)),
            (
                "INSERT INTO orders.tax_categories (tenant_id, id, code, name) "
                "VALUES ($1, $2, 'gst', 'GST')",
                (tenant, tax),
            ),
            (
                "INSERT INTO orders.menu_categories (tenant_id, id, name) VALUES ($1, $2, 'Cafe')",
                (tenant, cafe),
            ),
            (
                "INSERT INTO orders.menu_items (tenant_id, id, category_id, tax_category_id, name, "
                "price_minor, created_at) VALUES ($1, $2, $3, $4, 'Flat white', 450, $5)",
                (tenant, coffee, cafe, tax, made),
            ),
            (
                "INSERT INTO orders.menu_item_location_prices (tenant_id, item_id, location_id, "
                "price_minor) VALUES ($1, $2, $3, 600)",
                (tenant, coffee, location),
            ),
            (
                "INSERT INTO orders.modifier_groups (tenant_id, id, name) VALUES ($1, $2, 'Milk')",
                (tenant, group),
            ),
            (
                "INSERT INTO orders.modifiers (tenant_id, id, group_id, name, price_minor, "
                "created_at) VALUES ($1, $2, $3, 'Oat', 50, $4)",
                (tenant, oat, group, made),
            ),
        ):
            await connection.execute(statement, *args)
        await asyncio.to_thread(command.upgrade, config, "20261207_0900")
        rows = await connection.fetch(
            "SELECT item_id, modifier_id, location_id, price_minor, effective_from, created_by "
            "FROM orders.menu_prices WHERE tenant_id = $1 ORDER BY price_minor",
            tenant,
        )
        assert [tuple(row) for row in rows] == [
            (None, oat, None, 50, made, "migration"),
            (coffee, None, None, 450, made, "migration"),
            (coffee, None, location, 600, made, "migration"),
        ]
        version = await connection.fetchval(
            "SELECT catalog_version FROM orders.settings WHERE tenant_id = $1", tenant
        )
        assert version is not None
        await asyncio.to_thread(command.downgrade, config, "20261129_0900")
        assert await connection.fetchval("SELECT to_regclass('orders.menu_prices')") is None
        assert await connection.fetchval("SELECT count(*) FROM orders.menu_items") == 1
    finally:
        await connection.close()
        admin = await asyncpg.connect(database.admin_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        finally:
            await admin.close()
