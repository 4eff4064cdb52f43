from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.receipt_payment_tender import ReceiptPaymentTender

T = TypeVar("T", bound="ReceiptPayment")


@_attrs_define
class ReceiptPayment:
    """
    Attributes:
        tender (ReceiptPaymentTender):
        amount_minor (int):
        tendered_minor (int | None):
        change_minor (int | None):
        scheme (None | str):
        last4 (None | str):
        auth_code (None | str):
    """

    tender: ReceiptPaymentTender
    amount_minor: int
    tendered_minor: int | None
    change_minor: int | None
    scheme: None | str
    last4: None | str
    auth_code: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tender = self.tender.value

        amount_minor = self.amount_minor

        tendered_minor: int | None
        tendered_minor = self.tendered_minor

        change_minor: int | None
        change_minor = self.change_minor

        scheme: None | str
        scheme = self.scheme

        last4: None | str
        last4 = self.last4

        auth_code: None | str
        auth_code = self.auth_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tender": tender,
                "amount_minor": amount_minor,
                "tendered_minor": tendered_minor,
                "change_minor": change_minor,
                "scheme": scheme,
                "last4": last4,
                "auth_code": auth_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tender = ReceiptPaymentTender(d.pop("tender"))

        amount_minor = d.pop("amount_minor")

        def _parse_tendered_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        tendered_minor = _parse_tendered_minor(d.pop("tendered_minor"))

        def _parse_change_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        change_minor = _parse_change_minor(d.pop("change_minor"))

        def _parse_scheme(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scheme = _parse_scheme(d.pop("scheme"))

        def _parse_last4(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last4 = _parse_last4(d.pop("last4"))

        def _parse_auth_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        auth_code = _parse_auth_code(d.pop("auth_code"))

        receipt_payment = cls(
            tender=tender,
            amount_minor=amount_minor,
            tendered_minor=tendered_minor,
            change_minor=change_minor,
            scheme=scheme,
            last4=last4,
            auth_code=auth_code,
        )

        receipt_payment.additional_properties = d
        return receipt_payment

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
