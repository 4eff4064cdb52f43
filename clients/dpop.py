"""DPoP (RFC 9449) for POS devices and integrators: hold a device key, sign a proof per request.

Stand-alone: it needs only PyJWT and cryptography, so copy it into your project as it is.

    key = DeviceKey.generate()              # once per device; DeviceKey.load(path) afterwards
    key.save("/var/lib/pos/device-key.pem")  # mode 0600; never send the private key anywhere

    # Sign in with a proof (no access token yet): the tokens are bound to this key. Bodies
    # are JSON, sign-in and refresh included (a form-encoded body is refused).
    sign_in = {"device": device_handle, "staff_id": staff_id, "pin": pin}
    tokens = httpx.post(pin_url, json=sign_in, headers={"DPoP": key.proof("POST", pin_url)})
    access_token = tokens.json()["access_token"]

    # Every API call: a fresh proof for that method and URL, sent with the bound token.
    headers = dpop_headers(key, "POST", orders_url, access_token)
    httpx.post(orders_url, json=order, headers=headers)

A stolen access token is useless without the key it is bound to. Each proof is single-use,
names the method and URL (the query string is not signed) and is accepted for about a minute,
so make a new one for every request, retries included. If a server answers with a
`DPoP-Nonce` header, retry with `nonce=` set to its value. With the generated client
(clients/halopos_client), clients/dpop_auth.py does all of this for every request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

PROOF_TYPE = "dpop+jwt"
PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class DeviceKey:
    private_key: PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.private_key, ec.EllipticCurvePrivateKey):
            if self.private_key.curve.name != "secp256r1":
                raise ValueError("EC device keys must be P-256")
        elif not isinstance(self.private_key, ed25519.Ed25519PrivateKey):
            raise ValueError("device keys are P-256 or Ed25519")

    @classmethod
    def generate(cls, algorithm: str = "ES256") -> DeviceKey:
        """A new key: P-256 (ES256, the default) or Ed25519 (EdDSA)."""
        if algorithm == "ES256":
            return cls(ec.generate_private_key(ec.SECP256R1()))
        if algorithm == "EdDSA":
            return cls(ed25519.Ed25519PrivateKey.generate())
        raise ValueError(f"unsupported algorithm {algorithm!r}; use ES256 or EdDSA")

    @classmethod
    def from_pem(cls, pem: bytes, password: bytes | None = None) -> DeviceKey:
        key = serialization.load_pem_private_key(pem, password=password)
        if not isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
            raise ValueError("device keys are P-256 or Ed25519")
        return cls(key)

    @classmethod
    def load(cls, path: str | os.PathLike[str], password: bytes | None = None) -> DeviceKey:
        with open(path, "rb") as file:
            return cls.from_pem(file.read(), password)

    def to_pem(self, password: bytes | None = None) -> bytes:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def save(self, path: str | os.PathLike[str], password: bytes | None = None) -> None:
        """Writes the key readable by its owner only; refuses to overwrite an existing key,
        since tokens bound to that key would stop working."""
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(self.to_pem(password))

    @property
    def algorithm(self) -> str:
        return "ES256" if isinstance(self.private_key, ec.EllipticCurvePrivateKey) else "EdDSA"

    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK (RFC 7517): public members only."""
        if isinstance(self.private_key, ec.EllipticCurvePrivateKey):
            numbers = self.private_key.public_key().public_numbers()
            return {
                "kty": "EC",
                "crv": "P-256",
                "x": _b64url(numbers.x.to_bytes(32, "big")),
                "y": _b64url(numbers.y.to_bytes(32, "big")),
            }
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}

    def thumbprint(self) -> str:
        """RFC 7638 SHA-256 thumbprint: what a bound token names in `cnf.jkt`."""
        canonical = json.dumps(self.public_jwk(), separators=(",", ":"), sort_keys=True)
        return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())

    def proof(
        self,
        method: str,
        url: str,
        access_token: str | None = None,
        nonce: str | None = None,
    ) -> str:
        """A DPoP proof for one request (RFC 9449 section 4.2). Pass the access token when
        calling an API with it, so the proof is tied to that token too (`ath`)."""
        parts = urlsplit(url)
        claims: dict[str, Any] = {
            "jti": secrets.token_urlsafe(16),  # 128 random bits
            "htm": method.upper(),  # HTTP clients send methods upper-case
            "htu": urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            "iat": int(time.time()),
        }
        if access_token is not None:
            digest = hashlib.sha256(access_token.encode("ascii")).digest()
            claims["ath"] = _b64url(digest)
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(
            claims,
            self.private_key,
            algorithm=self.algorithm,
            headers={"typ": PROOF_TYPE, "jwk": self.public_jwk()},
        )


def dpop_headers(key: DeviceKey, method: str, url: str, access_token: str) -> dict[str, str]:
    """Headers for one API call with a DPoP-bound access token (RFC 9449 section 7.1)."""
    return {
        "Authorization": f"DPoP {access_token}",
        "DPoP": key.proof(method, url, access_token=access_token),
    }


__all__ = ["DeviceKey", "dpop_headers"]
