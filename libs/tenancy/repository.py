"""The one base of every service's repository: it holds the request's connection.

A repository is built from the connection `TenantDatabase` (or the `TenantConnection`
dependency) opened and bound to one tenant, so it can never choose a tenant itself: it gets
the transaction the request runs in, and row-level security decides what it sees. Keeping the
connection here means each repository states only its queries, and `from_connection` is
written once instead of once per repository. The rule for which dialect a query is written in
(Core, prepared asyncpg, `sa.text`) is docs/database-access.md.
"""

from __future__ import annotations

from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection


class Repository:
    """SQL over the request's tenant-bound connection; no commit (the request owns it)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> Self:
        return cls(connection)
