"""The unit of work of the sale: what one request (or one chunk of an offline queue) reads,
changes and writes, in its tenant-bound transaction.

Sales are read once (one query for any number of them, locked FOR UPDATE) and kept by id, so
a chunk of a till's queue that opens, pays and closes an order reads it never and writes it
once. Commands change sales in memory and record what else they made (receipts, refunds,
print jobs, audit entries, webhook messages); `flush` writes it all with a statement per
table. Nothing here commits: the transaction's owner does, once.

The daily facts (libs/sales/day_facts.py) are kept here too: each sale is remembered as it
was read (what its facts depend on), and what the unit of work writes adds, in the same
transaction and one more statement, the facts of each sale as written less those of the sale
as read, plus the facts of each refund recorded. So every change of a sale, whatever command
or offline operation made it, moves the days by exactly what it changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.bridge.escpos import Venue
from libs.bridge.queue import QUEUED, PrintJob, PrintQueue, queued_payload
from libs.bridge.settings import PrintSettings
from libs.sales import day_facts as facts
from libs.webhooks.outbox import Outbox
from libs.webhooks.payloads import EventData
from services.orders.day_facts import CALENDARS, add_facts
from services.orders.menu.snapshot import MenuSnapshot, SnapshotCache
from services.orders.printing.repository import PrintingRepository
from services.orders.printing.service import venue_of
from services.orders.sale.model import Sale, sale_state
from services.orders.sale.policy import ReceiptNumberTaken, receipt_number
from services.orders.sale.repository import (
    Context,
    Limits,
    ReceiptRow,
    RefundRow,
    RefundTenderRow,
    SaleRepository,
    Series,
    ShiftRef,
)
from services.orders.sale.rules import OrderNotFound

SERVICE = "orders"


@dataclass(slots=True)
class _OfflineSeries:
    """A register's offline receipt series as far as this unit of work knows it."""

    last: int
    taken: set[int] = field(default_factory=set)
    checked: set[int] = field(default_factory=set)


