"""The events are declared in the merged OpenAPI document's `webhooks` (OpenAPI 3.1), from the
models the writers build (libs/webhooks/payloads.py). What is actually delivered is held to
the document by the test receiver (tests/support/webhooks.py) in every delivery test here,
which between them send every event type; these check the declarations themselves, and that
the check on the wire has teeth."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from libs.webhooks.events import DESCRIPTIONS, EventType
from libs.webhooks.payloads import DATA, ENVELOPES, OrderClosed
from tests.fuzz.stack import merged_openapi_document
from tests.support.webhooks import undocumented

DOCUMENT = merged_openapi_document()
STANDARD_WEBHOOKS_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"]


def _schema(ref: str) -> dict[str, object]:
    schema: dict[str, object] = DOCUMENT["components"]["schemas"][
        ref.removeprefix("#/components/schemas/")
    ]
    return schema


@pytest.mark.parametrize("event_type", list(EventType), ids=str)
def test_every_event_type_is_declared_with_its_body_and_headers(event_type: EventType) -> None:
    operation = DOCUMENT["webhooks"][event_type.value]["post"]
    assert operation["operationId"] == f"webhook_events.{event_type.value.replace('.', '_')}"
    assert operation["description"].startswith(DESCRIPTIONS[event_type])
    assert [(p["name"], p["in"], p["required"]) for p in operation["parameters"]] == [
        (name, "header", True) for name in STANDARD_WEBHOOKS_HEADERS
    ]
    assert [status for status in operation["responses"] if status.startswith("2")] == ["200"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    envelope = _schema(body["$ref"])
    assert envelope["title"] == ENVELOPES[event_type].__name__
    assert envelope["required"] == ["type", "timestamp", "data"]
    properties = envelope["properties"]
    assert isinstance(properties, dict)
    assert properties["type"]["const"] == event_type.value
    data = _schema(properties["data"]["$ref"])
    assert data["title"] == DATA[event_type].__name__
    assert data["additionalProperties"] is False


def test_operation_ids_are_unique_across_paths_and_webhooks() -> None:
    ids = [
        operation["operationId"]
        for items in (DOCUMENT["paths"], DOCUMENT["webhooks"])
        for item in items.values()
        for operation in item.values()
    ]
    assert [name for name, count in Counter(ids).items() if count > 1] == []


def test_the_webhooks_are_no_paths_anyone_can_call() -> None:
    # Sent, never served: a fuzzer or a generated client reading `paths` never calls them.
    assert {path.strip("/") for path in DOCUMENT["paths"]}.isdisjoint(set(EventType))


def _wire(event: dict[str, object]) -> bytes:
    """As the worker writes a body: compact, keys sorted."""
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()


def test_a_body_the_model_makes_matches_and_a_changed_one_does_not() -> None:
    example = OrderClosed.model_json_schema()["examples"][0]
    data = OrderClosed.model_validate(example).model_dump(mode="json")
    event = {"type": "order.closed", "timestamp": "2026-12-07T03:15:00Z", "data": data}
    assert undocumented(_wire(event)) == []

    renamed = {**data, "total": data["total_minor"]}
    del renamed["total_minor"]
    assert undocumented(_wire({**event, "data": renamed}))
    assert undocumented(_wire({**event, "data": {**data, "currency": "aud"}}))
    assert undocumented(_wire({**event, "type": "order.reopened"}))


def test_a_misspelt_field_fails_where_the_event_is_built() -> None:
    example = OrderClosed.model_json_schema()["examples"][0]
    with pytest.raises(ValueError, match="total_minr"):
        OrderClosed.model_validate({**example, "total_minr": 1})
