"""How many requests each caller may have in flight to the services at once.

Rate limits (gateway/rate_limit.py) bound how often a caller asks; these bound how many of
its requests are upstream at the same time, which is what a pool of connections runs out of.
A caller at its cap is answered at once (429, or 503 when the whole long-poll pool is taken),
never queued: a flood fails fast for the flooder and nobody else waits behind it.

- Ordinary requests: at most `concurrency_per_tenant` per business (before sign-in, per client
  address), a share of the ordinary pool's `upstream_connections`.
- Long-polls (`GET /v1/print-jobs?wait=...`) use a pool of their own: one at a time per
  Bridge token (`long-poll-in-progress`), `long_polls_per_location` per venue,
  `long_polls_per_tenant` per business, `long_poll_connections` in all.

Counts are per gateway process, like the rate limits: N instances allow N times as many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from libs.config import PlatformSettings
from libs.problems import Problem, RateLimited, ServiceUnavailable

# Routes whose requests may wait at the service (`?wait=` seconds) before answering: forwarded
# through the long-poll pool, so that they never hold the connections of ordinary requests.
LONG_POLL_ROUTES = frozenset({("GET", "/v1/print-jobs")})

# Seconds a refused long-poll is asked to wait: about the time a poll's wait takes to come
# round, without leaving the venue's printers idle for long once a slot is free.
LONG_POLL_RETRY_AFTER = 5
# Seconds a business over its share of the ordinary pool is asked to wait.
CONCURRENCY_RETRY_AFTER = 1


class LongPollInProgress(RateLimited):
    code = "long-poll-in-progress"
    title = "A poll with this token is already waiting; retry after the time in Retry-After"


class TooManyLongPolls(RateLimited):
    code = "too-many-long-polls"
    title = "Too many polls of this venue or business are waiting; retry after Retry-After"


class LongPollsUnavailable(ServiceUnavailable):
    code = "long-polls-unavailable"
    title = "The gateway is holding as many polls as it can; retry after Retry-After"


class TooManyConcurrentRequests(RateLimited):
    code = "too-many-concurrent-requests"
    title = "Too many of your requests are in progress; retry after the time in Retry-After"


@dataclass(frozen=True)
class GatewayLimits:
    upstream_connections: int = 256
    concurrency_per_tenant: int = 64
    long_poll_connections: int = 1024
    long_polls_per_location: int = 4
    long_polls_per_tenant: int = 256

    @classmethod
    def from_settings(cls, settings: PlatformSettings) -> GatewayLimits:
        return cls(
            upstream_connections=settings.gateway_upstream_connections,
            concurrency_per_tenant=settings.gateway_concurrency_per_tenant,
            long_poll_connections=settings.gateway_long_poll_connections,
            long_polls_per_location=settings.gateway_long_polls_per_location,
            long_polls_per_tenant=settings.gateway_long_polls_per_tenant,
        )


@dataclass(frozen=True)
class Limit:
    """At most `cap` requests in flight under `key`; the next is refused with `refusal`."""

    key: str
    cap: int
    refusal: type[Problem]
    retry_after: int


class Admission:
    """What holds one request's places until `release` (idempotent)."""

    def __init__(self, counts: InFlight, keys: tuple[str, ...]) -> None:
        self._counts = counts
        self._keys = keys
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._counts.release(self._keys)


class InFlight:
    """Requests in flight by key. Checking and counting happen with no await between them,
    so concurrent requests of one event loop cannot both take the last place."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def admit(self, limits: Sequence[Limit]) -> Admission:
        """A place under every limit, or the first full limit's refusal (and no place)."""
        for limit in limits:
            if self._counts.get(limit.key, 0) >= limit.cap:
                raise limit.refusal(retry_after=limit.retry_after)
        for limit in limits:
            self._counts[limit.key] = self._counts.get(limit.key, 0) + 1
        return Admission(self, tuple(limit.key for limit in limits))

    def release(self, keys: Sequence[str]) -> None:
        for key in keys:
            left = self._counts[key] - 1
            if left:
                self._counts[key] = left
            else:
                del self._counts[key]  # keys of quiet callers do not accumulate

    def count(self, key: str) -> int:
        return self._counts.get(key, 0)
