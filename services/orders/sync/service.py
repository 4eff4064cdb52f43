"""Receiving a till's offline queue: exactly once, in the device's order, per item.

1. Each uploaded operation is validated on its own. One that is malformed but names its id
   and sequence is stored as rejected (so the device's later operations are not held up by
   it); one that does not is answered `rejected` and not stored.
2. An id seen before is a replay: with the same content (SHA-256 of its canonical JSON) it
   gets its original outcome (`duplicate`); with other content it is refused and the stored
   operation is untouched. A sequence already used by another id is refused too.
3. New operations are stored first, all in one transaction (nothing received is lost),
   then applied strictly in the device's sequence order, from the device's
   `applied_through` on: one that arrives before an earlier one waits (`pending`) and is
   applied when the gap fills, in this batch or a later one. So any interleaving,
   duplication or reordering of a device's log ends in the same books as one upload in
   order.
4. Operations are applied in chunks of `CHUNK`, each chunk one transaction that locks the
   device's progress row (a retry racing its original takes turns with it), each operation
   in its own savepoint: a rule that refuses it (a problem) rolls back only that operation,
   which is stored as rejected with its problem; the rest go on. Anything else (the
   database going away) fails the request with a 5xx; the chunks committed before stay, and
   the till's resend answers them `duplicate` and applies the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError

from libs.api.pagination import decode_cursor, encode_cursor
from libs.api.problems import Conflict, NotFound, Problem, validation_errors
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.billing.entitlement import Mode, SubscriptionReadOnly, read_entitlement
from libs.tenancy.database import TenantDatabase
from services.orders.limits.repository import LimitsRepository
from services.orders.orders.repository import OrderRepository
from services.orders.receipts.repository import ReceiptRepository
from services.orders.refunds.repository import RefundRepository
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.service import RegisterRequired, ensure_register, reissue_z_report
from services.orders.sync.apply import (
    OFFLINE_SERIES,
    Applier,
    Batch,
    RegisterNotNumbered,
    Till,
)
from services.orders.sync.repository import SyncRepository
from services.orders.sync.schemas import (
    Batch as BatchRequest,
)
from services.orders.sync.schemas import (
    BatchResult,
    Flag,
    FlagPage,
    FlagResolve,
    ItemResult,
    Operation,
    OperationPage,
    SyncRegister,
    SyncStatus,
)
from services.orders.sync.settings import SyncSettings
from services.orders.tax.repository import TaxRepository

OPERATION: TypeAdapter[Any] = TypeAdapter(Operation)
# Operations applied per transaction: the audit chain head and the savepoints of one
# transaction stay few (Postgres tracks up to 64 subtransactions per backend cheaply), and the
# business's other tills wait for the chain lock one chunk at a time, not one batch (with
# several tills syncing, a live sale can still queue behind a chunk of each).
CHUNK = 50


class FlagNotFound(NotFound):
    code = "sync-flag-not-found"
    title = "No such sync flag"


class FlagAlreadyResolved(Conflict):
    code = "sync-flag-resolved"
    title = "This flag is resolved already"


class OperationIdReused(Conflict):
    code = "operation-id-reused"
    title = "This operation id was uploaded before with different content"


class SequenceTaken(Conflict):
    code = "operation-sequence-taken"
    title = "Another operation of this device has this sequence number"


class InvalidOperation(Problem):
    status = 422
    code = "invalid-operation"
    title = "This operation is malformed"


class RecordsConflict(Conflict):
    code = "operation-conflicts-with-records"
    title = "This operation conflicts with what is already recorded"


def content_hash(content: dict[str, Any]) -> bytes:
    """SHA-256 over the operation's canonical JSON (sorted keys, no spaces): a replay that
    says the same thing in another key order or spacing is the same operation."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).digest()


def _till(principal: Principal) -> Till:
    if principal.device_id is None or principal.location_id is None:
        raise RegisterRequired("offline operations are uploaded by the till that did them")
    return Till(
        tenant_id=principal.tenant_id, device_id=principal.device_id,
        location_id=principal.location_id, uploaded_by=principal.subject,
    )  # fmt: skip


def _validation_problem(error: ValidationError) -> dict[str, Any]:
    return InvalidOperation(
        "The operation is missing fields or has malformed ones; it was not applied.",
        errors=validation_errors(error.errors(include_url=False, include_input=False)),
    ).body()


