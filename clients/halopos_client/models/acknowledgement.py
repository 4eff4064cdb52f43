from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.ack_status import AckStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Acknowledgement")


@_attrs_define
class Acknowledgement:
    """
    Attributes:
        attempt (int): The `attempt` of the delivery being acknowledged
        status (AckStatus):
        reason (None | str | Unset): Why printing failed, in the printer's words
    """

    attempt: int
    status: AckStatus
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        status = self.status.value

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempt": attempt,
                "status": status,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        status = AckStatus(d.pop("status"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        acknowledgement = cls(
            attempt=attempt,
            status=status,
            reason=reason,
        )

        return acknowledgement
