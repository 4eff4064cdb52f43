from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, Self
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.config import JsonDict

from libs.api import json_schema
from libs.api.concurrency import VersionedChange
from libs.text import Name, RateString

# Far above any menu price, far below where integer minor units could overflow.
MAX_PRICE_MINOR = 100_000_000
Price = Annotated[
    int, Field(ge=0, le=MAX_PRICE_MINOR, description="Minor units of the business's currency")
]
Position = Annotated[int, Field(ge=0, le=1_000_000, description="Ascending display order")]
MinChoices = Annotated[int, Field(ge=0, le=50)]
MaxChoices = Annotated[int, Field(ge=1, le=50)]
ClientId = Field(
    default=None,
    description="Client-generated id, for records created offline: sending the same id and "
    "content again returns the existing record (200); other content is refused (409)",
)
PrinterRole = Literal["kitchen", "bar"]
PRINTER_ROLE_HELP = (
    "Where the category's items are made: its lines print there when the order is fired "
    "(null: nothing to prepare, e.g. retail)"
)
Archived = Field(
    default=None,
    description="true archives (hidden from the till, never sold again); false restores",
)
EffectiveFrom = Field(
    description="ISO 8601 with an offset (`2027-01-01T00:00:00+11:00`); strictly in the "
    "future: a price applies to sales after it, never retroactively"
)


class _Update(VersionedChange):
    """A PATCH: at least one field besides `version`, and none of them null."""

    # Fields that null clears (every other one refuses null).
    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _something(self) -> Self:
        changed = self.model_fields_set - {"version"}
        if not changed:
            raise ValueError("name at least one field to change")
        if any(getattr(self, name) is None for name in changed - self.nullable):
            raise ValueError("a field cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version"})

    @classmethod
    def document_rules(cls, schema: json_schema.JsonSchema) -> None:
        # The validator's rules, stated: `version` and at least one field more, none of them
        # null but those in `nullable`.
        super().document_rules(schema)
        json_schema.refuse_null(schema, json_schema.nullable_fields(cls, keep=cls.nullable))
        json_schema.at_least_one_change(schema, besides=["version"])


# -- categories --------------------------------------------------------------------------------


# -- examples ----------------------------------------------------------------------------------
# Harbour Café's menu: coffee made at the bar (a flat white, with oat milk for 70c more), food
# from the kitchen (banana bread). Prices include GST. The orders' examples sell these.
COFFEE_CATEGORY: JsonDict = {
    "id": "5a2c8e4f-9b1d-4c6a-8e3f-7d1b5a9c2e64",
    "name": "Coffee",
    "position": 1,
    "printer_role": "bar",
    "archived": False,
    "archived_at": None,
    "version": 1,
    "created_at": "2026-06-01T10:15:00+10:00",
    "updated_at": "2026-06-01T10:15:00+10:00",
}
OAT_MILK: JsonDict = {
    "id": "7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58",
    "group_id": "2e7b4d9a-6c3f-4a1e-b8d5-1f9c3e7a5b26",
    "name": "Oat milk",
    "price_minor": 70,
    "position": 1,
    "scheduled_prices": [],
    "archived": False,
    "archived_at": None,
    "version": 1,
    "created_at": "2026-06-01T10:21:00+10:00",
    "updated_at": "2026-06-01T10:21:00+10:00",
}
MILK_GROUP: JsonDict = {
    "id": "2e7b4d9a-6c3f-4a1e-b8d5-1f9c3e7a5b26",
    "name": "Milk",
    "min_choices": 0,
    "max_choices": 1,
    "modifiers": [OAT_MILK],
    "archived": False,
    "archived_at": None,
    "version": 2,
    "created_at": "2026-06-01T10:20:00+10:00",
    "updated_at": "2026-06-01T10:21:00+10:00",
}
# 450 now; 520 at the Sydney venue from the new year (scheduled by the owner).
FLAT_WHITE: JsonDict = {
    "id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
    "category_id": "5a2c8e4f-9b1d-4c6a-8e3f-7d1b5a9c2e64",
    "tax_category_id": "9d4f2b7e-3a6c-4e1b-8f5d-6c2a9e4b7d13",
    "name": "Flat white",
    "price_minor": 450,
    "position": 1,
    "modifier_group_ids": ["2e7b4d9a-6c3f-4a1e-b8d5-1f9c3e7a5b26"],
    "location_prices": [],
    "scheduled_prices": [
        {
            "price_minor": 520,
            "effective_from": "2027-01-01T00:00:00+11:00",
            "created_by": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
            "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
        }
    ],
    "archived": False,
    "archived_at": None,
    "version": 3,
    "created_at": "2026-06-01T10:25:00+10:00",
    "updated_at": "2026-12-01T16:40:00+11:00",
}


