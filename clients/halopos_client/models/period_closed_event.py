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
    from ..models.period_closed import PeriodClosed


T = TypeVar("T", bound="PeriodClosedEvent")


@_attrs_define
class PeriodClosedEvent:
    """A delivery of `period.closed`. A venue's day, month or year was closed in the books.

    Attributes:
        type_ (Literal['period.closed']): The event type
        timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
            recorded it
        data (PeriodClosed): A venue's day, month or year was closed in the books, or closed again because sales
            arrived after it (`late-arrival`, a new `version`): `GET /v1/reports/closures`.
    """

    type_: Literal["period.closed"]
    timestamp: datetime.datetime
    data: PeriodClosed

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
        from ..models.period_closed import PeriodClosed

        d = dict(src_dict)
        type_ = cast(Literal["period.closed"], d.pop("type"))
        if type_ != "period.closed":
            raise ValueError(f"type must match const 'period.closed', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = PeriodClosed.from_dict(d.pop("data"))

        period_closed_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return period_closed_event
