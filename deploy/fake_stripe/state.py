"""Everything the fake account holds: its objects, its events in order, the answers kept for
idempotent replays and which events its webhook endpoint has not yet acknowledged.

Objects are kept as the JSON Stripe answers with, so what is stored is what is served (and
what an event's snapshot copies). Each request changes the store and then calls `save()`
once: the state file is written and only then are the request's new events handed to the
webhook sender, so an event is never pushed that a restart would forget.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from doubles.fake_stripe import catalog
from doubles.fake_stripe.config import API_VERSION
from doubles.fake_stripe.errors import no_such
from doubles.fake_stripe.objects import JsonObject, new_id, now

STATE_FORMAT = 1


@dataclass(frozen=True)
class Origin:
    """The API request behind an event (`event.request`); both None when Stripe acted on
    its own or for a customer's browser (a completed Checkout, a portal cancellation)."""

    request_id: str | None = None
    idempotency_key: str | None = None


AUTOMATIC = Origin()


@dataclass(frozen=True)
class IdempotentResult:
    endpoint: str  # "POST /v1/customers"
    params: dict[str, Any]
    status: int
    body: JsonObject
    request_id: str


class Store:
    def __init__(self, *, state_file: Path | None, webhook_endpoints: int) -> None:
        self.state_file = state_file
        # 1 with a webhook URL configured, else 0: every new event's `pending_webhooks`.
        self.webhook_endpoints = webhook_endpoints
        self.objects: dict[str, JsonObject] = {}
        # A Checkout Session's line items are served only when expanded, and its
        # `subscription_data[metadata]` is not served at all (it becomes the subscription's
        # metadata on completion), so both live beside the session, by session id.
        self.checkout_line_items: dict[str, JsonObject] = {}
        self.checkout_subscription_metadata: dict[str, dict[str, str]] = {}
        self.events: list[JsonObject] = []
        self.idempotent_results: dict[str, IdempotentResult] = {}
        # Events the endpoint has not acknowledged: "pending" while the sender still tries,
        # "failed" once it gave up (left for `/_fake/events/{id}/resend`).
        self.webhook_state: dict[str, str] = {}
        self._event_positions: dict[str, int] = {}
        self._unpublished: list[str] = []
        self._subscribers: list[Callable[[str], None]] = []

    @classmethod
    def open(cls, *, state_file: Path | None, webhook_endpoints: int) -> Store:
        store = cls(state_file=state_file, webhook_endpoints=webhook_endpoints)
        if state_file is not None and state_file.exists():
            store._load(json.loads(state_file.read_text()))
        for seeded in catalog.seeded():
            store.objects.setdefault(seeded["id"], seeded)
        return store

    # Objects

    def find(self, object_id: str, kind: str) -> JsonObject | None:
        """The object with this id if it is a `kind` ("customer", "checkout.session", …)."""
        found = self.objects.get(object_id)
        if found is None or found["object"] != kind:
            return None
        return found

    def require(self, object_id: str, kind: str) -> JsonObject:
        """The object, or Stripe's 404 for an id in the URL that names no such thing."""
        found = self.find(object_id, kind)
        if found is None:
            raise no_such(kind, object_id)
        return found

    def add(self, stored: JsonObject) -> JsonObject:
        self.objects[stored["id"]] = stored
        return stored

    # Events

    def record_event(
        self,
        type: str,
        subject: JsonObject,
        origin: Origin,
        previous_attributes: JsonObject | None = None,
    ) -> JsonObject:
        data: JsonObject = {"object": copy.deepcopy(subject)}
        if previous_attributes is not None:
            data["previous_attributes"] = copy.deepcopy(previous_attributes)
        event: JsonObject = {
            "id": new_id("evt_"),
            "object": "event",
            "api_version": API_VERSION,
            "created": now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": self.webhook_endpoints,
            "request": {"id": origin.request_id, "idempotency_key": origin.idempotency_key},
            "type": type,
        }
        self._event_positions[event["id"]] = len(self.events)
        self.events.append(event)
        if self.webhook_endpoints:
            self.webhook_state[event["id"]] = "pending"
            self._unpublished.append(event["id"])
        return event

    def event(self, event_id: str) -> JsonObject | None:
        position = self._event_positions.get(event_id)
        return None if position is None else self.events[position]

    def require_event(self, event_id: str) -> JsonObject:
        found = self.event(event_id)
        if found is None:
            raise no_such("event", event_id)
        return found

    def event_position(self, event_id: str) -> int | None:
        return self._event_positions.get(event_id)

    def pending_deliveries(self) -> list[str]:
        """Events a previous run had not finished trying to push, oldest first."""
        return [
            event["id"] for event in self.events if self.webhook_state.get(event["id"]) == "pending"
        ]

    def mark_delivered(self, event_id: str) -> None:
        event = self.event(event_id)
        if event is not None and event_id in self.webhook_state:
            del self.webhook_state[event_id]
            event["pending_webhooks"] = 0

    def mark_failed(self, event_id: str) -> None:
        if event_id in self.webhook_state:
            self.webhook_state[event_id] = "failed"

    def subscribe(self, on_event: Callable[[str], None]) -> None:
        """`on_event(event_id)` for each new event to push, once it is saved."""
        self._subscribers.append(on_event)

    # Persistence

    def save(self) -> None:
        if self.state_file is not None:
            self._write(self.state_file)
        published, self._unpublished = self._unpublished, []
        for event_id in published:
            for on_event in self._subscribers:
                on_event(event_id)

    def _write(self, path: Path) -> None:
        document = {
            "format": STATE_FORMAT,
            "objects": self.objects,
            "checkout_line_items": self.checkout_line_items,
            "checkout_subscription_metadata": self.checkout_subscription_metadata,
            "events": self.events,
            "idempotent_results": {
                key: asdict(result) for key, result in self.idempotent_results.items()
            },
            "webhook_state": self.webhook_state,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed over, so a crash mid-write leaves the previous state whole.
        # The write blocks the event loop briefly; the file is small and the fake serves one
        # developer or one test run.
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(document))
        os.replace(partial, path)

    def _load(self, document: dict[str, Any]) -> None:
        if document.get("format") != STATE_FORMAT:
            raise RuntimeError(
                f"{self.state_file}: not a fake Stripe state file of format {STATE_FORMAT}"
            )
        self.objects = document["objects"]
        self.checkout_line_items = document["checkout_line_items"]
        self.checkout_subscription_metadata = document["checkout_subscription_metadata"]
        self.events = document["events"]
        self._event_positions = {event["id"]: index for index, event in enumerate(self.events)}
        self.idempotent_results = {
            key: IdempotentResult(**result)
            for key, result in document["idempotent_results"].items()
        }
        self.webhook_state = document["webhook_state"]
