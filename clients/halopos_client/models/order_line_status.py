from enum import StrEnum


class OrderLineStatus(StrEnum):
    ACTIVE = "active"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
