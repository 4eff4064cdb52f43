"""DPoP proof verification (RFC 9449): proof that the caller holds the device key a token is
bound to, so a stolen access token is useless on its own.

A device signs a fresh proof (a `dpop+jwt` JWS carrying its public key in the `jwk` header)
for every request, naming the method, the URL and, at resource servers, the hash of the access
token. The access token's `cnf.jkt` names the key it is bound to. Pinned to ES256 and EdDSA
(Ed25519); the algorithm named in the header is checked against that list and against the
key's type before PyJWT sees it, so a proof never chooses its own verification algorithm.

Not implemented yet: server-provided nonces (RFC 9449 section 9).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import jwt
from jwt.api_jws import PyJWS

PROOF_TYPE = "dpop+jwt"
MAX_PROOF_BYTES = 8 * 1024
MAX_JTI_LENGTH = 128
# The key type each accepted algorithm requires: (kty, crv, members holding 32-byte values).
KEY_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "ES256": ("EC", "P-256", ("x", "y")),
    "EdDSA": ("OKP", "Ed25519", ("x",)),
}
# Private members of every JWK key type (RFC 7518 section 6, RFC 8037 section 2).
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Three base64url segments: no JSON serialisation, no JWE, no comma-joined repeated headers.
# An empty signature gets through here so that `alg: none` is logged as such below.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# Our own instance, so nothing registered on PyJWT's global object can widen what we accept.
_JWS = PyJWS()
# Why a spent proof is refused, as every layer logs it.
REPLAYED = "jti has already been used with this key"
REPLAYED_CHECK = "replayed"
# The checks a refused proof names in its problem (`check`), in the order RFC 9449 section
# 4.3 makes them: a client can tell a clock that is off (`iat-out-of-window`) from a URL it
# signed wrongly (`htu-mismatch`) or a proof it sent twice (`replayed`).
CHECKS = frozenset(
    {
        "missing",
        "too-large",
        "malformed",
        "typ",
        "alg",
        "jwk",
        "signature",
        "jti",
        "htm-mismatch",
        "htu-mismatch",
        "iat-out-of-window",
        "ath-mismatch",
        "key-mismatch",
        REPLAYED_CHECK,
    }
)

logger = logging.getLogger("halopos.auth")


class InvalidProof(Exception):
    """The DPoP proof is not acceptable. `check` names the check it failed, for the client
    (one of CHECKS: never a value from the proof or the request); the message says exactly
    why, for logs only."""

    def __init__(self, check: str, message: str) -> None:
        assert check in CHECKS, check
        super().__init__(message)
        self.check = check


@dataclass(frozen=True, slots=True)
class VerifiedProof:
    """A proof that passed every check but the replay check: what the replay check needs."""

    key_thumbprint: str
    jti: str
    # Unix seconds after which the proof is refused by its age anyway: it need not be
    # remembered longer.
    expires_at: float


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members, lexicographic order, no whitespace.

    Only the key types we accept (EC P-256, OKP Ed25519); a JWK carrying private members is
    refused, since anything thumbprinted is about to be published or compared.
    """
    if PRIVATE_MEMBERS & jwk.keys():
        raise ValueError("a JWK with private members must never leave its device")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if (kty, crv) == ("EC", "P-256"):
        names: tuple[str, ...] = ("crv", "kty", "x", "y")
    elif (kty, crv) == ("OKP", "Ed25519"):
        names = ("crv", "kty", "x")
    else:
        raise ValueError(f"unsupported key type {kty!r} (curve {crv!r})")
    required = {name: jwk.get(name) for name in names}
    if not all(isinstance(value, str) and value for value in required.values()):
        raise ValueError(f"JWK members {', '.join(names)} must be non-empty strings")
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def access_token_hash(access_token: str) -> str:
    """The `ath` claim: base64url SHA-256 of the ASCII access token (RFC 9449 section 4.2)."""
    return _b64url(hashlib.sha256(access_token.encode("ascii")).digest())


