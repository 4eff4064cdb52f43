from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.business_region import BusinessRegion

T = TypeVar("T", bound="Business")


@_attrs_define
class Business:
    """
    Attributes:
        id (UUID):
        name (str):
        region (BusinessRegion): Whose tax law the business keeps its books by: Australia's or Germany's
        data_region (str): The cloud region its data is kept in
        currency (str): ISO 4217; every amount is in its minor units
    """

    id: UUID
    name: str
    region: BusinessRegion
    data_region: str
    currency: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        region = self.region.value

        data_region = self.data_region

        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "region": region,
                "data_region": data_region,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        region = BusinessRegion(d.pop("region"))

        data_region = d.pop("data_region")

        currency = d.pop("currency")

        business = cls(
            id=id,
            name=name,
            region=region,
            data_region=data_region,
            currency=currency,
        )

        business.additional_properties = d
        return business

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
