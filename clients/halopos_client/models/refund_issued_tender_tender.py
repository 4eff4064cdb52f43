from enum import StrEnum


class RefundIssuedTenderTender(StrEnum):
    CARD = "card"
    CASH = "cash"

    def __str__(self) -> str:
        return str(self.value)