class MenuCategory(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [COFFEE_CATEGORY]})

    id: UUID
    name: str
    position: int
    printer_role: PrinterRole | None = Field(description=PRINTER_ROLE_HELP)
    archived: bool
    archived_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class MenuCategoryCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Coffee", "position": 1, "printer_role": "bar"}]},
        extra="forbid",
    )

    id: UUID | None = ClientId
    name: Name
    position: Position = 0
    printer_role: PrinterRole | None = Field(default=None, description=PRINTER_ROLE_HELP)


class MenuCategoryUpdate(_Update):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 2, "name": "Hot drinks"}]}
    )

    # printer_role may be null: the category stops printing.
    nullable: ClassVar[frozenset[str]] = frozenset({"printer_role"})

    name: Name | None = None
    position: Position | None = None
    printer_role: PrinterRole | None = Field(default=None, description=PRINTER_ROLE_HELP)
    archived: bool | None = Archived


class MenuCategoryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [COFFEE_CATEGORY], "next_cursor": None}]}
    )

    items: list[MenuCategory]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")


# -- items -------------------------------------------------------------------------------------


class LocationPrice(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "item_id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "price_minor": 500,
                }
            ]
        }
    )

    item_id: UUID
    location_id: UUID
    price_minor: int = Field(description="The venue's own price, in force now")


class LocationPriceSet(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"price_minor": 500}]}, extra="forbid"
    )

    price_minor: Price


class ScheduledPrice(BaseModel):
    """A price change still to come. Prices are never edited: a change is a new price from a
    moment on, and a sale is priced as it was when it happened."""

    price_minor: int
    effective_from: datetime
    created_by: str


class ScheduledItemPrice(ScheduledPrice):
    location_id: UUID | None = Field(description="The venue it is for (null: the item's price)")


class PriceSchedule(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"price_minor": 500, "effective_from": "2027-01-01T00:00:00+11:00"}]
        },
        extra="forbid",
    )

    price_minor: Price
    effective_from: AwareDatetime = EffectiveFrom


class ItemPriceSchedule(PriceSchedule):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "price_minor": 520,
                    "effective_from": "2027-01-01T00:00:00+11:00",
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                }
            ]
        }
    )

    location_id: UUID | None = Field(
        default=None, description="A venue's own price from then on (null: the item's price)"
    )


class MenuItem(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [FLAT_WHITE]})

    id: UUID
    category_id: UUID
    tax_category_id: UUID
    name: str
    price_minor: int = Field(
        description="In force now, in the business's pricing basis (tax settings)"
    )
    position: int
    modifier_group_ids: list[UUID] = Field(description="In the order the till offers them")
    location_prices: list[LocationPrice] = Field(
        description="Venues with their own price in force now"
    )
    scheduled_prices: list[ScheduledItemPrice] = Field(
        description="Changes still to come, the item's and its venues', soonest first"
    )
    archived: bool
    archived_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


def _distinct(ids: list[UUID] | None) -> list[UUID] | None:
    if ids is not None and len(set(ids)) != len(ids):
        raise ValueError("a modifier group is listed twice")
    return ids


class MenuItemCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "category_id": "5a2c8e4f-9b1d-4c6a-8e3f-7d1b5a9c2e64",
                    "tax_category_id": "9d4f2b7e-3a6c-4e1b-8f5d-6c2a9e4b7d13",
                    "name": "Flat white",
                    "price_minor": 450,
                    "position": 1,
                    "modifier_group_ids": ["2e7b4d9a-6c3f-4a1e-b8d5-1f9c3e7a5b26"],
                }
            ]
        },
        extra="forbid",
    )

    id: UUID | None = ClientId
    category_id: UUID
    tax_category_id: UUID
    name: Name
    price_minor: Price
    position: Position = 0
    modifier_group_ids: list[UUID] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _distinct_groups(self) -> Self:
        _distinct(self.modifier_group_ids)
        return self


class MenuItemUpdate(_Update):
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 2, "price_minor": 480}]})

    category_id: UUID | None = None
    tax_category_id: UUID | None = None
    name: Name | None = None
    price_minor: Price | None = None
    position: Position | None = None
    modifier_group_ids: list[UUID] | None = Field(
        default=None, max_length=20, description="Replaces the item's modifier groups"
    )
    archived: bool | None = Archived

    @model_validator(mode="after")
    def _distinct_groups(self) -> Self:
        _distinct(self.modifier_group_ids)
        return self


class MenuItemPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [FLAT_WHITE], "next_cursor": None}]}
    )

    items: list[MenuItem]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")


