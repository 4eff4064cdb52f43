from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.payment_request_tender import PaymentRequestTender
from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentRequest")


@_attrs_define
class PaymentRequest:
    """Cash: what the customer handed over (`tendered_minor`); the change is worked out.
    Card: the amount to charge on the terminal (`amount_minor`, default: the balance).

        Attributes:
            tender (PaymentRequestTender):
            version (int | None | Unset): The version you are changing (or send If-Match)
            tendered_minor (int | None | Unset):
            amount_minor (int | None | Unset):
    """

    tender: PaymentRequestTender
    version: int | None | Unset = UNSET
    tendered_minor: int | None | Unset = UNSET
    amount_minor: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tender = self.tender.value

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        tendered_minor: int | None | Unset
        if isinstance(self.tendered_minor, Unset):
            tendered_minor = UNSET
        else:
            tendered_minor = self.tendered_minor

        amount_minor: int | None | Unset
        if isinstance(self.amount_minor, Unset):
            amount_minor = UNSET
        else:
            amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tender": tender,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if tendered_minor is not UNSET:
            field_dict["tendered_minor"] = tendered_minor
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tender = PaymentRequestTender(d.pop("tender"))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_tendered_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        tendered_minor = _parse_tendered_minor(d.pop("tendered_minor", UNSET))

        def _parse_amount_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount_minor = _parse_amount_minor(d.pop("amount_minor", UNSET))

        payment_request = cls(
            tender=tender,
            version=version,
            tendered_minor=tendered_minor,
            amount_minor=amount_minor,
        )

        return payment_request
