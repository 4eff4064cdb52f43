from enum import StrEnum


class OverrideAction(StrEnum):
    DISCOUNT = "discount"
    REFUND = "refund"
    SHIFT_FORCE_CLOSE = "shift_force_close"
    VOID = "void"

    def __str__(self) -> str:
        return str(self.value)
