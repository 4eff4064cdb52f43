"""RFC 9457 problem details: every error leaves every process in this one shape.

Domain code raises a `Problem` subclass that carries its status, a stable `code` and a human
title; one handler renders it. Validation errors and unhandled exceptions are rendered here too,
so a client never sees a stack trace or an HTML error page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://docs.halopos.example/problems/"

logger = logging.getLogger("halopos.problems")


class Problem(Exception):
    """A domain error with an HTTP status and a stable problem type."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extensions = extensions

    def body(self) -> dict[str, Any]:
        """The problem document, for answers that carry problems per item (offline sync)."""
        return problem_body(
            status=self.status,
            code=self.code,
            title=self.title,
            detail=self.detail,
            **self.extensions,
        )


class Unauthenticated(Problem):
    status = 401
    code = "unauthenticated"
    title = "A valid access token is required"


class InvalidDPoPProof(Unauthenticated):
    code = "invalid-dpop-proof"
    title = "The DPoP proof is missing, invalid or already used"


class InvalidBridgeToken(Unauthenticated):
    code = "invalid-bridge-token"
    title = "The bridge token is invalid, rotated out or revoked"


class PermissionDenied(Problem):
    status = 403
    code = "permission-denied"
    title = "Your role does not allow this action"


class NotFound(Problem):
    status = 404
    code = "not-found"
    title = "No such resource"


class MethodNotAllowed(Problem):
    status = 405
    code = "method-not-allowed"
    title = "Method not allowed"


class Conflict(Problem):
    status = 409
    code = "conflict"
    title = "The request conflicts with the current state"


class RateLimited(Problem):
    status = 429
    code = "rate-limited"
    title = "Too many requests; retry after the time in Retry-After"


class ServiceUnavailable(Problem):
    status = 503
    code = "service-unavailable"
    title = "The service is temporarily unavailable"


class PayloadTooLarge(Problem):
    status = 413
    code = "payload-too-large"
    title = "Request body too large"


class ValidationFailed(Problem):
    status = 422
    code = "validation-failed"
    title = "The request is not valid"


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, as every error is sent (`application/problem+json`)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    code: str = Field(description="Stable machine-readable code; `type` ends with it")
    detail: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field errors, on validation-failed"
    )
    check: str | None = Field(
        default=None,
        description="On invalid-dpop-proof: which check of the proof failed (RFC 9449)",
    )


# What each status means, whatever the route: the first line of its description.
STATUS_MEANINGS: dict[int, str] = {
    400: "The request could not be read (a malformed body, cursor or header)",
    401: "The credentials are missing or not valid",
    403: "Refused: the caller may not do this",
    404: "Not found (or not reachable by the caller)",
    409: "Conflicts with the current state; nothing was changed",
    413: "The request body is too large; nothing was read",
    422: "The request is not valid; nothing was changed",
    428: "A precondition is required",
    429: "Too many requests; retry after the seconds in Retry-After",
    502: "A provider behind the service failed",
    503: "Temporarily unavailable; retry after Retry-After with the same Idempotency-Key",
}

# Headers a problem at that status carries (components/headers, libs/api/openapi.py).
STATUS_HEADERS: dict[int, tuple[str, ...]] = {
    401: ("WWW-Authenticate",),
    429: ("Retry-After",),
    503: ("Retry-After",),
}

PROBLEM_SCHEMA_REF = "#/components/schemas/ProblemDetails"


