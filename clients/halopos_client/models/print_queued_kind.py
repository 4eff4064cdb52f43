from enum import StrEnum


class PrintQueuedKind(StrEnum):
    KITCHEN_TICKET = "kitchen_ticket"
    RECEIPT = "receipt"
    REPRINT = "reprint"

    def __str__(self) -> str:
        return str(self.value)
