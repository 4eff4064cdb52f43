from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VatBox")


@_attrs_define
class VatBox:
    """A line of the German Umsatzsteuer-Voranmeldung (UStVA) the till's sales fill: the
    taxable amount (Bemessungsgrundlage) of a rate after the period's refunds (§ 17 UStG),
    in whole euros as the form takes it, and the tax.

        Attributes:
            kennzahl (str): The form's box (Kz) for the amount: 81, 86 or 35
            tax_kennzahl (None | str): The box for the tax where the form asks for it (36, with 35); for 81 and 86 the form
                works the tax out from the amount
            description (str):
            rate (None | str): null for 35: every other rate together
            base_minor (int): Net of the rate's sales less its refunds, in cents
            base_whole_euros (int): What goes in the box: whole euros, the cents dropped in the business's favour (rounded
                down)
            tax_minor (int): The invoices' tax less the refunds', in cents
            form_tax_minor (int): The tax the form computes: the whole-euro amount at the rate, to the cent (half up); for
                35/36 the tax entered, `tax_minor`
    """

    kennzahl: str
    tax_kennzahl: None | str
    description: str
    rate: None | str
    base_minor: int
    base_whole_euros: int
    tax_minor: int
    form_tax_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kennzahl = self.kennzahl

        tax_kennzahl: None | str
        tax_kennzahl = self.tax_kennzahl

        description = self.description

        rate: None | str
        rate = self.rate

        base_minor = self.base_minor

        base_whole_euros = self.base_whole_euros

        tax_minor = self.tax_minor

        form_tax_minor = self.form_tax_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kennzahl": kennzahl,
                "tax_kennzahl": tax_kennzahl,
                "description": description,
                "rate": rate,
                "base_minor": base_minor,
                "base_whole_euros": base_whole_euros,
                "tax_minor": tax_minor,
                "form_tax_minor": form_tax_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kennzahl = d.pop("kennzahl")

        def _parse_tax_kennzahl(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_kennzahl = _parse_tax_kennzahl(d.pop("tax_kennzahl"))

        description = d.pop("description")

        def _parse_rate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rate = _parse_rate(d.pop("rate"))

        base_minor = d.pop("base_minor")

        base_whole_euros = d.pop("base_whole_euros")

        tax_minor = d.pop("tax_minor")

        form_tax_minor = d.pop("form_tax_minor")

        vat_box = cls(
            kennzahl=kennzahl,
            tax_kennzahl=tax_kennzahl,
            description=description,
            rate=rate,
            base_minor=base_minor,
            base_whole_euros=base_whole_euros,
            tax_minor=tax_minor,
            form_tax_minor=form_tax_minor,
        )

        vat_box.additional_properties = d
        return vat_box

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