def normalise_htu(url: str) -> str:
    """The form in which `htu` and the request URL are compared (RFC 9449 section 4.3).

    Scheme and host lower-cased, a default or empty port dropped, an empty path made `/`
    (RFC 3986 section 6.2.3), query and fragment removed. The path is otherwise kept as is:
    decoding percent-escapes or dot segments could make a proof match a path the router
    reads differently. Raises ValueError for anything but an absolute http(s) URL.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if "@" in parts.netloc:
        raise ValueError(f"URL carries user information: {url!r}")
    host = parts.hostname
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    port = parts.port  # raises ValueError for a port out of range or not a number
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal: hostname drops the brackets
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path or '/'}"


class ReplayCache(Protocol):
    """Remembers (key thumbprint, jti) until `expires_at` (Unix seconds), after which the
    verifier refuses the proof by its age anyway.

    Shaped for one statement shared by all instances, with (key_thumbprint, jti) as the
    primary key: `INSERT ... VALUES (:key_thumbprint, :jti, to_timestamp(:expires_at))
    ON CONFLICT DO NOTHING RETURNING true` is first use exactly when it returns a row. Rows
    past `expires_at` may be purged lazily; one left behind only makes the check stricter.
    Scoping jti by key means nobody can burn another device's jti without its key.
    """

    async def first_use(self, jti: str, key_thumbprint: str, expires_at: float) -> bool:
        """True the first time (key_thumbprint, jti) is seen before it expires, else False."""
        ...


class InMemoryReplayCache:
    """One process's memory of the proofs it has seen. Check-and-set has no await in it, so
    it is atomic on one event loop. Bounded: expired entries are purged on every call, and
    when `max_entries` live entries remain it never forgets one to make room (that jti could
    then be replayed). Full, it refuses new proofs (fails closed), unless `admit_when_full`:
    for a layer with a durable ledger behind it (the gateway, whose services spend every
    proof in Postgres), which then passes the proof on without remembering it."""

    def __init__(
        self,
        *,
        max_entries: int = 100_000,
        admit_when_full: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._max_entries = max_entries
        self._admit_when_full = admit_when_full
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}
        self._expiries: list[tuple[float, tuple[str, str]]] = []  # a heap, soonest first
        self._full = False

    def __len__(self) -> int:
        return len(self._seen)

    async def first_use(self, jti: str, key_thumbprint: str, expires_at: float) -> bool:
        now = self._clock()
        while self._expiries and self._expiries[0][0] <= now:
            _, expired = heapq.heappop(self._expiries)
            del self._seen[expired]
        entry = (key_thumbprint, jti)
        if entry in self._seen:
            return False
        if len(self._seen) >= self._max_entries:
            if not self._full:
                logger.warning(
                    "replay cache full (%d proofs): %s new proofs until some expire",
                    len(self._seen),
                    "passing on" if self._admit_when_full else "refusing",
                )
            self._full = True
            return self._admit_when_full
        self._full = False
        self._seen[entry] = expires_at
        heapq.heappush(self._expiries, (expires_at, entry))
        return True


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")  # json.loads would otherwise accept NaN


class DPoPVerifier:
    def __init__(
        self,
        *,
        replay_cache: ReplayCache | None = None,
        max_age_seconds: float = 60,
        clock_skew_seconds: float = 5,
        algorithms: Sequence[str] = ("ES256", "EdDSA"),
        clock: Callable[[], float] = time.time,
    ) -> None:
        unsupported = set(algorithms) - KEY_TYPES.keys()
        if unsupported:
            raise ValueError(f"DPoP algorithms not supported: {sorted(unsupported)}")
        self._replay_cache = replay_cache
        self._max_age = max_age_seconds
        self._skew = clock_skew_seconds
        self._algorithms = frozenset(algorithms)
        self._clock = clock

    async def verify(
        self,
        proof: str,
        *,
        method: str,
        url: str,
        access_token: str | None,
        expected_thumbprint: str | None,
        replay_cache: ReplayCache | None = None,
    ) -> str:
        """Checks a proof (RFC 9449 section 4.3), spends its jti and returns its key's RFC
        7638 thumbprint.

        The checks are `check`'s. The jti is recorded only once every other check has
        passed, so a refused proof never uses up its jti. `replay_cache` overrides the
        verifier's own (a cache on the caller's open transaction, say); one of the two must
        be given.
        """
        if replay_cache is None:  # not `or`: an empty in-memory cache is falsy
            replay_cache = self._replay_cache
        if replay_cache is None:
            raise ValueError("a DPoP verifier needs a replay cache")
        verified = self.check(
            proof,
            method=method,
            url=url,
            access_token=access_token,
            expected_thumbprint=expected_thumbprint,
        )
        if not await replay_cache.first_use(
            verified.jti, verified.key_thumbprint, verified.expires_at
        ):
            raise InvalidProof(REPLAYED_CHECK, f"{REPLAYED}, or the cache is full")
        return verified.key_thumbprint

    def check(
        self,
        proof: str,
        *,
        method: str,
        url: str,
        access_token: str | None,
        expected_thumbprint: str | None,
    ) -> VerifiedProof:
        """Checks a proof (RFC 9449 section 4.3) except whether its jti was used before: the
        caller spends it (`verify` does, with a replay cache; a service spends it in its
        request's transaction, libs/api/authentication.py).

        `url` must be the URL as the client addressed it (the public scheme and host, not a
        Host header or an internal address). At a resource server pass the access token and
        its `cnf.jkt`: a token presented with a proof must be bound to that proof's key. At
        the token endpoint pass neither and bind the new token to the returned thumbprint.
        """
        if len(proof) > MAX_PROOF_BYTES:
            raise InvalidProof("too-large", f"proof is larger than {MAX_PROOF_BYTES} bytes")
        if not _COMPACT_JWS.fullmatch(proof):
            raise InvalidProof("malformed", "proof is not a single compact JWS")
        try:
            header = _JWS.get_unverified_header(proof)
        except jwt.PyJWTError as error:
            raise InvalidProof("malformed", f"malformed proof: {error}") from None
        if header.get("typ") != PROOF_TYPE:
            raise InvalidProof("typ", f"proof type {header.get('typ')!r} is not {PROOF_TYPE}")
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self._algorithms:
            raise InvalidProof("alg", f"algorithm {algorithm!r} is not accepted")
        key, thumbprint = self._public_key(header.get("jwk"), algorithm)
        try:
            payload = _JWS.decode(proof, key, algorithms=[algorithm])
        except jwt.InvalidSignatureError:
            raise InvalidProof(
                "signature", "signature does not verify with the proof's jwk"
            ) from None
        except jwt.PyJWTError as error:
            raise InvalidProof("malformed", f"malformed proof: {error}") from None
        claims = self._claims(payload)
        self._check_request(claims, method=method, url=url)
        issued_at = self._check_age(claims)
        self._check_binding(
            claims, thumbprint, access_token=access_token, expected_thumbprint=expected_thumbprint
        )
        return VerifiedProof(
            key_thumbprint=thumbprint,
            jti=claims["jti"],
            expires_at=issued_at + self._max_age + self._skew,
        )

    @staticmethod
    def _public_key(jwk: Any, algorithm: str) -> tuple[jwt.PyJWK, str]:
        if not isinstance(jwk, dict):
            raise InvalidProof("jwk", "proof has no jwk header")
        if PRIVATE_MEMBERS & jwk.keys():
            raise InvalidProof("jwk", "jwk contains private key members")
        kty, crv, members = KEY_TYPES[algorithm]
        if jwk.get("kty") != kty or jwk.get("crv") != crv:
            raise InvalidProof(
                "jwk", f"jwk type {jwk.get('kty')!r} does not match algorithm {algorithm}"
            )
        # One key, one spelling: without this, junk characters base64 decoding ignores would
        # give one key many thumbprints.
        for name in members:
            value = jwk.get(name)
            if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
                raise InvalidProof("jwk", f"jwk member {name!r} is not base64url")
            try:
                decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            except binascii.Error:
                raise InvalidProof("jwk", f"jwk member {name!r} is not base64url") from None
            if len(decoded) != 32 or _b64url(decoded) != value:
                raise InvalidProof("jwk", f"jwk member {name!r} is not a canonical 32-byte value")
        try:
            thumbprint = jwk_thumbprint(jwk)
            return jwt.PyJWK(jwk, algorithm=algorithm), thumbprint
        except (ValueError, jwt.PyJWTError) as error:
            raise InvalidProof("jwk", f"jwk is not a valid public key: {error}") from None

    @staticmethod
    def _claims(payload: bytes) -> dict[str, Any]:
        try:
            claims = json.loads(payload, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            raise InvalidProof("malformed", f"proof claims are not JSON: {error}") from None
        if not isinstance(claims, dict):
            raise InvalidProof("malformed", "proof claims are not a JSON object")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not 0 < len(jti) <= MAX_JTI_LENGTH:
            raise InvalidProof("jti", f"jti must be a string of 1 to {MAX_JTI_LENGTH} characters")
        return claims

    @staticmethod
    def _check_request(claims: dict[str, Any], *, method: str, url: str) -> None:
        htm = claims.get("htm")
        if htm != method:
            raise InvalidProof(
                "htm-mismatch", f"htm {htm!r} does not match the request method {method!r}"
            )
        htu = claims.get("htu")
        if not isinstance(htu, str):
            raise InvalidProof("htu-mismatch", "htu is missing")
        try:
            matches = normalise_htu(htu) == normalise_htu(url)
        except ValueError as error:
            raise InvalidProof("htu-mismatch", f"htu cannot be compared: {error}") from None
        if not matches:
            raise InvalidProof(
                "htu-mismatch", f"htu {htu!r} does not match the request URL {url!r}"
            )

    def _check_age(self, claims: dict[str, Any]) -> float:
        issued_at = claims.get("iat")
        if isinstance(issued_at, bool) or not isinstance(issued_at, int | float):
            raise InvalidProof("iat-out-of-window", "iat is missing or not a number")
        now = self._clock()
        # Written so that a NaN fails too (1e999 parses as infinity; NaN literals are refused).
        if not issued_at <= now + self._skew:
            raise InvalidProof("iat-out-of-window", "proof is issued in the future (iat)")
        if not issued_at >= now - self._max_age - self._skew:
            raise InvalidProof("iat-out-of-window", "proof is too old (iat)")
        return float(issued_at)

    @staticmethod
    def _check_binding(
        claims: dict[str, Any],
        thumbprint: str,
        *,
        access_token: str | None,
        expected_thumbprint: str | None,
    ) -> None:
        if access_token is not None:
            ath = claims.get("ath")
            if not isinstance(ath, str):
                raise InvalidProof(
                    "ath-mismatch", "ath is missing, but an access token was presented"
                )
            try:
                expected_ath = access_token_hash(access_token)
            except UnicodeEncodeError:
                raise InvalidProof("ath-mismatch", "the access token is not ASCII") from None
            if not hmac.compare_digest(ath.encode(), expected_ath.encode()):
                raise InvalidProof("ath-mismatch", "ath does not match the access token")
            if expected_thumbprint is None:
                # RFC 9449 section 7.1: the DPoP scheme is for bound tokens only; accepting an
                # unbound one here would let a caller forget the binding check unnoticed.
                raise InvalidProof(
                    "key-mismatch", "the access token is not bound to a key (no cnf.jkt)"
                )
        if expected_thumbprint is not None and not hmac.compare_digest(
            thumbprint.encode(), expected_thumbprint.encode()
        ):
            raise InvalidProof(
                "key-mismatch", "proof key does not match the key the token is bound to (cnf.jkt)"
            )


__all__ = [
    "DPoPVerifier",
    "InMemoryReplayCache",
    "InvalidProof",
    "ReplayCache",
    "VerifiedProof",
    "access_token_hash",
    "jwk_thumbprint",
    "normalise_htu",
]
