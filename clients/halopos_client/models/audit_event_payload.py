from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditEventPayload")


@_attrs_define
class AuditEventPayload:
    """What the action changed, as a JSON object whose members depend on the action: the fields sent and the values before
    and after, amounts in minor units; a sale's entries add the device (`device_id`), an override's approver
    (`approved_by`, `approved_by_role`, `override_jti`, `approved_amount_minor`, `approved_percent_bps`), and an offline
    operation's `offline`, `claims` and `flags`

    """

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        audit_event_payload = cls()

        audit_event_payload.additional_properties = d
        return audit_event_payload

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
