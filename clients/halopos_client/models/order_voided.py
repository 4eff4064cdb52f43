from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="OrderVoided")


@_attrs_define
class OrderVoided:
    """An unpaid open order was voided.

    Attributes:
        order_id (UUID):
        location_id (UUID): The venue
        currency (str): ISO 4217 code of every amount's currency
        total_minor (int): The order's total when it was voided
        reason_code (str): Why, as the till gave it (`ReasonCode`)
        voided_at (datetime.datetime):
        offline (bool): Recorded by a till while offline and uploaded later (the offline sync)
    """

    order_id: UUID
    location_id: UUID
    currency: str
    total_minor: int
    reason_code: str
    voided_at: datetime.datetime
    offline: bool

    def to_dict(self) -> dict[str, Any]:
        order_id = str(self.order_id)

        location_id = str(self.location_id)

        currency = self.currency

        total_minor = self.total_minor

        reason_code = self.reason_code

        voided_at = self.voided_at.isoformat()

        offline = self.offline

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order_id": order_id,
                "location_id": location_id,
                "currency": currency,
                "total_minor": total_minor,
                "reason_code": reason_code,
                "voided_at": voided_at,
                "offline": offline,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        order_id = UUID(d.pop("order_id"))

        location_id = UUID(d.pop("location_id"))

        currency = d.pop("currency")

        total_minor = d.pop("total_minor")

        reason_code = d.pop("reason_code")

        voided_at = datetime.datetime.fromisoformat(d.pop("voided_at"))

        offline = d.pop("offline")

        order_voided = cls(
            order_id=order_id,
            location_id=location_id,
            currency=currency,
            total_minor=total_minor,
            reason_code=reason_code,
            voided_at=voided_at,
            offline=offline,
        )

        return order_voided
