"""Access-token verification, shared by the gateway and every service."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from clients.dpop import DeviceKey
from libs.auth.access_tokens import InvalidToken, TokenVerifier
from libs.auth.keys import RemoteKeySource, StaticKeySource, parse_jwks
from libs.auth.principal import Principal
from libs.config import platform_settings
from libs.rbac import Role
from services.identity.keys.signing import SigningKey, jwks_document, mint_access_token
from tests.conftest import LiveStack

SETTINGS = platform_settings()


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "sub": "staff-1",
        "tid": str(uuid.uuid4()),
        "role": "cashier",
        "iat": now,
        "exp": now + 300,
    }
    return {key: value for key, value in (base | overrides).items() if value is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hmac_forgery(secret: bytes, header: dict[str, Any]) -> str:
    """A token an attacker builds by hand (libraries refuse to make it for them)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims()).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def sign(key: SigningKey, payload: dict[str, Any], **header: Any) -> str:
    headers = {"kid": key.kid, "typ": "at+jwt"} | header
    return jwt.encode(payload, key.private_key, algorithm="ES256", headers=headers)


async def test_a_valid_token_becomes_a_principal(
    verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    tenant, location, session = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    device = DeviceKey.generate()
    token = mint_access_token(
        signing_key,
        issuer=SETTINGS.jwt_issuer,
        audience=SETTINGS.jwt_audience,
        subject="staff-9",
        tenant_id=tenant,
        role="manager",
        location_id=location,
        key_thumbprint=device.thumbprint(),
        session_id=session,
    )
    principal = await verifier.verify(token)
    assert principal.tenant_id == tenant
    assert principal.role is Role.MANAGER
    assert principal.subject == "staff-9"
    assert principal.location_id == location
    assert principal.session_id == session
    # cnf.jkt: the key every request with this token must carry a proof from.
    assert principal.key_thumbprint == device.thumbprint()


async def test_an_unbound_token_has_no_key_thumbprint(
    verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    """Verification itself accepts it; the request authenticator refuses it (test_rbac)."""
    principal = await verifier.verify(sign(signing_key, claims()))
    assert principal.key_thumbprint is None
    # A malformed confirmation claim is refused, never read as "unbound".
    for cnf in ("not-an-object", {"jkt": 7}):
        with pytest.raises(InvalidToken, match="cnf"):
            await verifier.verify(sign(signing_key, claims(cnf=cnf)))


async def test_a_tokens_venues_become_the_principals_scope(
    verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    front, garden, elsewhere = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def minted(**scope: Any) -> str:
        return mint_access_token(
            signing_key,
            issuer=SETTINGS.jwt_issuer,
            audience=SETTINGS.jwt_audience,
            subject="staff-9",
            tenant_id=uuid.uuid4(),
            role="manager",
            **scope,
        )

    # A backoffice session of someone who works at two locations: `locs`, sorted.
    listed = minted(venues=[garden, front])
    assert jwt.decode(listed, options={"verify_signature": False})["locs"] == sorted(
        [str(front), str(garden)]
    )
    principal = await verifier.verify(listed)
    assert principal.venues == {front, garden}
    assert principal.reaches(front) and not principal.reaches(elsewhere)
    # A till's session: its own location alone (`loc`), with no list.
    at_till = await verifier.verify(minted(location_id=front, device_id=uuid.uuid4()))
    assert at_till.venues == {front}
    assert not at_till.reaches(garden)
    # Neither: every location, as every backoffice token minted before venues existed.
    everywhere = await verifier.verify(minted())
    assert everywhere.venues is None and everywhere.reaches(elsewhere)
    # An empty list reaches nothing (never everything).
    nowhere = await verifier.verify(sign(signing_key, claims(locs=[])))
    assert nowhere.venues == frozenset() and not nowhere.reaches(front)


@pytest.mark.parametrize(
    "locs",
    [
        "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",  # a string, not a list
        {"id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f"},
        [7],
        [None],
        ["front-bar"],
        ["6F1C2D9E-3B4A-4C5D-8E7F-0A1B2C3D4E5F"],  # not canonical
        ["6f1c2d9e3b4a4c5d8e7f0a1b2c3d4e5f"],
        ["urn:uuid:6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f"],
        [str(uuid.UUID(int=n)) for n in range(51)],  # more than MAX_VENUES
    ],
)
async def test_a_malformed_location_list_makes_the_token_invalid(
    locs: object, verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    with pytest.raises(InvalidToken, match="locs"):
        await verifier.verify(sign(signing_key, claims(locs=locs)))


async def test_a_token_at_a_location_cannot_list_others(
    verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    front, garden = str(uuid.uuid4()), str(uuid.uuid4())
    for locs in ([garden], [front], []):
        with pytest.raises(InvalidToken, match="locs"):
            await verifier.verify(sign(signing_key, claims(loc=front, locs=locs)))
    with pytest.raises(ValueError, match="venues"):
        mint_access_token(
            signing_key,
            issuer=SETTINGS.jwt_issuer,
            audience=SETTINGS.jwt_audience,
            subject="staff-9",
            tenant_id=uuid.uuid4(),
            role="cashier",
            location_id=uuid.UUID(front),
            venues=[uuid.UUID(garden)],
        )
    with pytest.raises(ValueError, match="location alone"):
        Principal(
            subject="staff-9",
            tenant_id=uuid.uuid4(),
            role=Role.CASHIER,
            location_id=uuid.UUID(front),
            venues=frozenset({uuid.UUID(garden)}),
        )


# Built when the test runs, not when it is collected: a suite that runs for a while must not
# see its claims expire before it gets to them.
@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (lambda: claims(exp=int(time.time()) - 120, iat=int(time.time()) - 400), "expired"),
        (lambda: claims(iss="https://evil.example"), "issuer"),
        (lambda: claims(aud="someone-else"), "(?i)audience"),
        (lambda: claims(tid=None), "tid"),
        (lambda: claims(role=None), "role"),
        (lambda: claims(sub=None), "sub"),
        (lambda: claims(exp=None), "exp"),
        (lambda: claims(iat=None), "iat"),
        (lambda: claims(role="superadmin"), "claims"),
        (lambda: claims(tid="tenant-a"), "claims"),
        (lambda: claims(exp=int(time.time()) + 3600), "lifetime"),
        # A Bridge holds only its opaque token: an access token for one is never genuine.
        (lambda: claims(role="bridge"), "never issued to a Bridge"),
    ],
)
async def test_bad_claims_are_refused(
    payload: Callable[[], dict[str, Any]],
    reason: str,
    verifier: TokenVerifier,
    signing_key: SigningKey,
) -> None:
    with pytest.raises(InvalidToken, match=reason):
        await verifier.verify(sign(signing_key, payload()))


async def test_only_es256_access_tokens_with_a_known_kid_are_accepted(
    verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    public_pem = signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = {
        # The classic confusion: HMAC keyed with the public key.
        "hs256": hmac_forgery(
            public_pem, {"alg": "HS256", "typ": "at+jwt", "kid": signing_key.kid}
        ),
        "none": jwt.encode(claims(), None, algorithm="none", headers={"kid": signing_key.kid}),
        "id token typ": sign(signing_key, claims(), typ="JWT"),
        "dpop proof typ": sign(signing_key, claims(), typ="dpop+jwt"),
        "unknown kid": sign(signing_key, claims(), kid="not-a-key"),
        "other key": sign(SigningKey.generate(), claims(), kid=signing_key.kid),
        "garbage": "not.a.jwt",
    }
    for name, token in forged.items():
        with pytest.raises(InvalidToken):
            await verifier.verify(token)
            pytest.fail(f"accepted: {name}")


def test_a_jwks_never_carries_a_private_key(signing_key: SigningKey) -> None:
    document = jwks_document([signing_key])
    assert all("d" not in key for key in document["keys"])
    leaked = {"keys": [{**document["keys"][0], "d": "secret"}]}
    with pytest.raises(ValueError, match="private key"):
        parse_jwks(leaked)


async def test_verifiers_fetch_the_identity_services_jwks(
    live_stack: LiveStack, signing_key: SigningKey
) -> None:
    keys = RemoteKeySource(f"{live_stack.services['identity']}/.well-known/jwks.json")
    assert await keys.key(signing_key.kid) is not None


async def test_a_new_key_is_picked_up_after_rotation(signing_key: SigningKey) -> None:
    """A verifier that meets an unknown kid refetches the JWKS (rate-limited)."""
    rotated = SigningKey.generate()
    published = {"keys": jwks_document([signing_key])["keys"]}

    class RotatingSource(RemoteKeySource):
        fetches = 0

        async def _refresh(self) -> None:
            RotatingSource.fetches += 1
            self._keys = StaticKeySource(published)._keys
            self._fetched_at = time.monotonic()

    source = RotatingSource("unused", min_refresh_seconds=0)
    verifier = TokenVerifier(
        keys=source, issuer=SETTINGS.jwt_issuer, audience=SETTINGS.jwt_audience
    )
    with pytest.raises(InvalidToken, match="unknown signing key"):
        await verifier.verify(sign(rotated, claims()))
    published["keys"] = jwks_document([signing_key, rotated])["keys"]
    assert (await verifier.verify(sign(rotated, claims()))).role is Role.CASHIER
    assert RotatingSource.fetches == 2
