"""The menu and tax as one venue sells them, for pricing sales: a snapshot, cached in the process.

`MenuSnapshot` holds everything a sale at one location is priced with: the business's pricing
basis, every item (archived ones too, with the moment they were archived), its category and
printer role, its tax category and modifier groups, every modifier and group rule, and the
full histories of prices and tax rates. Its lookups are pure and answer for any moment, now
or in the past (an offline sale uploaded later is priced as it was when it happened).

Invalidation rule: `orders.settings.catalog_version` changes in the same transaction as every
write to what a sale is priced or taxed with. Database triggers see to it, whoever writes
(the menu and tax APIs, provisioning, a migration): each statement on a menu or tax table, and
each change of the settings' pricing columns, takes the next value of one sequence
(20261207_0900_menu_prices.py). A snapshot is cached under the version it was loaded at; the
caller passes the version its own transaction reads (`read_catalog_version`, or
`CATALOG_VERSION_SQL` inside a query it makes anyway), and any other version loads afresh.
Sequence values are never reused, so a version written by a transaction that rolled back can
never match a later state, and versions are unique across businesses.

A snapshot is loaded with a handful of plain queries through asyncpg, and read again if the
version moved meanwhile (one statement returning arrays of rows would be one consistent view,
but measured 5 to 10 times slower to decode). A cache hit makes no query. The cache is keyed
by (tenant, location), holds a few thousand snapshots (the least recently used go first) and
lives in one event loop: nothing awaits between reading an entry and using it, so concurrent
requests need no lock.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple, TypeAlias
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.problems import Problem
from libs.tenancy.database import driver_connection
from services.orders.tax.service import TaxSettingsNotFound

# For a caller that reads the version inside a query of its own: `(SELECT ...) AS version`.
CATALOG_VERSION_SQL = "SELECT catalog_version FROM orders.settings"
DEFAULT_MAX_SNAPSHOTS = 4096

# A tenant-bound SQLAlchemy connection (a request's), or the asyncpg one under it.
Connection: TypeAlias = AsyncConnection | asyncpg.Connection


class WrongTenant(RuntimeError):
    """The connection is bound to another business than the one the caller named."""


# -- histories ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceChange:
    """A price from a moment on. None (a venue's price only): the venue's own price ends and
    the item's price applies there again."""

    effective_from: datetime
    price_minor: int | None


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("`at` must be timezone-aware")
    return at


def change_in_force(changes: Sequence[PriceChange], at: datetime) -> PriceChange | None:
    """The change with the latest `effective_from <= at` (changes oldest first), or None
    before the first."""
    index = bisect_right(changes, _aware(at), key=lambda change: change.effective_from)
    return changes[index - 1] if index else None


def business_price(changes: Sequence[PriceChange], at: datetime) -> int | None:
    """An item's or modifier's own price at `at`. Its first price also answers for a moment
    before it: the item was on the till's menu, so a sale dated earlier is a till's clock
    behind ours, not a sale of something that did not exist. None: no price at all."""
    change = change_in_force(changes, at) or (changes[0] if changes else None)
    return change.price_minor if change is not None else None


def venue_price(changes: Sequence[PriceChange], at: datetime) -> int | None:
    """A venue's own price at `at`: None before its first, or after it was removed."""
    change = change_in_force(changes, at)
    return change.price_minor if change is not None else None


def item_price(
    business: Sequence[PriceChange], venue: Sequence[PriceChange], at: datetime
) -> int | None:
    """What one of an item cost at a venue at `at`: the venue's own price if it had one in
    force then, else the item's price then."""
    own = venue_price(venue, at)
    return own if own is not None else business_price(business, at)


@dataclass(frozen=True, slots=True)
class RateChange:
    effective_from: datetime
    rate_percent: Decimal


def rate_in_force(changes: Sequence[RateChange], at: datetime) -> Decimal | None:
    """The tax rate with the latest `effective_from <= at`; None if none was in force then
    (as `TaxRepository.rates_in_force`: no rate is never read as 0%)."""
    index = bisect_right(changes, _aware(at), key=lambda change: change.effective_from)
    return changes[index - 1].rate_percent if index else None


def _active(archived_at: datetime | None, at: datetime) -> bool:
    """Not archived at `at`: never, or only later (it was still on sale then)."""
    return archived_at is None or archived_at > _aware(at)


# -- what a snapshot holds ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnapshotCategory:
    id: UUID
    name: str
    # Where its items are made: their lines print there when fired (None: nowhere).
    printer_role: str | None
    archived_at: datetime | None

    def sellable_at(self, at: datetime) -> bool:
        return _active(self.archived_at, at)


@dataclass(frozen=True, slots=True)
class SnapshotGroup:
    """A modifier group and its rule: choose between `min_choices` and `max_choices`."""

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    archived_at: datetime | None

    def offered_at(self, at: datetime) -> bool:
        """On the till at `at` (an archived group is hidden, and its rule no longer applies)."""
        return _active(self.archived_at, at)


@dataclass(frozen=True, slots=True)
class SnapshotModifier:
    id: UUID
    group_id: UUID
    name: str
    archived_at: datetime | None
    group_archived_at: datetime | None

    def sellable_at(self, at: datetime) -> bool:
        """Offered at `at`: neither it nor its group archived then (the till hides both)."""
        return _active(self.archived_at, at) and _active(self.group_archived_at, at)


@dataclass(frozen=True, slots=True)
class SnapshotItem:
    id: UUID
    name: str
    category_id: UUID
    printer_role: str | None
    tax_category_id: UUID
    # Every group linked to the item, in the order the till offers them (archived ones too:
    # see `MenuSnapshot.offered_groups`).
    modifier_group_ids: tuple[UUID, ...]
    archived_at: datetime | None
    category_archived_at: datetime | None

    def sellable_at(self, at: datetime) -> bool:
        """On sale at `at`: neither it nor its category archived then. An item archived after
        an offline sale was still on sale when the sale happened."""
        return _active(self.archived_at, at) and _active(self.category_archived_at, at)


def _frozen(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class MenuSnapshot:
    """Everything a sale at one location is priced and taxed with, at one catalog version.
    Immutable; every lookup is pure. Moments are timezone-aware UTC instants."""

    business: UUID  # the tenant whose catalog this is
    location_id: UUID | None
    version: int
    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    # In the till's display order: categories by position, items by position.
    categories: tuple[SnapshotCategory, ...]
    items: tuple[SnapshotItem, ...]
    _items: Mapping[UUID, SnapshotItem] = field(repr=False)
    _categories: Mapping[UUID, SnapshotCategory] = field(repr=False)
    _groups: Mapping[UUID, SnapshotGroup] = field(repr=False)
    _modifiers: Mapping[UUID, SnapshotModifier] = field(repr=False)
    # Each group's modifiers in the till's order.
    _group_modifiers: Mapping[UUID, tuple[SnapshotModifier, ...]] = field(repr=False)
    _item_prices: Mapping[UUID, tuple[PriceChange, ...]] = field(repr=False)
    _venue_prices: Mapping[UUID, tuple[PriceChange, ...]] = field(repr=False)
    _modifier_prices: Mapping[UUID, tuple[PriceChange, ...]] = field(repr=False)
    _rates: Mapping[UUID, tuple[RateChange, ...]] = field(repr=False)

    def item(self, item_id: UUID) -> SnapshotItem | None:
        """The item, archived or not; None if the business has no such item."""
        return self._items.get(item_id)

    def category(self, category_id: UUID) -> SnapshotCategory | None:
        return self._categories.get(category_id)

    def unit_price(self, item_id: UUID, at: datetime) -> int | None:
        """What one of the item cost at this location at `at`: the venue's own price if it
        had one in force then, else the item's price then. None for an unknown item."""
        return item_price(
            self._item_prices.get(item_id, ()), self._venue_prices.get(item_id, ()), at
        )

    def modifier(self, modifier_id: UUID) -> SnapshotModifier | None:
        return self._modifiers.get(modifier_id)

    def modifier_price(self, modifier_id: UUID, at: datetime) -> int | None:
        """What the modifier added to an item's price at `at`; None if unknown."""
        return business_price(self._modifier_prices.get(modifier_id, ()), at)

    def group(self, group_id: UUID) -> SnapshotGroup | None:
        """A modifier group's rule, archived or not."""
        return self._groups.get(group_id)

    def offered_groups(self, item: SnapshotItem, at: datetime) -> list[SnapshotGroup]:
        """The item's groups the till offered at `at` (archived ones are hidden, so their
        rules did not apply), in the till's order."""
        groups = (self._groups.get(group_id) for group_id in item.modifier_group_ids)
        return [group for group in groups if group is not None and group.offered_at(at)]

    def modifiers_of(self, group_id: UUID) -> tuple[SnapshotModifier, ...]:
        """A group's modifiers in the till's order, archived ones too."""
        return self._group_modifiers.get(group_id, ())

    def tax_rate(self, tax_category_id: UUID, at: datetime) -> Decimal | None:
        """The category's rate in force at `at`; None if it had none then (or is unknown)."""
        return rate_in_force(self._rates.get(tax_category_id, ()), at)


# -- loading -----------------------------------------------------------------------------------


class CatalogRows(NamedTuple):
    """What a snapshot is built from, as the load queries return it (tuples in the order of
    their SELECT lists). Display orders are the till's (as GET /v1/menu shows them)."""

    version: int
    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    tenant_id: UUID
    categories: Sequence[Sequence[Any]]
    items: Sequence[Sequence[Any]]
    links: Sequence[Sequence[Any]]
    groups: Sequence[Sequence[Any]]
    modifiers: Sequence[Sequence[Any]]
    prices: Sequence[Sequence[Any]]
    rates: Sequence[Sequence[Any]]


_SETTINGS = """
SELECT catalog_version, currency, prices_include_tax, cash_rounding_minor,
       nullif(current_setting('app.tenant_id', true), '')::uuid
  FROM orders.settings
"""
_CATEGORIES = """
SELECT id, name, printer_role, archived_at FROM orders.menu_categories
 ORDER BY position, name, id
"""
_ITEMS = """
SELECT id, name, category_id, tax_category_id, archived_at FROM orders.menu_items
 ORDER BY position, name, id
"""
_LINKS = """
SELECT item_id, group_id FROM orders.menu_item_modifier_groups ORDER BY item_id, position, group_id
"""
_GROUPS = "SELECT id, name, min_choices, max_choices, archived_at FROM orders.modifier_groups"
_MODIFIERS = """
SELECT id, group_id, name, archived_at FROM orders.modifiers
 ORDER BY group_id, position, name, id
"""
_PRICES = """
SELECT item_id, modifier_id, location_id, price_minor, effective_from FROM orders.menu_prices
 WHERE location_id IS NULL OR location_id = $1::uuid
 ORDER BY effective_from
"""
# Last, with the version read again: the settings row is always there, the rates may not be.
_RATES_AND_VERSION = """
SELECT s.catalog_version, r.tax_category_id, r.rate_percent, r.effective_from
  FROM orders.settings s LEFT JOIN orders.tax_rates r ON true
 ORDER BY r.effective_from
"""
# A snapshot whose version moved while it was read is read again, this many times at most.
_LOAD_ATTEMPTS = 3


class MenuChanging(Problem):
    status = 503
    code = "menu-changing"
    title = "The menu changed while it was being read; retry"


async def _driver(connection: Connection) -> asyncpg.Connection:
    if isinstance(connection, AsyncConnection):
        return await driver_connection(connection)
    return connection


async def read_catalog_version(connection: Connection) -> int:
    """The business's catalog version, as the connection's transaction sees it. Raises
    TaxSettingsNotFound (404) for a business that was never provisioned."""
    version: int | None = await (await _driver(connection)).fetchval(CATALOG_VERSION_SQL)
    if version is None:
        raise TaxSettingsNotFound()
    return version


def _histories(
    rows: Iterable[tuple[UUID, datetime, Any]],
) -> dict[UUID, list[tuple[datetime, Any]]]:
    grouped: dict[UUID, list[tuple[datetime, Any]]] = defaultdict(list)
    for key, moment, value in rows:
        grouped[key].append((moment, value))
    return grouped


def _price_histories(
    rows: list[tuple[UUID, datetime, int | None]],
) -> Mapping[UUID, tuple[PriceChange, ...]]:
    return _frozen(
        {
            key: tuple(PriceChange(moment, price) for moment, price in history)
            for key, history in _histories(rows).items()
        }
    )


def build_snapshot(rows: CatalogRows, *, location_id: UUID | None) -> MenuSnapshot:
    """A snapshot from what the load queries returned (pure: tests build from rows too)."""
    categories = tuple(SnapshotCategory(*category) for category in rows.categories)
    by_category = {category.id: category for category in categories}
    links: dict[UUID, list[UUID]] = defaultdict(list)
    for item_id, group_id in rows.links:
        links[item_id].append(group_id)
    items = []
    for item_id, name, category_id, tax_category_id, archived_at in rows.items:
        category = by_category[category_id]
        items.append(
            SnapshotItem(
                id=item_id,
                name=name,
                category_id=category_id,
                printer_role=category.printer_role,
                tax_category_id=tax_category_id,
                modifier_group_ids=tuple(links[item_id]),
                archived_at=archived_at,
                category_archived_at=category.archived_at,
            )
        )
    groups = {group.id: group for group in (SnapshotGroup(*group) for group in rows.groups)}
    modifiers: dict[UUID, SnapshotModifier] = {}
    group_modifiers: dict[UUID, list[SnapshotModifier]] = defaultdict(list)
    for modifier_id, group_id, name, archived_at in rows.modifiers:
        modifier = SnapshotModifier(
            modifier_id, group_id, name, archived_at, groups[group_id].archived_at
        )
        modifiers[modifier_id] = modifier
        group_modifiers[group_id].append(modifier)
    item_prices: list[tuple[UUID, datetime, int | None]] = []
    venue_prices: list[tuple[UUID, datetime, int | None]] = []
    modifier_prices: list[tuple[UUID, datetime, int | None]] = []
    # Oldest first (the query's order), so every history below is too.
    for item_id, modifier_id, venue_id, price_minor, effective_from in rows.prices:
        if modifier_id is not None:
            modifier_prices.append((modifier_id, effective_from, price_minor))
        elif venue_id is not None:
            venue_prices.append((item_id, effective_from, price_minor))
        else:
            item_prices.append((item_id, effective_from, price_minor))
    rates = {
        key: tuple(RateChange(moment, rate) for moment, rate in history)
        for key, history in _histories(
            (category_id, moment, rate) for category_id, rate, moment in rows.rates
        ).items()
    }
    return MenuSnapshot(
        business=rows.tenant_id,
        location_id=location_id,
        version=rows.version,
        currency=rows.currency,
        prices_include_tax=rows.prices_include_tax,
        cash_rounding_minor=rows.cash_rounding_minor,
        categories=categories,
        items=tuple(items),
        _items=_frozen({item.id: item for item in items}),
        _categories=_frozen(by_category),
        _groups=_frozen(groups),
        _modifiers=_frozen(modifiers),
        _group_modifiers=_frozen({key: tuple(value) for key, value in group_modifiers.items()}),
        _item_prices=_price_histories(item_prices),
        _venue_prices=_price_histories(venue_prices),
        _modifier_prices=_price_histories(modifier_prices),
        _rates=_frozen(rates),
    )


async def _read_rows(driver: asyncpg.Connection, location_id: UUID | None) -> CatalogRows | None:
    """One consistent reading, or None if the version moved while it was read. Under READ
    COMMITTED each query sees what is committed when it starts; every write to these tables
    moves the version in its own transaction, so the same version before and after means
    every query saw the same catalog."""
    settings = await driver.fetchrow(_SETTINGS)
    if settings is None or settings[4] is None:
        raise TaxSettingsNotFound()
    version, currency, prices_include_tax, cash_rounding_minor, tenant_id = settings
    categories = await driver.fetch(_CATEGORIES)
    items = await driver.fetch(_ITEMS)
    links = await driver.fetch(_LINKS)
    groups = await driver.fetch(_GROUPS)
    modifiers = await driver.fetch(_MODIFIERS)
    prices = await driver.fetch(_PRICES, location_id)
    rates_and_version = await driver.fetch(_RATES_AND_VERSION)
    if not rates_and_version or rates_and_version[0][0] != version:
        return None
    rates = [tuple(row[1:]) for row in rates_and_version if row[1] is not None]
    return CatalogRows(
        version,
        currency,
        prices_include_tax,
        cash_rounding_minor,
        tenant_id,
        categories,
        items,
        links,
        groups,
        modifiers,
        prices,
        rates,
    )


async def load_snapshot(connection: Connection, *, location_id: UUID | None) -> MenuSnapshot:
    """Read a snapshot now, uncached: a handful of queries (asyncpg), read again if the menu
    changed meanwhile. Raises TaxSettingsNotFound for a business that was never provisioned
    (or a connection bound to no business), MenuChanging (503) if it kept changing."""
    driver = await _driver(connection)
    for _ in range(_LOAD_ATTEMPTS):
        rows = await _read_rows(driver, location_id)
        if rows is not None:
            return build_snapshot(rows, location_id=location_id)
    raise MenuChanging()


# -- the cache ---------------------------------------------------------------------------------


class SnapshotCache:
    """Snapshots by (tenant, location), each valid for exactly the version it was loaded at."""

    def __init__(self, max_size: int = DEFAULT_MAX_SNAPSHOTS) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self._entries: OrderedDict[tuple[UUID, UUID | None], MenuSnapshot] = OrderedDict()
        self.hits = 0
        self.loads = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def get(
        self,
        connection: Connection,
        *,
        tenant_id: UUID,
        location_id: UUID | None,
        version: int,
    ) -> MenuSnapshot:
        """The snapshot for this location at `version`, the catalog version the caller's own
        transaction read; loaded through `connection` if the cache has another version.

        `tenant_id` comes from the verified principal whose tenant the connection is bound to
        (never from a request); a load through a connection bound to another business raises
        WrongTenant, so no snapshot is ever filed under the wrong business. A load may see a
        newer version than `version` (a change committed between the caller's statement and
        the load, under READ COMMITTED): the newer snapshot is returned and cached."""
        key = (tenant_id, location_id)
        cached = self._entries.get(key)
        if cached is not None and cached.version == version:
            self._entries.move_to_end(key)
            self.hits += 1
            return cached
        loaded = await load_snapshot(connection, location_id=location_id)
        self.loads += 1
        if loaded.business != tenant_id:
            raise WrongTenant("the connection is bound to another business")
        # Re-read after the await: a concurrent request may have stored a newer one. A
        # business's versions are written under its settings row's lock, so they are
        # committed in increasing order: the higher version is the newer state.
        current = self._entries.get(key)
        if current is None or current.version <= loaded.version:
            self._entries[key] = loaded
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)
        return loaded

    def clear(self) -> None:
        self._entries.clear()


# The process's cache, shared by every request of the orders service.
snapshots = SnapshotCache()
