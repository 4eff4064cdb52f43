from enum import StrEnum


class MenuCategoryCreatePrinterRoleType0(StrEnum):
    BAR = "bar"
    KITCHEN = "kitchen"

    def __str__(self) -> str:
        return str(self.value)
