"""Stripe's request encoding, read the way Stripe reads it.

The library form-encodes every parameter, bodies and query strings alike, with bracketed
nesting: `metadata[tenant_id]=…`, `line_items[0][price]=…`, `expand[0]=…`. `parse_form` turns
that into nested dicts (an index is a key like any other); `check` then holds the result
against what one endpoint accepts, turning indexed dicts into lists and numbers into ints, and
refuses anything else as Stripe does ("Received unknown parameter: …"). That strictness is the
point: a parameter our billing client sends that the real API would refuse fails here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from doubles.fake_stripe.errors import StripeError, invalid_parameter, unknown_parameter

Params = dict[str, Any]

_NAME = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")

# Stripe's documented metadata limits.
METADATA_KEYS = 50
METADATA_KEY_LENGTH = 40
METADATA_VALUE_LENGTH = 500


def parse_form(text: str) -> Params:
    params: Params = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        match = _NAME.match(name)
        if match is None:
            raise StripeError(400, f"Invalid parameter name: {name}")
        path = [match.group(1), *_SEGMENT.findall(match.group(2))]
        _assign(params, path, value, name)
    return params


def _assign(params: Params, path: list[str], value: str, name: str) -> None:
    container = params
    for depth, key in enumerate(path[:-1]):
        if key == "":
            # `a[][b]=…` would need guessing which element `b` belongs to; Stripe's own
            # libraries always send indices, so only a trailing `[]` is read.
            raise StripeError(400, f"Invalid parameter name: {name}")
        child = container.setdefault(key, {})
        if not isinstance(child, dict):
            raise invalid_parameter(_display(path[: depth + 1]), "Invalid hash")
        container = child
    last = path[-1]
    if last == "":
        last = str(len(container))  # `expand[]=a&expand[]=b` appends, as indices would
    if isinstance(container.get(last), dict):
        raise invalid_parameter(_display(path), f"Invalid string: {name} is also a hash")
    container[last] = value


def _display(path: list[str]) -> str:
    return path[0] + "".join(f"[{key}]" for key in path[1:])


# What an endpoint accepts: a tree of these.


@dataclass(frozen=True)
class Scalar:
    kind: str  # "string" | "integer" | "boolean"


@dataclass(frozen=True)
class Hash:
    fields: dict[str, Node]


@dataclass(frozen=True)
class Array:
    item: Node


@dataclass(frozen=True)
class Metadata:
    """Free-form string keys and values; an empty string clears them, as on Stripe."""


Node = Scalar | Hash | Array | Metadata

STRING = Scalar("string")
INTEGER = Scalar("integer")
BOOLEAN = Scalar("boolean")
METADATA = Metadata()
EXPAND = Array(STRING)


def check(params: Params, accepted: Hash) -> Params:
    """`params` as `accepted` describes them, or the error Stripe would answer."""
    checked: Params = _check_hash(params, accepted, path=[])
    return checked


def _check(value: Any, node: Node, path: list[str]) -> Any:
    name = _display(path)
    if isinstance(value, str) and value == "" and not isinstance(node, Metadata):
        raise invalid_parameter(
            name,
            f"You passed an empty string for '{name}'. We assume empty values are an attempt "
            f"to unset a parameter; however '{name}' cannot be unset. You should remove "
            f"'{name}' from your request or supply a non-empty value.",
            code="parameter_invalid_empty",
        )
    if isinstance(node, Hash):
        return _check_hash(value, node, path)
    if isinstance(node, Array):
        return _check_array(value, node, path)
    if isinstance(node, Metadata):
        return _check_metadata(value, name)
    return _check_scalar(value, node, name)


def _check_hash(value: Any, node: Hash, path: list[str]) -> Params:
    if not isinstance(value, dict):
        raise invalid_parameter(_display(path), "Invalid hash")
    for key in value:
        if key not in node.fields:
            raise unknown_parameter(_display([*path, key]))
    return {key: _check(item, node.fields[key], [*path, key]) for key, item in value.items()}


def _check_array(value: Any, node: Array, path: list[str]) -> list[Any]:
    if not isinstance(value, dict) or not all(key.isdigit() for key in value):
        raise invalid_parameter(_display(path), "Invalid array")
    ordered = sorted(value.items(), key=lambda item: int(item[0]))
    return [_check(item, node.item, [*path, index]) for index, item in ordered]


def _check_metadata(value: Any, name: str) -> dict[str, str]:
    if value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid_parameter(name, "Invalid hash")
    if len(value) > METADATA_KEYS:
        raise invalid_parameter(name, f"Invalid {name}: can have up to {METADATA_KEYS} keys")
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid_parameter(f"{name}[{key}]", "Invalid string: metadata values are text")
        if len(key) > METADATA_KEY_LENGTH:
            raise invalid_parameter(
                name, f"Metadata keys can be at most {METADATA_KEY_LENGTH} characters long"
            )
        if len(item) > METADATA_VALUE_LENGTH:
            raise invalid_parameter(
                f"{name}[{key}]",
                f"Metadata values can be at most {METADATA_VALUE_LENGTH} characters long",
            )
    return dict(value)


def _check_scalar(value: Any, node: Scalar, name: str) -> Any:
    if not isinstance(value, str):
        raise invalid_parameter(name, f"Invalid {node.kind}: {name} is a hash")
    if node.kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise invalid_parameter(
                name, f"Invalid integer: {value}", code="parameter_invalid_integer"
            )
        return int(value)
    if node.kind == "boolean":
        if value not in ("true", "false"):
            raise invalid_parameter(name, f"Invalid boolean: {value}")
        return value == "true"
    return value
