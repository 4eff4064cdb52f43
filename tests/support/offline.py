"""Arranging offline tills for the sync tests: a device with staff on the roster, and a
`Log` that writes the operations a till records while it has no network, as the till would
(ids, its gapless sequence, device-local times, its offline receipt numbers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import Role
from tests.support.database import Connect, as_tenant
from tests.support.tills import Menu, register_device, stock_menu
from tests.support.tokens import TokenFactory

# Where the test and bench venues are (tests/support/tills.py): device times carry this offset.
VENUE_ZONE = ZoneInfo("Australia/Sydney")


async def add_staff(
    connect_as: Connect,
    tenant: uuid.UUID,
    role: str = "cashier",
    *,
    created_at: datetime | None = None,
) -> uuid.UUID:
    """A staff member on the business's roster (since `created_at`, default now)."""
    staff_id = uuid.uuid4()
    connection = await connect_as("identity")
    async with as_tenant(connection, tenant):
        await connection.execute(
            "INSERT INTO identity.staff (id, email, display_name, role, created_at) "
            "VALUES ($1, $2, $3, $4, coalesce($5, now()))",
            staff_id,
            f"{role}.{staff_id.hex[:8]}@example.test",
            f"A {role}",
            role,
            created_at,
        )
    return staff_id


@dataclass
class OfflineTill:
    """An activated device whose register is numbered, with a cashier and a manager on the
    roster (since a week ago, so operations from the last week are within their time)."""

    tenant: uuid.UUID
    location_id: uuid.UUID
    device_id: uuid.UUID
    key: DeviceKey
    auth: DPoPAuth
    cashier: uuid.UUID
    manager: uuid.UUID
    menu: Menu
    register_number: int = 0


async def offline_till(
    connect_as: Connect,
    token: TokenFactory,
    client: httpx.AsyncClient,
    tenant: uuid.UUID,
    *,
    region: str = "au",
    menu: Menu | None = None,
    location_id: uuid.UUID | None = None,
) -> OfflineTill:
    """A till at a new venue (or at `location_id`), registered for offline sales."""
    key = DeviceKey.generate()
    location_id, device_id = await register_device(connect_as, tenant, key, location_id=location_id)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    cashier = await add_staff(connect_as, tenant, "cashier", created_at=week_ago)
    manager = await add_staff(connect_as, tenant, "manager", created_at=week_ago)
    auth = token(
        tenant, Role.CASHIER, str(cashier), key=key, location_id=location_id, device_id=device_id
    )
    menu = menu or await stock_menu(connect_as, tenant, region)
    till = OfflineTill(tenant, location_id, device_id, key, auth, cashier, manager, menu)
    registered = await client.post("/v1/sync/register", auth=auth)
    assert registered.status_code == 200, registered.text
    till.register_number = registered.json()["register_number"]
    return till


def operation(
    kind: str, data: dict[str, Any], *, sequence: int, at: datetime, staff: uuid.UUID
) -> dict[str, Any]:
    """One operation as a till queues it offline (services/orders/sync/schemas.py): its own
    id, its place in the till's gapless sequence, and the device's time with the venue's UTC
    offset."""
    return {
        "id": str(uuid.uuid4()),
        "sequence": sequence,
        "occurred_at": at.astimezone(VENUE_ZONE).isoformat(),
        "staff_id": str(staff),
        "kind": kind,
        "data": data,
    }


