"""The events halopos sends, declared in the OpenAPI document's `webhooks` (OpenAPI 3.1): per
event type a `post` an integrator's endpoint receives, its body the event's envelope
(libs/webhooks/payloads.py, the models the writers build), the three Standard Webhooks
headers, and the answer we expect. Never routes of ours: nothing here is served or called.
The gateway carries them into the merged document (gateway/openapi.py); the integrators'
generated types (web/api/schema.d.ts) include them."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI, Header
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.models import Schema
from fastapi.responses import Response
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from libs.webhooks.events import DESCRIPTIONS, EventType
from libs.webhooks.payloads import ENVELOPES

# Their operations' group (and operationIds' prefix): `webhook_events.order_closed`.
TAG = "webhook events"

# Each header's description and pattern (as signing.py writes them).
HEADERS: dict[str, tuple[str, str]] = {
    "webhook-id": (
        "The message id (a UUID), the same on every attempt and replay of this event: keep "
        "the ids you have processed and drop a repeat (delivery is at least once).",
        r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    ),
    "webhook-timestamp": (
        "Unix seconds of this attempt; refuse one far from your clock (the Standard Webhooks "
        "libraries allow 5 minutes).",
        r"^[0-9]+$",
    ),
    "webhook-signature": (
        "`v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the "
        "endpoint's secret (the bytes of the base64 after `whsec_`); during a secret's rotation "
        "two, separated by a space: accept the delivery if either verifies.",
        r"^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$",
    ),
}

DESCRIPTION = (
    " Sent to each of the business's enabled endpoints subscribed to this type "
    "(`POST /v1/webhooks/endpoints`), signed per Standard Webhooks: verify the signature "
    "over the raw body before trusting it. The body's `data` carries ids, amounts in integer "
    "minor units with their currency, and UTC times; never a person's name or e-mail address. "
    "Answer 2xx within 10 seconds; anything else is retried (docs/webhooks.md)."
)

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Received (any 2xx is): the delivery is done."},
    # Also keeps FastAPI from declaring its 422, which is ours to send, not the receiver's.
    "default": {
        "description": "Any other status, a timeout (10 s), a refused connection or a redirect "
        "(never followed): the delivery is retried on the schedule, and an endpoint that keeps "
        "failing is disabled."
    },
}


def _never_called(envelope: type[BaseModel]) -> Callable[..., Awaitable[None]]:
    """A handler whose signature FastAPI reads to describe the request: the envelope as the
    JSON body, the headers by their own names."""

    async def receive(**_: Any) -> None:
        raise NotImplementedError("a webhook is sent by halopos, not served")

    parameters = [
        inspect.Parameter(
            "event", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[envelope, Body()]
        ),
        *(
            inspect.Parameter(
                name.replace("-", "_"),
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    str,
                    Header(
                        alias=name,
                        convert_underscores=False,
                        description=description,
                        pattern=pattern,
                    ),
                ],
            )
            for name, (description, pattern) in HEADERS.items()
        ),
    ]
    receive.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return receive


def router() -> APIRouter:
    """One `post` per event type, in the order of `EventType`."""
    declared = APIRouter()
    for event_type in EventType:
        name = event_type.value.replace(".", "_")
        declared.add_api_route(
            event_type.value,
            _never_called(ENVELOPES[event_type]),
            methods=["POST"],
            name=name,
            operation_id=f"{TAG.replace(' ', '_')}.{name}",
            summary=f"`{event_type}`",
            description=DESCRIPTIONS[event_type] + DESCRIPTION,
            tags=[TAG],
            response_class=Response,
            responses=RESPONSES,
        )
    return declared


def declare(app: FastAPI) -> None:
    """The events in `app`'s document: the operations on `app.webhooks`, and their bodies'
    schemas as we write them. FastAPI describes a request body as what a server accepts
    (validation); a webhook's is what we send (serialization): a tax rate is a decimal string,
    exactly as the reports' responses declare it, one schema of each name in the merged
    document."""
    app.webhooks.include_router(router())
    make = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = make()
        if first:
            _, sent = models_json_schema(
                [(envelope, "serialization") for envelope in ENVELOPES.values()],
                ref_template="#/components/schemas/{model}",
            )
            schemas = document["components"]["schemas"]
            for name, schema in sent["$defs"].items():
                # Written as FastAPI writes every other schema (its keys in the same order).
                schemas[name] = jsonable_encoder(
                    Schema.model_validate(schema), by_alias=True, exclude_none=True
                )
        return document

    app.openapi = openapi  # type: ignore[method-assign]
