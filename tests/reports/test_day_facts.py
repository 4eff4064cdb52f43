"""The daily facts equal the orders they come from, whatever happened to the orders.

The reports read the facts the orders service keeps as sales commit (libs/sales/day_facts.py,
orders.day_*). A seeded-random day at one venue is sold through the real orders service: two
tills online (orders opened, lines voided, paid in cash, by card, split, declined, left
open with a part paid, voided, closed, refunded by line and by amount, one till refunding the
other's sale) and a third offline whose queue reaches the server later, its sales closed at
past times around midnight and the 3 am cutoff, with split payments on both sides of them.
Then every fact table must equal what the per-order SQL computes from orders, payments and
refunds: the reports' rollups as they were before the facts (by `width_bucket` over the
business days' boundaries), and the tax attributions by calendar date and payment share,
written again in SQL here. So the facts are the per-order arithmetic, summed.
(tests/reports/test_report_aggregate.py proves the reports over summed facts equal the reports
over each order's.)
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from libs.config import OWNER_ROLE
from libs.rbac import Role
from libs.sales import day_facts
from libs.sales.business_days import BusinessCalendar
from libs.sales.day_facts import NIL, Facts
from services.orders.day_facts import rebuild
from tests.support.database import Connect, Provision, as_service, as_tenant, bind_tenant
from tests.support.offline import Log, TillLog, allow_offline_approvals, offline_till
from tests.support.sale import pay, sell
from tests.support.tills import OpenTill, open_till
from tests.support.tokens import TokenFactory

SYDNEY = ZoneInfo("Australia/Sydney")
CALENDAR = BusinessCalendar.of("Australia/Sydney", 3)

# --- the per-order SQL: the reports' rollups before the facts, by register ------------------

_BUCKET = "width_bucket({}, CAST($2 AS timestamptz[]))"
_NIL = f"'{NIL}'::uuid"

REFERENCE = {
    "sales": f"""
        SELECT {_BUCKET.format("closed_at")} AS bucket, coalesce(register_id, {_NIL}) AS register,
               count(*), coalesce(sum(covers), 0), sum(subtotal_minor), sum(discount_minor),
               sum(service_charge_minor), sum(tip_minor), sum(rounding_minor)
          FROM orders.orders
         WHERE location_id = $1 AND status = 'closed'
         GROUP BY 1, 2
    """,
    "voided_orders": f"""
        SELECT {_BUCKET.format("closed_at")}, coalesce(register_id, {_NIL}), count(*),
               sum(total_minor)
          FROM orders.orders
         WHERE location_id = $1 AND status = 'voided'
         GROUP BY 1, 2
    """,
    "voided_lines": f"""
        SELECT {_BUCKET.format("o.closed_at")}, coalesce(o.register_id, {_NIL}), count(*),
               sum(l.total_minor)
          FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
         WHERE o.location_id = $1 AND o.status = 'closed' AND l.status = 'voided'
         GROUP BY 1, 2
    """,
    "refunds": f"""
        SELECT {_BUCKET.format("r.created_at")}, s.register_id, count(*), sum(r.amount_minor),
               sum(r.tax_minor)
          FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
         WHERE s.location_id = $1
         GROUP BY 1, 2
    """,
    "payments": f"""
        SELECT {_BUCKET.format("p.created_at")}, s.register_id, p.tender, count(*),
               sum(p.amount_minor)
          FROM orders.payments p JOIN orders.shifts s ON s.id = p.shift_id
         WHERE s.location_id = $1 AND p.status = 'approved'
         GROUP BY 1, 2, 3
    """,
    "given_back": f"""
        SELECT {_BUCKET.format("r.created_at")}, s.register_id, t.tender, sum(t.amount_minor)
          FROM orders.refund_tenders t JOIN orders.refunds r ON r.id = t.refund_id
          JOIN orders.shifts s ON s.id = t.shift_id
         WHERE s.location_id = $1
         GROUP BY 1, 2, 3
    """,
    "sales_tax": f"""
        SELECT {_BUCKET.format("o.closed_at")}, coalesce(o.register_id, {_NIL}), g.rate,
               sum(g.net_minor), sum(g.tax_minor), sum(g.gross_minor)
          FROM orders.orders o
         CROSS JOIN LATERAL jsonb_to_recordset(o.tax)
               AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
         WHERE o.location_id = $1 AND o.status = 'closed'
         GROUP BY 1, 2, 3
    """,
    "refunds_tax": f"""
        SELECT {_BUCKET.format("r.created_at")}, s.register_id, g.rate, sum(g.net_minor),
               sum(g.tax_minor), sum(g.gross_minor)
          FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
         CROSS JOIN LATERAL jsonb_to_recordset(r.tax)
               AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
         WHERE s.location_id = $1
         GROUP BY 1, 2, 3
    """,
    "items": f"""
        SELECT {_BUCKET.format("o.closed_at")}, coalesce(o.register_id, {_NIL}),
               coalesce(l.item_id, {_NIL}), l.name, sum(l.quantity), sum(l.gross_minor),
               sum(l.discount_minor), sum(l.service_charge_minor),
               sum(l.total_minor + l.service_charge_minor)
          FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
         WHERE o.location_id = $1 AND o.status = 'closed' AND l.status = 'active'
         GROUP BY 1, 2, 3, 4
    """,
    # Refunds by line under the line's item; what the lines do not account for (a refund by
    # amount, or cash rounding) under no item.
    "refunded_items": f"""
        SELECT {_BUCKET.format("r.created_at")}, s.register_id, coalesce(l.item_id, {_NIL}),
               g.name, sum(g.quantity), sum(g.amount_minor)
          FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
         CROSS JOIN LATERAL jsonb_to_recordset(r.lines)
               AS g(line_number int, name text, quantity int, amount_minor bigint)
          JOIN orders.order_lines l ON l.order_id = r.order_id AND l.line_number = g.line_number
         WHERE s.location_id = $1
         GROUP BY 1, 2, 3, 4
    """,
    "unattributed_refunds": f"""
        SELECT {_BUCKET.format("r.created_at")}, s.register_id,
               sum(r.amount_minor - coalesce((
                   SELECT sum((g ->> 'amount_minor')::bigint)
                     FROM jsonb_array_elements(r.lines) AS g), 0))
          FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
         WHERE s.location_id = $1
         GROUP BY 1, 2
    """,
    "modifiers": f"""
        SELECT {_BUCKET.format("o.closed_at")}, coalesce(o.register_id, {_NIL}),
               coalesce(m.id, {_NIL}), m.name, sum(l.quantity), sum(l.quantity * m.price_minor)
          FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
         CROSS JOIN LATERAL jsonb_to_recordset(l.modifiers)
               AS m(id uuid, name text, price_minor bigint)
         WHERE o.location_id = $1 AND o.status = 'closed' AND l.status = 'active'
         GROUP BY 1, 2, 3, 4
    """,
}

# Tax by calendar date at the venue ($2: its zone). Accrual: the whole invoice on the date of
# the earlier of the close and the first approved payment.
ACCRUAL = f"""
    SELECT (least(o.closed_at, (SELECT min(p.created_at) FROM orders.payments p
                                 WHERE p.order_id = o.id AND p.status = 'approved'))
            AT TIME ZONE $2)::date,
           coalesce(o.register_id, {_NIL}), false, g.rate,
           sum(g.net_minor), sum(g.tax_minor), sum(g.gross_minor)
      FROM orders.orders o
     CROSS JOIN LATERAL jsonb_to_recordset(o.tax)
           AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
     WHERE o.location_id = $1 AND o.status = 'closed'
     GROUP BY 1, 2, 3, 4