def problems(*kinds: type[Problem]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that raises these problems: per status, a description
    listing each problem `code` with its title, the codes again as `x-problem-codes` (what
    tests/conftest.py holds every rendered problem to), and the problem schema. Generated
    from the classes the route raises, so the document cannot drift from the code.

    Combine with `|` or `merge_responses`; what every route of a kind can answer (401, 403,
    429, ...) is added by libs/api/openapi.py, not here."""
    by_status: dict[int, dict[str, str]] = {}
    for kind in kinds:
        by_status.setdefault(kind.status, {})[kind.code] = kind.title
    return {status: problem_response_doc(status, codes) for status, codes in by_status.items()}


def problem_response_doc(status: int, codes: Mapping[str, str]) -> dict[str, Any]:
    """One response object: `codes` maps each problem code to its title."""
    ordered = dict(sorted(codes.items()))
    lines = "\n".join(f"- `{code}`: {title}" for code, title in ordered.items())
    meaning = STATUS_MEANINGS.get(status, "Refused")
    doc: dict[str, Any] = {
        "description": f"{meaning}. Problem codes:\n\n{lines}",
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}},
        PROBLEM_CODES: list(ordered),
    }
    if headers := STATUS_HEADERS.get(status):
        doc["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in headers}
    return doc


# The response object's extension listing its problem codes: what tests/conftest.py holds
# every problem a route renders to.
PROBLEM_CODES = "x-problem-codes"
_CODE_LINE = re.compile(r"^- `([^`]+)`: (.*)$", re.MULTILINE)


def problem_codes(response: Mapping[str, Any]) -> dict[str, str]:
    """The codes (with their titles) a response object made by `problem_response_doc` lists."""
    if PROBLEM_CODES not in response:
        return {}
    return dict(_CODE_LINE.findall(str(response.get("description", ""))))


def merge_responses(*declared: Mapping[int | str, Mapping[str, Any]]) -> dict[int | str, Any]:
    """`responses=` dicts (or a document's response objects) merged status by status: the
    problem codes of one status are the union of all; other responses are merged key by key
    (a 200 with its model, then its headers)."""
    merged: dict[int | str, Any] = {}
    for responses in declared:
        for status, response in responses.items():
            key: int | str = int(status) if str(status).isdigit() else status
            before = merged.get(key)
            if before is None:
                merged[key] = dict(response)
            elif PROBLEM_CODES in before and PROBLEM_CODES in response:
                codes = {**problem_codes(before), **problem_codes(response)}
                merged[key] = problem_response_doc(int(key), codes)
            else:
                headers = {**before.get("headers", {}), **response.get("headers", {})}
                merged[key] = {**before, **response}
                if headers:
                    merged[key]["headers"] = headers
    return merged


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return body


def problem_response(
    *, status: int, code: str, title: str, detail: str | None = None, **extensions: Any
) -> JSONResponse:
    headers: dict[str, str] = {}
    if status == 401 and code == InvalidBridgeToken.code:
        # A Bridge's token is an opaque bearer token (RFC 6750 section 3).
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif status == 401:
        # Access tokens are DPoP-bound (RFC 9449 section 7.1): say which scheme and algorithms.
        error = 'error="invalid_dpop_proof", ' if code == InvalidDPoPProof.code else ""
        headers["WWW-Authenticate"] = f'DPoP {error}algs="ES256 EdDSA"'

    if "retry_after" in extensions:
        headers["Retry-After"] = str(extensions["retry_after"])
    elif status == 503:
        # Every 503 says when to try again (declared so in STATUS_HEADERS).
        headers["Retry-After"] = str(DEFAULT_RETRY_AFTER_SECONDS)
    return JSONResponse(
        problem_body(status=status, code=code, title=title, detail=detail, **extensions),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


# A 503's Retry-After when the problem names none: a restarting service is back in seconds.
DEFAULT_RETRY_AFTER_SECONDS = 2


@dataclass(frozen=True)
class Translation:
    """Exceptions from below the domain code that mean a known problem, not a bug: a
    database outage (libs/tenancy/outage.py). `problem` looks at an exception of one of
    `kinds` and gives the problem to answer, or None when it is a bug after all (then it is
    answered and logged as any unhandled error)."""

    kinds: tuple[type[Exception], ...]
    problem: Callable[[Exception], Problem | None]


_HTTP_CODES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "A valid access token is required"),
    403: ("permission-denied", "Your role does not allow this action"),
    404: ("not-found", "No such resource"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "The request conflicts with the current state"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-failed", "The request is not valid"),
    503: ("service-unavailable", "The service is temporarily unavailable"),
}


def validation_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors as problem documents list them: where, what, which kind."""
    return [
        {"location": list(error["loc"]), "message": error["msg"], "kind": error["type"]}
        for error in errors
    ]


def install_problem_handlers(app: FastAPI, translations: Iterable[Translation] = ()) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(
            status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, **exc.extensions
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        return problem_response(
            status=ValidationFailed.status,
            code=ValidationFailed.code,
            title=ValidationFailed.title,
            detail="One or more fields are missing or malformed; nothing was changed.",
            errors=errors,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code, title = _HTTP_CODES.get(exc.status_code, ("http-error", "Request failed"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return problem_response(status=exc.status_code, code=code, title=title, detail=detail)

    async def on_unhandled(request: Request, exc: Exception) -> JSONResponse:
        # Log the cause for operators; tell the client nothing about internals.
        logger.exception("unhandled error", exc_info=exc)
        return problem_response(
            status=500,
            code="internal-error",
            title="Internal error",
            detail="The request was not completed; nothing was changed. Retry with the same "
            "Idempotency-Key.",
        )

    def on_translatable(translation: Translation) -> Callable[..., Any]:
        async def handle(request: Request, exc: Exception) -> JSONResponse:
            problem = translation.problem(exc)
            if problem is None:
                return await on_unhandled(request, exc)
            # One line, no traceback: the cause is outside the code (and repeats per request
            # for as long as it lasts).
            logger.warning(
                "%s %s: %s: %s: %s",
                request.method,
                request.url.path,
                problem.code,
                type(exc).__name__,
                str(exc) or repr(exc),
            )
            return await on_problem(request, problem)

        return handle

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unhandled)
    # By class, not under `Exception`: Starlette answers those inside the app, where the
    # `Exception` handler's errors are re-raised to the server, which logs each traceback.
    for translation in translations:
        for kind in translation.kinds:
            app.add_exception_handler(kind, on_translatable(translation))
