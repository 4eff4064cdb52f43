from enum import StrEnum


class PeriodOutKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    RANGE = "range"
    YEAR = "year"

    def __str__(self) -> str:
        return str(self.value)
