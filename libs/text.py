"""Names and free text as the API accepts them: one rule for every request field a person types.

Text we take in ends up on paper (ESC/POS receipts and kitchen tickets, where a control byte
is a printer command: ESC p opens the cash drawer), in spreadsheets (CSV exports), in Postgres
(which refuses U+0000 in `text`, and a refusal there is a 500) and on other people's screens
(where a bidi override reorders what they read: "‮gnp.exe" shows as "exe.png"). So every such
field is one of the types below, which:

- normalise to NFC, so one name is stored one way whatever keyboard typed it;
- strip surrounding whitespace (spaces, NBSP and the like; never control characters, which are
  refused rather than quietly dropped);
- refuse every control character (Unicode category Cc: C0 U+0000-U+001F, DEL U+007F, C1
  U+0080-U+009F), except a line feed in a field that is multi-line by nature (notes), where
  CRLF is stored as LF; tabs are refused everywhere (a printer command and a CSV formula
  trigger);
- refuse the line and paragraph separators (U+2028, U+2029), the bidi embeddings, overrides
  and isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates (which no encoder accepts);
- bound the length in code points after normalising (the columns are `text`: no byte limit),
  and refuse empty text where a value is required.

A refusal is a validation error, which every service answers as an RFC 9457 problem (422,
`validation-failed`) naming the field; nothing is stored. The OpenAPI document shows each
field's `maxLength`, `minLength` and a `pattern` of the characters it refuses, so integrators
see the rule. Credentials, PINs, codes and opaque tokens are not text: they have validators of
their own (tests/libs/api/test_text_input.py lists them and why).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

# Besides the control characters (category Cc): characters that break a line or reorder text.
LINE_SEPARATORS = frozenset({"\u2028", "\u2029"})
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# The same rule as a regular expression, for the OpenAPI document (ECMA-262, Python and Rust
# all read these escapes). Lone surrogates cannot be written in it; the validator refuses them.
_REFUSED = r"\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069"
SINGLE_LINE_PATTERN = rf"^[^\x00-\x1F{_REFUSED}]*$"
MULTI_LINE_PATTERN = rf"^[^\x00-\x09\x0B-\x1F{_REFUSED}]*$"
# Text that must not be empty, as the document states it: the same characters, and at least
# one that is not white space (which is stripped, so "   " would be empty text). Refused
# characters and white space are both excluded from that one, so it survives the stripping.
SINGLE_LINE_TEXT_PATTERN = (
    rf"^[^\x00-\x1F{_REFUSED}]*[^\s\x00-\x1F{_REFUSED}][^\x00-\x1F{_REFUSED}]*$"
)
MULTI_LINE_TEXT_PATTERN = (
    rf"^[^\x00-\x09\x0B-\x1F{_REFUSED}]*[^\s\x00-\x1F{_REFUSED}]"
    rf"[^\x00-\x09\x0B-\x1F{_REFUSED}]*$"
)
# What an e-mail address looks like here: something@domain.tld, none of it whitespace or one of
# the characters refused in all text. (Deliverability is proven by mail, not by a pattern.)
_EMAIL_PART = rf"[^@\s\x00-\x1F{_REFUSED}]+"
EMAIL_PATTERN = rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$"

# Whitespace stripped from both ends: Unicode white space that is neither a control character
# nor a line separator. A tab or a line feed at the end of a single-line name is refused, not
# silently dropped.
_SURROUNDING = "".join(
    character
    for character in map(chr, range(0x3001))
    if character.isspace()
    and unicodedata.category(character) != "Cc"
    and character not in LINE_SEPARATORS
)


def _refused(character: str, *, multi_line: bool) -> str | None:
    """Why `character` may not appear in text, or None if it may."""
    if character == "\n":
        return None if multi_line else "a line break, and this field is a single line"
    category = unicodedata.category(character)
    if category == "Cc":
        return "a control character"
    if character in BIDI_CONTROLS:
        return "a bidirectional formatting character, which reorders the text around it"
    if character in LINE_SEPARATORS:
        return "a line or paragraph separator"
    if category == "Cs":
        return "a lone surrogate, which is not a character"
    return None


@dataclass(frozen=True, slots=True)
class Text:
    """The rule of one kind of text field; used as `Annotated[str, Text(max_length=100)]`.

    `multi_line` admits line feeds (only notes need them). `lower` lower-cases after
    normalising (e-mail addresses). `pattern` replaces the default pattern, for text with a
    shape (e-mail addresses); it must refuse what the default refuses.
    """

    max_length: int
    min_length: int = 1
    multi_line: bool = False
    lower: bool = False
    pattern: str | None = None

    def clean(self, value: Any) -> Any:
        """NFC, stripped, checked; anything but a string is left for the string schema to
        refuse."""
        if not isinstance(value, str):
            return value
        text = unicodedata.normalize("NFC", value)
        if self.multi_line:
            text = text.replace("\r\n", "\n")
        text = text.strip(_SURROUNDING + ("\n" if self.multi_line else ""))
        for position, character in enumerate(text):
            reason = _refused(character, multi_line=self.multi_line)
            if reason is not None:
                raise PydanticCustomError(
                    "forbidden_character",
                    "Text cannot contain U+{code_point} at position {position}: it is {reason}",
                    {
                        "code_point": f"{ord(character):04X}",
                        "position": position,
                        "reason": reason,
                    },
                )
        return text.lower() if self.lower else text

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # The length is checked after `clean`: on the text as stored, not as sent.
        return core_schema.no_info_before_validator_function(
            self.clean,
            core_schema.str_schema(
                min_length=self.min_length,
                max_length=self.max_length,
                pattern=self.pattern
                or (MULTI_LINE_PATTERN if self.multi_line else SINGLE_LINE_PATTERN),
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        if self.pattern is None and self.min_length > 0:
            json_schema["pattern"] = (
                MULTI_LINE_TEXT_PATTERN if self.multi_line else SINGLE_LINE_TEXT_PATTERN
            )
        json_schema["x-halopos-text"] = "multi-line" if self.multi_line else "single-line"
        return json_schema


# A name a person gives something: a menu item, a category, a device, a staff member.
Name = Annotated[str, Text(max_length=100)]
# A table's name or number, as the till shows it on tickets.
TableName = Annotated[str, Text(max_length=40)]
# A reason or short note typed at the till: one line.
Reason = Annotated[str, Text(max_length=200)]
# A note typed in the backoffice or at a shift's close: may run over several lines.
Note = Annotated[str, Text(max_length=500, multi_line=True)]
# An identifier another system gave something (a card terminal's transaction reference).
Reference = Annotated[str, Text(max_length=64)]
# A value to filter by (an audit log's actor, action or resource), and a kind of thing to
# filter by (an actor or resource type): one line, no more.
FilterValue = Annotated[str, Text(max_length=200)]
FilterType = Annotated[str, Text(max_length=64)]
# A business's tax number as typed (an ABN, a USt-IdNr. or a Steuernummer): one line; its
# digits are checked by libs/sales/tax_ids.py.
TaxNumber = Annotated[str, Text(max_length=40)]
# A staff member's e-mail address, as they sign in with it: lower case.
Email = Annotated[str, Text(min_length=3, max_length=254, lower=True, pattern=EMAIL_PATTERN)]

# A tax rate as a response writes it: an exact decimal string (`10.000`), never a float.
RateString = Annotated[
    Decimal,
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "examples": ["10.000"]},
        mode="serialization",
    ),
]


def printable(text: str) -> str:
    """`text` with every character refused above replaced for paper: a line break or tab by a
    space, anything else dropped. For text stored before these rules, or that came another
    way: the ESC/POS renderer passes everything it prints through this."""
    kept: list[str] = []
    for character in text:
        if character in "\t\n\r" or character in LINE_SEPARATORS:
            kept.append(" ")
        elif _refused(character, multi_line=False) is None:
            kept.append(character)
    return "".join(kept)
