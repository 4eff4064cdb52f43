from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CashPayment")


@_attrs_define
class CashPayment:
    """Cash: what the customer handed over; the change is worked out.

    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        tender (Literal['cash']):
        tendered_minor (int): Handed over, in minor units
        amount_minor (None | Unset):
    """

    version: int
    tender: Literal["cash"]
    tendered_minor: int
    amount_minor: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        tender = self.tender

        tendered_minor = self.tendered_minor

        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "tender": tender,
                "tendered_minor": tendered_minor,
            }
        )
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        tender = cast(Literal["cash"], d.pop("tender"))
        if tender != "cash":
            raise ValueError(f"tender must match const 'cash', got '{tender}'")

        tendered_minor = d.pop("tendered_minor")

        amount_minor = d.pop("amount_minor", UNSET)

        cash_payment = cls(
            version=version,
            tender=tender,
            tendered_minor=tendered_minor,
            amount_minor=amount_minor,
        )

        return cash_payment
