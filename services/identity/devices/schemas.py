from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from libs.text import Name
from pydantic import BaseModel, ConfigDict, Field, field_validator

from libs.auth.dpop import jwk_thumbprint

# A public JWK has at most a handful of members; anything larger is not one of our keys.
_MAX_JWK_MEMBERS = 16
# What identifies a key (RFC 7638): all that is stored, whatever else the device sent.
_REQUIRED_MEMBERS = {"EC": ("kty", "crv", "x", "y"), "OKP": ("kty", "crv", "x")}


class DeviceStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class ActivationCodeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    location_id: UUID
    device_name: Name | None = Field(
        default=None,
        description="The name the device gets; if omitted, the device may name itself",
    )


class ActivationCode(BaseModel):
    """Shown once, to the manager who enters it on the new device; only its hash is kept."""

    code: str
    location_id: UUID
    expires_at: datetime
    device_name: str | None


class DeviceActivation(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # Not constrained to the code's shape here: a malformed code is answered exactly like a
    # wrong one (invalid-activation-code), not with a validation error.
    code: str = Field(max_length=200, description="The activation code a manager created")
    public_jwk: dict[str, Any] = Field(
        description="The device's public key (EC P-256 or Ed25519 JWK, public members only); "
        "the request's DPoP proof must be signed by this key"
    )
    name: Name | None = Field(
        default=None,
        description="Used if the manager gave the code no device name",
    )

    @field_validator("public_jwk")
    @classmethod
    def _public_key_only(cls, jwk: dict[str, Any]) -> dict[str, Any]:
        if len(jwk) > _MAX_JWK_MEMBERS:
            raise ValueError("not a public key JWK: too many members")
        jwk_thumbprint(jwk)  # refuses private members and key types we do not accept
        return {name: jwk[name] for name in _REQUIRED_MEMBERS[jwk["kty"]]}


class ActivatedDevice(BaseModel):
    """Keep `device`: it is what the device sends to sign staff in (`POST /v1/auth/pin`). It
    is not a secret; every use needs a DPoP proof from the device's key as well."""

    device: str
    device_id: UUID
    location_id: UUID
    name: str
    activated_at: datetime


class Device(BaseModel):
    id: UUID
    location_id: UUID
    name: str
    key_thumbprint: str = Field(description="RFC 7638 thumbprint of the device's public key")
    status: DeviceStatus
    activated_at: datetime
    revoked_at: datetime | None


class DevicePage(BaseModel):
    items: list[Device]
    next_cursor: str | None


class StoredActivationCode(BaseModel):
    """An activation code's row as activation reads it (never leaves the service)."""

    id: UUID
    location_id: UUID
    device_name: str | None
    created_by: str
    used_at: datetime | None
    device_id: UUID | None
    expired: bool