@dataclass
class Log:
    """The till's offline operation log: each call records one operation, numbered in order,
    a minute apart (device time, with the venue's UTC offset)."""

    till: OfflineTill
    start: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(hours=2))
    operations: list[dict[str, Any]] = field(default_factory=list)
    receipt_sequence: int = 0
    shift_id: uuid.UUID | None = None
    step: timedelta = timedelta(seconds=10)

    def record(
        self,
        kind: str,
        data: dict[str, Any],
        *,
        staff: uuid.UUID | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        moment = at or self.start + self.step * len(self.operations)
        sequence = len(self.operations) + 1
        recorded = operation(
            kind, data, sequence=sequence, at=moment, staff=staff or self.till.cashier
        )
        self.operations.append(recorded)
        return recorded

    def open_shift(self, float_minor: int = 20_000) -> uuid.UUID:
        self.shift_id = uuid.uuid4()
        self.record(
            "shift.open", {"shift_id": str(self.shift_id), "opening_float_minor": float_minor}
        )
        return self.shift_id

    def order(
        self,
        lines: list[dict[str, Any]] | None = None,
        *,
        at: datetime | None = None,
        **fields: Any,
    ) -> uuid.UUID:
        order_id = uuid.uuid4()
        menu = self.till.menu
        lines = lines or [
            {"item_id": str(menu.coffee_id), "quantity": 1},
            {"item_id": str(menu.coffee_id), "modifier_ids": [str(menu.oat_milk_id)]},
            {"item_id": str(menu.bread_id)},
        ]
        self.record(
            "order.create",
            {"order_id": str(order_id), "shift_id": str(self.shift_id), "lines": lines, **fields},
            at=at,
        )
        return order_id

    def pay_cash(self, order_id: uuid.UUID, tendered_minor: int) -> uuid.UUID:
        payment_id = uuid.uuid4()
        self.record(
            "payment",
            {
                "payment_id": str(payment_id),
                "order_id": str(order_id),
                "shift_id": str(self.shift_id),
                "tender": "cash",
                "tendered_minor": tendered_minor,
            },
        )
        return payment_id

    def pay_card(self, order_id: uuid.UUID, amount_minor: int, **fields: Any) -> uuid.UUID:
        """A card the terminal approved offline, with its evidence (store and forward)."""
        payment_id = uuid.uuid4()
        at = fields.get("at") or self.start + self.step * len(self.operations)
        self.record(
            "payment",
            {
                "payment_id": str(payment_id),
                "order_id": str(order_id),
                "shift_id": str(self.shift_id),
                "tender": "card",
                "amount_minor": amount_minor,
                "card": {
                    "scheme": "visa",
                    "last4": "4242",
                    "auth_code": "A1B2C3",
                    "terminal_id": "T-0001",
                    "authorised_at": at.isoformat(),
                },
            },
            **fields,
        )
        return payment_id

    def close(self, order_id: uuid.UUID, client_total_minor: int | None = None) -> int:
        self.receipt_sequence += 1
        self.record(
            "order.close",
            {
                "order_id": str(order_id),
                "shift_id": str(self.shift_id),
                "receipt_sequence": self.receipt_sequence,
                "client_total_minor": client_total_minor,
            },
        )
        return self.receipt_sequence

    def sale(self, tendered_minor: int = 2_000) -> uuid.UUID:
        """The café's usual: 1250, cash (rounded to 1250 in AUD), closed with a receipt."""
        order_id = self.order()
        self.pay_cash(order_id, tendered_minor)
        self.close(order_id, client_total_minor=1_250)
        return order_id

    def close_shift(self, cash: int, card: int = 0, **fields: Any) -> None:
        self.record(
            "shift.close",
            {"shift_id": str(self.shift_id), "counted": {"cash": cash, "card": card}, **fields},
        )


async def upload(
    client: httpx.AsyncClient, till: OfflineTill, operations: list[dict[str, Any]]
) -> dict[str, Any]:
    response = await client.post(
        "/v1/sync/batches", json={"operations": operations}, auth=till.auth
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def allow_offline_approvals(
    client: httpx.AsyncClient, token: TokenFactory, till: OfflineTill, limit_minor: int = 100_000
) -> None:
    """The owner lets a till act on a manager's word offline, up to `limit_minor` (the
    default is 0: never)."""
    changed = await client.patch(
        "/v1/settings/override-limits",
        json={"offline_approval_limit_minor": limit_minor},
        auth=token(till.tenant, Role.OWNER, "owner"),
    )
    assert changed.status_code == 200, changed.text


# --- a till's log at chosen instants ---------------------------------------------------------

# $200.00 in the drawer when a shift opens.
FLOAT = 20_000


@dataclass
class TillLog:
    """A till whose operations are recorded at the instants the test gives (the reports'
    hand-worked cases: tests/reports/)."""

    till: OfflineTill
    log: Log
    uploaded: int = 0

    @property
    def menu(self) -> Menu:
        return self.till.menu

    def coffee(self, quantity: int = 1, *, oat: bool = False) -> dict[str, Any]:
        line: dict[str, Any] = {"item_id": str(self.menu.coffee_id), "quantity": quantity}
        if oat:
            line["modifier_ids"] = [str(self.menu.oat_milk_id)]
        return line

    def bread(self, quantity: int = 1) -> dict[str, Any]:
        return {"item_id": str(self.menu.bread_id), "quantity": quantity}

    def usual(self) -> list[dict[str, Any]]:
        """Flat white 4.50, flat white with oat milk 5.00, bread roll 3.00: 12.50."""
        return [self.coffee(), self.coffee(oat=True), self.bread()]

    def open_shift(self, at: datetime) -> uuid.UUID:
        self.log.shift_id = uuid.uuid4()
        self.log.record(
            "shift.open",
            {"shift_id": str(self.log.shift_id), "opening_float_minor": FLOAT},
            at=at,
        )
        return self.log.shift_id

    def ring_up(self, at: datetime, lines: list[dict[str, Any]], **fields: Any) -> uuid.UUID:
        order_id = uuid.uuid4()
        if "discount" in fields:
            fields["approved_by"] = str(self.till.manager)
        self.log.record(
            "order.create",
            {
                "order_id": str(order_id),
                "shift_id": str(self.log.shift_id),
                "lines": lines,
                **fields,
            },
            at=at,
        )
        return order_id

    def pay_cash(self, at: datetime, order_id: uuid.UUID, tendered: int) -> None:
        self.log.record(
            "payment",
            {
                "payment_id": str(uuid.uuid4()),
                "order_id": str(order_id),
                "shift_id": str(self.log.shift_id),
                "tender": "cash",
                "tendered_minor": tendered,
            },
            at=at,
        )

    def pay_card(self, at: datetime, order_id: uuid.UUID, amount: int) -> None:
        self.log.record(
            "payment",
            {
                "payment_id": str(uuid.uuid4()),
                "order_id": str(order_id),
                "shift_id": str(self.log.shift_id),
                "tender": "card",
                "amount_minor": amount,
                "card": {
                    "scheme": "visa",
                    "last4": "4242",
                    "auth_code": "A1B2C3",
                    "terminal_id": "T-0001",
                    "authorised_at": at.isoformat(),
                },
            },
            at=at,
        )

    def close(self, at: datetime, order_id: uuid.UUID, total: int) -> None:
        self.log.receipt_sequence += 1
        self.log.record(
            "order.close",
            {
                "order_id": str(order_id),
                "shift_id": str(self.log.shift_id),
                "receipt_sequence": self.log.receipt_sequence,
                "client_total_minor": total,
            },
            at=at,
        )

    def sale(
        self,
        at: datetime,
        lines: list[dict[str, Any]],
        *,
        total: int,
        cash: int | None = None,
        card: int | None = None,
        **fields: Any,
    ) -> uuid.UUID:
        """Rung up five minutes before `at`, paid a minute before, closed (sold) at `at`."""
        order_id = self.ring_up(at - timedelta(minutes=5), lines, **fields)
        paid_at = at - timedelta(minutes=1)
        if cash is not None:
            self.pay_cash(paid_at, order_id, cash)
        if card is not None:
            self.pay_card(paid_at, order_id, card)
        self.close(at, order_id, total)
        return order_id

    def refund(self, at: datetime, order_id: uuid.UUID, line_number: int, amount: int) -> None:
        """One unit of a line given back, on the manager's word."""
        self.refund_lines(at, order_id, [(line_number, 1)], amount)

    def refund_lines(
        self, at: datetime, order_id: uuid.UUID, lines: list[tuple[int, int]], amount: int
    ) -> None:
        """Lines (line number, quantity) given back, on the manager's word."""
        self.log.receipt_sequence += 1
        self.log.record(
            "refund",
            {
                "refund_id": str(uuid.uuid4()),
                "order_id": str(order_id),
                "shift_id": str(self.log.shift_id),
                "reason_code": "quality_issue",
                "lines": [{"line_number": n, "quantity": q} for n, q in lines],
                "receipt_sequence": self.log.receipt_sequence,
                "approved_by": str(self.till.manager),
                "client_total_minor": amount,
            },
            at=at,
        )

    def void(self, at: datetime, order_id: uuid.UUID) -> None:
        self.log.record(
            "order.void",
            {
                "order_id": str(order_id),
                "reason_code": "entered_in_error",
                "approved_by": str(self.till.manager),
            },
            at=at,
        )

    def close_shift(self, at: datetime, *, cash: int = FLOAT, card: int) -> None:
        self.log.record(
            "shift.close",
            {"shift_id": str(self.log.shift_id), "counted": {"cash": cash, "card": card}},
            at=at,
        )

    async def upload(self, client: httpx.AsyncClient) -> None:
        operations = self.log.operations[self.uploaded :]
        answer = await upload(client, self.till, operations)
        refused = [item for item in answer["items"] if item["state"] != "applied"]
        assert refused == [], refused
        self.uploaded = len(self.log.operations)
