from enum import StrEnum


class EntitlementViewMode(StrEnum):
    FULL = "full"
    GRACE = "grace"
    READ_ONLY = "read-only"

    def __str__(self) -> str:
        return str(self.value)
