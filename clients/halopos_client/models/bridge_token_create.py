from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="BridgeTokenCreate")


@_attrs_define
class BridgeTokenCreate:
    """
    Attributes:
        location_id (UUID): The venue whose print jobs the Bridge will receive
        name (str): What the owner calls this Bridge, e.g. 'Mac mini behind the bar'
    """

    location_id: UUID
    name: str

    def to_dict(self) -> dict[str, Any]:
        location_id = str(self.location_id)

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "location_id": location_id,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        location_id = UUID(d.pop("location_id"))

        name = d.pop("name")

        bridge_token_create = cls(
            location_id=location_id,
            name=name,
        )

        return bridge_token_create
