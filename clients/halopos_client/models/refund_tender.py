from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refund_tender_tender import RefundTenderTender

T = TypeVar("T", bound="RefundTender")


@_attrs_define
class RefundTender:
    """
    Attributes:
        payment_id (UUID):
        tender (RefundTenderTender):
        amount_minor (int):
        terminal_reference (None | str):
        auth_code (None | str):
    """

    payment_id: UUID
    tender: RefundTenderTender
    amount_minor: int
    terminal_reference: None | str
    auth_code: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payment_id = str(self.payment_id)

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
                "payment_id": payment_id,
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
        payment_id = UUID(d.pop("payment_id"))

        tender = RefundTenderTender(d.pop("tender"))

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

        refund_tender = cls(
            payment_id=payment_id,
            tender=tender,
            amount_minor=amount_minor,
            terminal_reference=terminal_reference,
            auth_code=auth_code,
        )

        refund_tender.additional_properties = d
        return refund_tender

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
