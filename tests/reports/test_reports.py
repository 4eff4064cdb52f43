"""The reports service against a real Postgres: tenant isolation, period closures in the
audit chain, and the reports through the gateway with an accountant's session.

Sales are made the way a till makes them offline (tests/support/offline.py): uploaded through the
orders service's sync with the device times they happened at, so they land on chosen
business days. The hand-worked figures of each report are in tests/reports/test_reports_examples.py
and tests/reports/test_report_aggregate.py.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import rfc8785

from clients.dpop import DeviceKey
from libs.rbac import Role
from libs.sales.business_days import BusinessCalendar
from tests.conftest import LiveStack
from tests.support.database import Connect, Provision, as_service, as_tenant
from tests.support.offline import (
    Log,
    OfflineTill,
    allow_offline_approvals,
    offline_till,
    upload,
)
from tests.support.tokens import TokenFactory

# Friday 2026-11-20 and Saturday 2026-11-21 in Sydney (AEDT, +11), 12:00 local.
FRIDAY_NOON = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
SATURDAY_NOON = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


async def _till(
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    tenant: uuid.UUID,
    region: str = "au",
) -> OfflineTill:
    till = await offline_till(connect_as, token, orders_client, tenant, region=region)
    # On the roster long before the sales below.
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET created_at = '2025-01-01T00:00:00Z'",
    )
    return till


_LOGS: dict[uuid.UUID, Log] = {}


async def _day_of_sales(
    orders_client: httpx.AsyncClient,
    till: OfflineTill,
    start: datetime,
    sales: int,
    counted_cash: int | None = None,
) -> uuid.UUID:
    """A shift from `start` with `sales` café sales (1250 each, cash), closed and counted;
    the till's log continues its sequence and receipt numbers from its earlier days."""
    log = _LOGS.setdefault(till.device_id, Log(till))
    before = len(log.operations)
    log.start = start - log.step * before  # the next operation happens at `start`
    shift_id = log.open_shift()
    for _ in range(sales):
        log.sale()
    log.close_shift(cash=counted_cash if counted_cash is not None else 20_000 + 1_250 * sales)
    answer = await upload(orders_client, till, log.operations[before:])
    assert {item["status"] for item in answer["items"]} == {"accepted"}, answer
    return shift_id


def _location(till: OfflineTill, **params: str) -> dict[str, str]:
    return {"location_id": str(till.location_id), **params}


# ---------------------------------------------------------------------------------------------
# Isolation: another business's sales never reach a report, not even by its location id.


