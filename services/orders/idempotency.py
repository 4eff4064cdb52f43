"""Idempotency-Key on every POST of the orders service.

A till that loses the answer to a sale retries with the same key: it gets the first answer,
and nothing happens twice. The first response is stored in the same transaction as the write
it reports, so either both exist or neither does. Requests with one key take turns (a
transaction-scoped advisory lock on the tenant and key), so a retry that races the original
waits for it and replays its answer instead of, say, charging a card a second time.

The same key with a different request (another body, another route) is refused: a key names
one request, whatever it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.openapi import declares, sends
from libs.api.tenant_connection import TenantConnection, ensure_entitled_when_due
from libs.problems import Conflict, Problem, merge_responses, problems
from libs.tenancy.database import driver_connection
from libs.tenancy.repository import Repository

REPLAY_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: bytes
    status_code: int
    body: dict[str, Any]


class IdempotencyKeyReused(Problem):
    status = 422
    code = "idempotency-key-reused"
    title = "This Idempotency-Key was used for a different request"


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency-key-in-flight"
    title = "A request with this Idempotency-Key was completed concurrently; retry it"


class IdempotencyRepository(Repository):
    """Stored first responses, by Idempotency-Key (asyncpg directly: every till write)."""

    async def take_turn(self, key: str) -> None:
        """Wait for any other transaction holding this tenant's key; held until commit."""
        driver = await driver_connection(self._connection)
        await driver.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended("
            "current_setting('app.tenant_id') || ':' || $1, 0))",
            key,
        )

    async def find(self, key: str) -> StoredResponse | None:
        driver = await driver_connection(self._connection)
        row = await driver.fetchrow(
            "SELECT request_hash, status_code, response::text FROM orders.idempotency_keys "
            "WHERE key = $1",
            key,
        )
        if row is None:
            return None
        return StoredResponse(row["request_hash"], row["status_code"], json.loads(row["response"]))

    async def remember(self, *, key: str, request_hash: bytes, status_code: int, body: Any) -> bool:
        """Store the response for a key; False if a concurrent request stored one first."""
        driver = await driver_connection(self._connection)
        stored = await driver.fetchval(
            "INSERT INTO orders.idempotency_keys (key, request_hash, status_code, response) "
            "VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (tenant_id, key) DO NOTHING "
            "RETURNING true",
            key,
            request_hash,
            status_code,
            json.dumps(body),
        )
        return bool(stored)


def request_fingerprint(method: str, path: str, body: bytes) -> bytes:
    """The request a key names: method, path and body (as JSON, so spacing and key order
    do not matter)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(b"%s %s\n%s" % (method.encode(), path.encode(), canonical)).digest()


class Idempotency:
    """One request's view of its key: `replay()` first, `respond()` with the answer."""

    def __init__(
        self,
        repository: IdempotencyRepository,
        key: str | None,
        fingerprint: bytes,
        *,
        after_miss: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._repository = repository
        self.key = key
        self._fingerprint = fingerprint
        self._after_miss = after_miss

    async def replay(self) -> JSONResponse | None:
        """The first response to this key, if there was one (waiting for a request with the
        same key that is still running). A first answer is replayed whatever the business's
        subscription has become since; a request that is not a replay is then checked
        against it (`after_miss`)."""
        if self.key is None:
            return None
        await self._repository.take_turn(self.key)
        stored = await self._repository.find(self.key)
        if stored is None:
            if self._after_miss is not None:
                await self._after_miss()
            return None
        if stored.request_hash != self._fingerprint:
            raise IdempotencyKeyReused()
        headers = {REPLAY_HEADER: "true"}
        # Every ETag of this service is its resource's version, so a replay carries it again.
        version = stored.body.get("version") if isinstance(stored.body, dict) else None
        if isinstance(version, int):
            headers["ETag"] = f'"{version}"'
        return JSONResponse(stored.body, status_code=stored.status_code, headers=headers)

    async def respond(
        self,
        body: BaseModel | dict[str, Any],
        *,
        status_code: int = 201,
        headers: dict[str, str] | None = None,
    ) -> JSONResponse:
        return await self.respond_json(
            jsonable_encoder(body), status_code=status_code, headers=headers
        )

    async def respond_json(
        self,
        content: dict[str, Any],
        *,
        status_code: int = 201,
        headers: dict[str, str] | None = None,
    ) -> JSONResponse:
        """`respond` with an answer that is JSON already (the sale's commands render their
        own: services/orders/sale/model.py)."""
        if self.key is not None and not await self._repository.remember(
            key=self.key, request_hash=self._fingerprint, status_code=status_code, body=content
        ):
            raise IdempotencyKeyInFlight()
        return JSONResponse(content, status_code=status_code, headers=headers)

    async def respond_as(
        self, body: BaseModel | dict[str, Any], response: Response, *, status_code: int
    ) -> JSONResponse:
        """`respond`, with the status and the ETag or Location a handler set on FastAPI's
        injected `response`."""
        kept = {k: v for k, v in response.headers.items() if k.lower() in ("etag", "location")}
        return await self.respond(
            body, status_code=response.status_code or status_code, headers=kept
        )


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="A retry with the same key and body returns the first response",
    ),
]


async def idempotency_of(
    request: Request, connection: AsyncConnection, key: str | None
) -> Idempotency:
    """The request's key, on a transaction of the handler's own (for a route that manages
    its transactions itself: card payments)."""
    fingerprint = request_fingerprint(request.method, request.url.path, await request.body())
    return Idempotency(
        IdempotencyRepository.from_connection(connection),
        key,
        fingerprint,
        after_miss=lambda: ensure_entitled_when_due(connection, request),
    )


@declares(IdempotencyKeyReused, IdempotencyKeyInFlight, headers=(REPLAY_HEADER,))
async def _idempotency(
    request: Request, connection: TenantConnection, key: IdempotencyKey = None
) -> Idempotency:
    return await idempotency_of(request, connection, key)


Idempotent = Annotated[Idempotency, Depends(_idempotency)]


# What a route that reads its Idempotency-Key itself (`idempotency_of`) declares, as the
# `Idempotent` dependency does for the others.
IDEMPOTENT = merge_responses(
    problems(IdempotencyKeyReused, IdempotencyKeyInFlight), sends(REPLAY_HEADER)
)
