from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.period_closure_kind import PeriodClosureKind
from ..models.period_closure_reason import PeriodClosureReason

if TYPE_CHECKING:
    from ..models.period_out import PeriodOut
    from ..models.totals import Totals


T = TypeVar("T", bound="PeriodClosure")


@_attrs_define
class PeriodClosure:
    """
    Attributes:
        id (UUID):
        location_id (UUID):
        kind (PeriodClosureKind):
        period (PeriodOut):
        version (int):
        reason (PeriodClosureReason):
        totals (Totals): A business day's figures, or a run of days' added up.

            Sales are the orders paid (closed) in the day; voids the orders voided in it; refunds and
            payments what happened in it, whichever day the sale was. In the business's pricing
            basis: `net_sales` = gross - discounts + service charges.
        cumulative (Totals): A business day's figures, or a run of days' added up.

            Sales are the orders paid (closed) in the day; voids the orders voided in it; refunds and
            payments what happened in it, whichever day the sale was. In the business's pricing
            basis: `net_sales` = gross - discounts + service charges.
        totals_sha256 (str):
        cumulative_sha256 (str):
        previous_id (None | UUID):
        audit_through_seq (int):
        closed_by (str):
        closed_at (datetime.datetime):
    """

    id: UUID
    location_id: UUID
    kind: PeriodClosureKind
    period: PeriodOut
    version: int
    reason: PeriodClosureReason
    totals: Totals
    cumulative: Totals
    totals_sha256: str
    cumulative_sha256: str
    previous_id: None | UUID
    audit_through_seq: int
    closed_by: str
    closed_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        location_id = str(self.location_id)

        kind = self.kind.value

        period = self.period.to_dict()

        version = self.version

        reason = self.reason.value

        totals = self.totals.to_dict()

        cumulative = self.cumulative.to_dict()

        totals_sha256 = self.totals_sha256

        cumulative_sha256 = self.cumulative_sha256

        previous_id: None | str
        if isinstance(self.previous_id, UUID):
            previous_id = str(self.previous_id)
        else:
            previous_id = self.previous_id

        audit_through_seq = self.audit_through_seq

        closed_by = self.closed_by

        closed_at = self.closed_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "location_id": location_id,
                "kind": kind,
                "period": period,
                "version": version,
                "reason": reason,
                "totals": totals,
                "cumulative": cumulative,
                "totals_sha256": totals_sha256,
                "cumulative_sha256": cumulative_sha256,
                "previous_id": previous_id,
                "audit_through_seq": audit_through_seq,
                "closed_by": closed_by,
                "closed_at": closed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.period_out import PeriodOut
        from ..models.totals import Totals

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        location_id = UUID(d.pop("location_id"))

        kind = PeriodClosureKind(d.pop("kind"))

        period = PeriodOut.from_dict(d.pop("period"))

        version = d.pop("version")

        reason = PeriodClosureReason(d.pop("reason"))

        totals = Totals.from_dict(d.pop("totals"))

        cumulative = Totals.from_dict(d.pop("cumulative"))

        totals_sha256 = d.pop("totals_sha256")

        cumulative_sha256 = d.pop("cumulative_sha256")

        def _parse_previous_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_id_type_0 = UUID(data)

                return previous_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        previous_id = _parse_previous_id(d.pop("previous_id"))

        audit_through_seq = d.pop("audit_through_seq")

        closed_by = d.pop("closed_by")

        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        period_closure = cls(
            id=id,
            location_id=location_id,
            kind=kind,
            period=period,
            version=version,
            reason=reason,
            totals=totals,
            cumulative=cumulative,
            totals_sha256=totals_sha256,
            cumulative_sha256=cumulative_sha256,
            previous_id=previous_id,
            audit_through_seq=audit_through_seq,
            closed_by=closed_by,
            closed_at=closed_at,
        )

        period_closure.additional_properties = d
        return period_closure

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
