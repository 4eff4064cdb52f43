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
    from ..models.order_closed import OrderClosed


T = TypeVar("T", bound="OrderClosedEvent")


@_attrs_define
class OrderClosedEvent:
    """A delivery of `order.closed`. A sale was paid in full and closed; its receipt was issued.

    Attributes:
        type_ (Literal['order.closed']): The event type
        timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
            recorded it
        data (OrderClosed): A sale was paid in full and closed; its receipt was issued.
    """

    type_: Literal["order.closed"]
    timestamp: datetime.datetime
    data: OrderClosed

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
        from ..models.order_closed import OrderClosed

        d = dict(src_dict)
        type_ = cast(Literal["order.closed"], d.pop("type"))
        if type_ != "order.closed":
            raise ValueError(f"type must match const 'order.closed', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = OrderClosed.from_dict(d.pop("data"))

        order_closed_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return order_closed_event
