from enum import StrEnum


class ReceiptKind(StrEnum):
    REFUND = "refund"
    SALE = "sale"

    def __str__(self) -> str:
        return str(self.value)
