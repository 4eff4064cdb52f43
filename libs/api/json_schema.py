"""What a request body's JSON Schema says beyond its fields' types: the rules a model checks
across fields, stated in the OpenAPI document, so a generated client or a fuzzer sends only
what the server accepts (issue 23).

Each function edits a model's schema in place from the model's `__get_pydantic_json_schema__`
(`refine` below). The server's validation is unchanged: pydantic still runs the model's own
validators; these make the document say the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, GetJsonSchemaHandler, TypeAdapter
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

JsonSchema = dict[str, Any]
_NULL = {"type": "null"}


def refine(
    handler: GetJsonSchemaHandler, core_schema: CoreSchema, edit: Callable[[JsonSchema], None]
) -> JsonSchemaValue:
    """The model's schema as pydantic makes it, edited by `edit` (which sees the definition
    itself, not a `$ref` to it)."""
    reference = handler(core_schema)
    edit(handler.resolve_ref_schema(reference))
    return reference


def refuse_null(schema: JsonSchema, names: Iterable[str]) -> None:
    """Declare `names` not nullable: a PATCH field that the model defaults to None (meaning
    "not sent") but refuses as an explicit null. Their `default: null` goes too: leaving a
    field out is not the same as sending null."""
    properties: JsonSchema = schema["properties"]
    for name in names:
        member: JsonSchema = properties[name]
        branches = member.get("anyOf")
        if branches is not None:
            kept = [branch for branch in branches if branch != _NULL]
            if len(kept) == 1:
                del member["anyOf"]
                member.update(kept[0])
            else:
                member["anyOf"] = kept
        member.pop("default", None)


def require(schema: JsonSchema, *names: str) -> None:
    """List `names` as required (in the order given, after those already required)."""
    required: list[str] = schema.setdefault("required", [])
    required.extend(name for name in names if name not in required)


def at_least_one_change(schema: JsonSchema, *, besides: Iterable[str] = ()) -> None:
    """A PATCH names at least one field to change, besides the always-required ones (a
    `version`): with `additionalProperties: false`, a minimum count of members says it."""
    schema["minProperties"] = 1 + len(tuple(besides))


def nullable_fields(model: type[BaseModel], keep: Iterable[str]) -> list[str]:
    """The fields of `model` that are optional in Python but refuse null, all but `keep`."""
    kept = set(keep)
    return [name for name in model.model_fields if name not in kept]


def member(body: Any, name: str) -> Any:
    """A member of a request body a union's discriminator reads: pydantic hands it the JSON
    object (a dict) when validating, the model when serialising."""
    return body.get(name) if isinstance(body, dict) else getattr(body, name, None)


class DocumentedAs:
    """`Annotated[dict[str, Any], DocumentedAs(Model)]`: a value the code handles as a plain
    mapping (a frozen receipt, an audit payload, read back from JSONB) that the document
    describes as `Model`'s schema, with its definitions among the document's components.
    The fuzz's response-schema check holds what is sent to it."""

    def __init__(self, shape: Any) -> None:
        self.shape = shape

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(TypeAdapter(self.shape).core_schema)


def keep_nulls_in_examples(app: FastAPI) -> None:
    """FastAPI writes its document with `exclude_none`, which drops every null, also inside
    examples: an open order's `closed_at: null` would vanish, and the example would fail its
    own schema (the field is required). This puts the models' examples back as written, nulls
    and all, by matching each example in the document to the model example it was made from."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = make()
        if first:
            _restore_examples(document, _examples_without_nulls())
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _without_nulls(value: Any) -> Any:
    """`value` as FastAPI's `exclude_none` leaves it: no member whose value is null."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _examples_without_nulls() -> dict[str, Any]:
    """Every model's `examples` (from `json_schema_extra`), by how they read without nulls."""
    found: dict[str, Any] = {}
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        extra = model.model_config.get("json_schema_extra")
        examples = extra.get("examples") if isinstance(extra, dict) else None
        for example in examples if isinstance(examples, list) else ():
            found.setdefault(_key(_without_nulls(example)), example)
    return found


def _restore_examples(node: Any, originals: dict[str, Any]) -> None:
    if isinstance(node, dict):
        examples = node.get("examples")
        if isinstance(examples, list):
            node["examples"] = [originals.get(_key(example), example) for example in examples]
        for value in node.values():
            _restore_examples(value, originals)
    elif isinstance(node, list):
        for value in node:
            _restore_examples(value, originals)
