from enum import StrEnum


class StaffRole(StrEnum):
    ACCOUNTANT = "accountant"
    CASHIER = "cashier"
    MANAGER = "manager"
    OWNER = "owner"

    def __str__(self) -> str:
        return str(self.value)
