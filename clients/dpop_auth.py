"""DPoP (RFC 9449) for the generated Python client, or any httpx client: one `httpx.Auth`
that carries a device's session from sign-in to the last request (docs/integrating.md).

    from clients.dpop import DeviceKey
    from clients.dpop_auth import SessionAuth
    from clients.halopos_client import AuthenticatedClient
    from clients.halopos_client.api.sign_in import sign_in_sign_in_with_pin
    from clients.halopos_client.models import PinSignIn

    auth = SessionAuth(DeviceKey.load("/var/lib/pos/device-key.pem"))
    api = AuthenticatedClient(base_url=url, token="", httpx_args={"auth": auth})
    signed_in = await sign_in_sign_in_with_pin.asyncio(client=api, body=PinSignIn(...))
    auth.use_tokens(signed_in)        # from now on every call is sent with the access token

Every request gets a fresh proof for its method and exact URL (`htm`, `htu`, `iat`, `jti`,
and `ath` once there is an access token), sent with `Authorization: DPoP <token>`; whatever
Authorization header the client set itself (the generated `AuthenticatedClient` sets
`Bearer <token>`) is replaced. A minute before the access token expires, the next request
first exchanges the refresh token (`POST /v1/auth/token`, signed by the same key) and goes
on with the new tokens; a refused refresh raises `SessionEnded`: sign in again. If a server
asks for a nonce (`DPoP-Nonce` with `error="use_dpop_nonce"`, RFC 9449 section 8), the
request is signed again with it, once; halopos does not ask today.

Needs httpx, PyJWT and cryptography, and clients/dpop.py and clients/session.py beside it.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Protocol

import httpx

from clients.dpop import DeviceKey
from clients.session import signed_url

REFRESH_PATH = "/v1/auth/token"
# Refresh this long before the access token expires, so a request is never sent with a
# token that expires on its way (and a clock a little behind the server's does no harm).
REFRESH_MARGIN_SECONDS = 60.0


class Tokens(Protocol):
    """What a sign-in or a refresh answers (`TokenResponse`, generated or parsed)."""

    @property
    def access_token(self) -> str: ...
    @property
    def refresh_token(self) -> str: ...
    @property
    def expires_in(self) -> int: ...


class SessionEnded(Exception):
    """The server refused to refresh the session (revoked, expired, or the staff member or
    device no longer allowed): sign in again."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"refresh refused: {response.status_code} {response.text}")
        self.response = response


def _asks_for_nonce(response: httpx.Response) -> bool:
    challenge = response.headers.get("WWW-Authenticate", "")
    in_body = False
    if response.status_code == 400:
        try:
            in_body = response.json().get("error") == "use_dpop_nonce"
        except ValueError:
            in_body = False
    return "DPoP-Nonce" in response.headers and ('error="use_dpop_nonce"' in challenge or in_body)


class SessionAuth(httpx.Auth):
    """Signs each request with a fresh DPoP proof of `key`; with tokens, sends the access
    token and refreshes it before it expires. Behind a proxy that rewrites the host, pass
    `public_url` so proofs name the URL the API knows itself by."""

    requires_response_body = True  # the refresh's answer is read inside the flow

    def __init__(
        self,
        key: DeviceKey,
        access_token: str | None = None,
        *,
        refresh_token: str | None = None,
        expires_at: float | None = None,
        public_url: str | None = None,
    ) -> None:
        self.key = key
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.expires_at = expires_at
        self.public_url = public_url
        self.nonce: str | None = None
        self._refreshing = False

    def use_tokens(self, tokens: Tokens) -> None:
        """Sends `tokens`' access token from the next request on, and refreshes with its
        refresh token: call it with what a sign-in answered."""
        self.access_token = tokens.access_token
        self.refresh_token = tokens.refresh_token
        self.expires_at = time.time() + tokens.expires_in

    def sign(self, request: httpx.Request) -> httpx.Request:
        """Puts a fresh proof (and the access token, if any) on `request`."""
        if self.access_token is not None:
            request.headers["Authorization"] = f"DPoP {self.access_token}"
        else:
            request.headers.pop("Authorization", None)
        request.headers["DPoP"] = self.key.proof(
            request.method,
            signed_url(request, self.public_url),
            access_token=self.access_token,
            nonce=self.nonce,
        )
        return request

    def _due_for_refresh(self, request: httpx.Request) -> bool:
        return (
            self.refresh_token is not None
            and self.expires_at is not None
            and time.time() >= self.expires_at - REFRESH_MARGIN_SECONDS
            and not self._refreshing  # another request is refreshing: the token still holds
            and request.url.path != REFRESH_PATH
        )

    def _refresh_request(self, request: httpx.Request) -> httpx.Request:
        refresh = httpx.Request(
            "POST",
            request.url.copy_with(path=REFRESH_PATH, query=None, fragment=None),
            json={"grant_type": "refresh_token", "refresh_token": self.refresh_token},
        )
        # The refresh is signed by the session's key, without the expiring access token.
        refresh.headers["DPoP"] = self.key.proof(
            "POST", signed_url(refresh, self.public_url), nonce=self.nonce
        )
        return refresh

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._due_for_refresh(request):
            self._refreshing = True
            try:
                refreshed = yield self._refresh_request(request)
            finally:
                self._refreshing = False
            if refreshed.status_code != 200:
                raise SessionEnded(refreshed)
            body = refreshed.json()
            self.access_token = body["access_token"]
            self.refresh_token = body["refresh_token"]
            self.expires_at = time.time() + int(body["expires_in"])
        response = yield self.sign(request)
        if _asks_for_nonce(response) and response.headers["DPoP-Nonce"] != self.nonce:
            self.nonce = response.headers["DPoP-Nonce"]
            yield self.sign(request)
        elif "DPoP-Nonce" in response.headers:
            # A nonce offered without being asked for: the next proofs carry it.
            self.nonce = response.headers["DPoP-Nonce"]


__all__ = ["REFRESH_PATH", "SessionAuth", "SessionEnded", "Tokens"]
