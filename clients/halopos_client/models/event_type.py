from enum import StrEnum


class EventType(StrEnum):
    ENDPOINT_DISABLED = "endpoint.disabled"
    MENU_CHANGED = "menu.changed"
    ORDER_CLOSED = "order.closed"
    ORDER_VOIDED = "order.voided"
    PERIOD_CLOSED = "period.closed"
    REFUND_ISSUED = "refund.issued"
    SHIFT_CLOSED = "shift.closed"

    def __str__(self) -> str:
        return str(self.value)
