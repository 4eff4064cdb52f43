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
   device's progress row (a retry racing its original takes turns with it). Each operation
   is the sale's own command (sync/apply.py) under the offline policy; the commands run in
   memory and the chunk is written with a statement per table. A command refuses (a
   problem) before it changes anything, so a refused operation is stored as rejected with
   its problem and the rest go on. A write the database refuses (an id a till reused for
   something else) fails the chunk, which is then applied again one operation per
   savepoint, so that operation alone is rejected. Anything else (the database going away)
   fails the request with a 5xx; the chunks committed before stay, and the till's resend
   answers them `duplicate` and applies the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.keys import KeySource
from libs.auth.principal import Principal
from libs.billing.entitlement import Mode, SubscriptionReadOnly, read_entitlement
from libs.bridge.settings import PrintSettings
from libs.problems import Conflict, NotFound, Problem, validation_errors
from libs.rbac.matrix import Role
from libs.tenancy.database import TenantDatabase
from services.orders.menu.snapshot import snapshots
from services.orders.sale.policy import OFFLINE_SERIES
from services.orders.sale.policy import Upload as PolicyUpload
from services.orders.sale.repository import ShiftRef
from services.orders.sale.unit_of_work import UnitOfWork
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.service import RegisterRequired, ensure_register, reissue_z_report
from services.orders.sync.apply import Applied, Applier, Waiting, referenced
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
    OfflineApproval,
    OfflineApprovalPage,
    Operation,
    OperationPage,
    SyncRegister,
    SyncStatus,
)
from services.orders.sync.settings import SyncSettings

OPERATION: TypeAdapter[Any] = TypeAdapter(Operation)
# Fields added to operations since tills first uploaded them: left out of an operation's
# content when unset, so that a replay of an operation stored before they existed hashes
# as it did then (its content is hashed after validation, defaults filled in).
LATER_FIELDS = ("override_token",)
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


class RegisterNotNumbered(Conflict):
    code = "register-not-numbered"
    title = "This device has no register yet: open a shift or POST /v1/sync/register first"


class RecordsConflict(Conflict):
    code = "operation-conflicts-with-records"
    title = "This operation conflicts with what is already recorded"


