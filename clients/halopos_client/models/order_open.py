from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_discount import AmountDiscount
    from ..models.line_in import LineIn
    from ..models.percent_discount import PercentDiscount


T = TypeVar("T", bound="OrderOpen")


@_attrs_define
class OrderOpen:
    """
    Attributes:
        id (None | Unset | UUID): Client-generated id, for orders created offline
        table_name (None | str | Unset):
        covers (int | None | Unset):
        lines (list[LineIn] | Unset):
        discount (AmountDiscount | None | PercentDiscount | Unset):
        service_charge_bps (int | Unset):  Default: 0.
    """

    id: None | Unset | UUID = UNSET
    table_name: None | str | Unset = UNSET
    covers: int | None | Unset = UNSET
    lines: list[LineIn] | Unset = UNSET
    discount: AmountDiscount | None | PercentDiscount | Unset = UNSET
    service_charge_bps: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        table_name: None | str | Unset
        if isinstance(self.table_name, Unset):
            table_name = UNSET
        else:
            table_name = self.table_name

        covers: int | None | Unset
        if isinstance(self.covers, Unset):
            covers = UNSET
        else:
            covers = self.covers

        lines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lines, Unset):
            lines = []
            for lines_item_data in self.lines:
                lines_item = lines_item_data.to_dict()
                lines.append(lines_item)

        discount: dict[str, Any] | None | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        elif isinstance(self.discount, PercentDiscount) or isinstance(
            self.discount, AmountDiscount
        ):
            discount = self.discount.to_dict()
        else:
            discount = self.discount

        service_charge_bps = self.service_charge_bps

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if table_name is not UNSET:
            field_dict["table_name"] = table_name
        if covers is not UNSET:
            field_dict["covers"] = covers
        if lines is not UNSET:
            field_dict["lines"] = lines
        if discount is not UNSET:
            field_dict["discount"] = discount
        if service_charge_bps is not UNSET:
            field_dict["service_charge_bps"] = service_charge_bps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount_discount import AmountDiscount
        from ..models.line_in import LineIn
        from ..models.percent_discount import PercentDiscount

        d = dict(src_dict)

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_table_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        table_name = _parse_table_name(d.pop("table_name", UNSET))

        def _parse_covers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        covers = _parse_covers(d.pop("covers", UNSET))

        _lines = d.pop("lines", UNSET)
        lines: list[LineIn] | Unset = UNSET
        if _lines is not UNSET:
            lines = []
            for lines_item_data in _lines:
                lines_item = LineIn.from_dict(lines_item_data)

                lines.append(lines_item)

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

        service_charge_bps = d.pop("service_charge_bps", UNSET)

        order_open = cls(
            id=id,
            table_name=table_name,
            covers=covers,
            lines=lines,
            discount=discount,
            service_charge_bps=service_charge_bps,
        )

        return order_open
