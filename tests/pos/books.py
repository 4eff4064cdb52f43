"""The checks after a till's scenario, made through the API only, as an owner or an auditor
could make them (issue 26, "Done means"):

1. **Every sale exactly once** (`sales_exactly_once`): each order has at most one sale
   receipt, no receipt number is issued twice, every operation a till uploaded was applied
   (none refused, none still waiting: nothing lost), every applied close has its receipt, and
   the number of sales (and refunds) is what the scenario rang up (nothing doubled).
2. **Receipt numbers gapless per register and series** (`receipt_numbers_gapless`): the
   server's series `R<n>-000001`, ... and each till's offline series `R<n>-O-000001`, ...
   run from 1 without a hole, every number naming its own register and series.
3. **Each closed shift's Z report equals its receipts** (`z_reports_match_receipts`): its
   counts, gross, discounts, tax, payments per tender and refunds are the sums of the sale and
   refund receipts of that shift, and its expected drawer follows from them.
4. **The business's audit chain verifies** (`audit_chain_verifies`): `GET /v1/audit/verify`
   says so, and so does the standalone verifier (tools/verify_audit.py) on
   `GET /v1/audit/export`, with a checkpoint signed now.

Each check returns what it found wrong, as sentences (empty: the books are right), so a test
can assert that a broken case is reported as well as that a good one is not;
`assert_books_balance` runs them all. The pure parts (`sale_problems`, `numbering_problems`,
`z_report_problems`) take what was read, for the cases the API cannot be made to produce.
tests/pos/test_books.py proves each one without a browser.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.fuzz.stack import FuzzStack
from tests.pos.till_business import TillBusiness
from tests.support.http import all_pages
from tools import verify_audit

RECEIPT_NUMBER = re.compile(
    r"^R(?P<register>[1-9][0-9]*)-(?:(?P<series>O)-)?(?P<sequence>[0-9]{6,})$"
)
SALE_KINDS = ("order.close",)


@dataclass(frozen=True)
class Books:
    """What the API says the business did."""

    receipts: list[dict[str, Any]]  # GET /v1/receipts, every page
    operations: list[dict[str, Any]]  # GET /v1/sync/operations, every page
    closed_shifts: list[dict[str, Any]]  # GET /v1/shifts?status=closed
    z_reports: dict[str, dict[str, Any]]  # GET /v1/shifts/{id}/z-report, by shift id


def read_books(stack: FuzzStack, business: TillBusiness) -> Books:
    with httpx.Client(base_url=stack.gateway, timeout=60) as client:
        owner = business.owner
        receipts = all_pages(client, "/v1/receipts", owner)
        operations = all_pages(client, "/v1/sync/operations", owner)
        closed = all_pages(client, "/v1/shifts", owner, status="closed")
        z_reports = {}
        for shift in closed:
            answer = client.get(f"/v1/shifts/{shift['id']}/z-report", auth=owner)
            assert answer.status_code == 200, answer.text
            z_reports[shift["id"]] = answer.json()
    return Books(receipts, operations, closed, z_reports)


# --- 1. every sale exactly once --------------------------------------------------------------


def sales_exactly_once(
    stack: FuzzStack, business: TillBusiness, *, sold: int, refunded: int | None = None
) -> list[str]:
    """`sold`: the sales the scenario closed (each with a receipt); `refunded`: its refunds
    (None: not counted)."""
    books = read_books(stack, business)
    return sale_problems(books.receipts, books.operations, sold=sold, refunded=refunded)


def sale_problems(
    receipts: list[dict[str, Any]],
    operations: list[dict[str, Any]],
    *,
    sold: int,
    refunded: int | None = None,
) -> list[str]:
    problems: list[str] = []
    sales = [receipt for receipt in receipts if receipt["kind"] == "sale"]
    refunds = [receipt for receipt in receipts if receipt["kind"] == "refund"]

    for order_id, count in Counter(receipt["order_id"] for receipt in sales).items():
        if count > 1:
            problems.append(f"order {order_id} has {count} sale receipts")
    for number, count in Counter(receipt["number"] for receipt in receipts).items():
        if count > 1:
            problems.append(f"receipt {number} was issued {count} times")
    for refund_id, count in Counter(receipt["refund_id"] for receipt in refunds).items():
        if count > 1:
            problems.append(f"refund {refund_id} has {count} receipts")

    for operation_id, count in Counter(op["id"] for op in operations).items():
        if count > 1:
            problems.append(f"operation {operation_id} is stored {count} times")
    for op in operations:
        if op["status"] != "applied":
            result = op.get("result") or {}
            outcome = result.get("code") or result.get("problem") or result or "no outcome"
            problems.append(
                f"operation {op['sequence']} ({op['kind']}) of device {op['device_id']} is "
                f"{op['status']}: {outcome}"
            )
    created = Counter(
        op["content"]["data"]["order_id"]
        for op in operations
        if op["status"] == "applied" and op["kind"] == "order.create"
    )
    for order_id, count in created.items():
        if count > 1:
            problems.append(f"order {order_id} was created by {count} operations")
    receipted = {receipt["order_id"] for receipt in sales}
    for op in operations:
        if op["status"] == "applied" and op["kind"] in SALE_KINDS:
            order_id = op["content"]["data"]["order_id"]
            if order_id not in receipted:
                problems.append(f"order {order_id} was closed offline but has no receipt")
    by_operation = {op["id"]: op for op in operations}
    for receipt in receipts:
        stamp = receipt["snapshot"].get("offline")
        if stamp is not None and stamp["operation_id"] not in by_operation:
            problems.append(
                f"receipt {receipt['number']} names operation {stamp['operation_id']}, "
                "which the operation log does not have"
            )

    if len(sales) != sold:
        problems.append(f"{len(sales)} sales have receipts; the scenario sold {sold}")
    if refunded is not None and len(refunds) != refunded:
        problems.append(f"{len(refunds)} refunds have receipts; the scenario refunded {refunded}")
    return problems


# --- 2. receipt numbers gapless per register and series ---------------------------------------


def receipt_numbers_gapless(stack: FuzzStack, business: TillBusiness) -> list[str]:
    return numbering_problems(read_books(stack, business).receipts)


def numbering_problems(receipts: Iterable[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    sequences: dict[tuple[str, str], list[int]] = defaultdict(list)
    register_numbers: dict[str, set[str]] = defaultdict(set)
    for receipt in receipts:
        number = receipt["number"]
        parsed = RECEIPT_NUMBER.match(number)
        if parsed is None:
            problems.append(f"receipt {number} is not a receipt number")
            continue
        series = parsed["series"] or ""
        if series != receipt["series"]:
            problems.append(f"receipt {number} is in series {receipt['series']!r}")
        if int(parsed["sequence"]) != receipt["sequence"]:
            problems.append(f"receipt {number} has sequence {receipt['sequence']}")
        register_numbers[receipt["register_id"]].add(parsed["register"])
        sequences[(receipt["register_id"], series)].append(receipt["sequence"])

    for register_id, numbers in register_numbers.items():
        if len(numbers) > 1:
            problems.append(f"register {register_id} prints as {sorted(numbers)}")
    owners: dict[str, list[str]] = defaultdict(list)
    for register_id, numbers in register_numbers.items():
        for number in numbers:
            owners[number].append(register_id)
    for number, registers in owners.items():
        if len(registers) > 1:
            problems.append(f"R{number} is the number of {len(registers)} registers")

    for (register_id, series), found in sorted(sequences.items()):
        name = f"R{min(register_numbers[register_id])}{'-O' if series else ''}"
        issued = Counter(found)
        twice = sorted(sequence for sequence, count in issued.items() if count > 1)
        if twice:
            problems.append(f"{name}: {twice} issued more than once")
        missing = sorted(set(range(1, max(found) + 1)) - issued.keys())
        if missing:
            problems.append(f"{name}: {_ranges(missing)} missing")
    return problems


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] as "2-4, 7"."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


# --- 3. each closed shift's Z report equals its receipts ----------------------------------------


def z_reports_match_receipts(stack: FuzzStack, business: TillBusiness) -> list[str]:
    """Every closed shift's latest Z report against the receipts of that shift."""
    books = read_books(stack, business)
    problems: list[str] = []
    for shift in books.closed_shifts:
        problems.extend(z_report_problems(books.z_reports[shift["id"]], books.receipts))
    return problems


