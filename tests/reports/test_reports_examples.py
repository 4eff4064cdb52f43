"""The reports service end to end, worked by hand: a till's offline log uploaded through the
orders service (`/v1/sync/batches`, each operation at a chosen instant in the past), then read
back as an accountant through the reports API.

The café (tests/support/tills.py): Flat white 4.50 (GST 10 % / VAT 19 %), oat milk +0.50, Bread roll
3.00 (GST-free / VAT 7 %), prices tax-inclusive. In Sydney (cutoff 3 am) the business day of
Sat 3 October 2026 is 23 hours (the clocks go forward at 2 am on Sunday) and that of Sat 4
April 2026 is 25 (they go back at 3 am). Times below are written local, then in UTC: AEST is
UTC+10, AEDT UTC+11, CET UTC+1, CEST UTC+2.

GST inside an inclusive price is 1/11 of it, VAT 19/119 or 7/107, rounded half up once per
order and rate (docs/money.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service
from tests.support.offline import (
    Log,
    TillLog,
    allow_offline_approvals,
    offline_till,
)
from tests.support.report_files import read_report_csv, trace
from tests.support.tills import register_device
from tests.support.tokens import TokenFactory


def utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


async def new_till(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    *,
    region: str = "au",
    time_zone: str | None = None,
) -> TillLog:
    tenant = await provision(region)
    till = await offline_till(connect_as, token, orders_client, tenant, region=region)
    # The voids, discounts and refunds below were approved by the manager at the till.
    await allow_offline_approvals(orders_client, token, till)
    # The roster from before these months-old operations.
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET created_at = '2025-01-01T00:00:00Z'",
    )
    if time_zone is not None:
        await as_service(
            connect_as,
            "identity",
            tenant,
            "UPDATE identity.locations SET time_zone = $2 WHERE id = $1",
            till.location_id,
            time_zone,
        )
    return TillLog(till, Log(till))


# --- reading reports ------------------------------------------------------------------------


async def read(
    client: httpx.AsyncClient, auth: DPoPAuth, report: str, **params: str
) -> dict[str, Any]:
    response = await client.get(f"/v1/reports/{report}", params=params, auth=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    answer: dict[str, Any] = response.json()
    return answer


def rate(value: str, net: int, tax: int, gross: int) -> dict[str, Any]:
    assert net + tax == gross, "a hand-worked group must add up"
    return {"rate": value, "net_minor": net, "tax_minor": tax, "gross_minor": gross}


def tenders(cash: tuple[int, int, int], card: tuple[int, int, int]) -> list[dict[str, Any]]:
    """(payments, paid, refunded) per tender."""
    return [
        {
            "tender": name,
            "count": count,
            "paid_minor": paid,
            "refunded_minor": refunded,
            "net_minor": paid - refunded,
        }
        for name, (count, paid, refunded) in (("cash", cash), ("card", card))
    ]


NO_REFUNDS = {"count": 0, "amount_minor": 0, "tax_minor": 0, "tax": []}
NO_VOIDS = {"orders": {"count": 0, "amount_minor": 0}, "lines": {"count": 0, "amount_minor": 0}}


def empty_day(day: str, hours: float) -> dict[str, Any]:
    return {
        "day": day,
        "hours": hours,
        "orders": 0,
        "covers": 0,
        "gross_sales_minor": 0,
        "discounts_minor": 0,
        "service_charges_minor": 0,
        "net_sales_minor": 0,
        "sales_excluding_tax_minor": 0,
        "tax_minor": 0,
        "sales_including_tax_minor": 0,
        "tax": [],
        "tips_minor": 0,
        "rounding_minor": 0,
        "average_ticket_minor": 0,
        "refunds": NO_REFUNDS,
        "voids": NO_VOIDS,
        "payments": tenders((0, 0, 0), (0, 0, 0)),
    }


# --- the 23-hour Saturday in Sydney -----------------------------------------------------------


@dataclass
class October:
    cafe: TillLog
    accountant: DPoPAuth
    saturday_before_tuesday: dict[str, Any]


async def sydney_october(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> October:
    """Sat 3 to Tue 6 October 2026 at a Sydney café (cutoff 3 am)."""
    cafe = await new_till(provision, connect_as, token, orders_client)
    accountant = token(cafe.till.tenant, Role.ACCOUNTANT)
    location = str(cafe.till.location_id)

    cafe.open_shift(utc(2026, 10, 3, 8))  # Sat 18:00 AEST
    # A: the usual, 12.50, two covers, by card, sold Sat 19:00 AEST.
    #   GST 950 / 11 = 86.36 -> 86, net 864; GST-free 300.
    a = cafe.sale(utc(2026, 10, 3, 9), cafe.usual(), covers=2, card=1_250, total=1_250)
    # C: a bread roll alone, 3.00 cash (5.00 tendered), Sat 21:00 AEST. GST-free.
    c = cafe.sale(utc(2026, 10, 3, 11), [cafe.bread()], cash=500, total=300)
    # D: a flat white rung up at Sat 22:00 AEST and voided five minutes later.
    d = cafe.ring_up(utc(2026, 10, 3, 12), [cafe.coffee()])
    cafe.void(utc(2026, 10, 3, 12, 5), d)
    # A's first flat white (4.50) refunded to the card at Sun 00:30 AEST, Saturday night.
    #   A's GST group is 9.50 with 0.86 GST: the refund's GST is 86 x 450 / 950 = 40.74
    #   -> 41, net 409.
    cafe.refund(utc(2026, 10, 3, 14, 30), a, line_number=1, amount=450)
    # B: the usual with 15 % off, sold Sun 01:30 AEST (15:30 UTC): still Saturday night.
    #   Discount 15 % of 1250 = 187.5 -> 188, shared 450 : 500 : 300 -> 67.68, 75.2, 45.12 ->
    #   67, 75, 45 and the cent left to the largest remainder: 68, 75, 45. Nets 382, 425, 255.
    #   GST (382 + 425) / 11 = 807 / 11 = 73.36 -> 73, net 734; GST-free 255. Total 10.62:
    #   cash rounds 10.62 down to 10.60 (-2c).
    cafe.sale(
        utc(2026, 10, 3, 15, 30),
        cafe.usual(),
        discount={"kind": "percent", "value": 1_500},
        cash=2_000,
        total=1_060,
    )
    # E: a flat white with oat milk, 5.00, a 10 % surcharge (0.50) and a 1.00 tip, 6.50 by
    #   card, Sun 03:30 AEDT (16:30 UTC): Sunday. GST (500 + 50) / 11 = 50, net 500; the tip
    #   is neither a sale nor taxed.
    cafe.sale(
        utc(2026, 10, 3, 16, 30),
        [cafe.coffee(oat=True)],
        service_charge_bps=1_000,
        tip_minor=100,
        card=650,
        total=650,
    )
    # Counted at Sun 04:00 AEDT: cash 200.00 + 3.00 + 10.60; card 12.50 + 6.50 - 4.50.
    cafe.close_shift(utc(2026, 10, 3, 17), cash=21_360, card=1_450)
    await cafe.upload(orders_client)
    before = await read(
        reports_client, accountant, "daily-summary", location_id=location, period="2026-10-03"
    )

    # Tuesday: C's bread roll refunded in cash at Tue 10:30 AEDT (Mon 23:30 UTC).
    cafe.open_shift(utc(2026, 10, 5, 23))  # Tue 10:00 AEDT
    cafe.refund(utc(2026, 10, 5, 23, 30), c, line_number=1, amount=300)
    cafe.close_shift(utc(2026, 10, 6, 0), cash=19_700, card=0)  # 200.00 - 3.00
    await cafe.upload(orders_client)
    return October(cafe, accountant, before)


@pytest.fixture
async def october(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> October:
    return await sydney_october(provision, connect_as, token, orders_client, reports_client)


OCTOBER_SATURDAY = {
    "day": "2026-10-03",
    "hours": 23.0,  # Fri 17:00 UTC -> Sat 16:00 UTC
    "orders": 3,  # A (Sat 19:00), C (Sat 21:00), B (Sun 01:30)
    "covers": 2,
    "gross_sales_minor": 2_800,  # 1250 + 300 + 1250
    "discounts_minor": 188,
    "service_charges_minor": 0,
    "net_sales_minor": 2_612,  # 2800 - 188
    "sales_excluding_tax_minor": 2_453,  # 1598 + 855
    "tax_minor": 159,  # 86 + 73
    "sales_including_tax_minor": 2_612,  # 1757 + 855
    "tax": [
        rate("10.000", 1_598, 159, 1_757),  # A 864/86/950 + B 734/73/807
        rate("0.000", 855, 0, 855),  # A 300 + C 300 + B 255
    ],
    "tips_minor": 0,
    "rounding_minor": -2,  # B, in cash
    "average_ticket_minor": 871,  # 2612 / 3 = 870.67 -> 871
    "refunds": {
        "count": 1,
        "amount_minor": 450,
        "tax_minor": 41,
        "tax": [rate("10.000", 409, 41, 450)],
    },
    "voids": {
        "orders": {"count": 1, "amount_minor": 450},
        "lines": {"count": 0, "amount_minor": 0},
    },
    # Cash: C 3.00 + B 10.60. Card: A 12.50, 4.50 of it given back.
    "payments": tenders(cash=(2, 1_360, 0), card=(1, 1_250, 450)),
}

OCTOBER_SUNDAY = {
    **empty_day("2026-10-04", 24.0),  # Sat 16:00 UTC -> Sun 16:00 UTC
    "orders": 1,  # E
    "gross_sales_minor": 500,
    "service_charges_minor": 50,
    "net_sales_minor": 550,  # 500 + 50
    "sales_excluding_tax_minor": 500,
    "tax_minor": 50,
    "sales_including_tax_minor": 550,
    "tax": [rate("10.000", 500, 50, 550)],
    "tips_minor": 100,
    "average_ticket_minor": 550,  # the tip is not in it
    "payments": tenders(cash=(0, 0, 0), card=(1, 650, 0)),  # the tip is paid by card
}

OCTOBER_TUESDAY = {
    **empty_day("2026-10-06", 24.0),
    "refunds": {
        "count": 1,
        "amount_minor": 300,
        "tax_minor": 0,
        "tax": [rate("0.000", 300, 0, 300)],
    },
    "payments": tenders(cash=(0, 0, 300), card=(0, 0, 0)),
}


async def test_the_23_hour_saturday_day_by_day(
    october: October, reports_client: httpx.AsyncClient
) -> None:
    location = str(october.cafe.till.location_id)
    saturday = await read(
        reports_client,
        october.accountant,
        "daily-summary",
        location_id=location,
        period="2026-10-03",
    )
    assert saturday["period"] == {
        "kind": "day",
        "label": "2026-10-03",
        "first_day": "2026-10-03",
        "last_day": "2026-10-03",
    }
    assert saturday["location"] == {
        "id": location,
        "name": "Front bar",
        "time_zone": "Australia/Sydney",
        "business_day_cutoff_hour": 3,
    }
    assert (saturday["currency"], saturday["prices_include_tax"]) == ("AUD", True)
    [day] = saturday["days"]
    for field, expected in OCTOBER_SATURDAY.items():
        assert day[field] == expected, field
    assert day == OCTOBER_SATURDAY
    # One day: its totals are the day's.
    assert saturday["totals"] == {
        k: v for k, v in OCTOBER_SATURDAY.items() if k not in ("day", "hours")
    }

    # Tuesday's refund of a Saturday sale is Tuesday's: Saturday's figures did not move.
    before = october.saturday_before_tuesday
    assert (before["days"], before["totals"]) == (saturday["days"], saturday["totals"])
    assert before["audit"]["through_seq"] < saturday["audit"]["through_seq"]

    sunday = await read(
        reports_client,
        october.accountant,
        "daily-summary",
        location_id=location,
        period="2026-10-04",
    )
    assert sunday["days"] == [OCTOBER_SUNDAY]

    # Saturday to Tuesday: four days, Monday empty, and the sums of the days.
    week = await read(
        reports_client,
        october.accountant,
        "daily-summary",
        location_id=location,
        **{"from": "2026-10-03", "to": "2026-10-06"},
    )
    assert week["period"] == {
        "kind": "range",
        "label": "2026-10-03..2026-10-06",
        "first_day": "2026-10-03",
        "last_day": "2026-10-06",
    }
    assert week["days"] == [
        OCTOBER_SATURDAY,
        OCTOBER_SUNDAY,
        empty_day("2026-10-05", 24.0),
        OCTOBER_TUESDAY,
    ]
    assert week["totals"] == {
        "orders": 4,
        "covers": 2,
        "gross_sales_minor": 3_300,  # 2800 + 500
        "discounts_minor": 188,
        "service_charges_minor": 50,
        "net_sales_minor": 3_162,  # 3300 - 188 + 50
        "sales_excluding_tax_minor": 2_953,  # 2453 + 500
        "tax_minor": 209,  # 159 + 50
        "sales_including_tax_minor": 3_162,  # 2612 + 550
        # 1598 + 500 | 159 + 50 | 1757 + 550
        "tax": [rate("10.000", 2_098, 209, 2_307), rate("0.000", 855, 0, 855)],
        "tips_minor": 100,
        "rounding_minor": -2,
        "average_ticket_minor": 791,  # 3162 / 4 = 790.5 -> 791, half up
        "refunds": {
            "count": 2,
            "amount_minor": 750,
            "tax_minor": 41,
            "tax": [rate("10.000", 409, 41, 450), rate("0.000", 300, 0, 300)],
        },
        "voids": {
            "orders": {"count": 1, "amount_minor": 450},
            "lines": {"count": 0, "amount_minor": 0},
        },
        "payments": tenders(cash=(2, 1_360, 300), card=(2, 1_900, 450)),
    }


async def test_item_mix_of_the_week_with_its_refunds_and_service_charge(
    october: October, reports_client: httpx.AsyncClient
) -> None:
    menu = october.cafe.till.menu
    week = await read(
        reports_client,
        october.accountant,
        "item-mix",
        location_id=str(october.cafe.till.location_id),
        period="2026-Q4",
    )
    coffee, bread = week["items"]
    # Flat whites: A's two (4.50, 5.00), B's two (less 68 and 75) and E's with oat milk and
    # its 0.50 surcharge: 5 units, 2400 gross, 143 off, 50 surcharge, 2307 net; A's first
    # refunded (4.50) on Saturday night.
    assert coffee == {
        "item_id": str(menu.coffee_id),
        "name": "Flat white",
        "category": "Cafe",
        "quantity": 5,
        "gross_sales_minor": 2_400,
        "discounts_minor": 143,
        "service_charges_minor": 50,
        "net_sales_minor": 2_307,
        "refunded_quantity": 1,
        "refunds_minor": 450,
    }
    # Bread rolls: A's, C's and B's (less 45): 855 net; C's refunded on Tuesday (3.00).
    assert bread == {
        "item_id": str(menu.bread_id),
        "name": "Bread roll",
        "category": "Cafe",
        "quantity": 3,
        "gross_sales_minor": 900,
        "discounts_minor": 45,
        "service_charges_minor": 0,
        "net_sales_minor": 855,
        "refunded_quantity": 1,
        "refunds_minor": 300,
    }
    assert week["refunds_not_attributed_minor"] == 0
    # The item mix's net sales are the daily summary's for the same days: 3300 - 188 + 50.
    summary = await read(
        reports_client,
        october.accountant,
        "daily-summary",
        location_id=str(october.cafe.till.location_id),
        period="2026-10",
    )
    assert week["totals"]["net_sales_minor"] == summary["totals"]["net_sales_minor"] == 3_162
    assert week["totals"]["refunds_minor"] == summary["totals"]["refunds"]["amount_minor"] == 750
    # Tuesday's refund is Tuesday's, under the bread roll, with nothing sold.
    tuesday = await read(
        reports_client,
        october.accountant,
        "item-mix",
        location_id=str(october.cafe.till.location_id),
        period="2026-10-06",
    )
    assert [
        (item["name"], item["quantity"], item["refunded_quantity"], item["refunds_minor"])
        for item in tuesday["items"]
    ] == [("Bread roll", 0, 1, 300)]


async def test_bas_for_the_quarter_and_the_month(
    october: October, reports_client: httpx.AsyncClient
) -> None:
    quarter = await read(reports_client, october.accountant, "bas", period="2026-Q4")
    assert quarter["period"] == {
        "kind": "quarter",
        "label": "2026-Q4",
        "first_day": "2026-10-01",
        "last_day": "2026-12-31",
    }
    assert [loc["id"] for loc in quarter["locations"]] == [str(october.cafe.till.location_id)]
    assert {
        label["label"]: (label["amount_minor"], label["whole_dollars"])
        for label in quarter["labels"]
    } == {
        # Every sale, GST included (E's surcharge too, not its tip): taxable A 950 + B 807 +
        # E 550 = 2307, GST-free A 300 + C 300 + B 255 = 855. The refunds (4.50 on Saturday
        # night, 3.00 on Tuesday) are not taken off.
        "G1": (3_162, 31),
        "G2": (0, 0),
        "G3": (855, 8),
        "G4": (0, 0),
        "G5": (855, 8),
        "G6": (2_307, 23),  # 3162 - 855
        "G7": (0, 0),
        "G8": (2_307, 23),
        "G9": (210, 2),  # 2307 / 11 = 209.73 -> 210
        "1A": (209, 2),  # per order: 86 + 73 + 50; a cent under G9
    }
    assert (quarter["worksheet_gst_minor"], quarter["invoice_gst_minor"]) == (210, 209)
    assert quarter["decreasing_adjustments"] == {
        "description": "Refunds of taxable sales (decreasing adjustments, G18)",
        "amount_minor": 450,
        "amount_whole_dollars": 4,  # as the labels: the cents dropped
        "gst_minor": 41,
        "gst_whole_dollars": 0,
    }
    assert quarter["gst_free_refunds_minor"] == 300
    assert quarter["tax_basis"] == "accrual"  # the business's, until the owner says cash
    assert quarter["business"]["tax_id_label"] == "ABN"
    assert quarter["currency"] == "AUD"

    # Everything happened in October: the month's BAS is the quarter's.
    month = await read(reports_client, october.accountant, "bas", period="2026-10")
    assert month["period"]["label"] == "2026-10"
    assert (month["labels"], month["decreasing_adjustments"]) == (
        quarter["labels"],
        quarter["decreasing_adjustments"],
    )
    # September has nothing: zeros throughout.
    september = await read(reports_client, october.accountant, "bas", period="2026-09")
    assert {label["amount_minor"] for label in september["labels"]} == {0}
    assert september["decreasing_adjustments"]["amount_minor"] == 0


# --- the 25-hour Saturday in Sydney -------------------------------------------------------------


@dataclass
class April:
    cafe: TillLog
    accountant: DPoPAuth
    shift_id: uuid.UUID


@pytest.fixture
async def april(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> April:
    """Sat 4 and Sun 5 April 2026 at a Sydney café (cutoff 3 am)."""
    cafe = await new_till(provision, connect_as, token, orders_client)
    shift_id = cafe.open_shift(utc(2026, 4, 3, 23))  # Sat 10:00 AEDT
    # P: the usual, 12.50 in cash, sold Sat 12:00 AEDT. GST 86 on 9.50; GST-free 3.00.
    cafe.sale(utc(2026, 4, 4, 1), cafe.usual(), cash=1_250, total=1_250)
    # Q: two flat whites on one line (9.00), 10 % off (0.90), 8.10 by card, sold at 02:30 on
    #   Sunday morning the first time round (AEDT, 15:30 UTC). GST 810 / 11 = 73.64 -> 74,
    #   net 736.
    cafe.sale(
        utc(2026, 4, 4, 15, 30),
        [cafe.coffee(2)],
        discount={"kind": "percent", "value": 1_000},
        card=810,
        total=810,
    )
    # R: a bread roll, 3.00 by card, at 02:30 the second time round (AEST, 16:30 UTC).
    cafe.sale(utc(2026, 4, 4, 16, 30), [cafe.bread()], card=300, total=300)
    # Closed at Sun 02:45 AEST (16:45 UTC), still Saturday. Expected: cash 200.00 + 12.50 =
    # 212.50, card 8.10 + 3.00 = 11.10. The drawer holds 211.00: 1.50 short.
    cafe.close_shift(utc(2026, 4, 4, 16, 45), cash=21_100, card=1_110)
    # A new shift at 03:20 AEST, and S: a flat white, 4.50 in cash at 03:30 AEST (17:30 UTC),
    # Sunday's. GST 450 / 11 = 40.91 -> 41, net 409. The shift stays open.
    cafe.open_shift(utc(2026, 4, 4, 17, 20))
    cafe.sale(utc(2026, 4, 4, 17, 30), [cafe.coffee()], cash=500, total=450)
    await cafe.upload(orders_client)
    return April(cafe, token(cafe.till.tenant, Role.ACCOUNTANT), shift_id)


async def test_the_25_hour_saturday_with_sales_in_the_repeated_hour(
    april: April, reports_client: httpx.AsyncClient
) -> None:
    answer = await read(
        reports_client,
        april.accountant,
        "daily-summary",
        location_id=str(april.cafe.till.location_id),
        period="2026-04",
    )
    days = {day["day"]: day for day in answer["days"]}
    assert len(days) == 30
    saturday = {
        "day": "2026-04-04",
        "hours": 25.0,  # Fri 16:00 UTC -> Sat 17:00 UTC
        "orders": 3,  # P, and Q and R in the hour that happened twice
        "covers": 0,
        "gross_sales_minor": 2_450,  # 1250 + 900 + 300
        "discounts_minor": 90,
        "service_charges_minor": 0,
        "net_sales_minor": 2_360,
        "sales_excluding_tax_minor": 2_200,  # 1600 + 600
        "tax_minor": 160,  # 86 + 74
        "sales_including_tax_minor": 2_360,
        "tax": [rate("10.000", 1_600, 160, 1_760), rate("0.000", 600, 0, 600)],
        "tips_minor": 0,
        "rounding_minor": 0,
        "average_ticket_minor": 787,  # 2360 / 3 = 786.67 -> 787
        "refunds": NO_REFUNDS,
        "voids": NO_VOIDS,
        "payments": tenders(cash=(1, 1_250, 0), card=(2, 1_110, 0)),
    }
    assert days["2026-04-04"] == saturday
    assert days["2026-04-05"] == {
        **empty_day("2026-04-05", 24.0),
        "orders": 1,
        "gross_sales_minor": 450,
        "net_sales_minor": 450,
        "sales_excluding_tax_minor": 409,
        "tax_minor": 41,
        "sales_including_tax_minor": 450,
        "tax": [rate("10.000", 409, 41, 450)],
        "average_ticket_minor": 450,
        "payments": tenders(cash=(1, 450, 0), card=(0, 0, 0)),
    }
    assert days["2026-04-03"] == empty_day("2026-04-03", 24.0)
    # Thirty days of 24 hours, but one of 25: 721 hours in April's business days.
    assert sum(day["hours"] for day in answer["days"]) == 721.0
    assert answer["totals"]["orders"] == 4
    assert answer["totals"]["sales_including_tax_minor"] == 2_810  # 2360 + 450


async def test_item_mix_of_the_25_hour_saturday(
    april: April, reports_client: httpx.AsyncClient
) -> None:
    menu = april.cafe.menu
    answer = await read(
        reports_client,
        april.accountant,
        "item-mix",
        location_id=str(april.cafe.till.location_id),
        period="2026-04-04",
    )
    no_refunds = {"refunded_quantity": 0, "refunds_minor": 0}
    assert answer["items"] == [
        # P's two (4.50, and 5.00 with oat milk) and Q's line of two (9.00 less 0.90).
        {
            "item_id": str(menu.coffee_id),
            "name": "Flat white",
            "category": "Cafe",
            "quantity": 4,
            "gross_sales_minor": 1_850,
            "discounts_minor": 90,
            "service_charges_minor": 0,
            "net_sales_minor": 1_760,
            **no_refunds,
        },
        # P's and R's.
        {
            "item_id": str(menu.bread_id),
            "name": "Bread roll",
            "category": "Cafe",
            "quantity": 2,
            "gross_sales_minor": 600,
            "discounts_minor": 0,
            "service_charges_minor": 0,
            "net_sales_minor": 600,
            **no_refunds,
        },
    ]
    assert answer["categories"] == [
        {
            "category": "Cafe",
            "quantity": 6,
            "gross_sales_minor": 2_450,
            "discounts_minor": 90,
            "service_charges_minor": 0,
            "net_sales_minor": 2_360,
            **no_refunds,
        },
    ]
    assert answer["modifiers"] == [
        {
            "modifier_id": str(menu.oat_milk_id),
            "name": "Oat milk",
            "quantity": 1,
            "gross_minor": 50,
        },
    ]
    assert answer["totals"] == {
        "category": None,
        "quantity": 6,
        "gross_sales_minor": 2_450,
        "discounts_minor": 90,
        "service_charges_minor": 0,
        "net_sales_minor": 2_360,
        **no_refunds,
    }
    assert answer["refunds_not_attributed_minor"] == 0
    # Sunday's flat white is Sunday's.
    sunday = await read(
        reports_client,
        april.accountant,
        "item-mix",
        location_id=str(april.cafe.till.location_id),
        period="2026-04-05",
    )
    assert [(item["name"], item["quantity"]) for item in sunday["items"]] == [("Flat white", 1)]


async def test_reconciliation_of_the_25_hour_saturday_is_150_short(
    april: April, reports_client: httpx.AsyncClient
) -> None:
    till = april.cafe.till
    answer = await read(
        reports_client,
        april.accountant,
        "reconciliation",
        location_id=str(till.location_id),
        period="2026-04-04",
    )
    cash = {
        "tender": "cash",
        "expected_minor": 21_250,
        "counted_minor": 21_100,
        "difference_minor": -150,
    }
    card = {
        "tender": "card",
        "expected_minor": 1_110,
        "counted_minor": 1_110,
        "difference_minor": 0,
    }
    assert answer["shifts"] == [
        {
            "shift_id": str(april.shift_id),
            "register_number": till.register_number,
            "register_name": "Till 1",
            "opened_by": str(till.cashier),
            "opened_by_name": "A cashier",
            # In Sydney's time: opened Sat 10:00 AEDT, closed Sun 02:45 AEST, the clocks
            # having gone back an hour in between.
            "opened_at": "2026-04-04T10:00:00+11:00",
            "closed_by": str(till.cashier),
            "closed_by_name": "A cashier",
            "closed_at": "2026-04-05T02:45:00+10:00",
            "z_version": 1,
            "tenders": [cash, card],
        }
    ]
    assert answer["totals"] == [cash, card]
    # Sunday's shift opened at 03:20, after Saturday ended (03:00): it was not open at
    # Saturday's end, whatever it is now.
    assert answer["open_shifts"] == 0
    sunday = await read(
        reports_client,
        april.accountant,
        "reconciliation",
        location_id=str(till.location_id),
        period="2026-04-05",
    )
    assert sunday["shifts"] == []
    assert [t["expected_minor"] for t in sunday["totals"]] == [0, 0]
    # Still open at Sunday's end: counted nowhere yet, but reported.
    assert sunday["open_shifts"] == 1
    # A period with figures always says where in the audit log they start.
    assert sunday["audit"]["from_seq"] is not None


async def test_a_sale_at_the_cutoff_instant_is_the_new_days(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    cafe = await new_till(provision, connect_as, token, orders_client)
    cafe.open_shift(utc(2026, 10, 3, 15))  # Sun 01:00 AEST
    # F: sold at Sun 01:59:59 AEST (15:59:59 UTC), the last second of Saturday night.
    cafe.sale(utc(2026, 10, 3, 15, 59, 59), [cafe.bread()], card=300, total=300)
    # G: sold one second later, when the clocks read 03:00:00 AEDT: Sunday's first second.
    cafe.sale(utc(2026, 10, 3, 16), [cafe.bread()], card=300, total=300)
    await cafe.upload(orders_client)
    answer = await read(
        reports_client,
        token(cafe.till.tenant, Role.ACCOUNTANT),
        "daily-summary",
        location_id=str(cafe.till.location_id),
        **{"from": "2026-10-03", "to": "2026-10-04"},
    )
    # One sale each. Both were paid a minute before their close (15:58:59 and 15:59:00
    # UTC): both payments are Saturday's, as the money was taken then.
    assert [
        (day["day"], day["orders"], day["gross_sales_minor"], day["payments"][1])
        for day in answer["days"]
    ] == [
        ("2026-10-03", 1, 300, tenders((0, 0, 0), (2, 600, 0))[1]),
        ("2026-10-04", 1, 300, tenders((0, 0, 0), (0, 0, 0))[1]),
    ]


async def test_a_period_at_the_edge_of_the_calendar_is_refused_not_a_server_error(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    reports_client: httpx.AsyncClient,
) -> None:
    tenant = await provision()
    location_id, _ = await register_device(connect_as, tenant, DeviceKey.generate())
    accountant = token(tenant, Role.ACCOUNTANT)
    # The business day of 31 December 9999 ends on 1 January 10000; that of 1 January 0001
    # starts at 03:00 Sydney time, 17:00 UTC on 31 December of the year 0. Neither instant
    # exists for Python: the period must be refused as one (422), not crash (500).
    for params in (
        {"period": "9999"},
        {"period": "9999-12-31"},
        {"period": "0001-01-01"},
        {"from": "9999-12-31", "to": "9999-12-31"},
    ):
        response = await reports_client.get(
            "/v1/reports/daily-summary",
            params={"location_id": str(location_id), **params},
            auth=accountant,
        )
        await assert_problem(response, 422, "invalid-period")
    response = await reports_client.get(
        "/v1/reports/bas", params={"period": "9999"}, auth=accountant
    )
    await assert_problem(response, 422, "invalid-period")


# --- a Berlin café: the VAT summary -------------------------------------------------------------


@dataclass
class Berlin:
    cafe: TillLog
    accountant: DPoPAuth


@pytest.fixture
async def berlin(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> Berlin:
    """Sat 24 October 2026 (25 hours in Berlin: the clocks go back at 3 am on Sunday) and
    Mon 2 November, at a café in Berlin (cutoff 3 am)."""
    cafe = await new_till(
        provision, connect_as, token, orders_client, region="eu", time_zone="Europe/Berlin"
    )
    cafe.open_shift(utc(2026, 10, 24, 8))  # Sat 10:00 CEST
    # X: the usual, 12.50 by card, Sat 12:00 CEST.
    #   19 %: 9.50 x 19/119 = 1.5168 -> 1.52, net 7.98. 7 %: 3.00 x 7/107 = 0.1963 -> 0.20,
    #   net 2.80.
    x = cafe.sale(utc(2026, 10, 24, 10), cafe.usual(), card=1_250, total=1_250)
    # Y: two bread rolls, 6.00 cash, at 02:30 CET on Sunday (the second 02:30; 01:30 UTC):
    #   Saturday night. 7 %: 6.00 x 7/107 = 0.3925 -> 0.39, net 5.61.
    cafe.sale(utc(2026, 10, 25, 1, 30), [cafe.bread(2)], cash=1_000, total=600)
    cafe.close_shift(utc(2026, 10, 25, 1, 45), cash=20_600, card=1_250)
    # Mon 2 Nov 10:30 CET: X's first flat white (4.50) refunded to the card.
    #   1.52 x 4.50 / 9.50 = 0.72 exactly, net 3.78.
    cafe.open_shift(utc(2026, 11, 2, 9))
    cafe.refund(utc(2026, 11, 2, 9, 30), x, line_number=1, amount=450)
    await cafe.upload(orders_client)
    return Berlin(cafe, token(cafe.till.tenant, Role.ACCOUNTANT))


def vat_rate(value: str, sales: dict[str, Any], refunds: dict[str, Any]) -> dict[str, Any]:
    return {
        "rate": value,
        "sales": sales,
        "refunds": refunds,
        "net_minor": sales["net_minor"] - refunds["net_minor"],
        "tax_minor": sales["tax_minor"] - refunds["tax_minor"],
    }


def box(
    kennzahl: str, rate: str, *, base: int, whole: int, tax: int, form_tax: int
) -> dict[str, Any]:
    percent = {"19.000": "19", "7.000": "7"}[rate]
    return {
        "kennzahl": kennzahl,
        "tax_kennzahl": None,
        "description": f"Steuerpflichtige Umsätze zum Steuersatz von {percent} %",
        "rate": rate,
        "base_minor": base,
        "base_whole_euros": whole,
        "tax_minor": tax,
        "form_tax_minor": form_tax,
    }


async def test_vat_summary_19_and_7_percent_with_a_refund(
    berlin: Berlin, reports_client: httpx.AsyncClient
) -> None:
    standard_sales = rate("19.000", 798, 152, 950)
    reduced_sales = rate("7.000", 841, 59, 900)  # X 280/20/300 + Y 561/39/600
    standard_refund = rate("19.000", 378, 72, 450)
    nothing = {"19.000": rate("19.000", 0, 0, 0), "7.000": rate("7.000", 0, 0, 0)}

    october = await read(reports_client, berlin.accountant, "vat-summary", period="2026-10")
    assert october["currency"] == "EUR"
    assert october["locations"][0]["time_zone"] == "Europe/Berlin"
    assert october["rates"] == [
        vat_rate("19.000", standard_sales, nothing["19.000"]),
        vat_rate("7.000", reduced_sales, nothing["7.000"]),
    ]
    assert (october["net_minor"], october["tax_minor"]) == (1_639, 211)  # 798 + 841 | 152 + 59

    # The refund is November's: a reduction of the taxable amount when it happens.
    november = await read(reports_client, berlin.accountant, "vat-summary", period="2026-11")
    assert november["rates"] == [vat_rate("19.000", nothing["19.000"], standard_refund)]
    assert (november["net_minor"], november["tax_minor"]) == (-378, -72)

    quarter = await read(reports_client, berlin.accountant, "vat-summary", period="2026-Q4")
    assert quarter["rates"] == [
        vat_rate("19.000", standard_sales, standard_refund),  # net 798 - 378 = 420, VAT 80
        vat_rate("7.000", reduced_sales, nothing["7.000"]),
    ]
    assert (quarter["net_minor"], quarter["tax_minor"]) == (1_261, 139)  # 420 + 841 | 80 + 59
    # The UStVA: Kz 81 takes 4.20 as 4 whole euros, on which the form works out 19 %: 0.76
    # (the invoices' tax, less the refund's, is 0.80); Kz 86 takes 8.41 as 8: 7 % is 0.56
    # (invoices: 0.59).
    assert quarter["boxes"] == [
        box("81", "19.000", base=420, whole=4, tax=80, form_tax=76),
        box("86", "7.000", base=841, whole=8, tax=59, form_tax=56),
    ]
    # November is only the refund (§ 17 UStG: in the period it is given): Kz 81 is negative,
    # its cents rounded down, in the business's favour: -3.78 -> -4 euros, -0.76 at 19 %.
    assert november["boxes"] == [
        box("81", "19.000", base=-378, whole=-4, tax=-72, form_tax=-76),
    ]
    assert (quarter["tax_basis"], quarter["business"]["tax_id_label"]) == ("accrual", "USt-IdNr.")

    # The Saturday of the change is 25 hours in Berlin too, with Y (02:30 CET) in it.
    saturday = await read(
        reports_client,
        berlin.accountant,
        "daily-summary",
        location_id=str(berlin.cafe.till.location_id),
        period="2026-10-24",
    )
    [day] = saturday["days"]
    assert (day["hours"], day["orders"], day["tax"]) == (
        25.0,
        2,
        [standard_sales, reduced_sales],
    )


async def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:1_000]
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["code"]) == (status, code), problem
    assert problem["type"].endswith(code) and problem["title"]
    return problem


async def test_bas_and_vat_summary_only_where_they_apply(
    berlin: Berlin,
    provision: Provision,
    token: TokenFactory,
    reports_client: httpx.AsyncClient,
) -> None:
    for path in ("/v1/reports/bas", "/v1/reports/bas/export"):
        response = await reports_client.get(
            path, params={"period": "2026-Q4"}, auth=berlin.accountant
        )
        await assert_problem(response, 409, "report-not-applicable")
    australian = token(await provision("au"), Role.ACCOUNTANT)
    for path in ("/v1/reports/vat-summary", "/v1/reports/vat-summary/export"):
        response = await reports_client.get(path, params={"period": "2026-Q4"}, auth=australian)
        await assert_problem(response, 409, "report-not-applicable")


# --- the same numbers in JSON, CSV and the export bundle ---------------------------------------


def file_stem(answer: dict[str, Any], name: str, params: dict[str, str]) -> str:
    """`<business>_<venue>_<report>_<period>`, as an accountant's folder sorts them."""
    label = params.get("period") or f"{params['from']}--{params['to']}"
    parts = [answer["business"]["name"].replace(" ", "-")]
    if "location" in answer:
        parts.append(answer["location"]["name"].replace(" ", "-"))
    return "_".join([*parts, name, label])


