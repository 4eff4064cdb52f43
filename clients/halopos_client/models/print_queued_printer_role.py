from enum import StrEnum


class PrintQueuedPrinterRole(StrEnum):
    BAR = "bar"
    KITCHEN = "kitchen"
    RECEIPT = "receipt"

    def __str__(self) -> str:
        return str(self.value)
