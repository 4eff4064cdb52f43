from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reason_code import ReasonCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.refund_line_in import RefundLineIn
    from ..models.refund_tender_in import RefundTenderIn


T = TypeVar("T", bound="RefundByLines")


@_attrs_define
class RefundByLines:
    """Lines given back: each line's number and how many of it.

    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        reason_code (ReasonCode): Why a sale was voided or refunded; reports group by it.
        lines (list[RefundLineIn]):
        note (None | str | Unset):
        tenders (list[RefundTenderIn] | None | Unset): Which payments the money goes back to; by default the latest
            first
        amount_minor (None | Unset):
    """

    version: int
    reason_code: ReasonCode
    lines: list[RefundLineIn]
    note: None | str | Unset = UNSET
    tenders: list[RefundTenderIn] | None | Unset = UNSET
    amount_minor: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        reason_code = self.reason_code.value

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        tenders: list[dict[str, Any]] | None | Unset
        if isinstance(self.tenders, Unset):
            tenders = UNSET
        elif isinstance(self.tenders, list):
            tenders = []
            for tenders_type_0_item_data in self.tenders:
                tenders_type_0_item = tenders_type_0_item_data.to_dict()
                tenders.append(tenders_type_0_item)

        else:
            tenders = self.tenders

        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "reason_code": reason_code,
                "lines": lines,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if tenders is not UNSET:
            field_dict["tenders"] = tenders
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refund_line_in import RefundLineIn
        from ..models.refund_tender_in import RefundTenderIn

        d = dict(src_dict)
        version = d.pop("version")

        reason_code = ReasonCode(d.pop("reason_code"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = RefundLineIn.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_tenders(data: object) -> list[RefundTenderIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tenders_type_0 = []
                _tenders_type_0 = data
                for tenders_type_0_item_data in _tenders_type_0:
                    tenders_type_0_item = RefundTenderIn.from_dict(
                        tenders_type_0_item_data
                    )

                    tenders_type_0.append(tenders_type_0_item)

                return tenders_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RefundTenderIn] | None | Unset, data)

        tenders = _parse_tenders(d.pop("tenders", UNSET))

        amount_minor = d.pop("amount_minor", UNSET)

        refund_by_lines = cls(
            version=version,
            reason_code=reason_code,
            lines=lines,
            note=note,
            tenders=tenders,
            amount_minor=amount_minor,
        )

        return refund_by_lines
