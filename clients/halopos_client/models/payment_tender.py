from enum import StrEnum


class PaymentTender(StrEnum):
    CARD = "card"
    CASH = "cash"

    def __str__(self) -> str:
        return str(self.value)
