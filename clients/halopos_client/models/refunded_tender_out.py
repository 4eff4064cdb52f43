from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refunded_tender_out_tender import RefundedTenderOutTender

T = TypeVar("T", bound="RefundedTenderOut")


@_attrs_define
class RefundedTenderOut:
    """
    Attributes:
        tender (RefundedTenderOutTender):
        amount_minor (int):
        terminal_reference (None | str):
        auth_code (None | str):
    """

    tender: RefundedTenderOutTender
    amount_minor: int
    terminal_reference: None | str
    auth_code: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tender = self.tender.value

        amount_minor = self.amount_minor

        terminal_reference: None | str
        terminal_reference = self.terminal_reference

        auth_code: None | str
        auth_code = self.auth_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tender": tender,
                "amount_minor": amount_minor,
                "terminal_reference": terminal_reference,
                "auth_code": auth_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tender = RefundedTenderOutTender(d.pop("tender"))

        amount_minor = d.pop("amount_minor")

        def _parse_terminal_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        terminal_reference = _parse_terminal_reference(d.pop("terminal_reference"))

        def _parse_auth_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        auth_code = _parse_auth_code(d.pop("auth_code"))

        refunded_tender_out = cls(
            tender=tender,
            amount_minor=amount_minor,
            terminal_reference=terminal_reference,
            auth_code=auth_code,
        )

        refunded_tender_out.additional_properties = d
        return refunded_tender_out

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
