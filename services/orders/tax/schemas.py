from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from libs.api import json_schema
from libs.api.concurrency import VersionedChange
from libs.text import Name, RateString, TaxNumber

# What the document says of a rate: a string of at most two whole digits and three decimals
# (under 100), or a whole JSON number under 100. The server also takes a number with
# decimals, but a binary float is not the exact rate a client meant: the document asks for
# the string.
RATE_PERCENT_PATTERN = r"^(0|[1-9][0-9]?)(\.[0-9]{1,3})?$"
# Percent, exact: 10, 5.5, 7.7; never a float. Stored as numeric(6, 3).
RatePercent = Annotated[
    Decimal,
    Field(
        ge=0,
        lt=100,
        decimal_places=3,
        allow_inf_nan=False,
        description="Percent, 0 <= rate < 100, at most 3 decimals; send a string such as "
        '"10" or "5.5"',
    ),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": RATE_PERCENT_PATTERN, "examples": ["10", "5.5"]},
                {"type": "integer", "minimum": 0, "maximum": 99},
            ]
        },
        mode="validation",
    ),
]
CashRounding = Literal[1, 5, 10]
TaxBasis = Literal["accrual", "cash"]
TAX_BASIS = (
    "When GST or VAT falls due, which decides the tax period a sale is reported in "
    "(docs/reports.md, Tax periods): `accrual` (AU accrual basis: the whole sale on the "
    "earlier of the invoice and the first payment; DE Soll-Versteuerung: the supply's period, "
    "a part paid before it where it was paid); `cash` (AU cash basis; DE Ist-Versteuerung): "
    "as each payment is received"
)
TAX_ID = (
    "The business's tax number as its BAS or UStVA prints it: an ABN in Australia "
    '("51 824 753 556"), a USt-IdNr. ("DE136695976") or Steuernummer ("21/815/08150") in '
    "Germany; checked, and written back in its usual form"
)


class TaxSettings(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "currency": "AUD",
                    "prices_include_tax": True,
                    "cash_rounding_minor": 5,
                    "tax_basis": "accrual",
                    "tax_id": "51 824 753 556",
                    "version": 1,
                }
            ]
        }
    )

    currency: str = Field(description="ISO 4217; fixed when the business was provisioned")
    prices_include_tax: bool = Field(
        description="Menu prices include tax (AU and EU consumer prices do) or tax is added"
    )
    cash_rounding_minor: int = Field(
        description="Cash totals round to this step, as an explicit rounding adjustment "
        "(5 for AUD: no 1c or 2c coins)"
    )
    tax_basis: TaxBasis = Field(description=TAX_BASIS)
    tax_id: str | None = Field(description=TAX_ID + "; null until the owner gives it")
    version: int


class TaxSettingsUpdate(VersionedChange):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 1, "cash_rounding_minor": 5}]}, extra="forbid"
    )

    prices_include_tax: bool | None = None
    cash_rounding_minor: CashRounding | None = None
    tax_basis: TaxBasis | None = Field(default=None, description=TAX_BASIS)
    tax_id: TaxNumber | None = Field(default=None, description=TAX_ID + "; null removes it")

    @model_validator(mode="after")
    def _something(self) -> Self:
        changed = self.model_fields_set - {"version"}
        if not changed:
            raise ValueError(
                "name prices_include_tax, cash_rounding_minor, tax_basis or tax_id to change"
            )
        if any(getattr(self, name) is None for name in changed - {"tax_id"}):
            raise ValueError("a setting cannot be null (only tax_id can be removed)")
        return self

    @classmethod
    def document_rules(cls, schema: json_schema.JsonSchema) -> None:
        super().document_rules(schema)
        json_schema.refuse_null(schema, json_schema.nullable_fields(cls, keep=("tax_id",)))
        json_schema.at_least_one_change(schema, besides=["version"])


class TaxRate(BaseModel):
    rate_percent: RateString
    effective_from: datetime
    created_by: str
    created_at: datetime
    scheduled: bool = Field(description="Takes effect in the future")


# GST at 10 % since the business was set up.
GST_CATEGORY: JsonDict = {
    "id": "9d4f2b7e-3a6c-4e1b-8f5d-6c2a9e4b7d13",
    "code": "gst",
    "name": "GST",
    "archived": False,
    "archived_at": None,
    "created_at": "2026-06-01T10:00:00+10:00",
    "current_rate_percent": "10.000",
    "rates": [
        {
            "rate_percent": "10.000",
            "effective_from": "2026-06-01T10:00:00+10:00",
            "created_by": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
            "created_at": "2026-06-01T10:00:00+10:00",
            "scheduled": False,
        }
    ],
}


class TaxCategory(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [GST_CATEGORY]})

    id: UUID
    code: str
    name: str
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    current_rate_percent: RateString | None = Field(
        description="The rate in force now (null only if its first rate is still to come)"
    )
    rates: list[TaxRate] = Field(description="Every rate, oldest first, scheduled ones included")


class TaxCategoryList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [GST_CATEGORY]}]})

    items: list[TaxCategory]


class TaxCategoryCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "gst", "name": "GST", "rate_percent": "10"}]},
        extra="forbid",
    )

    code: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="Stable short code, unique in the business: `gst`, `gst-free`, `standard`",
    )
    name: Name
    rate_percent: RatePercent = Field(description="In force from now on")


class TaxCategoryUpdate(BaseModel):
    """Name and archive only (no version: nothing else about a category changes; its rates
    are insert-only)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "GST (10%)"}]}, extra="forbid"
    )

    name: Name | None = None
    archived: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("name `name` or `archived` to change")
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("a field cannot be null")
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        def edit(schema: json_schema.JsonSchema) -> None:
            json_schema.refuse_null(schema, json_schema.nullable_fields(cls, keep=()))
            json_schema.at_least_one_change(schema)

        return json_schema.refine(handler, core_schema, edit)


class TaxRateSchedule(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"rate_percent": "12.5", "effective_from": "2027-07-01T00:00:00+10:00"}]
        },
        extra="forbid",
    )

    rate_percent: RatePercent
    effective_from: AwareDatetime = Field(
        description="ISO 8601 with an offset (`2027-01-01T00:00:00+11:00`); strictly in the "
        "future: a rate applies to sales after it, never retroactively"
    )
