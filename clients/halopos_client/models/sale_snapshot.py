from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.offline_stamp import OfflineStamp
    from ..models.receipt_line import ReceiptLine
    from ..models.receipt_payment import ReceiptPayment
    from ..models.tax_line import TaxLine


T = TypeVar("T", bound="SaleSnapshot")


@_attrs_define
class SaleSnapshot:
    """A sale's receipt as it was issued.

    Attributes:
        kind (Literal['sale']):
        receipt_number (str):
        order_id (UUID):
        location_id (None | UUID):
        table_name (None | str):
        covers (int | None):
        currency (str):
        prices_include_tax (bool):
        lines (list[ReceiptLine]): The lines sold (voided ones left out)
        subtotal_minor (int):
        discount_minor (int):
        service_charge_minor (int):
        tax (list[TaxLine]):
        tax_minor (int):
        tip_minor (int):
        total_minor (int):
        rounding_minor (int):
        paid_minor (int):
        payments (list[ReceiptPayment]): The approved payments
        offline (None | OfflineStamp | Unset): Only when taken offline
    """

    kind: Literal["sale"]
    receipt_number: str
    order_id: UUID
    location_id: None | UUID
    table_name: None | str
    covers: int | None
    currency: str
    prices_include_tax: bool
    lines: list[ReceiptLine]
    subtotal_minor: int
    discount_minor: int
    service_charge_minor: int
    tax: list[TaxLine]
    tax_minor: int
    tip_minor: int
    total_minor: int
    rounding_minor: int
    paid_minor: int
    payments: list[ReceiptPayment]
    offline: None | OfflineStamp | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.offline_stamp import OfflineStamp

        kind = self.kind

        receipt_number = self.receipt_number

        order_id = str(self.order_id)

        location_id: None | str
        if isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

        table_name: None | str
        table_name = self.table_name

        covers: int | None
        covers = self.covers

        currency = self.currency

        prices_include_tax = self.prices_include_tax

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        subtotal_minor = self.subtotal_minor

        discount_minor = self.discount_minor

        service_charge_minor = self.service_charge_minor

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        tax_minor = self.tax_minor

        tip_minor = self.tip_minor

        total_minor = self.total_minor

        rounding_minor = self.rounding_minor

        paid_minor = self.paid_minor

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        offline: dict[str, Any] | None | Unset
        if isinstance(self.offline, Unset):
            offline = UNSET
        elif isinstance(self.offline, OfflineStamp):
            offline = self.offline.to_dict()
        else:
            offline = self.offline

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "receipt_number": receipt_number,
                "order_id": order_id,
                "location_id": location_id,
                "table_name": table_name,
                "covers": covers,
                "currency": currency,
                "prices_include_tax": prices_include_tax,
                "lines": lines,
                "subtotal_minor": subtotal_minor,
                "discount_minor": discount_minor,
                "service_charge_minor": service_charge_minor,
                "tax": tax,
                "tax_minor": tax_minor,
                "tip_minor": tip_minor,
                "total_minor": total_minor,
                "rounding_minor": rounding_minor,
                "paid_minor": paid_minor,
                "payments": payments,
            }
        )
        if offline is not UNSET:
            field_dict["offline"] = offline

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.offline_stamp import OfflineStamp
        from ..models.receipt_line import ReceiptLine
        from ..models.receipt_payment import ReceiptPayment
        from ..models.tax_line import TaxLine

        d = dict(src_dict)
        kind = cast(Literal["sale"], d.pop("kind"))
        if kind != "sale":
            raise ValueError(f"kind must match const 'sale', got '{kind}'")

        receipt_number = d.pop("receipt_number")

        order_id = UUID(d.pop("order_id"))

        def _parse_location_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_id_type_0 = UUID(data)

                return location_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        location_id = _parse_location_id(d.pop("location_id"))

        def _parse_table_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        table_name = _parse_table_name(d.pop("table_name"))

        def _parse_covers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        covers = _parse_covers(d.pop("covers"))

        currency = d.pop("currency")

        prices_include_tax = d.pop("prices_include_tax")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = ReceiptLine.from_dict(lines_item_data)

            lines.append(lines_item)

        subtotal_minor = d.pop("subtotal_minor")

        discount_minor = d.pop("discount_minor")

        service_charge_minor = d.pop("service_charge_minor")

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxLine.from_dict(tax_item_data)

            tax.append(tax_item)

        tax_minor = d.pop("tax_minor")

        tip_minor = d.pop("tip_minor")

        total_minor = d.pop("total_minor")

        rounding_minor = d.pop("rounding_minor")

        paid_minor = d.pop("paid_minor")

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = ReceiptPayment.from_dict(payments_item_data)

            payments.append(payments_item)

        def _parse_offline(data: object) -> None | OfflineStamp | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offline_type_0 = OfflineStamp.from_dict(data)

                return offline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OfflineStamp | Unset, data)

        offline = _parse_offline(d.pop("offline", UNSET))

        sale_snapshot = cls(
            kind=kind,
            receipt_number=receipt_number,
            order_id=order_id,
            location_id=location_id,
            table_name=table_name,
            covers=covers,
            currency=currency,
            prices_include_tax=prices_include_tax,
            lines=lines,
            subtotal_minor=subtotal_minor,
            discount_minor=discount_minor,
            service_charge_minor=service_charge_minor,
            tax=tax,
            tax_minor=tax_minor,
            tip_minor=tip_minor,
            total_minor=total_minor,
            rounding_minor=rounding_minor,
            paid_minor=paid_minor,
            payments=payments,
            offline=offline,
        )

        sale_snapshot.additional_properties = d
        return sale_snapshot

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
