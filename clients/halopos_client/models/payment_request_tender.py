from enum import StrEnum


class PaymentRequestTender(StrEnum):
    CARD = "card"
    CASH = "cash"

    def __str__(self) -> str:
        return str(self.value)
