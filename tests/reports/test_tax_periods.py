"""Tax periods by the law's calendar, worked by hand: the BAS (Australia) and the VAT summary
(Germany) put each sale and refund in the period of its local calendar date, by the business's
basis, never by its business day (docs/reports.md, "Tax periods").

Each test plays the last night of a quarter at a café, uploaded as a till's offline log
(`/v1/sync/batches`, each operation at the instant the test gives), under each basis, and reads
the reports back as the business's accountant. Every expected figure below was worked out by
hand from the rule and the prices, not read from the implementation.

The café (tests/support/tills.py), prices tax-inclusive: Flat white 4.50 (GST 10 % / VAT 19 %),
oat milk +0.50, Bread roll 3.00 (GST-free / VAT 7 %). The tax in an inclusive price is rounded
half up once per invoice and rate (docs/money.md): GST = gross / 11, VAT = gross x 19/119 or
x 7/107. Every payment is by card (no 5c cash rounding to work around).

Each night has the same five events, the old quarter's last day being D and the new one's
first D+1 (times local):
- H, an earlier sale in the old quarter (refunded later);
- B, a sale at 23:30 on D: the old quarter under both bases;
- C, an order rung up at 23:40 on D, paid in part on D (23:50 or 23:55) and the rest at exactly
  00:00:00 on D+1, closed at 00:10 or 00:15 on D+1:
  AU accrual (GST Act s 29-5 (1)): the whole sale on D, the earlier of the first payment and
  the invoice;
  AU cash (s 29-5 (2)), DE Ist (UStG § 13 (1) Nr. 1 b) and DE Soll (§ 13 (1) Nr. 1 a: the
  supply's period, but a part paid before the supply in the period it was received, to that
  extent): each payment's share on its own date, share = payment / all payments; per rate,
  the gross and the tax are each shared by largest remainder (ties to the earlier payment)
  and a share's net is its gross less its tax, so each share adds up and the shares add up to
  the order's figures to the cent;
- R, a refund of H at 00:30 on D+1: the new quarter's (a decreasing adjustment, G18 /
  a § 17 UStG correction), under both bases; H stays where it was;
- A, a sale closed before the cutoff on D+1 (01:30 in Sydney, 3 am cutoff; 04:30 in Berlin,
  5 am cutoff): business day D, but the new quarter's under both bases.
B, C, R and A all belong to business day D: the daily summary lists them there.

Where the clocks are: Sydney is on AEST (UTC+10) on 1 July and AEDT (UTC+11) on 1 January;
Berlin on CEST (UTC+2) on 1 October and CET (UTC+1) on 1 January. C's second payment at
00:00:00 local and R at 00:30 on D+1 are still D in UTC, and on the summer nights (Sydney's
new year, Berlin's 1 October) still D at the zone's standard offset too: only local midnight,
taken in the zone with its offset of that night, puts them in the new quarter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx
import pytest

from clients.session import DPoPAuth
from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service
from tests.support.offline import Log, TillLog, allow_offline_approvals, offline_till
from tests.support.tokens import TokenFactory

Basis = Literal["accrual", "cash"]
BASES: tuple[Basis, ...] = ("accrual", "cash")


# --- the café and its till's log -------------------------------------------------------------


@dataclass(kw_only=True)
class Cafe(TillLog):
    """A business of one café whose till records each operation at the local time given."""

    zone: ZoneInfo
    accountant: DPoPAuth

    def at(self, day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
        """The instant (UTC) of a local wall-clock time on `day` at the café."""
        local = datetime.combine(day, time(hour, minute, second), tzinfo=self.zone)
        return local.astimezone(UTC)

    def line(self, item: str, quantity: int = 1) -> dict[str, Any]:
        if item == "flat white":
            return self.coffee(quantity)
        if item == "oat flat white":
            return self.coffee(quantity, oat=True)
        assert item == "bread roll"
        return self.bread(quantity)

    def sold_by_card(self, at: datetime, lines: list[dict[str, Any]], total: int) -> uuid.UUID:
        """Rung up five minutes before `at`, paid by card a minute before, closed at `at`."""
        return self.sale(at, lines, total=total, card=total)


async def new_cafe(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    *,
    region: str,
    time_zone: str,
    cutoff_hour: int,
    basis: Basis,
) -> Cafe:
    """A new business with one café in `time_zone`, its business day ending at `cutoff_hour`,
    which the owner has put on `basis` (PATCH /v1/tax/settings) before any sale."""
    tenant = await provision(region)
    till = await offline_till(connect_as, token, orders_client, tenant, region=region)
    # The refunds below were approved by the manager at the till.
    await allow_offline_approvals(orders_client, token, till)
    # The roster from before these operations, months ago.
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET created_at = '2025-01-01T00:00:00Z'",
    )
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.locations SET time_zone = $2, business_day_cutoff_hour = $3 WHERE id = $1",
        till.location_id,
        time_zone,
        cutoff_hour,
    )
    owner = token(tenant, Role.OWNER, "owner")
    settings = await orders_client.get("/v1/tax/settings", auth=owner)
    assert settings.status_code == 200, settings.text
    # A new business is on the accrual basis (Soll-Versteuerung) until it chooses otherwise.
    assert settings.json()["tax_basis"] == "accrual"
    if basis != "accrual":
        changed = await orders_client.patch(
            "/v1/tax/settings",
            json={"tax_basis": basis, "version": settings.json()["version"]},
            auth=owner,
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["tax_basis"] == basis
    return Cafe(
        till=till,
        log=Log(till),
        zone=ZoneInfo(time_zone),
        accountant=token(tenant, Role.ACCOUNTANT),
    )


@dataclass(frozen=True)
class Night:
    """What a night's events were: H's day, D (the old period's last day), and the orders."""

    earlier_day: date
    last_day: date
    earlier_sale: uuid.UUID


async def last_night(
    cafe: Cafe,
    client: httpx.AsyncClient,
    *,
    earlier_day: date,
    last_day: date,
    earlier_lines: list[dict[str, Any]],
    earlier_total: int,
    before_lines: list[dict[str, Any]],
    before_total: int,
    split_lines: list[dict[str, Any]],
    first_payment: tuple[int, int, int],
    split: tuple[int, int],
    closed_after: int,
    refunded: list[tuple[int, int]],
    refund_total: int,
    after: tuple[int, int],
    after_lines: list[dict[str, Any]],
    after_total: int,
) -> Night:
    """H on `earlier_day` at noon; then B, C, R and A around midnight after `last_day`
    (module docstring). C is `split_lines`, paid `split[0]` at `first_payment` (h, m, s) on D
    and `split[1]` at 00:00:00 on D+1, closed at 00:`closed_after`; A is closed at `after`
    (h, m) on D+1."""
    first_day = last_day + timedelta(days=1)
    # H, in a shift of its own.
    cafe.open_shift(cafe.at(earlier_day, 10))
    earlier_sale = cafe.sold_by_card(cafe.at(earlier_day, 12), earlier_lines, earlier_total)
    cafe.close_shift(cafe.at(earlier_day, 18), card=earlier_total)

    cafe.open_shift(cafe.at(last_day, 22))
    cafe.sold_by_card(cafe.at(last_day, 23, 30), before_lines, before_total)  # B
    split_order = cafe.ring_up(cafe.at(last_day, 23, 40), split_lines)  # C
    cafe.pay_card(cafe.at(last_day, *first_payment), split_order, split[0])
    cafe.pay_card(cafe.at(first_day, 0, 0, 0), split_order, split[1])
    cafe.close(cafe.at(first_day, 0, closed_after), split_order, sum(split))
    cafe.refund_lines(cafe.at(first_day, 0, 30), earlier_sale, refunded, refund_total)  # R
    cafe.sold_by_card(cafe.at(first_day, *after), after_lines, after_total)  # A
    # Counted after A: B + C + A by card, less R given back to the card.
    cafe.close_shift(
        cafe.at(first_day, after[0], after[1] + 15),
        card=before_total + sum(split) + after_total - refund_total,
    )
    await cafe.upload(client)
    return Night(earlier_day, last_day, earlier_sale)


# --- reading the reports ------------------------------------------------------------------


async def read(
    client: httpx.AsyncClient, auth: DPoPAuth, report: str, **params: str
) -> dict[str, Any]:
    response = await client.get(f"/v1/reports/{report}", params=params, auth=auth)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def period(kind: str, label: str, first: str, last: str) -> dict[str, str]:
    return {"kind": kind, "label": label, "first_day": first, "last_day": last}


def rate(value: str, net: int, tax: int, gross: int) -> dict[str, Any]:
    assert net + tax == gross, "a hand-worked group must add up"
    return {"rate": value, "net_minor": net, "tax_minor": tax, "gross_minor": gross}


def bas_labels(*, g1: int, g3: int, g9: int, one_a: int) -> dict[str, int]:
    """The BAS's labels from the hand-worked G1, G3, G9 and 1A (no exports, input-taxed sales
    or increasing adjustments at a till): G5 = G3, G6 = G8 = G1 - G3."""
    return {
        "G1": g1,
        "G2": 0,
        "G3": g3,
        "G4": 0,
        "G5": g3,
        "G6": g1 - g3,
        "G7": 0,
        "G8": g1 - g3,
        "G9": g9,
        "1A": one_a,
    }


def assert_basis(answer: dict[str, Any], basis: Basis) -> None:
    """The report says which basis its figures are on: an accountant cannot lodge a period
    without knowing."""
    assert answer.get("tax_basis") == basis, f"the report does not state its basis: {answer.keys()}"


async def assert_bas(
    cafe: Cafe,
    client: httpx.AsyncClient,
    label: str,
    expected_period: dict[str, str],
    basis: Basis,
    labels: dict[str, int],
    refunds: tuple[int, int],
    gst_free_refunds: int,
) -> None:
    bas = await read(client, cafe.accountant, "bas", period=label)
    assert bas["period"] == expected_period
    assert {row["label"]: row["amount_minor"] for row in bas["labels"]} == labels, label
    # The form takes whole dollars, cents dropped.
    assert {row["label"]: row["whole_dollars"] for row in bas["labels"]} == {
        name: amount // 100 for name, amount in labels.items()
    }
    assert (bas["worksheet_gst_minor"], bas["invoice_gst_minor"]) == (labels["G9"], labels["1A"])
    adjustments = bas["decreasing_adjustments"]
    assert (adjustments["amount_minor"], adjustments["gst_minor"]) == refunds, label
    assert bas["gst_free_refunds_minor"] == gst_free_refunds, label
    assert_basis(bas, basis)


def vat_rate(value: str, sales: dict[str, Any], refunds: dict[str, Any]) -> dict[str, Any]:
    return {
        "rate": value,
        "sales": sales,
        "refunds": refunds,
        "net_minor": sales["net_minor"] - refunds["net_minor"],
        "tax_minor": sales["tax_minor"] - refunds["tax_minor"],
    }


async def assert_vat(
    cafe: Cafe,
    client: httpx.AsyncClient,
    label: str,
    expected_period: dict[str, str],
    basis: Basis,
    rates: list[dict[str, Any]],
    totals: tuple[int, int],
) -> None:
    vat = await read(client, cafe.accountant, "vat-summary", period=label)
    assert vat["period"] == expected_period
    assert vat["rates"] == rates, label
    assert (vat["net_minor"], vat["tax_minor"]) == totals, label
    assert totals == (
        sum(r["net_minor"] for r in rates),
        sum(r["tax_minor"] for r in rates),
    ), "a hand-worked total must add up"
    assert_basis(vat, basis)


async def assert_business_day(
    cafe: Cafe,
    client: httpx.AsyncClient,
    day: date,
    *,
    orders: int,
    tax: list[dict[str, Any]],
    refunds: tuple[int, int, int],
) -> None:
    """The daily summary still counts by business day, whatever the basis."""
    summary = await read(
        client,
        cafe.accountant,
        "daily-summary",
        location_id=str(cafe.till.location_id),
        period=day.isoformat(),
    )
    [found] = summary["days"]
    assert (found["orders"], found["tax"]) == (orders, tax), day
    given_back = found["refunds"]
    assert (given_back["count"], given_back["amount_minor"], given_back["tax_minor"]) == refunds


# --- Sydney, the night of 30 June 2026 (AEST, UTC+10), 3 am cutoff -----------------------------


@pytest.mark.parametrize("basis", BASES)
async def test_sydney_june_quarter_ends_at_midnight_not_at_the_cutoff(
    basis: Basis,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    cafe = await new_cafe(
        provision,
        connect_as,
        token,
        orders_client,
        region="au",
        time_zone="Australia/Sydney",
        cutoff_hour=3,
        basis=basis,
    )
    await last_night(
        cafe,
        orders_client,
        # H: the usual, 12.50, Mon 15 June 12:00 AEST (02:00 UTC).
        #   GST 950 / 11 = 86.36 -> 86, net 864; GST-free 300.
        earlier_day=date(2026, 6, 15),
        earlier_lines=cafe.usual(),
        earlier_total=1_250,
        last_day=date(2026, 6, 30),
        # B: a flat white with oat milk, 5.00, Tue 30 June 23:30 AEST (13:30 UTC).
        #   GST 500 / 11 = 45.45 -> 45, net 455.
        before_lines=[cafe.line("oat flat white")],
        before_total=500,
        # C: the usual, 12.50 (GST 86 on 950, net 864; GST-free 300): 5.00 at 23:50 on
        #   30 June (13:50 UTC), 7.50 at 00:00:00 on 1 July (14:00 UTC), closed 00:15.
        #   Cash basis shares 500 : 750 = 0.4 : 0.6 of each figure:
        #     10 % gross 950 -> 380 | 570;
        #     GST 86 -> 34.4 | 51.6 -> 34 | 51, the cent left to the larger remainder (0.6):
        #       34 | 52;
        #     net 380 - 34 = 346 | 570 - 52 = 518 (864 = 346 + 518; shared on its own,
        #       345.6 | 518.4 would round to the same);
        #     GST-free 300 -> 120 | 180.
        split_lines=cafe.usual(),
        first_payment=(23, 50, 0),
        split=(500, 750),
        closed_after=15,
        # R: H's first flat white (line 1, 4.50) given back at 00:30 on 1 July (14:30 UTC).
        #   GST: 86 x 450 / 950 = 40.74 -> 41, net 409.
        refunded=[(1, 1)],
        refund_total=450,
        # A: two flat whites and a bread roll, 12.00, invoiced and paid at 01:30 on Wed
        #   1 July (15:30 UTC on 30 June): business day 30 June.
        #   GST 900 / 11 = 81.82 -> 82, net 818; GST-free 300.
        after=(1, 30),
        after_lines=[cafe.line("flat white", 2), cafe.line("bread roll")],
        after_total=1_200,
    )
    june = period("quarter", "2026-Q2", "2026-04-01", "2026-06-30")
    september = period("quarter", "2026-Q3", "2026-07-01", "2026-09-30")
    if basis == "accrual":
        # June quarter: H + B + C (C's first payment, 23:50 on 30 June, is earlier than its
        #   invoice). GST group 950 + 500 + 950 = 2400, GST 86 + 45 + 86 = 217; GST-free
        #   300 + 300 = 600. G1 3000, G9 2400 / 11 = 218.18 -> 218, 1A 217. No refunds.
        q2 = bas_labels(g1=3_000, g3=600, g9=218, one_a=217)
        q2_refunds, q2_gst_free_refunds = (0, 0), 0
        # September quarter: A. G1 1200, G3 300, G9 900 / 11 = 81.82 -> 82, 1A 82. R's
        #   450 with 41 GST is a decreasing adjustment (G18).
        q3 = bas_labels(g1=1_200, g3=300, g9=82, one_a=82)
        q3_refunds, q3_gst_free_refunds = (450, 41), 0
    else:
        # June quarter: H + B + C's 5.00. GST group 950 + 500 + 380 = 1830, GST 86 + 45 + 34
        #   = 165; GST-free 300 + 120 = 420. G1 2250, G9 1830 / 11 = 166.36 -> 166, 1A 165.
        q2 = bas_labels(g1=2_250, g3=420, g9=166, one_a=165)
        q2_refunds, q2_gst_free_refunds = (0, 0), 0
        # September quarter: A + C's 7.50. GST group 900 + 570 = 1470, GST 82 + 52 = 134;
        #   GST-free 300 + 180 = 480. G1 1950, G9 1470 / 11 = 133.64 -> 134, 1A 134. R: G18.
        #   (Both quarters: G1 2250 + 1950 = 4200 = 1250 + 500 + 1250 + 1200; 1A 165 + 134 =
        #   299 = 86 + 45 + 86 + 82, as on accrual.)
        q3 = bas_labels(g1=1_950, g3=480, g9=134, one_a=134)
        q3_refunds, q3_gst_free_refunds = (450, 41), 0
    await assert_bas(
        cafe, reports_client, "2026-Q2", june, basis, q2, q2_refunds, q2_gst_free_refunds
    )
    await assert_bas(
        cafe, reports_client, "2026-Q3", september, basis, q3, q3_refunds, q3_gst_free_refunds
    )
    # Everything was in June and July: each month's BAS is its quarter's.
    await assert_bas(
        cafe,
        reports_client,
        "2026-06",
        period("month", "2026-06", "2026-06-01", "2026-06-30"),
        basis,
        q2,
        q2_refunds,
        q2_gst_free_refunds,
    )
    await assert_bas(
        cafe,
        reports_client,
        "2026-07",
        period("month", "2026-07", "2026-07-01", "2026-07-31"),
        basis,
        q3,
        q3_refunds,
        q3_gst_free_refunds,
    )
    # And all of the September quarter's happened on 1 July (from 00:00:00 local).
    await assert_bas(
        cafe,
        reports_client,
        "2026-07-01",
        period("day", "2026-07-01", "2026-07-01", "2026-07-01"),
        basis,
        q3,
        q3_refunds,
        q3_gst_free_refunds,
    )

    # The daily summary is by business day, on either basis: B, C, R and A are 30 June's.
    #   GST group B 500 + C 950 + A 900 = 2350, GST 45 + 86 + 82 = 213, net 2137; GST-free
    #   C 300 + A 300 = 600. R: 4.50 with 0.41 GST.
    await assert_business_day(
        cafe,
        reports_client,
        date(2026, 6, 30),
        orders=3,
        tax=[rate("10.000", 2_137, 213, 2_350), rate("0.000", 600, 0, 600)],
        refunds=(1, 450, 41),
    )
    await assert_business_day(
        cafe, reports_client, date(2026, 7, 1), orders=0, tax=[], refunds=(0, 0, 0)
    )


# --- Sydney, new year's eve 2026 (AEDT, UTC+11), 3 am cutoff -----------------------------------


@pytest.mark.parametrize("basis", BASES)
async def test_sydney_year_ends_at_midnight_in_summer_time(
    basis: Basis,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    cafe = await new_cafe(
        provision,
        connect_as,
        token,
        orders_client,
        region="au",
        time_zone="Australia/Sydney",
        cutoff_hour=3,
        basis=basis,
    )
    await last_night(
        cafe,
        orders_client,
        # H: a flat white (line 1, 4.50) and two bread rolls (line 2, 6.00), 10.50, Tue
        #   1 December 12:00 AEDT (01:00 UTC). GST 450 / 11 = 40.91 -> 41, net 409;
        #   GST-free 600.
        earlier_day=date(2026, 12, 1),
        earlier_lines=[cafe.line("flat white"), cafe.line("bread roll", 2)],
        earlier_total=1_050,
        last_day=date(2026, 12, 31),
        # B: a bread roll, 3.00, Thu 31 December 23:30 AEDT (12:30 UTC). GST-free.
        before_lines=[cafe.line("bread roll")],
        before_total=300,
        # C: the usual, 12.50 (GST 86 on 950, net 864; GST-free 300): 10.00 at 23:55 on
        #   31 December (12:55 UTC), 2.50 at 00:00:00 on 1 January 2027 AEDT (13:00 UTC on
        #   31 December: at AEST's +10 it would still be 23:00 on the 31st), closed 00:10.
        #   Cash basis shares 1000 : 250 = 0.8 : 0.2:
        #     10 % gross 950 -> 760 | 190;
        #     GST 86 -> 68.8 | 17.2 -> 68 | 17, the cent to the larger remainder (0.8): 69 | 17;
        #     net 760 - 69 = 691 | 190 - 17 = 173 (864 = 691 + 173; shared on its own,
        #       691.2 | 172.8 would round to the same);
        #     GST-free 300 -> 240 | 60.
        split_lines=cafe.usual(),
        first_payment=(23, 55, 0),
        split=(1_000, 250),
        closed_after=10,
        # R: H's flat white (line 1: its whole GST group, so exactly its 41 GST, net 409) and
        #   one of its bread rolls (line 2, 3.00 GST-free) given back at 00:30 on 1 January
        #   2027 (13:30 UTC on 31 December): 7.50.
        refunded=[(1, 1), (2, 1)],
        refund_total=750,
        # A: the usual, 12.50, at 01:30 on Fri 1 January 2027 (14:30 UTC on 31 December):
        #   business day 31 December. GST 86, net 864; GST-free 300.
        after=(1, 30),
        after_lines=cafe.usual(),
        after_total=1_250,
    )
    q4 = period("quarter", "2026-Q4", "2026-10-01", "2026-12-31")
    q1 = period("quarter", "2027-Q1", "2027-01-01", "2027-03-31")
    if basis == "accrual":
        # December quarter: H + B + C (C's 10.00 at 23:55). GST group 450 + 950 = 1400, GST
        #   41 + 86 = 127; GST-free 600 + 300 + 300 = 1200. G1 2600, G9 1400 / 11 = 127.27 ->
        #   127, 1A 127.
        december = bas_labels(g1=2_600, g3=1_200, g9=127, one_a=127)
        # March quarter: A. G1 1250, G3 300, G9 950 / 11 = 86.36 -> 86, 1A 86. R: 4.50 with
        #   0.41 GST (G18), and 3.00 of GST-free sales given back.
        march = bas_labels(g1=1_250, g3=300, g9=86, one_a=86)
    else:
        # December quarter: H + B + C's 10.00. GST group 450 + 760 = 1210, GST 41 + 69 = 110;
        #   GST-free 600 + 300 + 240 = 1140. G1 2350, G9 1210 / 11 = 110.00, 1A 110.
        december = bas_labels(g1=2_350, g3=1_140, g9=110, one_a=110)
        # March quarter: A + C's 2.50. GST group 950 + 190 = 1140, GST 86 + 17 = 103;
        #   GST-free 300 + 60 = 360. G1 1500, G9 1140 / 11 = 103.64 -> 104, 1A 103.
        #   (G1 2350 + 1500 = 3850 = 1050 + 300 + 1250 + 1250; 1A 110 + 103 = 213 = 41 + 86
        #   + 86.)
        march = bas_labels(g1=1_500, g3=360, g9=104, one_a=103)
    await assert_bas(cafe, reports_client, "2026-Q4", q4, basis, december, (0, 0), 0)
    await assert_bas(cafe, reports_client, "2027-Q1", q1, basis, march, (450, 41), 300)
    # Nothing else happened in either year: each year is its quarter.
    await assert_bas(
        cafe,
        reports_client,
        "2026",
        period("year", "2026", "2026-01-01", "2026-12-31"),
        basis,
        december,
        (0, 0),
        0,
    )
    await assert_bas(
        cafe,
        reports_client,
        "2027",
        period("year", "2027", "2027-01-01", "2027-12-31"),
        basis,
        march,
        (450, 41),
        300,
    )

    # Business day 31 December: B, C, R and A. GST group C 950 + A 950 = 1900, GST 172, net
    #   1728; GST-free B 300 + C 300 + A 300 = 900. R: 7.50 with 0.41 GST.
    await assert_business_day(
        cafe,
        reports_client,
        date(2026, 12, 31),
        orders=3,
        tax=[rate("10.000", 1_728, 172, 1_900), rate("0.000", 900, 0, 900)],
        refunds=(1, 750, 41),
    )
    await assert_business_day(
        cafe, reports_client, date(2027, 1, 1), orders=0, tax=[], refunds=(0, 0, 0)
    )


# --- Berlin, the night of 30 September 2026 (CEST, UTC+2), 5 am cutoff --------------------------


@pytest.mark.parametrize("basis", BASES)
async def test_berlin_september_quarter_ends_at_midnight_soll_and_ist(
    basis: Basis,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    cafe = await new_cafe(
        provision,
        connect_as,
        token,
        orders_client,
        region="eu",
        time_zone="Europe/Berlin",
        cutoff_hour=5,
        basis=basis,
    )
    await last_night(
        cafe,
        orders_client,
        # H: the usual, 12.50, Tue 15 September 12:00 CEST (10:00 UTC).
        #   19 %: 950 x 19/119 = 151.68 -> 152, net 798. 7 %: 300 x 7/107 = 19.63 -> 20,
        #   net 280.
        earlier_day=date(2026, 9, 15),
        earlier_lines=cafe.usual(),
        earlier_total=1_250,
        last_day=date(2026, 9, 30),
        # B: a flat white with oat milk, 5.00, Wed 30 September 23:30 CEST (21:30 UTC).
        #   19 %: 500 x 19/119 = 79.83 -> 80, net 420.
        before_lines=[cafe.line("oat flat white")],
        before_total=500,
        # C: the usual, 12.50 (19 %: 798/152/950; 7 %: 280/20/300): 5.00 at 23:50 on
        #   30 September (21:50 UTC), 7.50 at 00:00:00 on 1 October CEST (22:00 UTC on
        #   30 September), closed 00:15. Ist shares 500 : 750 = 0.4 : 0.6:
        #     19 % gross 950 -> 380 | 570;
        #     VAT 152 -> 60.8 | 91.2 -> 60 | 91, the cent to the larger remainder (0.8):
        #       61 | 91;
        #     net 380 - 61 = 319 | 570 - 91 = 479 (798 = 319 + 479; shared on its own,
        #       319.2 | 478.8 would round to the same);
        #     7 % gross 300 -> 120 | 180, VAT 20 -> 8 | 12, net 280 -> 112 | 168.
        split_lines=cafe.usual(),
        first_payment=(23, 50, 0),
        split=(500, 750),
        closed_after=15,
        # R: H's first flat white (4.50) given back at 00:30 on 1 October (22:30 UTC on
        #   30 September). 19 %: 152 x 450 / 950 = 72.00, net 378.
        refunded=[(1, 1)],
        refund_total=450,
        # A: two flat whites and a bread roll, 12.00, at 04:30 on Thu 1 October (02:30 UTC):
        #   business day 30 September (5 am cutoff). 19 %: 900 x 19/119 = 143.70 -> 144,
        #   net 756. 7 %: 300 -> 20, net 280.
        after=(4, 30),
        after_lines=[cafe.line("flat white", 2), cafe.line("bread roll")],
        after_total=1_200,
    )
    q3 = period("quarter", "2026-Q3", "2026-07-01", "2026-09-30")
    q4 = period("quarter", "2026-Q4", "2026-10-01", "2026-12-31")
    none_19, none_7 = rate("19.000", 0, 0, 0), rate("7.000", 0, 0, 0)
    refund_19 = rate("19.000", 378, 72, 450)
    # Soll and Ist agree here, and at any till. Soll (§ 13 (1) Nr. 1 a UStG): the tax arises in
    # the period the supply is made (the close), but a part of the price received before
    # it is taxed, to that extent, in the period it was received (Satz 4). Ist (Nr. 1 b,
    # § 20): each payment in its own period. At a till every payment comes before or at the
    # close, so each payment's share is taxed on its own date under both: C's 5.00 is Q3's,
    # its 7.50 (00:00:00, before the close at 00:15) Q4's.
    # (Taking the whole of C into Q3 by its first payment is the Australian accrual rule,
    # GST Act s 29-5 (1), not the German one: it would give Soll Q3 19 % 2016/384/2400,
    # 7 % 560/40/600, totals 2576/424; Q4 19 % 756/144/900 less R, 7 % 280/20/300, totals
    # 658/92.)
    #
    # Q3: H + B + C's 5.00. 19 %: 798 + 420 + 319 = 1537 | 152 + 80 + 61 = 293 |
    #   950 + 500 + 380 = 1830. 7 %: 280 + 112 = 392 | 20 + 8 = 28 | 300 + 120 = 420.
    #   Totals: net 1929, VAT 321.
    september = [
        vat_rate("19.000", rate("19.000", 1_537, 293, 1_830), none_19),
        vat_rate("7.000", rate("7.000", 392, 28, 420), none_7),
    ]
    september_totals = (1_929, 321)
    # Q4: A + C's 7.50, and R (§ 17: in the period of the change). 19 %: 756 + 479 = 1235 |
    #   144 + 91 = 235 | 900 + 570 = 1470, less 378/72/450: net 857, VAT 163.
    #   7 %: 280 + 168 = 448 | 20 + 12 = 32 | 300 + 180 = 480. Totals: net 1305, VAT 195.
    #   (Sales VAT over both quarters: 293 + 28 + 235 + 32 = 588 = H 152 + 20, B 80,
    #   C 152 + 20, A 144 + 20.)
    december = [
        vat_rate("19.000", rate("19.000", 1_235, 235, 1_470), refund_19),
        vat_rate("7.000", rate("7.000", 448, 32, 480), none_7),
    ]
    december_totals = (1_305, 195)
    await assert_vat(cafe, reports_client, "2026-Q3", q3, basis, september, september_totals)
    await assert_vat(cafe, reports_client, "2026-Q4", q4, basis, december, december_totals)
    # The monthly return (UStVA) of September and of October are the quarters'.
    await assert_vat(
        cafe,
        reports_client,
        "2026-09",
        period("month", "2026-09", "2026-09-01", "2026-09-30"),
        basis,
        september,
        september_totals,
    )
    await assert_vat(
        cafe,
        reports_client,
        "2026-10",
        period("month", "2026-10", "2026-10-01", "2026-10-31"),
        basis,
        december,
        december_totals,
    )

    # Business day 30 September: B, C, R and A. 19 %: 420 + 798 + 756 = 1974 | 80 + 152 +
    #   144 = 376 | 2350. 7 %: 280 + 280 = 560 | 40 | 600. R: 4.50 with 0.72 VAT.
    await assert_business_day(
        cafe,
        reports_client,
        date(2026, 9, 30),
        orders=3,
        tax=[rate("19.000", 1_974, 376, 2_350), rate("7.000", 560, 40, 600)],
        refunds=(1, 450, 72),
    )
    await assert_business_day(
        cafe, reports_client, date(2026, 10, 1), orders=0, tax=[], refunds=(0, 0, 0)
    )


# --- Berlin, new year's eve 2026 (CET, UTC+1), 5 am cutoff -------------------------------------


@pytest.mark.parametrize("basis", BASES)
async def test_berlin_year_ends_at_midnight_soll_and_ist(
    basis: Basis,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    cafe = await new_cafe(
        provision,
        connect_as,
        token,
        orders_client,
        region="eu",
        time_zone="Europe/Berlin",
        cutoff_hour=5,
        basis=basis,
    )
    await last_night(
        cafe,
        orders_client,
        # H: a flat white (line 1, 4.50) and two bread rolls (line 2, 6.00), 10.50, Tue
        #   1 December 12:00 CET (11:00 UTC). 19 %: 450 x 19/119 = 71.85 -> 72, net 378.
        #   7 %: 600 x 7/107 = 39.25 -> 39, net 561.
        earlier_day=date(2026, 12, 1),
        earlier_lines=[cafe.line("flat white"), cafe.line("bread roll", 2)],
        earlier_total=1_050,
        last_day=date(2026, 12, 31),
        # B: a bread roll, 3.00, Thu 31 December 23:30 CET (22:30 UTC). 7 %: 20, net 280.
        before_lines=[cafe.line("bread roll")],
        before_total=300,
        # C: a flat white (4.50) and two bread rolls (6.00), 10.50 (as H: 19 % 378/72/450,
        #   7 % 561/39/600), paid in two halves: 5.25 at 23:55 on 31 December (22:55 UTC),
        #   5.25 at 00:00:00 on 1 January 2027 CET (23:00 UTC on 31 December: in UTC still
        #   the old year), closed 00:10. Shares 525 : 525 = 0.5 : 0.5, gross and tax shared,
        #   each share's net its gross less its tax:
        #     19 % gross 450 -> 225 | 225, VAT 72 -> 36 | 36, net 189 | 189;
        #     7 % gross 600 -> 300 | 300, VAT 39 -> 19.5 | 19.5 -> 19 | 19, the cent left to
        #       the tie's earlier payment: 20 | 19, net 280 | 281.
        #   (Sharing the net on its own would give 561 -> 280.5 | 280.5 -> 281 | 280, and the
        #   first half 281 + 20 = 301 against its gross of 300: a share that does not add
        #   up.)
        split_lines=[cafe.line("flat white"), cafe.line("bread roll", 2)],
        first_payment=(23, 55, 0),
        split=(525, 525),
        closed_after=10,
        # R: H's flat white (line 1: its whole 19 % group, so exactly its 72 VAT, net 378)
        #   and one bread roll (line 2: 300 of the 600 group, VAT 39 x 300 / 600 = 19.5 -> 20,
        #   net 280) given back at 00:30 on 1 January 2027 (23:30 UTC on 31 December).
        refunded=[(1, 1), (2, 1)],
        refund_total=750,
        # A: the usual, 12.50, at 04:30 on Fri 1 January 2027 (03:30 UTC): business day
        #   31 December (5 am cutoff). 19 %: 798/152/950; 7 %: 280/20/300.
        after=(4, 30),
        after_lines=cafe.usual(),
        after_total=1_250,
    )
    q4 = period("quarter", "2026-Q4", "2026-10-01", "2026-12-31")
    q1 = period("quarter", "2027-Q1", "2027-01-01", "2027-03-31")
    none_19, none_7 = rate("19.000", 0, 0, 0), rate("7.000", 0, 0, 0)
    refund_19, refund_7 = rate("19.000", 378, 72, 450), rate("7.000", 280, 20, 300)
    # Soll and Ist agree, as at the end of September (above): each payment's share of C on its
    # own date. (The whole of C in 2026 by its first payment, the Australian rule, would
    # give 2026-Q4 19 % 756/144/900, 7 % 1402/98/1500, totals 2158/242; 2027-Q1 19 %
    # 798/152/950 less R, 7 % 280/20/300 less R, totals 420/80.)
    #
    # 2026-Q4: H + B + C's first 5.25. 19 %: 378 + 189 = 567 | 72 + 36 = 108 | 450 + 225 =
    #   675. 7 %: 561 + 280 + 280 = 1121 | 39 + 20 + 20 = 79 | 600 + 300 + 300 = 1200.
    #   Totals: net 1688, VAT 187.
    old_year = [
        vat_rate("19.000", rate("19.000", 567, 108, 675), none_19),
        vat_rate("7.000", rate("7.000", 1_121, 79, 1_200), none_7),
    ]
    old_totals = (1_688, 187)
    # 2027-Q1: A + C's second 5.25, and R (§ 17). 19 %: 798 + 189 = 987 | 152 + 36 = 188 |
    #   950 + 225 = 1175, less 378/72/450: net 609, VAT 116. 7 %: 280 + 281 = 561 | 20 + 19
    #   = 39 | 300 + 300 = 600, less 280/20/300: net 281, VAT 19. Totals: net 890, VAT 135.
    #   (Sales VAT over both: 108 + 79 + 188 + 39 = 414 = H 72 + 39, B 20, C 72 + 39,
    #   A 152 + 20.)
    new_year = [
        vat_rate("19.000", rate("19.000", 987, 188, 1_175), refund_19),
        vat_rate("7.000", rate("7.000", 561, 39, 600), refund_7),
    ]
    new_totals = (890, 135)
    await assert_vat(cafe, reports_client, "2026-Q4", q4, basis, old_year, old_totals)
    await assert_vat(cafe, reports_client, "2027-Q1", q1, basis, new_year, new_totals)
    # The years: 2026 is its last quarter's, 2027 its first's.
    await assert_vat(
        cafe,
        reports_client,
        "2026",
        period("year", "2026", "2026-01-01", "2026-12-31"),
        basis,
        old_year,
        old_totals,
    )
    await assert_vat(
        cafe,
        reports_client,
        "2027",
        period("year", "2027", "2027-01-01", "2027-12-31"),
        basis,
        new_year,
        new_totals,
    )

    # Business day 31 December: B, C, R and A. 19 %: C 378/72/450 + A 798/152/950 =
    #   1176 | 224 | 1400. 7 %: B 280/20/300 + C 561/39/600 + A 280/20/300 = 1121 | 79 | 1200.
    #   R: 7.50 with 0.72 + 0.20 = 0.92 VAT.
    await assert_business_day(
        cafe,
        reports_client,
        date(2026, 12, 31),
        orders=3,
        tax=[rate("19.000", 1_176, 224, 1_400), rate("7.000", 1_121, 79, 1_200)],
        refunds=(1, 750, 92),
    )
    await assert_business_day(
        cafe, reports_client, date(2027, 1, 1), orders=0, tax=[], refunds=(0, 0, 0)
    )


# --- one business, two zones: Sydney and Perth on the night of 30 June 2026 -------------------


async def test_each_venue_of_a_business_starts_the_quarter_at_its_own_midnight(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    """A BAS covers every venue of the business, each by the calendar at the venue. Sydney
    (AEST, UTC+10) reaches 1 July two hours before Perth (AWST, UTC+8): a flat white sold in
    Sydney at 00:30 on 1 July (14:30 UTC on 30 June) is the September quarter's, and a bread
    roll sold in Perth an hour later, at 23:30 on 30 June (15:30 UTC), is still the June
    quarter's. Dating both by UTC, or by either venue's clock, would put them in the same
    quarter."""
    tenant = await provision("au")
    sydney = await offline_till(connect_as, token, orders_client, tenant, region="au")
    perth = await offline_till(
        connect_as, token, orders_client, tenant, region="au", menu=sydney.menu
    )
    assert perth.location_id != sydney.location_id
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET created_at = '2025-01-01T00:00:00Z'",
    )
    for till, zone in ((sydney, "Australia/Sydney"), (perth, "Australia/Perth")):
        await as_service(
            connect_as,
            "identity",
            tenant,
            "UPDATE identity.locations SET time_zone = $2, business_day_cutoff_hour = 3 "
            "WHERE id = $1",
            till.location_id,
            zone,
        )
    accountant = token(tenant, Role.ACCOUNTANT)
    sydney_log = Cafe(
        till=sydney, log=Log(sydney), zone=ZoneInfo("Australia/Sydney"), accountant=accountant
    )
    perth_log = Cafe(
        till=perth, log=Log(perth), zone=ZoneInfo("Australia/Perth"), accountant=accountant
    )
    june_30, july_1 = date(2026, 6, 30), date(2026, 7, 1)

    # Sydney: a flat white, 4.50, paid and invoiced at 00:29 / 00:30 on 1 July.
    #   GST 450 / 11 = 40.91 -> 41, net 409.
    sydney_log.open_shift(sydney_log.at(june_30, 22))
    sydney_log.sold_by_card(sydney_log.at(july_1, 0, 30), [sydney_log.line("flat white")], 450)
    sydney_log.close_shift(sydney_log.at(july_1, 0, 45), card=450)
    # Perth: a bread roll, 3.00 GST-free, paid and invoiced at 23:29 / 23:30 on 30 June.
    perth_log.open_shift(perth_log.at(june_30, 22))
    perth_log.sold_by_card(perth_log.at(june_30, 23, 30), [perth_log.line("bread roll")], 300)
    perth_log.close_shift(perth_log.at(june_30, 23, 45), card=300)
    await sydney_log.upload(orders_client)
    await perth_log.upload(orders_client)

    june = period("quarter", "2026-Q2", "2026-04-01", "2026-06-30")
    september = period("quarter", "2026-Q3", "2026-07-01", "2026-09-30")
    # June quarter: Perth's bread roll alone. G1 300, G3 300 (GST-free), G9 = 0 / 11 = 0.
    await assert_bas(
        sydney_log, reports_client, "2026-Q2", june, "accrual",
        bas_labels(g1=300, g3=300, g9=0, one_a=0), (0, 0), 0,
    )  # fmt: skip
    # September quarter: Sydney's flat white alone. G1 450, G3 0, G9 = 450 / 11 = 40.91 -> 41,
    #   1A 41 (its invoice's GST).
    await assert_bas(
        sydney_log, reports_client, "2026-Q3", september, "accrual",
        bas_labels(g1=450, g3=0, g9=41, one_a=41), (0, 0), 0,
    )  # fmt: skip
    # Both venues are listed on the BAS, and both sales are 30 June's business day.
    bas = await read(reports_client, accountant, "bas", period="2026-Q2")
    assert {location["id"] for location in bas["locations"]} == {
        str(sydney.location_id),
        str(perth.location_id),
    }
    for cafe in (sydney_log, perth_log):
        summary = await read(
            reports_client,
            accountant,
            "daily-summary",
            location_id=str(cafe.till.location_id),
            period="2026-06-30",
        )
        assert summary["totals"]["orders"] == 1
