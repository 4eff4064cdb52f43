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
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from libs.api.problems import Conflict, Problem
from libs.tenancy import TenantConnection
from services.orders.orders.repository import IdempotencyRepository

REPLAY_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(Problem):
    status = 422
    code = "idempotency-key-reused"
    title = "This Idempotency-Key was used for a different request"


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency-key-in-flight"
    title = "A request with this Idempotency-Key was completed concurrently; retry it"


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
        self, repository: IdempotencyRepository, key: str | None, fingerprint: bytes
    ) -> None:
        self._repository = repository
        self.key = key
        self._fingerprint = fingerprint

    async def replay(self) -> JSONResponse | None:
        """The first response to this key, if there was one (waiting for a request with the
        same key that is still running)."""
        if self.key is None:
            return None
        await self._repository.take_turn(self.key)
        stored = await self._repository.find(self.key)
        if stored is None:
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
        self, body: BaseModel | dict[str, Any], *, status_code: int = 201,
        headers: dict[str, str] | None = None,
    ) -> JSONResponse:  # fmt: skip
        content = jsonable_encoder(body)
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


async def _idempotency(
    request: Request,
    connection: TenantConnection,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            description="A retry with the same key and body returns the first response",
        ),
    ] = None,
) -> Idempotency:
    fingerprint = request_fingerprint(request.method, request.url.path, await request.body())
    return Idempotency(IdempotencyRepository.from_connection(connection), key, fingerprint)


Idempotent = Annotated[Idempotency, Depends(_idempotency)]
