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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_range import AuditRange
    from ..models.business_out import BusinessOut
    from ..models.day_summary import DaySummary
    from ..models.location_out import LocationOut
    from ..models.period_out import PeriodOut
    from ..models.totals import Totals


T = TypeVar("T", bound="DailySummary")


@_attrs_define
class DailySummary:
    """
    Attributes:
        business (BusinessOut): Who the report is of, as the tax office knows the business.
        location (LocationOut):
        period (PeriodOut):
        currency (str):
        prices_include_tax (bool):
        days (list[DaySummary]):
        totals (Totals): A business day's figures, or a run of days' added up.

            Sales are the orders paid (closed) in the day; voids the orders voided in it; refunds and
            payments what happened in it, whichever day the sale was. In the business's pricing
            basis: `net_sales` = gross - discounts + service charges.
        generated_at (datetime.datetime): When it was read, in the venue's time
        audit (AuditRange): Where in the business's audit log the figures come from. They were read in one
            snapshot that includes every entry up to `through_seq` and none after it. Every sale,
            payment, refund and count is made in a shift open at that moment, so the shifts open at
            some time in the period hold everything the figures count: `from_seq` is the first entry
            recorded at or after the earliest opening of those shifts (or the period's start, if
            earlier). It is null only when no shift was open in the period and nothing was recorded
            since it began: a period without figures.
        report (Literal['daily-summary'] | Unset):  Default: 'daily-summary'.
    """

    business: BusinessOut
    location: LocationOut
    period: PeriodOut
    currency: str
    prices_include_tax: bool
    days: list[DaySummary]
    totals: Totals
    generated_at: datetime.datetime
    audit: AuditRange
    report: Literal["daily-summary"] | Unset = "daily-summary"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business = self.business.to_dict()

        location = self.location.to_dict()

        period = self.period.to_dict()

        currency = self.currency

        prices_include_tax = self.prices_include_tax

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        totals = self.totals.to_dict()

        generated_at = self.generated_at.isoformat()

        audit = self.audit.to_dict()

        report = self.report

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "business": business,
                "location": location,
                "period": period,
                "currency": currency,
                "prices_include_tax": prices_include_tax,
                "days": days,
                "totals": totals,
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
        from ..models.day_summary import DaySummary
        from ..models.location_out import LocationOut
        from ..models.period_out import PeriodOut
        from ..models.totals import Totals

        d = dict(src_dict)
        business = BusinessOut.from_dict(d.pop("business"))

        location = LocationOut.from_dict(d.pop("location"))

        period = PeriodOut.from_dict(d.pop("period"))

        currency = d.pop("currency")

        prices_include_tax = d.pop("prices_include_tax")

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = DaySummary.from_dict(days_item_data)

            days.append(days_item)

        totals = Totals.from_dict(d.pop("totals"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        audit = AuditRange.from_dict(d.pop("audit"))

        report = cast(Literal["daily-summary"] | Unset, d.pop("report", UNSET))
        if report != "daily-summary" and not isinstance(report, Unset):
            raise ValueError(f"report must match const 'daily-summary', got '{report}'")

        daily_summary = cls(
            business=business,
            location=location,
            period=period,
            currency=currency,
            prices_include_tax=prices_include_tax,
            days=days,
            totals=totals,
            generated_at=generated_at,
            audit=audit,
            report=report,
        )

        daily_summary.additional_properties = d
        return daily_summary

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
