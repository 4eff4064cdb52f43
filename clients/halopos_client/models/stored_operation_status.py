from enum import StrEnum


class StoredOperationStatus(StrEnum):
    APPLIED = "applied"
    PENDING = "pending"
    REJECTED = "rejected"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
