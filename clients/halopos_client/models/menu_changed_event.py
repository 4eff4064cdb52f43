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
    from ..models.menu_changed import MenuChanged


T = TypeVar("T", bound="MenuChangedEvent")


@_attrs_define
class MenuChangedEvent:
    """A delivery of `menu.changed`. The menu or tax configuration changed (items, prices, modifiers, tax rates): read the
    menu again. At most one per change, however many rows it touched.

        Attributes:
            type_ (Literal['menu.changed']): The event type
            timestamp (datetime.datetime): When the event happened (UTC); for a sale a till recorded offline, when the till
                recorded it
            data (MenuChanged): The menu or tax configuration changed (items, prices, modifiers, tax rates): read the
                menu again. At most one per change, however many rows it touched.
    """

    type_: Literal["menu.changed"]
    timestamp: datetime.datetime
    data: MenuChanged

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
        from ..models.menu_changed import MenuChanged

        d = dict(src_dict)
        type_ = cast(Literal["menu.changed"], d.pop("type"))
        if type_ != "menu.changed":
            raise ValueError(f"type must match const 'menu.changed', got '{type_}'")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = MenuChanged.from_dict(d.pop("data"))

        menu_changed_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        return menu_changed_event
