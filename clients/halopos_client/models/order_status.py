from enum import StrEnum


class OrderStatus(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
