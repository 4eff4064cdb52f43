"""Request ids, and which forwarding headers a process may believe.

Every request gets a request id of ours, kept in a context variable that logs and audit rows
read (libs/request_ids.py). The client's own `X-Request-Id`, if it is short and plain, is kept
apart as the client request id (logs, `X-Client-Request-Id` on the answer): a client cannot
choose what our logs and audit rows call its request.

Forwarding headers (`X-Forwarded-For`, `X-Request-Id`, `X-Client-Request-Id`, `X-Halopos-*`)
say what the gateway saw. A service believes them only when the request carries the gateway's
shared secret (`X-Halopos-Gateway`, HALOPOS_GATEWAY_SECRET, compared in constant time);
otherwise it is a direct call, and they are removed before anything reads them: the address is
the peer's and the request id is freshly generated. The secret header itself is removed too,
so no handler or log line ever holds it.

A pure ASGI middleware (not BaseHTTPMiddleware) so the context variables are visible to the
endpoint and to everything it awaits.
"""

from __future__ import annotations

import hmac
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.api.card_guard import contains_card_number
from libs.config import platform_settings
from libs.request_ids import client_request_id_var, request_id_var

REQUEST_ID_HEADER = "x-request-id"
CLIENT_REQUEST_ID_HEADER = "x-client-request-id"
# Carries the gateway's shared secret (HALOPOS_GATEWAY_SECRET) to the services.
GATEWAY_HEADER = "x-halopos-gateway"
# What only the gateway may tell a service: a client's copies are stripped at the gateway,
# and a service ignores them unless the gateway's secret proves the gateway sent them.
FORWARDING_HEADER_PREFIXES = (
    "x-halopos-",
    "x-forwarded-",
    "x-real-ip",
    "forwarded",
    CLIENT_REQUEST_ID_HEADER,
)
# The scope key saying the gateway's secret came with the request (`from_gateway`).
FROM_GATEWAY = "halopos.from_gateway"

# Accept a client's or the gateway's id only when it is short and plain; never echo arbitrary
# client bytes.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def acceptable_id(value: str | None) -> str | None:
    """The id if it is short and plain, and not a card number: a client's id is logged and
    echoed before the card guard has refused anything."""
    if value is None or not _ACCEPTABLE_ID.match(value) or contains_card_number(value):
        return None
    return value


def from_gateway(scope: Scope) -> bool:
    """Whether this request proved it came from the gateway (its forwarding headers hold)."""
    return scope.get(FROM_GATEWAY) is True


async def until_disconnected(receive: Receive) -> None:
    """Returns when the client has gone. For a request whose body has been read or that has
    none (a long-poll): ASGI servers hold `receive()` after the body until the client
    disconnects or the answer is complete."""
    while (await receive())["type"] != "http.disconnect":
        pass


def carries_gateway_secret(headers: list[tuple[bytes, bytes]], secret: str) -> bool:
    presented = [value for name, value in headers if name == GATEWAY_HEADER.encode()]
    return (
        bool(secret)
        and len(presented) == 1
        and hmac.compare_digest(presented[0], secret.encode("latin-1"))
    )


def _single(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    values = [value for key, value in headers if key == name.encode()]
    return values[0].decode("latin-1") if len(values) == 1 else None


class RequestIdMiddleware:
    """`edge`: the gateway, where every request comes from a client: the request id is always
    fresh. Otherwise a service: it believes the forwarding headers of a request that carries
    the gateway's secret (`gateway_secret`, by default HALOPOS_GATEWAY_SECRET, read per
    request) and strips them from any other."""

    def __init__(self, app: ASGIApp, *, edge: bool = False, gateway_secret: str | None = None):
        self.app = app
        self.edge = edge
        self.gateway_secret = gateway_secret

    def _secret(self) -> str:
        if self.gateway_secret is not None:
            return self.gateway_secret
        return platform_settings().gateway_secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope["headers"])
        trusted = not self.edge and carries_gateway_secret(headers, self._secret())
        if trusted:
            request_id = acceptable_id(_single(headers, REQUEST_ID_HEADER)) or new_request_id()
            client_request_id = acceptable_id(_single(headers, CLIENT_REQUEST_ID_HEADER))
            secret_header = GATEWAY_HEADER.encode()
            kept = [(name, value) for name, value in headers if name != secret_header]
        else:
            # The caller is the client: its id is its own, never ours.
            request_id = new_request_id()
            client_request_id = acceptable_id(_single(headers, REQUEST_ID_HEADER))
            kept = headers
            if not self.edge:
                kept = [
                    (name, value)
                    for name, value in headers
                    if not name.decode("latin-1").startswith(FORWARDING_HEADER_PREFIXES)
                ]
        scope["headers"] = kept
        scope[FROM_GATEWAY] = trusted
        token = request_id_var.set(request_id)
        client_token = client_request_id_var.set(client_request_id)
        ours = {REQUEST_ID_HEADER.encode(), CLIENT_REQUEST_ID_HEADER.encode()}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in ours
                ]
                answered.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                if client_request_id is not None:
                    answered.append((CLIENT_REQUEST_ID_HEADER.encode(), client_request_id.encode()))
                message["headers"] = answered
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            client_request_id_var.reset(client_token)
            request_id_var.reset(token)
