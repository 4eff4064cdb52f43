"""tests/pos/books.py's checks, proven without a browser on data made through the API: a day
of a café with one till selling online (server-numbered receipts, a shift closed online) and
another that sold offline and uploaded its log afterwards (tests/support/offline.py: its
offline receipt series, a refund on the manager's word, a shift closed offline). The books
balance; then each check is shown to report what it exists to catch, on a business of its own
so the good day stays good:

- a sale doubled by a till that sent it again under new ids, and an operation refused;
- a hole in an offline series (receipts 1 and 3 uploaded, 2 never);
- a Z report issued before a late sale arrived (its first version) against the receipts;
- an audit log changed behind the service's back, and an export changed on its way.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from tests.fuzz.stack import FuzzStack
from tests.pos import books
from tests.pos.till_business import (
    OPENING_FLOAT_MINOR,
    OnlineTill,
    TillBusiness,
    offline_log,
    set_up_till_business,
    till_session,
)
from tests.support.offline import Log, upload

ONLINE_SALES = 3
OFFLINE_SALES = 5
SALE_MINOR = 1_300  # OnlineTill.usual()
OFFLINE_SALE_MINOR = 1_250  # Log.sale()


def refund_whole_sale(log: Log, order_id: uuid.UUID) -> None:
    """The three lines of Log.sale() given back in cash on the manager's word, with the next
    number of the till's offline series."""
    log.receipt_sequence += 1
    log.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(order_id),
            "shift_id": str(log.shift_id),
            "reason_code": "quality_issue",
            "lines": [{"line_number": n, "quantity": 1} for n in (1, 2, 3)],
            "receipt_sequence": log.receipt_sequence,
            "approved_by": str(log.till.manager),
            "approved_amount_minor": OFFLINE_SALE_MINOR,
            "client_total_minor": OFFLINE_SALE_MINOR,
        },
    )


async def upload_all(
    stack: FuzzStack, log: Log, operations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=60) as client:
        answer = await upload(client, log.till, operations)
    items: list[dict[str, Any]] = answer["items"]
    return items


def new_business(stack: tuple[FuzzStack, str]) -> TillBusiness:
    platform, public_url = stack
    name = f"Harbour Lane Café {uuid.uuid4().hex[:6]}"
    return platform.run(set_up_till_business(platform, public_url, name=name))


@dataclass(frozen=True)
class Day:
    online_receipts: list[dict[str, Any]]
    offline_register: int


@pytest.fixture(scope="module")
def day(stack: tuple[FuzzStack, str], till_business: TillBusiness) -> Day:
    """Till 1 sells online and closes its shift; till 2 sells offline, refunds a sale on the
    manager's word, closes its shift, and uploads it all at the end of the day."""
    platform, _ = stack

    async def trade() -> Day:
        front = await till_session(platform, till_business, name="Front counter")
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            online = OnlineTill(client, front, till_business)
            await online.open_shift()
            for _ in range(ONLINE_SALES):
                await online.sale()
            await online.close_shift(OPENING_FLOAT_MINOR + ONLINE_SALES * SALE_MINOR)

        back = await till_session(platform, till_business, name="Back counter")
        log = offline_log(till_business, back)
        log.open_shift()
        sold = [log.sale() for _ in range(OFFLINE_SALES)]
        refund_whole_sale(log, sold[1])
        log.close_shift(cash=OPENING_FLOAT_MINOR + (OFFLINE_SALES - 1) * OFFLINE_SALE_MINOR)
        items = await upload_all(platform, log, log.operations)
        assert {item["state"] for item in items} == {"applied"}, items
        return Day(online.receipts, back.register_number)

    return platform.run(trade())


def test_a_good_day_balances(
    stack: tuple[FuzzStack, str], till_business: TillBusiness, day: Day
) -> None:
    platform, _ = stack
    assert (
        books.sales_exactly_once(
            platform, till_business, sold=ONLINE_SALES + OFFLINE_SALES, refunded=1
        )
        == []
    )
    assert books.receipt_numbers_gapless(platform, till_business) == []
    assert books.z_reports_match_receipts(platform, till_business) == []
    assert books.audit_chain_verifies(platform, till_business) == []
    books.assert_books_balance(
        platform, till_business, sold=ONLINE_SALES + OFFLINE_SALES, refunded=1
    )


