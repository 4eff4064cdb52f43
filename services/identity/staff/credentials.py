"""Staff secrets (backoffice passwords, POS PINs): argon2id, hashed off the event loop.

argon2-cffi's defaults are RFC 9106's second recommended profile (argon2id, 64 MiB, t=3,
p=4): tens of milliseconds of CPU per hash, so it runs in worker threads rather than
stalling every other request on this process. It has threads of its own, one per core: a
flood of verifications waits for them in a queue instead of taking the threads every other
`asyncio.to_thread` call needs, and past `MAX_WAITING` per core it is refused outright (429
`sign-in-busy`, retry in a second) rather than making the sign-ins behind it wait for
seconds. Which requests may reach argon2 at all is decided before, cheaply
(sessions/budget.py).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from libs.problems import RateLimited

_HASHER = PasswordHasher()
WORKERS = os.cpu_count() or 1
MAX_WAITING = 8  # per worker

T = TypeVar("T")


class Argon2Busy(RateLimited):
    code = "sign-in-busy"
    title = "Too many sign-in attempts at once; retry after Retry-After"


class _Argon2Pool:
    """`WORKERS` threads for argon2, and a cap on how many calls may wait for them."""

    def __init__(self, workers: int, max_waiting: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        self._limit = workers + max_waiting
        self._pending = 0
        self._lock = threading.Lock()

    def _finished(self, _: Future[Any]) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, work: Callable[..., T], *args: object) -> T:
        with self._lock:
            if self._pending >= self._limit:
                raise Argon2Busy(retry_after=1)
            self._pending += 1
        # Counted until the thread is done, even if the caller stops waiting for it.
        future = self._executor.submit(work, *args)
        future.add_done_callback(self._finished)
        return await asyncio.wrap_future(future)


_POOL = _Argon2Pool(WORKERS, MAX_WAITING * WORKERS)


async def hash_secret(secret: str) -> str:
    return await _POOL.run(_HASHER.hash, secret)


# Verified against when there is no stored hash (unknown staff member, no PIN set), so a
# failure costs the same time whatever its cause and reveals nothing about who exists.
_DUMMY_HASH = _HASHER.hash("no such staff member: a value nobody can sign in with")


def _verify(stored: str | None, secret: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, secret) and stored is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


async def verify_secret(stored: str | None, secret: str) -> bool:
    """True if `secret` matches the stored argon2 hash; the same work when there is none.
    Callers ask every cheap question first and spend the sign-in budget before calling."""
    return await _POOL.run(_verify, stored, secret)
