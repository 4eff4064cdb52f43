"""Token and proof attacks, each refused at the gateway AND at a service called directly.

Real sockets (`live_stack`): the orders service verifies tokens against the identity service's
JWKS over HTTP, exactly as in production. Every negative case changes one thing about a request
the positive control proves is accepted, so each 401 is for the reason the case names.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from prometheus_client import REGISTRY

from clients.dpop import DeviceKey
from libs.auth.dpop import access_token_hash
from libs.config import platform_settings
from libs.rbac import Role
from services.identity.keys.signing import SigningKey, mint_access_token
from tests.conftest import LiveStack
from tests.support.database import Provision
from tests.support.tokens import PUBLIC_URL

SETTINGS = platform_settings()
PATH = "/v1/orders"
LAYERS = ["gateway", "service"]
# Allowances in libs/auth: access tokens 30 s of clock skew, proofs 60 s of age + 5 s of skew.
TOKEN_SKEW = 30
PROOF_MAX_AGE, PROOF_SKEW = 60, 5

REQUIRED = ("iss", "aud", "exp", "iat", "sub", "tid", "role")

Claims = dict[str, Any]


@pytest.fixture(scope="module")
async def tenant(provision: Provision) -> uuid.UUID:
    """A real tenant: the proof ledger references the tenant registry."""
    return await provision()


@pytest.fixture
def device() -> DeviceKey:
    return DeviceKey.generate()


def base_url(live_stack: LiveStack, layer: str) -> str:
    return live_stack.gateway if layer == "gateway" else live_stack.services["orders"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- building tokens and proofs by hand -----------------------------------------------------


def token_claims(tenant: uuid.UUID, device: DeviceKey, **overrides: Any) -> Claims:
    """What the identity service puts in a bound access token; None removes a claim."""
    now = int(time.time())
    claims: Claims = {
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "sub": "till-7",
        "tid": str(tenant),
        "role": str(Role.CASHIER),
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "cnf": {"jkt": device.thumbprint()},
    }
    return {name: value for name, value in (claims | overrides).items() if value is not None}


def sign_token(key: SigningKey, claims: Claims, **header: Any) -> str:
    """Signs the claims as given: PyJWT's own encoder refuses some shapes an attacker can
    still send (an `iss` array, say), so the payload is serialised here."""
    headers = {"kid": key.kid, "typ": "at+jwt"} | header
    payload = json.dumps(claims).encode()
    return jwt.api_jws.encode(payload, key.private_key, algorithm="ES256", headers=headers)


def hs256_forgery(secret: bytes, header: Claims, claims: Claims) -> str:
    """By hand: PyJWT refuses to HMAC with a PEM public key, an attacker would not."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def proof(
    key: DeviceKey,
    access_token: str,
    *,
    header: Claims | None = None,
    signer: DeviceKey | None = None,
    **overrides: Any,
) -> str:
    """A proof shaped like `DeviceKey.proof`, for GET PUBLIC_URL + PATH; None removes a
    member, `signer` signs with another key while `key` names the jwk."""
    claims: Claims = {
        "jti": secrets.token_urlsafe(16),
        "htm": "GET",
        "htu": PUBLIC_URL + PATH,
        "iat": int(time.time()),
        "ath": access_token_hash(access_token),
    }
    headers = {"typ": "dpop+jwt", "jwk": key.public_jwk()} | (header or {})
    signer = signer or key
    return jwt.encode(
        {name: value for name, value in (claims | overrides).items() if value is not None},
        signer.private_key,
        algorithm=signer.algorithm,
        headers={name: value for name, value in headers.items() if value is not None},
    )


# --- sending and judging ---------------------------------------------------------------------


async def send(
    base: str, access_token: str, proofs: list[str], *, scheme: str = "DPoP"
) -> httpx.Response:
    headers = [("Authorization", f"{scheme} {access_token}")] + [("DPoP", p) for p in proofs]
    async with httpx.AsyncClient(base_url=base) as client:
        return await client.get(PATH, headers=headers)


