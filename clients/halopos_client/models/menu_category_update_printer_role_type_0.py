from enum import StrEnum


class MenuCategoryUpdatePrinterRoleType0(StrEnum):
    BAR = "bar"
    KITCHEN = "kitchen"

    def __str__(self) -> str:
        return str(self.value)
