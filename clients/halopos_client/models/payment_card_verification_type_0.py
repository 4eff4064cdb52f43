from enum import StrEnum


class PaymentCardVerificationType0(StrEnum):
    SETTLEMENT = "settlement"
    TERMINAL = "terminal"
    UNVERIFIED = "unverified"

    def __str__(self) -> str:
        return str(self.value)