async def test_reports_see_only_the_callers_business(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    tenant_a, tenant_b = await provision("au"), await provision("au")
    till_a = await _till(connect_as, token, orders_client, tenant_a)
    till_b = await _till(connect_as, token, orders_client, tenant_b)
    await _day_of_sales(orders_client, till_a, SATURDAY_NOON, 1)
    await _day_of_sales(orders_client, till_b, SATURDAY_NOON, 3)
    accountant_a = token(tenant_a, Role.ACCOUNTANT)

    summary = await reports_client.get(
        "/v1/reports/daily-summary",
        params=_location(till_a, period="2026-11-21"),
        auth=accountant_a,
    )
    assert summary.status_code == 200, summary.text
    assert summary.json()["totals"]["orders"] == 1
    bas = await reports_client.get(
        "/v1/reports/bas", params={"period": "2026-11"}, auth=accountant_a
    )
    assert bas.json()["labels"][0] == {
        "label": "G1",
        "description": "Total sales (including any GST)",
        "amount_minor": 1_250,
        "whole_dollars": 12,
    }
    assert [location["id"] for location in bas.json()["locations"]] == [str(till_a.location_id)]

    # B's location is not found for A (never "forbidden": that would confirm it exists).
    for path in ("daily-summary", "item-mix", "reconciliation", "daily-summary/export"):
        other = await reports_client.get(
            f"/v1/reports/{path}",
            params=_location(till_b, period="2026-11-21"),
            auth=accountant_a,
        )
        assert other.status_code == 404, other.text
        assert other.json()["code"] == "location-not-found"
    closing = await reports_client.post(
        "/v1/reports/closures",
        json={"location_id": str(till_b.location_id), "kind": "day", "period": "2026-11-21"},
        auth=accountant_a,
    )
    assert closing.status_code == 404


async def test_the_reports_role_reads_one_tenant_and_writes_only_closures(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    tenant_a, tenant_b = await provision("au"), await provision("au")
    for tenant in (tenant_a, tenant_b):
        await _day_of_sales(
            orders_client, await _till(connect_as, token, orders_client, tenant), FRIDAY_NOON, 1
        )
    reports = await connect_as("reports")
    async with as_tenant(reports, tenant_a):
        tenants = await reports.fetch("SELECT DISTINCT tenant_id FROM orders.orders")
        assert [row["tenant_id"] for row in tenants] == [tenant_a]
    for statement in (
        "UPDATE orders.orders SET total_minor = 0",
        "DELETE FROM orders.payments",
        "INSERT INTO orders.menu_categories (id, name) VALUES (gen_random_uuid(), 'x')",
        "SELECT * FROM orders.idempotency_keys",
        "SELECT * FROM identity.staff",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            async with as_tenant(reports, tenant_a):
                await reports.execute(statement)


# ---------------------------------------------------------------------------------------------
# Period closures.


def _digest(totals: dict[str, Any]) -> str:
    return hashlib.sha256(rfc8785.dumps(totals)).hexdigest()


async def test_a_closed_day_is_hashed_into_the_audit_chain_and_a_late_sale_recloses_it(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
    audit_client: httpx.AsyncClient,
) -> None:
    tenant = await provision("au")
    till = await _till(connect_as, token, orders_client, tenant)
    await _day_of_sales(orders_client, till, FRIDAY_NOON, 2)
    await _day_of_sales(orders_client, till, SATURDAY_NOON, 1)
    accountant = token(tenant, Role.ACCOUNTANT)

    async def close(period: str) -> httpx.Response:
        return await reports_client.post(
            "/v1/reports/closures",
            json={"location_id": str(till.location_id), "kind": "day", "period": period},
            auth=accountant,
        )

    friday = await close("2026-11-20")
    assert friday.status_code == 201, friday.text
    closed = friday.json()
    assert (closed["version"], closed["reason"], closed["previous_id"]) == (1, "close", None)
    assert closed["totals"]["orders"] == 2
    assert closed["totals"]["sales_including_tax_minor"] == 2_500
    # The first closure's running totals are everything up to it.
    assert closed["cumulative"] == closed["totals"]
    assert closed["totals_sha256"] == _digest(closed["totals"])
    assert closed["cumulative_sha256"] == _digest(closed["cumulative"])

    # The digests are in the audit chain, in an entry of the reports service.
    events = await audit_client.get(
        "/v1/audit/events", params={"resource_type": "period_closure"}, auth=accountant
    )
    assert events.status_code == 200, events.text
    (entry,) = [e for e in events.json()["items"] if e["resource_id"] == closed["id"]]
    assert entry["action"] == "period.closed"
    assert entry["payload"]["totals_sha256"] == closed["totals_sha256"]
    assert entry["payload"]["cumulative_sha256"] == closed["cumulative_sha256"]
    assert entry["payload"]["audit_through_seq"] == closed["audit_through_seq"]
    assert entry["seq"] == closed["audit_through_seq"] + 1

    # Closing again with the same figures answers the same closure.
    again = await close("2026-11-20")
    assert (again.status_code, again.json()["id"]) == (200, closed["id"])

    # Saturday continues Friday's running totals.
    saturday = await close("2026-11-21")
    assert saturday.status_code == 201
    assert saturday.json()["previous_id"] == closed["id"]
    assert saturday.json()["totals"]["orders"] == 1
    assert saturday.json()["cumulative"]["orders"] == 3
    assert saturday.json()["cumulative"]["sales_including_tax_minor"] == 3_750

    # A sale made offline on Friday afternoon reaches the server after the close: Friday is
    # closed again as version 2, with the sale; version 1 stays as it was.
    await _day_of_sales(orders_client, till, FRIDAY_NOON + timedelta(hours=3), 1)
    reclosed = await close("2026-11-20")
    assert reclosed.status_code == 201
    assert (reclosed.json()["version"], reclosed.json()["reason"]) == (2, "late-arrival")
    assert reclosed.json()["totals"]["orders"] == 3
    listed = await reports_client.get(
        "/v1/reports/closures", params={"location_id": str(till.location_id)}, auth=accountant
    )
    versions = [(c["period"]["label"], c["version"]) for c in listed.json()["items"]]
    assert versions == [("2026-11-21", 1), ("2026-11-20", 2), ("2026-11-20", 1)]

    # A day that has not ended cannot be closed; a closure is never changed.
    today = BusinessCalendar.of("Australia/Sydney", 3).day_of(datetime.now(UTC))
    not_yet = await close(today.isoformat())
    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "period-not-ended")
    reports = await connect_as("reports")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with as_tenant(reports, tenant):
            await reports.execute("UPDATE reports.period_closures SET reason = 'close'")

    # The chain still verifies with the reports service's entries in it.
    verified = await audit_client.get("/v1/audit/verify", auth=accountant)
    assert verified.status_code == 200, verified.text
    assert (verified.json()["valid"], verified.json()["first_break"]) == (True, None)


async def test_a_cashier_cannot_close_or_read_and_a_month_is_closed_as_a_month(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    tenant = await provision("au")
    till = await _till(connect_as, token, orders_client, tenant)
    body = {"location_id": str(till.location_id), "kind": "month", "period": "2026-10"}
    refused = await reports_client.post("/v1/reports/closures", json=body, auth=till.auth)
    assert refused.status_code == 403
    owner = token(tenant, Role.OWNER)
    wrong_kind = await reports_client.post(
        "/v1/reports/closures", json={**body, "period": "2026-10-01"}, auth=owner
    )
    assert (wrong_kind.status_code, wrong_kind.json()["code"]) == (422, "invalid-period")
    month = await reports_client.post("/v1/reports/closures", json=body, auth=owner)
    assert month.status_code == 201, month.text
    assert month.json()["period"] == {
        "kind": "month",
        "label": "2026-10",
        "first_day": "2026-10-01",
        "last_day": "2026-10-31",
    }


# ---------------------------------------------------------------------------------------------
# Through the gateway, as the back office and an accountant's tools call it.


async def _gateway_session(
    token: TokenFactory, tenant: uuid.UUID, role: Role = Role.ACCOUNTANT
) -> Any:
    return token(tenant, role, key=DeviceKey.generate())


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


async def test_an_accountant_gets_every_report_through_the_gateway_as_json_csv_and_bundle(
    live_stack: LiveStack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    au, eu = await provision("au"), await provision("eu")
    au_till = await _till(connect_as, token, orders_client, au)
    eu_till = await _till(connect_as, token, orders_client, eu, region="eu")
    shift_id = await _day_of_sales(orders_client, au_till, SATURDAY_NOON, 2, counted_cash=22_350)
    await _day_of_sales(orders_client, eu_till, SATURDAY_NOON, 1)
    au_accountant = await _gateway_session(token, au)
    eu_accountant = await _gateway_session(token, eu)
    saturday = _location(au_till, period="2026-11-21")

    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        # Integrators find the reports in the merged OpenAPI document.
        spec = (await gateway.get("/openapi.json")).json()
        assert spec["paths"]["/v1/reports/bas"]["get"]["x-permission"] == "reports:read"
        for path, params, auth in (
            ("daily-summary", saturday, au_accountant),
            ("item-mix", saturday, au_accountant),
            ("reconciliation", saturday, au_accountant),
            ("bas", {"period": "2026-Q4"}, au_accountant),
            ("vat-summary", {"period": "2026-Q4"}, eu_accountant),
        ):
            answer = await gateway.get(f"/v1/reports/{path}", params=params, auth=auth)
            assert answer.status_code == 200, (path, answer.text)
            as_csv = await gateway.get(
                f"/v1/reports/{path}", params={**params, "format": "csv"}, auth=auth
            )
            assert as_csv.headers["content-type"].startswith("text/csv")
            bundle = await gateway.get(f"/v1/reports/{path}/export", params=params, auth=auth)
            assert bundle.headers["content-type"] == "application/zip"
            with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
                files = {name: archive.read(name) for name in archive.namelist()}
            assert set(files) == {f"{path}.json", f"{path}.csv", "manifest.json"}
            # The same numbers three ways: the answer, its CSV, and the filed bundle.
            assert json.loads(files[f"{path}.json"]) == answer.json()
            assert files[f"{path}.csv"] == as_csv.content
            manifest = json.loads(files["manifest.json"])
            assert manifest["audit"] == answer.json()["audit"]
            for entry in manifest["files"]:
                content = files[entry["name"]]
                assert entry["sha256"] == hashlib.sha256(content).hexdigest()
                assert entry["bytes"] == len(content)
                assert entry["rows"] == len(_csv(files[f"{path}.csv"]))

            # A cashier is refused at the gateway, before the service.
            refused = await gateway.get(f"/v1/reports/{path}", params=params, auth=au_till.auth)
            assert refused.status_code == 403

        summary = (
            await gateway.get("/v1/reports/daily-summary", params=saturday, auth=au_accountant)
        ).json()
        rows = _csv(
            (
                await gateway.get(
                    "/v1/reports/daily-summary",
                    params={**saturday, "format": "csv"},
                    auth=au_accountant,
                )
            ).content
        )
        assert [row["day"] for row in rows] == ["2026-11-21", "total"]
        for row, figures in ((rows[0], summary["days"][0]), (rows[1], summary["totals"])):
            assert int(row["orders"]) == figures["orders"] == 2
            assert int(row["sales_including_tax_minor"]) == figures["sales_including_tax_minor"]
            assert int(row["tax_10_tax_minor"]) == figures["tax"][0]["tax_minor"]
            assert int(row["cash_paid_minor"]) == figures["payments"][0]["paid_minor"] == 2_500

        # The Z report of the shift, and its reconciliation: 150 short on cash.
        z = await gateway.get(f"/v1/reports/shifts/{shift_id}", auth=au_accountant)
        assert z.status_code == 200, z.text
        assert (z.json()["kind"], z.json()["difference"]["cash"]) == ("Z", -150)
        reconciliation = (
            await gateway.get("/v1/reports/reconciliation", params=saturday, auth=au_accountant)
        ).json()
        (shift,) = reconciliation["shifts"]
        assert shift["tenders"][0] == {
            "tender": "cash",
            "expected_minor": 22_500,
            "counted_minor": 22_350,
            "difference_minor": -150,
        }

        # Each tax system gets its own report.
        wrong = await gateway.get(
            "/v1/reports/bas", params={"period": "2026-Q4"}, auth=eu_accountant
        )
        assert (wrong.status_code, wrong.json()["code"]) == (409, "report-not-applicable")
        vat = (
            await gateway.get(
                "/v1/reports/vat-summary", params={"period": "2026-Q4"}, auth=eu_accountant
            )
        ).json()
        assert [row["rate"] for row in vat["rates"]] == ["19.000", "7.000"]


# ---------------------------------------------------------------------------------------------
# A refund-only shift: the terminal's batch settles negative, and the books say so.


def _refund_whole_order(log: Log, till: OfflineTill, order_id: uuid.UUID, card: uuid.UUID) -> None:
    """The café's usual (3 lines, 1250) refunded in full to the card it was paid with."""
    log.receipt_sequence += 1
    log.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(order_id),
            "shift_id": str(log.shift_id),
            "reason_code": "quality_issue",
            "lines": [{"line_number": n, "quantity": 1} for n in (1, 2, 3)],
            "tenders": [{"payment_id": str(card), "amount_minor": 1_250}],
            "receipt_sequence": log.receipt_sequence,
            "approved_by": str(till.manager),
            "client_total_minor": 1_250,
        },
    )


async def test_a_refund_only_shift_settles_negative_and_reconciles_to_the_cent(
    live_stack: LiveStack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    """Worked by hand (AUD, GST 1/11 of a GST-inclusive price):

    Friday 20 Nov: two café orders of 1250 (coffee 450 + coffee with oat milk 500, GST
    950/11 = 86.4 -> 86; bread roll 300, GST-free), paid by card; the terminal's batch is 2500,
    counted 2500; the drawer holds its 200.00 float.

    Saturday 21 Nov: no sales; Friday's first order refunded in full to its card: 1250,
    GST 86. Expected card = card taken 0 - card refunded 1250 = -1250; the terminal's batch
    settles -1250 (it paid money back), counted -1250: difference -1250 - (-1250) = 0, not
    "over". Cash: float 20000 expected and counted, difference 0.

    Sunday 22 Nov: the same with Friday's second order, but the batch is keyed as -1200:
    difference -1200 - (-1250) = +50, over by 50c.
    """
    tenant = await provision("au")
    till = await _till(connect_as, token, orders_client, tenant)
    await allow_offline_approvals(orders_client, token, till, 2_000)
    accountant = await _gateway_session(token, tenant)
    log = Log(till)

    log.start = FRIDAY_NOON
    log.open_shift()
    sold = []
    for _ in range(2):
        order_id = log.order()
        card = log.pay_card(order_id, 1_250)
        log.close(order_id, client_total_minor=1_250)
        sold.append((order_id, card))
    log.close_shift(cash=20_000, card=2_500)

    refund_shifts = []
    for noon, (order_id, card), counted_card in (
        (SATURDAY_NOON, sold[0], -1_250),
        (SATURDAY_NOON + timedelta(days=1), sold[1], -1_200),
    ):
        log.start = noon - log.step * len(log.operations)
        refund_shifts.append(log.open_shift())
        _refund_whole_order(log, till, order_id, card)
        log.close_shift(cash=20_000, card=counted_card)

    answer = await upload(orders_client, till, log.operations)
    assert {item["state"] for item in answer["items"]} == {"applied"}, answer

    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        for shift_id, day, counted, difference in (
            (refund_shifts[0], "2026-11-21", -1_250, 0),
            (refund_shifts[1], "2026-11-22", -1_200, 50),
        ):
            z = (await gateway.get(f"/v1/reports/shifts/{shift_id}", auth=accountant)).json()
            assert z["kind"] == "Z"
            assert z["order_count"] == 0
            assert (z["refunds"]["amount_minor"], z["refunds"]["tax_minor"]) == (1_250, 86)
            assert z["refunds"]["by_tender"] == {"cash": 0, "card": 1_250}
            assert z["expected"] == {"cash": 20_000, "card": -1_250}
            assert z["counted"] == {"cash": 20_000, "card": counted}
            assert z["difference"] == {"cash": 0, "card": difference}

            reconciliation = (
                await gateway.get(
                    "/v1/reports/reconciliation",
                    params=_location(till, period=day),
                    auth=accountant,
                )
            ).json()
            (shift,) = reconciliation["shifts"]
            assert shift["shift_id"] == str(shift_id)
            card_row = {
                "tender": "card",
                "expected_minor": -1_250,
                "counted_minor": counted,
                "difference_minor": difference,
            }
            assert shift["tenders"][1] == card_row
            assert reconciliation["totals"][1] == card_row
            assert reconciliation["totals"][0]["difference_minor"] == 0