def _identity(raw: dict[str, Any]) -> tuple[UUID | None, int | None]:
    """The id and sequence of an operation that failed validation, if it has them."""
    try:
        operation_id = UUID(str(raw.get("id")))
    except ValueError:
        operation_id = None
    sequence = raw.get("sequence")
    valid = isinstance(sequence, int) and not isinstance(sequence, bool) and sequence >= 1
    return operation_id, sequence if valid else None


@dataclass(slots=True)
class Upload:
    """One uploaded operation on its way in: where it was in the batch, and what it says."""

    index: int
    id: UUID
    sequence: int
    digest: bytes
    content: dict[str, Any]
    operation: Any | None  # None: malformed
    problem: dict[str, Any] | None  # why a malformed one is rejected


def _parse(index: int, raw: dict[str, Any]) -> Upload | ItemResult:
    try:
        operation = OPERATION.validate_python(raw)
    except ValidationError as error:
        operation_id, sequence = _identity(raw)
        problem = _validation_problem(error)
        if operation_id is None or sequence is None:
            return ItemResult(
                id=operation_id, sequence=sequence, status="rejected", problem=problem
            )
        return Upload(index, operation_id, sequence, content_hash(raw), raw, None, problem)
    content = operation.model_dump(mode="json")
    return Upload(index, operation.id, operation.sequence, content_hash(content), content,
                  operation, None)  # fmt: skip


def _refused(upload: Upload, error: Problem) -> ItemResult:
    return ItemResult(
        id=upload.id, sequence=upload.sequence, status="rejected", problem=error.body()
    )


async def receive_batch(
    *,
    database: TenantDatabase,
    principal: Principal,
    request: BatchRequest,
    settings: SyncSettings,
) -> BatchResult:
    """Take a batch in (one transaction: everything new is stored before anything is
    applied, so nothing received is lost), then apply the device's operations in chunks of
    `CHUNK`, each its own transaction.

    While the business's subscription is read-only (libs/billing/entitlement.py) the batch
    is still taken in, but nothing is applied: the operations wait, `pending`, and the
    till's first upload after the subscription is renewed applies them in order."""
    till = _till(principal)
    actor = Actor.of(principal)
    async with database.transaction(principal) as connection:
        answers, fresh, repeats, received_at = await _take_in(
            connection, till=till, actor=actor, request=request
        )
        entitlement = await read_entitlement(connection)
    held = entitlement.mode() is Mode.READ_ONLY
    progressed = not held
    while progressed:
        async with database.transaction(principal) as connection:
            progressed = await _apply_chunk(
                connection, till=till, actor=actor, received_at=received_at, settings=settings
            )

    # One answer per uploaded operation, in the order they were sent.
    async with database.transaction(principal) as connection:
        sync = SyncRepository.from_connection(connection)
        stored = await sync.known({upload.id for upload in [*fresh.values(), *repeats]})
        applied_through = await sync.applied_through(till.device_id)
    for upload, status in [*((u, "accepted") for u in fresh.values()),
                           *((u, "duplicate") for u in repeats)]:  # fmt: skip
        outcome = stored[upload.id]
        state = outcome.status
        answers[upload.index] = ItemResult(
            id=upload.id, sequence=outcome.sequence, status=status, state=state,
            result=outcome.result if state == "applied" else None,
            problem=outcome.result if state == "rejected" else None,
            waiting_for=applied_through + 1 if state == "pending" else None,
            flags=outcome.result.get("flags", []) if state == "applied" and outcome.result else [],
        )  # fmt: skip
    return BatchResult(
        device_id=till.device_id,
        applied_through=applied_through,
        received_at=received_at,
        held=SubscriptionReadOnly.code if held else None,
        items=[answers[index] for index in sorted(answers)],
    )


