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

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_range import AuditRange
    from ..models.location_out import LocationOut
    from ..models.period_out import PeriodOut
    from ..models.vat_rate import VatRate


T = TypeVar("T", bound="VatSummary")


@_attrs_define
class VatSummary:
    """
    Attributes:
        period (PeriodOut):
        currency (str):
        rates (list[VatRate]): Highest rate first
        net_minor (int):
        tax_minor (int):
        locations (list[LocationOut]):
        audit (AuditRange): Where in the business's audit log the figures come from. They were read in one
            snapshot that includes every entry up to `through_seq` and none after it; the entries
            recorded since the period began start at `from_seq` (None: none yet).
        report (Literal['vat-summary'] | Unset):  Default: 'vat-summary'.
    """

    period: PeriodOut
    currency: str
    rates: list[VatRate]
    net_minor: int
    tax_minor: int
    locations: list[LocationOut]
    audit: AuditRange
    report: Literal["vat-summary"] | Unset = "vat-summary"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period = self.period.to_dict()

        currency = self.currency

        rates = []
        for rates_item_data in self.rates:
            rates_item = rates_item_data.to_dict()
            rates.append(rates_item)

        net_minor = self.net_minor

        tax_minor = self.tax_minor

        locations = []
        for locations_item_data in self.locations:
            locations_item = locations_item_data.to_dict()
            locations.append(locations_item)

        audit = self.audit.to_dict()

        report = self.report

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "currency": currency,
                "rates": rates,
                "net_minor": net_minor,
                "tax_minor": tax_minor,
                "locations": locations,
                "audit": audit,
            }
        )
        if report is not UNSET:
            field_dict["report"] = report

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_range import AuditRange
        from ..models.location_out import LocationOut
        from ..models.period_out import PeriodOut
        from ..models.vat_rate import VatRate

        d = dict(src_dict)
        period = PeriodOut.from_dict(d.pop("period"))

        currency = d.pop("currency")

        rates = []
        _rates = d.pop("rates")
        for rates_item_data in _rates:
            rates_item = VatRate.from_dict(rates_item_data)

            rates.append(rates_item)

        net_minor = d.pop("net_minor")

        tax_minor = d.pop("tax_minor")

        locations = []
        _locations = d.pop("locations")
        for locations_item_data in _locations:
            locations_item = LocationOut.from_dict(locations_item_data)

            locations.append(locations_item)

        audit = AuditRange.from_dict(d.pop("audit"))

        report = cast(Literal["vat-summary"] | Unset, d.pop("report", UNSET))
        if report != "vat-summary" and not isinstance(report, Unset):
            raise ValueError(f"report must match const 'vat-summary', got '{report}'")

        vat_summary = cls(
            period=period,
            currency=currency,
            rates=rates,
            net_minor=net_minor,
            tax_minor=tax_minor,
            locations=locations,
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
