from enum import StrEnum


class RefundedTenderOutTender(StrEnum):
    CARD = "card"
    CASH = "cash"

    def __str__(self) -> str:
        return str(self.value)
