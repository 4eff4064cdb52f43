"""The changes between two OpenAPI documents that break a client written against the older one.

    python -m tools.spec_diff                  # `make spec-diff`: released spec vs the served one
    python -m tools.spec_diff OLD.json NEW.json
    python -m tools.spec_diff --acknowledge    # write today's list to breaking-changes.txt

oasdiff does this for Go; none of its equivalents is published where this project installs
from, so this is a focused checker of the kinds oasdiff reports as breaking for a client:

| kind | a client written against the old document ... |
| --- | --- |
| operation-removed | calls a path and method that is gone |
| operation-id-changed | calls a generated function that has been renamed |
| request-parameter-added-required, request-parameter-became-required | does not send it |
| request-parameter-type-narrowed, request-parameter-enum-value-removed | sends what is refused |
| request-body-became-required | sends no body |
| request-media-type-removed | sends a body in a media type no longer accepted |
| request-property-added-required, request-property-became-required | does not send it |
| request-property-type-narrowed, request-property-enum-value-removed | sends a value now refused |
| response-status-removed | expects a success status that is no longer sent |
| response-media-type-removed | parses a success response as a media type no longer sent |
| response-property-removed, response-property-became-optional | reads what may be absent |
| response-property-type-changed | reads a value of a type it does not expect |
| security-changed | authenticates in a way no longer accepted |
| security-scheme-changed | follows a scheme whose definition changed |

Responses are compared for success statuses (2xx) only: what a client parses as a result.
Adding constraints (bounds, patterns, enums where there were none) is not reported: a value
outside them was refused before the constraint was written down too. Each change is one line,
`kind: METHOD /path (operationId): detail`; properties are named by their path in the body
(`lines[].quantity`). A test (tests/clients/test_spec_diff.py) compares today's list with
clients/released/breaking-changes.txt, so a new breaking change fails CI until it is
acknowledged there, and the list is what a release's notes say.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RELEASED = ROOT / "clients" / "released" / "openapi-0.1.0.json"
ACKNOWLEDGED = ROOT / "clients" / "released" / "breaking-changes.txt"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ANY = "any"

Schema = Mapping[str, Any]
Document = Mapping[str, Any]
# The pairs of schemas already compared at a depth: recursive schemas are walked once.
Seen = set[tuple[int, int, int]]


def _resolve(document: Document, schema: Schema) -> Schema:
    seen = set()
    while "$ref" in schema:
        reference = schema["$ref"]
        if reference in seen or not reference.startswith("#/"):
            return {}
        seen.add(reference)
        target: Any = document
        for part in reference[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        schema = target
    return schema


def _alternatives(document: Document, schema: Schema) -> list[Schema]:
    """The schemas a value may match: the members of anyOf/oneOf (flattened), or the schema."""
    schema = _resolve(document, schema)
    members = schema.get("anyOf") or schema.get("oneOf")
    if not members:
        return [schema]
    return [alternative for member in members for alternative in _alternatives(document, member)]


def _types(document: Document, schema: Schema) -> frozenset[str]:
    """The JSON types a schema admits; `any` when it does not say."""
    found: set[str] = set()
    for alternative in _alternatives(document, schema):
        for member in alternative.get("allOf", []):
            member_types = _types(document, member)
            if member_types != {ANY}:
                found |= member_types
                break
        declared = alternative.get("type")
        if isinstance(declared, str):
            found.add(declared)
        elif isinstance(declared, list):
            found.update(declared)
        elif "const" in alternative or "enum" in alternative:
            values = [alternative["const"]] if "const" in alternative else alternative["enum"]
            found.update(_json_type(value) for value in values)
        elif "properties" in alternative:
            found.add("object")
        elif "items" in alternative:
            found.add("array")
        elif not alternative.get("allOf"):
            found.add(ANY)
    return frozenset(found or {ANY})


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _covers(types: frozenset[str], kind: str) -> bool:
    return ANY in types or kind in types or (kind == "integer" and "number" in types)


def _uncovered(wider: frozenset[str], narrower: frozenset[str]) -> set[str]:
    """The types in `narrower` that `wider` does not admit."""
    return {kind for kind in narrower if not _covers(wider, kind)}


def _enum(document: Document, schema: Schema) -> set[Any] | None:
    """The values an enumerated schema admits (null aside), or None when it admits others."""
    values: set[Any] = set()
    for alternative in _alternatives(document, schema):
        if alternative.get("type") == "null":
            continue
        if "const" in alternative:
            values.add(alternative["const"])
        elif "enum" in alternative:
            values.update(value for value in alternative["enum"] if value is not None)
        else:
            return None
    return values


def _object(document: Document, schema: Schema) -> tuple[dict[str, Schema], set[str]] | None:
    """An object schema's properties and required names, allOf merged; of several object
    alternatives, every property and only the names all of them require. None: no object."""
    objects = []
    for alternative in _alternatives(document, schema):
        properties: dict[str, Schema] = {}
        required: set[str] = set()
        for part in [*alternative.get("allOf", []), alternative]:
            part = _resolve(document, part)
            properties.update(part.get("properties", {}))
            required.update(part.get("required", []))
        if properties or alternative.get("type") == "object":
            objects.append((properties, required))
    if not objects:
        return None
    # A property several alternatives declare admits what any of them does (a tender's
    # `kind` is "cash" in one and "card" in the other).
    declared: dict[str, list[Schema]] = {}
    for properties, _ in objects:
        for name, schema in properties.items():
            declared.setdefault(name, []).append(schema)
    merged = {
        name: schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        for name, schemas in declared.items()
    }
    return merged, set.intersection(*(required for _, required in objects))


def _items(document: Document, schema: Schema) -> Schema | None:
    for alternative in _alternatives(document, schema):
        if "items" in alternative:
            items: Schema = alternative["items"]
            return items
    return None


def _types_text(types: frozenset[str]) -> str:
    return "|".join(sorted(types))


def _request_schema_changes(
    document_old: Document, document_new: Document, old: Schema, new: Schema, at: str, seen: Seen
) -> Iterator[tuple[str, str]]:
    key = (id(_resolve(document_old, old)), id(_resolve(document_new, new)), at.count("."))
    if key in seen:
        return
    seen.add(key)
    old_types, new_types = _types(document_old, old), _types(document_new, new)
    if narrowed := _uncovered(new_types, old_types):
        yield (
            "request-property-type-narrowed",
            f"{at or '(body)'}: {_types_text(old_types)} -> {_types_text(new_types)}"
            f" ({', '.join(sorted(narrowed))} refused)",
        )
    old_enum, new_enum = _enum(document_old, old), _enum(document_new, new)
    if old_enum is not None and new_enum is not None:
        for value in sorted(old_enum - new_enum, key=str):
            yield "request-property-enum-value-removed", f"{at or '(body)'}: {value}"
    old_object, new_object = _object(document_old, old), _object(document_new, new)
    if old_object is not None and new_object is not None:
        (old_properties, old_required), (new_properties, new_required) = old_object, new_object
        prefix = f"{at}." if at else ""
        # An object that declared no properties took any: the ones now declared (a JWK's
        # `kty`) describe what was accepted, they ask for nothing new.
        for name in sorted(new_required - old_required) if old_properties else []:
            kind = "became" if name in old_properties else "added"
            yield f"request-property-{kind}-required", f"{prefix}{name}"
        for name in sorted(old_properties.keys() & new_properties.keys()):
            yield from _request_schema_changes(
                document_old,
                document_new,
                old_properties[name],
                new_properties[name],
                f"{prefix}{name}",
                seen,
            )
    old_items, new_items = _items(document_old, old), _items(document_new, new)
    if old_items is not None and new_items is not None:
        yield from _request_schema_changes(
            document_old, document_new, old_items, new_items, f"{at}[]", seen
        )


def _response_schema_changes(
    document_old: Document, document_new: Document, old: Schema, new: Schema, at: str, seen: Seen
) -> Iterator[tuple[str, str]]:
    key = (id(_resolve(document_old, old)), id(_resolve(document_new, new)), at.count("."))
    if key in seen:
        return
    seen.add(key)
    old_types, new_types = _types(document_old, old), _types(document_new, new)
    if _uncovered(old_types, new_types):
        yield (
            "response-property-type-changed",
            f"{at}: {_types_text(old_types)} -> {_types_text(new_types)}",
        )
        return
    old_object, new_object = _object(document_old, old), _object(document_new, new)
    if old_object is not None and new_object is not None:
        (old_properties, old_required), (new_properties, new_required) = old_object, new_object
        for name in sorted(old_properties):
            if name not in new_properties:
                yield "response-property-removed", f"{at}.{name}"
            elif name in old_required and name not in new_required:
                yield "response-property-became-optional", f"{at}.{name}"
            else:
                yield from _response_schema_changes(
                    document_old,
                    document_new,
                    old_properties[name],
                    new_properties[name],
                    f"{at}.{name}",
                    seen,
                )
    old_items, new_items = _items(document_old, old), _items(document_new, new)
    if old_items is not None and new_items is not None:
        yield from _response_schema_changes(
            document_old, document_new, old_items, new_items, f"{at}[]", seen
        )


def _operations(document: Document) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(METHOD, path with its parameters unnamed) -> (path, operation with the path item's
    parameters merged in)."""
    found = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = dict(item[method])
                shared = {(p.get("in"), p.get("name")): p for p in item.get("parameters", [])}
                own = {(p.get("in"), p.get("name")): p for p in operation.get("parameters", [])}
                operation["parameters"] = list({**shared, **own}.values())
                found[(method.upper(), re.sub(r"\{[^}]*\}", "{}", path))] = (path, operation)
    return found