def test_the_good_day_is_what_the_checks_looked_at(
    stack: tuple[FuzzStack, str], till_business: TillBusiness, day: Day
) -> None:
    """The checks passed on the day as it was: both series, both shifts, the refund."""
    platform, _ = stack
    read = books.read_books(platform, till_business)
    numbers = sorted(receipt["number"] for receipt in read.receipts)
    online = day.online_receipts[0]["number"].split("-")[0]
    offline = f"R{day.offline_register}-O"
    assert numbers == sorted(
        [f"{online}-{n:06d}" for n in range(1, ONLINE_SALES + 1)]
        + [f"{offline}-{n:06d}" for n in range(1, OFFLINE_SALES + 2)]
    )
    assert len(read.closed_shifts) == 2
    z_offline = next(
        z for z in read.z_reports.values() if z["register_number"] == day.offline_register
    )
    assert z_offline["order_count"] == OFFLINE_SALES
    assert z_offline["refunds"]["amount_minor"] == OFFLINE_SALE_MINOR
    assert z_offline["difference"]["cash"] == 0
    assert len(read.operations) == 1 + OFFLINE_SALES * 3 + 1 + 1


def test_a_sale_sent_twice_under_new_ids_and_a_refused_operation_are_reported(
    stack: tuple[FuzzStack, str],
) -> None:
    platform, _ = stack
    business = new_business(stack)

    async def trade() -> None:
        till = await till_session(platform, business)
        log = offline_log(business, till)
        log.open_shift()
        log.sale()
        # The till lost track and rang the same sale up again under new ids: to the server
        # it is a second sale, which only the count of what was sold can catch.
        log.sale()
        # And it sent an order again with an id already used: the server keeps it, refused.
        created = log.operations[1]
        log.record("order.create", created["data"])
        items = await upload_all(platform, log, log.operations)
        assert items[-1]["state"] != "applied", items[-1]

    platform.run(trade())
    problems = books.sales_exactly_once(platform, business, sold=1)
    assert "2 sales have receipts; the scenario sold 1" in problems, problems
    refused = [p for p in problems if p.startswith("operation 8 (order.create)")]
    assert len(refused) == 1, problems
    assert refused[0].endswith("is rejected: order-id-conflict"), refused


def test_a_hole_in_an_offline_series_is_reported(stack: tuple[FuzzStack, str]) -> None:
    platform, _ = stack
    business = new_business(stack)

    async def trade() -> int:
        till = await till_session(platform, business)
        log = offline_log(business, till)
        log.open_shift()
        log.sale()  # R<n>-O-000001
        log.receipt_sequence += 1  # 2 is never uploaded
        log.sale()  # R<n>-O-000003
        items = await upload_all(platform, log, log.operations)
        assert {item["state"] for item in items} == {"applied"}, items
        return till.register_number

    register = platform.run(trade())
    problems = books.receipt_numbers_gapless(platform, business)
    assert problems == [f"R{register}-O: 2 missing"]


def test_numbering_reports_a_number_twice_and_a_register_under_two_names() -> None:
    """What the server's unique constraints make impossible to produce through the API,
    checked on receipts as read."""

    def receipt(register_id: str, number: str) -> dict[str, Any]:
        series = "O" if "-O-" in number else ""
        return {
            "number": number,
            "register_id": register_id,
            "series": series,
            "sequence": int(number[-6:]),
        }

    problems = books.numbering_problems(
        [
            receipt("a", "R1-000001"),
            receipt("a", "R1-000001"),
            receipt("a", "R1-000002"),
            receipt("b", "R1-O-000001"),
            receipt("a", "R1-000005"),
        ]
    )
    assert "R1: [1] issued more than once" in problems
    assert "R1: 3-4 missing" in problems
    assert "R1 is the number of 2 registers" in problems


