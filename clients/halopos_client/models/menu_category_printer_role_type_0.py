from enum import StrEnum


class MenuCategoryPrinterRoleType0(StrEnum):
    BAR = "bar"
    KITCHEN = "kitchen"

    def __str__(self) -> str:
        return str(self.value)
