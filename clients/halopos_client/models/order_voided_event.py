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
    from ..models.order_voided import OrderVoided


T = TypeVar("T", bound="OrderVoidedEvent")


@_attrs_define
class OrderVoidedEvent:
    """A delivery of `order.voided`. An unpaid open order was voided.

    Attributes:
        type_ (Literal['order.voided']): The event type
        timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
            recorded it
        data (OrderVoided): An unpaid open order was voided.
    """

    type_: Literal["order.voided"]
    timestamp: datetime.datetime
    data: OrderVoided

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
        from ..models.order_voided import OrderVoided

        d = dict(src_dict)
        type_ = cast(Literal["order.voided"], d.pop("type"))
        if type_ != "order.voided":
            raise ValueError(f"type must match const 'order.voided', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = OrderVoided.from_dict(d.pop("data"))

        order_voided_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return order_voided_event
