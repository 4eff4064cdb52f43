"""The events an integrator can subscribe to, and what each one's `data` holds.

One list, read by the writers (which emit through `outbox.py`), the webhooks service (which
lets an endpoint subscribe only to these and lists them for the owner) and docs/webhooks.md.
What each one's `data` holds is its model in `payloads.py`.
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