def orders_service_calls() -> float:
    """Every request the orders service has answered in this process, whatever its status."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "halopos_http_request_duration_seconds"
        for sample in metric.samples
        if sample.name.endswith("_count") and sample.labels.get("service") == "orders"
    )


@pytest.fixture
def refused_where_sent(layer: str) -> Iterator[None]:
    """At the gateway layer, the attack must stop at the gateway: the service never hears
    of it. (At the service layer the service itself refuses; nothing else is in the way.)"""
    before = orders_service_calls()
    yield
    if layer == "gateway":
        assert orders_service_calls() == before, "the gateway let the request through"


@pytest.fixture
def auth_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="halopos.auth")
    return caplog


def assert_reason(log: pytest.LogCaptureFixture, reason: str | None) -> None:
    """Exactly one layer refused (so the gateway never passed it on), for the named reason."""
    logged = [record.getMessage() for record in log.records if record.name == "halopos.auth"]
    if reason is None:
        assert logged == []
    else:
        assert len(logged) == 1 and re.search(reason, logged[0]), logged


def assert_refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("DPoP ") and 'algs="ES256 EdDSA"' in challenge
    assert ('error="invalid_dpop_proof"' in challenge) == (code == "invalid-dpop-proof")


# --- the positive control --------------------------------------------------------------------


@pytest.mark.parametrize("layer", LAYERS)
async def test_a_bound_token_with_its_proof_is_accepted(
    layer: str,
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
) -> None:
    """The builders below, unmodified, make requests that pass: both the identity service's
    own minting and the hand-built token, each with the client's and the hand-built proof."""
    base = base_url(live_stack, layer)
    minted = mint_access_token(
        signing_key,
        issuer=SETTINGS.jwt_issuer,
        audience=SETTINGS.jwt_audience,
        subject="till-7",
        tenant_id=tenant,
        role=str(Role.CASHIER),
        key_thumbprint=device.thumbprint(),
    )
    by_hand = sign_token(signing_key, token_claims(tenant, device))
    for access_token in (minted, by_hand):
        for signed in (
            device.proof("GET", PUBLIC_URL + PATH, access_token),
            proof(device, access_token),
        ):
            response = await send(base, access_token, [signed])
            assert response.status_code == 200, response.text
            assert response.json()["items"] == []


# --- access-token attacks: a valid proof beside a bad token ----------------------------------


def bad_tokens(signing_key: SigningKey, tenant: uuid.UUID, device: DeviceKey) -> dict[str, str]:
    now = int(time.time())
    good = token_claims(tenant, device)
    public_pem = signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    tokens = {
        "alg none": jwt.encode(
            good, "", algorithm="none", headers={"kid": signing_key.kid, "typ": "at+jwt"}
        ),
        "hs256 keyed with the public key": hs256_forgery(
            public_pem, {"alg": "HS256", "typ": "at+jwt", "kid": signing_key.kid}, good
        ),
        "unknown kid": sign_token(signing_key, good, kid="not-a-published-key"),
        "unpublished key under a known kid": sign_token(
            SigningKey.generate(), good, kid=signing_key.kid
        ),
        "iss array with the expected issuer": sign_token(
            signing_key, good | {"iss": [SETTINGS.jwt_issuer, "https://evil.example"]}
        ),
        "iss array of the expected issuer only": sign_token(
            signing_key, good | {"iss": [SETTINGS.jwt_issuer]}
        ),
        "aud array with the expected audience": sign_token(
            signing_key, good | {"aud": [SETTINGS.jwt_audience, "another-api"]}
        ),
        # PyJWT alone would accept this; `strict_aud` makes `aud` a single exact string.
        "aud array of the expected audience only": sign_token(
            signing_key, good | {"aud": [SETTINGS.jwt_audience]}
        ),
        # The identity service's own minting, just issued too long ago.
        "expired (minted)": mint_access_token(
            signing_key,
            issuer=SETTINGS.jwt_issuer,
            audience=SETTINGS.jwt_audience,
            subject="till-7",
            tenant_id=tenant,
            role=str(Role.CASHIER),
            key_thumbprint=device.thumbprint(),
            now=now - 600 - TOKEN_SKEW - 5,
        ),
        "iat in the future": sign_token(
            signing_key, good | {"iat": now + TOKEN_SKEW + 30, "exp": now + 300}
        ),
        "nbf in the future": sign_token(signing_key, good | {"nbf": now + TOKEN_SKEW + 30}),
        "lifetime of 601 s": sign_token(signing_key, good | {"exp": now + 601}),
        "typ JWT (an ID token)": sign_token(signing_key, good, typ="JWT"),
    }
    for claim in REQUIRED:
        tokens[f"{claim} missing"] = sign_token(signing_key, good | {claim: None})
    return tokens


