"""Cross-tenant isolation by row-level security alone.

Every statement here is raw SQL on a connection bound to tenant A, with no repository and no
tenant filter of our own, run twice: as the service role that writes the table, and as the
table's owner (which holds every privilege, so grants cannot be what stops it; RLS is FORCED).
Tenant A must not read, update, delete, insert into or move rows to tenant B.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
import pytest

from libs.config import OWNER_ROLE
from tests.support.catalog import tenant_tables
from tests.support.database import Connect, as_tenant, bind_tenant

Insert = Callable[[asyncpg.Connection, uuid.UUID | None], Awaitable[object]]


async def _insert(
    connection: asyncpg.Connection, table: str, values: dict[str, object], tenant: uuid.UUID | None
) -> object:
    if tenant is not None:  # name a tenant explicitly (as an attacker would)
        values = {"tenant_id": tenant, **values}
    columns = ", ".join(values)
    placeholders = ", ".join(f"${n}" for n in range(1, len(values) + 1))
    return await connection.fetchval(
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING tenant_id",
        *values.values(),
    )


@dataclass(frozen=True)
class TableCase:
    service: str  # the service role that writes this table
    update: str  # a harmless SET clause
    insert: Insert
    # The role that inserts the rows when it is not `service` (print jobs: the orders service
    # queues them, the bridge service reads and leases them). It may lack SELECT.
    inserter: str | None = None


def _row(table: str, **values: object) -> Insert:
    async def insert(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
        fresh = {name: value() if callable(value) else value for name, value in values.items()}
        return await _insert(connection, table, fresh, tenant)

    return insert


async def _order_line(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    order_id = uuid.uuid4()
    await _insert(
        connection,
        "orders.orders",
        {"id": order_id, "status": "open", "currency": "AUD", "total_minor": 0, "created_by": "t"},
        None,
    )
    line = {"order_id": order_id, "line_number": 1, "name": "Tea", "quantity": 1}
    line |= {"unit_price_minor": 400, "total_minor": 400}
    return await _insert(connection, "orders.order_lines", line, tenant)


async def _parent(connection: asyncpg.Connection, table: str, **values: object) -> uuid.UUID:
    """A parent row in the connection's own tenant; returns its id."""
    row_id = uuid.uuid4()
    await _insert(connection, table, {"id": row_id, **values}, None)
    return row_id


async def _location(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "identity.locations",
        name="Bar",
        time_zone="Europe/Berlin",
        business_day_cutoff_hour=5,
    )


async def _staff(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "identity.staff",
        email=f"{uuid.uuid4().hex}@example.com",
        display_name="Kim",
        role="manager",
    )


async def _session(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "identity.sessions",
        kind="backoffice",
        staff_id=await _staff(connection),
        key_thumbprint="k",
        expires_at=datetime.now(UTC),
    )


# POS core parents. A register is an activated device of the identity service, which the
# orders role cannot create: `arrange_device` makes one per tenant beforehand, with an id
# derived from the tenant, and the inserts below find it from the connection's tenant.
async def _device(connection: asyncpg.Connection) -> uuid.UUID:
    tenant = await connection.fetchval("SELECT current_setting('app.tenant_id')::uuid")
    return uuid.uuid5(tenant, "isolation-device")


async def _venue(connection: asyncpg.Connection) -> uuid.UUID:
    tenant = await connection.fetchval("SELECT current_setting('app.tenant_id')::uuid")
    return uuid.uuid5(tenant, "isolation-location")


async def arrange_device(connect_as: Connect, tenant: uuid.UUID) -> None:
    identity = await connect_as("identity")
    async with as_tenant(identity, tenant):
        location = uuid.uuid5(tenant, "isolation-location")
        await _insert(
            identity,
            "identity.locations",
            {
                "id": location,
                "name": "Bar",
                "time_zone": "Europe/Berlin",
                "business_day_cutoff_hour": 5,
            },
            None,
        )
        await identity.execute(
            "INSERT INTO identity.devices (id, location_id, name, key_thumbprint, public_jwk, "
            "activated_by) VALUES ($1, $2, 'Till', $3, '{}', 't')",
            uuid.uuid5(tenant, "isolation-device"),
            location,
            uuid.uuid4().hex,
        )


