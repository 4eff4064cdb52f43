from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator
from pydantic.config import JsonDict

from libs.auth.dpop import PRIVATE_MEMBERS, jwk_thumbprint
from libs.text import Name
from services.identity.staff.schemas import StaffRole

# A public JWK has at most a handful of members; anything larger is not one of our keys.
_MAX_JWK_MEMBERS = 16
# What identifies a key (RFC 7638): all that is stored, whatever else the device sent.
_REQUIRED_MEMBERS = {"EC": ("kty", "crv", "x", "y"), "OKP": ("kty", "crv", "x")}


# Base64url without padding (RFC 7515), as JWK coordinates are written.
_BASE64URL = {"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_-]+$"}
_PUBLIC_ONLY = {"not": {"anyOf": [{"required": [name]} for name in sorted(PRIVATE_MEMBERS)]}}
# The keys a device may register, as the validator below accepts them: any other members
# are dropped, private ones refused.
PUBLIC_DEVICE_JWK = {
    "oneOf": [
        {
            "title": "EC P-256 public key",
            "type": "object",
            "properties": {
                "kty": {"const": "EC"},
                "crv": {"const": "P-256"},
                "x": _BASE64URL,
                "y": _BASE64URL,
            },
            "required": ["kty", "crv", "x", "y"],
            "maxProperties": _MAX_JWK_MEMBERS,
            **_PUBLIC_ONLY,
        },
        {
            "title": "Ed25519 public key",
            "type": "object",
            "properties": {
                "kty": {"const": "OKP"},
                "crv": {"const": "Ed25519"},
                "x": _BASE64URL,
            },
            "required": ["kty", "crv", "x"],
            "maxProperties": _MAX_JWK_MEMBERS,
            **_PUBLIC_ONLY,
        },
    ]
}


class DeviceStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class ActivationCodeCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "device_name": "Front counter iPad",
                }
            ]
        },
        extra="forbid",
        str_strip_whitespace=True,
    )

    location_id: UUID
    device_name: Name | None = Field(
        default=None,
        description="The name the device gets; if omitted, the device may name itself",
    )


# -- examples ----------------------------------------------------------------------------------
# Register 1 at Harbour Café, Sydney: the front counter iPad, activated by a manager's code.
DEVICE_EXAMPLE: JsonDict = {
    "id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "name": "Front counter iPad",
    "key_thumbprint": "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U",
    "status": "active",
    "activated_at": "2026-11-20T09:05:12+11:00",
    "revoked_at": None,
}


class ActivationCode(BaseModel):
    """Shown once, to the manager who enters it on the new device; only its hash is kept."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "hpa_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_K7QM2XPD9R",
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "expires_at": "2026-11-20T09:13:40+11:00",
                    "device_name": "Front counter iPad",
                }
            ]
        }
    )

    code: str
    location_id: UUID
    expires_at: datetime
    device_name: str | None


class DeviceActivation(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "hpa_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_K7QM2XPD9R",
                    "public_jwk": {
                        "kty": "EC",
                        "crv": "P-256",
                        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
                    },
                    "name": "Front counter iPad",
                }
            ]
        },
        extra="forbid",
        str_strip_whitespace=True,
    )

    # Not constrained to the code's shape here: a malformed code is answered exactly like a
    # wrong one (invalid-activation-code), not with a validation error.
    code: str = Field(max_length=200, description="The activation code a manager created")
    public_jwk: Annotated[dict[str, Any], WithJsonSchema(PUBLIC_DEVICE_JWK, mode="validation")] = (
        Field(
            description="The device's public key (EC P-256 or Ed25519 JWK, public members only); "
            "the request's DPoP proof must be signed by this key"
        )
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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device": (
                        "hpd_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_eY2JfQw6eXWbD1zrokOtrqQ"
                        "eiJj_3dZ6VRBLvgUAzb3"
                    ),
                    "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "name": "Front counter iPad",
                    "activated_at": "2026-11-20T09:05:12+11:00",
                }
            ]
        }
    )

    device: str
    device_id: UUID
    location_id: UUID
    name: str
    activated_at: datetime


class Device(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DEVICE_EXAMPLE]})

    id: UUID
    location_id: UUID
    name: str
    key_thumbprint: str = Field(description="RFC 7638 thumbprint of the device's public key")
    status: DeviceStatus
    activated_at: datetime
    revoked_at: datetime | None


class DevicePage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [DEVICE_EXAMPLE], "next_cursor": None}]}
    )

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


class RosterMember(BaseModel):
    """Someone who may sign in at the till: what its PIN pad shows, and nothing more."""

    id: UUID
    display_name: str
    role: StaffRole


class Roster(BaseModel):
    """The active staff with a PIN who work at the till's venue, by display name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "version": "9b2e41c07d5a4f18a3c6e0d2b7f95a13",
                    "staff": [
                        {
                            "id": "2d4b8f1a-6c3e-4a9d-b5f7-1e0c9a8b7d6f",
                            "display_name": "Ana",
                            "role": "cashier",
                        },
                        {
                            "id": "8a7c5e3b-1d9f-4b2a-9c6e-4f0d2b1a3c5e",
                            "display_name": "Ben",
                            "role": "manager",
                        },
                    ],
                }
            ]
        }
    )

    location_id: UUID
    version: str = Field(
        description="Changes exactly when the roster does; also sent as the ETag, so a till "
        "can ask again with If-None-Match and get 304 when nothing changed"
    )
    staff: list[RosterMember]