def test_a_z_report_without_a_late_sale_does_not_match_the_receipts(
    stack: tuple[FuzzStack, str],
) -> None:
    """A sale the till recorded in its shift reaches the server after the shift was closed:
    the Z report is issued again with it. The latest version matches the receipts; the first,
    issued without the sale, is reported."""
    platform, _ = stack
    business = new_business(stack)

    async def trade() -> str:
        till = await till_session(platform, business)
        log = offline_log(business, till)
        shift_id = log.open_shift()
        log.sale()
        log.close_shift(cash=OPENING_FLOAT_MINOR + OFFLINE_SALE_MINOR)
        first = await upload_all(platform, log, log.operations)
        assert {item["state"] for item in first} == {"applied"}, first
        uploaded = len(log.operations)
        log.sale()  # in the same shift, arriving after its close
        late = await upload_all(platform, log, log.operations[uploaded:])
        assert {item["state"] for item in late} == {"applied"}, late
        return str(shift_id)

    shift_id = platform.run(trade())
    assert books.z_reports_match_receipts(platform, business) == []
    versions = httpx.get(
        f"{platform.gateway}/v1/shifts/{shift_id}/z-reports", auth=business.owner, timeout=30
    )
    assert versions.status_code == 200, versions.text
    first = next(issue["report"] for issue in versions.json() if issue["version"] == 1)
    assert first["version"] == 1
    receipts = books.read_books(platform, business).receipts
    problems = books.z_report_problems(first, receipts)
    name = f"shift {shift_id} (R{first['register_number']}, Z version 1)"
    assert f"{name}: order_count is 1, its receipts say 2" in problems, problems
    assert any(p.startswith(f"{name}: payments.cash is") for p in problems), problems


def test_a_changed_audit_log_and_a_changed_export_are_reported(
    stack: tuple[FuzzStack, str],
) -> None:
    platform, _ = stack
    business = new_business(stack)

    async def trade() -> None:
        till = await till_session(platform, business)
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            online = OnlineTill(client, till, business)
            await online.open_shift()
            await online.sale()

    platform.run(trade())
    assert books.audit_chain_verifies(platform, business) == []

    # An export changed on its way to the auditor: a sale's total in one entry.
    with httpx.Client(base_url=platform.gateway, timeout=30) as client:
        lines = client.get("/v1/audit/export", auth=business.owner).content.splitlines()
        key = client.get("/v1/audit/public-key", auth=business.owner).json()["verifier_key"]
        kept = client.get("/v1/audit/checkpoints", auth=business.owner).text
    closed = next(i for i, line in enumerate(lines) if b'"order.closed"' in line)
    entry = json.loads(lines[closed])
    entry["payload"]["changed_by"] = "someone"
    lines[closed] = json.dumps(entry, separators=(",", ":")).encode()
    problems = books.export_problems(lines, key, kept)
    assert len(problems) == 1 and f"seq {entry['seq']}" in problems[0], problems

    # The log itself changed behind the service's back (a superuser, triggers off).
    async def tamper() -> None:
        admin = await asyncpg.connect(platform.database.admin_url)
        try:
            if not await admin.fetchval(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ):
                pytest.skip("changing the log needs a superuser connection")
            async with admin.transaction():
                await admin.execute("SET LOCAL session_replication_role = replica")
                changed = await admin.execute(
                    "UPDATE audit.events SET payload = payload || '{\"total_minor\": 1}'"
                    " WHERE tenant_id = $1 AND seq = $2",
                    business.tenant,
                    entry["seq"],
                )
                assert changed == "UPDATE 1"
        finally:
            await admin.close()

    asyncio.run(tamper())
    problems = books.audit_chain_verifies(platform, business)
    assert any(p.startswith("/v1/audit/verify: the chain breaks") for p in problems), problems
    assert any(p.startswith("tools/verify_audit.py: FAIL") for p in problems), problems
