from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.z_report_issue_reason import ZReportIssueReason

if TYPE_CHECKING:
    from ..models.z_report import ZReport


T = TypeVar("T", bound="ZReportIssue")


@_attrs_define
class ZReportIssue:
    """One issue of a shift's Z report: version 1 at close, the next ones when sales that
    happened in the shift arrived after it closed.

        Attributes:
            version (int):
            reason (ZReportIssueReason):
            issued_by (str):
            issued_at (datetime.datetime):
            report (ZReport): The report issued at close: the X report plus what was counted, and the difference
                (counted - expected: positive is over, negative is short).
    """

    version: int
    reason: ZReportIssueReason
    issued_by: str
    issued_at: datetime.datetime
    report: ZReport
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        reason = self.reason.value

        issued_by = self.issued_by

        issued_at = self.issued_at.isoformat()

        report = self.report.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "reason": reason,
                "issued_by": issued_by,
                "issued_at": issued_at,
                "report": report,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.z_report import ZReport

        d = dict(src_dict)
        version = d.pop("version")

        reason = ZReportIssueReason(d.pop("reason"))

        issued_by = d.pop("issued_by")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        report = ZReport.from_dict(d.pop("report"))

        z_report_issue = cls(
            version=version,
            reason=reason,
            issued_by=issued_by,
            issued_at=issued_at,
            report=report,
        )

        z_report_issue.additional_properties = d
        return z_report_issue

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