# Each case and why it is refused, as the refusing layer logs it (never told to the client).
BAD_TOKENS = {
    "alg none": "algorithm 'none' is not accepted",
    "hs256 keyed with the public key": "algorithm 'HS256' is not accepted",
    "unknown kid": "unknown signing key 'not-a-published-key'",
    # The services refetch the JWKS for a kid they lack; a known kid gets a signature check.
    "unpublished key under a known kid": "Signature verification failed",
    "iss array with the expected issuer": r"Issuer \(iss\) must be a string",
    "iss array of the expected issuer only": r"Issuer \(iss\) must be a string",
    "aud array with the expected audience": r"Invalid claim format in token \(strict\)",
    "aud array of the expected audience only": r"Invalid claim format in token \(strict\)",
    "expired (minted)": "Signature has expired",
    "iat in the future": r"not yet valid \(iat\)",
    "nbf in the future": r"not yet valid \(nbf\)",
    "lifetime of 601 s": "lifetime exceeds the maximum",
    "typ JWT (an ID token)": "token type 'JWT' is not an access token",
    **{f"{claim} missing": f'missing the "{claim}" claim' for claim in REQUIRED},
}


@pytest.mark.usefixtures("refused_where_sent")
@pytest.mark.parametrize("case", list(BAD_TOKENS))
@pytest.mark.parametrize("layer", LAYERS)
async def test_a_bad_access_token_is_refused(
    case: str,
    layer: str,
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    access_token = bad_tokens(signing_key, tenant, device)[case]
    response = await send(base_url(live_stack, layer), access_token, [proof(device, access_token)])
    assert_refused(response, "unauthenticated")
    assert_reason(auth_log, BAD_TOKENS[case])


def test_every_bad_token_case_is_run(signing_key: SigningKey, device: DeviceKey) -> None:
    assert set(bad_tokens(signing_key, uuid.uuid4(), device)) == set(BAD_TOKENS)


def test_the_minted_expired_token_is_past_its_expiry_and_the_skew(
    signing_key: SigningKey, device: DeviceKey
) -> None:
    """mint_access_token caps the lifetime at 600 s; the case must be past its exp + skew."""
    token = bad_tokens(signing_key, uuid.uuid4(), device)["expired (minted)"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 600
    assert claims["exp"] < time.time() - TOKEN_SKEW


# --- proof attacks: a good token beside a bad (or missing, or doubled) proof -----------------


def bad_proofs(device: DeviceKey, access_token: str) -> dict[str, list[str]]:
    now = int(time.time())
    assert isinstance(device.private_key, ec.EllipticCurvePrivateKey)
    private = _b64(device.private_key.private_numbers().private_value.to_bytes(32, "big"))
    thief = DeviceKey.generate()
    return {
        "another device's proof": [thief.proof("GET", PUBLIC_URL + PATH, access_token)],
        "this device's jwk, another key's signature": [proof(device, access_token, signer=thief)],
        "wrong htm": [proof(device, access_token, htm="POST")],
        "htu of another path": [proof(device, access_token, htu=PUBLIC_URL + "/v1/audit/events")],
        "htu of another host": [proof(device, access_token, htu="https://evil.example" + PATH)],
        "stale iat": [proof(device, access_token, iat=now - PROOF_MAX_AGE - PROOF_SKEW - 5)],
        "future iat": [proof(device, access_token, iat=now + PROOF_SKEW + 10)],
        "ath missing": [proof(device, access_token, ath=None)],
        "ath of another token": [proof(device, access_token, ath=access_token_hash("other"))],
        "typ JWT": [proof(device, access_token, header={"typ": "JWT"})],
        "private key in the jwk": [
            proof(device, access_token, header={"jwk": device.public_jwk() | {"d": private}})
        ],
        "no DPoP header": [],
        "two DPoP headers": [proof(device, access_token), proof(device, access_token)],
    }


BAD_PROOFS: dict[str, str | None] = {
    "another device's proof": r"does not match the key the token is bound to \(cnf.jkt\)",
    "this device's jwk, another key's signature": "signature does not verify with the proof's jwk",
    "wrong htm": "htm 'POST' does not match the request method 'GET'",
    "htu of another path": "htu '[^']*/v1/audit/events' does not match",
    "htu of another host": "htu 'https://evil.example/v1/orders' does not match",
    "stale iat": r"too old \(iat\)",
    "future iat": r"issued in the future \(iat\)",
    "ath missing": "ath is missing",
    "ath of another token": "ath does not match the access token",
    "typ JWT": "proof type 'JWT' is not dpop\\+jwt",
    "private key in the jwk": "jwk contains private key members",
    # Refused before any proof is parsed, so nothing to log.
    "no DPoP header": None,
    "two DPoP headers": None,
}


@pytest.mark.usefixtures("refused_where_sent")
@pytest.mark.parametrize("case", list(BAD_PROOFS))
@pytest.mark.parametrize("layer", LAYERS)
async def test_a_bad_proof_is_refused(
    case: str,
    layer: str,
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    access_token = sign_token(signing_key, token_claims(tenant, device))
    response = await send(
        base_url(live_stack, layer), access_token, bad_proofs(device, access_token)[case]
    )
    assert_refused(response, "invalid-dpop-proof")
    assert_reason(auth_log, BAD_PROOFS[case])


def test_every_bad_proof_case_is_run(device: DeviceKey) -> None:
    assert set(bad_proofs(device, "token")) == set(BAD_PROOFS)


@pytest.mark.usefixtures("refused_where_sent")
@pytest.mark.parametrize("layer", LAYERS)
async def test_a_proof_for_the_internal_address_is_refused(
    layer: str,
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    """Each layer compares htu with the configured public URL, never with the Host header or
    the socket it was reached on: a proof for the address the client really dialled (not the
    public one) is someone else's proof."""
    base = base_url(live_stack, layer)
    assert base != PUBLIC_URL
    access_token = sign_token(signing_key, token_claims(tenant, device))
    response = await send(base, access_token, [proof(device, access_token, htu=base + PATH)])
    assert_refused(response, "invalid-dpop-proof")
    assert_reason(auth_log, f"htu '{re.escape(base)}/v1/orders' does not match")


@pytest.mark.usefixtures("refused_where_sent")
@pytest.mark.parametrize("layer", LAYERS)
async def test_a_bound_token_in_the_bearer_scheme_is_refused(
    layer: str,
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    """Even with a valid proof beside it: the scheme says whether the sender claims to hold
    the key, and a bound token is never a bearer token (RFC 9449 section 7.2)."""
    access_token = sign_token(signing_key, token_claims(tenant, device))
    response = await send(
        base_url(live_stack, layer), access_token, [proof(device, access_token)], scheme="Bearer"
    )
    assert_refused(response, "unauthenticated")
    assert_reason(auth_log, None)  # refused for its scheme, before the token is read


# --- replays ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", LAYERS)
async def test_a_proof_is_accepted_once(
    layer: str,
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    base = base_url(live_stack, layer)
    access_token = sign_token(signing_key, token_claims(tenant, device))
    signed = proof(device, access_token)
    first = await send(base, access_token, [signed])
    assert first.status_code == 200, first.text
    assert_refused(await send(base, access_token, [signed]), "invalid-dpop-proof")
    assert_reason(auth_log, "jti has already been used")
    # The token itself is still good: only the proof was spent.
    assert (await send(base, access_token, [proof(device, access_token)])).status_code == 200


async def test_a_proof_used_through_the_gateway_is_spent_at_the_service_too(
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    """The gateway forwards the proof, and the service spends it in the shared ledger: a
    copy captured on the way in cannot be replayed straight to the service."""
    access_token = sign_token(signing_key, token_claims(tenant, device))
    signed = proof(device, access_token)
    through = await send(live_stack.gateway, access_token, [signed])
    assert through.status_code == 200, through.text
    direct = await send(live_stack.services["orders"], access_token, [signed])
    assert_refused(direct, "invalid-dpop-proof")
    assert_reason(auth_log, "jti has already been used")


async def test_a_proof_used_at_the_service_is_refused_through_the_gateway(
    live_stack: LiveStack,
    signing_key: SigningKey,
    tenant: uuid.UUID,
    device: DeviceKey,
    auth_log: pytest.LogCaptureFixture,
) -> None:
    """The other way round: the gateway has not seen this proof, so it passes there, but the
    service behind it has, and its refusal is what the client gets."""
    access_token = sign_token(signing_key, token_claims(tenant, device))
    signed = proof(device, access_token)
    direct = await send(live_stack.services["orders"], access_token, [signed])
    assert direct.status_code == 200, direct.text
    before = orders_service_calls()
    through = await send(live_stack.gateway, access_token, [signed])
    assert_refused(through, "invalid-dpop-proof")
    assert orders_service_calls() == before + 1, "refused by the service, not the gateway"
    assert_reason(auth_log, "jti has already been used")
