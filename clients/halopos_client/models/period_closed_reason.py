from enum import StrEnum


class PeriodClosedReason(StrEnum):
    CLOSE = "close"
    LATE_ARRIVAL = "late-arrival"

    def __str__(self) -> str:
        return str(self.value)
