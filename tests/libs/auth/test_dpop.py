"""DPoP proofs (RFC 9449): the device key a token is bound to must sign every request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from functools import partial
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from clients.dpop import DeviceKey, dpop_headers
from libs.auth.dpop import (
    CHECKS,
    DPoPVerifier,
    InMemoryReplayCache,
    InvalidProof,
    access_token_hash,
    jwk_thumbprint,
    normalise_htu,
)
from libs.auth.principal import Principal
from libs.auth.spent import DPOP, SpentTokens
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.keys import signing
from tests.support.database import Connect, Provision, as_tenant

URL = "https://api.halopos.test/v1/orders"
TOKEN = "eyJhbGciOiJFUzI1NiJ9.an-access-token.signature"


@pytest.fixture
def dpop_verifier() -> DPoPVerifier:
    return DPoPVerifier(replay_cache=InMemoryReplayCache())


@pytest.fixture(scope="module")
def device() -> DeviceKey:
    return DeviceKey.generate()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def proof_claims(**overrides: Any) -> dict[str, Any]:
    base = {
        "jti": secrets.token_urlsafe(16),
        "htm": "POST",
        "htu": URL,
        "iat": int(time.time()),
        "ath": access_token_hash(TOKEN),
    }
    return {name: value for name, value in (base | overrides).items() if value is not None}


def forge(
    key: DeviceKey,
    *,
    header: dict[str, Any] | None = None,
    signer: DeviceKey | None = None,
    **claims: Any,
) -> str:
    """A proof as a careless or hostile client might build it; None removes a member."""
    headers = {"typ": "dpop+jwt", "jwk": key.public_jwk()} | (header or {})
    signer = signer or key
    return jwt.encode(
        proof_claims(**claims),
        signer.private_key,
        algorithm=signer.algorithm,
        headers={name: value for name, value in headers.items() if value is not None},
    )


def raw_proof(key: DeviceKey, *, iat: str) -> str:
    """A proof whose iat is written as given: json.dumps cannot write some numbers a JSON
    parser accepts, such as 1e999 (which parses as infinity)."""
    payload = f'{json.dumps(proof_claims(iat=None))[:-1]}, "iat": {iat}}}'.encode()
    headers = {"typ": "dpop+jwt", "jwk": key.public_jwk()}
    return jwt.api_jws.encode(payload, key.private_key, algorithm=key.algorithm, headers=headers)


def hmac_forgery(secret: bytes, header: dict[str, Any]) -> str:
    """A proof an attacker builds by hand (libraries refuse to make it for them)."""
    signing_input = (
        f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(proof_claims()).encode())}"
    )
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


async def verify(
    verifier: DPoPVerifier,
    proof: str,
    *,
    method: str = "POST",
    url: str = URL,
    access_token: str | None = TOKEN,
    expected_thumbprint: str | None = None,
    key: DeviceKey | None = None,
) -> str:
    """Verifies as a resource server would; the token is bound to `key` unless told otherwise."""
    if expected_thumbprint is None and key is not None:
        expected_thumbprint = key.thumbprint()
    return await verifier.verify(
        proof,
        method=method,
        url=url,
        access_token=access_token,
        expected_thumbprint=expected_thumbprint,
    )


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
async def test_a_valid_proof_returns_its_keys_thumbprint(
    algorithm: str, dpop_verifier: DPoPVerifier
) -> None:
    key = DeviceKey.generate(algorithm)
    headers = dpop_headers(key, "post", URL, TOKEN)
    assert headers["Authorization"] == f"DPoP {TOKEN}"
    thumbprint = await verify(dpop_verifier, headers["DPoP"], key=key)
    assert thumbprint == key.thumbprint() == jwk_thumbprint(key.public_jwk())


async def test_the_token_endpoint_learns_which_key_to_bind(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    """No access token yet: the proof alone names the key the new token will be bound to."""
    proof = device.proof("POST", "https://api.halopos.test/v1/auth/token")
    assert "ath" not in jwt.decode(proof, options={"verify_signature": False})
    thumbprint = await dpop_verifier.verify(
        proof,
        method="POST",
        url="https://api.halopos.test/v1/auth/token",
        access_token=None,
        expected_thumbprint=None,
    )
    assert thumbprint == device.thumbprint()


async def test_header_problems_are_refused(dpop_verifier: DPoPVerifier, device: DeviceKey) -> None:
    other_ec, ed = DeviceKey.generate(), DeviceKey.generate("EdDSA")
    jwk = device.public_jwk()
    assert isinstance(device.private_key, ec.EllipticCurvePrivateKey)
    private_value = device.private_key.private_numbers().private_value
    public_pem = device.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelt_x = jwk["x"][:-1] + alphabet[alphabet.index(jwk["x"][-1]) ^ 1]
    refused = [
        ("proof type 'JWT'", forge(device, header={"typ": "JWT"})),
        ("proof type 'at\\+jwt'", forge(device, header={"typ": "at+jwt"})),
        (
            "algorithm 'none'",
            jwt.encode(
                proof_claims(), "", algorithm="none", headers={"typ": "dpop+jwt", "jwk": jwk}
            ),
        ),
        # The classic confusion: HMAC keyed with material the attacker knows (the public key).
        (
            "algorithm 'HS256'",
            hmac_forgery(public_pem, {"alg": "HS256", "typ": "dpop+jwt", "jwk": jwk}),
        ),
        ("algorithm 'RS256'", hmac_forgery(b"", {"alg": "RS256", "typ": "dpop+jwt", "jwk": jwk})),
        ("algorithm \\['ES256'\\]", hmac_forgery(b"", {"alg": ["ES256"], "typ": "dpop+jwt"})),
        ("no jwk", forge(device, header={"jwk": None})),
        ("no jwk", forge(device, header={"jwk": device.thumbprint()})),
        (
            "private key members",
            forge(device, header={"jwk": jwk | {"d": _b64(private_value.to_bytes(32, "big"))}}),
        ),
        (
            "jwk type 'OKP' does not match algorithm ES256",
            forge(device, header={"jwk": ed.public_jwk()}),
        ),
        ("jwk type 'EC' does not match algorithm EdDSA", forge(ed, header={"jwk": jwk})),
        ("signature does not verify", forge(device, signer=other_ec)),
        ("'x' is not base64url", forge(device, header={"jwk": jwk | {"x": jwk["x"][:-2]}})),
        ("'y' is not base64url", forge(device, header={"jwk": jwk | {"y": jwk["y"] + "="}})),
        # The same key spelt another way (unused low bits set) would get another thumbprint.
        ("'x' is not a canonical", forge(device, header={"jwk": jwk | {"x": respelt_x}})),
        ("'x' is not a canonical", forge(device, header={"jwk": jwk | {"x": _b64(bytes(31))}})),
        ("not a valid public key", forge(device, header={"jwk": jwk | {"y": _b64(bytes(32))}})),
    ]
    for reason, proof in refused:
        with pytest.raises(InvalidProof, match=reason):
            await verify(dpop_verifier, proof, key=device)


@pytest.mark.parametrize(
    ("proof", "reason"),
    [
        ("not-a-jwt", "single compact JWS"),
        ("a.b.c.d.e", "single compact JWS"),  # a JWE
        ("e30..", "single compact JWS"),  # detached payload
        ("e30.e30.", "proof type None"),
        ("e30.e30.AAAA", "proof type None"),
        ("x" * 9000, "larger than 8192 bytes"),
    ],
)
async def test_malformed_proofs_are_refused(
    proof: str, reason: str, dpop_verifier: DPoPVerifier
) -> None:
    with pytest.raises(InvalidProof, match=reason):
        await verify(dpop_verifier, proof)


async def test_two_dpop_headers_joined_by_a_proxy_are_refused(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    joined = f"{device.proof('POST', URL, TOKEN)}, {device.proof('POST', URL, TOKEN)}"
    with pytest.raises(InvalidProof, match="single compact JWS"):
        await verify(dpop_verifier, joined, key=device)


async def test_an_oversized_proof_is_refused_before_parsing(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    with pytest.raises(InvalidProof, match="larger than"):
        await verify(dpop_verifier, forge(device, padding="x" * 8192), key=device)


async def test_a_proof_names_its_request(dpop_verifier: DPoPVerifier, device: DeviceKey) -> None:
    refused = {
        "htm 'GET' does not match": (forge(device, htm="GET"), URL),
        "htm 'post' does not match": (forge(device, htm="post"), URL),
        "htu .* does not match": (forge(device, htu="https://evil.test/v1/orders"), URL),
        "htu .*/v1/refunds' does not match": (
            forge(device, htu="https://api.halopos.test/v1/refunds"),
            URL,
        ),
        "htu is missing": (forge(device, htu=None), URL),
        "htu cannot be compared": (forge(device, htu="/v1/orders"), URL),
    }
    for reason, (proof, url) in refused.items():
        with pytest.raises(InvalidProof, match=reason):
            await verify(dpop_verifier, proof, url=url, key=device)


async def test_htu_ignores_query_fragment_case_and_default_port(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    proof = forge(device, htu="HTTPS://API.halopos.test:443/v1/orders?page=2#top")
    assert await verify(dpop_verifier, proof, url=f"{URL}?page=3", key=device)


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://Api.Example.COM:443/v1/Orders?x=1#f", "https://api.example.com/v1/Orders"),
        ("http://example.com:80", "http://example.com/"),
        ("https://example.com:8443/a/../b", "https://example.com:8443/a/../b"),
        ("https://[::1]:443/a", "https://[::1]/a"),
        ("https://example.com:/a", "https://example.com/a"),
    ],
)
def test_htu_normalisation(url: str, normalised: str) -> None:
    assert normalise_htu(url) == normalised


@pytest.mark.parametrize(
    "url", ["/v1/orders", "ftp://example.com/", "https://user@example.com/", "https://h:99999/"]
)
def test_htu_must_be_an_absolute_http_url(url: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case raises for its own reason
        normalise_htu(url)


async def test_iat_bounds_the_proofs_life(dpop_verifier: DPoPVerifier, device: DeviceKey) -> None:
    now = int(time.time())
    refused = [
        ("too old", forge(device, iat=now - 120)),
        ("in the future", forge(device, iat=now + 60)),
        ("in the future", raw_proof(device, iat="1e999")),
        ("not JSON: NaN", forge(device, iat=float("nan"))),
        ("iat is missing", forge(device, iat=None)),
        ("not a number", forge(device, iat=str(now))),
        ("not a number", forge(device, iat=True)),
        ("jti must be", forge(device, jti=None)),
        ("jti must be", forge(device, jti="")),
        ("jti must be", forge(device, jti="x" * 129)),
    ]
    for reason, proof in refused:
        with pytest.raises(InvalidProof, match=reason):
            await verify(dpop_verifier, proof, key=device)
    # Within the window, allowing for clock skew either way.
    assert await verify(dpop_verifier, forge(device, iat=now - 62), key=device)
    assert await verify(dpop_verifier, forge(device, iat=now + 3), key=device)


async def test_ath_ties_the_proof_to_the_access_token(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    with pytest.raises(InvalidProof, match="ath is missing"):
        await verify(dpop_verifier, forge(device, ath=None), key=device)
    other_token = access_token_hash("another-access-token")
    with pytest.raises(InvalidProof, match="ath does not match"):
        await verify(dpop_verifier, forge(device, ath=other_token), key=device)


def test_ath_is_the_rfc_9449_example() -> None:
    """RFC 9449 section 7.1, the example access token and its `ath`."""
    token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
    assert access_token_hash(token) == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"


async def test_a_stolen_access_token_is_useless_with_another_key(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    """The thief signs a perfect proof for the token, but with their own key."""
    thief = DeviceKey.generate()
    with pytest.raises(InvalidProof, match=r"does not match the key the token is bound to"):
        await verify(
            dpop_verifier,
            dpop_headers(thief, "POST", URL, TOKEN)["DPoP"],
            expected_thumbprint=device.thumbprint(),
        )


async def test_a_proof_with_an_unbound_access_token_is_refused(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    with pytest.raises(InvalidProof, match="not bound to a key"):
        await verify(dpop_verifier, device.proof("POST", URL, TOKEN), expected_thumbprint=None)


async def test_a_proof_is_single_use(dpop_verifier: DPoPVerifier, device: DeviceKey) -> None:
    proof = device.proof("POST", URL, TOKEN)
    assert await verify(dpop_verifier, proof, key=device)
    with pytest.raises(InvalidProof, match="already been used"):
        await verify(dpop_verifier, proof, key=device)


async def test_a_refused_proof_does_not_use_up_its_jti(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    """Otherwise anyone who sees a proof in flight could burn it by replaying it wrongly."""
    proof = device.proof("POST", URL, TOKEN)
    with pytest.raises(InvalidProof, match="htm"):
        await verify(dpop_verifier, proof, method="DELETE", key=device)
    with pytest.raises(InvalidProof, match="bound to"):
        await verify(dpop_verifier, proof, expected_thumbprint=DeviceKey.generate().thumbprint())
    assert await verify(dpop_verifier, proof, key=device) == device.thumbprint()


async def test_only_the_configured_algorithms_are_accepted() -> None:
    es256_only = DPoPVerifier(replay_cache=InMemoryReplayCache(), algorithms=("ES256",))
    key = DeviceKey.generate("EdDSA")
    with pytest.raises(InvalidProof, match="algorithm 'EdDSA' is not accepted"):
        await verify(es256_only, key.proof("POST", URL, TOKEN), key=key)
    with pytest.raises(ValueError, match="HS256"):
        DPoPVerifier(replay_cache=InMemoryReplayCache(), algorithms=("ES256", "HS256"))


async def test_the_replay_cache_forgets_expired_entries_and_stays_bounded() -> None:
    now = [1000.0]
    cache = InMemoryReplayCache(max_entries=2, clock=lambda: now[0])
    assert await cache.first_use("a", "key-1", expires_at=1060)
    assert not await cache.first_use("a", "key-1", expires_at=1060)
    assert await cache.first_use("a", "key-2", expires_at=1090)  # jti is scoped by key
    assert not await cache.first_use("b", "key-1", expires_at=1060)  # full: fails closed
    now[0] = 1061
    assert await cache.first_use("b", "key-1", expires_at=1121)
    assert len(cache) == 2


def test_thumbprints_agree_with_the_identity_services() -> None:
    published = signing.SigningKey.generate().public_jwk()
    assert jwk_thumbprint(published) == signing.jwk_thumbprint(published) == published["kid"]
    device = DeviceKey.generate()
    assert jwk_thumbprint(device.public_jwk()) == signing.jwk_thumbprint(device.public_jwk())


def test_ed25519_thumbprint_is_the_rfc_8037_example() -> None:
    """RFC 8037 appendix A.3."""
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert jwk_thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_thumbprints_refuse_other_key_types_and_private_keys(device: DeviceKey) -> None:
    rsa = {"kty": "RSA", "e": "AQAB", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78"}
    with pytest.raises(ValueError, match="unsupported key type 'RSA'"):
        jwk_thumbprint(rsa)
    with pytest.raises(ValueError, match="unsupported key type 'EC' \\(curve 'P-384'\\)"):
        jwk_thumbprint(device.public_jwk() | {"crv": "P-384"})
    with pytest.raises(ValueError, match="private members"):
        jwk_thumbprint(device.public_jwk() | {"d": "secret"})


def test_device_keys_round_trip_through_pem(tmp_path: Path) -> None:
    for algorithm in ("ES256", "EdDSA"):
        key = DeviceKey.generate(algorithm)
        path = tmp_path / f"{algorithm}.pem"
        key.save(path, password=b"correct horse")
        assert (path.stat().st_mode & 0o777) == 0o600
        loaded = DeviceKey.load(path, password=b"correct horse")
        assert loaded.thumbprint() == key.thumbprint()
        assert loaded.algorithm == algorithm
        assert set(loaded.public_jwk()) <= {"kty", "crv", "x", "y"}
        with pytest.raises(FileExistsError):
            key.save(path)


async def test_the_shared_ledger_spends_a_jti_once_per_namespace_key_and_tenant(
    service_databases: dict[str, TenantDatabase], provision: Provision
) -> None:
    """The Postgres ledger every instance of every service shares (auth.spent_tokens)."""
    ledger = SpentTokens(service_databases["orders"])
    tenant_a, tenant_b = await provision(), await provision()
    alice = Principal(subject="staff-1", tenant_id=tenant_a, role=Role.CASHIER)
    expires_at = time.time() + 65
    jti = secrets.token_urlsafe(16)

    async def spend(principal: Principal, namespace: str, scope: str) -> bool:
        return await ledger.spend(
            principal, namespace=namespace, scope=scope, jti=jti, expires_at=expires_at
        )

    assert await spend(alice, DPOP, "key-1")
    assert not await spend(alice, DPOP, "key-1"), "a replay is refused"
    # Another kind of single-use token with the same id is another row.
    assert await spend(alice, "override", "key-1")
    assert not await spend(alice, "override", "key-1")
    # Scoped by key: nobody burns another device's jti without its key.
    assert await spend(alice, DPOP, "key-2")
    # Another business's rows are invisible under row-level security, so no collision either.
    bob = Principal(subject="staff-1", tenant_id=tenant_b, role=Role.CASHIER)
    assert await spend(bob, DPOP, "key-1")


async def test_the_ledger_purges_a_keys_expired_rows(
    service_databases: dict[str, TenantDatabase], provision: Provision, connect_as: Connect
) -> None:
    ledger = SpentTokens(service_databases["orders"])
    tenant = await provision()
    principal = Principal(subject="till-1", tenant_id=tenant, role=Role.CASHIER)
    spend = partial(ledger.spend, principal, namespace=DPOP, scope="key-1")
    assert await spend(jti="old", expires_at=time.time() - 1)
    assert await spend(jti="new", expires_at=time.time() + 65)
    reader = await connect_as("orders")
    async with as_tenant(reader, tenant):
        left = await reader.fetch("SELECT jti FROM auth.spent_tokens")
    assert [row["jti"] for row in left] == ["new"]


async def test_a_refused_proof_names_the_check_it_failed_and_nothing_of_its_content(
    dpop_verifier: DPoPVerifier, device: DeviceKey
) -> None:
    """The client is told which check failed (so a wrong clock is not debugged as a wrong URL);
    the check is one of a fixed set of names, never a value taken from the proof."""
    now = int(time.time())
    thief = DeviceKey.generate()
    proof = device.proof("POST", URL, TOKEN)
    assert await verify(dpop_verifier, proof, key=device)
    refused = {
        "too-large": ("x" * 10_000, {"key": device}),
        "malformed": ("not-a-jws", {"key": device}),
        "htm-mismatch": (forge(device, htm="GET"), {"key": device}),
        "htu-mismatch": (forge(device, htu="https://evil.test/v1/orders"), {"key": device}),
        "iat-out-of-window": (forge(device, iat=now - 120), {"key": device}),
        "jti": (forge(device, jti=""), {"key": device}),
        "ath-mismatch": (forge(device, ath=None), {"key": device}),
        "key-mismatch": (
            dpop_headers(thief, "POST", URL, TOKEN)["DPoP"],
            {"expected_thumbprint": device.thumbprint()},
        ),
        "replayed": (proof, {"key": device}),
    }
    for check, (sent, arguments) in refused.items():
        with pytest.raises(InvalidProof) as refusal:
            await verify(dpop_verifier, sent, **arguments)
        assert refusal.value.check == check, refusal.value
        assert refusal.value.check in CHECKS
