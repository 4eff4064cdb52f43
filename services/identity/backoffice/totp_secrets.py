"""TOTP secrets at rest: AES-256-GCM under a key from the environment.

A TOTP secret must be read again to check a code, so it cannot be hashed like a password;
encrypting it means a copy of the database alone does not let anyone generate codes. The
staff member's id is the associated data, so a secret cannot be moved to another row.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class TotpSecrets:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the TOTP encryption key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, staff_id: UUID, secret: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, secret.encode("ascii"), staff_id.bytes)

    def open(self, staff_id: UUID, sealed: bytes) -> str:
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        return self._aead.decrypt(nonce, ciphertext, staff_id.bytes).decode("ascii")


def totp_key_from_environment() -> bytes:
    """HALOPOS_IDENTITY_TOTP_KEY_FILE: a file holding the base64 of 32 random bytes."""
    path = os.environ.get("HALOPOS_IDENTITY_TOTP_KEY_FILE", "")
    if not path:
        raise RuntimeError("HALOPOS_IDENTITY_TOTP_KEY_FILE is not set")
    return base64.b64decode(Path(path).read_text().strip(), validate=True)
