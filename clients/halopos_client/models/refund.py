from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reason_code import ReasonCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.refund_tender import RefundTender
    from ..models.refunded_line import RefundedLine
    from ..models.tax_line import TaxLine


T = TypeVar("T", bound="Refund")


@_attrs_define
class Refund:
    """
    Attributes:
        id (UUID):
        order_id (UUID):
        shift_id (UUID):
        reason_code (ReasonCode): Why a sale was voided or refunded; reports group by it.
        note (None | str):
        amount_minor (int): The goods given back, tax included
        tax_minor (int):
        tax (list[TaxLine]):
        lines (list[RefundedLine]): The lines given back (empty for a refund by amount)
        tenders (list[RefundTender]):
        created_by (str):
        approved_by (None | str):
        created_at (datetime.datetime):
        rounding_minor (int | Unset): Cash handed back is rounded like cash taken (AUD: to 5c): the money given back is
            amount_minor + rounding_minor, what the tenders add up to Default: 0.
    """

    id: UUID
    order_id: UUID
    shift_id: UUID
    reason_code: ReasonCode
    note: None | str
    amount_minor: int
    tax_minor: int
    tax: list[TaxLine]
    lines: list[RefundedLine]
    tenders: list[RefundTender]
    created_by: str
    approved_by: None | str
    created_at: datetime.datetime
    rounding_minor: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        order_id = str(self.order_id)

        shift_id = str(self.shift_id)

        reason_code = self.reason_code.value

        note: None | str
        note = self.note

        amount_minor = self.amount_minor

        tax_minor = self.tax_minor

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        tenders = []
        for tenders_item_data in self.tenders:
            tenders_item = tenders_item_data.to_dict()
            tenders.append(tenders_item)

        created_by = self.created_by

        approved_by: None | str
        approved_by = self.approved_by

        created_at = self.created_at.isoformat()

        rounding_minor = self.rounding_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "order_id": order_id,
                "shift_id": shift_id,
                "reason_code": reason_code,
                "note": note,
                "amount_minor": amount_minor,
                "tax_minor": tax_minor,
                "tax": tax,
                "lines": lines,
                "tenders": tenders,
                "created_by": created_by,
                "approved_by": approved_by,
                "created_at": created_at,
            }
        )
        if rounding_minor is not UNSET:
            field_dict["rounding_minor"] = rounding_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refund_tender import RefundTender
        from ..models.refunded_line import RefundedLine
        from ..models.tax_line import TaxLine

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        order_id = UUID(d.pop("order_id"))

        shift_id = UUID(d.pop("shift_id"))

        reason_code = ReasonCode(d.pop("reason_code"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        amount_minor = d.pop("amount_minor")

        tax_minor = d.pop("tax_minor")

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxLine.from_dict(tax_item_data)

            tax.append(tax_item)

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = RefundedLine.from_dict(lines_item_data)

            lines.append(lines_item)

        tenders = []
        _tenders = d.pop("tenders")
        for tenders_item_data in _tenders:
            tenders_item = RefundTender.from_dict(tenders_item_data)

            tenders.append(tenders_item)

        created_by = d.pop("created_by")

        def _parse_approved_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approved_by = _parse_approved_by(d.pop("approved_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        rounding_minor = d.pop("rounding_minor", UNSET)

        refund = cls(
            id=id,
            order_id=order_id,
            shift_id=shift_id,
            reason_code=reason_code,
            note=note,
            amount_minor=amount_minor,
            tax_minor=tax_minor,
            tax=tax,
            lines=lines,
            tenders=tenders,
            created_by=created_by,
            approved_by=approved_by,
            created_at=created_at,
            rounding_minor=rounding_minor,
        )

        refund.additional_properties = d
        return refund

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
