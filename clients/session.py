"""A POS device's side of halopos sessions over httpx: activation, PIN sign-in, token refresh,
and DPoP-signed API calls. Used by the tests and the demo; integrators can read it as the
reference for the protocol (docs/sessions.md).

    key = DeviceKey.generate()
    device = await activate(client, code=code, key=key, name="Till 1")
    session = await pin_sign_in(client, device=device, key=key, staff_id=staff_id, pin="4821")
    await client.post("/v1/orders", json=order, auth=session.auth)
    session = await refresh(client, session)      # before session.expires_at

Every request is signed for the URL the client addresses. Behind a proxy that rewrites the
host, pass `public_url` so proofs name the public URL instead.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx

from clients.dpop import DeviceKey


def signed_url(request: httpx.Request, public_url: str | None = None) -> str:
    """The URL a proof names for `request` (`htu`): the URL addressed, or `public_url` plus
    the path, without the query string or fragment (RFC 9449 section 4.2)."""
    if public_url is None:
        return str(request.url.copy_with(query=None, fragment=None))
    return public_url.rstrip("/") + request.url.raw_path.decode("ascii").split("?", 1)[0]


class DPoPAuth(httpx.Auth):
    """Signs each request with a fresh DPoP proof; with an access token, sends it too."""

    def __init__(
        self, key: DeviceKey, access_token: str | None = None, *, public_url: str | None = None
    ) -> None:
        self.key = key
        self.access_token = access_token
        self.public_url = public_url

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        url = signed_url(request, self.public_url)
        if self.access_token is not None:
            request.headers["Authorization"] = f"DPoP {self.access_token}"
        request.headers["DPoP"] = self.key.proof(
            request.method, url, access_token=self.access_token
        )
        yield request


@dataclass(frozen=True)
class Device:
    """What activation returns: the device's handle names its business and itself."""

    device: str
    device_id: str
    location_id: str


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_at: float
    key: DeviceKey
    public_url: str | None = None

    @property
    def auth(self) -> DPoPAuth:
        return DPoPAuth(self.key, self.access_token, public_url=self.public_url)


def _session(body: dict[str, Any], key: DeviceKey, public_url: str | None) -> Session:
    return Session(
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        expires_at=time.time() + int(body["expires_in"]),
        key=key,
        public_url=public_url,
    )


async def activate(
    client: httpx.AsyncClient,
    *,
    code: str,
    key: DeviceKey,
    name: str | None = None,
    public_url: str | None = None,
) -> Device:
    """Registers this device's public key with an activation code from a manager."""
    body: dict[str, Any] = {"code": code, "public_jwk": key.public_jwk()}
    if name:
        body["name"] = name
    response = await client.post(
        "/v1/devices/activate", json=body, auth=DPoPAuth(key, public_url=public_url)
    )
    response.raise_for_status()
    answer = response.json()
    return Device(answer["device"], answer["device_id"], answer["location_id"])


async def pin_sign_in(
    client: httpx.AsyncClient,
    *,
    device: Device,
    key: DeviceKey,
    staff_id: str,
    pin: str,
    public_url: str | None = None,
) -> Session:
    response = await client.post(
        "/v1/auth/pin",
        json={"device": device.device, "staff_id": staff_id, "pin": pin},
        auth=DPoPAuth(key, public_url=public_url),
    )
    response.raise_for_status()
    return _session(response.json(), key, public_url)


async def refresh(client: httpx.AsyncClient, session: Session) -> Session:
    """Exchanges the refresh token for new tokens; the old refresh token is spent. If the
    answer is lost, retrying with the same refresh token within a minute is safe."""
    response = await client.post(
        "/v1/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": session.refresh_token},
        auth=DPoPAuth(session.key, public_url=session.public_url),
    )
    response.raise_for_status()
    return _session(response.json(), session.key, session.public_url)


__all__ = ["DPoPAuth", "Device", "Session", "activate", "pin_sign_in", "refresh", "signed_url"]
