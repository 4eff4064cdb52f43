"""A service's OpenAPI document says what the service does: every problem a route can answer
(its own, declared with `problems(...)` in its `responses=`, and what every route of its kind
answers, added here), the headers its responses carry, and the problem schema.

The gateway merges the services' documents and adds what it answers itself (gateway/openapi.py).
Tests hold the running code to the document: with `record_responses` on (tests/conftest.py),
every app made afterwards records each problem and header it sends, and a check at the end of
the run fails on any the document does not declare.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_args

from fastapi import APIRouter, FastAPI
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.api.card_guard import REFUSALS
from libs.api.pagination import InvalidCursor
from libs.auth.dpop import CHECKS
from libs.billing.entitlement import SubscriptionReadOnly
from libs.problems import (
    PROBLEM_CONTENT_TYPE,
    InvalidBridgeToken,
    InvalidDPoPProof,
    PermissionDenied,
    Problem,
    ProblemDetails,
    Unauthenticated,
    ValidationFailed,
    merge_responses,
    problems,
)
from libs.rbac.matrix import Role, Route, is_allowed, route_of_template
from libs.tenancy.outage import DatabaseUnavailable

GRACE_HEADER = "Halopos-Billing-Grace-Until"
REQUEST_ID_HEADER = "X-Request-Id"

# Every response header the API documents, once (components/headers); responses refer to them.
HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": 'The resource\'s version, quoted (`"7"`): send it back as If-Match '
        "(or the body's `version`) to change it.",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "Where the resource created or started lives.",
        "schema": {"type": "string"},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request with the "
        "same Idempotency-Key: nothing was done again.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying (RFC 9110 section 10.2.3).",
        "schema": {"type": "string"},
    },
    "WWW-Authenticate": {
        "description": 'The scheme to authenticate with: `DPoP algs="ES256 EdDSA"`, with '
        '`error="invalid_dpop_proof"` when the proof was refused (RFC 9449 section 7.1); '
        '`Bearer error="invalid_token"` for a Bridge\'s token (RFC 6750).',
        "schema": {"type": "string"},
    },
    REQUEST_ID_HEADER: {
        "description": "This request's id, as the logs and the audit trail name it: quote it "
        "when asking about a request.",
        "schema": {"type": "string"},
    },
    GRACE_HEADER: {
        "description": "Sent while the business's subscription is past due: when (RFC 3339, "
        "UTC) it turns read-only unless paid.",
        "schema": {"type": "string", "format": "date-time"},
    },
    "Content-Disposition": {
        "description": 'A file to save (RFC 6266): `attachment; filename="…"`, the name in '
        "ASCII, and for a name that is not, `filename*=UTF-8''…` as well (RFC 8187). A report "
        "file is named `<business>_<venue>_<report>_<period>` (a business's report has no "
        'venue part): docs/reports.md, "Files".',
        "schema": {"type": "string"},
    },
    "Allow": {
        "description": "The methods the path does answer (RFC 9110 section 10.2.1).",
        "schema": {"type": "string"},
    },
}


def header_refs(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


# The key of `sends`: every success status of the route, whichever they are.
SUCCESS = "success"


def sends(*names: str) -> dict[int | str, Any]:
    """Headers every success of a route carries, for its `responses=`:
    `responses=merge_responses(problems(...), sends("ETag"))`."""
    return {SUCCESS: {"headers": header_refs(*names)}}


def binary(media_type: str, description: str, status: int = 200) -> dict[int | str, Any]:
    """A success response that is a file (a ZIP, JSON Lines, a script), not JSON."""
    schema: dict[str, Any] = {"type": "string"}
    if not media_type.startswith("text/"):
        schema["format"] = "binary"
    return {status: {"description": description, "content": {media_type: {"schema": schema}}}}


_DECLARED = "declared_responses"
Call = TypeVar("Call", bound=Callable[..., Any])


def declares(*kinds: type[Problem], headers: tuple[str, ...] = ()) -> Callable[[Call], Call]:
    """Marks a dependency with the problems it raises and the headers it adds to a success,
    so every route that depends on it declares them (an idempotent request's replay header,
    a manager override's refusals)."""

    def mark(call: Call) -> Call:
        setattr(call, _DECLARED, (kinds, headers))
        return call

    return mark


def _dependency_declarations(
    dependant: Dependant,
) -> tuple[list[type[Problem]], list[str]]:
    kinds: list[type[Problem]] = []
    headers: list[str] = []
    for dependency in dependant.dependencies:
        declared_kinds, declared_headers = getattr(dependency.call, _DECLARED, ((), ()))
        kinds += declared_kinds
        headers += declared_headers
        more_kinds, more_headers = _dependency_declarations(dependency)
        kinds += more_kinds
        headers += more_headers
    return kinds, headers


def shared_problems(
    route: Route | None, *, validates: bool, pages: bool = False
) -> dict[int | str, Any]:
    """What every route of this kind can answer at the service, whatever it does: the card
    guard's refusals (libs/api/card_guard.py) and, with anything to validate, a malformed
    request; a list's cursor that is not one of ours; behind a token, the authentication and
    the permission check; a write the subscription must allow (libs/billing/entitlement.py).
    (And, anywhere, the database out of reach: declared last, by declare_shared_responses.)"""
    kinds: list[type[Problem]] = list(REFUSALS)
    if validates:
        kinds.append(ValidationFailed)
    if pages:
        kinds.append(InvalidCursor)
    if route is not None and route.permission is not None:
        kinds += [Unauthenticated, InvalidDPoPProof, PermissionDenied]
        if is_allowed(Role.BRIDGE, route.permission):
            kinds.append(InvalidBridgeToken)
        if not route.served_read_only:
            kinds.append(SubscriptionReadOnly)
    return problems(*kinds)


def success_headers(route: Route | None) -> tuple[str, ...]:
    """Headers any success of this route may carry: the grace warning on a write."""
    if route is not None and route.permission is not None and not route.served_read_only:
        return (GRACE_HEADER,)
    return ()


def _validates(route: APIRoute) -> bool:
    return bool(get_flat_params(route.dependant)) or route.body_field is not None


def _is_text_cursor(param: ModelField) -> bool:
    """A list's opaque cursor (libs/api/pagination.py), not a number such as the audit's."""
    annotation = param.field_info.annotation
    return param.name == "cursor" and str in (annotation, *get_args(annotation))


def declare_shared_responses(routers: Iterable[APIRouter]) -> None:
    """Give each route the problems every route of its kind answers, merged with its own.
    Done on the routers' own routes, before an app includes them (FastAPI makes the app's
    routes from them); merging is idempotent, so a router included by many apps (tests) is
    declared the same each time."""
    for route in (route for router in routers for route in router.routes):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        method = sorted(route.methods or {"GET"})[0]
        rbac = route_of_template(method, route.path)
        pages = any(_is_text_cursor(param) for param in get_flat_params(route.dependant))
        shared = shared_problems(rbac, validates=_validates(route), pages=pages)
        kinds, headers = _dependency_declarations(route.dependant)
        declared = dict(route.responses)
        success = dict(declared.pop(SUCCESS, {"headers": {}}))
        success["headers"] = {**success["headers"], **header_refs(*headers)}
        successes: dict[int | str, Any] = {}
        if success["headers"]:
            for status in {route.status_code or 200, *declared}:
                if str(status).startswith("2"):
                    successes[status] = success
        # Every route can find the database out of reach (libs/tenancy/outage.py).
        outage = problems(DatabaseUnavailable)
        route.responses = merge_responses(shared, problems(*kinds), declared, successes, outage)


def problem_schema() -> dict[str, Any]:
    schema = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
    schema["properties"]["check"] = {
        "anyOf": [{"type": "string", "enum": sorted(CHECKS)}, {"type": "null"}],
        "description": schema["properties"]["check"]["description"],
        "title": "Check",
    }
    return schema


def complete_document(document: dict[str, Any]) -> dict[str, Any]:
    """The problem schema and the headers under components; every response's X-Request-Id;
    the grace warning on the successes of writes."""
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["ProblemDetails"] = problem_schema()
    # FastAPI's own validation error shape is never sent: ours is a problem (libs/problems.py).
    for unused in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(unused, None)
    components["headers"] = HEADERS
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            rbac = route_of_template(method.upper(), path)
            for status, response in operation.get("responses", {}).items():
                names = [REQUEST_ID_HEADER]
                if status.startswith("2"):
                    names += success_headers(rbac)
                response["headers"] = {**response.get("headers", {}), **header_refs(*names)}
    return document


def install_openapi(app: FastAPI) -> None:
    """`app.openapi()` made by FastAPI and completed as above, once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                # What the service sends rather than serves (OpenAPI 3.1 `webhooks`).
                webhooks=app.webhooks.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = complete_document(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- holding the code to the document (tests) ------------------------------------------------

# The headers whose presence the document must declare where they are sent.
RECORDED_HEADERS = (
    "etag",
    "location",
    "idempotent-replayed",
    "retry-after",
    "www-authenticate",
    "content-disposition",
    GRACE_HEADER.lower(),
)


@dataclass(frozen=True, slots=True)
class Sent:
    """One response as the record keeps it: by method, path, status and problem code."""

    method: str
    path: str
    status: int
    code: str | None
    headers: frozenset[str]


@dataclass
class ResponseRecord:
    sent: set[Sent] = field(default_factory=set)


_record: ResponseRecord | None = None


def record_responses(record: ResponseRecord | None) -> None:
    """Tests only: apps made from now on record what they send into `record` (None: stop)."""
    global _record
    _record = record


def recording() -> ResponseRecord | None:
    return _record


class ResponseRecorder:
    """Records each response's status, problem code and documented headers (tests only: added
    by `create_service_app` and the gateway when `record_responses` is on)."""

    def __init__(self, app: ASGIApp, record: ResponseRecord, problems_only: bool = False) -> None:
        self.app = app
        self.record = record
        # The gateway records only its problems: what it forwards, the service recorded.
        self.problems_only = problems_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        body: list[bytes] = []

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start:
                headers = {key.decode("latin-1").lower(): value for key, value in start["headers"]}
                if headers.get("content-type", b"").decode().startswith(PROBLEM_CONTENT_TYPE):
                    body.append(message.get("body", b""))
                if not message.get("more_body", False) and (body or not self.problems_only):
                    self._keep(scope, start["status"], headers, b"".join(body))
            await send(message)

        await self.app(scope, receive, recording_send)

    def _keep(self, scope: Scope, status: int, headers: dict[str, bytes], body: bytes) -> None:
        code = None
        if body:
            try:
                code = json.loads(body).get("code")
            except (ValueError, AttributeError):
                code = None
        names = frozenset(name for name in RECORDED_HEADERS if name in headers)
        self.record.sent.add(Sent(scope["method"], scope["path"], status, code, names))


def with_recorder(app: ASGIApp) -> ASGIApp:
    record = recording()
    return ResponseRecorder(app, record) if record is not None else app


def undeclared(
    record: Iterable[Sent],
    document: dict[str, Any],
    find: Callable[[str, str], Route | None],
) -> list[str]:
    """Each (operation, status, code or header) sent but not declared by `document`."""
    problems_found: set[str] = set()
    for sent in record:
        # A path with dot segments is no route's, whatever its pattern matches (the gateway
        # refuses it as not found), nor one with control characters (which URL parsers on
        # the way drop or keep, so it may reach no route: a generic 404); a 500 is a bug,
        # which the tests report themselves.
        dot_segment = any(part in (".", "..") for part in sent.path.split("/"))
        unroutable = dot_segment or any(ord(char) < 0x20 for char in sent.path)
        route = None if unroutable else find(sent.method, sent.path)
        if route is None or sent.status == 500:
            continue
        operation = document["paths"].get(route.path, {}).get(route.method.lower())
        if operation is None:
            continue
        where = f"{route.method} {route.path} {sent.status}"
        response = operation["responses"].get(str(sent.status))
        if response is None:
            problems_found.add(f"{where} (code {sent.code}): status not declared")
            continue
        if sent.code is not None and sent.code not in response.get("x-problem-codes", [sent.code]):
            problems_found.add(f"{where}: problem code {sent.code} not declared")
        declared = {name.lower() for name in response.get("headers", {})}
        for name in sorted(sent.headers - declared):
            problems_found.add(f"{where}: header {name} not declared")
    return sorted(problems_found)
