from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_discount import AmountDiscount
    from ..models.percent_discount import PercentDiscount


T = TypeVar("T", bound="LineAdd")


@_attrs_define
class LineAdd:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        item_id (UUID):
        quantity (int | Unset):  Default: 1.
        modifier_ids (list[UUID] | Unset):
        discount (AmountDiscount | None | PercentDiscount | Unset):
    """

    version: int
    item_id: UUID
    quantity: int | Unset = 1
    modifier_ids: list[UUID] | Unset = UNSET
    discount: AmountDiscount | None | PercentDiscount | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        version = self.version

        item_id = str(self.item_id)

        quantity = self.quantity

        modifier_ids: list[str] | Unset = UNSET
        if not isinstance(self.modifier_ids, Unset):
            modifier_ids = []
            for modifier_ids_item_data in self.modifier_ids:
                modifier_ids_item = str(modifier_ids_item_data)
                modifier_ids.append(modifier_ids_item)

        discount: dict[str, Any] | None | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        elif isinstance(self.discount, PercentDiscount) or isinstance(
            self.discount, AmountDiscount
        ):
            discount = self.discount.to_dict()
        else:
            discount = self.discount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "item_id": item_id,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if modifier_ids is not UNSET:
            field_dict["modifier_ids"] = modifier_ids
        if discount is not UNSET:
            field_dict["discount"] = discount

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        d = dict(src_dict)
        version = d.pop("version")

        item_id = UUID(d.pop("item_id"))

        quantity = d.pop("quantity", UNSET)

        _modifier_ids = d.pop("modifier_ids", UNSET)
        modifier_ids: list[UUID] | Unset = UNSET
        if _modifier_ids is not UNSET:
            modifier_ids = []
            for modifier_ids_item_data in _modifier_ids:
                modifier_ids_item = UUID(modifier_ids_item_data)

                modifier_ids.append(modifier_ids_item)

        def _parse_discount(
            data: object,
        ) -> AmountDiscount | None | PercentDiscount | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0_type_0 = PercentDiscount.from_dict(data)

                return discount_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0_type_1 = AmountDiscount.from_dict(data)

                return discount_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AmountDiscount | None | PercentDiscount | Unset, data)

        discount = _parse_discount(d.pop("discount", UNSET))

        line_add = cls(
            version=version,
            item_id=item_id,
            quantity=quantity,
            modifier_ids=modifier_ids,
            discount=discount,
        )

        return line_add