def content_hash(content: dict[str, Any]) -> bytes:
    """SHA-256 over the operation's canonical JSON (sorted keys, no spaces): a replay that
    says the same thing in another key order or spacing is the same operation."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).digest()


@dataclass(frozen=True, slots=True)
class Setup:
    """What applying needs besides the operations: the sync settings, the identity
    service's keys (a live operation's override token) and the print settings (a live
    close's or refund's paper)."""

    settings: SyncSettings
    keys: KeySource | None = None
    print_settings: PrintSettings = field(default_factory=PrintSettings)


@dataclass(frozen=True, slots=True)
class Till:
    """The device that uploads: where its operations were done."""

    tenant_id: UUID
    device_id: UUID
    location_id: UUID
    uploaded_by: str


def _till(principal: Principal) -> Till:
    if principal.device_id is None or principal.location_id is None:
        raise RegisterRequired("offline operations are uploaded by the till that did them")
    return Till(
        tenant_id=principal.tenant_id,
        device_id=principal.device_id,
        location_id=principal.location_id,
        uploaded_by=principal.subject,
    )


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
class Received:
    """One uploaded operation on its way in: where it was in the batch, and what it says."""

    index: int
    id: UUID
    sequence: int
    digest: bytes
    content: dict[str, Any]
    operation: Any | None  # None: malformed
    problem: dict[str, Any] | None  # why a malformed one is rejected


def _parse(index: int, raw: dict[str, Any]) -> Received | ItemResult:
    try:
        operation = OPERATION.validate_python(raw)
    except ValidationError as error:
        operation_id, sequence = _identity(raw)
        problem = _validation_problem(error)
        if operation_id is None or sequence is None:
            return ItemResult(
                id=operation_id, sequence=sequence, status="rejected", problem=problem
            )
        return Received(index, operation_id, sequence, content_hash(raw), raw, None, problem)
    content = operation.model_dump(mode="json")
    data = content["data"]
    for name in LATER_FIELDS:
        if name in data and data[name] is None:
            del data[name]
    return Received(
        index, operation.id, operation.sequence, content_hash(content), content, operation, None
    )


def _refused(upload: Received, error: Problem) -> ItemResult:
    return ItemResult(
        id=upload.id, sequence=upload.sequence, status="rejected", problem=error.body()
    )


async def receive_batch(
    *,
    database: TenantDatabase,
    principal: Principal,
    request: BatchRequest,
    settings: SyncSettings,
    keys: KeySource | None = None,
    print_settings: PrintSettings | None = None,
) -> BatchResult:
    """Take a batch in (one transaction: everything new is stored before anything is
    applied, so nothing received is lost), then apply the device's operations in chunks of
    `CHUNK`, each its own transaction.

    While the business's subscription is read-only (libs/billing/entitlement.py) the batch
    is still taken in, but nothing is applied: the operations wait, `pending`, and the
    till's first upload after the subscription is renewed applies them in order."""
    till = _till(principal)
    actor = Actor.of(principal)
    setup = Setup(settings, keys, print_settings or PrintSettings())
    async with database.transaction(principal) as connection:
        answers, fresh, repeats, received_at = await _take_in(
            connection, till=till, actor=actor, request=request
        )
        entitlement = await read_entitlement(connection)
    held = entitlement.mode() is Mode.READ_ONLY
    progressed = not held
    while progressed:
        try:
            async with database.transaction(principal) as connection:
                progressed = await _apply_chunk(
                    connection, principal=principal, received_at=received_at, setup=setup
                )
        except RECORD_CONFLICTS:
            async with database.transaction(principal) as connection:
                progressed = await _apply_chunk(
                    connection,
                    principal=principal,
                    received_at=received_at,
                    setup=setup,
                    one_at_a_time=True,
                )

    # One answer per uploaded operation, in the order they were sent.
    async with database.transaction(principal) as connection:
        sync = SyncRepository.from_connection(connection)
        stored = await sync.known({upload.id for upload in [*fresh.values(), *repeats]})
        applied_through = await sync.applied_through(till.device_id)
    for upload, status in [
        *((u, "accepted") for u in fresh.values()),
        *((u, "duplicate") for u in repeats),
    ]:
        outcome = stored[upload.id]
        state = outcome.status
        answers[upload.index] = ItemResult(
            id=upload.id,
            sequence=outcome.sequence,
            status=status,
            state=state,
            result=outcome.result if state == "applied" else None,
            problem=outcome.result if state == "rejected" else None,
            waiting_for=applied_through + 1 if state == "pending" else None,
            waiting_for_order=(
                UUID(outcome.result["waiting_for"]["order_id"])
                if state == "waiting" and outcome.result
                else None
            ),
            flags=outcome.result.get("flags", []) if state == "applied" and outcome.result else [],
        )
    return BatchResult(
        device_id=till.device_id,
        applied_through=applied_through,
        received_at=received_at,
        held=SubscriptionReadOnly.code if held else None,
        items=[answers[index] for index in sorted(answers)],
    )


async def _take_in(
    connection: Any, *, till: Till, actor: Actor, request: BatchRequest
) -> tuple[dict[int, ItemResult], dict[UUID, Received], list[Received], datetime]:
    """Validate, sort out replays and clashes, and store what is new."""
    sync = SyncRepository.from_connection(connection)
    audit = AuditLog.from_connection(connection, service="orders")
    await sync.lock_device(till.device_id)
    received_at = await sync.now()

    # Each operation is validated on its own.
    answers: dict[int, ItemResult] = {}
    uploads: list[Received] = []
    for index, raw in enumerate(request.operations):
        parsed = _parse(index, raw)
        if isinstance(parsed, ItemResult):
            answers[index] = parsed
        else:
            uploads.append(parsed)

    # Replays and clashes, against what is stored and within the batch.
    known = await sync.known({upload.id for upload in uploads})
    taken = await sync.sequences_taken(till.device_id, {upload.sequence for upload in uploads})
    fresh: dict[UUID, Received] = {}
    repeats: list[Received] = []
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
                actor=actor,
                action="sync.operation_rejected",
                resource_type="sync_operation",
                resource_id=str(upload.id),
                payload={
                    "device_id": str(till.device_id),
                    "sequence": upload.sequence,
                    "received_at": received_at.isoformat(),
                    "problem": upload.problem,
                },
            )

    return answers, fresh, repeats, received_at


