from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from libs.api import json_schema

# Far above any sale, far below where integer minor units could overflow.
MAX_LIMIT_MINOR = 100_000_000_00
_AMOUNT = "Up to this amount (minor units of the business's currency) a cashier acts alone; "
_ZERO = "0 (the default): every one needs a manager's override"


class OverrideLimits(BaseModel):
    """Where a manager's override starts, per business. An action at or below its limit
    needs no approval; above it, the guarded endpoint requires `X-Override-Token`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "void_limit_minor": 2000,
                    "refund_limit_minor": 0,
                    "discount_limit_bps": 1000,
                    "offline_approval_limit_minor": 5000,
                }
            ]
        }
    )

    void_limit_minor: int = Field(description=_AMOUNT + "voiding an order. " + _ZERO)
    refund_limit_minor: int = Field(description=_AMOUNT + "refunding. " + _ZERO)
    discount_limit_bps: int = Field(
        description="Up to this discount (basis points: 1000 = 10%) a cashier discounts alone. "
        + _ZERO
    )
    offline_approval_limit_minor: int = Field(
        description="Up to this amount (minor units) an action that needs a manager's override "
        "online (a void, refund, discount or force-close) may be done while the till is "
        "offline, on the word of a manager the till names; it is then queued for a manager to "
        "confirm or dispute (GET /v1/sync/approvals). Above it, an uploaded action is refused, "
        "and the till should refuse it itself. 0 (the default): never offline."
    )


class OverrideLimitsUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"void_limit_minor": 2000, "discount_limit_bps": 1000}]},
        extra="forbid",
    )

    void_limit_minor: int | None = Field(default=None, ge=0, le=MAX_LIMIT_MINOR)
    refund_limit_minor: int | None = Field(default=None, ge=0, le=MAX_LIMIT_MINOR)
    discount_limit_bps: int | None = Field(default=None, ge=0, le=10_000)
    offline_approval_limit_minor: int | None = Field(default=None, ge=0, le=MAX_LIMIT_MINOR)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("name at least one limit to change")
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("a limit is a number; 0 means every action needs an override")
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        def edit(schema: json_schema.JsonSchema) -> None:
            json_schema.refuse_null(schema, json_schema.nullable_fields(cls, keep=()))
            json_schema.at_least_one_change(schema)

        return json_schema.refine(handler, core_schema, edit)
