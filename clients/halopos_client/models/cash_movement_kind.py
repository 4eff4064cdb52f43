from enum import StrEnum


class CashMovementKind(StrEnum):
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"

    def __str__(self) -> str:
        return str(self.value)
