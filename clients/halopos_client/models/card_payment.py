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

T = TypeVar("T", bound="CardPayment")


@_attrs_define
class CardPayment:
    """Card: the amount to charge on the terminal.

    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        tender (Literal['card']):
        amount_minor (int | None | Unset): Default (absent or null): the balance
        tendered_minor (None | Unset):
    """

    version: int
    tender: Literal["card"]
    amount_minor: int | None | Unset = UNSET
    tendered_minor: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        tender = self.tender

        amount_minor: int | None | Unset
        if isinstance(self.amount_minor, Unset):
            amount_minor = UNSET
        else:
            amount_minor = self.amount_minor

        tendered_minor = self.tendered_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "tender": tender,
            }
        )
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor
        if tendered_minor is not UNSET:
            field_dict["tendered_minor"] = tendered_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        tender = cast(Literal["card"], d.pop("tender"))
        if tender != "card":
            raise ValueError(f"tender must match const 'card', got '{tender}'")

        def _parse_amount_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount_minor = _parse_amount_minor(d.pop("amount_minor", UNSET))

        tendered_minor = d.pop("tendered_minor", UNSET)

        card_payment = cls(
            version=version,
            tender=tender,
            amount_minor=amount_minor,
            tendered_minor=tendered_minor,
        )

        return card_payment
