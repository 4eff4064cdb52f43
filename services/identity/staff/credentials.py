"""Staff secrets (backoffice passwords, POS PINs): argon2id, hashed off the event loop.

argon2-cffi's defaults are RFC 9106's second recommended profile (argon2id, 64 MiB, t=3,
p=4): tens of milliseconds of CPU per hash, so it runs in a worker thread rather than
stalling every other request on this process.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

_HASHER = PasswordHasher()


async def hash_secret(secret: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, secret)


# Verified against when there is no stored hash (unknown staff member, no PIN set), so a
# failure costs the same time whatever its cause and reveals nothing about who exists.
_DUMMY_HASH = _HASHER.hash("no such staff member: a value nobody can sign in with")


def _verify(stored: str | None, secret: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, secret) and stored is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


async def verify_secret(stored: str | None, secret: str) -> bool:
    """True if `secret` matches the stored argon2 hash; the same work when there is none."""
    return await asyncio.to_thread(_verify, stored, secret)
