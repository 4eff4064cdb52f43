from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_range import AuditRange
    from ..models.business_out import BusinessOut
    from ..models.category_mix_row import CategoryMixRow
    from ..models.item_mix_row import ItemMixRow
    from ..models.location_out import LocationOut
    from ..models.modifier_mix_row import ModifierMixRow
    from ..models.period_out import PeriodOut


T = TypeVar("T", bound="ItemMix")


@_attrs_define
class ItemMix:
    """
    Attributes:
        business (BusinessOut): Who the report is of, as the tax office knows the business.
        location (LocationOut):
        period (PeriodOut):
        currency (str):
        prices_include_tax (bool):
        items (list[ItemMixRow]): Best sellers (by sales) first
        categories (list[CategoryMixRow]):
        modifiers (list[ModifierMixRow]):
        totals (CategoryMixRow):
        refunds_not_attributed_minor (int): Refunds given by amount, which name no item (and the cash rounding taken off
            refunds by line): in the totals' refunds, in no item's or category's
        generated_at (datetime.datetime): When it was read, in the venue's time
        audit (AuditRange): Where in the business's audit log the figures come from. They were read in one
            snapshot that includes every entry up to `through_seq` and none after it. Every sale,
            payment, refund and count is made in a shift open at that moment, so the shifts open at
            some time in the period hold everything the figures count: `from_seq` is the first entry
            recorded at or after the earliest opening of those shifts (or the period's start, if
            earlier). It is null only when no shift was open in the period and nothing was recorded
            since it began: a period without figures.
        report (Literal['item-mix'] | Unset):  Default: 'item-mix'.
    """

    business: BusinessOut
    location: LocationOut
    period: PeriodOut
    currency: str
    prices_include_tax: bool
    items: list[ItemMixRow]
    categories: list[CategoryMixRow]
    modifiers: list[ModifierMixRow]
    totals: CategoryMixRow
    refunds_not_attributed_minor: int
    generated_at: datetime.datetime
    audit: AuditRange
    report: Literal["item-mix"] | Unset = "item-mix"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business = self.business.to_dict()

        location = self.location.to_dict()

        period = self.period.to_dict()

        currency = self.currency

        prices_include_tax = self.prices_include_tax

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        modifiers = []
        for modifiers_item_data in self.modifiers:
            modifiers_item = modifiers_item_data.to_dict()
            modifiers.append(modifiers_item)

        totals = self.totals.to_dict()

        refunds_not_attributed_minor = self.refunds_not_attributed_minor

        generated_at = self.generated_at.isoformat()

        audit = self.audit.to_dict()

        report = self.report

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "business": business,
                "location": location,
                "period": period,
                "currency": currency,
                "prices_include_tax": prices_include_tax,
                "items": items,
                "categories": categories,
                "modifiers": modifiers,
                "totals": totals,
                "refunds_not_attributed_minor": refunds_not_attributed_minor,
                "generated_at": generated_at,
                "audit": audit,
            }
        )
        if report is not UNSET:
            field_dict["report"] = report

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_range import AuditRange
        from ..models.business_out import BusinessOut
        from ..models.category_mix_row import CategoryMixRow
        from ..models.item_mix_row import ItemMixRow
        from ..models.location_out import LocationOut
        from ..models.modifier_mix_row import ModifierMixRow
        from ..models.period_out import PeriodOut

        d = dict(src_dict)
        business = BusinessOut.from_dict(d.pop("business"))

        location = LocationOut.from_dict(d.pop("location"))

        period = PeriodOut.from_dict(d.pop("period"))

        currency = d.pop("currency")

        prices_include_tax = d.pop("prices_include_tax")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemMixRow.from_dict(items_item_data)

            items.append(items_item)

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = CategoryMixRow.from_dict(categories_item_data)

            categories.append(categories_item)

        modifiers = []
        _modifiers = d.pop("modifiers")
        for modifiers_item_data in _modifiers:
            modifiers_item = ModifierMixRow.from_dict(modifiers_item_data)

            modifiers.append(modifiers_item)

        totals = CategoryMixRow.from_dict(d.pop("totals"))

        refunds_not_attributed_minor = d.pop("refunds_not_attributed_minor")

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        audit = AuditRange.from_dict(d.pop("audit"))

        report = cast(Literal["item-mix"] | Unset, d.pop("report", UNSET))
        if report != "item-mix" and not isinstance(report, Unset):
            raise ValueError(f"report must match const 'item-mix', got '{report}'")

        item_mix = cls(
            business=business,
            location=location,
            period=period,
            currency=currency,
            prices_include_tax=prices_include_tax,
            items=items,
            categories=categories,
            modifiers=modifiers,
            totals=totals,
            refunds_not_attributed_minor=refunds_not_attributed_minor,
            generated_at=generated_at,
            audit=audit,
            report=report,
        )

        item_mix.additional_properties = d
        return item_mix

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
