from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_status import OrderStatus

if TYPE_CHECKING:
    from ..models.discount import Discount
    from ..models.order_line import OrderLine
    from ..models.payment import Payment
    from ..models.tax_line import TaxLine


T = TypeVar("T", bound="Order")


@_attrs_define
class Order:
    """
    Attributes:
        id (UUID):
        status (OrderStatus):
        currency (str):
        location_id (None | UUID):
        register_id (None | UUID):
        shift_id (None | UUID):
        table_name (None | str):
        covers (int | None):
        prices_include_tax (bool):
        discount (Discount | None):
        service_charge_bps (int):
        subtotal_minor (int):
        discount_minor (int):
        service_charge_minor (int):
        tax_minor (int):
        tax (list[TaxLine]):
        tip_minor (int):
        total_minor (int): What the customer owes, before cash rounding
        rounding_minor (int): Cash rounding (AUD to 5c), an explicit adjustment
        paid_minor (int):
        refunded_minor (int):
        balance_minor (int): Still to pay: total + rounding - paid
        created_by (str):
        created_at (datetime.datetime):
        closed_at (datetime.datetime | None):
        version (int):
        lines (list[OrderLine]):
        payments (list[Payment]):
    """

    id: UUID
    status: OrderStatus
    currency: str
    location_id: None | UUID
    register_id: None | UUID
    shift_id: None | UUID
    table_name: None | str
    covers: int | None
    prices_include_tax: bool
    discount: Discount | None
    service_charge_bps: int
    subtotal_minor: int
    discount_minor: int
    service_charge_minor: int
    tax_minor: int
    tax: list[TaxLine]
    tip_minor: int
    total_minor: int
    rounding_minor: int
    paid_minor: int
    refunded_minor: int
    balance_minor: int
    created_by: str
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    version: int
    lines: list[OrderLine]
    payments: list[Payment]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.discount import Discount

        id = str(self.id)

        status = self.status.value

        currency = self.currency

        location_id: None | str
        if isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

        register_id: None | str
        if isinstance(self.register_id, UUID):
            register_id = str(self.register_id)
        else:
            register_id = self.register_id

        shift_id: None | str
        if isinstance(self.shift_id, UUID):
            shift_id = str(self.shift_id)
        else:
            shift_id = self.shift_id

        table_name: None | str
        table_name = self.table_name

        covers: int | None
        covers = self.covers

        prices_include_tax = self.prices_include_tax

        discount: dict[str, Any] | None
        if isinstance(self.discount, Discount):
            discount = self.discount.to_dict()
        else:
            discount = self.discount

        service_charge_bps = self.service_charge_bps

        subtotal_minor = self.subtotal_minor

        discount_minor = self.discount_minor

        service_charge_minor = self.service_charge_minor

        tax_minor = self.tax_minor

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        tip_minor = self.tip_minor

        total_minor = self.total_minor

        rounding_minor = self.rounding_minor

        paid_minor = self.paid_minor

        refunded_minor = self.refunded_minor

        balance_minor = self.balance_minor

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        version = self.version

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "currency": currency,
                "location_id": location_id,
                "register_id": register_id,
                "shift_id": shift_id,
                "table_name": table_name,
                "covers": covers,
                "prices_include_tax": prices_include_tax,
                "discount": discount,
                "service_charge_bps": service_charge_bps,
                "subtotal_minor": subtotal_minor,
                "discount_minor": discount_minor,
                "service_charge_minor": service_charge_minor,
                "tax_minor": tax_minor,
                "tax": tax,
                "tip_minor": tip_minor,
                "total_minor": total_minor,
                "rounding_minor": rounding_minor,
                "paid_minor": paid_minor,
                "refunded_minor": refunded_minor,
                "balance_minor": balance_minor,
                "created_by": created_by,
                "created_at": created_at,
                "closed_at": closed_at,
                "version": version,
                "lines": lines,
                "payments": payments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discount import Discount
        from ..models.order_line import OrderLine
        from ..models.payment import Payment
        from ..models.tax_line import TaxLine

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = OrderStatus(d.pop("status"))

        currency = d.pop("currency")

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

        def _parse_register_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                register_id_type_0 = UUID(data)

                return register_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        register_id = _parse_register_id(d.pop("register_id"))

        def _parse_shift_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                shift_id_type_0 = UUID(data)

                return shift_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        shift_id = _parse_shift_id(d.pop("shift_id"))

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

        prices_include_tax = d.pop("prices_include_tax")

        def _parse_discount(data: object) -> Discount | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0 = Discount.from_dict(data)

                return discount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Discount | None, data)

        discount = _parse_discount(d.pop("discount"))

        service_charge_bps = d.pop("service_charge_bps")

        subtotal_minor = d.pop("subtotal_minor")

        discount_minor = d.pop("discount_minor")

        service_charge_minor = d.pop("service_charge_minor")

        tax_minor = d.pop("tax_minor")

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxLine.from_dict(tax_item_data)

            tax.append(tax_item)

        tip_minor = d.pop("tip_minor")

        total_minor = d.pop("total_minor")

        rounding_minor = d.pop("rounding_minor")

        paid_minor = d.pop("paid_minor")

        refunded_minor = d.pop("refunded_minor")

        balance_minor = d.pop("balance_minor")

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        version = d.pop("version")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OrderLine.from_dict(lines_item_data)

            lines.append(lines_item)

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = Payment.from_dict(payments_item_data)

            payments.append(payments_item)

        order = cls(
            id=id,
            status=status,
            currency=currency,
            location_id=location_id,
            register_id=register_id,
            shift_id=shift_id,
            table_name=table_name,
            covers=covers,
            prices_include_tax=prices_include_tax,
            discount=discount,
            service_charge_bps=service_charge_bps,
            subtotal_minor=subtotal_minor,
            discount_minor=discount_minor,
            service_charge_minor=service_charge_minor,
            tax_minor=tax_minor,
            tax=tax,
            tip_minor=tip_minor,
            total_minor=total_minor,
            rounding_minor=rounding_minor,
            paid_minor=paid_minor,
            refunded_minor=refunded_minor,
            balance_minor=balance_minor,
            created_by=created_by,
            created_at=created_at,
            closed_at=closed_at,
            version=version,
            lines=lines,
            payments=payments,
        )

        order.additional_properties = d
        return order

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
