from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.refund_issued_tender import RefundIssuedTender


T = TypeVar("T", bound="RefundIssued")


@_attrs_define
class RefundIssued:
    """Money was given back on a closed order; a refund receipt was issued.

    Attributes:
        refund_id (UUID):
        order_id (UUID): The closed order refunded
        location_id (UUID): The venue
        receipt_id (UUID): The refund receipt
        receipt_number (str): The refund receipt's, as printed
        original_receipt_number (None | str): The sale's receipt (null if the till could not find it)
        shift_id (UUID): The shift the money was given back in
        currency (str): ISO 4217 code of every amount's currency
        amount_minor (int): Given back, tax included
        tax_minor (int): Tax inside the amount
        rounding_minor (int): Cash rounding applied (negative: rounded down)
        reason_code (str): Why, as the till gave it (`ReasonCode`)
        tenders (list[RefundIssuedTender]): How it was given back; the amounts add up to `amount_minor`
        refunded_at (datetime.datetime):
        offline (bool): Recorded by a till while offline and uploaded later (the offline sync)
    """

    refund_id: UUID
    order_id: UUID
    location_id: UUID
    receipt_id: UUID
    receipt_number: str
    original_receipt_number: None | str
    shift_id: UUID
    currency: str
    amount_minor: int
    tax_minor: int
    rounding_minor: int
    reason_code: str
    tenders: list[RefundIssuedTender]
    refunded_at: datetime.datetime
    offline: bool

    def to_dict(self) -> dict[str, Any]:
        refund_id = str(self.refund_id)

        order_id = str(self.order_id)

        location_id = str(self.location_id)

        receipt_id = str(self.receipt_id)

        receipt_number = self.receipt_number

        original_receipt_number: None | str
        original_receipt_number = self.original_receipt_number

        shift_id = str(self.shift_id)

        currency = self.currency

        amount_minor = self.amount_minor

        tax_minor = self.tax_minor

        rounding_minor = self.rounding_minor

        reason_code = self.reason_code

        tenders = []
        for tenders_item_data in self.tenders:
            tenders_item = tenders_item_data.to_dict()
            tenders.append(tenders_item)

        refunded_at = self.refunded_at.isoformat()

        offline = self.offline

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "refund_id": refund_id,
                "order_id": order_id,
                "location_id": location_id,
                "receipt_id": receipt_id,
                "receipt_number": receipt_number,
                "original_receipt_number": original_receipt_number,
                "shift_id": shift_id,
                "currency": currency,
                "amount_minor": amount_minor,
                "tax_minor": tax_minor,
                "rounding_minor": rounding_minor,
                "reason_code": reason_code,
                "tenders": tenders,
                "refunded_at": refunded_at,
                "offline": offline,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refund_issued_tender import RefundIssuedTender

        d = dict(src_dict)
        refund_id = UUID(d.pop("refund_id"))

        order_id = UUID(d.pop("order_id"))

        location_id = UUID(d.pop("location_id"))

        receipt_id = UUID(d.pop("receipt_id"))

        receipt_number = d.pop("receipt_number")

        def _parse_original_receipt_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        original_receipt_number = _parse_original_receipt_number(
            d.pop("original_receipt_number")
        )

        shift_id = UUID(d.pop("shift_id"))

        currency = d.pop("currency")

        amount_minor = d.pop("amount_minor")

        tax_minor = d.pop("tax_minor")

        rounding_minor = d.pop("rounding_minor")

        reason_code = d.pop("reason_code")

        tenders = []
        _tenders = d.pop("tenders")
        for tenders_item_data in _tenders:
            tenders_item = RefundIssuedTender.from_dict(tenders_item_data)

            tenders.append(tenders_item)

        refunded_at = datetime.datetime.fromisoformat(d.pop("refunded_at"))

        offline = d.pop("offline")

        refund_issued = cls(
            refund_id=refund_id,
            order_id=order_id,
            location_id=location_id,
            receipt_id=receipt_id,
            receipt_number=receipt_number,
            original_receipt_number=original_receipt_number,
            shift_id=shift_id,
            currency=currency,
            amount_minor=amount_minor,
            tax_minor=tax_minor,
            rounding_minor=rounding_minor,
            reason_code=reason_code,
            tenders=tenders,
            refunded_at=refunded_at,
            offline=offline,
        )

        return refund_issued