async def _take_in(
    connection: Any, *, till: Till, actor: Actor, request: BatchRequest
) -> tuple[dict[int, ItemResult], dict[UUID, Upload], list[Upload], datetime]:
    """Validate, sort out replays and clashes, and store what is new."""
    sync = SyncRepository.from_connection(connection)
    audit = AuditLog.from_connection(connection, service="orders")
    await sync.lock_device(till.device_id)
    received_at = await sync.now()

    # Each operation is validated on its own.
    answers: dict[int, ItemResult] = {}
    uploads: list[Upload] = []
    for index, raw in enumerate(request.operations):
        parsed = _parse(index, raw)
        if isinstance(parsed, ItemResult):
            answers[index] = parsed
        else:
            uploads.append(parsed)

    # Replays and clashes, against what is stored and within the batch.
    known = await sync.known({upload.id for upload in uploads})
    taken = await sync.sequences_taken(till.device_id, {upload.sequence for upload in uploads})
    fresh: dict[UUID, Upload] = {}
    repeats: list[Upload] = []
    for upload in uploads:
        stored, earlier = known.get(upload.id), fresh.get(upload.id)
        if stored is not None or earlier is not None:
            # The same id must say the same thing, from the same device.
            same = (
                stored is not None
                and stored.device_id == till.device_id
                and stored.content_hash == upload.digest
            ) or (earlier is not None and earlier.digest == upload.digest)
            if same:
                repeats.append(upload)
            else:
                answers[upload.index] = _refused(
                    upload, OperationIdReused(operation_id=str(upload.id))
                )
            continue
        if upload.sequence in taken or any(o.sequence == upload.sequence for o in fresh.values()):
            answers[upload.index] = _refused(upload, SequenceTaken(sequence=upload.sequence))
            continue
        fresh[upload.id] = upload

    # Store what is new; a malformed one is settled as rejected on arrival.
    await sync.store(
        [
            {
                "id": upload.id,
                "device_id": till.device_id,
                "sequence": upload.sequence,
                "kind": str(upload.content.get("kind", ""))[:40],
                "staff_id": upload.operation.staff_id if upload.operation else None,
                "occurred_at": upload.operation.occurred_at if upload.operation else None,
                "received_at": received_at,
                "uploaded_by": till.uploaded_by,
                "content_hash": upload.digest,
                "content": upload.content,
                "status": "rejected" if upload.problem else "pending",
                "result": upload.problem,
                "settled_at": received_at if upload.problem else None,
            }
            for upload in fresh.values()
        ]
    )
    for upload in fresh.values():
        if upload.problem is not None:
            await audit.append(
                actor=actor, action="sync.operation_rejected", resource_type="sync_operation",
                resource_id=str(upload.id),
                payload={"device_id": str(till.device_id), "sequence": upload.sequence,
                         "received_at": received_at.isoformat(), "problem": upload.problem},
            )  # fmt: skip

    return answers, fresh, repeats, received_at


async def _apply_chunk(
    connection: Any, *, till: Till, actor: Actor, received_at: datetime, settings: SyncSettings
) -> bool:
    """Apply the device's next operations in sequence order, up to `CHUNK` of them and as
    far as its sequence has no gap; whether the cursor moved. The device row is locked, so
    two batches of one device take turns."""
    sync = SyncRepository.from_connection(connection)
    orders = OrderRepository.from_connection(connection)
    audit = AuditLog.from_connection(connection, service="orders")
    applied_through = start = await sync.lock_device(till.device_id)
    waiting = await sync.unsettled_after(
        till.device_id, after=applied_through, through=applied_through + CHUNK
    )
    staff_ids = {operation.staff_id for operation in waiting if operation.staff_id}
    staff_ids |= {
        UUID(approver)
        for operation in waiting
        if isinstance(data := operation.content.get("data"), dict)
        and isinstance(approver := data.get("approved_by"), str)
    }
    applier = Applier(
        batch=Batch(
            till=till, received_at=received_at, settings=settings,
            business=await orders.settings(), roster=await sync.roster(staff_ids),
        ),
        orders=orders,
        shifts=ShiftRepository.from_connection(connection),
        receipts=ReceiptRepository.from_connection(connection),
        refunds=RefundRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        sync=sync,
        audit=audit,
        taxes=TaxRepository.from_connection(connection),
    )  # fmt: skip
    settled: dict[UUID, tuple[str, dict[str, Any]]] = {}
    flags: list[dict[str, Any]] = []
    late_shifts: dict[UUID, list[str]] = {}
    by_sequence = {operation.sequence: operation for operation in waiting}
    while (stored_operation := by_sequence.get(applied_through + 1)) is not None:
        applied_through = stored_operation.sequence
        if stored_operation.status == "rejected":
            continue  # malformed on arrival: settled already, it only moves the cursor
        operation = OPERATION.validate_python(stored_operation.content)
        try:
            async with connection.begin_nested():
                applied = await applier.apply(operation)
        except (Problem, IntegrityError) as error:
            problem = (error if isinstance(error, Problem) else RecordsConflict()).body()
            settled[operation.id] = ("rejected", problem)
            await audit.append(
                actor=actor, action="sync.operation_rejected", resource_type="sync_operation",
                resource_id=str(operation.id),
                payload={"device_id": str(till.device_id), "sequence": operation.sequence,
                         "kind": operation.kind, "staff_id": str(operation.staff_id),
                         "occurred_at": operation.occurred_at.isoformat(),
                         "received_at": received_at.isoformat(), "problem": problem},
            )  # fmt: skip
        else:
            kinds = [flag["kind"] for flag in applied.flags]
            # Kept with the result, so a duplicate answers with the flags too.
            settled[operation.id] = ("applied", {**applied.result, "flags": kinds})
            flags.extend(applied.flags)
            for shift_id in applied.late_shifts:
                late_shifts.setdefault(shift_id, []).append(str(operation.id))

    await sync.settle([(key, status, result) for key, (status, result) in settled.items()])
    await sync.raise_flags(flags)
    await sync.advance(till.device_id, applied_through)
    for shift_id, operation_ids in late_shifts.items():
        await reissue_z_report(
            shifts=applier.shifts, audit=audit, actor=actor, shift_id=shift_id,
            reason="late-arrival",
            details={"device_id": str(till.device_id), "operation_ids": operation_ids},
        )  # fmt: skip
    return applied_through > start