def z_report_problems(z_report: dict[str, Any], receipts: Iterable[dict[str, Any]]) -> list[str]:
    """What in `z_report` is not the sum of the shift's receipts (sales: the receipts issued
    when its orders closed; refunds: those issued at its drawer)."""
    shift_id = z_report["shift_id"]
    name = f"shift {shift_id} (R{z_report['register_number']}, Z version {z_report['version']})"
    mine = [receipt for receipt in receipts if receipt["shift_id"] == shift_id]
    sales = [receipt["snapshot"] for receipt in mine if receipt["kind"] == "sale"]
    refunds = [receipt["snapshot"] for receipt in mine if receipt["kind"] == "refund"]

    def paid(tender: str) -> tuple[int, int]:
        taken = [p["amount_minor"] for s in sales for p in s["payments"] if p["tender"] == tender]
        return len(taken), sum(taken)

    def given_back(tender: str) -> int:
        return sum(
            t["amount_minor"] for r in refunds for t in r["tenders"] if t["tender"] == tender
        )

    cash_count, cash = paid("cash")
    card_count, card = paid("card")
    subtotal = sum(s["subtotal_minor"] for s in sales)
    discount = sum(s["discount_minor"] for s in sales)
    service = sum(s["service_charge_minor"] for s in sales)
    expected_cash = (
        z_report["opening_float_minor"]
        + cash
        - given_back("cash")
        + z_report["paid_in_minor"]
        - z_report["paid_out_minor"]
    )
    comparisons: dict[str, tuple[Any, Any]] = {
        "order_count": (z_report["order_count"], len(sales)),
        "open_order_count": (z_report["open_order_count"], 0),
        "gross_sales_minor": (z_report["gross_sales_minor"], subtotal),
        "discounts_minor": (z_report["discounts_minor"], discount),
        "service_charges_minor": (z_report["service_charges_minor"], service),
        "net_sales_minor": (z_report["net_sales_minor"], subtotal - discount + service),
        "tips_minor": (z_report["tips_minor"], sum(s["tip_minor"] for s in sales)),
        "rounding_minor": (z_report["rounding_minor"], sum(s["rounding_minor"] for s in sales)),
        "tax_total_minor": (z_report["tax_total_minor"], sum(s["tax_minor"] for s in sales)),
        "payments.cash": (
            (z_report["payments"]["cash"]["count"], z_report["payments"]["cash"]["amount_minor"]),
            (cash_count, cash),
        ),
        "payments.card": (
            (z_report["payments"]["card"]["count"], z_report["payments"]["card"]["amount_minor"]),
            (card_count, card),
        ),
        "refunds.count": (z_report["refunds"]["count"], len(refunds)),
        "refunds.amount_minor": (
            z_report["refunds"]["amount_minor"],
            sum(r["amount_minor"] for r in refunds),
        ),
        "refunds.tax_minor": (
            z_report["refunds"]["tax_minor"],
            sum(r["tax_minor"] for r in refunds),
        ),
        "refunds.by_tender": (
            z_report["refunds"]["by_tender"],
            {"cash": given_back("cash"), "card": given_back("card")},
        ),
        "expected.cash": (z_report["expected"]["cash"], expected_cash),
        "expected.card": (z_report["expected"]["card"], card - given_back("card")),
        "difference.cash": (
            z_report["difference"]["cash"],
            z_report["counted"]["cash"] - expected_cash,
        ),
    }
    return [
        f"{name}: {field} is {reported}, its receipts say {summed}"
        for field, (reported, summed) in comparisons.items()
        if reported != summed
    ]


