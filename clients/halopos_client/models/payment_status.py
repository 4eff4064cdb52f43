from enum import StrEnum


class PaymentStatus(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    PENDING = "pending"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
