from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_discount import AmountDiscount
    from ..models.percent_discount import PercentDiscount


T = TypeVar("T", bound="OrderChange")


@_attrs_define
class OrderChange:
    """Only the fields sent change; `null` clears a discount, a table or covers.

    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        table_name (None | str | Unset):
        covers (int | None | Unset):
        discount (AmountDiscount | None | PercentDiscount | Unset):
        service_charge_bps (int | None | Unset):
        tip_minor (int | None | Unset):
    """

    version: int
    table_name: None | str | Unset = UNSET
    covers: int | None | Unset = UNSET
    discount: AmountDiscount | None | PercentDiscount | Unset = UNSET
    service_charge_bps: int | None | Unset = UNSET
    tip_minor: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        version = self.version

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

        discount: dict[str, Any] | None | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        elif isinstance(self.discount, PercentDiscount) or isinstance(
            self.discount, AmountDiscount
        ):
            discount = self.discount.to_dict()
        else:
            discount = self.discount

        service_charge_bps: int | None | Unset
        if isinstance(self.service_charge_bps, Unset):
            service_charge_bps = UNSET
        else:
            service_charge_bps = self.service_charge_bps

        tip_minor: int | None | Unset
        if isinstance(self.tip_minor, Unset):
            tip_minor = UNSET
        else:
            tip_minor = self.tip_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if table_name is not UNSET:
            field_dict["table_name"] = table_name
        if covers is not UNSET:
            field_dict["covers"] = covers
        if discount is not UNSET:
            field_dict["discount"] = discount
        if service_charge_bps is not UNSET:
            field_dict["service_charge_bps"] = service_charge_bps
        if tip_minor is not UNSET:
            field_dict["tip_minor"] = tip_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        d = dict(src_dict)
        version = d.pop("version")

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

        def _parse_service_charge_bps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        service_charge_bps = _parse_service_charge_bps(
            d.pop("service_charge_bps", UNSET)
        )

        def _parse_tip_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        tip_minor = _parse_tip_minor(d.pop("tip_minor", UNSET))

        order_change = cls(
            version=version,
            table_name=table_name,
            covers=covers,
            discount=discount,
            service_charge_bps=service_charge_bps,
            tip_minor=tip_minor,
        )

        return order_change
