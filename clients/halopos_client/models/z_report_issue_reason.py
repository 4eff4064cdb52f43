from enum import StrEnum


class ZReportIssueReason(StrEnum):
    CLOSE = "close"
    LATE_ARRIVAL = "late-arrival"

    def __str__(self) -> str:
        return str(self.value)
