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
    from ..models.shift_closed import ShiftClosed


T = TypeVar("T", bound="ShiftClosedEvent")


@_attrs_define
class ShiftClosedEvent:
    """A delivery of `shift.closed`. A register's shift was closed with its cash count (Z report).

    Attributes:
        type_ (Literal['shift.closed']): The event type
        timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
            recorded it
        data (ShiftClosed): A register's shift was closed with its count (its Z report: `GET /v1/shifts/{id}`).
    """

    type_: Literal["shift.closed"]
    timestamp: datetime.datetime
    data: ShiftClosed

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
        from ..models.shift_closed import ShiftClosed

        d = dict(src_dict)
        type_ = cast(Literal["shift.closed"], d.pop("type"))
        if type_ != "shift.closed":
            raise ValueError(f"type must match const 'shift.closed', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = ShiftClosed.from_dict(d.pop("data"))

        shift_closed_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return shift_closed_event
