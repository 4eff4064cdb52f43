from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entitlement_view_mode import EntitlementViewMode

T = TypeVar("T", bound="EntitlementView")


@_attrs_define
class EntitlementView:
    """
    Attributes:
        mode (EntitlementViewMode): full; grace: past due, full use until `grace_until`; read-only: new sales refused,
            everything recorded still readable and exportable
        grace_until (datetime.datetime | None):
    """

    mode: EntitlementViewMode
    grace_until: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        grace_until: None | str
        if isinstance(self.grace_until, datetime.datetime):
            grace_until = self.grace_until.isoformat()
        else:
            grace_until = self.grace_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mode": mode,
                "grace_until": grace_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mode = EntitlementViewMode(d.pop("mode"))

        def _parse_grace_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grace_until_type_0 = datetime.datetime.fromisoformat(data)

                return grace_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        grace_until = _parse_grace_until(d.pop("grace_until"))

        entitlement_view = cls(
            mode=mode,
            grace_until=grace_until,
        )

        entitlement_view.additional_properties = d
        return entitlement_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
