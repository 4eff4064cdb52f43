from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Plan")


@_attrs_define
class Plan:
    """
    Attributes:
        price_id (None | str):
        name (None | str):
        amount_minor (int | None): Per interval, in minor units of `currency`
        currency (None | str):
        interval (None | str):
    """

    price_id: None | str
    name: None | str
    amount_minor: int | None
    currency: None | str
    interval: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        price_id: None | str
        price_id = self.price_id

        name: None | str
        name = self.name

        amount_minor: int | None
        amount_minor = self.amount_minor

        currency: None | str
        currency = self.currency

        interval: None | str
        interval = self.interval

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "price_id": price_id,
                "name": name,
                "amount_minor": amount_minor,
                "currency": currency,
                "interval": interval,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_price_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        price_id = _parse_price_id(d.pop("price_id"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_amount_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        amount_minor = _parse_amount_minor(d.pop("amount_minor"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        def _parse_interval(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        interval = _parse_interval(d.pop("interval"))

        plan = cls(
            price_id=price_id,
            name=name,
            amount_minor=amount_minor,
            currency=currency,
            interval=interval,
        )

        plan.additional_properties = d
        return plan

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
