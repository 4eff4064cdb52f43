"""The agent's loop: long-poll the cloud for the location's print jobs, print each one, and
acknowledge it.

    GET  /v1/print-jobs?wait=25&role=receipt&role=kitchen   -> {"jobs": [...], "lease_seconds"}
    POST /v1/print-jobs/{id}/ack {"attempt", "status": "printed"}
    POST /v1/print-jobs/{id}/ack {"attempt", "status": "failed", "reason": "..."}

A poll leases the jobs it returns: if this Bridge dies before acknowledging one, the cloud
hands it out again when the lease runs out, so the agent keeps no state of its own. What it
must get right is the failure behaviour:

- the cloud is unreachable or overloaded (connection refused, 5xx, 429): wait and poll again,
  exponentially longer with jitter (a venue's worth of Bridges coming back after an outage
  should not arrive in step), up to a cap, honouring Retry-After; back to normal on success;
- the printer is off or out of paper: acknowledge `failed` with the reason; the cloud offers
  the job again later and shows it to the manager if it keeps failing;
- the token is refused (401): it was revoked or rotated out and will never work again, so
  stop instead of hammering the cloud with it;
- another poll with this token is still waiting (429 `long-poll-in-progress`: this agent's
  previous poll, cut off on the way and not yet noticed, or a second agent given the same
  token): not an outage, so poll again after Retry-After, without backing off further.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import random
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from .printers import PrinterError, Printers

logger = logging.getLogger("halopos.bridge.agent")
T = TypeVar("T")

USER_AGENT = "halopos-bridge-agent/1"
# The cloud keeps a failure reason up to this length.
REASON_LIMIT = 500
# A Retry-After beyond this is more likely a broken header than a plan.
RETRY_AFTER_LIMIT = 600.0
# The cloud holds one waiting poll per token; another is answered with this problem code.
LONG_POLL_IN_PROGRESS = "long-poll-in-progress"
# Seconds before polling again after that answer, if it says no Retry-After.
LONG_POLL_IN_PROGRESS_PAUSE = 5.0


@dataclass(frozen=True)
class AgentSettings:
    url: str  # the cloud's public address, e.g. https://api.halopos.example
    token: str = field(repr=False)  # hpb_…; never logged
    # Seconds a poll waits for a job before answering empty (the cloud allows up to 25).
    wait: int = 25
    # Seconds to pause after an empty poll: 0 with long-polling; a few seconds to poll on a
    # timer instead, for a network that cuts idle connections.
    interval: float = 0.0
    limit: int = 10
    backoff_initial: float = 1.0
    backoff_cap: float = 30.0
    # Deliveries of one acknowledgement before giving up (it is idempotent, so resending is
    # safe; if every try fails, the lease runs out and the job is offered again).
    ack_attempts: int = 5


@dataclass(frozen=True)
class Job:
    id: str
    printer_role: str
    attempt: int
    summary: str
    register_number: int | None
    content_base64: str

    @classmethod
    def from_json(cls, item: Any) -> Job:
        register = item.get("register_number")
        return cls(
            id=str(uuid.UUID(item["id"])),  # it goes into a path
            printer_role=str(item["printer_role"]),
            attempt=int(item["attempt"]),
            summary=str(item.get("summary") or ""),
            register_number=None if register is None else int(register),
            content_base64=str(item["content_base64"]),
        )


class TokenRejected(Exception):
    """The cloud answered 401: the token is revoked, rotated out or mistyped."""


class CloudError(Exception):
    """The cloud could not be reached or did not answer as expected. `retryable` is false
    for an answer that asking again will not change (a 404 for a job, a 422)."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        retryable: bool = True,
        code: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.retryable = retryable
        self.code = code


class Backoff:
    """Exponential backoff with jitter: the n-th wait is between half and all of
    min(cap, initial * 2**n)."""

    def __init__(self, initial: float, cap: float) -> None:
        self.initial = initial
        self.cap = cap
        self.failures = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.initial * 2.0**self.failures)
        self.failures += 1
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not a secret
        return max(delay, retry_after or 0.0)

    def reset(self) -> None:
        self.failures = 0


