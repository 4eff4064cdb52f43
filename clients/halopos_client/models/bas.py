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

from ..models.bas_tax_basis import BasTaxBasis
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_range import AuditRange
    from ..models.bas_adjustment import BasAdjustment
    from ..models.bas_label import BasLabel
    from ..models.business_out import BusinessOut
    from ..models.location_out import LocationOut
    from ..models.period_out import PeriodOut


T = TypeVar("T", bound="Bas")


@_attrs_define
class Bas:
    """The GST part of an Australian Business Activity Statement, from the till's sales.

    Attributes:
        business (BusinessOut): Who the report is of, as the tax office knows the business.
        tax_basis (BasTaxBasis): The business's GST accounting basis (GST Act s 29-5): accrual or cash
        period (PeriodOut):
        currency (str):
        labels (list[BasLabel]): G1-G9 of the ATO's GST calculation worksheet, then 1A
        decreasing_adjustments (BasAdjustment):
        gst_free_refunds_minor (int): Refunds of GST-free sales in the period: no adjustment, shown apart
        worksheet_gst_minor (int): G9: G8 / 11, rounded half up to the cent
        invoice_gst_minor (int): The GST on the period's tax invoices, rounded once per invoice (1A)
        locations (list[LocationOut]):
        generated_at (datetime.datetime): When it was read, in the time of the business's first venue
        audit (AuditRange): Where in the business's audit log the figures come from. They were read in one
            snapshot that includes every entry up to `through_seq` and none after it. Every sale,
            payment, refund and count is made in a shift open at that moment, so the shifts open at
            some time in the period hold everything the figures count: `from_seq` is the first entry
            recorded at or after the earliest opening of those shifts (or the period's start, if
            earlier). It is null only when no shift was open in the period and nothing was recorded
            since it began: a period without figures.
        report (Literal['bas'] | Unset):  Default: 'bas'.
    """

    business: BusinessOut
    tax_basis: BasTaxBasis
    period: PeriodOut
    currency: str
    labels: list[BasLabel]
    decreasing_adjustments: BasAdjustment
    gst_free_refunds_minor: int
    worksheet_gst_minor: int
    invoice_gst_minor: int
    locations: list[LocationOut]
    generated_at: datetime.datetime
    audit: AuditRange
    report: Literal["bas"] | Unset = "bas"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business = self.business.to_dict()

        tax_basis = self.tax_basis.value

        period = self.period.to_dict()

        currency = self.currency

        labels = []
        for labels_item_data in self.labels:
            labels_item = labels_item_data.to_dict()
            labels.append(labels_item)

        decreasing_adjustments = self.decreasing_adjustments.to_dict()

        gst_free_refunds_minor = self.gst_free_refunds_minor

        worksheet_gst_minor = self.worksheet_gst_minor

        invoice_gst_minor = self.invoice_gst_minor

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
                "labels": labels,
                "decreasing_adjustments": decreasing_adjustments,
                "gst_free_refunds_minor": gst_free_refunds_minor,
                "worksheet_gst_minor": worksheet_gst_minor,
                "invoice_gst_minor": invoice_gst_minor,
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
        from ..models.bas_adjustment import BasAdjustment
        from ..models.bas_label import BasLabel
        from ..models.business_out import BusinessOut
        from ..models.location_out import LocationOut
        from ..models.period_out import PeriodOut

        d = dict(src_dict)
        business = BusinessOut.from_dict(d.pop("business"))

        tax_basis = BasTaxBasis(d.pop("tax_basis"))

        period = PeriodOut.from_dict(d.pop("period"))

        currency = d.pop("currency")

        labels = []
        _labels = d.pop("labels")
        for labels_item_data in _labels:
            labels_item = BasLabel.from_dict(labels_item_data)

            labels.append(labels_item)

        decreasing_adjustments = BasAdjustment.from_dict(
            d.pop("decreasing_adjustments")
        )

        gst_free_refunds_minor = d.pop("gst_free_refunds_minor")

        worksheet_gst_minor = d.pop("worksheet_gst_minor")

        invoice_gst_minor = d.pop("invoice_gst_minor")

        locations = []
        _locations = d.pop("locations")
        for locations_item_data in _locations:
            locations_item = LocationOut.from_dict(locations_item_data)

            locations.append(locations_item)

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        audit = AuditRange.from_dict(d.pop("audit"))

        report = cast(Literal["bas"] | Unset, d.pop("report", UNSET))
        if report != "bas" and not isinstance(report, Unset):
            raise ValueError(f"report must match const 'bas', got '{report}'")

        bas = cls(
            business=business,
            tax_basis=tax_basis,
            period=period,
            currency=currency,
            labels=labels,
            decreasing_adjustments=decreasing_adjustments,
            gst_free_refunds_minor=gst_free_refunds_minor,
            worksheet_gst_minor=worksheet_gst_minor,
            invoice_gst_minor=invoice_gst_minor,
            locations=locations,
            generated_at=generated_at,
            audit=audit,
            report=report,
        )

        bas.additional_properties = d
        return bas

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
