from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tax_rate import TaxRate


T = TypeVar("T", bound="TaxCategory")


@_attrs_define
class TaxCategory:
    """
    Attributes:
        id (UUID):
        code (str):
        name (str):
        archived (bool):
        archived_at (datetime.datetime | None):
        created_at (datetime.datetime):
        current_rate_percent (None | str): The rate in force now (null only if its first rate is still to come)
        rates (list[TaxRate]): Every rate, oldest first, scheduled ones included
    """

    id: UUID
    code: str
    name: str
    archived: bool
    archived_at: datetime.datetime | None
    created_at: datetime.datetime
    current_rate_percent: None | str
    rates: list[TaxRate]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        code = self.code

        name = self.name

        archived = self.archived

        archived_at: None | str
        if isinstance(self.archived_at, datetime.datetime):
            archived_at = self.archived_at.isoformat()
        else:
            archived_at = self.archived_at

        created_at = self.created_at.isoformat()

        current_rate_percent: None | str
        current_rate_percent = self.current_rate_percent

        rates = []
        for rates_item_data in self.rates:
            rates_item = rates_item_data.to_dict()
            rates.append(rates_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "name": name,
                "archived": archived,
                "archived_at": archived_at,
                "created_at": created_at,
                "current_rate_percent": current_rate_percent,
                "rates": rates,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tax_rate import TaxRate

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        code = d.pop("code")

        name = d.pop("name")

        archived = d.pop("archived")

        def _parse_archived_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                archived_at_type_0 = datetime.datetime.fromisoformat(data)

                return archived_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        archived_at = _parse_archived_at(d.pop("archived_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_current_rate_percent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current_rate_percent = _parse_current_rate_percent(
            d.pop("current_rate_percent")
        )

        rates = []
        _rates = d.pop("rates")
        for rates_item_data in _rates:
            rates_item = TaxRate.from_dict(rates_item_data)

            rates.append(rates_item)

        tax_category = cls(
            id=id,
            code=code,
            name=name,
            archived=archived,
            archived_at=archived_at,
            created_at=created_at,
            current_rate_percent=current_rate_percent,
            rates=rates,
        )

        tax_category.additional_properties = d
        return tax_category

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