async def assert_the_same_numbers(
    client: httpx.AsyncClient, auth: DPoPAuth, name: str, params: dict[str, str]
) -> dict[str, Any]:
    """The JSON answer, the `format=csv` answer and the export bundle of one report agree:
    every cell of the CSV is the JSON field its column names (tests/support/report_files.py),
    and every figure of the JSON is in the CSV."""
    answer = await read(client, auth, name, **params)

    as_csv = await client.get(f"/v1/reports/{name}", params={**params, "format": "csv"}, auth=auth)
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    stem = file_stem(answer, name, params)
    assert as_csv.headers["content-disposition"] == (
        f"attachment; filename=\"{stem}.csv\"; filename*=UTF-8''{stem}.csv"
    )
    # The CSV is read a moment after the JSON: the same figures, another `generated_at`.
    csv_answer = {**answer, "generated_at": trace_generated_at(as_csv.content)}
    rows = trace(name, csv_answer, as_csv.content).rows

    exported = await client.get(f"/v1/reports/{name}/export", params=params, auth=auth)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == "application/zip"
    assert exported.headers["content-disposition"] == (
        f"attachment; filename=\"{stem}.zip\"; filename*=UTF-8''{stem}.zip"
    )
    with zipfile.ZipFile(io.BytesIO(exported.content)) as bundle:
        assert bundle.namelist() == [f"{stem}.json", f"{stem}.csv", "manifest.json"]
        files = {info.filename: bundle.read(info) for info in bundle.infolist()}
    filed = json.loads(files[f"{stem}.json"])
    assert filed == {**answer, "generated_at": filed["generated_at"]}
    # The bundle's CSV is its JSON's, generated at the same moment, cell for cell.
    filed_csv = trace(name, filed, files[f"{stem}.csv"])
    assert filed_csv.rows == rows
    manifest = json.loads(files["manifest.json"])
    assert manifest["report"] == name
    assert manifest["parameters"] == params
    assert manifest["generated_by"] == "test-accountant"
    assert manifest["generated_at"] == filed["generated_at"]
    assert datetime.fromisoformat(manifest["generated_at"]).utcoffset() is not None
    assert manifest["audit"] == filed["audit"] == {**answer["audit"]}
    # The manifest's header is the CSV's header block and the JSON's own fields.
    header = manifest["header"]
    assert (header["business"], header["tax_id"], header["currency"]) == (
        filed["business"]["name"],
        filed["business"]["tax_id"],
        filed["currency"],
    )
    assert header["period"] == {
        key: filed["period"][key] for key in ("label", "first_day", "last_day")
    }
    assert header.get("tax_basis") == filed.get("tax_basis")
    assert manifest["csv_header_lines"] == filed_csv.header_lines
    assert manifest["files"] == [
        {
            "name": file_name,
            "bytes": len(content),
            "rows": len(rows),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
        for file_name, content in files.items()
        if file_name != "manifest.json"
    ]
    return answer


def trace_generated_at(content: bytes) -> str:
    """The CSV's own `generated_at` (its header block's)."""
    block = read_report_csv(content).block
    return next(row[1] for row in block if row[0] == "Generated at")


VENUE_REPORTS = ("daily-summary", "item-mix", "reconciliation")


async def test_json_csv_and_export_agree_on_every_number(
    october: October, berlin: Berlin, reports_client: httpx.AsyncClient
) -> None:
    """Every report, in Australia and in Germany, for a day and for a range."""
    for cafe, accountant, days in (
        (october.cafe, october.accountant, ("2026-10-03", "2026-10-06")),
        (berlin.cafe, berlin.accountant, ("2026-10-24", "2026-11-02")),
    ):
        location = str(cafe.till.location_id)
        for name in VENUE_REPORTS:
            for params in (
                {"location_id": location, "period": days[0]},
                {"location_id": location, "from": days[0], "to": days[1]},
            ):
                answer = await assert_the_same_numbers(reports_client, accountant, name, params)
                assert answer["report"] == name
                assert answer["audit"]["from_seq"] is not None
    # The week's reconciliation has both shifts: Saturday night's closed on Sunday at 04:00,
    # Tuesday's. Expected cash 200.00 + 3.00 + 10.60 = 213.60, and 200.00 - 3.00 = 197.00.
    week = await read(
        reports_client,
        october.accountant,
        "reconciliation",
        location_id=str(october.cafe.till.location_id),
        **{"from": "2026-10-03", "to": "2026-10-06"},
    )
    assert [(t["tender"], t["expected_minor"], t["counted_minor"]) for t in week["totals"]] == [
        ("cash", 21_360 + 19_700, 21_360 + 19_700),
        ("card", 1_450, 1_450),
    ]
    bas = await assert_the_same_numbers(
        reports_client, october.accountant, "bas", {"period": "2026-Q4"}
    )
    assert bas["invoice_gst_minor"] == 209
    vat = await assert_the_same_numbers(
        reports_client, berlin.accountant, "vat-summary", {"period": "2026-Q4"}
    )
    assert vat["tax_minor"] == 139


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"period": "2026-13"}, 422, "invalid-period"),
        ({"period": "2026-02-30"}, 422, "invalid-period"),
        ({"period": "2026-Q5"}, 422, "invalid-period"),
        ({"period": "26"}, 422, "invalid-period"),
        ({"period": "2026-10", "from": "2026-10-01"}, 422, "invalid-period"),
        ({"period": "2026-10", "from": "2026-10-01", "to": "2026-10-31"}, 422, "invalid-period"),
        ({}, 422, "invalid-period"),
        ({"from": "2026-10-01"}, 422, "invalid-period"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, 422, "invalid-period"),
        ({"from": "2026-01-01", "to": "2027-01-03"}, 422, "invalid-period"),  # 368 days
        ({"from": "2026-10-32", "to": "2026-11-01"}, 422, "validation-failed"),
        ({"period": "2026-10-03T00:00"}, 422, "validation-failed"),  # longer than a period
        ({"period": "2026-10", "format": "xml"}, 422, "validation-failed"),
        ({"period": "2026-10", "location_id": str(uuid.uuid4())}, 404, "location-not-found"),
        ({"period": "2026-10", "location_id": "front-bar"}, 422, "validation-failed"),
    ],
)
async def test_bad_input_is_a_problem_and_changes_nothing(
    params: dict[str, str],
    status: int,
    code: str,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    reports_client: httpx.AsyncClient,
) -> None:
    tenant = await provision()
    location_id, _ = await register_device(connect_as, tenant, DeviceKey.generate())
    accountant = token(tenant, Role.ACCOUNTANT)
    good = {"location_id": str(location_id), "period": "2026-10"}
    before = await read(reports_client, accountant, "daily-summary", **good)
    query = {"location_id": str(location_id), **params}
    # The bundle has no `format`: it always holds both.
    suffixes = ("",) if "format" in params else ("", "/export")
    for report in ("daily-summary", "item-mix", "reconciliation"):
        for suffix in suffixes:
            response = await reports_client.get(
                f"/v1/reports/{report}{suffix}", params=query, auth=accountant
            )
            await assert_problem(response, status, code)
    if "location_id" not in params:  # the business's own tax report reads the same periods
        for suffix in suffixes:
            response = await reports_client.get(
                f"/v1/reports/bas{suffix}", params=params, auth=accountant
            )
            await assert_problem(response, status, code)
    after = await read(reports_client, accountant, "daily-summary", **good)
    # The audit head included: nothing was written (only the time it was read moved on).
    assert {**after, "generated_at": None} == {**before, "generated_at": None}
    closures = await reports_client.get("/v1/reports/closures", auth=accountant)
    assert closures.json() == {"items": []}


async def test_another_businesses_location_is_not_found(
    october: October,
    provision: Provision,
    token: TokenFactory,
    reports_client: httpx.AsyncClient,
) -> None:
    stranger = token(await provision(), Role.ACCOUNTANT)
    response = await reports_client.get(
        "/v1/reports/daily-summary",
        params={"location_id": str(october.cafe.till.location_id), "period": "2026-10-03"},
        auth=stranger,
    )
    problem = await assert_problem(response, 404, "location-not-found")
    assert "Front bar" not in response.text and problem["status"] == 404
