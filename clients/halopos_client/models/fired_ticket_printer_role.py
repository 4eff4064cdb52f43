from enum import StrEnum


class FiredTicketPrinterRole(StrEnum):
    BAR = "bar"
    KITCHEN = "kitchen"

    def __str__(self) -> str:
        return str(self.value)
