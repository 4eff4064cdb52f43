from enum import StrEnum


class SyncListApprovalsStatusType0(StrEnum):
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
