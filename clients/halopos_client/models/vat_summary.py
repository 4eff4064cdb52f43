from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vat_summary_tax_basis import VatSummaryTaxBasis
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_range import AuditRange
    from ..models.business_out import BusinessOut
    from ..models.location_out import LocationOut
    from ..models.period_out import PeriodOut
    from ..models.vat_box import VatBox
    from ..models.vat_rate import VatRate


T = TypeVar("T", bound="VatSummary")


@_attrs_define
class VatSummary:
    """
    Attributes:
        business (BusinessOut): Who the report is of, as the tax office knows the business.
        tax_basis (VatSummaryTaxBasis): accrual: Soll-Versteuerung (vereinbarte Entgelte, UStG § 13 (1) Nr. 1 a); cash:
            Ist-Versteuerung (vereinnahmte Entgelte, § 13 (1) Nr. 1 b, § 20)
        period (PeriodOut):
        currency (str):
        rates (list[VatRate]): Highest rate first
        net_minor (int):
        tax_minor (int):
        boxes (list[VatBox]): The UStVA's boxes (Kennzahlen) for these sales: 81 (19 %), 86 (7 %), 35/36 (any other
            rate); 0 % sales are in no box (docs/reports.md)
        locations (list[LocationOut]):
        generated_at (datetime.datetime): When it was read, in the time of the business's first venue
        audit (AuditRange): Where in the business's audit log the figures come from. They were read in one
            snapshot that includes every entry up to `through_seq` and none after it. Every sale,
            payment, refund and count is made in a shift open at that moment, so the shifts open at
            some time in the period hold everything the figures count: `from_seq` is the first entry
            recorded at or after the earliest opening of those shifts (or the period's start, if
            earlier). It is null only when no shift was open in the period and nothing was recorded
            since it began: a period without figures.
        report (Literal['vat-summary'] | Unset):  Default: 'vat-summary'.
    """

    business: BusinessOut
    tax_basis: VatSummaryTaxBasis
    period: PeriodOut
    currency: str
    rates: list[VatRate]
    net_minor: int
    tax_minor: int
    boxes: list[VatBox]
    locations: list[LocationOut]
    generated_at: datetime.datetime
    audit: AuditRange
    report: Literal["vat-summary"] | Unset = "vat-summary"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business = self.business.to_dict()

        tax_basis = self.tax_basis.value

        period = self.period.to_dict()

        currency = self.currency

        rates = []
        for rates_item_data in self.rates:
            rates_item = rates_item_data.to_dict()
            rates.append(rates_item)

        net_minor = self.net_minor

        tax_minor = self.tax_minor

        boxes = []
        for boxes_item_data in self.boxes:
            boxes_item = boxes_item_data.to_dict()
            boxes.append(boxes_item)

        locations = []
        for locations_item_data in self.locations:
            locations_item = locations_item_data.to_dict()
            locations.append(locations_item)

        generated_at = self.generated_at.isoformat()

        audit = self.audit.to_dict()

        report = self.report

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "business": business,
                "tax_basis": tax_basis,
                "period": period,
                "currency": currency,
                "rates": rates,
                "net_minor": net_minor,
                "tax_minor": tax_minor,
                "boxes": boxes,
                "locations": locations,
                "generated_at": generated_at,
                "audit": audit,
            }
        )
        if report is not UNSET:
            field_dict["report"] = report

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_range import AuditRange
        from ..models.business_out import BusinessOut
        from ..models.location_out import LocationOut
        from ..models.period_out import PeriodOut
        from ..models.vat_box import VatBox
        from ..models.vat_rate import VatRate

        d = dict(src_dict)
        business = BusinessOut.from_dict(d.pop("business"))

        tax_basis = VatSummaryTaxBasis(d.pop("tax_basis"))

        period = PeriodOut.from_dict(d.pop("period"))

        currency = d.pop("currency")

        rates = []
        _rates = d.pop("rates")
        for rates_item_data in _rates:
            rates_item = VatRate.from_dict(rates_item_data)

            rates.append(rates_item)

        net_minor = d.pop("net_minor")

        tax_minor = d.pop("tax_minor")

        boxes = []
        _boxes = d.pop("boxes")
        for boxes_item_data in _boxes:
            boxes_item = VatBox.from_dict(boxes_item_data)

            boxes.append(boxes_item)

        locations = []
        _locations = d.pop("locations")
        for locations_item_data in _locations:
            locations_item = LocationOut.from_dict(locations_item_data)

            locations.append(locations_item)

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        audit = AuditRange.from_dict(d.pop("audit"))

        report = cast(Literal["vat-summary"] | Unset, d.pop("report", UNSET))
        if report != "vat-summary" and not isinstance(report, Unset):
            raise ValueError(f"report must match const 'vat-summary', got '{report}'")

        vat_summary = cls(
            business=business,
            tax_basis=tax_basis,
            period=period,
            currency=currency,
            rates=rates,
            net_minor=net_minor,
            tax_minor=tax_minor,
            boxes=boxes,
            locations=locations,
            generated_at=generated_at,
            audit=audit,
            report=report,
        )

        vat_summary.additional_properties = d
        return vat_summary

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
