from enum import StrEnum


class ZReportKind(StrEnum):
    X = "X"
    Z = "Z"

    def __str__(self) -> str:
        return str(self.value)
