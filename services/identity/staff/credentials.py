"""Staff secrets (backoffice passwords, POS PINs): argon2id, hashed off the event loop.

argon2-cffi's defaults are RFC 9106's second recommended profile (argon2id, 64 MiB, t=3,
p=4): tens of milliseconds of CPU per hash, so it runs in a worker thread rather than
stalling every other request on this process.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher

_HASHER = PasswordHasher()


async def hash_secret(secret: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, secret)
