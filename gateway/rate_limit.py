"""Token-bucket rate limits at the gateway: per client address before any token is verified
(verification costs CPU, so floods must not reach it), and per principal after.

Per gateway process: N instances behind a load balancer allow up to N times the rate. A
venue's tills usually share one NAT address, so the per-address limit is the generous one.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """`"20/40"`: 20 requests a second, bursts of 40; `"0"` or `""`: no limit."""
        if text.strip() in ("", "0"):
            return None
        per_second, _, burst = text.partition("/")
        rate = cls(float(per_second), int(burst or per_second))
        if rate.per_second <= 0 or rate.burst < 1:
            raise ValueError(f"not a rate: {text!r}")
        return rate


class TokenBucketLimiter:
    def __init__(
        self,
        rate: Rate,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._max_keys = max_keys
        self._clock = clock
        # key -> (tokens, last refill); least recently seen first, evicted beyond max_keys.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def acquire(self, key: str) -> float | None:
        """None if the request may go ahead, else the seconds until it could."""
        now = self._clock()
        tokens, last = self._buckets.pop(key, (float(self._rate.burst), now))
        tokens = min(float(self._rate.burst), tokens + (now - last) * self._rate.per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return None if allowed else (1 - tokens) / self._rate.per_second


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
