"""Optimistic concurrency for mutable resources (orders, shifts, menu, tax settings, webhook
endpoints): one rule for every service.

A change names the version it was made against, in the body (`version`) or as
`If-Match: "<version>"`; the write succeeds only if the row is still at that version. So two
tills editing one order cannot both win: the second gets 409 and re-reads.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from libs.api import json_schema
from libs.api.openapi import sends
from libs.problems import Conflict, Problem, merge_responses, problems


class VersionRequired(Problem):
    status = 428
    code = "version-required"
    title = "Send the version you are changing, as `version` or If-Match"


class VersionConflict(Conflict):
    code = "version-conflict"
    title = "Changed by someone else since you read it; read it again and retry"

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"It is at version {current_version} now.", current_version=current_version
        )


class VersionMismatch(Problem):
    status = 400
    code = "version-mismatch"
    title = "The body's version and If-Match disagree"


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=40,
        description='The version you are changing, as an ETag: `"3"` (or send `version`)',
    ),
    # What `expected_version` reads; anything else is answered 428 (not validated here, so
    # that answer stays as it was). A header is absent or a string, never null.
    WithJsonSchema({"type": "string", "maxLength": 40, "pattern": r'^(W/)?"?[0-9]{1,18}"?$'}),
]


class VersionedChange(BaseModel):
    """A request body that changes a versioned resource: it names the version it was made
    against. The server also takes `If-Match` instead (`expected_version`), but a document
    cannot tie a body member to a header, so the document asks for the member, which every
    client can send; without either the answer is 428. Subclasses add their own rules to the
    document by extending `document_rules`."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(
        default=None,
        ge=1,
        description="The version you are changing (as read). The document requires it; a "
        'client that sends `If-Match: "<version>"` instead may leave it out (both sent must '
        "agree)",
    )

    @classmethod
    def document_rules(cls, schema: json_schema.JsonSchema) -> None:
        json_schema.require(schema, "version")
        json_schema.refuse_null(schema, ["version"])

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return json_schema.refine(handler, core_schema, cls.document_rules)


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(body_version: int | None, if_match: str | None) -> int:
    """The version the client changed, from the body or If-Match (which must agree)."""
    header_version: int | None = None
    if if_match is not None:
        tag = if_match.strip().removeprefix("W/").strip('"')
        if not tag.isdigit():
            raise VersionRequired(f"If-Match must be a version such as '\"3\"', not {if_match!r}.")
        header_version = int(tag)
    if body_version is not None and header_version is not None and body_version != header_version:
        raise VersionMismatch(body_version=body_version, if_match=header_version)
    version = body_version if body_version is not None else header_version
    if version is None:
        raise VersionRequired()
    return version


def check_version(current: int, expected: int) -> None:
    if current != expected:
        raise VersionConflict(current)


# What a change naming its version declares (`responses=`): its refusals, and the new
# version as ETag on its answer.
VERSIONED = merge_responses(
    problems(VersionRequired, VersionMismatch, VersionConflict), sends("ETag")
)
# A read of a versioned resource: its version as ETag.
VERSIONED_READ = sends("ETag")
