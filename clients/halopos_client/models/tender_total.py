from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tender_total_tender import TenderTotalTender

T = TypeVar("T", bound="TenderTotal")


@_attrs_define
class TenderTotal:
    """
    Attributes:
        tender (TenderTotalTender):
        count (int): Approved payments
        paid_minor (int):
        refunded_minor (int): Given back through this tender
        net_minor (int): paid - refunded
    """

    tender: TenderTotalTender
    count: int
    paid_minor: int
    refunded_minor: int
    net_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tender = self.tender.value

        count = self.count

        paid_minor = self.paid_minor

        refunded_minor = self.refunded_minor

        net_minor = self.net_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tender": tender,
                "count": count,
                "paid_minor": paid_minor,
                "refunded_minor": refunded_minor,
                "net_minor": net_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tender = TenderTotalTender(d.pop("tender"))

        count = d.pop("count")

        paid_minor = d.pop("paid_minor")

        refunded_minor = d.pop("refunded_minor")

        net_minor = d.pop("net_minor")

        tender_total = cls(
            tender=tender,
            count=count,
            paid_minor=paid_minor,
            refunded_minor=refunded_minor,
            net_minor=net_minor,
        )

        tender_total.additional_properties = d
        return tender_total

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
