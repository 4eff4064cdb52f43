"""RFC 9457 problem details: every error leaves every process in this one shape.

Domain code raises a `Problem` subclass that carries its status, a stable `code` and a human
title; one handler renders it. Validation errors and unhandled exceptions are rendered here too,
so a client never sees a stack trace or an HTML error page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
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


def problem_doc(description: str) -> dict[str, Any]:
    return {
        "model": ProblemDetails,
        "description": description,
        # FastAPI puts the model's schema under application/json only; errors are sent as this.
        "content": {
            PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
        },
    }


# Declared on every service route, so the published spec shows the error shape integrators get:
# what any route can answer, whatever it does (a route declares its own 404, 409, ... itself).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    # A body that is not JSON, a cursor or an If-Match that is not one of ours.
    400: problem_doc("The request could not be read (malformed body, cursor or header)"),
    401: problem_doc("No valid access token"),
    403: problem_doc("The role lacks the route's permission"),
    # The card-data guard reads at most its limit of any request's body (libs/api/card_guard.py).
    413: problem_doc("The request body is too large; nothing was read"),
    422: problem_doc("The request is not valid; nothing was changed"),
    # The gateway's rate limits and its caps on requests in flight (docs/gateway.md).
    429: problem_doc("Too many requests; retry after the seconds in Retry-After"),
    503: problem_doc("Temporarily unavailable; retry with the same Idempotency-Key"),
}


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
    return JSONResponse(
        problem_body(status=status, code=code, title=title, detail=detail, **extensions),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


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


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(
            status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, **exc.extensions
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        return problem_response(
            status=422,
            code="validation-failed",
            title="The request is not valid",
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

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unhandled)