# --- 4. the audit chain -----------------------------------------------------------------------


def audit_chain_verifies(stack: FuzzStack, business: TillBusiness) -> list[str]:
    """The service's own verification, then the standalone verifier on the export, holding it
    to a checkpoint signed now (so a cut-off tail would be caught too)."""
    problems: list[str] = []
    owner = business.owner
    with httpx.Client(base_url=stack.gateway, timeout=60) as client:
        signed = client.post("/v1/audit/checkpoints", auth=owner)
        if signed.status_code not in (200, 201):
            problems.append(f"no checkpoint could be signed: {signed.text}")
        verified = client.get("/v1/audit/verify", auth=owner)
        assert verified.status_code == 200, verified.text
        answer = verified.json()
        if not answer["valid"]:
            problems.append(f"/v1/audit/verify: the chain breaks at {answer['first_break']}")
        export = client.get("/v1/audit/export", auth=owner)
        assert export.status_code == 200, export.text
        key = client.get("/v1/audit/public-key", auth=owner)
        assert key.status_code == 200, key.text
        kept = client.get("/v1/audit/checkpoints", auth=owner)
        assert kept.status_code == 200, kept.text
    problems.extend(
        export_problems(
            export.content.splitlines(),
            key.json()["verifier_key"],
            kept.text,
        )
    )
    return problems


def export_problems(lines: list[bytes], verifier_key: str, checkpoints_json: str) -> list[str]:
    """tools/verify_audit.py's verdict on an export, as a problem if it fails."""
    outcome = verify_audit.verify(
        lines,
        verify_audit.parse_verifier_key(verifier_key),
        verify_audit.checkpoints_from_text(checkpoints_json, source="checkpoints.json"),
    )
    if outcome.failure is not None:
        return [f"tools/verify_audit.py: {outcome.failure}"]
    if outcome.checkpoints_verified == 0:
        return ["tools/verify_audit.py verified no checkpoint"]
    return []


# --- all of them ------------------------------------------------------------------------------


def assert_books_balance(
    stack: FuzzStack, business: TillBusiness, *, sold: int, refunded: int | None = None
) -> None:
    """Every check, every problem in one failure."""
    found = {
        "every sale exactly once": sales_exactly_once(
            stack, business, sold=sold, refunded=refunded
        ),
        "receipt numbers gapless": receipt_numbers_gapless(stack, business),
        "Z reports equal the receipts": z_reports_match_receipts(stack, business),
        "audit chain verifies": audit_chain_verifies(stack, business),
    }
    wrong = {check: problems for check, problems in found.items() if problems}
    assert not wrong, wrong
