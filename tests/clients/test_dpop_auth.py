"""clients/dpop_auth.py on its own, against a stand-in server that records what it was sent
(the real server checks the same proofs in tests/clients/test_sale_with_generated_client.py):
a fresh proof per request for its exact URL, the token's hash once there is one, the refresh
before expiry, and a server's nonce."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

import httpx
import jwt
import pytest

from clients.dpop import DeviceKey
from clients.dpop_auth import REFRESH_PATH, SessionAuth, SessionEnded


class Tokens:
    def __init__(self, access_token: str, refresh_token: str, expires_in: int) -> None:
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.expires_in = expires_in


def claims(request: httpx.Request) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(
        request.headers["DPoP"], options={"verify_signature": False}
    )
    return decoded


def ath(token: str) -> str:
    digest = hashlib.sha256(token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def stand_in(sent: list[httpx.Request], answer: Any = None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if answer is not None:
            response: httpx.Response = answer(request)
            return response
        return httpx.Response(200, json={})

    return httpx.MockTransport(handle)


def test_every_request_gets_a_fresh_proof_for_its_method_and_url() -> None:
    sent: list[httpx.Request] = []
    auth = SessionAuth(DeviceKey.generate())
    with httpx.Client(transport=stand_in(sent), base_url="https://pos.example", auth=auth) as api:
        api.post("/v1/devices/activate", json={})
        auth.use_tokens(Tokens("token-1", "hpr_1", 600))
        api.get("/v1/orders", params={"status": "open"}, headers={"Authorization": "Bearer x"})

    first, second = (claims(request) for request in sent)
    assert (first["htm"], first["htu"]) == ("POST", "https://pos.example/v1/devices/activate")
    assert "Authorization" not in sent[0].headers and "ath" not in first
    # The query string is not signed; the generated client's Bearer header is replaced.
    assert (second["htm"], second["htu"]) == ("GET", "https://pos.example/v1/orders")
    assert sent[1].headers["Authorization"] == "DPoP token-1"
    assert second["ath"] == ath("token-1")
    assert first["jti"] != second["jti"]
    assert abs(second["iat"] - time.time()) < 5
    assert jwt.get_unverified_header(sent[1].headers["DPoP"])["typ"] == "dpop+jwt"


def test_proofs_name_the_public_url_behind_a_proxy() -> None:
    sent: list[httpx.Request] = []
    auth = SessionAuth(DeviceKey.generate(), public_url="https://api.halopos.example")
    with httpx.Client(transport=stand_in(sent), base_url="http://10.0.0.5:8000", auth=auth) as api:
        api.get("/v1/menu")
    assert claims(sent[0])["htu"] == "https://api.halopos.example/v1/menu"


def test_a_token_about_to_expire_is_refreshed_first() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == REFRESH_PATH:
            body = {"access_token": "token-2", "refresh_token": "hpr_2", "expires_in": 600}
            return httpx.Response(200, json=body)
        return httpx.Response(200, json={})

    key = DeviceKey.generate()
    auth = SessionAuth(key)
    auth.use_tokens(Tokens("token-1", "hpr_1", 30))  # inside the refresh margin
    with httpx.Client(transport=stand_in(sent, answer), base_url="https://pos.example") as api:
        api.get("/v1/menu", auth=auth)
        api.get("/v1/menu", auth=auth)

    refresh, first, second = sent
    assert refresh.url.path == REFRESH_PATH
    assert json.loads(refresh.content) == {"grant_type": "refresh_token", "refresh_token": "hpr_1"}
    assert "Authorization" not in refresh.headers and "ath" not in claims(refresh)
    assert claims(refresh)["htu"] == f"https://pos.example{REFRESH_PATH}"
    assert first.headers["Authorization"] == second.headers["Authorization"] == "DPoP token-2"
    assert (auth.access_token, auth.refresh_token) == ("token-2", "hpr_2")


def test_a_refused_refresh_ends_the_session() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"code": "invalid-refresh-token"})

    auth = SessionAuth(DeviceKey.generate())
    auth.use_tokens(Tokens("token-1", "hpr_1", 0))
    with (
        httpx.Client(transport=stand_in([], answer), base_url="https://pos.example") as api,
        pytest.raises(SessionEnded, match="invalid-refresh-token"),
    ):
        api.get("/v1/menu", auth=auth)


def test_a_server_nonce_is_signed_into_a_retry_and_the_next_proofs() -> None:
    proofs: list[dict[str, Any]] = []  # as sent: a retry re-signs the same request object

    def answer(request: httpx.Request) -> httpx.Response:
        proofs.append(claims(request))
        if proofs[-1].get("nonce") != "n-1":
            challenge = {"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n-1"}
            return httpx.Response(401, headers=challenge)
        return httpx.Response(201, json={})

    auth = SessionAuth(DeviceKey.generate(), "token-1")
    with httpx.Client(transport=stand_in([], answer), base_url="https://pos.example") as api:
        first = api.post("/v1/orders", json={"lines": []}, auth=auth)
        second = api.post("/v1/orders", json={"lines": []}, auth=auth)

    assert (first.status_code, second.status_code) == (201, 201)
    assert [proof.get("nonce") for proof in proofs] == [None, "n-1", "n-1"]
    assert len({proof["jti"] for proof in proofs}) == 3
