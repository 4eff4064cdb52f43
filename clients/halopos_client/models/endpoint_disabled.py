from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="EndpointDisabled")


@_attrs_define
class EndpointDisabled:
    """Another endpoint of the business was disabled after failing to accept deliveries; its
    deliveries wait until an owner enables it again.

        Attributes:
            endpoint_id (UUID):
            url (str): The disabled endpoint's URL
            reason (str): Why, in words
            disabled_at (datetime.datetime):
    """

    endpoint_id: UUID
    url: str
    reason: str
    disabled_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        endpoint_id = str(self.endpoint_id)

        url = self.url

        reason = self.reason

        disabled_at = self.disabled_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "endpoint_id": endpoint_id,
                "url": url,
                "reason": reason,
                "disabled_at": disabled_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        endpoint_id = UUID(d.pop("endpoint_id"))

        url = d.pop("url")

        reason = d.pop("reason")

        disabled_at = datetime.datetime.fromisoformat(d.pop("disabled_at"))

        endpoint_disabled = cls(
            endpoint_id=endpoint_id,
            url=url,
            reason=reason,
            disabled_at=disabled_at,
        )

        return endpoint_disabled
