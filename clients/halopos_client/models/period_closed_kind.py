from enum import StrEnum


class PeriodClosedKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    def __str__(self) -> str:
        return str(self.value)
