from enum import StrEnum


class ReceiptSeries(StrEnum):
    O = "O"
    VALUE_0 = ""

    def __str__(self) -> str:
        return str(self.value)