# -- modifier groups and modifiers -------------------------------------------------------------


class Modifier(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [OAT_MILK]})

    id: UUID
    group_id: UUID
    name: str
    price_minor: int = Field(
        description="In force now; added to the item's price and taxed with the item"
    )
    position: int
    scheduled_prices: list[ScheduledPrice] = Field(description="Changes still to come")
    archived: bool
    archived_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class ModifierCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Oat milk", "price_minor": 70, "position": 1}]},
        extra="forbid",
    )

    id: UUID | None = ClientId
    name: Name
    price_minor: Price = 0
    position: Position = 0


class ModifierUpdate(_Update):
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 2, "price_minor": 80}]})

    name: Name | None = None
    price_minor: Price | None = None
    position: Position | None = None
    archived: bool | None = Archived


class ModifierGroup(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [MILK_GROUP]})

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    modifiers: list[Modifier] = Field(description="By position")
    archived: bool
    archived_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class ModifierGroupCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Milk", "min_choices": 0, "max_choices": 1}]},
        extra="forbid",
    )

    id: UUID | None = ClientId
    name: Name
    min_choices: MinChoices = 0
    max_choices: MaxChoices = Field(
        default=1,
        ge=1,
        le=50,
        description="At least `min_choices`: a rule between two fields, which the document "
        "cannot state, so it is answered as updates answer it (422 `modifier-choices-invalid`)",
    )


class ModifierGroupUpdate(_Update):
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 2, "max_choices": 2}]})

    name: Name | None = None
    min_choices: MinChoices | None = None
    max_choices: MaxChoices | None = None
    archived: bool | None = Archived


class ModifierGroupPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [MILK_GROUP], "next_cursor": None}]}
    )

    items: list[ModifierGroup]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")


# -- the till's menu ---------------------------------------------------------------------------


class TillModifier(BaseModel):
    id: UUID
    name: str
    price_minor: int


class TillModifierGroup(BaseModel):
    id: UUID
    name: str
    min_choices: int
    max_choices: int
    modifiers: list[TillModifier]


class TillItem(BaseModel):
    id: UUID
    name: str
    price_minor: int = Field(description="The price at the caller's venue")
    tax_category_id: UUID
    tax_rate_percent: RateString = Field(
        description="Its tax category's rate in force now, a percent: the till prices offline "
        "with it (the server reprices every sale with the rate in force when it happened)"
    )
    modifier_groups: list[TillModifierGroup]


class TillCategory(BaseModel):
    id: UUID
    name: str
    items: list[TillItem]


class TillMenu(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "currency": "AUD",
                    "prices_include_tax": True,
                    "cash_rounding_minor": 5,
                    "catalog_version": 42,
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "categories": [
                        {
                            "id": "5a2c8e4f-9b1d-4c6a-8e3f-7d1b5a9c2e64",
                            "name": "Coffee",
                            "items": [
                                {
                                    "id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
                                    "name": "Flat white",
                                    "price_minor": 450,
                                    "tax_category_id": "9d4f2b7e-3a6c-4e1b-8f5d-6c2a9e4b7d13",
                                    "tax_rate_percent": "10.000",
                                    "modifier_groups": [
                                        {
                                            "id": "2e7b4d9a-6c3f-4a1e-b8d5-1f9c3e7a5b26",
                                            "name": "Milk",
                                            "min_choices": 0,
                                            "max_choices": 1,
                                            "modifiers": [
                                                {
                                                    "id": "7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58",
                                                    "name": "Oat milk",
                                                    "price_minor": 70,
                                                }
                                            ],
                                        }
                                    ],
                                }
                            ],
                        },
                        {
                            "id": "b4e7a1d9-3f6c-4b2e-9d8a-1c5f4b7e3a62",
                            "name": "Food",
                            "items": [
                                {
                                    "id": "8e1f4b7c-6a3d-4e9b-a2c5-4d7f1e8b6c90",
                                    "name": "Banana bread",
                                    "price_minor": 650,
                                    "tax_category_id": "9d4f2b7e-3a6c-4e1b-8f5d-6c2a9e4b7d13",
                                    "tax_rate_percent": "10.000",
                                    "modifier_groups": [],
                                }
                            ],
                        },
                    ],
                }
            ]
        }
    )

    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int = Field(
        description="Cash is paid to a multiple of this (5 for AUD: no 1c or 2c coins)"
    )
    catalog_version: int = Field(
        description="Changes with every edit of the menu (a price scheduled for later takes "
        "effect without one)"
    )
    location_id: UUID | None = Field(description="Whose venue prices apply (the session's)")
    categories: list[TillCategory]
