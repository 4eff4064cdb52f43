"""Signed checkpoints of a tenant's audit chain (pure functions, no I/O).

A checkpoint is a C2SP signed note in the shape of a `tlog-checkpoint`: origin, size, the
base64 head hash, then an Ed25519 signature line. The exact format is in docs/audit-chain.md;
`tools/verify_audit.py` checks it with an independent implementation.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from libs.audit.chain import GENESIS_HASH

ED25519_SIGNATURE_TYPE = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space open each signature line


def origin_for(prefix: str, tenant_id: UUID) -> str:
    return f"{prefix.rstrip('/')}/{tenant_id}"


def note_text(origin: str, size: int, head_hash: bytes) -> str:
    if size < 0 or len(head_hash) != 32:
        raise ValueError("a checkpoint needs a size >= 0 and a 32-byte hash")
    if size == 0 and head_hash != GENESIS_HASH:
        raise ValueError("an empty log's checkpoint names the genesis hash")
    return f"{origin}\n{size}\n{base64.b64encode(head_hash).decode('ascii')}\n"


@dataclass(frozen=True)
class CheckpointSigner:
    """The audit service's Ed25519 key. Each tenant's checkpoints are signed under the key
    name of its log's origin, so each tenant has its own verifier key (same public key)."""

    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> CheckpointSigner:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> CheckpointSigner:
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def load(cls, path: Path) -> CheckpointSigner:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return cls(key)

    @classmethod
    def load_or_create(cls, path: Path) -> CheckpointSigner:
        """For development checkouts (`.state/`); production provides the key file."""
        if path.exists():
            return cls.load(path)
        signer = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(
                signer.private_key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        return signer

    @property
    def public_key(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def key_id(self, key_name: str) -> bytes:
        material = key_name.encode() + b"\n" + ED25519_SIGNATURE_TYPE + self.public_key
        return hashlib.sha256(material).digest()[:4]

    def verifier_key(self, key_name: str) -> str:
        """The C2SP note verifier key: name+keyid(hex)+base64(type || public key)."""
        encoded = base64.b64encode(ED25519_SIGNATURE_TYPE + self.public_key).decode("ascii")
        return f"{key_name}+{self.key_id(key_name).hex()}+{encoded}"

    def sign(self, origin: str, size: int, head_hash: bytes) -> str:
        text = note_text(origin, size, head_hash)
        signature = self.private_key.sign(text.encode())
        line = base64.b64encode(self.key_id(origin) + signature).decode("ascii")
        return f"{text}\n{SIGNATURE_PREFIX}{origin} {line}\n"

    def signed(self, note: str, origin: str, size: int, head_hash: bytes) -> bool:
        """Whether `note` is this key's signature of exactly (origin, size, head_hash)."""
        text, separator, signatures = note.partition("\n\n")
        if not separator or text + "\n" != note_text(origin, size, head_hash):
            return False
        expected = f"{SIGNATURE_PREFIX}{origin} "
        for line in signatures.splitlines():
            if not line.startswith(expected):
                continue
            try:
                raw = base64.b64decode(line[len(expected) :], validate=True)
            except ValueError:
                return False
            if raw[:4] != self.key_id(origin):
                continue
            try:
                self.private_key.public_key().verify(raw[4:], text.encode() + b"\n")
            except InvalidSignature:
                return False
            return True
        return False
