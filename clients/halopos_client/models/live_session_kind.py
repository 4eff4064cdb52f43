from enum import StrEnum


class LiveSessionKind(StrEnum):
    BACKOFFICE = "backoffice"
    POS = "pos"

    def __str__(self) -> str:
        return str(self.value)
