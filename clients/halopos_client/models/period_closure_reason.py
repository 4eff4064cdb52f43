from enum import StrEnum


class PeriodClosureReason(StrEnum):
    CLOSE = "close"
    LATE_ARRIVAL = "late-arrival"

    def __str__(self) -> str:
        return str(self.value)
