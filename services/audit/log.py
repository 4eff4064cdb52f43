"""Read access to the audit log (the audit service's role may SELECT it and append to it,
never change it), and the forms an entry takes: chained (docs/audit-chain.md) and exported."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from libs.audit.chain import CHAINED_FIELDS, format_timestamp
from libs.audit.models import chain_heads, events
from libs.tenancy.repository import Repository

# Every column a reader sees; the tenant is implied by the transaction.
_COLUMNS = [column for column in events.columns if column.name != "tenant_id"]
_READ = sa.select(events.c.tenant_id, *_COLUMNS)
EXPORT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class EventFilters:
    occurred_from: datetime | None = None
    occurred_before: datetime | None = None
    actor_type: str | None = None
    actor_id: str | None = None
    # An exact action, or a family: "order.*".
    action: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        clauses: list[sa.ColumnElement[bool]] = []
        if self.occurred_from is not None:
            clauses.append(events.c.occurred_at >= self.occurred_from)
        if self.occurred_before is not None:
            clauses.append(events.c.occurred_at < self.occurred_before)
        for column, value in (
            (events.c.actor_type, self.actor_type),
            (events.c.actor_id, self.actor_id),
            (events.c.resource_type, self.resource_type),
            (events.c.resource_id, self.resource_id),
        ):
            if value is not None:
                clauses.append(column == value)
        if self.action is not None:
            if self.action.endswith(".*"):
                clauses.append(events.c.action.startswith(self.action[:-1], autoescape=True))
            else:
                clauses.append(events.c.action == self.action)
        return clauses


class AuditLogReader(Repository):
    async def page(
        self, *, filters: EventFilters, after_seq: int | None, newest_first: bool, limit: int
    ) -> Sequence[sa.Row[Any]]:
        query = _READ.where(*filters.clauses()).limit(limit)
        if newest_first:
            if after_seq is not None:
                query = query.where(events.c.seq < after_seq)
            query = query.order_by(events.c.seq.desc())
        else:
            query = query.where(events.c.seq > (after_seq or 0)).order_by(events.c.seq)
        return (await self._connection.execute(query)).all()

    async def entries(self, *, after_seq: int = 0) -> AsyncIterator[sa.Row[Any]]:
        """Every entry after `after_seq`, in seq order, read in batches (keyset)."""
        while True:
            query = _READ.where(events.c.seq > after_seq).order_by(events.c.seq)
            rows = (await self._connection.execute(query.limit(EXPORT_BATCH))).all()
            for row in rows:
                yield row
            if len(rows) < EXPORT_BATCH:
                return
            after_seq = rows[-1].seq

    async def hash_at(self, seq: int) -> bytes | None:
        query = sa.select(events.c.hash).where(events.c.seq == seq)
        found: bytes | None = (await self._connection.execute(query)).scalar_one_or_none()
        return found

    async def head(self) -> tuple[int, bytes] | None:
        """The tenant's chain head row: (seq, hash) as the last append left it."""
        query = sa.select(chain_heads.c.seq, chain_heads.c.hash)
        row = (await self._connection.execute(query)).one_or_none()
        return (row.seq, row.hash) if row is not None else None


def entry_of(row: sa.Row[Any]) -> dict[str, Any]:
    """The chained fields of a stored entry, in the form they were hashed."""
    values = row._mapping
    entry = {name: values[name] for name in CHAINED_FIELDS}
    entry["tenant_id"] = str(values["tenant_id"])
    entry["id"] = str(values["id"])
    entry["occurred_at"] = format_timestamp(values["occurred_at"])
    return entry


def exported(row: sa.Row[Any]) -> dict[str, Any]:
    """An export line: the chained fields, both hashes (hex) and when the row was written."""
    return {
        **entry_of(row),
        "prev_hash": row.prev_hash.hex(),
        "hash": row.hash.hex(),
        "recorded_at": format_timestamp(row.recorded_at),
    }
