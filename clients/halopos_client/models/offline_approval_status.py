from enum import StrEnum


class OfflineApprovalStatus(StrEnum):
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
