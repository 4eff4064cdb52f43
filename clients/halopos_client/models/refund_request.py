from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reason_code import ReasonCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.refund_line_in import RefundLineIn
    from ..models.refund_tender_in import RefundTenderIn


T = TypeVar("T", bound="RefundRequest")


@_attrs_define
class RefundRequest:
    """By line (`lines`) or by amount (`amount_minor`), never both. `tenders` says which
    payments the money goes back to; by default the latest payments first.

        Attributes:
            reason_code (ReasonCode): Why a sale was voided or refunded; reports group by it.
            version (int | None | Unset): The version you are changing (or send If-Match)
            note (None | str | Unset):
            lines (list[RefundLineIn] | None | Unset):
            amount_minor (int | None | Unset):
            tenders (list[RefundTenderIn] | None | Unset):
    """

    reason_code: ReasonCode
    version: int | None | Unset = UNSET
    note: None | str | Unset = UNSET
    lines: list[RefundLineIn] | None | Unset = UNSET
    amount_minor: int | None | Unset = UNSET
    tenders: list[RefundTenderIn] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason_code = self.reason_code.value

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        lines: list[dict[str, Any]] | None | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, list):
            lines = []
            for lines_type_0_item_data in self.lines:
                lines_type_0_item = lines_type_0_item_data.to_dict()
                lines.append(lines_type_0_item)

        else:
            lines = self.lines

        amount_minor: int | None | Unset
        if isinstance(self.amount_minor, Unset):
            amount_minor = UNSET
        else:
            amount_minor = self.amount_minor

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason_code": reason_code,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if note is not UNSET:
            field_dict["note"] = note
        if lines is not UNSET:
            field_dict["lines"] = lines
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor
        if tenders is not UNSET:
            field_dict["tenders"] = tenders

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.refund_line_in import RefundLineIn
        from ..models.refund_tender_in import RefundTenderIn

        d = dict(src_dict)
        reason_code = ReasonCode(d.pop("reason_code"))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_lines(data: object) -> list[RefundLineIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                lines_type_0 = []
                _lines_type_0 = data
                for lines_type_0_item_data in _lines_type_0:
                    lines_type_0_item = RefundLineIn.from_dict(lines_type_0_item_data)

                    lines_type_0.append(lines_type_0_item)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RefundLineIn] | None | Unset, data)

        lines = _parse_lines(d.pop("lines", UNSET))

        def _parse_amount_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount_minor = _parse_amount_minor(d.pop("amount_minor", UNSET))

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

        refund_request = cls(
            reason_code=reason_code,
            version=version,
            note=note,
            lines=lines,
            amount_minor=amount_minor,
            tenders=tenders,
        )

        return refund_request
