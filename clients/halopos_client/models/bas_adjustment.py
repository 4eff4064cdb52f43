from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BasAdjustment")


@_attrs_define
class BasAdjustment:
    """
    Attributes:
        description (str):
        amount_minor (int):
        amount_whole_dollars (int): For the form: cents dropped, as the labels
        gst_minor (int):
        gst_whole_dollars (int): For the form: cents dropped, as the labels
    """

    description: str
    amount_minor: int
    amount_whole_dollars: int
    gst_minor: int
    gst_whole_dollars: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        amount_minor = self.amount_minor

        amount_whole_dollars = self.amount_whole_dollars

        gst_minor = self.gst_minor

        gst_whole_dollars = self.gst_whole_dollars

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "amount_minor": amount_minor,
                "amount_whole_dollars": amount_whole_dollars,
                "gst_minor": gst_minor,
                "gst_whole_dollars": gst_whole_dollars,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        description = d.pop("description")

        amount_minor = d.pop("amount_minor")

        amount_whole_dollars = d.pop("amount_whole_dollars")

        gst_minor = d.pop("gst_minor")

        gst_whole_dollars = d.pop("gst_whole_dollars")

        bas_adjustment = cls(
            description=description,
            amount_minor=amount_minor,
            amount_whole_dollars=amount_whole_dollars,
            gst_minor=gst_minor,
            gst_whole_dollars=gst_whole_dollars,
        )

        bas_adjustment.additional_properties = d
        return bas_adjustment

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
