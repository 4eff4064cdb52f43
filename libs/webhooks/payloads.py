"""What each event's `data` holds, as a model: the writers build one where the event happens
(so a missing or misspelt field fails there, in the writer's tests, and never reaches an
integrator), the outbox serialises it, and the webhooks service declares every event in the
OpenAPI document's `webhooks` from these same models (services/webhooks/declared.py), which
the integrators' generated types follow. tests/webhooks holds the bodies actually delivered
to that document.

Ids, amounts in integer minor units with their ISO 4217 currency, and UTC times: never a
person's name or e-mail address (staff appear by id only), and no free-text notes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, create_model

from libs.sales.period_totals import Totals
from libs.sales.shift_report import TenderAmounts
from libs.webhooks.events import DESCRIPTIONS, EventType


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# Sent as UTC with a `Z`, like every time the API writes ("2026-12-07T03:15:00Z").
UtcTime = Annotated[AwareDatetime, AfterValidator(_utc)]
Currency = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code of every amount's currency")
]
Offline = Annotated[
    bool,
    Field(description="Recorded by a till while offline and uploaded later (the offline sync)"),
]


class EventData(BaseModel):
    """An event's `data`. Each subclass names the event type it is sent as."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[EventType]


# -- the examples: Harbour Café, Sydney, on the morning of 7 December 2026 ---------------------
LOCATION = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"
ORDER = "0b5c2f1e-5d0a-4c8e-9d3e-2a1f6b7c8d9e"
SHIFT = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"


class OrderClosed(EventData):
    """A sale was paid in full and closed; its receipt was issued."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "order_id": ORDER,
                    "location_id": LOCATION,
                    "receipt_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "receipt_number": "R1-000042",
                    "shift_id": SHIFT,
                    "currency": "AUD",
                    "total_minor": 1250,
                    "tax_minor": 114,
                    "rounding_minor": 0,
                    "paid_minor": 1250,
                    "closed_at": "2026-12-07T03:15:00Z",
                    "offline": False,
                }
            ]
        }
    )
    event_type: ClassVar[EventType] = EventType.ORDER_CLOSED

    order_id: UUID
    location_id: UUID = Field(description="The venue")
    receipt_id: UUID = Field(description="`GET /v1/receipts/{receipt_id}` has the lines")
    receipt_number: str = Field(min_length=1, description="As printed, e.g. R1-000042")
    shift_id: UUID = Field(description="The register's shift the sale was taken in")
    currency: Currency
    total_minor: int = Field(ge=0, description="What the customer owed, tax included")
    tax_minor: int = Field(ge=0, description="Tax inside (or added to) the total")
    rounding_minor: int = Field(description="Cash rounding applied (negative: rounded down)")
    paid_minor: int = Field(ge=0, description="Tendered, change given back excluded")
    closed_at: UtcTime
    offline: Offline


class OrderVoided(EventData):
    """An unpaid open order was voided."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "order_id": ORDER,
                    "location_id": LOCATION,
                    "currency": "AUD",
                    "total_minor": 1250,
                    "reason_code": "customer_request",
                    "voided_at": "2026-12-07T03:12:00Z",
                    "offline": False,
                }
            ]
        }
    )
    event_type: ClassVar[EventType] = EventType.ORDER_VOIDED

    order_id: UUID
    location_id: UUID = Field(description="The venue")
    currency: Currency
    total_minor: int = Field(ge=0, description="The order's total when it was voided")
    reason_code: str = Field(min_length=1, description="Why, as the till gave it (`ReasonCode`)")
    voided_at: UtcTime
    offline: Offline


