from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.tender_amounts import TenderAmounts


T = TypeVar("T", bound="ShiftClosed")


@_attrs_define
class ShiftClosed:
    """A register's shift was closed with its count (its Z report: `GET /v1/shifts/{id}`).

    Attributes:
        shift_id (UUID):
        register_id (UUID): The register (device) the shift was on
        location_id (UUID): The venue
        currency (str): ISO 4217 code of every amount's currency
        force_close (bool): Closed by a manager without the opener
        counted (TenderAmounts):
        expected (TenderAmounts):
        difference (TenderAmounts):
        closed_at (datetime.datetime):
        offline (bool): Recorded by a till while offline and uploaded later (the offline sync)
    """

    shift_id: UUID
    register_id: UUID
    location_id: UUID
    currency: str
    force_close: bool
    counted: TenderAmounts
    expected: TenderAmounts
    difference: TenderAmounts
    closed_at: datetime.datetime
    offline: bool

    def to_dict(self) -> dict[str, Any]:
        shift_id = str(self.shift_id)

        register_id = str(self.register_id)

        location_id = str(self.location_id)

        currency = self.currency

        force_close = self.force_close

        counted = self.counted.to_dict()

        expected = self.expected.to_dict()

        difference = self.difference.to_dict()

        closed_at = self.closed_at.isoformat()

        offline = self.offline

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "shift_id": shift_id,
                "register_id": register_id,
                "location_id": location_id,
                "currency": currency,
                "force_close": force_close,
                "counted": counted,
                "expected": expected,
                "difference": difference,
                "closed_at": closed_at,
                "offline": offline,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tender_amounts import TenderAmounts

        d = dict(src_dict)
        shift_id = UUID(d.pop("shift_id"))

        register_id = UUID(d.pop("register_id"))

        location_id = UUID(d.pop("location_id"))

        currency = d.pop("currency")

        force_close = d.pop("force_close")

        counted = TenderAmounts.from_dict(d.pop("counted"))

        expected = TenderAmounts.from_dict(d.pop("expected"))

        difference = TenderAmounts.from_dict(d.pop("difference"))

        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        offline = d.pop("offline")

        shift_closed = cls(
            shift_id=shift_id,
            register_id=register_id,
            location_id=location_id,
            currency=currency,
            force_close=force_close,
            counted=counted,
            expected=expected,
            difference=difference,
            closed_at=closed_at,
            offline=offline,
        )

        return shift_closed
