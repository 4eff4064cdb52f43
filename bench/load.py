"""A closed-loop load generator: a fixed number of workers, each waiting for its answer.

An operation is one request or one transaction, numbered from 0; it returns None on success
or a short description of what went wrong. Exceptions count as errors too, so a broken
scenario shows up in the results instead of stopping the run.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.cpu import per_unit_ms

Operation = Callable[[int], Awaitable[str | None]]


class Instrument(Protocol):
    """Watches the measured part of a scenario only (CPU meters, counters, profilers): begun
    after the warm-up, ended when the last measured operation has been answered."""

    async def begin(self) -> None: ...

    async def end(self) -> None: ...


@dataclass(frozen=True)
class LoadSettings:
    concurrency: int
    warmup: int
    requests: int
    time_limit_seconds: float


@dataclass
class Measurement:
    name: str
    requests: int = 0
    errors: int = 0
    elapsed_seconds: float = 0.0
    aborted: bool = False
    warmup_errors: int = 0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    error_kinds: Counter[str] = field(default_factory=Counter)
    # CPU seconds each process used during the measured part (bench/cpu.py), where metered.
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def throughput_per_second(self) -> float:
        # Only successful operations count: a fast stream of errors is not throughput.
        succeeded = self.requests - self.errors
        return succeeded / self.elapsed_seconds if self.elapsed_seconds else 0.0

    def percentile_ms(self, percent: int) -> float | None:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else None
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[percent - 1]

    def as_dict(self) -> dict[str, Any]:
        succeeded = self.requests - self.errors
        return {
            "name": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "aborted": self.aborted,
            "warmup_errors": self.warmup_errors,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "throughput_per_second": round(self.throughput_per_second, 1),
            "latency_ms": {
                f"p{p}": None if (v := self.percentile_ms(p)) is None else round(v, 2)
                for p in (50, 95, 99)
            },
            "error_kinds": dict(self.error_kinds.most_common(5)),
            **(
                {
                    "cpu_seconds": {k: round(v, 3) for k, v in self.cpu_seconds.items()},
                    "cpu_ms_per_request": per_unit_ms(self.cpu_seconds, succeeded),
                }
                if self.cpu_seconds
                else {}
            ),
        }


async def _drive(
    operation: Operation, *, count: int, concurrency: int, time_limit: float, into: Measurement
) -> None:
    numbers = itertools.count()
    deadline = time.monotonic() + time_limit

    async def worker() -> None:
        while (number := next(numbers)) < count and time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                problem = await operation(number)
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"[:200]
            into.latencies_ms.append((time.perf_counter() - started) * 1000)
            into.requests += 1
            if problem is not None:
                into.errors += 1
                into.error_kinds[problem] += 1

    started = time.perf_counter()
    try:
        # The deadline above stops new work; this one also cuts off requests that hang.
        async with asyncio.timeout(time_limit + 5):
            await asyncio.gather(*(worker() for _ in range(concurrency)))
    except TimeoutError:
        into.aborted = True
    into.elapsed_seconds = time.perf_counter() - started
    into.aborted = into.aborted or into.requests < count


async def measure(
    name: str,
    operation: Operation,
    settings: LoadSettings,
    *,
    instruments: tuple[Instrument, ...] = (),
) -> Measurement:
    """Warm up (connections, JWKS caches, prepared statements), then measure."""
    warmup = Measurement(f"{name} (warm-up)")
    await _drive(
        operation,
        count=settings.warmup,
        concurrency=settings.concurrency,
        time_limit=settings.time_limit_seconds,
        into=warmup,
    )
    measured = Measurement(name)
    for instrument in instruments:
        await instrument.begin()
    # Numbering continues after the warm-up so round-robin and keys never repeat.
    await _drive(
        lambda number: operation(settings.warmup + number),
        count=settings.requests,
        concurrency=settings.concurrency,
        time_limit=settings.time_limit_seconds,
        into=measured,
    )
    for instrument in reversed(instruments):
        await instrument.end()
    measured.warmup_errors = warmup.errors
    measured.error_kinds.update({f"warm-up: {k}": n for k, n in warmup.error_kinds.items()})
    return measured
