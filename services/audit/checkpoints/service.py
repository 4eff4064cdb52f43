"""Signing checkpoints, never one inconsistent with an earlier one (docs/audit-chain.md).

Before signing (size, hash) the service recomputes the chain from its latest checkpoint:
that entry must still have the signed hash, and every entry after it must link and
recompute. By induction every checkpoint it signs vouches for a chain valid from genesis,
while each signing reads only the entries since the last one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from libs.problems import Problem
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.chain import ChainWalk
from libs.audit.checkpoints import CheckpointSigner, origin_for
from services.audit.checkpoints.repository import CheckpointRepository
from services.audit.log import AuditLogReader, entry_of

logger = logging.getLogger("halopos.audit.checkpoints")


class ChainBroken(Problem):
    status = 409
    code = "audit-chain-broken"
    title = "The audit chain no longer agrees with itself; no checkpoint was signed"


@dataclass(frozen=True, slots=True)
class Signed:
    checkpoint: CheckpointRepository.Row
    new: bool


@dataclass(frozen=True)
class CheckpointService:
    signer: CheckpointSigner
    origin_prefix: str

    def origin(self, tenant_id: UUID) -> str:
        return origin_for(self.origin_prefix, tenant_id)

    def verifier_key(self, tenant_id: UUID) -> str:
        return self.signer.verifier_key(self.origin(tenant_id))

    async def sign(
        self, connection: AsyncConnection, *, tenant_id: UUID, requested_by: str
    ) -> Signed:
        """Sign the tenant's current head, unless the latest checkpoint already covers it."""
        repository = CheckpointRepository.from_connection(connection)
        reader = AuditLogReader.from_connection(connection)
        await repository.lock()
        latest = await repository.latest()
        walk = ChainWalk(str(tenant_id))
        if latest is not None:
            if latest.size and await reader.hash_at(latest.size) != latest.hash:
                raise self._broken(
                    tenant_id, latest.size, f"entry {latest.size} differs from its checkpoint"
                )
            walk = ChainWalk(str(tenant_id), size=latest.size, head=latest.hash)
        async for row in reader.entries(after_seq=walk.size):
            broken = walk.step(entry_of(row), row.prev_hash, row.hash)
            if broken is not None:
                raise self._broken(tenant_id, broken.seq, broken.reason)
        if latest is not None and latest.size == walk.size:
            return Signed(latest, new=False)
        origin = self.origin(tenant_id)
        checkpoint = await repository.add(
            size=walk.size,
            hash=walk.head,
            origin=origin,
            key_id=self.signer.key_id(origin),
            note=self.signer.sign(origin, walk.size, walk.head),
            requested_by=requested_by,
        )
        return Signed(checkpoint, new=True)

    @staticmethod
    def _broken(tenant_id: UUID, seq: int, reason: str) -> ChainBroken:
        # An operator must look at this: the log was altered outside the application.
        logger.error(
            "audit chain broken; checkpoint refused",
            extra={"tenant_id": str(tenant_id), "seq": seq, "reason": reason},
        )
        return ChainBroken(f"Entry {seq}: {reason}.", seq=seq)
