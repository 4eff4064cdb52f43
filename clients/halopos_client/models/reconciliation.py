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
    from ..models.location_out import LocationOut
    from ..models.period_out import PeriodOut
    from ..models.shift_reconciliation import ShiftReconciliation
    from ..models.tender_reconciliation import TenderReconciliation


T = TypeVar("T", bound="Reconciliation")


@_attrs_define
class Reconciliation:
    """
    Attributes:
        business (BusinessOut): Who the report is of, as the tax office knows the business.
        location (LocationOut):
        period (PeriodOut):
        currency (str):
        shifts (list[ShiftReconciliation]): Shifts closed in the period
        totals (list[TenderReconciliation]):
        open_shifts (int): Shifts of the location still open at the period's end (opened before it, not closed by it):
            their money is not counted in this period yet
        generated_at (datetime.datetime): When it was read, in the venue's time
        audit (AuditRange): Where in the business's audit log the figures come from. They were read in one
            snapshot that includes every entry up to `through_seq` and none after it. Every sale,
            payment, refund and count is made in a shift open at that moment, so the shifts open at
            some time in the period hold everything the figures count: `from_seq` is the first entry
            recorded at or after the earliest opening of those shifts (or the period's start, if
            earlier). It is null only when no shift was open in the period and nothing was recorded
            since it began: a period without figures.
        report (Literal['reconciliation'] | Unset):  Default: 'reconciliation'.
    """

    business: BusinessOut
    location: LocationOut
    period: PeriodOut
    currency: str
    shifts: list[ShiftReconciliation]
    totals: list[TenderReconciliation]
    open_shifts: int
    generated_at: datetime.datetime
    audit: AuditRange
    report: Literal["reconciliation"] | Unset = "reconciliation"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business = self.business.to_dict()

        location = self.location.to_dict()

        period = self.period.to_dict()

        currency = self.currency

        shifts = []
        for shifts_item_data in self.shifts:
            shifts_item = shifts_item_data.to_dict()
            shifts.append(shifts_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        open_shifts = self.open_shifts

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
                "shifts": shifts,
                "totals": totals,
                "open_shifts": open_shifts,
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
        from ..models.shift_reconciliation import ShiftReconciliation
        from ..models.tender_reconciliation import TenderReconciliation

        d = dict(src_dict)
        business = BusinessOut.from_dict(d.pop("business"))

        location = LocationOut.from_dict(d.pop("location"))

        period = PeriodOut.from_dict(d.pop("period"))

        currency = d.pop("currency")

        shifts = []
        _shifts = d.pop("shifts")
        for shifts_item_data in _shifts:
            shifts_item = ShiftReconciliation.from_dict(shifts_item_data)

            shifts.append(shifts_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = TenderReconciliation.from_dict(totals_item_data)

            totals.append(totals_item)

        open_shifts = d.pop("open_shifts")

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        audit = AuditRange.from_dict(d.pop("audit"))

        report = cast(Literal["reconciliation"] | Unset, d.pop("report", UNSET))
        if report != "reconciliation" and not isinstance(report, Unset):
            raise ValueError(
                f"report must match const 'reconciliation', got '{report}'"
            )

        reconciliation = cls(
            business=business,
            location=location,
            period=period,
            currency=currency,
            shifts=shifts,
            totals=totals,
            open_shifts=open_shifts,
            generated_at=generated_at,
            audit=audit,
            report=report,
        )

        reconciliation.additional_properties = d
        return reconciliation

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
