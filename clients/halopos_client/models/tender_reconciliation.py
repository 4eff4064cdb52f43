from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tender_reconciliation_tender import TenderReconciliationTender

T = TypeVar("T", bound="TenderReconciliation")


@_attrs_define
class TenderReconciliation:
    """
    Attributes:
        tender (TenderReconciliationTender):
        expected_minor (int): cash: float + cash taken - cash refunded + paid in - paid out; card: card taken - card
            refunded
        counted_minor (int): cash: counted in the drawer; card: the terminal's settlement (batch) total
        difference_minor (int): counted - expected: + over, - short
    """

    tender: TenderReconciliationTender
    expected_minor: int
    counted_minor: int
    difference_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tender = self.tender.value

        expected_minor = self.expected_minor

        counted_minor = self.counted_minor

        difference_minor = self.difference_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tender": tender,
                "expected_minor": expected_minor,
                "counted_minor": counted_minor,
                "difference_minor": difference_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tender = TenderReconciliationTender(d.pop("tender"))

        expected_minor = d.pop("expected_minor")

        counted_minor = d.pop("counted_minor")

        difference_minor = d.pop("difference_minor")

        tender_reconciliation = cls(
            tender=tender,
            expected_minor=expected_minor,
            counted_minor=counted_minor,
            difference_minor=difference_minor,
        )

        tender_reconciliation.additional_properties = d
        return tender_reconciliation

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
