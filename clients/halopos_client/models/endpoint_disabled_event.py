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
    from ..models.endpoint_disabled import EndpointDisabled


T = TypeVar("T", bound="EndpointDisabledEvent")


@_attrs_define
class EndpointDisabledEvent:
    """A delivery of `endpoint.disabled`. Another endpoint of the business was disabled after failing to accept deliveries.

    Attributes:
        type_ (Literal['endpoint.disabled']): The event type
        timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
            recorded it
        data (EndpointDisabled): Another endpoint of the business was disabled after failing to accept deliveries; its
            deliveries wait until an owner enables it again.
    """

    type_: Literal["endpoint.disabled"]
    timestamp: datetime.datetime
    data: EndpointDisabled

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
        from ..models.endpoint_disabled import EndpointDisabled

        d = dict(src_dict)
        type_ = cast(Literal["endpoint.disabled"], d.pop("type"))
        if type_ != "endpoint.disabled":
            raise ValueError(
                f"type must match const 'endpoint.disabled', got '{type_}'"
            )

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = EndpointDisabled.from_dict(d.pop("data"))

        endpoint_disabled_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return endpoint_disabled_event
