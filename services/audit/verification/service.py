"""Recomputes a tenant's whole chain inside the database and reports the first break.

Beyond what the standalone verifier checks (the chain itself, docs/audit-chain.md), the
service also compares the chain with the tenant's head row (which every append updates) and
with every checkpoint it has signed, so a cut-off tail shows here too unless whoever cut it
also rewrote the head and deleted the checkpoints; a reviewer's own copy of an earlier
checkpoint catches even that (tools/verify_audit.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.chain import GENESIS_HASH, ChainBreak, ChainWalk
from libs.audit.checkpoints import CheckpointSigner
from services.audit.checkpoints.repository import CheckpointRepository
from services.audit.log import AuditLogReader, entry_of


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head_hash: bytes
    checkpoints_checked: int
    first_break: ChainBreak | None


async def verify_log(
    connection: AsyncConnection, *, tenant_id: UUID, signer: CheckpointSigner, origin: str
) -> Verification:
    reader = AuditLogReader.from_connection(connection)
    checkpoints = await CheckpointRepository.from_connection(connection).all()
    walk = ChainWalk(str(tenant_id))
    hashes_at = {0: GENESIS_HASH}
    wanted = {checkpoint.size for checkpoint in checkpoints}
    async for row in reader.entries():
        if walk.step(entry_of(row), row.prev_hash, row.hash) is not None:
            break
        if walk.size in wanted:
            hashes_at[walk.size] = walk.head
    first_break = walk.broken or await _compare_head(reader, walk)
    checked = 0
    for checkpoint in checkpoints:
        if first_break is not None:
            break
        first_break = _compare_checkpoint(checkpoint, walk, hashes_at, signer, origin)
        checked += 1
    return Verification(walk.size, walk.head, checked, first_break)


async def _compare_head(reader: AuditLogReader, walk: ChainWalk) -> ChainBreak | None:
    recorded = await reader.head() or (0, GENESIS_HASH)
    if recorded[0] > walk.size:
        return ChainBreak(
            walk.size + 1,
            f"the log ends at entry {walk.size} but its head records {recorded[0]}: "
            "entries were removed from the end",
        )
    if recorded != (walk.size, walk.head):
        return ChainBreak(walk.size, "the chain head does not match the last entry")
    return None


def _compare_checkpoint(
    checkpoint: CheckpointRepository.Row,
    walk: ChainWalk,
    hashes_at: dict[int, bytes],
    signer: CheckpointSigner,
    origin: str,
) -> ChainBreak | None:
    if not signer.signed(checkpoint.note, origin, checkpoint.size, checkpoint.hash):
        return ChainBreak(checkpoint.size, f"checkpoint {checkpoint.size} is not our signature")
    if checkpoint.size > walk.size:
        return ChainBreak(
            walk.size + 1,
            f"checkpoint {checkpoint.size} was signed but the log has only {walk.size} "
            "entries: its tail was cut off",
        )
    if hashes_at.get(checkpoint.size) != checkpoint.hash:
        return ChainBreak(
            checkpoint.size,
            f"entry {checkpoint.size} differs from the signed checkpoint: history was rewritten",
        )
    return None
