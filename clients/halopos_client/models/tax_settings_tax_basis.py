from enum import StrEnum


class TaxSettingsTaxBasis(StrEnum):
    ACCRUAL = "accrual"
    CASH = "cash"

    def __str__(self) -> str:
        return str(self.value)
