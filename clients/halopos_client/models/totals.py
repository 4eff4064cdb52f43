from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.refunds_summary import RefundsSummary
    from ..models.tax_rate_total import TaxRateTotal
    from ..models.tender_total import TenderTotal
    from ..models.voids_summary import VoidsSummary


T = TypeVar("T", bound="Totals")


@_attrs_define
class Totals:
    """A business day's figures, or a run of days' added up.

    Sales are the orders paid (closed) in the day; voids the orders voided in it; refunds and
    payments what happened in it, whichever day the sale was. In the business's pricing
    basis: `net_sales` = gross - discounts + service charges.

        Attributes:
            orders (int): Orders paid
            covers (int):
            gross_sales_minor (int): Line amounts before discounts
            discounts_minor (int):
            service_charges_minor (int):
            net_sales_minor (int): gross - discounts + service charges
            sales_excluding_tax_minor (int):
            tax_minor (int):
            sales_including_tax_minor (int):
            tax (list[TaxRateTotal]): Sales per tax rate, highest first
            tips_minor (int): Not taxed, not sales
            rounding_minor (int): Cash rounding adjustments (AUD: to 5c)
            average_ticket_minor (int): sales including tax / orders, rounded half up (0 without orders)
            refunds (RefundsSummary):
            voids (VoidsSummary):
            payments (list[TenderTotal]):
    """

    orders: int
    covers: int
    gross_sales_minor: int
    discounts_minor: int
    service_charges_minor: int
    net_sales_minor: int
    sales_excluding_tax_minor: int
    tax_minor: int
    sales_including_tax_minor: int
    tax: list[TaxRateTotal]
    tips_minor: int
    rounding_minor: int
    average_ticket_minor: int
    refunds: RefundsSummary
    voids: VoidsSummary
    payments: list[TenderTotal]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        orders = self.orders

        covers = self.covers

        gross_sales_minor = self.gross_sales_minor

        discounts_minor = self.discounts_minor

        service_charges_minor = self.service_charges_minor

        net_sales_minor = self.net_sales_minor

        sales_excluding_tax_minor = self.sales_excluding_tax_minor

        tax_minor = self.tax_minor

        sales_including_tax_minor = self.sales_including_tax_minor

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        tips_minor = self.tips_minor

        rounding_minor = self.rounding_minor

        average_ticket_minor = self.average_ticket_minor

        refunds = self.refunds.to_dict()

        voids = self.voids.to_dict()

        payments = []
        for payments_item_data in self.payments:
            payments_item = payments_item_data.to_dict()
            payments.append(payments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orders": orders,
                "covers": covers,
                "gross_sales_minor": gross_sales_minor,
                "discounts_minor": discounts_minor,
                "service_charges_minor": service_charges_minor,
                "net_sales_minor": net_sales_minor,
                "sales_excluding_tax_minor": sales_excluding_tax_minor,
                "tax_minor": tax_minor,
                "sales_including_tax_minor": sales_including_tax_minor,
                "tax": tax,
                "tips_minor": tips_minor,
                "rounding_minor": rounding_minor,
                "average_ticket_minor": average_ticket_minor,
                "refunds": refunds,
                "voids": voids,
                "payments": payments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refunds_summary import RefundsSummary
        from ..models.tax_rate_total import TaxRateTotal
        from ..models.tender_total import TenderTotal
        from ..models.voids_summary import VoidsSummary

        d = dict(src_dict)
        orders = d.pop("orders")

        covers = d.pop("covers")

        gross_sales_minor = d.pop("gross_sales_minor")

        discounts_minor = d.pop("discounts_minor")

        service_charges_minor = d.pop("service_charges_minor")

        net_sales_minor = d.pop("net_sales_minor")

        sales_excluding_tax_minor = d.pop("sales_excluding_tax_minor")

        tax_minor = d.pop("tax_minor")

        sales_including_tax_minor = d.pop("sales_including_tax_minor")

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxRateTotal.from_dict(tax_item_data)

            tax.append(tax_item)

        tips_minor = d.pop("tips_minor")

        rounding_minor = d.pop("rounding_minor")

        average_ticket_minor = d.pop("average_ticket_minor")

        refunds = RefundsSummary.from_dict(d.pop("refunds"))

        voids = VoidsSummary.from_dict(d.pop("voids"))

        payments = []
        _payments = d.pop("payments")
        for payments_item_data in _payments:
            payments_item = TenderTotal.from_dict(payments_item_data)

            payments.append(payments_item)

        totals = cls(
            orders=orders,
            covers=covers,
            gross_sales_minor=gross_sales_minor,
            discounts_minor=discounts_minor,
            service_charges_minor=service_charges_minor,
            net_sales_minor=net_sales_minor,
            sales_excluding_tax_minor=sales_excluding_tax_minor,
            tax_minor=tax_minor,
            sales_including_tax_minor=sales_including_tax_minor,
            tax=tax,
            tips_minor=tips_minor,
            rounding_minor=rounding_minor,
            average_ticket_minor=average_ticket_minor,
            refunds=refunds,
            voids=voids,
            payments=payments,
        )

        totals.additional_properties = d
        return totals

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