@dataclass(slots=True)
class _Chunk:
    """What applying a chunk of a device's queue came to, written when it is done."""

    settled: dict[UUID, tuple[str, dict[str, Any], UUID | None]] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    late_shifts: dict[UUID, list[str]] = field(default_factory=dict)
    backfilled: list[tuple[ShiftRef, int, UUID]] = field(default_factory=list)
    created_orders: set[UUID] = field(default_factory=set)

    def applied(self, operation: Any, applied: Applied) -> None:
        policy = applied.policy
        # Kept with the result, so a duplicate answers with the flags too.
        kinds = [flag["kind"] for flag in policy.flags]
        self.settled[operation.id] = ("applied", {**applied.result, "flags": kinds}, None)
        self.flags.extend(policy.flags)
        self.reviews.extend(policy.reviews)
        for shift_id in policy.late_shifts:
            self.late_shifts.setdefault(shift_id, []).append(str(operation.id))
        if policy.backfilled is not None:
            self.backfilled.append((*policy.backfilled, operation.id))
        if operation.kind == "order.create":
            self.created_orders.add(operation.data.order_id)

    def waiting(self, operation: Any, principal: Principal, order_id: UUID) -> None:
        """Parked: the cursor moves on, and the operation waits for the order. Who uploaded
        it is kept (a verified session's subject, role, device and venue), so it can be
        applied as theirs when the sale arrives, in whichever upload brings it."""
        uploader = {
            "subject": principal.subject,
            "role": principal.role.value,
            "device_id": str(principal.device_id),
            "location_id": str(principal.location_id),
        }
        self.settled[operation.id] = (
            "waiting",
            {"waiting_for": {"order_id": str(order_id)}, "uploader": uploader},
            order_id,
        )

    def rejected(
        self, uow: UnitOfWork, operation: Any, error: Exception, received_at: datetime
    ) -> None:
        problem = (error if isinstance(error, Problem) else RecordsConflict()).body()
        self.settled[operation.id] = ("rejected", problem, None)
        uow.audit(
            "sync.operation_rejected",
            "sync_operation",
            operation.id,
            {
                "device_id": str(uow.principal.device_id),
                "sequence": operation.sequence,
                "kind": operation.kind,
                "staff_id": str(operation.staff_id),
                "occurred_at": operation.occurred_at.isoformat(),
                "received_at": received_at.isoformat(),
                "problem": problem,
            },
        )


# What a write may refuse that the rules did not foresee (an id a till reused for something
# else): that operation alone is refused, as `operation-conflicts-with-records`.
RECORD_CONFLICTS = (
    IntegrityError,
    asyncpg.IntegrityConstraintViolationError,
    asyncpg.CardinalityViolationError,
)


def _unit_of_work(connection: Any, applier: Applier) -> UnitOfWork:
    return UnitOfWork(
        connection,
        principal=applier.principal,
        snapshots=snapshots,
        print_settings=applier.print_settings,
    )


async def _one_at_a_time(
    connection: Any, applier: Applier, chunk: _Chunk, operation: Any, *, received_at: datetime
) -> None:
    """Apply one operation in a savepoint of its own, writing it at once: a write the
    database refuses rolls back this operation alone."""
    uow = _unit_of_work(connection, applier)
    try:
        async with connection.begin_nested():
            outcome = await applier.apply(uow, operation)
            if isinstance(outcome, Applied):
                await uow.flush()
    except (Problem, *RECORD_CONFLICTS) as error:
        rejection = _unit_of_work(connection, applier)
        chunk.rejected(rejection, operation, error, received_at)
        await rejection.flush()
        return
    if isinstance(outcome, Waiting):
        chunk.waiting(operation, applier.principal, outcome.order_id)
    else:
        chunk.applied(operation, outcome)


