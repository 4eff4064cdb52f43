"""The events an integrator can subscribe to, and what each one's `data` holds.

One list, read by the writers (which emit through `outbox.py`), the webhooks service (which
lets an endpoint subscribe only to these and lists them for the owner) and docs/webhooks.md.
Payloads carry ids, amounts in integer minor units with their ISO 4217 currency, and UTC
times: never a person's name or e-mail address (staff appear by id only), so a receiver that
logs what it gets stores no personal data of ours.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    ORDER_CLOSED = "order.closed"
    ORDER_VOIDED = "order.voided"
    REFUND_ISSUED = "refund.issued"
    SHIFT_CLOSED = "shift.closed"
    MENU_CHANGED = "menu.changed"
    PERIOD_CLOSED = "period.closed"
    # Operational: sent to the business's other endpoints when one is disabled for failing.
    ENDPOINT_DISABLED = "endpoint.disabled"


DESCRIPTIONS: dict[EventType, str] = {
    EventType.ORDER_CLOSED: "A sale was paid in full and closed; its receipt was issued.",
    EventType.ORDER_VOIDED: "An unpaid open order was voided.",
    EventType.REFUND_ISSUED: "Money was given back on a closed order; a refund receipt was issued.",
    EventType.SHIFT_CLOSED: "A register's shift was closed with its cash count (Z report).",
    EventType.MENU_CHANGED: (
        "The menu or tax configuration changed (items, prices, modifiers, tax rates): read "
        "the menu again. At most one per change, however many rows it touched."
    ),
    EventType.PERIOD_CLOSED: "A venue's day, month or year was closed in the books.",
    EventType.ENDPOINT_DISABLED: (
        "Another endpoint of the business was disabled after failing to accept deliveries."
    ),
}

EXAMPLES: dict[EventType, dict[str, object]] = {
    EventType.ORDER_CLOSED: {
        "order_id": "0b5c2f1e-5d0a-4c8e-9d3e-2a1f6b7c8d9e",
        "location_id": "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
        "receipt_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "receipt_number": "R1-000042",
        "shift_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "currency": "AUD",
        "total_minor": 1250,
        "tax_minor": 114,
        "rounding_minor": 0,
        "paid_minor": 1250,
        "closed_at": "2026-12-07T03:15:00Z",
        "offline": False,
    },
    EventType.PERIOD_CLOSED: {
        "closure_id": "2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d",
        "location_id": "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
        "kind": "day",
        "period": "2026-12-06",
        "version": 1,
        "reason": "close",
        "closed_at": "2026-12-07T03:15:00Z",
    },
}