async def _register(connection: asyncpg.Connection) -> uuid.UUID:
    device = await _device(connection)
    await connection.execute(
        "INSERT INTO orders.registers (device_id, location_id, number) VALUES ($1, $1, 1) "
        "ON CONFLICT DO NOTHING",
        device,
    )
    return device


async def _shift(connection: asyncpg.Connection) -> uuid.UUID:
    register = await _register(connection)
    return await _parent(
        connection,
        "orders.shifts",
        register_id=register,
        location_id=register,
        status="closed",
        opening_float_minor=0,
        opened_by="t",
    )


async def _order(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "orders.orders",
        status="closed",
        currency="AUD",
        total_minor=100,
        paid_minor=100,
        created_by="t",
    )


async def _tax_category(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection, "orders.tax_categories", code=f"c{uuid.uuid4().hex[:8]}", name="GST"
    )


async def _menu_category(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(connection, "orders.menu_categories", name="Coffee")


async def _menu_item(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "orders.menu_items",
        category_id=await _menu_category(connection),
        tax_category_id=await _tax_category(connection),
        name="Tea",
        price_minor=400,
    )


async def _modifier_group(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(connection, "orders.modifier_groups", name="Milk")


async def _payment(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "orders.payments",
        order_id=await _order(connection),
        shift_id=await _shift(connection),
        tender="cash",
        status="approved",
        amount_minor=100,
        created_by="t",
    )


async def _refund(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "orders.refunds",
        order_id=await _order(connection),
        shift_id=await _shift(connection),
        reason_code="other",
        amount_minor=1,
        tax_minor=0,
        lines="[]",
        tax="[]",
        created_by="t",
    )


def _made(table: str, **parents: Callable[[asyncpg.Connection], Awaitable[uuid.UUID]]) -> Insert:
    """A row whose parents are made first, in the connection's own tenant."""

    async def insert(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
        values: dict[str, object] = {}
        for column, make in parents.items():
            values[column] = await make(connection)
        return await _insert(connection, table, values | POS_VALUES.get(table, {}), tenant)

    return insert


POS_VALUES: dict[str, dict[str, object]] = {
    "orders.tax_rates": {
        "rate_percent": 10,
        "effective_from": datetime(2000, 1, 1, tzinfo=UTC),
        "created_by": "t",
    },
    "orders.menu_item_location_prices": {"price_minor": 500},
    "orders.modifiers": {"name": "Oat", "price_minor": 50},
    "orders.registers": {"number": 7},
    "orders.cash_movements": {
        "kind": "paid_in",
        "amount_minor": 100,
        "reason": "float",
        "created_by": "t",
    },
    "orders.menu_items": {"name": "Tea", "price_minor": 400},
    "orders.payments": {
        "tender": "cash",
        "status": "approved",
        "amount_minor": 100,
        "created_by": "t",
    },
    "orders.refunds": {
        "reason_code": "other",
        "amount_minor": 1,
        "tax_minor": 0,
        "lines": "[]",
        "tax": "[]",
        "created_by": "t",
    },
    "orders.sync_flags": {
        "kind": "total-mismatch",
        "resource_type": "order",
        "resource_id": "o",
        "details": "{}",
    },
}


async def _uuid(connection: asyncpg.Connection) -> uuid.UUID:
    return uuid.uuid4()


async def _receipt(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = {
        "id": uuid.uuid4(),
        "register_id": await _register(connection),
        "sequence": int.from_bytes(os.urandom(4)),
        "number": f"R1-{uuid.uuid4().hex}",
        "kind": "sale",
        "order_id": await _order(connection),
        "shift_id": await _shift(connection),
        "currency": "AUD",
        "total_minor": 100,
        "snapshot": "{}",
        "issued_by": "t",
    }
    return await _insert(connection, "orders.receipts", values, tenant)


def _sync_operation_values(device_id: uuid.UUID, operation_id: uuid.UUID) -> dict[str, object]:
    return {
        "id": operation_id,
        "device_id": device_id,
        "sequence": int.from_bytes(os.urandom(4)),
        "kind": "shift.open",
        "uploaded_by": "t",
        "content_hash": os.urandom(32),
        "content": "{}",
        "status": "pending",
    }


async def _sync_operation_row(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = _sync_operation_values(await _device(connection), uuid.uuid4())
    return await _insert(connection, "orders.sync_operations", values, tenant)


async def _sync_operation(connection: asyncpg.Connection) -> uuid.UUID:
    operation_id = uuid.uuid4()
    values = _sync_operation_values(await _device(connection), operation_id)
    await _insert(connection, "orders.sync_operations", values, None)
    return operation_id


async def _staff_location(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = {"staff_id": await _staff(connection), "location_id": await _location(connection)}
    return await _insert(connection, "identity.staff_locations", values, tenant)


async def _offline_approval(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = {
        "id": uuid.uuid4(),
        "operation_id": await _sync_operation(connection),
        "device_id": await _device(connection),
        "location_id": await _venue(connection),
        "action": "refund",
        "resource_type": "order",
        "resource_id": str(uuid.uuid4()),
        "amount_minor": 100,
        "limit_minor": 500,
        "claimed_staff_id": uuid.uuid4(),
        "claimed_approver_id": uuid.uuid4(),
        "uploaded_by": "cashier",
        "occurred_at": datetime.now(UTC),
    }
    return await _insert(connection, "orders.offline_approvals", values, tenant)


async def _period_closure(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    # The reports role cannot write locations: the location `arrange_device` made.
    values = {
        "id": uuid.uuid4(),
        "location_id": await _venue(connection),
        "kind": "day",
        "first_day": date(2026, 11, 21),
        "last_day": date(2026, 11, 21),
        "version": 1,
        "totals": "{}",
        "cumulative": "{}",
        "totals_sha256": bytes(32),
        "cumulative_sha256": bytes(32),
        "audit_through_seq": 0,
        "reason": "close",
        "closed_by": "t",
    }
    return await _insert(connection, "reports.period_closures", values, tenant)


async def _z_report(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = {
        "shift_id": await _shift(connection),
        "version": 1,
        "report": "{}",
        "reason": "close",
        "issued_by": "t",
    }
    return await _insert(connection, "orders.z_reports", values, tenant)


async def _bridge_token(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "bridge.tokens",
        location_id=await _venue(connection),
        name="Bridge",
        hint="abcd",
        created_by="t",
    )


async def _print_job(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    """Queued as the orders service queues them: INSERT only, it cannot read them back."""
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "location_id": await _venue(connection),
        "printer_role": "receipt",
        "kind": "receipt",
        "summary": "Receipt",
        "body": b"\x1b@",
        "created_by": "t",
        "expires_at": datetime.now(UTC),
    }
    if tenant is not None:
        values = {"tenant_id": tenant, **values}
    columns, placeholders = ", ".join(values), ", ".join(f"${n + 1}" for n in range(len(values)))
    await connection.execute(
        f"INSERT INTO bridge.print_jobs ({columns}) VALUES ({placeholders})", *values.values()
    )
    return await connection.fetchval("SELECT current_setting('app.tenant_id')::uuid")


async def _refund_tender(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = {
        "refund_id": await _refund(connection),
        "payment_id": await _payment(connection),
        "shift_id": await _shift(connection),
        "tender": "cash",
        "amount_minor": 1,
    }
    return await _insert(connection, "orders.refund_tenders", values, tenant)


async def _webhook_message(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    """Recorded as the orders service records them: INSERT only, it cannot read them back.
    Already fanned out, so a webhooks worker running in the same test session leaves it be."""
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "event_type": "order.closed",
        "payload": "{}",
        "occurred_at": datetime.now(UTC),
        "fanned_out_at": datetime.now(UTC),
    }
    if tenant is not None:
        values = {"tenant_id": tenant, **values}
    columns, placeholders = ", ".join(values), ", ".join(f"${n + 1}" for n in range(len(values)))
    await connection.execute(
        f"INSERT INTO webhooks.messages ({columns}) VALUES ({placeholders})", *values.values()
    )
    return await connection.fetchval("SELECT current_setting('app.tenant_id')::uuid")


async def _webhook_endpoint(connection: asyncpg.Connection) -> uuid.UUID:
    return await _parent(
        connection,
        "webhooks.endpoints",
        url="https://hooks.example.com/",
        description="",
        event_types=["order.closed"],
        status="enabled",
        secret_ciphertext=b"sealed",
        created_by="t",
    )


async def _webhook_delivery_values(connection: asyncpg.Connection) -> dict[str, object]:
    message_id = await _parent(
        connection,
        "webhooks.messages",
        event_type="order.closed",
        payload="{}",
        occurred_at=datetime.now(UTC),
        fanned_out_at=datetime.now(UTC),
    )
    return {
        "id": uuid.uuid4(),
        "endpoint_id": await _webhook_endpoint(connection),
        "message_id": message_id,
        "status": "delivered",
    }


async def _webhook_delivery_row(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
    values = await _webhook_delivery_values(connection)
    return await _insert(connection, "webhooks.deliveries", values, tenant)


async def _webhook_delivery(connection: asyncpg.Connection) -> uuid.UUID:
    values = await _webhook_delivery_values(connection)
    await _insert(connection, "webhooks.deliveries", values, None)
    delivery_id = values["id"]
    assert isinstance(delivery_id, uuid.UUID)
    return delivery_id


def _child(
    table: str, parent: str, make_parent: Callable[..., Awaitable[uuid.UUID]], **values: object
) -> Insert:
    async def insert(connection: asyncpg.Connection, tenant: uuid.UUID | None) -> object:
        fresh = {name: value() if callable(value) else value for name, value in values.items()}
        fresh[parent] = await make_parent(connection)
        return await _insert(connection, table, fresh, tenant)

    return insert


CASES: dict[str, TableCase] = {
    "identity.tenants": TableCase(
        "identity",
        "name = name || '!'",
        _row("identity.tenants", name="Isolation Co", region="ap-southeast-2", currency="AUD"),
    ),
    "identity.locations": TableCase(
        "identity",
        "name = name || '!'",
        _row(
            "identity.locations",
            id=uuid.uuid4,
            name="Front bar",
            time_zone="Australia/Sydney",
            business_day_cutoff_hour=4,
        ),
    ),
    "identity.staff": TableCase(
        "identity",
        "role = 'owner'",
        _row(
            "identity.staff",
            id=uuid.uuid4,
            email=lambda: f"{uuid.uuid4().hex}@example.com",
            display_name="Sam",
            role="cashier",
        ),
    ),
    "orders.orders": TableCase(
        "orders",
        "total_minor = total_minor + 1",
        _row(
            "orders.orders",
            id=uuid.uuid4,
            status="open",
            currency="AUD",
            total_minor=100,
            created_by="isolation",
        ),
    ),
    "orders.order_lines": TableCase("orders", "quantity = quantity + 1", _order_line),
    "orders.idempotency_keys": TableCase(
        "orders",
        "status_code = 500",
        _row(
            "orders.idempotency_keys",
            key=lambda: uuid.uuid4().hex,
            request_hash=b"h" * 32,
            status_code=201,
            response="{}",
        ),
    ),
    "orders.override_limits": TableCase(
        "orders", "void_limit_minor = 1", _row("orders.override_limits", void_limit_minor=500)
    ),
    "audit.events": TableCase(
        "orders",
        "action = 'tampered'",
        _row(
            "audit.events",
            seq=1,
            id=uuid.uuid4,
            occurred_at=lambda: datetime.now(UTC),
            service="orders",
            actor_type="cashier",
            actor_id="t",
            action="order.created",
            resource_type="order",
            resource_id="r",
            payload="{}",
            prev_hash=bytes(32),
            hash=lambda: os.urandom(32),
        ),
    ),
    "identity.devices": TableCase(
        "identity",
        "status = 'revoked'",
        _child(
            "identity.devices",
            "location_id",
            _location,
            id=uuid.uuid4,
            name="Till",
            key_thumbprint=lambda: uuid.uuid4().hex,
            public_jwk="{}",
            activated_by="t",
        ),
    ),
    "identity.activation_codes": TableCase(
        "identity",
        "used_at = now()",
        _child(
            "identity.activation_codes",
            "location_id",
            _location,
            id=uuid.uuid4,
            code_hash=lambda: os.urandom(32),
            created_by="t",
            expires_at=lambda: datetime.now(UTC),
        ),
    ),
    "identity.sessions": TableCase(
        "identity",
        "revoked_at = now()",
        _child(
            "identity.sessions",
            "staff_id",
            _staff,
            id=uuid.uuid4,
            kind="backoffice",
            key_thumbprint="k",
            expires_at=lambda: datetime.now(UTC),
        ),
    ),
    "identity.refresh_tokens": TableCase(
        "identity",
        "revoked_at = now()",
        _child(
            "identity.refresh_tokens",
            "session_id",
            _session,
            id=uuid.uuid4,
            token_hash=lambda: os.urandom(32),
            expires_at=lambda: datetime.now(UTC),
        ),
    ),
    "identity.lockouts": TableCase(
        "identity",
        "failures = failures + 1",
        _row("identity.lockouts", subject_type="pin", subject_id=uuid.uuid4, failures=1),
    ),
    "identity.sign_in_challenges": TableCase(
        "identity",
        "attempts = attempts + 1",
        _child(
            "identity.sign_in_challenges",
            "staff_id",
            _staff,
            id=uuid.uuid4,
            token_hash=lambda: os.urandom(32),
            key_thumbprint="k",
            purpose="totp",
            expires_at=lambda: datetime.now(UTC),
        ),
    ),
    "identity.recovery_codes": TableCase(
        "identity",
        "used_at = now()",
        _child(
            "identity.recovery_codes",
            "staff_id",
            _staff,
            id=uuid.uuid4,
            code_hash=lambda: os.urandom(32),
        ),
    ),
    "identity.totp_enrolment_codes": TableCase(
        "identity",
        "used_at = now()",
        _child(
            "identity.totp_enrolment_codes",
            "staff_id",
            _staff,
            id=uuid.uuid4,
            code_hash=lambda: os.urandom(32),
            issued_by="owner:test",
            expires_at=lambda: datetime.now(UTC),
        ),
    ),
    "auth.spent_tokens": TableCase(
        "orders",
        "expires_at = now()",
        _row(
            "auth.spent_tokens",
            namespace="dpop",
            scope="k",
            jti=lambda: uuid.uuid4().hex,
            expires_at=lambda: datetime.now(UTC),
        ),
    ),
    "orders.settings": TableCase(
        "orders", "cash_rounding_minor = 10", _row("orders.settings", currency="AUD")
    ),
    "orders.tax_categories": TableCase(
        "orders",
        "name = name || '!'",
        _row(
            "orders.tax_categories",
            id=uuid.uuid4,
            code=lambda: f"c{uuid.uuid4().hex[:8]}",
            name="GST",
        ),
    ),
    "orders.tax_rates": TableCase(
        "orders",
        "rate_percent = 99",
        _made("orders.tax_rates", id=_uuid, tax_category_id=_tax_category),
    ),
    "orders.menu_categories": TableCase(
        "orders", "name = name || '!'", _row("orders.menu_categories", id=uuid.uuid4, name="Tea")
    ),
    "orders.menu_items": TableCase(
        "orders",
        "price_minor = 0",
        _made(
            "orders.menu_items", id=_uuid, category_id=_menu_category, tax_category_id=_tax_category
        ),
    ),
    "orders.menu_item_location_prices": TableCase(
        "orders",
        "price_minor = 0",
        _made("orders.menu_item_location_prices", item_id=_menu_item, location_id=_venue),
    ),
    "orders.menu_prices": TableCase(
        "orders",
        "price_minor = 0",
        _child(
            "orders.menu_prices",
            "item_id",
            _menu_item,
            id=uuid.uuid4,
            price_minor=500,
            effective_from=datetime(2030, 1, 1, tzinfo=UTC),
            created_by="t",
        ),
    ),
    "orders.modifier_groups": TableCase(
        "orders", "name = name || '!'", _row("orders.modifier_groups", id=uuid.uuid4, name="Milk")
    ),
    "orders.modifiers": TableCase(
        "orders", "price_minor = 0", _made("orders.modifiers", id=_uuid, group_id=_modifier_group)
    ),
    "orders.menu_item_modifier_groups": TableCase(
        "orders",
        "position = 9",
        _made("orders.menu_item_modifier_groups", item_id=_menu_item, group_id=_modifier_group),
    ),
    "orders.registers": TableCase(
        "orders",
        "last_receipt_number = 99",
        _made("orders.registers", device_id=_device, location_id=_device),
    ),
    "orders.shifts": TableCase(
        "orders",
        "opening_float_minor = 1",
        _child(
            "orders.shifts",
            "register_id",
            _register,
            id=uuid.uuid4,
            location_id=uuid.uuid4,
            status="closed",
            opening_float_minor=0,
            opened_by="t",
        ),
    ),
    "orders.cash_movements": TableCase(
        "orders",
        "reason = 'tampered'",
        _made("orders.cash_movements", id=_uuid, shift_id=_shift),
    ),
    "orders.payments": TableCase(
        "orders",
        "refunded_minor = 0",
        _made("orders.payments", id=_uuid, order_id=_order, shift_id=_shift),
    ),
    "orders.refunds": TableCase(
        "orders",
        "note = 'tampered'",
        _made("orders.refunds", id=_uuid, order_id=_order, shift_id=_shift),
    ),
    "orders.refund_tenders": TableCase("orders", "amount_minor = 2", _refund_tender),
    "orders.receipts": TableCase("orders", "total_minor = 0", _receipt),
    # The daily facts (libs/sales/day_facts.py): written by the orders service, read by reports.
    "orders.day_sales": TableCase(
        "orders",
        "orders = orders + 1",
        _row(
            "orders.day_sales",
            location_id=uuid.uuid4,
            business_day=date(2026, 12, 7),
            register_id=uuid.uuid4,
            orders=1,
        ),
    ),
    "orders.day_tenders": TableCase(
        "orders",
        "payments = payments + 1",
        _row(
            "orders.day_tenders",
            location_id=uuid.uuid4,
            business_day=date(2026, 12, 7),
            register_id=uuid.uuid4,
            tender="cash",
            payments=1,
        ),
    ),
    "orders.day_tax": TableCase(
        "orders",
        "tax_minor = tax_minor + 1",
        _row(
            "orders.day_tax",
            location_id=uuid.uuid4,
            day=date(2026, 12, 7),
            attribution="accrual",
            register_id=uuid.uuid4,
            refund=False,
            rate=Decimal("10.000"),
            tax_minor=10,
        ),
    ),
    "orders.day_items": TableCase(
        "orders",
        "quantity = quantity + 1",
        _row(
            "orders.day_items",
            location_id=uuid.uuid4,
            business_day=date(2026, 12, 7),
            register_id=uuid.uuid4,
            item_id=uuid.uuid4,
            name="Tea",
            quantity=1,
        ),
    ),
    "orders.day_modifiers": TableCase(
        "orders",
        "quantity = quantity + 1",
        _row(
            "orders.day_modifiers",
            location_id=uuid.uuid4,
            business_day=date(2026, 12, 7),
            register_id=uuid.uuid4,
            modifier_id=uuid.uuid4,
            name="Oat milk",
            quantity=1,
        ),
    ),
    "audit.chain_heads": TableCase(
        "orders",
        "seq = seq + 100",
        _row("audit.chain_heads", seq=1, hash=bytes(32)),
    ),
    "audit.checkpoints": TableCase(
        "audit",
        "size = size + 1",
        _row(
            "audit.checkpoints",
            size=1,
            hash=bytes(32),
            origin="o",
            key_id=bytes(4),
            note="n",
            requested_by="t",
        ),
    ),
    "bridge.tokens": TableCase(
        "bridge",
        "revoked_at = now()",
        _child(
            "bridge.tokens",
            "location_id",
            _venue,
            id=uuid.uuid4,
            name="Bridge",
            hint="abcd",
            created_by="t",
        ),
    ),
    "bridge.token_secrets": TableCase(
        "bridge",
        "expires_at = now()",
        _child("bridge.token_secrets", "token_id", _bridge_token, digest=lambda: os.urandom(32)),
    ),
    "bridge.print_jobs": TableCase("bridge", "status = 'printed'", _print_job, inserter="orders"),
    "orders.sync_operations": TableCase("orders", "status = 'rejected'", _sync_operation_row),
    "orders.sync_devices": TableCase(
        "orders",
        "applied_through = applied_through + 1",
        _made("orders.sync_devices", device_id=_device),
    ),
    "orders.sync_flags": TableCase(
        "orders",
        "resolved_at = now()",
        _made("orders.sync_flags", id=_uuid, device_id=_device, operation_id=_sync_operation),
    ),
    "orders.z_reports": TableCase("orders", "reason = 'close'", _z_report),
    "orders.offline_approvals": TableCase(
        "orders", "status = 'confirmed', reviewed_at = now()", _offline_approval
    ),
    "identity.staff_locations": TableCase("identity", "created_at = now()", _staff_location),
    "reports.period_closures": TableCase("reports", "reason = 'close'", _period_closure),
    "billing.accounts": TableCase(
        "billing",
        "stripe_customer_id = 'cus_moved'",
        _row("billing.accounts", stripe_customer_id=lambda: f"cus_{uuid.uuid4().hex[:14]}"),
    ),
    "billing.stripe_events": TableCase(
        "billing",
        "outcome = 'applied', processed_at = now()",
        _row(
            "billing.stripe_events",
            id=lambda: f"evt_{uuid.uuid4().hex}",
            type="customer.subscription.updated",
            object_id="sub_1",
            stripe_created=lambda: datetime.now(UTC),
            livemode=False,
            payload="{}",
        ),
    ),
    "webhooks.messages": TableCase(
        "webhooks", "fanned_out_at = now()", _webhook_message, inserter="orders"
    ),
    "webhooks.endpoints": TableCase(
        "webhooks",
        "description = 'moved'",
        _row(
            "webhooks.endpoints",
            id=uuid.uuid4,
            url="https://hooks.example.com/",
            description="",
            event_types=["order.closed"],
            status="enabled",
            secret_ciphertext=b"sealed",
            created_by="t",
        ),
    ),
    "webhooks.deliveries": TableCase("webhooks", "status = 'failed'", _webhook_delivery_row),
    "webhooks.attempts": TableCase(
        "webhooks",
        "error = 'moved'",
        _child(
            "webhooks.attempts",
            "delivery_id",
            _webhook_delivery,
            number=1,
            attempted_at=lambda: datetime.now(UTC),
            duration_ms=1,
        ),
    ),
}


async def test_every_tenant_table_has_an_isolation_case(admin: asyncpg.Connection) -> None:
    tables = {f"{row['schema']}.{row['name']}" for row in await tenant_tables(admin)}
    assert tables == set(CASES), "add a TableCase for every new tenant table"


async def register(connect_as: Connect, *tenants: uuid.UUID) -> None:
    """A bare registry row per tenant (every tenant row references identity.tenants); raw
    SQL like the rest of this file, so no audit chain is started that the raw rows would
    collide with."""
    identity = await connect_as("identity")
    for tenant in tenants:
        async with as_tenant(identity, tenant):
            await CASES["identity.tenants"].insert(identity, None)


async def _acting_connection(
    acting_as: str, case: TableCase, connect_as: Connect, admin: asyncpg.Connection
) -> asyncpg.Connection:
    if acting_as == "service role":
        return await connect_as(case.service)
    # The owner: every privilege on its tables, still bound by FORCE ROW LEVEL SECURITY.
    await admin.execute(f"SET ROLE {OWNER_ROLE}")
    assert await admin.fetchval("SELECT current_user") == OWNER_ROLE
    return admin


@pytest.mark.parametrize("acting_as", ["service role", "owner"])
@pytest.mark.parametrize("table", sorted(CASES))
async def test_tenant_a_cannot_touch_tenant_b(
    table: str, acting_as: str, connect_as: Connect, admin: asyncpg.Connection
) -> None:
    case = CASES[table]
    writer = await connect_as(case.service)
    inserter = await connect_as(case.inserter) if case.inserter else writer
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    if table != "identity.tenants":  # that case creates the registry rows themselves
        await register(connect_as, tenant_a, tenant_b)
    if table.startswith(("orders.", "bridge.", "reports.")):
        for tenant in (tenant_a, tenant_b):
            await arrange_device(connect_as, tenant)
    for tenant in (tenant_a, tenant_b):
        async with as_tenant(inserter, tenant):
            assert await case.insert(inserter, None) == tenant
    async with as_tenant(writer, tenant_b):
        b_rows_before = await writer.fetch(f"SELECT * FROM {table}")
    assert len(b_rows_before) >= 1

    connection = await _acting_connection(acting_as, case, connect_as, admin)
    granted = acting_as == "owner"
    async with as_tenant(connection, tenant_a):
        # Read: B's rows do not exist for A, not even by explicit tenant id.
        visible = await connection.fetch(f"SELECT DISTINCT tenant_id FROM {table}")
        assert [row["tenant_id"] for row in visible] == [tenant_a]
        assert (
            await connection.fetchval(
                f"SELECT count(*) FROM {table} WHERE tenant_id = $1", tenant_b
            )
            == 0
        )

    for statement in (
        f"UPDATE {table} SET {case.update} WHERE tenant_id = $1",
        f"DELETE FROM {table} WHERE tenant_id = $1",
    ):
        try:
            async with as_tenant(connection, tenant_a):
                status = await connection.execute(statement, tenant_b)
            assert status.endswith(" 0"), f"{statement} touched B's rows: {status}"
        except asyncpg.InsufficientPrivilegeError as error:
            # Only the service role may lack a privilege; the owner must be stopped by RLS
            # (had the append-only trigger fired, A would have reached B's rows).
            assert not granted and "permission denied" in str(error), error

    # Insert a row naming B, and move A's own row to B: WITH CHECK refuses both.
    inserting = inserter if case.inserter and not granted else connection
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_tenant(inserting, tenant_a):
            await case.insert(inserting, tenant_b)
    try:
        async with as_tenant(connection, tenant_a):
            await connection.execute(f"UPDATE {table} SET tenant_id = $1", tenant_b)
        pytest.fail("moving a row to another tenant must fail")
    except asyncpg.InsufficientPrivilegeError as error:
        message = str(error)
        assert (
            "row-level security" in message
            or (not granted and "permission denied" in message)
            or (table in ("audit.events", "audit.checkpoints") and "append-only" in message)
            or (
                table in ("orders.receipts", "orders.z_reports", "reports.period_closures")
                and "never changed" in message
            )
        ), message

    if acting_as == "owner":
        await admin.execute("RESET ROLE")
    async with as_tenant(writer, tenant_b):
        assert await writer.fetch(f"SELECT * FROM {table}") == b_rows_before


@pytest.mark.parametrize(
    "setting", [None, "", "not-a-uuid", "00000000-0000-0000-0000-000000000000"]
)
async def test_unset_empty_or_malformed_tenant_sees_no_rows(
    setting: str | None, connect_as: Connect
) -> None:
    connection = await connect_as("orders")
    tenants = (uuid.uuid4(), uuid.uuid4())
    await register(connect_as, *tenants)
    for tenant in tenants:
        async with as_tenant(connection, tenant):
            await CASES["orders.orders"].insert(connection, None)
    async with connection.transaction():
        if setting is not None:
            await bind_tenant(connection, setting)
        if setting == "not-a-uuid":
            with pytest.raises(asyncpg.InvalidTextRepresentationError):
                await connection.fetchval("SELECT count(*) FROM orders.orders")
            return
        assert await connection.fetchval("SELECT count(*) FROM orders.orders") == 0
        if setting in (None, ""):
            # Nor can anything be written without a tenant (RLS refuses the NULL tenant_id).
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
                await CASES["orders.orders"].insert(connection, None)


async def test_no_row_for_a_tenant_that_was_never_provisioned(connect_as: Connect) -> None:
    connection = await connect_as("orders")
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="tenants"):
        async with as_tenant(connection, uuid.uuid4()):
            await CASES["orders.orders"].insert(connection, None)
