from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.receipt_kind import ReceiptKind
from ..models.receipt_series import ReceiptSeries

if TYPE_CHECKING:
    from ..models.refund_snapshot import RefundSnapshot
    from ..models.sale_snapshot import SaleSnapshot


T = TypeVar("T", bound="Receipt")


@_attrs_define
class Receipt:
    """
    Attributes:
        id (UUID):
        number (str): Register, series and gapless sequence: R1-000123 (numbered by the server at close) or R1-O-000045
            (the register's offline series, numbered by the till)
        register_id (UUID):
        series (ReceiptSeries): '' numbered by the server; 'O' offline
        sequence (int):
        kind (ReceiptKind):
        order_id (UUID):
        shift_id (UUID):
        refund_id (None | UUID):
        original_receipt_id (None | UUID): For a refund: the sale's receipt
        currency (str):
        total_minor (int):
        snapshot (RefundSnapshot | SaleSnapshot): Lines, taxes per rate, payments and totals as they were at issue
        issued_by (str):
        issued_at (datetime.datetime):
    """

    id: UUID
    number: str
    register_id: UUID
    series: ReceiptSeries
    sequence: int
    kind: ReceiptKind
    order_id: UUID
    shift_id: UUID
    refund_id: None | UUID
    original_receipt_id: None | UUID
    currency: str
    total_minor: int
    snapshot: RefundSnapshot | SaleSnapshot
    issued_by: str
    issued_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.sale_snapshot import SaleSnapshot

        id = str(self.id)

        number = self.number

        register_id = str(self.register_id)

        series = self.series.value

        sequence = self.sequence

        kind = self.kind.value

        order_id = str(self.order_id)

        shift_id = str(self.shift_id)

        refund_id: None | str
        if isinstance(self.refund_id, UUID):
            refund_id = str(self.refund_id)
        else:
            refund_id = self.refund_id

        original_receipt_id: None | str
        if isinstance(self.original_receipt_id, UUID):
            original_receipt_id = str(self.original_receipt_id)
        else:
            original_receipt_id = self.original_receipt_id

        currency = self.currency

        total_minor = self.total_minor

        snapshot: dict[str, Any]
        if isinstance(self.snapshot, SaleSnapshot):
            snapshot = self.snapshot.to_dict()
        else:
            snapshot = self.snapshot.to_dict()

        issued_by = self.issued_by

        issued_at = self.issued_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "register_id": register_id,
                "series": series,
                "sequence": sequence,
                "kind": kind,
                "order_id": order_id,
                "shift_id": shift_id,
                "refund_id": refund_id,
                "original_receipt_id": original_receipt_id,
                "currency": currency,
                "total_minor": total_minor,
                "snapshot": snapshot,
                "issued_by": issued_by,
                "issued_at": issued_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refund_snapshot import RefundSnapshot
        from ..models.sale_snapshot import SaleSnapshot

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        number = d.pop("number")

        register_id = UUID(d.pop("register_id"))

        series = ReceiptSeries(d.pop("series"))

        sequence = d.pop("sequence")

        kind = ReceiptKind(d.pop("kind"))

        order_id = UUID(d.pop("order_id"))

        shift_id = UUID(d.pop("shift_id"))

        def _parse_refund_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_id_type_0 = UUID(data)

                return refund_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        refund_id = _parse_refund_id(d.pop("refund_id"))

        def _parse_original_receipt_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                original_receipt_id_type_0 = UUID(data)

                return original_receipt_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        original_receipt_id = _parse_original_receipt_id(d.pop("original_receipt_id"))

        currency = d.pop("currency")

        total_minor = d.pop("total_minor")

        def _parse_snapshot(data: object) -> RefundSnapshot | SaleSnapshot:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                snapshot_type_0 = SaleSnapshot.from_dict(data)

                return snapshot_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            snapshot_type_1 = RefundSnapshot.from_dict(data)

            return snapshot_type_1

        snapshot = _parse_snapshot(d.pop("snapshot"))

        issued_by = d.pop("issued_by")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        receipt = cls(
            id=id,
            number=number,
            register_id=register_id,
            series=series,
            sequence=sequence,
            kind=kind,
            order_id=order_id,
            shift_id=shift_id,
            refund_id=refund_id,
            original_receipt_id=original_receipt_id,
            currency=currency,
            total_minor=total_minor,
            snapshot=snapshot,
            issued_by=issued_by,
            issued_at=issued_at,
        )

        receipt.additional_properties = d
        return receipt

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
