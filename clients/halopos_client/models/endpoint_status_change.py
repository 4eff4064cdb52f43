from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EndpointStatusChange")


@_attrs_define
class EndpointStatusChange:
    """No fields: an empty object, or no body at all."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        endpoint_status_change = cls()

        return endpoint_status_change
