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
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.offline_stamp import OfflineStamp
    from ..models.refunded_line import RefundedLine
    from ..models.refunded_tender_out import RefundedTenderOut
    from ..models.tax_line import TaxLine


T = TypeVar("T", bound="RefundSnapshot")


@_attrs_define
class RefundSnapshot:
    """A refund's receipt as it was issued.

    Attributes:
        kind (Literal['refund']):
        receipt_number (str):
        order_id (UUID):
        original_receipt_number (None | str): The sale's receipt, if it had one
        currency (str):
        reason_code (str):
        lines (list[RefundedLine] | None): The lines given back
        tax (list[TaxLine]):
        tax_minor (int):
        amount_minor (int):
        rounding_minor (int):
        tenders (list[RefundedTenderOut]):
        offline (None | OfflineStamp | Unset): Only when taken offline
    """

    kind: Literal["refund"]
    receipt_number: str
    order_id: UUID
    original_receipt_number: None | str
    currency: str
    reason_code: str
    lines: list[RefundedLine] | None
    tax: list[TaxLine]
    tax_minor: int
    amount_minor: int
    rounding_minor: int
    tenders: list[RefundedTenderOut]
    offline: None | OfflineStamp | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.offline_stamp import OfflineStamp

        kind = self.kind

        receipt_number = self.receipt_number

        order_id = str(self.order_id)

        original_receipt_number: None | str
        original_receipt_number = self.original_receipt_number

        currency = self.currency

        reason_code = self.reason_code

        lines: list[dict[str, Any]] | None
        if isinstance(self.lines, list):
            lines = []
            for lines_type_0_item_data in self.lines:
                lines_type_0_item = lines_type_0_item_data.to_dict()
                lines.append(lines_type_0_item)

        else:
            lines = self.lines

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        tax_minor = self.tax_minor

        amount_minor = self.amount_minor

        rounding_minor = self.rounding_minor

        tenders = []
        for tenders_item_data in self.tenders:
            tenders_item = tenders_item_data.to_dict()
            tenders.append(tenders_item)

        offline: dict[str, Any] | None | Unset
        if isinstance(self.offline, Unset):
            offline = UNSET
        elif isinstance(self.offline, OfflineStamp):
            offline = self.offline.to_dict()
        else:
            offline = self.offline

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "receipt_number": receipt_number,
                "order_id": order_id,
                "original_receipt_number": original_receipt_number,
                "currency": currency,
                "reason_code": reason_code,
                "lines": lines,
                "tax": tax,
                "tax_minor": tax_minor,
                "amount_minor": amount_minor,
                "rounding_minor": rounding_minor,
                "tenders": tenders,
            }
        )
        if offline is not UNSET:
            field_dict["offline"] = offline

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.offline_stamp import OfflineStamp
        from ..models.refunded_line import RefundedLine
        from ..models.refunded_tender_out import RefundedTenderOut
        from ..models.tax_line import TaxLine

        d = dict(src_dict)
        kind = cast(Literal["refund"], d.pop("kind"))
        if kind != "refund":
            raise ValueError(f"kind must match const 'refund', got '{kind}'")

        receipt_number = d.pop("receipt_number")

        order_id = UUID(d.pop("order_id"))

        def _parse_original_receipt_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        original_receipt_number = _parse_original_receipt_number(
            d.pop("original_receipt_number")
        )

        currency = d.pop("currency")

        reason_code = d.pop("reason_code")

        def _parse_lines(data: object) -> list[RefundedLine] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                lines_type_0 = []
                _lines_type_0 = data
                for lines_type_0_item_data in _lines_type_0:
                    lines_type_0_item = RefundedLine.from_dict(lines_type_0_item_data)

                    lines_type_0.append(lines_type_0_item)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RefundedLine] | None, data)

        lines = _parse_lines(d.pop("lines"))

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxLine.from_dict(tax_item_data)

            tax.append(tax_item)

        tax_minor = d.pop("tax_minor")

        amount_minor = d.pop("amount_minor")

        rounding_minor = d.pop("rounding_minor")

        tenders = []
        _tenders = d.pop("tenders")
        for tenders_item_data in _tenders:
            tenders_item = RefundedTenderOut.from_dict(tenders_item_data)

            tenders.append(tenders_item)

        def _parse_offline(data: object) -> None | OfflineStamp | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offline_type_0 = OfflineStamp.from_dict(data)

                return offline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OfflineStamp | Unset, data)

        offline = _parse_offline(d.pop("offline", UNSET))

        refund_snapshot = cls(
            kind=kind,
            receipt_number=receipt_number,
            order_id=order_id,
            original_receipt_number=original_receipt_number,
            currency=currency,
            reason_code=reason_code,
            lines=lines,
            tax=tax,
            tax_minor=tax_minor,
            amount_minor=amount_minor,
            rounding_minor=rounding_minor,
            tenders=tenders,
            offline=offline,
        )

        refund_snapshot.additional_properties = d
        return refund_snapshot

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
