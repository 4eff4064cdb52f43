from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self
from uuid import UUID

from libs.text import Name
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

# Percent, exact: 10, 5.5, 7.7; never a float. Stored as numeric(6, 3).
RatePercent = Annotated[
    Decimal,
    Field(
        ge=0,
        lt=100,
        decimal_places=3,
        allow_inf_nan=False,
        description="Percent, 0 <= rate < 100, at most 3 decimals; send a string such as "
        '"10" or "5.5" (a JSON number is accepted)',
    ),
]
CashRounding = Literal[1, 5, 10]


class TaxSettings(BaseModel):
    currency: str = Field(description="ISO 4217; fixed when the business was provisioned")
    prices_include_tax: bool = Field(
        description="Menu prices include tax (AU and EU consumer prices do) or tax is added"
    )
    cash_rounding_minor: int = Field(
        description="Cash totals round to this step, as an explicit rounding adjustment "
        "(5 for AUD: no 1c or 2c coins)"
    )
    version: int


class TaxSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prices_include_tax: bool | None = None
    cash_rounding_minor: CashRounding | None = None
    version: int | None = Field(
        default=None, ge=1, description="The version you read (or send If-Match)"
    )

    @model_validator(mode="after")
    def _something(self) -> Self:
        changed = self.model_fields_set - {"version"}
        if not changed:
            raise ValueError("name prices_include_tax or cash_rounding_minor to change")
        if any(getattr(self, name) is None for name in changed):
            raise ValueError("a setting cannot be null")
        return self


class TaxRate(BaseModel):
    rate_percent: Decimal
    effective_from: datetime
    created_by: str
    created_at: datetime
    scheduled: bool = Field(description="Takes effect in the future")


class TaxCategory(BaseModel):
    id: UUID
    code: str
    name: str
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    current_rate_percent: Decimal | None = Field(
        description="The rate in force now (null only if its first rate is still to come)"
    )
    rates: list[TaxRate] = Field(description="Every rate, oldest first, scheduled ones included")


class TaxCategoryList(BaseModel):
    items: list[TaxCategory]


class TaxCategoryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="Stable short code, unique in the business: `gst`, `gst-free`, `standard`",
    )
    name: Name
    rate_percent: RatePercent = Field(description="In force from now on")


class TaxCategoryUpdate(BaseModel):
    """Name and archive only (no version: nothing else about a category changes; its rates
    are insert-only)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    archived: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("name `name` or `archived` to change")
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("a field cannot be null")
        return self


class TaxRateSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rate_percent: RatePercent
    effective_from: AwareDatetime = Field(
        description="ISO 8601 with an offset (`2027-01-01T00:00:00+11:00`); strictly in the "
        "future: a rate applies to sales after it, never retroactively"
    )
