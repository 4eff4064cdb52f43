from enum import StrEnum


class ReasonCode(StrEnum):
    CUSTOMER_REQUEST = "customer_request"
    ENTERED_IN_ERROR = "entered_in_error"
    ITEM_UNAVAILABLE = "item_unavailable"
    OTHER = "other"
    PRICING_ERROR = "pricing_error"
    QUALITY_ISSUE = "quality_issue"
    WALKOUT = "walkout"

    def __str__(self) -> str:
        return str(self.value)
