"""No card data, ever, and no text Postgres cannot store: a request that carries something
shaped like a full card number, a NUL character (U+0000) or a JSON body that is not UTF-8 is
refused with a 422 problem before any handler, log line or database sees it.

A pure ASGI middleware in every service: the gateway streams bodies upstream and so cannot
refuse one it has already begun to forward; the services read, store and log bodies, so the
check stands in front of all of that. `refusal_for` is the whole decision, a pure function.

What is read is what a handler reads, decoded as the handler decodes it:
- A JSON body (declared JSON, or with no content type: FastAPI parses both) as its values:
  every string, number and key at any depth, so a `\\u0031` escape is a `1`. One that is not
  UTF-8, or whose escapes make text with no UTF-8 form (an unpaired surrogate), is refused
  (`invalid-text-encoding`): FastAPI would decode it some other way and no column can store
  it. (A JSON body without a backslash is read as its text, unparsed: its values are its text,
  and the quotes, colons, commas and brackets between them join nothing. A test holds the two
  readings equal.) Any other body is read as text.
- The query string decoded per parameter (keys and values), and each path segment.
- Every header value except `Authorization`, `Cookie` and the gateway's secret (why:
  `_OPAQUE_HEADERS`), and the decoded header and payload of a JWS-shaped one (a DPoP proof:
  the client writes it, and its `jti` is stored).

U+0000 anywhere (raw in the body, a `\\u0000` escape, `%00` in the query or path, a header) is
refused (`nul-character-refused`): no text column can hold one, so it only ever became a 500.

What is a card number (`contains_card_number`):
- The text is folded: NFKC, then every Unicode decimal digit (full-width, Arabic-Indic,
  Devanagari...) as its ASCII digit, other letters as a letter, and every other character
  (NBSP, zero-width space and other format characters, marks, dashes, dots) as a separator.
- A stretch is digits joined by runs of separators: whitespace, `-`, `.`, `/`, `\\`, `_`, `~`,
  `*` and all non-ASCII punctuation. Letters end a stretch but excuse nothing
  (`ref4111111111111111` is caught). Structural punctuation (`, ; : | & = ? ! ( ) [ ] { } < >`,
  quotes, `@ $ % + # ^`) ends it too: nobody groups a card with commas or colons, but lists
  ("tables 21, 22, 23"), times ("20:30-22:30"), prices ("$22.50 / $30") and JSON are written
  with them.
- A candidate is a stretch's digits taken whole, any single group of digits, or any run of
  groups laid out as cards are printed (4-4-4-4 with an optional last group of 1-3, 4-4-4
  and a last of 1-3, 4-6-5, 4-6-4): `Table 12 4111 1111 1111 1111` is caught. It is a card
  number when it has 13-19 digits, starts with an ISO/IEC 7812 major industry identifier 2-6
  (Mastercard 2/5, Amex/JCB/Diners 3, Visa 4, Maestro/Discover/UnionPay 6), with 4-6 when it
  has 13 digits (only Visa and Maestro issue 13-digit numbers), and passes the Luhn check.

Why ordinary data is never caught (tests generate each shape and assert none is refused):
- Identifiers are recognised by their whole shape, not glued to a letter or digit, and set
  aside before digits are looked at: UUIDs, hex of 32 digits or more (UUID hex, SHA-256
  digests, the tenant part of a credential), our credentials whole (`hp?_<32 hex>_<secret>`,
  libs/auth/opaque_credentials.py), compact JWS/JWT (`eyJ...`: the base64url of a JSON object's
  `{"`), W3C traceparent, receipt numbers (`R1-000123`, `R1-O-000045`,
  services/orders/sale/policy.py) and calendar dates (`2024-03-05`, `24/12/2024`,
  `2024/03/05`). Without this, a run of digits inside a UUID or a digest would be a Luhn-valid
  13-19 digits one time in a thousand, and that id would be unusable everywhere.
- Numbers: an amount up to a billion has at most 11 digits; epoch seconds have 10; epoch
  milliseconds have 13 and start with 1, 2 or 3 until the year 2096. ISO times are split by
  their `T` and `:`.
- Random base64url or base62 tokens (a DPoP `jti`, Stripe ids) are letters five times in six:
  a 43-character one holds a Luhn-valid stretch of 13 digits fewer than once in 10^10. No shape
  tells one from a card number glued to letters, which must be caught, so they are immune by
  arithmetic, not by shape.

Missed, by choice: a card written with commas or colons between its groups, or inside a shape
set aside above (`R4111-111111111` as a receipt number, inside 32 hex digits); digits next to
other numbers in a layout cards are not printed in (`12 4 111 1111...`); an encoding a person
does not type (base64, words). This is a net for card numbers typed or pasted by mistake, not
a cipher detector. Free text holding several numbers joined only by spaces, dashes, dots or
slashes (a list of phone numbers) can be refused; the answer says why.

Cost: linear, and a text without a stretch of 13 digits (most) is looked at with two passes in
C. Say what was refused, never echo it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.problems import PayloadTooLarge, Problem, problem_response

MAX_BODY_BYTES = 1024 * 1024

# Not read (U+0000 in them still is refused): credentials whose content a client does not
# choose, each verified before anything reads it and never logged or stored. `Authorization`
# holds an access token the identity service signed, or a Bridge or refresh credential we
# minted; `X-Halopos-Gateway` the gateway's shared secret (libs/api/request_context.py removes
# it before this runs). Cookies: no service sets or reads one; a proxy's or CDN's are opaque.
# Everything else is read, JWS-shaped values decoded: a DPoP proof is signed by the client's
# own key, so the client writes it, and its `jti` is stored.
_OPAQUE_HEADERS = frozenset({b"authorization", b"cookie", b"x-halopos-gateway"})

# Between values, a character that ends a stretch and joins no identifier shape.
_BETWEEN_VALUES = "|"


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    title: str
    detail: str


CARD_DATA = Refusal(
    code="card-data-refused",
    title="Card numbers are never accepted",
    detail="The request contains what looks like a full card number; halopos never stores "
    "card data. Record only the scheme, last 4 digits and auth code.",
)
NUL_CHARACTER = Refusal(
    code="nul-character-refused",
    title="Text containing a NUL character is never accepted",
    detail="The request contains the character U+0000 (in its body, query, path or headers); "
    "no text halopos keeps can hold it.",
)
INVALID_TEXT = Refusal(
    code="invalid-text-encoding",
    title="The request body is not valid UTF-8 text",
    detail="A JSON body must be UTF-8 (RFC 8259), and its escapes must make text that has a "
    "UTF-8 form (no unpaired surrogates).",
)


class CardDataRefused(Problem):
    status = 422
    code = CARD_DATA.code
    title = CARD_DATA.title


class NulCharacterRefused(Problem):
    status = 422
    code = NUL_CHARACTER.code
    title = NUL_CHARACTER.title


class InvalidTextEncoding(Problem):
    status = 422
    code = INVALID_TEXT.code
    title = INVALID_TEXT.title


# What the guard refuses, for the document: every route can answer these (libs/api/openapi.py).
REFUSALS = (PayloadTooLarge, CardDataRefused, NulCharacterRefused, InvalidTextEncoding)


# -- what a card number is -------------------------------------------------------------------


class _Fold(dict[int, str]):
    """For `str.translate`: ASCII as itself; any other decimal digit as its ASCII digit, other
    letters and numbers as a letter, anything else as a separator. Filled as characters are
    met, up to `_FOLD_CACHE` of them (a request cannot grow it to every code point)."""

    def __missing__(self, codepoint: int) -> str:
        character = chr(codepoint)
        category = unicodedata.category(character)
        if codepoint < 128:
            folded = character
        elif category == "Nd":
            folded = str(unicodedata.decimal(character))
        elif category[0] in "LN":
            folded = "z"
        else:
            folded = " "
        if len(self) < _FOLD_CACHE:
            self[codepoint] = folded
        return folded


_FOLD_CACHE = 8192
_FOLD = _Fold()


def fold_text(text: str) -> str:
    """The text as the rule reads it, in ASCII: decimal digits of any script as 0-9."""
    if text.isascii():
        return text  # NFKC and the folding leave ASCII as it is
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


_JOINER_CHARACTERS = " \t\n\r\f\v._/\\~*-"
_JOINER = r"[\s._/\\~*-]"
# A stretch with 13 digits or more, whole (greedy, and found from its first digit).
_LONG_STRETCH = re.compile(rf"[0-9](?:{_JOINER}*[0-9]){{12,}}", re.ASCII)
# The regular expressions below try every position of a text, at tens of nanoseconds each;
# these byte maps find where to try them with passes in C. Joiners deleted, digits as 0 and
# anything else as a space, a stretch of 13 digits becomes 13 zeros in a row (deleting joiners
# that are not between digits only makes more such runs). With joiners kept as 0, the runs of
# digits and joiners keep their places. A field is what lies between structural punctuation,
# which no stretch and no identifier shape crosses: each field can be looked at alone.
_JOINER_BYTES = _JOINER_CHARACTERS.encode()
_DIGITS_AS_ZEROS = bytes(ord("0") if 0x30 <= byte <= 0x39 else ord(" ") for byte in range(256))
_RUNS_AS_ZEROS = bytes(
    ord("0") if 0x30 <= byte <= 0x39 or byte in _JOINER_BYTES else ord(" ") for byte in range(256)
)
_FIELD_ENDS = bytes(
    ord(".") if bytes([byte]).isalnum() or byte in _JOINER_BYTES else ord("|")
    for byte in range(256)
)
_THIRTEEN = b"0" * 13
_GROUP = re.compile(r"[0-9]+", re.ASCII)

_HEX = "[0-9a-fA-F]"
_DAY = "(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = "(?:0?[1-9]|1[0-2])"
_YEAR = "(?:19|20|21)[0-9]{2}"
# Each shape is recognised only whole: not glued to a letter or digit on either side. (Public
# for the tests: a card number written so that it is one of these shapes is the chosen miss.)
IDENTIFIER_SHAPES = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    + "|".join(
        [
            rf"hp[a-z]_{_HEX}{{32}}_[A-Za-z0-9_-]{{8,64}}",  # our credentials
            r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*",  # compact JWS / JWT
            rf"{_HEX}{{2}}-{_HEX}{{32}}-{_HEX}{{16}}-{_HEX}{{2}}",  # W3C traceparent
            rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}",  # UUID
            rf"{_HEX}{{32,}}",  # UUID hex, digests, a credential's tenant part
            rf"{_YEAR}-{_MONTH}-{_DAY}",  # ISO date (the time after it is split by `:`)
            rf"{_YEAR}[/.]{_MONTH}[/.]{_DAY}",
            rf"{_DAY}[/.-]{_MONTH}[/.-]{_YEAR}",  # day first, or month first:
            rf"{_MONTH}[/.-]{_DAY}[/.-]{_YEAR}",
            r"R[0-9]{1,4}-(?:[A-Z]{1,3}-)?[0-9]{6,9}",  # receipt numbers
        ]
    )
    + r")(?![0-9A-Za-z])",
    re.ASCII,
)
# Group sizes of a run of groups printed as a card is: 4-4-4-4 (+1-3), 4-4-4 + 1-3, 4-6-5, 4-6-4.
_LAYOUTS = frozenset(
    {(4, 4, 4, 4), (4, 6, 5), (4, 6, 4)}
    | {(4, 4, 4, 4, last) for last in (1, 2, 3)}
    | {(4, 4, 4, last) for last in (1, 2, 3)}
)
_LAYOUT_LENGTHS = frozenset(len(layout) for layout in _LAYOUTS)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card_number(digits: str) -> bool:
    length = len(digits)
    if not 13 <= length <= 19 or digits[0] not in "23456":
        return False
    if length == 13 and digits[0] not in "456":
        return False
    return luhn_valid(digits)


def _candidates(stretch: str) -> Iterator[str]:
    groups = _GROUP.findall(stretch)
    yield "".join(groups)
    if len(groups) == 1:
        return
    yield from groups
    sizes = [len(group) for group in groups]
    for start in range(len(groups)):
        for count in _LAYOUT_LENGTHS:
            if tuple(sizes[start : start + count]) in _LAYOUTS:
                yield "".join(groups[start : start + count])


def contains_card_number(text: str) -> bool:
    """Whether `text` holds something written like a full card number (the module's rule)."""
    text = fold_text(text)  # ASCII from here on
    data = text.encode("ascii")
    # Most text has no stretch of 13 digits at all; setting identifiers aside only removes
    # digits and splits stretches, so then there is nothing to look for.
    if _THIRTEEN not in data.translate(_DIGITS_AS_ZEROS, _JOINER_BYTES):
        return False
    return any(_field_holds_card_number(field) for field in _fields_with_long_stretches(data))


def _fields_with_long_stretches(data: bytes) -> Iterator[str]:
    runs = data.translate(_RUNS_AS_ZEROS)
    ends = data.translate(_FIELD_ENDS)
    done = 0
    while (start := runs.find(_THIRTEEN, done)) != -1:
        stop = runs.find(b" ", start)
        stop = len(data) if stop == -1 else stop
        if len(data[start:stop].translate(None, _JOINER_BYTES)) >= 13:
            field_start = ends.rfind(b"|", 0, start) + 1
            field_stop = ends.find(b"|", stop)
            stop = len(data) if field_stop == -1 else field_stop
            yield data[field_start:stop].decode("ascii")
        done = stop


def _field_holds_card_number(field: str) -> bool:
    masked = IDENTIFIER_SHAPES.sub("z", field)
    return any(
        _is_card_number(candidate)
        for stretch in _LONG_STRETCH.findall(masked)
        for candidate in _candidates(stretch)
    )


# -- what a request carries ------------------------------------------------------------------


def _claims_json(content_type: str) -> bool:
    """FastAPI parses a body as JSON when it says so, or says nothing (fastapi/routing.py)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in ("", "application/json") or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _json_values(document: Any) -> Iterator[str]:
    """Every key and scalar of a document parsed with `_parse_json` (objects as lists of
    pairs, numbers as their literal text), without recursion: a deep document cannot
    exhaust the stack here."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            key, value = item
            yield key
            stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _parse_json(text: str) -> Any:
    # Duplicate keys are all kept (a handler keeps the last, but each was sent); numbers stay
    # their literal text (no int conversion, so no limit on their digits).
    return json.loads(
        text, object_pairs_hook=list, parse_int=str, parse_float=str, parse_constant=str
    )


def _header_text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


_JWS = re.compile(r"(eyJ[A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)\.[A-Za-z0-9_-]*")


def _signed_segments(value: str) -> Iterator[str]:
    """The decoded header and payload of a compact JWS (the signature is random bytes)."""
    match = _JWS.fullmatch(value)
    if match is None:
        return
    for segment in match.groups():
        try:
            decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
            text = decoded.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        yield from _document_values(text)


def _document_values(text: str) -> Iterator[str]:
    """The values of a JSON document, or the text itself when it has no escapes (then each
    value is its own text, between quotes, colons, commas or brackets, none of which joins
    digits: the same answer without the cost of parsing) or is not JSON."""
    if "\\" not in text:
        yield text
        return
    try:
        yield from _json_values(_parse_json(text))
    except (ValueError, RecursionError):
        yield text


def refusal_for(
    *, headers: Iterable[tuple[bytes, bytes]], query_string: bytes, path: str, body: bytes
) -> Refusal | None:
    """Why this request must not reach a handler, or None. Pure: the middleware's decision.
    (One pass over the headers, one list of values, one look at all of them: this runs on
    every request.)"""
    values: list[str] = []
    content_type = ""
    for raw_name, value in headers:
        name = raw_name.lower()
        if b"\x00" in name or b"\x00" in value:
            return NUL_CHARACTER
        if name == b"content-type":
            content_type = value.decode("latin-1")
        if name in _OPAQUE_HEADERS:
            continue
        text = _header_text(value)
        values.append(text)
        if text.startswith("eyJ"):
            values.extend(_signed_segments(text))
    if body:
        if _claims_json(content_type):
            try:
                text = body.decode("utf-8-sig")  # as json.loads decodes bytes, less UTF-16/32
            except UnicodeDecodeError:
                return INVALID_TEXT
            values.extend(_document_values(text))
        else:
            values.append(body.decode("utf-8", "replace"))
    for key, parameter in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        values += (key, parameter)
    values.extend(path.split("/"))
    joined = _BETWEEN_VALUES.join(values)
    if "\x00" in joined:
        return NUL_CHARACTER
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return INVALID_TEXT
    if contains_card_number(joined):
        return CARD_DATA
    return None


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
                    status=PayloadTooLarge.status,
                    code=PayloadTooLarge.code,
                    title=PayloadTooLarge.title,
                )(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        refusal = refusal_for(
            headers=scope.get("headers", []),
            query_string=scope.get("query_string", b""),
            path=scope.get("path", ""),
            body=body,
        )
        if refusal is not None:
            # Say what was refused, never echo it.
            await problem_response(
                status=422, code=refusal.code, title=refusal.title, detail=refusal.detail
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