async def _apply_chunk(
    connection: Any,
    *,
    principal: Principal,
    received_at: datetime,
    setup: Setup,
    one_at_a_time: bool = False,
) -> bool:
    """Apply the device's next operations in sequence order, up to `CHUNK` of them and as
    far as its sequence has no gap; whether the cursor moved. The device row is locked, so
    two batches of one device take turns.

    Set-based: the orders, shifts and receipt numbers the chunk names are read in one query
    each, the commands run in memory, and what they made is written with a statement per
    table. A write the database refuses (an id a till reused) fails the chunk; it is then
    applied again `one_at_a_time`, each operation in a savepoint of its own."""
    till = _till(principal)
    sync = SyncRepository.from_connection(connection)
    applied_through = start = await sync.lock_device(till.device_id)
    stored = await sync.unsettled_after(
        till.device_id, after=applied_through, through=applied_through + CHUNK
    )
    by_sequence = {operation.sequence: operation for operation in stored}
    operations = []
    while (stored_operation := by_sequence.get(applied_through + 1)) is not None:
        applied_through = stored_operation.sequence
        if stored_operation.status != "rejected":  # malformed on arrival: settled already
            operations.append(OPERATION.validate_python(stored_operation.content))
    applier = Applier(
        upload=PolicyUpload(
            principal=principal,
            received_at=received_at,
            roster=await sync.roster(_named_staff(operations)),
            offline_card_max_age=setup.settings.offline_card_max_age,
        ),
        settings=setup.settings,
        principal=principal,
        keys=setup.keys,
        print_settings=setup.print_settings,
        arrived={o.id: o.received_at for o in stored},
    )
    chunk = _Chunk()
    if one_at_a_time:
        for operation in operations:
            await _one_at_a_time(connection, applier, chunk, operation, received_at=received_at)
    else:
        uow = _unit_of_work(connection, applier)
        orders, shifts, numbers = referenced(operations)
        await uow.prefetch(orders)
        await uow.prefetch_shifts(shifts)
        if numbers:
            await uow.prefetch_offline_numbers(till.device_id, numbers)
        for operation in operations:
            try:
                if getattr(operation.data, "override_token", None) is None:
                    outcome = await applier.apply(uow, operation)
                else:
                    # The token is spent at once (as online, in the write's transaction):
                    # in a savepoint, so that a rule refusing the operation after the
                    # spend leaves the token unspent, as a refused request does online.
                    async with connection.begin_nested():
                        outcome = await applier.apply(uow, operation)
            except Problem as error:
                chunk.rejected(uow, operation, error, received_at)
                continue
            if isinstance(outcome, Waiting):
                chunk.waiting(operation, principal, outcome.order_id)
            else:
                chunk.applied(operation, outcome)
        await uow.flush()
    await _apply_waiting(
        connection,
        chunk,
        tenant_id=principal.tenant_id,
        received_at=received_at,
        setup=setup,
    )

    await sync.settle(
        [
            (key, status, result, waiting_for)
            for key, (status, result, waiting_for) in chunk.settled.items()
        ]
    )
    await sync.raise_flags(chunk.flags)
    await sync.raise_reviews(chunk.reviews)
    await sync.advance(till.device_id, applied_through)
    for shift, sequence, operation_id in chunk.backfilled:
        await _fill_gap(connection, shift, sequence, operation_id)
    shift_repository = ShiftRepository.from_connection(connection)
    audit = AuditLog.from_connection(connection, service="orders")
    for shift_id, operation_ids in chunk.late_shifts.items():
        await reissue_z_report(
            shifts=shift_repository,
            audit=audit,
            actor=Actor.of(principal),
            shift_id=shift_id,
            reason="late-arrival",
            details={"device_id": str(till.device_id), "operation_ids": operation_ids},
        )
    return applied_through > start


def _named_staff(operations: list[Any]) -> set[UUID]:
    """Everyone the operations name: who did them, and who approved."""
    named = {operation.staff_id for operation in operations}
    named |= {
        approver
        for operation in operations
        if (approver := getattr(operation.data, "approved_by", None)) is not None
    }
    return named


async def _apply_waiting(
    connection: Any,
    chunk: _Chunk,
    *,
    tenant_id: UUID,
    received_at: datetime,
    setup: Setup,
) -> None:
    """Refunds other tills recorded of the sales this chunk brought: applied now, each as
    its own uploader's, one at a time (they are few)."""
    if not chunk.created_orders:
        return
    sync = SyncRepository.from_connection(connection)
    for stored in await sync.waiting_for(chunk.created_orders):
        uploader = (stored.result or {}).get("uploader", {})
        principal = Principal(
            subject=uploader["subject"],
            tenant_id=tenant_id,
            role=Role(uploader["role"]),
            location_id=UUID(uploader["location_id"]),
            device_id=UUID(uploader["device_id"]),
        )
        operation = OPERATION.validate_python(stored.content)
        applier = Applier(
            upload=PolicyUpload(
                principal=principal,
                received_at=stored.received_at,
                roster=await sync.roster(_named_staff([operation])),
                offline_card_max_age=setup.settings.offline_card_max_age,
            ),
            settings=setup.settings,
            principal=principal,
            keys=setup.keys,
            print_settings=setup.print_settings,
            arrived={stored.id: stored.received_at},
        )
        await _one_at_a_time(connection, applier, chunk, operation, received_at=stored.received_at)


