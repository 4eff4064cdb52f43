"""Opaque credentials: the identity service's activation codes, refresh tokens, sign-in
challenges and device handles, and the bridge service's Bridge tokens.

Shape: `hp<kind>_<tenant>_<secret>`, e.g. `hpr_0b7c…_Jx3…`. The recognisable prefix lets
secret scanners find a leaked token. The tenant part answers the one question a public
endpoint has before any session exists, which business to look in: it only chooses the
row-level-security scope in which the credential's hash is looked up, so a forged or altered
tenant part finds nothing there and gets the same answer as a wrong secret. Nothing is ever
read across tenants, and the tenant of the session that results is the one whose row matched.

Only a SHA-256 digest of a credential is stored. That is enough for random secrets of 128
bits or more; short activation codes also expire within minutes and are single-use.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Kind(StrEnum):
    ACTIVATION_CODE = "hpa"
    REFRESH_TOKEN = "hpr"  # noqa: S105 - a credential kind, not a secret
    CHALLENGE = "hpc"
    DEVICE = "hpd"
    BRIDGE_TOKEN = "hpb"  # noqa: S105 - a credential kind, not a secret


# Crockford's base32 without the letters people misread (I, L, O, U): for codes a person types.
_TYPABLE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_SHAPE = re.compile(r"(hp[a-z])_([0-9a-f]{32})_([A-Za-z0-9_-]{8,64})")


@dataclass(frozen=True, slots=True)
class Credential:
    kind: Kind
    tenant_id: UUID
    secret: str

    def __str__(self) -> str:
        return f"{self.kind.value}_{self.tenant_id.hex}_{self.secret}"

    @property
    def digest(self) -> bytes:
        """What is stored and looked up: the hash of the whole credential."""
        return hashlib.sha256(str(self).encode("ascii")).digest()


def new_credential(kind: Kind, tenant_id: UUID, *, typable_length: int | None = None) -> Credential:
    """A fresh random credential: 256 bits, or `typable_length` characters a person can type."""
    if typable_length is None:
        return Credential(kind, tenant_id, secrets.token_urlsafe(32))
    return Credential(
        kind, tenant_id, "".join(secrets.choice(_TYPABLE) for _ in range(typable_length))
    )


def parse_credential(kind: Kind, text: str) -> Credential | None:
    """The credential, or None if `text` is not one of this kind (answer as for a wrong one)."""
    match = _SHAPE.fullmatch(text.strip())
    if match is None or match.group(1) != kind.value:
        return None
    secret = match.group(3)
    if kind is Kind.ACTIVATION_CODE:
        secret = secret.upper()  # typed codes are case-insensitive
    return Credential(kind, UUID(hex=match.group(2)), secret)


def digest_of(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
