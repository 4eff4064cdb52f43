from enum import StrEnum


class ReceiptPaymentTender(StrEnum):
    CARD = "card"
    CASH = "cash"

    def __str__(self) -> str:
        return str(self.value)