async def _fill_gap(connection: Any, shift: ShiftRef, sequence: int, operation_id: UUID) -> None:
    """A receipt number that arrived late may complete a gap flagged before: the flag is
    resolved once every number of it has arrived."""
    sync = SyncRepository.from_connection(connection)
    for gap in await sync.open_gap_flags(shift.register_id):
        first, last = gap.details["first_sequence"], gap.details["last_sequence"]
        if first <= sequence <= last:
            count = await sync.offline_sequences_between(shift.register_id, first, last)
            if count == last - first + 1:
                await sync.resolve(
                    gap.id,
                    resolved_by="sync",
                    resolution=f"Every number arrived (the last with operation {operation_id}).",
                )


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
    *,
    sync: SyncRepository,
    principal: Principal,
    limit: int,
    cursor: str | None,
    unresolved: bool,
) -> FlagPage:
    """Of the tills at the venues the caller reaches."""
    after = decode_cursor(cursor) if cursor else None
    page = await sync.flags(
        limit=limit + 1, after=after, unresolved=unresolved, venues=principal.venues
    )
    items, next_cursor = cut_page(page, limit, lambda row: encode_cursor(row.raised_at, row.id))
    return FlagPage(items=items, next_cursor=next_cursor)


async def resolve_flag(
    *,
    sync: SyncRepository,
    audit: AuditLog,
    principal: Principal,
    flag_id: UUID,
    request: FlagResolve,
) -> Flag:
    # Another venue's flag is "not found", as another business's.
    flag = await sync.flag(flag_id, for_update=True, venues=principal.venues)
    if flag is None:
        raise FlagNotFound()
    if flag.resolved_at is not None:
        raise FlagAlreadyResolved(resolved_by=flag.resolved_by)
    resolved = await sync.resolve(
        flag_id, resolved_by=principal.subject, resolution=request.resolution
    )
    await audit.append(
        actor=Actor.of(principal),
        action="sync.flag_resolved",
        resource_type="sync_flag",
        resource_id=str(flag_id),
        payload={
            "kind": flag.kind,
            "resource_type": flag.resource_type,
            "resource_id": flag.resource_id,
            "resolution": request.resolution,
        },
    )
    return resolved


async def list_operations(
    *,
    sync: SyncRepository,
    principal: Principal,
    limit: int,
    cursor: str | None,
    device_id: UUID | None,
    status: str | None,
) -> OperationPage:
    """Of the tills at the venues the caller reaches."""
    after = decode_cursor(cursor) if cursor else None
    page = await sync.page(
        limit=limit + 1, after=after, device_id=device_id, status=status, venues=principal.venues
    )
    items, next_cursor = cut_page(page, limit, lambda row: encode_cursor(row.received_at, row.id))
    return OperationPage(items=items, next_cursor=next_cursor)


class ApprovalNotFound(NotFound):
    code = "offline-approval-not-found"
    title = "No such offline approval at a venue you reach"


class ApprovalAlreadyReviewed(Conflict):
    code = "offline-approval-reviewed"
    title = "This offline approval was confirmed or disputed already"


async def list_approvals(
    *,
    sync: SyncRepository,
    principal: Principal,
    limit: int,
    cursor: str | None,
    status: str | None,
) -> OfflineApprovalPage:
    after = decode_cursor(cursor) if cursor else None
    page = await sync.approvals(
        limit=limit + 1, after=after, status=status, venues=principal.venues
    )
    items, next_cursor = cut_page(page, limit, lambda row: encode_cursor(row.raised_at, row.id))
    return OfflineApprovalPage(items=items, next_cursor=next_cursor)


async def review_approval(
    *,
    sync: SyncRepository,
    audit: AuditLog,
    principal: Principal,
    approval_id: UUID,
    confirmed: bool,
    note: str | None,
) -> OfflineApproval:
    """A manager confirms an action done offline on a manager's word, or disputes it (with
    what was wrong). Either way it is audited, and nothing else changes: a disputed refund
    or void stands in the books, for the business to follow up."""
    approval = await sync.approval(approval_id)
    if approval is None or not principal.reaches(approval.location_id):
        raise ApprovalNotFound()
    if approval.status != "pending":
        raise ApprovalAlreadyReviewed(review=approval.status, reviewed_by=approval.reviewed_by)
    status = "confirmed" if confirmed else "disputed"
    reviewed = await sync.review(
        approval_id, status=status, reviewed_by=principal.subject, note=note
    )
    await audit.append(
        actor=Actor.of(principal),
        action=f"sync.approval_{status}",
        resource_type="offline_approval",
        resource_id=str(approval_id),
        payload={
            "action": approval.action,
            "resource_type": approval.resource_type,
            "resource_id": approval.resource_id,
            "amount_minor": approval.amount_minor,
            "claimed_approver_id": str(approval.claimed_approver_id),
            "operation_id": str(approval.operation_id),
            "note": note,
        },
    )
    return reviewed
