"""How much argon2 work sign-in attempts may buy, per source address and per business.

An argon2id verification costs tens of milliseconds of CPU and 64 MiB, so it is the one
thing an anonymous caller could buy in bulk. Every sign-in path asks its cheap questions
first (the credential's shape, the business, the DPoP proof, the device and its key, the
lockouts) and reaches argon2 only if they pass; then it spends one token from two buckets:
its source address's and its business's. An empty bucket answers 429 `sign-in-busy` with
Retry-After, before any work, for an e-mail address that exists and one that does not alike.
Behind the buckets, `staff/credentials.py` runs argon2 on as many threads as there are cores
and refuses (the same 429) when too many verifications already wait, so a flood queues or is
refused instead of starving the sign-ins behind it.

The buckets live in this process's memory: N replicas of the identity service grant N times
these rates (size them for that, or put them in front of the service). A restart refills them.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from uuid import UUID

from fastapi import Request
from libs.problems import RateLimited


class SignInBusy(RateLimited):
    code = "sign-in-busy"
    title = "Too many sign-in attempts from here or for this business; retry after Retry-After"


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """`"per_minute/burst"`, e.g. `"60/30"`."""
        per_minute, _, burst = text.partition("/")
        return cls(float(per_minute), int(burst or per_minute))


# Generous enough for a venue's tills behind one address and for a business at shift change;
# HALOPOS_IDENTITY_SIGN_IN_PER_ADDRESS / _PER_BUSINESS override them ("per_minute/burst").
DEFAULT_PER_ADDRESS = Rate(60, 30)
DEFAULT_PER_BUSINESS = Rate(300, 100)
# Buckets remembered per kind; the least recently used are forgotten past this (a forgotten
# bucket is full again, so this bounds memory, not the rate per key in normal use).
MAX_BUCKETS = 100_000


class TokenBuckets:
    """Token buckets by key, in memory, thread-safe; least recently used ones forgotten."""

    def __init__(self, rate: Rate, *, max_buckets: int = MAX_BUCKETS) -> None:
        self._rate = rate
        self._max = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, *, now: float | None = None) -> float:
        """Spend one token: 0 if there was one, else the seconds until there is."""
        now = time.monotonic() if now is None else now
        per_second = self._rate.per_minute / 60
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self._rate.burst), now))
            tokens = min(float(self._rate.burst), tokens + (now - at) * per_second)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / per_second if per_second > 0 else math.inf
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        return wait

    def give_back(self, key: str) -> None:
        """Return a token taken by a request that the other bucket then refused."""
        with self._lock:
            if key in self._buckets:
                tokens, at = self._buckets[key]
                self._buckets[key] = (min(float(self._rate.burst), tokens + 1), at)


class SignInBudget:
    def __init__(self, *, per_address: Rate, per_business: Rate) -> None:
        self._addresses = TokenBuckets(per_address)
        self._businesses = TokenBuckets(per_business)

    @classmethod
    def from_environment(cls) -> SignInBudget:
        address = os.environ.get("HALOPOS_IDENTITY_SIGN_IN_PER_ADDRESS", "")
        business = os.environ.get("HALOPOS_IDENTITY_SIGN_IN_PER_BUSINESS", "")
        return cls(
            per_address=Rate.parse(address) if address else DEFAULT_PER_ADDRESS,
            per_business=Rate.parse(business) if business else DEFAULT_PER_BUSINESS,
        )

    def spend(self, *, source: str, tenant_id: UUID) -> SignInBusy | None:
        """Take one verification from both buckets, or the problem to answer with."""
        wait = self._addresses.take(source)
        if wait == 0:
            wait = self._businesses.take(str(tenant_id))
            if wait > 0:
                self._addresses.give_back(source)
        if wait == 0:
            return None
        return SignInBusy(retry_after=max(1, math.ceil(min(wait, 3600))))


def sign_in_budget(request: Request) -> SignInBudget:
    """The process's budget, kept on the app (made at first use)."""
    budget: SignInBudget | None = getattr(request.app.state, "sign_in_budget", None)
    if budget is None:
        budget = request.app.state.sign_in_budget = SignInBudget.from_environment()
    return budget
