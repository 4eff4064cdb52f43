"""Stripe's error answers: `{"error": {"type", "code", "message", "param"}}` with Stripe's
statuses, because the library picks its exception class from the status and `type`
(400/404 → InvalidRequestError, 401 → AuthenticationError, `idempotency_error` →
IdempotencyError) and copies `code` and `param` onto it."""

from __future__ import annotations

from typing import Any

DOCS = "https://docs.stripe.com/error-codes"


class StripeError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{DOCS}/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        return {"error": error}


def no_such(kind: str, object_id: str, *, param: str = "id", status: int = 404) -> StripeError:
    """An id that names nothing: 404 when it is the URL's, 400 when a parameter names it."""
    return StripeError(
        status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param
    )


def unknown_parameter(name: str) -> StripeError:
    return StripeError(
        400, f"Received unknown parameter: {name}", code="parameter_unknown", param=name
    )


def missing_parameter(name: str) -> StripeError:
    return StripeError(
        400, f"Missing required param: {name}.", code="parameter_missing", param=name
    )


def invalid_parameter(name: str, message: str, *, code: str | None = None) -> StripeError:
    return StripeError(400, message, code=code, param=name)
