from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="OrderClosed")


@_attrs_define
class OrderClosed:
    """A sale was paid in full and closed; its receipt was issued.

    Attributes:
        order_id (UUID):
        location_id (UUID): The venue
        receipt_id (UUID): `GET /v1/receipts/{receipt_id}` has the lines
        receipt_number (str): As printed, e.g. R1-000042
        shift_id (UUID): The register's shift the sale was taken in
        currency (str): ISO 4217 code of every amount's currency
        total_minor (int): What the customer owed, tax included
        tax_minor (int): Tax inside (or added to) the total
        rounding_minor (int): Cash rounding applied (negative: rounded down)
        paid_minor (int): Tendered, change given back excluded
        closed_at (datetime.datetime):
        offline (bool): Recorded by a till while offline and uploaded later (the offline sync)
    """

    order_id: UUID
    location_id: UUID
    receipt_id: UUID
    receipt_number: str
    shift_id: UUID
    currency: str
    total_minor: int
    tax_minor: int
    rounding_minor: int
    paid_minor: int
    closed_at: datetime.datetime
    offline: bool

    def to_dict(self) -> dict[str, Any]:
        order_id = str(self.order_id)

        location_id = str(self.location_id)

        receipt_id = str(self.receipt_id)

        receipt_number = self.receipt_number

        shift_id = str(self.shift_id)

        currency = self.currency

        total_minor = self.total_minor

        tax_minor = self.tax_minor

        rounding_minor = self.rounding_minor

        paid_minor = self.paid_minor

        closed_at = self.closed_at.isoformat()

        offline = self.offline

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order_id": order_id,
                "location_id": location_id,
                "receipt_id": receipt_id,
                "receipt_number": receipt_number,
                "shift_id": shift_id,
                "currency": currency,
                "total_minor": total_minor,
                "tax_minor": tax_minor,
                "rounding_minor": rounding_minor,
                "paid_minor": paid_minor,
                "closed_at": closed_at,
                "offline": offline,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        order_id = UUID(d.pop("order_id"))

        location_id = UUID(d.pop("location_id"))

        receipt_id = UUID(d.pop("receipt_id"))

        receipt_number = d.pop("receipt_number")

        shift_id = UUID(d.pop("shift_id"))

        currency = d.pop("currency")

        total_minor = d.pop("total_minor")

        tax_minor = d.pop("tax_minor")

        rounding_minor = d.pop("rounding_minor")

        paid_minor = d.pop("paid_minor")

        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        offline = d.pop("offline")

        order_closed = cls(
            order_id=order_id,
            location_id=location_id,
            receipt_id=receipt_id,
            receipt_number=receipt_number,
            shift_id=shift_id,
            currency=currency,
            total_minor=total_minor,
            tax_minor=tax_minor,
            rounding_minor=rounding_minor,
            paid_minor=paid_minor,
            closed_at=closed_at,
            offline=offline,
        )

        return order_closed