async def register(*, connection: Any, principal: Principal) -> SyncRegister:
    """The till's register (numbered now if it has none yet) and its offline series, for a
    till to call after activation and whenever it comes back online."""
    till = _till(principal)
    shifts = ShiftRepository.from_connection(connection)
    sync = SyncRepository.from_connection(connection)
    audit = AuditLog.from_connection(connection, service="orders")
    register = await ensure_register(shifts, audit, principal, till.device_id, till.location_id)
    return SyncRegister(
        register_id=register.device_id,
        register_number=register.number,
        receipt_prefix=f"R{register.number}-{OFFLINE_SERIES}",
        last_offline_receipt_sequence=await sync.last_offline_sequence(register.device_id),
        applied_through=await sync.applied_through(till.device_id),
    )


async def status(*, connection: Any, principal: Principal) -> SyncStatus:
    till = _till(principal)
    shifts = ShiftRepository.from_connection(connection)
    sync = SyncRepository.from_connection(connection)
    found = await shifts.register(till.device_id)
    if found is None:
        raise RegisterNotNumbered()
    applied_through = await sync.applied_through(till.device_id)
    pending = [
        operation.sequence
        for operation in await sync.unsettled_after(till.device_id, after=applied_through)
        if operation.status == "pending"
    ]
    return SyncStatus(
        register_id=found.device_id,
        register_number=found.number,
        receipt_prefix=f"R{found.number}-{OFFLINE_SERIES}",
        last_offline_receipt_sequence=await sync.last_offline_sequence(found.device_id),
        applied_through=applied_through,
        pending=pending,
        waiting_for=applied_through + 1 if pending else None,
    )


async def list_flags(
    *, sync: SyncRepository, limit: int, cursor: str | None, unresolved: bool
) -> FlagPage:
    after = decode_cursor(cursor) if cursor else None
    page = await sync.flags(limit=limit + 1, after=after, unresolved=unresolved)
    items = page[:limit]
    last = items[-1] if len(page) > limit else None
    return FlagPage(
        items=items, next_cursor=encode_cursor(last.raised_at, last.id) if last else None
    )


async def resolve_flag(
    *, sync: SyncRepository, audit: AuditLog, principal: Principal, flag_id: UUID,
    request: FlagResolve,
) -> Flag:  # fmt: skip
    flag = await sync.flag(flag_id, for_update=True)
    if flag is None:
        raise FlagNotFound()
    if flag.resolved_at is not None:
        raise FlagAlreadyResolved(resolved_by=flag.resolved_by)
    resolved = await sync.resolve(
        flag_id, resolved_by=principal.subject, resolution=request.resolution
    )
    await audit.append(
        actor=Actor.of(principal), action="sync.flag_resolved", resource_type="sync_flag",
        resource_id=str(flag_id),
        payload={"kind": flag.kind, "resource_type": flag.resource_type,
                 "resource_id": flag.resource_id, "resolution": request.resolution},
    )  # fmt: skip
    return resolved


async def list_operations(
    *, sync: SyncRepository, limit: int, cursor: str | None, device_id: UUID | None,
    status: str | None,
) -> OperationPage:  # fmt: skip
    after = decode_cursor(cursor) if cursor else None
    page = await sync.page(limit=limit + 1, after=after, device_id=device_id, status=status)
    items = page[:limit]
    last = items[-1] if len(page) > limit else None
    return OperationPage(
        items=items, next_cursor=encode_cursor(last.received_at, last.id) if last else None
    )
