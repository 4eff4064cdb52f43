from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.period_closed_kind import PeriodClosedKind
from ..models.period_closed_reason import PeriodClosedReason

if TYPE_CHECKING:
    from ..models.totals import Totals


T = TypeVar("T", bound="PeriodClosed")


@_attrs_define
class PeriodClosed:
    """A venue's day, month or year was closed in the books, or closed again because sales
    arrived after it (`late-arrival`, a new `version`): `GET /v1/reports/closures`.

        Attributes:
            closure_id (UUID):
            location_id (UUID): The venue
            kind (PeriodClosedKind):
            period (str): 2026-12-06, 2026-12 or 2026
            first_day (datetime.date):
            last_day (datetime.date):
            version (int): 1, then one more for each re-issue
            reason (PeriodClosedReason):
            currency (str): ISO 4217 code of every amount's currency
            totals (Totals): A business day's figures, or a run of days' added up.

                Sales are the orders paid (closed) in the day; voids the orders voided in it; refunds and
                payments what happened in it, whichever day the sale was. In the business's pricing
                basis: `net_sales` = gross - discounts + service charges.
            totals_sha256 (str): Hex SHA-256 of the totals, as the closure has it
            closed_at (datetime.datetime):
    """

    closure_id: UUID
    location_id: UUID
    kind: PeriodClosedKind
    period: str
    first_day: datetime.date
    last_day: datetime.date
    version: int
    reason: PeriodClosedReason
    currency: str
    totals: Totals
    totals_sha256: str
    closed_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        closure_id = str(self.closure_id)

        location_id = str(self.location_id)

        kind = self.kind.value

        period = self.period

        first_day = self.first_day.isoformat()

        last_day = self.last_day.isoformat()

        version = self.version

        reason = self.reason.value

        currency = self.currency

        totals = self.totals.to_dict()

        totals_sha256 = self.totals_sha256

        closed_at = self.closed_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "closure_id": closure_id,
                "location_id": location_id,
                "kind": kind,
                "period": period,
                "first_day": first_day,
                "last_day": last_day,
                "version": version,
                "reason": reason,
                "currency": currency,
                "totals": totals,
                "totals_sha256": totals_sha256,
                "closed_at": closed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.totals import Totals

        d = dict(src_dict)
        closure_id = UUID(d.pop("closure_id"))

        location_id = UUID(d.pop("location_id"))

        kind = PeriodClosedKind(d.pop("kind"))

        period = d.pop("period")

        first_day = datetime.date.fromisoformat(d.pop("first_day"))

        last_day = datetime.date.fromisoformat(d.pop("last_day"))

        version = d.pop("version")

        reason = PeriodClosedReason(d.pop("reason"))

        currency = d.pop("currency")

        totals = Totals.from_dict(d.pop("totals"))

        totals_sha256 = d.pop("totals_sha256")

        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        period_closed = cls(
            closure_id=closure_id,
            location_id=location_id,
            kind=kind,
            period=period,
            first_day=first_day,
            last_day=last_day,
            version=version,
            reason=reason,
            currency=currency,
            totals=totals,
            totals_sha256=totals_sha256,
            closed_at=closed_at,
        )

        return period_closed
