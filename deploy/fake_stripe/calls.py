"""One API request as Stripe handles it: the secret key checked, the API version checked, the
parameters read from the query string (GET, DELETE) or the form body (POST), a `Request-Id`
on every answer, and POSTs replayed from their `Idempotency-Key`."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from doubles.fake_stripe.config import API_VERSION, FakeStripeConfig
from doubles.fake_stripe.delivery import WebhookSender
from doubles.fake_stripe.errors import StripeError
from doubles.fake_stripe.forms import Params, parse_form
from doubles.fake_stripe.objects import JsonObject, new_id
from doubles.fake_stripe.state import IdempotentResult, Origin, Store
from fastapi import Depends, Request, Response

NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class FakeStripe:
    """The one account an app serves."""

    config: FakeStripeConfig
    store: Store
    sender: WebhookSender | None


def _account(request: Request) -> FakeStripe:
    account: FakeStripe = request.app.state.fake_stripe
    return account


Account = Annotated[FakeStripe, Depends(_account)]


@dataclass(frozen=True)
class ApiCall:
    request_id: str
    endpoint: str  # "POST /v1/customers": an idempotency key is bound to one endpoint
    params: Params  # as sent; each route checks them against what it accepts
    idempotency_key: str | None

    @property
    def origin(self) -> Origin:
        return Origin(self.request_id, self.idempotency_key)


async def _api_call(request: Request, account: Account) -> ApiCall:
    request_id = new_id("req_")
    # Read by the error handler, so refusals carry a Request-Id too.
    request.state.request_id = request_id
    _authenticate(request.headers.get("authorization"), account.config.api_key)
    version = request.headers.get("stripe-version")
    if version is not None and version != API_VERSION:
        # Stripe would serve an older version's shapes; the fake knows only the pinned one, so
        # a client pinned elsewhere is told rather than answered in shapes it does not expect.
        raise StripeError(
            400,
            f"Stripe-Version {version!r} is not served here: the fake Stripe server speaks "
            f"only {API_VERSION}.",
        )
    if request.method in ("GET", "DELETE"):
        params = parse_form(request.url.query)
    else:
        params = await _form_body(request)
    return ApiCall(
        request_id=request_id,
        endpoint=f"{request.method} {request.url.path}",
        params=params,
        idempotency_key=request.headers.get("idempotency-key"),
    )


Call = Annotated[ApiCall, Depends(_api_call)]


def _authenticate(authorization: str | None, api_key: str) -> None:
    scheme, _, credentials = (authorization or "").partition(" ")
    if scheme.lower() == "bearer":
        presented = credentials.strip()
    elif scheme.lower() == "basic":
        # `curl -u sk_test_…:` sends the key as a Basic user name, which Stripe accepts.
        try:
            presented = base64.b64decode(credentials, validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            presented = ""
    else:
        presented = ""
    if not presented:
        raise StripeError(401, NO_KEY)
    if not hmac.compare_digest(presented.encode(), api_key.encode()):
        raise StripeError(401, f"Invalid API Key provided: {_masked(presented)}")


def _masked(key: str) -> str:
    """As Stripe echoes a refused key: its kind and last four characters only."""
    if len(key) <= 12:
        return "*" * len(key)
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


async def _form_body(request: Request) -> Params:
    body = (await request.body()).decode()
    content_type = request.headers.get("content-type", "")
    if body and content_type.split(";")[0].strip() != FORM:
        raise StripeError(
            400, f"Stripe's v1 API takes form-encoded bodies ({FORM}), not {content_type!r}."
        )
    return parse_form(body)


def answer(
    call: ApiCall, body: JsonObject, *, status: int = 200, replay_of: str | None = None
) -> Response:
    headers = {"Request-Id": call.request_id, "Stripe-Version": API_VERSION}
    if call.idempotency_key is not None:
        headers["Idempotency-Key"] = call.idempotency_key
    if replay_of is not None:
        headers["Idempotent-Replayed"] = "true"
        headers["Original-Request"] = replay_of
    return json_response(body, status=status, headers=headers)


def json_response(body: JsonObject, *, status: int = 200, headers: dict[str, str]) -> Response:
    return Response(
        content=json.dumps(body, indent=2),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def answer_post(call: ApiCall, store: Store, operation: Callable[[], JsonObject]) -> Response:
    """A POST under Stripe's idempotency rules: the same key and parameters replay the first
    answer; the key with other parameters or on another endpoint is refused, before the
    parameters are checked. Only successes are kept, as Stripe keeps no result for a request
    refused before it ran."""
    key = call.idempotency_key
    kept = store.idempotent_results.get(key) if key is not None else None
    if kept is not None:
        if kept.endpoint != call.endpoint:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{kept.endpoint}' vs '{call.endpoint}'). Try using a key other "
                f"than '{key}' if you meant to execute a different request.",
                type="idempotency_error",
            )
        if kept.params != call.params:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                type="idempotency_error",
            )
        return answer(call, kept.body, status=kept.status, replay_of=kept.request_id)
    body = operation()
    if key is not None:
        store.idempotent_results[key] = IdempotentResult(
            endpoint=call.endpoint,
            params=call.params,
            status=200,
            body=body,
            request_id=call.request_id,
        )
    store.save()
    return answer(call, body)


def error_response(request: Request, error: StripeError) -> Response:
    request_id = getattr(request.state, "request_id", None) or new_id("req_")
    headers = {"Request-Id": request_id, "Stripe-Version": API_VERSION}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="Stripe"'
    return json_response(error.body(), status=error.status, headers=headers)
