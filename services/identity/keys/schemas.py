"""The identity service's public keys as `/.well-known/jwks.json` publishes them (RFC 7517)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

_EXAMPLE_KEY: JsonDict = {
    "kty": "EC",
    "crv": "P-256",
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    "kid": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
    "use": "sig",
    "alg": "ES256",
}


class SigningJwk(BaseModel):
    """One key that signs access tokens: an EC P-256 public key (ES256)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE_KEY]})

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="Base64url, 32 bytes")
    y: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="Base64url, 32 bytes")
    kid: str = Field(description="RFC 7638 thumbprint; the `kid` of the tokens it signs")
    use: Literal["sig"]
    alg: Literal["ES256"]


class Jwks(BaseModel):
    """Every key a token may be signed with: the current one, and during a rotation the
    next or the previous one too."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"keys": [_EXAMPLE_KEY]}]})

    keys: list[SigningJwk]
