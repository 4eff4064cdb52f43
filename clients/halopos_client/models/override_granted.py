from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.override_action import OverrideAction
from ..types import UNSET, Unset

T = TypeVar("T", bound="OverrideGranted")


@_attrs_define
class OverrideGranted:
    """
    Attributes:
        override_token (str): Send as `X-Override-Token` with the guarded request, from this device
        expires_in (int): Seconds the token is valid for; it works once
        action (OverrideAction):
        resource_id (str):
        approved_by (UUID):
        amount_minor (int | None | Unset): The amount approved, if one
        percent_bps (int | None | Unset): The percentage approved, if one
    """

    override_token: str
    expires_in: int
    action: OverrideAction
    resource_id: str
    approved_by: UUID
    amount_minor: int | None | Unset = UNSET
    percent_bps: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        override_token = self.override_token

        expires_in = self.expires_in

        action = self.action.value

        resource_id = self.resource_id

        approved_by = str(self.approved_by)

        amount_minor: int | None | Unset
        if isinstance(self.amount_minor, Unset):
            amount_minor = UNSET
        else:
            amount_minor = self.amount_minor

        percent_bps: int | None | Unset
        if isinstance(self.percent_bps, Unset):
            percent_bps = UNSET
        else:
            percent_bps = self.percent_bps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "override_token": override_token,
                "expires_in": expires_in,
                "action": action,
                "resource_id": resource_id,
                "approved_by": approved_by,
            }
        )
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor
        if percent_bps is not UNSET:
            field_dict["percent_bps"] = percent_bps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        override_token = d.pop("override_token")

        expires_in = d.pop("expires_in")

        action = OverrideAction(d.pop("action"))

        resource_id = d.pop("resource_id")

        approved_by = UUID(d.pop("approved_by"))

        def _parse_amount_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount_minor = _parse_amount_minor(d.pop("amount_minor", UNSET))

        def _parse_percent_bps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        percent_bps = _parse_percent_bps(d.pop("percent_bps", UNSET))

        override_granted = cls(
            override_token=override_token,
            expires_in=expires_in,
            action=action,
            resource_id=resource_id,
            approved_by=approved_by,
            amount_minor=amount_minor,
            percent_bps=percent_bps,
        )

        override_granted.additional_properties = d
        return override_granted

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