"""
REFUNDS_BY_DATE = """
    SELECT (r.created_at AT TIME ZONE $2)::date, s.register_id, true, g.rate,
           sum(g.net_minor), sum(g.tax_minor), sum(g.gross_minor)
      FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
     CROSS JOIN LATERAL jsonb_to_recordset(r.tax)
           AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
     WHERE s.location_id = $1
     GROUP BY 1, 2, 3, 4
"""
# Cash: each approved payment's share of each figure, rounded down, the cents left over to
# the largest remainders (ties to the earlier payment); an order with no payment on the date
# it closed.
_SHARE = """
    base_{f} + CASE WHEN row_number() OVER (
        PARTITION BY order_id, rate ORDER BY rem_{f} DESC, n) <= left_{f} THEN 1 ELSE 0 END
"""
CASH = f"""
    WITH paid AS (
        SELECT p.order_id, p.created_at, p.amount_minor,
               row_number() OVER (PARTITION BY p.order_id ORDER BY p.created_at, p.id) AS n,
               (sum(p.amount_minor) OVER (PARTITION BY p.order_id))::bigint AS whole
          FROM orders.payments p WHERE p.status = 'approved'
    ), groups AS (
        SELECT o.id AS order_id, coalesce(o.register_id, {_NIL}) AS register, o.closed_at,
               g.rate, g.net_minor AS net, g.tax_minor AS tax, g.gross_minor AS gross
          FROM orders.orders o
         CROSS JOIN LATERAL jsonb_to_recordset(o.tax)
               AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
         WHERE o.location_id = $1 AND o.status = 'closed'
    ), parts AS (
        SELECT g.order_id, g.register, g.rate, p.created_at, p.n,
               g.net * p.amount_minor / p.whole AS base_net,
               g.net * p.amount_minor % p.whole AS rem_net,
               g.tax * p.amount_minor / p.whole AS base_tax,
               g.tax * p.amount_minor % p.whole AS rem_tax,
               g.gross * p.amount_minor / p.whole AS base_gross,
               g.gross * p.amount_minor % p.whole AS rem_gross,
               g.net, g.tax, g.gross
          FROM groups g JOIN paid p ON p.order_id = g.order_id
    ), leftover AS (
        SELECT *, net - sum(base_net) OVER w AS left_net, tax - sum(base_tax) OVER w AS left_tax,
               gross - sum(base_gross) OVER w AS left_gross
          FROM parts WINDOW w AS (PARTITION BY order_id, rate)
    ), shares AS (
        SELECT created_at, register, rate, {_SHARE.format(f="net")} AS net,
               {_SHARE.format(f="tax")} AS tax, {_SHARE.format(f="gross")} AS gross
          FROM leftover
        UNION ALL
        SELECT closed_at, register, rate, net, tax, gross FROM groups g
         WHERE NOT EXISTS (SELECT 1 FROM paid p WHERE p.order_id = g.order_id)
    )
    SELECT (created_at AT TIME ZONE $2)::date, register, false, rate, sum(net), sum(tax),
           sum(gross)
      FROM shares GROUP BY 1, 2, 3, 4
