from enum import StrEnum


class PrintJobStatus(StrEnum):
    EXPIRED = "expired"
    FAILED = "failed"
    PRINTED = "printed"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
