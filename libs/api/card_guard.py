"""No card data, ever: a request that carries something shaped like a full card number (13 to
19 digits, optionally grouped by spaces or dashes, passing the Luhn check) is refused before
any handler, log line or database sees it.

A pure ASGI middleware in every service: the gateway streams bodies upstream and so cannot
refuse one it has already begun to forward; the services read, store and log bodies, so the
check stands in front of all of that. Query strings are checked too.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.api.problems import problem_response

MAX_BODY_BYTES = 1024 * 1024
# 13-19 digits, each optionally preceded by one space or dash (how card numbers get typed),
# standing on their own. The first digit is the ISO/IEC 7812 major industry identifier: 2-6
# covers the networks a venue takes (Mastercard 2/5, Amex/JCB/Diners 3, Visa 4,
# Maestro/Discover/UnionPay 6), and leaves out e.g. epoch-millisecond timestamps, which start
# with 1 and would pass Luhn one time in ten.
#
# "On their own": not part of a longer run of digits, and not joined to a letter or digit,
# directly or through a dash. That is what makes identifiers immune: a run of digits inside
# a UUID (`41111111-1111-1111-a…`) or a hex string (`4111111111111111abcd…`, our credentials'
# tenant part) is always joined to its neighbours, and one in ten such runs would otherwise
# pass Luhn and make that id unusable everywhere. A card number glued to letters
# (`ref4111111111111111`) is the price; written any way a person writes one (alone, in
# quotes, after a colon or a space, grouped by spaces or dashes) it is caught.
_JOINED = r"[0-9A-Za-z]"
_CANDIDATE = re.compile(
    rf"(?<!{_JOINED})(?<!{_JOINED}-)(?<!\d )"
    r"[2-6](?:[ -]?\d){12,18}"
    rf"(?!{_JOINED})(?!-{_JOINED})(?! \d)"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def contains_card_number(text: str) -> bool:
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return True
    return False


class CardDataGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await problem_response(
                    status=413, code="payload-too-large", title="Request body too large"
                )(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))
        if contains_card_number(body.decode("utf-8", "replace")) or contains_card_number(query):
            # Say what was refused, never echo it.
            await problem_response(
                status=422,
                code="card-data-refused",
                title="Card numbers are never accepted",
                detail="The request contains what looks like a full card number; halopos "
                "never stores card data. Record only the scheme, last 4 digits and auth code.",
            )(scope, receive, send)
            return

        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