"""


def _ints(values: Any) -> list[int]:
    return [int(value) for value in values]


async def per_order_facts(connect_as: Connect, tenant: uuid.UUID, location: uuid.UUID) -> Facts:
    """The facts as the per-order SQL computes them, keyed as the fact tables are."""
    reports = await connect_as("reports")
    async with as_tenant(reports, tenant):
        first = CALENDAR.day_of(datetime.now(UTC)) - timedelta(days=5)
        last = CALENDAR.day_of(datetime.now(UTC)) + timedelta(days=1)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        bounds = CALENDAR.boundaries(first, last)
        rows = {
            name: await reports.fetch(query, location, bounds) for name, query in REFERENCE.items()
        }
        accrual = await reports.fetch(ACCRUAL, location, "Australia/Sydney")
        cash = await reports.fetch(CASH, location, "Australia/Sydney")
        by_date = await reports.fetch(REFUNDS_BY_DATE, location, "Australia/Sydney")

    def day(bucket: int) -> date:
        assert 0 < bucket <= len(days), "every sale is inside the days read"
        return days[bucket - 1]

    facts: list[Facts] = []
    sales, tenders, tax, items = "day_sales", "day_tenders", "day_tax", "day_items"

    def fact(table: str, key: tuple[Any, ...], **values: int) -> None:
        spec = day_facts.table_of((table,))
        facts.append({(table, *key): [values.get(name, 0) for name in spec.values]})

    for b, register, *n in rows["sales"]:
        orders, covers, gross, discounts, service, tips, rounding = _ints(n)
        fact(
            sales,
            (location, day(b), register),
            orders=orders,
            covers=covers,
            gross_sales_minor=gross,
            discounts_minor=discounts,
            service_charges_minor=service,
            tips_minor=tips,
            rounding_minor=rounding,
        )
    for b, register, count, amount in rows["voided_orders"]:
        fact(
            sales,
            (location, day(b), register),
            voided_orders=count,
            voided_orders_minor=int(amount),
        )
    for b, register, count, amount in rows["voided_lines"]:
        fact(
            sales, (location, day(b), register), voided_lines=count, voided_lines_minor=int(amount)
        )
    for b, register, count, amount, refund_tax in rows["refunds"]:
        fact(
            sales,
            (location, day(b), register),
            refunds=count,
            refunds_minor=int(amount),
            refunds_tax_minor=int(refund_tax),
        )
    for b, register, tender, count, amount in rows["payments"]:
        fact(tenders, (location, day(b), register, tender), payments=count, paid_minor=int(amount))
    for b, register, tender, amount in rows["given_back"]:
        fact(tenders, (location, day(b), register, tender), refunded_minor=int(amount))
    for name, refund in (("sales_tax", False), ("refunds_tax", True)):
        for b, register, rate, net, tax_minor, gross in rows[name]:
            fact(
                tax,
                (location, day(b), "business", register, refund, Decimal(rate)),
                net_minor=int(net),
                tax_minor=int(tax_minor),
                gross_minor=int(gross),
            )
    for attribution, sold in (("accrual", accrual), ("cash", cash)):
        for when, register, refund, rate, net, tax_minor, gross in [*sold, *by_date]:
            fact(
                tax,
                (location, when, attribution, register, refund, Decimal(rate)),
                net_minor=int(net),
                tax_minor=int(tax_minor),
                gross_minor=int(gross),
            )
    for b, register, item, name, *n in rows["items"]:
        quantity, gross, discounts, service, net = _ints(n)
        fact(
            items,
            (location, day(b), register, item, name),
            quantity=quantity,
            gross_sales_minor=gross,
            discounts_minor=discounts,
            service_charges_minor=service,
            net_sales_minor=net,
        )
    for b, register, item, name, quantity, amount in rows["refunded_items"]:
        fact(
            items,
            (location, day(b), register, item, name),
            refunded_quantity=int(quantity),
            refunds_minor=int(amount),
        )
    for b, register, amount in rows["unattributed_refunds"]:
        fact(items, (location, day(b), register, NIL, ""), refunds_minor=int(amount))
    for b, register, modifier, name, quantity, gross in rows["modifiers"]:
        fact(
            "day_modifiers",
            (location, day(b), register, modifier, name),
            quantity=int(quantity),
            gross_minor=int(gross),
        )
    return day_facts.summed(facts)


async def stored_facts(connect_as: Connect, tenant: uuid.UUID) -> Facts:
    """The fact tables as the reports service reads them."""
    reports = await connect_as("reports")
    facts: Facts = {}
    async with as_tenant(reports, tenant):
        for table in day_facts.TABLES:
            columns = ", ".join((*table.keys, *table.values))
            for row in await reports.fetch(f"SELECT {columns} FROM orders.{table.name}"):
                key = tuple(row[name] for name in table.keys)
                facts[(table.name, *key)] = [int(row[name]) for name in table.values]
    return day_facts.nonzero(facts)


# --- the day's trade ------------------------------------------------------------------------


class Online:
    """Two tills online, trading at random (seeded), as a manager (no override is asked)."""

    def __init__(self, client: httpx.AsyncClient, tills: list[OpenTill], seed: int) -> None:
        self.client = client
        self.tills = tills
        self.random = random.Random(seed)
        self.closed: list[tuple[dict[str, Any], OpenTill]] = []

    def lines(self, till: OpenTill) -> list[dict[str, Any]]:
        menu, chosen = till.menu, []
        for _ in range(self.random.randint(1, 4)):
            if self.random.random() < 0.6:
                line: dict[str, Any] = {
                    "item_id": str(menu.coffee_id),
                    "quantity": self.random.randint(1, 3),
                }
                if self.random.random() < 0.4:
                    line["modifier_ids"] = [str(menu.oat_milk_id)]
            else:
                line = {"item_id": str(menu.bread_id), "quantity": self.random.randint(1, 2)}
            chosen.append(line)
        return chosen

    async def post(self, till: OpenTill, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(path, json=body, auth=till.staff)
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def order(self) -> None:
        till = self.random.choice(self.tills)
        fields: dict[str, Any] = {"covers": self.random.randint(1, 4)}
        if self.random.random() < 0.3:
            fields["discount"] = {"kind": "percent", "value": self.random.choice([500, 1500])}
        if self.random.random() < 0.3:
            fields["service_charge_bps"] = 1_000
        order = await sell(self.client, till, {"lines": self.lines(till), **fields})
        url = f"/v1/orders/{order['id']}"
        if len(order["lines"]) > 1 and self.random.random() < 0.3:
            order = await self.post(
                till,
                f"{url}/lines/{len(order['lines'])}/void",
                {"version": order["version"], "reason_code": "entered_in_error"},
            )
        fate = self.random.random()
        if fate < 0.12:
            await self.post(
                till, f"{url}/void", {"version": order["version"], "reason_code": "walkout"}
            )
            return
        if self.random.random() < 0.2:  # declined by the terminal (amounts ending in 51)
            order = (await pay(self.client, till, order, tender="card", amount_minor=51))["order"]
        if self.random.random() < 0.4 and order["balance_minor"] > 100:
            part = self.random.randint(1, order["balance_minor"] - 1)
            part += 1 if part % 100 == 51 else 0
            order = (await pay(self.client, till, order, tender="card", amount_minor=part))["order"]
        if fate < 0.2:
            return  # left open, a part paid perhaps
        if self.random.random() < 0.5:
            tendered = order["balance_minor"] + self.random.choice([0, 50, 1_000])
            order = (await pay(self.client, till, order, tender="cash", tendered_minor=tendered))[
                "order"
            ]
        else:
            order = (await pay(self.client, till, order, tender="card"))["order"]
        closed = await self.post(till, f"{url}/close", {"version": order["version"]})
        self.closed.append((closed["order"], till))

    async def refund(self) -> None:
        if not self.closed:
            return
        order, _ = self.random.choice(self.closed)
        till = self.random.choice(self.tills)  # perhaps the other till
        fresh = (await self.client.get(f"/v1/orders/{order['id']}", auth=till.staff)).json()
        if fresh["paid_minor"] - fresh["refunded_minor"] <= 0:
            return
        body: dict[str, Any] = {"version": fresh["version"], "reason_code": "quality_issue"}
        active = [
            line
            for line in fresh["lines"]
            if line["status"] == "active" and line["refunded_quantity"] < line["quantity"]
        ]
        if active and self.random.random() < 0.6:
            body["lines"] = [
                {"line_number": self.random.choice(active)["line_number"], "quantity": 1}
            ]
        else:
            left = fresh["paid_minor"] - fresh["refunded_minor"]
            body["amount_minor"] = self.random.randint(1, min(left, 400))
        response = await self.client.post(
            f"/v1/orders/{order['id']}/refunds", json=body, auth=till.staff
        )
        # A refund by line worth more than is left to give back is refused: nothing changes.
        assert response.status_code in (201, 409, 422), response.text


def night(now: datetime) -> datetime:
    """23:30 at the venue, two nights ago: the offline till's night runs past midnight and
    past the 3 am cutoff."""
    local = now.astimezone(SYDNEY) - timedelta(days=2)
    return datetime(local.year, local.month, local.day, 23, 30, tzinfo=SYDNEY).astimezone(UTC)


def offline_night(cafe: TillLog, seed: int) -> None:
    """A night offline: sales before and after midnight and the cutoff, split payments
    across both, a void, and refunds by line and by amount after the cutoff."""
    chosen = random.Random(seed)
    start = night(datetime.now(UTC))
    minutes = lambda n: start + timedelta(minutes=n)  # noqa: E731
    cafe.open_shift(minutes(0))
    sales = []
    for at in (10, 25, 29, 31, 45, 200, 209, 211, 215):  # 23:40 ... 03:05
        order = cafe.ring_up(minutes(at - 8), cafe.usual(), covers=chosen.randint(1, 3))
        # Split: cash for part before, card for the rest at the close (1250 in all).
        cash = chosen.choice([300, 500, 800])
        cafe.pay_cash(minutes(at - 5), order, cash)
        cafe.pay_card(minutes(at), order, 1_250 - cash)
        cafe.close(minutes(at), order, 1_250)
        sales.append(order)
    voided = cafe.ring_up(minutes(33), [cafe.coffee()])
    cafe.void(minutes(34), voided)
    cafe.refund(minutes(240), sales[0], line_number=1, amount=450)  # 03:30
    cafe.refund(minutes(241), sales[4], line_number=3, amount=300)
    cafe.log.receipt_sequence += 1
    cafe.log.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(sales[6]),
            "shift_id": str(cafe.log.shift_id),
            "reason_code": "quality_issue",
            "amount_minor": 170,
            "receipt_sequence": cafe.log.receipt_sequence,
            "approved_by": str(cafe.till.manager),
            "client_total_minor": 170,
        },
        at=minutes(242),
    )


async def test_every_fact_table_equals_the_per_order_sql(
    admin: asyncpg.Connection,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    tenant = await provision("au")
    owner = token(tenant, Role.OWNER)
    limits = await orders_client.patch(
        "/v1/settings/override-limits",
        json={
            "void_limit_minor": 100_000,
            "refund_limit_minor": 100_000,
            "discount_limit_bps": 10_000,
        },
        auth=owner,
    )
    assert limits.status_code == 200, limits.text
    first = await open_till(connect_as, token, tenant, role=Role.MANAGER)
    second = await open_till(
        connect_as, token, tenant, role=Role.MANAGER, menu=first.menu, location_id=first.location_id
    )
    offline = await offline_till(
        connect_as, token, orders_client, tenant, menu=first.menu, location_id=first.location_id
    )
    await allow_offline_approvals(orders_client, token, offline)
    await as_service(
        connect_as, "identity", tenant, "UPDATE identity.staff SET created_at = '2025-01-01Z'"
    )
    cafe = TillLog(offline, Log(offline))
    offline_night(cafe, seed=24)

    trade = Online(orders_client, [first, second], seed=24)
    for step in range(40):
        await trade.order()
        if step % 3 == 2:
            await trade.refund()
        if step == 20:  # the offline till's queue arrives in the middle of the day's trade
            await cafe.upload(orders_client)
    for _ in range(6):
        await trade.refund()

    stored = await stored_facts(connect_as, tenant)
    expected = await per_order_facts(connect_as, tenant, first.location_id)
    for table in day_facts.TABLES:
        mine = {key: value for key, value in stored.items() if key[0] == table.name}
        theirs = {key: value for key, value in expected.items() if key[0] == table.name}
        assert mine == theirs, table.name
    # The day was not trivial: every table, every attribution, both refund kinds.
    tables = {key[0] for key in stored}
    assert tables == {table.name for table in day_facts.TABLES}
    assert {key[3] for key in stored if key[0] == "day_tax"} == {"business", "accrual", "cash"}
    dates = {key[2] for key in stored if key[0] == "day_tax" and key[3] == "cash"}
    assert len(dates) >= 2, "the offline night's payments fall on two calendar dates"
    assert any(key[0] == "day_items" and key[5] == "" for key in stored), "a refund by amount"

    # Rebuilt from the stored orders (the migration's backfill, the bench's load), as the
    # owner with the tenant bound: the same facts.
    async with admin.transaction():
        await admin.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
        await bind_tenant(admin, tenant)
        written = await rebuild(admin)
    assert written == len(stored)
    assert await stored_facts(connect_as, tenant) == stored
