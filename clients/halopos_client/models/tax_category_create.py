from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaxCategoryCreate")


@_attrs_define
class TaxCategoryCreate:
    """
    Attributes:
        code (str): Stable short code, unique in the business: `gst`, `gst-free`, `standard`
        name (str):
        rate_percent (int | str): In force from now on
    """

    code: str
    name: str
    rate_percent: int | str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        rate_percent: int | str
        rate_percent = self.rate_percent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "name": name,
                "rate_percent": rate_percent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        def _parse_rate_percent(data: object) -> int | str:
            return cast(int | str, data)

        rate_percent = _parse_rate_percent(d.pop("rate_percent"))

        tax_category_create = cls(
            code=code,
            name=name,
            rate_percent=rate_percent,
        )

        return tax_category_create
