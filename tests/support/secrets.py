"""Asserting that a short secret (a PIN, a one-time code) was not written down.

A plain `pin in json.dumps(row)` is wrong for short secrets: a four-digit PIN turns up inside
a random hex digest or UUID often enough to fail one run in twenty. A secret counts as written
down when it is a whole word of some value: a run of letters and digits on its own, or a
number equal to it. Identifiers (UUIDs, hex digests) are random and cannot carry it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

_WORD = re.compile(r"[0-9A-Za-z]+")
_HEX_DIGEST = re.compile(r"[0-9a-f]{32,}")


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, str):
        try:  # a JSON document kept as text, such as a raw audit row's payload
            decoded = json.loads(value)
        except ValueError:
            yield value
            return
        if isinstance(decoded, dict | list):
            yield from _leaves(decoded)
        else:
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _leaves(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _is_identifier(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return bool(_HEX_DIGEST.fullmatch(text))
    return True


def written_down(secret: str, value: Any) -> bool:
    """Whether `secret` appears as a whole word anywhere in `value` (nested JSON included)."""
    for leaf in _leaves(value):
        if isinstance(leaf, bool) or leaf is None:
            continue
        if isinstance(leaf, int | float):
            if secret.isdigit() and leaf == int(secret):
                return True
            continue
        text = str(leaf)
        if _is_identifier(text):
            continue
        if secret in _WORD.findall(text) or (not secret.isalnum() and secret in text):
            return True
    return False


def assert_not_written_down(value: Any, *secrets: str) -> None:
    for secret in secrets:
        assert not written_down(secret, value), f"{secret!r} is written down in {value!r}"