class RefundIssuedTender(BaseModel):
    """Money given back through one tender."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tender: Literal["cash", "card"]
    amount_minor: int = Field(gt=0)


class RefundIssued(EventData):
    """Money was given back on a closed order; a refund receipt was issued."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "refund_id": "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
                    "order_id": ORDER,
                    "location_id": LOCATION,
                    "receipt_id": "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b",
                    "receipt_number": "R1-000043",
                    "original_receipt_number": "R1-000042",
                    "shift_id": SHIFT,
                    "currency": "AUD",
                    "amount_minor": 520,
                    "tax_minor": 47,
                    "rounding_minor": 0,
                    "reason_code": "quality_issue",
                    "tenders": [{"tender": "card", "amount_minor": 520}],
                    "refunded_at": "2026-12-07T03:40:00Z",
                    "offline": False,
                }
            ]
        }
    )
    event_type: ClassVar[EventType] = EventType.REFUND_ISSUED

    refund_id: UUID
    order_id: UUID = Field(description="The closed order refunded")
    location_id: UUID = Field(description="The venue")
    receipt_id: UUID = Field(description="The refund receipt")
    receipt_number: str = Field(min_length=1, description="The refund receipt's, as printed")
    original_receipt_number: str | None = Field(
        description="The sale's receipt (null if the till could not find it)"
    )
    shift_id: UUID = Field(description="The shift the money was given back in")
    currency: Currency
    amount_minor: int = Field(gt=0, description="Given back, tax included")
    tax_minor: int = Field(ge=0, description="Tax inside the amount")
    rounding_minor: int = Field(description="Cash rounding applied (negative: rounded down)")
    reason_code: str = Field(min_length=1, description="Why, as the till gave it (`ReasonCode`)")
    tenders: list[RefundIssuedTender] = Field(
        min_length=1, description="How it was given back; the amounts add up to `amount_minor`"
    )
    refunded_at: UtcTime
    offline: Offline


class ShiftClosed(EventData):
    """A register's shift was closed with its count (its Z report: `GET /v1/shifts/{id}`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "shift_id": SHIFT,
                    "register_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
                    "location_id": LOCATION,
                    "currency": "AUD",
                    "force_close": False,
                    "counted": {"cash": 48550, "card": 61200},
                    "expected": {"cash": 48600, "card": 61200},
                    "difference": {"cash": -50, "card": 0},
                    "closed_at": "2026-12-07T11:05:00Z",
                    "offline": False,
                }
            ]
        }
    )
    event_type: ClassVar[EventType] = EventType.SHIFT_CLOSED

    shift_id: UUID
    register_id: UUID = Field(description="The register (device) the shift was on")
    location_id: UUID = Field(description="The venue")
    currency: Currency
    force_close: bool = Field(description="Closed by a manager without the opener")
    counted: TenderAmounts = Field(description="Counted in the drawer and the card batch")
    expected: TenderAmounts = Field(description="What the shift's sales say should be there")
    difference: TenderAmounts = Field(description="counted - expected (negative: short)")
    closed_at: UtcTime
    offline: Offline


# Recorded by a database trigger (migration 20261207_1400_webhooks), not in Python: this
# model is the trigger's contract, held to what it sends by tests/webhooks.
class MenuChanged(EventData):
    """The menu or tax configuration changed (items, prices, modifiers, tax rates): read the
    menu again. At most one per change, however many rows it touched."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"changed_at": "2026-12-07T02:30:00.123456Z"}]}
    )
    event_type: ClassVar[EventType] = EventType.MENU_CHANGED

    changed_at: UtcTime


