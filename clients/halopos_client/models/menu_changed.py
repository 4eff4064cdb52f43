from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MenuChanged")


@_attrs_define
class MenuChanged:
    """The menu or tax configuration changed (items, prices, modifiers, tax rates): read the
    menu again. At most one per change, however many rows it touched.

        Attributes:
            changed_at (datetime.datetime):
    """

    changed_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        changed_at = self.changed_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "changed_at": changed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        menu_changed = cls(
            changed_at=changed_at,
        )

        return menu_changed
