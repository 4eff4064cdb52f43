from enum import StrEnum


class BusinessRegion(StrEnum):
    AU = "au"
    EU = "eu"

    def __str__(self) -> str:
        return str(self.value)
