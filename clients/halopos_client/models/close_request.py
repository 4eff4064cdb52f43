from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloseRequest")


@_attrs_define
class CloseRequest:
    """Closing an order (`POST /v1/orders/{id}/close`).

    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        print_receipt (bool | Unset): false: the customer wants no paper; the receipt is issued, not printed Default:
            True.
    """

    version: int
    print_receipt: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        print_receipt = self.print_receipt

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if print_receipt is not UNSET:
            field_dict["print_receipt"] = print_receipt

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        print_receipt = d.pop("print_receipt", UNSET)

        close_request = cls(
            version=version,
            print_receipt=print_receipt,
        )

        return close_request