def _parameters(document: Document, operation: Mapping[str, Any]) -> dict[str, Schema]:
    parameters = {}
    for parameter in operation.get("parameters", []):
        parameter = _resolve(document, parameter)
        name, where = parameter.get("name", ""), parameter.get("in", "")
        # Header names are case-insensitive. A path parameter is part of the path: renaming
        # one ({id} to {order_id}) changes nothing for a client.
        parameters[f"{where} {name.lower() if where == 'header' else name}"] = parameter
    return parameters


def _security(document: Document, operation: Mapping[str, Any]) -> set[frozenset[str]]:
    """The ways to authenticate: each a set of scheme names; the empty set is none needed."""
    requirements = operation.get("security", document.get("security", []))
    if not requirements:
        return {frozenset()}
    return {frozenset(requirement) for requirement in requirements}


def _security_text(ways: set[frozenset[str]]) -> str:
    return " | ".join(sorted("+".join(sorted(way)) or "none" for way in ways))


def _content(document: Document, holder: Mapping[str, Any]) -> dict[str, Schema]:
    holder = _resolve(document, holder)
    return {
        media_type: media.get("schema", {})
        for media_type, media in holder.get("content", {}).items()
    }


def _operation_changes(
    old_document: Document,
    new_document: Document,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Iterator[tuple[str, str]]:
    if old.get("operationId") != new.get("operationId"):
        yield "operation-id-changed", f"now {new.get('operationId')}"

    old_parameters = _parameters(old_document, old)
    new_parameters = _parameters(new_document, new)
    for label, parameter in sorted(new_parameters.items()):
        if parameter.get("required") and label.split(" ")[0] != "path":
            if label not in old_parameters:
                yield "request-parameter-added-required", label
            elif not old_parameters[label].get("required"):
                yield "request-parameter-became-required", label
    for label in sorted(old_parameters.keys() & new_parameters.keys()):
        old_schema = old_parameters[label].get("schema", {})
        new_schema = new_parameters[label].get("schema", {})
        # A parameter is sent or not: "null" in its schema only says it may be left out.
        old_types, new_types = (
            _types(document, schema) - {"null"} or frozenset({ANY})
            for document, schema in ((old_document, old_schema), (new_document, new_schema))
        )
        if _uncovered(new_types, old_types):
            yield (
                "request-parameter-type-narrowed",
                f"{label}: {_types_text(old_types)} -> {_types_text(new_types)}",
            )
        old_enum, new_enum = _enum(old_document, old_schema), _enum(new_document, new_schema)
        if old_enum is not None and new_enum is not None:
            for value in sorted(old_enum - new_enum, key=str):
                yield "request-parameter-enum-value-removed", f"{label}: {value}"

    old_body = _resolve(old_document, old.get("requestBody", {}))
    new_body = _resolve(new_document, new.get("requestBody", {}))
    if new_body.get("required") and not old_body.get("required"):
        yield "request-body-became-required", "body"
    if old_body and new_body:
        old_media, new_media = _content(old_document, old_body), _content(new_document, new_body)
        for media_type in sorted(old_media.keys() - new_media.keys()):
            yield "request-media-type-removed", media_type
        for media_type in sorted(old_media.keys() & new_media.keys()):
            yield from _request_schema_changes(
                old_document, new_document, old_media[media_type], new_media[media_type], "", set()
            )

    old_responses, new_responses = old.get("responses", {}), new.get("responses", {})
    for status in sorted(old_responses):
        if not str(status).startswith("2"):
            continue
        if status not in new_responses:
            yield "response-status-removed", str(status)
            continue
        old_media = _content(old_document, old_responses[status])
        new_media = _content(new_document, new_responses[status])
        for media_type in sorted(old_media.keys() - new_media.keys()):
            yield "response-media-type-removed", f"{status} {media_type}"
        for media_type in sorted(old_media.keys() & new_media.keys()):
            yield from _response_schema_changes(
                old_document,
                new_document,
                old_media[media_type],
                new_media[media_type],
                str(status),
                set(),
            )

    old_security, new_security = _security(old_document, old), _security(new_document, new)
    if not old_security <= new_security and frozenset() not in new_security:
        yield (
            "security-changed",
            f"{_security_text(old_security)} -> {_security_text(new_security)}",
        )


def _scheme_changes(old: Document, new: Document) -> Iterator[str]:
    old_schemes = old.get("components", {}).get("securitySchemes", {})
    new_schemes = new.get("components", {}).get("securitySchemes", {})
    for name in sorted(old_schemes.keys() & new_schemes.keys()):
        before, after = (
            {key: schemes[name].get(key) for key in ("type", "scheme", "in", "name")}
            for schemes in (old_schemes, new_schemes)
        )
        if {k: str(v).lower() for k, v in before.items()} != {
            k: str(v).lower() for k, v in after.items()
        }:
            described = [
                " ".join(str(value) for value in fields.values() if value is not None)
                for fields in (before, after)
            ]
            yield f"security-scheme-changed: {name}: {described[0]} -> {described[1]}"


def breaking_changes(old: Document, new: Document) -> list[str]:
    """Every change from `old` to `new` that breaks a client of `old`, one line each, sorted."""
    lines = set(_scheme_changes(old, new))
    old_operations, new_operations = _operations(old), _operations(new)
    for key, (path, operation) in old_operations.items():
        method = key[0]
        named = f"{method} {path} ({operation.get('operationId')})"
        if key not in new_operations:
            lines.add(f"operation-removed: {named}")
            continue
        for kind, detail in _operation_changes(old, new, operation, new_operations[key][1]):
            lines.add(f"{kind}: {named}: {detail}")
    return sorted(lines)


def acknowledged(path: Path = ACKNOWLEDGED) -> list[str]:
    """The breaking changes someone has acknowledged since the release (comments aside)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return sorted(line for line in lines if line.strip() and not line.startswith("#"))


ACKNOWLEDGED_HEADER = """\
# Breaking changes since the released spec (clients/released/openapi-0.1.0.json), acknowledged:
# each one is said in the release's notes, with what a client must change. A test fails while
# the changes differ from this list: `make spec-diff` shows them, and
# `.venv/bin/python -m tools.spec_diff --acknowledge` rewrites this file (review the diff).
# When a new spec is released, commit it under clients/released/ and empty this list.
"""


def current_document() -> dict[str, Any]:
    from tools.clients import served_document

    return served_document()


def main(argv: list[str] | None = None) -> int:
    arguments = argv if argv is not None else sys.argv[1:]
    if arguments == ["--acknowledge"]:
        changes = breaking_changes(json.loads(RELEASED.read_text()), current_document())
        ACKNOWLEDGED.write_text(ACKNOWLEDGED_HEADER + "".join(f"{c}\n" for c in changes))
        print(f"{len(changes)} breaking changes written to {ACKNOWLEDGED.relative_to(ROOT)}")
        return 0
    if len(arguments) == 2:
        old, new = (json.loads(Path(argument).read_text()) for argument in arguments)
    elif not arguments:
        old, new = json.loads(RELEASED.read_text()), current_document()
    else:
        print("usage: python -m tools.spec_diff [OLD.json NEW.json | --acknowledge]")
        return 2
    changes = breaking_changes(old, new)
    for change in changes:
        print(change)
    unacknowledged = sorted(set(changes) - set(acknowledged())) if not arguments else []
    print(
        f"{len(changes)} breaking changes"
        + (f", {len(unacknowledged)} not acknowledged" if unacknowledged else ""),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
