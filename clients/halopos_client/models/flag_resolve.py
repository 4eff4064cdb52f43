from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FlagResolve")


@_attrs_define
class FlagResolve:
    """
    Attributes:
        resolution (str): What was found and done
    """

    resolution: str

    def to_dict(self) -> dict[str, Any]:
        resolution = self.resolution

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resolution": resolution,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        resolution = d.pop("resolution")

        flag_resolve = cls(
            resolution=resolution,
        )

        return flag_resolve
