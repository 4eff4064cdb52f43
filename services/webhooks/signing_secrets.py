"""Endpoint signing secrets: made, shown once, kept encrypted.

The sender has to sign every delivery with the endpoint's secret, so it cannot be hashed like
a password; AES-256-GCM under a key from the environment means a copy of the database alone
does not let anyone forge our deliveries. The endpoint's id is the associated data, so a
ciphertext moved to another endpoint's row does not open.

The secret's shape is Standard Webhooks': `whsec_` and the base64 of 32 random bytes; the
bytes (not the text) are the HMAC key.
"""

from __future__ import annotations

import base64
import os
import secrets
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "whsec_"
SECRET_BYTES = 32
NONCE_BYTES = 12


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def key_of(secret: str) -> bytes:
    """The HMAC key a `whsec_` secret stands for."""
    return base64.b64decode(secret.removeprefix(PREFIX), validate=True)


class SecretBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the webhook secret key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, endpoint_id: UUID, secret: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, secret.encode("ascii"), endpoint_id.bytes)

    def open(self, endpoint_id: UUID, sealed: bytes) -> str:
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        return self._aead.decrypt(nonce, ciphertext, endpoint_id.bytes).decode("ascii")
