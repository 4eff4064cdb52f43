from enum import StrEnum


class AckStatus(StrEnum):
    FAILED = "failed"
    PRINTED = "printed"

    def __str__(self) -> str:
        return str(self.value)