class BridgeAgent:
    def __init__(self, settings: AgentSettings, printers: Printers) -> None:
        if not printers.roles:
            raise ValueError("no printers: name at least one with --printer")
        self.settings = settings
        self.printers = printers

    async def run(self, stop: asyncio.Event) -> None:
        """Polls and prints until `stop` is set. Raises TokenRejected if the cloud refuses
        the token."""
        settings = self.settings
        cloud = urlsplit(settings.url)
        if cloud.scheme != "https" and cloud.hostname not in ("127.0.0.1", "localhost", "::1"):
            logger.warning("the cloud URL is not https: the token would travel in clear")
        logger.info(
            "agent started",
            extra={"url": settings.url, "roles": self.printers.roles, "wait": settings.wait},
        )
        async with httpx.AsyncClient(
            base_url=settings.url,
            headers={"Authorization": f"Bearer {settings.token}", "User-Agent": USER_AGENT},
            # A long poll is quiet for up to `wait` seconds: read for longer than that.
            timeout=httpx.Timeout(10.0, read=settings.wait + 15.0),
        ) as client:
            await self._loop(client, stop)
        logger.info("agent stopped")

    async def _loop(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        backoff = Backoff(self.settings.backoff_initial, self.settings.backoff_cap)
        while not stop.is_set():
            try:
                jobs = await _unless_stopped(self._poll(client), stop)
            except CloudError as error:
                if error.code == LONG_POLL_IN_PROGRESS:
                    # Never at once: asking again straight away would only be refused again.
                    told = error.retry_after
                    delay = max(LONG_POLL_IN_PROGRESS_PAUSE if told is None else told, 1.0)
                    logger.warning(
                        "another poll with this token is waiting",
                        extra={"retry_in_seconds": round(delay, 1)},
                    )
                    await _sleep(delay, stop)
                    continue
                delay = backoff.next_delay(error.retry_after)
                logger.warning(
                    "cloud unavailable",
                    extra={"reason": str(error), "retry_in_seconds": round(delay, 1)},
                )
                await _sleep(delay, stop)
                continue
            if jobs is None:
                break
            if backoff.failures:
                logger.info("cloud reachable again")
                backoff.reset()
            for job in jobs:
                # A job in hand is printed and acknowledged before stopping; the rest of the
                # batch is offered again when its lease runs out.
                if stop.is_set():
                    break
                await self._print(client, job)
            if not jobs and self.settings.interval:
                await _sleep(self.settings.interval, stop)

    async def _poll(self, client: httpx.AsyncClient) -> list[Job]:
        params: list[tuple[str, str | int]] = [
            ("wait", self.settings.wait),
            ("limit", self.settings.limit),
            *(("role", role) for role in self.printers.roles),
        ]
        response = await _request(client, "GET", "/v1/print-jobs", params=params)
        try:
            return [Job.from_json(item) for item in response.json()["jobs"]]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CloudError(f"unexpected answer to a poll: {error!r}"[:200]) from None

    async def _print(self, client: httpx.AsyncClient, job: Job) -> None:
        printer = self.printers.for_job(job.printer_role, job.register_number)
        reason = None
        if printer is None:
            at = f" at register {job.register_number}" if job.register_number else ""
            reason = f"this Bridge has no {job.printer_role} printer{at}"
        else:
            try:
                await printer.print(base64.b64decode(job.content_base64, validate=True))
            except binascii.Error:
                reason = "the job's content is not valid base64"
            except PrinterError as error:
                reason = str(error)
        acknowledged = await self._acknowledge(client, job, reason)
        details = {
            "job_id": job.id,
            "printer_role": job.printer_role,
            "summary": job.summary,
            "attempt": job.attempt,
            "printer": str(printer) if printer else None,
            "acknowledged": acknowledged,
        }
        if reason is None:
            logger.info("job printed", extra=details)
        else:
            logger.warning("job failed", extra={**details, "reason": reason})

    async def _acknowledge(self, client: httpx.AsyncClient, job: Job, reason: str | None) -> bool:
        body: dict[str, Any] = {"attempt": job.attempt, "status": "printed"}
        if reason is not None:
            body.update(status="failed", reason=reason[:REASON_LIMIT])
        backoff = Backoff(self.settings.backoff_initial / 2, self.settings.backoff_cap)
        for delivery in range(1, self.settings.ack_attempts + 1):
            try:
                await _request(client, "POST", f"/v1/print-jobs/{job.id}/ack", json=body)
                return True
            except CloudError as error:
                if not error.retryable or delivery == self.settings.ack_attempts:
                    logger.error(
                        "acknowledgement not delivered",
                        extra={"job_id": job.id, "status": body["status"], "reason": str(error)},
                    )
                    return False
                # Not cut short by a stop: a printed job left unacknowledged prints twice.
                await asyncio.sleep(backoff.next_delay(error.retry_after))
        return False


async def _request(
    client: httpx.AsyncClient, method: str, path: str, **options: Any
) -> httpx.Response:
    try:
        response = await client.request(method, path, **options)
    except httpx.TransportError as error:
        raise CloudError(f"{type(error).__name__}: {error}".rstrip(": ")) from None
    if response.status_code == 401:
        raise TokenRejected(_problem_code(response) or "unauthenticated")
    if response.is_success:
        return response
    retryable = response.status_code in (408, 429) or response.status_code >= 500
    code = _problem_code(response)
    raise CloudError(
        f"HTTP {response.status_code}" + (f" {code}" if code else ""),
        retry_after=_retry_after(response.headers.get("retry-after")),
        retryable=retryable,
        code=code,
    )


def _problem_code(response: httpx.Response) -> str | None:
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        return None
    return str(code) if code else None


def _retry_after(value: str | None) -> float | None:
    """Seconds, or an HTTP date (RFC 9110 section 10.2.3)."""
    if not value:
        return None
    if value.strip().isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_LIMIT)


async def _sleep(seconds: float, stop: asyncio.Event) -> None:
    """Sleeps, unless told to stop first."""
    try:
        async with asyncio.timeout(seconds):
            await stop.wait()
    except TimeoutError:
        pass


async def _unless_stopped(work: Awaitable[T], stop: asyncio.Event) -> T | None:
    """`work`'s result, or None if `stop` is set first (a long poll is abandoned, not waited
    out)."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in (task, stopping):
            pending.cancel()
        # Cancelled work is waited for, so nothing of it outlives the HTTP client.
        await asyncio.gather(task, stopping, return_exceptions=True)
    return None if task.cancelled() else task.result()