class PeriodClosed(EventData):
    """A venue's day, month or year was closed in the books, or closed again because sales
    arrived after it (`late-arrival`, a new `version`): `GET /v1/reports/closures`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "closure_id": "2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d",
                    "location_id": LOCATION,
                    "kind": "day",
                    "period": "2026-12-06",
                    "first_day": "2026-12-06",
                    "last_day": "2026-12-06",
                    "version": 1,
                    "reason": "close",
                    "currency": "AUD",
                    "totals": {
                        "orders": 1,
                        "covers": 1,
                        "gross_sales_minor": 1250,
                        "discounts_minor": 0,
                        "service_charges_minor": 0,
                        "net_sales_minor": 1250,
                        "sales_excluding_tax_minor": 1136,
                        "tax_minor": 114,
                        "sales_including_tax_minor": 1250,
                        "tax": [
                            {
                                "rate": "10.000",
                                "net_minor": 1136,
                                "tax_minor": 114,
                                "gross_minor": 1250,
                            }
                        ],
                        "tips_minor": 0,
                        "rounding_minor": 0,
                        "average_ticket_minor": 1250,
                        "refunds": {"count": 0, "amount_minor": 0, "tax_minor": 0, "tax": []},
                        "voids": {
                            "orders": {"count": 0, "amount_minor": 0},
                            "lines": {"count": 0, "amount_minor": 0},
                        },
                        "payments": [
                            {
                                "tender": "cash",
                                "count": 1,
                                "paid_minor": 1250,
                                "refunded_minor": 0,
                                "net_minor": 1250,
                            }
                        ],
                    },
                    "totals_sha256": (
                        "720ca3ae17e8f2ed8717b2d0909a527594c27dbfb186f02477f3b3539cfb0eda"
                    ),
                    "closed_at": "2026-12-07T03:15:00Z",
                }
            ]
        }
    )
    event_type: ClassVar[EventType] = EventType.PERIOD_CLOSED

    closure_id: UUID
    location_id: UUID = Field(description="The venue")
    kind: Literal["day", "month", "year"]
    period: str = Field(min_length=1, description="2026-12-06, 2026-12 or 2026")
    first_day: date
    last_day: date
    version: int = Field(ge=1, description="1, then one more for each re-issue")
    reason: Literal["close", "late-arrival"]
    currency: Currency
    totals: Totals = Field(description="The period's figures, as the closure has them")
    totals_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="Hex SHA-256 of the totals, as the closure has it"
    )
    closed_at: UtcTime


class EndpointDisabled(EventData):
    """Another endpoint of the business was disabled after failing to accept deliveries; its
    deliveries wait until an owner enables it again."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "endpoint_id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f",
                    "url": "https://books.example.com/halopos",
                    "reason": "every attempt failed for 120 hours",
                    "disabled_at": "2026-12-07T03:15:00Z",
                }
            ]
        }
    )
    event_type: ClassVar[EventType] = EventType.ENDPOINT_DISABLED

    endpoint_id: UUID
    url: str = Field(min_length=1, description="The disabled endpoint's URL")
    reason: str = Field(min_length=1, description="Why, in words")
    disabled_at: UtcTime


# Every event type's data, in the order of `EventType`.
DATA: dict[EventType, type[EventData]] = {
    model.event_type: model
    for model in (
        OrderClosed,
        OrderVoided,
        RefundIssued,
        ShiftClosed,
        MenuChanged,
        PeriodClosed,
        EndpointDisabled,
    )
}
if list(DATA) != list(EventType):
    raise RuntimeError("every event type needs exactly one data model, in EventType's order")


def _envelope(event_type: EventType, data: type[EventData]) -> type[BaseModel]:
    """The body of every delivery of `event_type` (services/webhooks/worker.py writes it,
    compact, keys sorted). Its example is the data's, at the data's own time."""
    example: dict[str, Any] = data.model_json_schema()["examples"][0]
    timestamp = next(value for key, value in example.items() if key.endswith("_at"))
    kind: Any = Literal[event_type.value]  # one value: `const` in the schema
    return create_model(
        f"{data.__name__}Event",
        __doc__=f"A delivery of `{event_type}`. {DESCRIPTIONS[event_type]}",
        __config__=ConfigDict(
            extra="forbid",
            frozen=True,
            json_schema_extra={
                "examples": [{"type": event_type.value, "timestamp": timestamp, "data": example}]
            },
        ),
        type=(kind, Field(description="The event type")),
        timestamp=(
            UtcTime,
            Field(
                description="When the event happened (UTC); for a sale a till recorded "
                "offline, when the till recorded it"
            ),
        ),
        data=(data, Field(description=data.__doc__)),
    )


# The body of each event type's deliveries, as the OpenAPI document's `webhooks` declares it.
ENVELOPES: dict[EventType, type[BaseModel]] = {
    event_type: _envelope(event_type, data) for event_type, data in DATA.items()
}