class UnitOfWork:
    def __init__(
        self,
        connection: AsyncConnection,
        *,
        principal: Principal,
        snapshots: SnapshotCache,
        print_settings: PrintSettings,
    ) -> None:
        self.connection = connection
        self.principal = principal
        self.repository = SaleRepository.from_connection(connection)
        self.audit_log = AuditLog.from_connection(connection, service=SERVICE)
        self.print_queue = PrintQueue.from_connection(
            connection, audit=self.audit_log, settings=print_settings
        )
        self._snapshots = snapshots
        self._context: Context | None = None
        self._sales: dict[UUID, Sale] = {}
        # Each sale as read (libs/sales/day_facts.py `SaleState`): what its facts were.
        self._read: dict[UUID, facts.SaleState] = {}
        self._missing: set[UUID] = set()
        self._shifts: dict[UUID, ShiftRef | None] = {}
        self._register_numbers: dict[UUID, int | None] = {}
        self._venues: dict[UUID, Venue] = {}
        self._earlier_refunds: dict[UUID, dict[Decimal, tuple[int, int]]] = {}
        self._sale_receipts: dict[UUID, tuple[UUID, str]] = {}
        self._offline_series: dict[UUID, _OfflineSeries] = {}
        self._refunds: list[RefundRow] = []
        self._refund_tenders: list[RefundTenderRow] = []
        self._receipts: list[ReceiptRow] = []
        self._print_jobs: list[tuple[UUID, PrintJob]] = []
        self._audit: list[dict[str, Any]] = []
        self._webhooks: list[tuple[EventData, datetime]] = []

    # -- what every command reads ----------------------------------------------------------

    async def context(self) -> Context:
        """Settings, limits, the catalog version and (at a register) its open shift, read
        once. The shift is held FOR SHARE: it cannot close under the sale being written."""
        if self._context is None:
            self._context = await self.repository.context(self.principal.device_id)
            if self._context.shift is not None:
                self._shifts[self._context.shift.id] = self._context.shift
        return self._context

    async def limits(self) -> Limits:
        return (await self.context()).limits

    async def menu(self, location_id: UUID | None) -> MenuSnapshot:
        """The venue's menu and tax rates at the catalog version this transaction read
        (from the process's cache unless the menu changed)."""
        version = (await self.context()).catalog_version
        return await self._snapshots.get(
            self.connection,
            tenant_id=self.principal.tenant_id,
            location_id=location_id,
            version=version,
        )

    async def register_shift(self, register_id: UUID) -> ShiftRef | None:
        shift = (await self.context()).shift
        return shift if shift is not None and shift.register_id == register_id else None

    async def shift(self, shift_id: UUID) -> ShiftRef | None:
        if shift_id not in self._shifts:
            await self.prefetch_shifts([shift_id])
        return self._shifts[shift_id]

    async def prefetch_shifts(self, shift_ids: Collection[UUID]) -> None:
        wanted = [shift_id for shift_id in shift_ids if shift_id not in self._shifts]
        found = await self.repository.shifts(wanted)
        for shift_id in wanted:
            self._shifts[shift_id] = found.get(shift_id)

    async def register_number(self, register_id: UUID | None) -> int | None:
        """The number (R1, R2...) of a register, for the paper."""
        if register_id is None:
            return None
        shift = (await self.context()).shift
        if shift is not None and shift.register_id == register_id:
            return shift.register_number
        if register_id not in self._register_numbers:
            self._register_numbers[register_id] = await self.repository.register_number(register_id)
        return self._register_numbers[register_id]

    async def venue(self, location_id: UUID) -> Venue:
        """The venue's name and address for the paper, read once per unit of work (a close
        prints its kitchen tickets and its receipt with the same header)."""
        if location_id not in self._venues:
            printing = PrintingRepository.from_connection(self.connection)
            self._venues[location_id] = await venue_of(printing, location_id)
        return self._venues[location_id]

    def forget_shift(self, shift_id: UUID) -> None:
        """A shift opened or closed by a command: read it again when next asked."""
        self._shifts.pop(shift_id, None)

    # -- sales -----------------------------------------------------------------------------

    async def prefetch(self, order_ids: Collection[UUID]) -> None:
        """Read (and lock) these orders in one query, before the commands that need them."""
        wanted = [i for i in order_ids if i not in self._sales and i not in self._missing]
        for sale in await self.repository.sales(wanted, lock=True):
            self._sales[sale.id] = sale
            self._read[sale.id] = sale_state(sale)
        self._missing.update(order_id for order_id in wanted if order_id not in self._sales)

    async def find(self, order_id: UUID) -> Sale | None:
        """The order, wherever it was sold (for an id a till generated: does it exist?)."""
        await self.prefetch([order_id])
        return self._sales.get(order_id)

    async def sale(self, order_id: UUID) -> Sale:
        """The order, locked; 404 unless it belongs to a venue the caller reaches (so the
        existence of another venue's or another business's order is never confirmed)."""
        sale = await self.find(order_id)
        if sale is None or sale.location_id is None or not self.principal.reaches(sale.location_id):
            raise OrderNotFound()
        return sale

    def add(self, sale: Sale) -> None:
        self._sales[sale.id] = sale
        self._missing.discard(sale.id)

    async def earlier_refunds(self, order_id: UUID) -> dict[Decimal, tuple[int, int]]:
        """What earlier refunds of the order gave back, per tax rate: (gross, tax)."""
        if order_id not in self._earlier_refunds:
            found = await self.repository.earlier_refunds([order_id])
            self._earlier_refunds[order_id] = found.get(order_id, {})
        return self._earlier_refunds[order_id]

    async def sale_receipt(self, order_id: UUID) -> tuple[UUID, str] | None:
        """The order's sale receipt (id, number), if it has one."""
        if order_id not in self._sale_receipts:
            found = await self.repository.sale_receipts([order_id])
            if order_id in found:
                self._sale_receipts[order_id] = found[order_id]
        return self._sale_receipts.get(order_id)

    # -- receipt numbers -------------------------------------------------------------------

    async def next_receipt_number(self, shift: ShiftRef) -> tuple[Series, int, str]:
        register_number, sequence = await self.repository.take_receipt_numbers(shift.register_id, 1)
        return "", sequence, receipt_number(register_number, sequence)

    async def prefetch_offline_numbers(self, register_id: UUID, sequences: Collection[int]) -> None:
        last, taken = await self.repository.offline_numbers(register_id, sequences)
        series = self._offline_series.setdefault(register_id, _OfflineSeries(last))
        series.last = max(series.last, last)
        series.taken |= taken
        series.checked |= set(sequences)

    async def offline_receipt_number(self, shift: ShiftRef, sequence: int) -> int:
        """The last number of the register's offline series so far; refuses a number that
        is already used."""
        series = self._offline_series.get(shift.register_id)
        if series is None or sequence not in series.checked:
            await self.prefetch_offline_numbers(shift.register_id, [sequence])
            series = self._offline_series[shift.register_id]
        if sequence in series.taken:
            raise ReceiptNumberTaken(receipt_sequence=sequence)
        return series.last

    # -- what commands make ----------------------------------------------------------------

    def record_receipt(self, receipt: ReceiptRow) -> None:
        self._receipts.append(receipt)
        if receipt.kind == "sale":
            self._sale_receipts[receipt.order_id] = (receipt.id, receipt.number)
        if receipt.series == "O":
            series = self._offline_series.setdefault(receipt.register_id, _OfflineSeries(0))
            series.taken.add(receipt.sequence)
            series.last = max(series.last, receipt.sequence)

    def record_refund(self, refund: RefundRow, tenders: list[RefundTenderRow]) -> None:
        self._refunds.append(refund)
        self._refund_tenders.extend(tenders)
        earlier = self._earlier_refunds.setdefault(refund.order_id, {})
        for group in refund.tax:
            rate = Decimal(group["rate"])
            gross, tax = earlier.get(rate, (0, 0))
            earlier[rate] = (gross + group["gross_minor"], tax + group["tax_minor"])

    def queue_print(self, job: PrintJob) -> UUID:
        """A print job for the venue's Bridge, queued with the rest (and audited in turn)."""
        job_id = uuid.uuid4()
        self._print_jobs.append((job_id, job))
        self.audit(QUEUED, "print_job", job_id, queued_payload(job))
        return job_id

    def audit(
        self, action: str, resource_type: str, resource_id: Any, payload: dict[str, Any]
    ) -> None:
        """An audit entry of the sale, appended when the unit of work is flushed, in order,
        in the same transaction as what it records."""
        self._audit.append(
            {
                "action": action,
                "resource_type": resource_type,
                "resource_id": str(resource_id),
                "payload": payload,
            }
        )

    def emit(self, data: EventData, *, occurred_at: datetime) -> None:
        """A webhook message for integrators (libs/webhooks/outbox.py), recorded when the
        unit of work is flushed, in the same transaction as the event: ids and amounts only,
        typed by the event's model (libs/webhooks/payloads.py)."""
        self._webhooks.append((data, occurred_at))

    # -- writing ---------------------------------------------------------------------------

    async def write_pending(self) -> None:
        """Write the sales, refunds and receipts made so far (before a read that must see
        them: a shift's facts at its close), and what they add to the days. Audit entries and
        print jobs wait for `flush`."""
        added = await self._day_facts()
        await self.repository.write_sales(list(self._sales.values()))
        await self.repository.insert_refunds(self._refunds, self._refund_tenders)
        await self.repository.insert_receipts(self._receipts)
        await add_facts(await self.repository.driver(), added)
        self._refunds, self._refund_tenders, self._receipts = [], [], []

    async def _day_facts(self) -> facts.Facts:
        """What the sales changed since they were read and the refunds recorded add to the
        days (and the sales are remembered as they are now, for a later write)."""
        changes: list[tuple[facts.SaleState | None, facts.SaleState]] = []
        for sale in self._sales.values():
            if not (
                sale.dirty
                or any(line.dirty for line in sale.lines)
                or any(payment.dirty for payment in sale.payments)
            ):
                continue
            before, after = self._read.get(sale.id), sale_state(sale)
            self._read[sale.id] = after
            if (
                before is None
                and after.status == "open"
                and not any(payment.approved for payment in after.payments)
            ):
                continue  # an order just opened adds nothing yet (the till's commonest write)
            if before != after:
                changes.append((before, after))
        if not changes and not self._refunds:
            return {}
        # A payment's register is its shift's. Only the payments whose facts changed need it:
        # one that did not change is the same in both states and cancels out whatever it is.
        changed_shifts = {
            payment.shift_id
            for before, after in changes
            for payment in after.payments
            if payment.shift_id is not None and (before is None or payment not in before.payments)
        }
        await self.prefetch_shifts(
            changed_shifts
            | {refund.shift_id for refund in self._refunds}
            | {tender.shift_id for tender in self._refund_tenders}
        )
        locations = {state.location_id for _, state in changes if state.location_id is not None}
        locations |= {shift.location_id for shift in self._known_shifts(self._refunds)}
        calendars = await CALENDARS.get(
            await self.repository.driver(), self.principal.tenant_id, locations
        )
        added: facts.Facts = {}
        for before, after in changes:
            if after.location_id is None:
                continue
            calendar = calendars[after.location_id]
            facts.add(added, facts.sale_facts(self._registers(after), calendar))
            if before is not None:
                facts.add(added, facts.sale_facts(self._registers(before), calendar), -1)
        for refund in self._refunds:
            state = self._refund_state(refund)
            facts.add(added, facts.refund_facts(state, calendars[state.location_id]))
        return facts.nonzero(added)

    def _known_shifts(self, refunds: list[RefundRow]) -> list[ShiftRef]:
        return [s for r in refunds if (s := self._shifts.get(r.shift_id)) is not None]

    def _register_of(self, shift_id: UUID | None) -> UUID | None:
        shift = self._shifts.get(shift_id) if shift_id is not None else None
        return shift.register_id if shift is not None else None

    def _registers(self, state: facts.SaleState) -> facts.SaleState:
        """A sale's state with each payment's register, its shift's (`sale_state` leaves it
        to be looked up)."""
        return replace(
            state,
            payments=tuple(
                replace(payment, register_id=self._register_of(payment.shift_id))
                for payment in state.payments
            ),
        )

    def _refund_state(self, refund: RefundRow) -> facts.RefundState:
        shift = self._shifts[refund.shift_id]
        assert shift is not None, "a refund is given through an open shift it read"
        sale = self._sales.get(refund.order_id)
        lines = []
        for given in refund.lines:
            line = sale.line(given["line_number"]) if sale is not None else None
            lines.append(
                facts.RefundedLine(
                    item_id=line.item_id if line is not None else None,
                    name=given["name"],
                    quantity=given["quantity"],
                    amount_minor=given["amount_minor"],
                )
            )
        return facts.RefundState(
            location_id=shift.location_id,
            register_id=shift.register_id,
            created_at=refund.created_at,
            amount_minor=refund.amount_minor,
            tax_minor=refund.tax_minor,
            tax=facts.tax_groups(refund.tax),
            lines=tuple(lines),
            tenders=tuple(
                (tender.tender, tender.amount_minor, self._register_of(tender.shift_id))
                for tender in self._refund_tenders
                if tender.refund_id == refund.id
            ),
        )

    async def flush(self) -> None:
        """Write everything changed or made, a statement per table, then the audit entries."""
        await self.write_pending()
        actor = Actor.of(self.principal)
        if self._print_jobs:
            await self.print_queue.enqueue_all(self._print_jobs, actor=actor, audited=True)
            self._print_jobs = []
        for entry in self._audit:
            await self.audit_log.append(actor=actor, **entry)
        self._audit = []
        outbox = Outbox.from_connection(self.connection)
        for data, occurred_at in self._webhooks:
            await outbox.emit(data, occurred_at=occurred_at)
        self._webhooks = []
