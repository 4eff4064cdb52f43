from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.refund_issued import RefundIssued


T = TypeVar("T", bound="RefundIssuedEvent")


@_attrs_define
class RefundIssuedEvent:
    """A delivery of `refund.issued`. Money was given back on a closed order; a refund receipt was issued.

    Attributes:
        type_ (Literal['refund.issued']): The event type
        timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
            recorded it
        data (RefundIssued): Money was given back on a closed order; a refund receipt was issued.
    """

    type_: Literal["refund.issued"]
    timestamp: datetime.datetime
    data: RefundIssued

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "timestamp": timestamp,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refund_issued import RefundIssued

        d = dict(src_dict)
        type_ = cast(Literal["refund.issued"], d.pop("type"))
        if type_ != "refund.issued":
            raise ValueError(f"type must match const 'refund.issued', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = RefundIssued.from_dict(d.pop("data"))

        refund_issued_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return refund_issued_event
