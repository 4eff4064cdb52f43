"""Scenario 1 of issue 26 in Debian's chromium (web/pos/e2e/online_sale.e2e.mjs): a till
activates, a cashier signs in and sells online, and the receipts print through the venue's
Bridge agent (the reference agent, polling the gateway with a token the owner made) on a fake
printer. Afterwards the paper is held to the receipts the API issued, and the books are
checked (tests/pos/books.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.backoffice.browser import unexpected_console_errors
from tests.fuzz.stack import FuzzStack
from tests.pos import books
from tests.pos.receipt_printer import ReceiptPrinter
from tests.pos.scenario import prefix, receipts_by_number, run_scenario, series
from tests.pos.till_business import TillBusiness, activation_code


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    till_business: TillBusiness,
    receipt_printer: ReceiptPrinter,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    platform, _ = stack
    code = platform.run(activation_code(platform, till_business))
    out: Path = tmp_path_factory.mktemp("pos-online-sale")
    return run_scenario("online_sale.e2e.mjs", stack, till_business, out, code=code)


def money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def test_the_sales_are_numbered_by_halopos_in_the_registers_series(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    shown = [sale["number"] for sale in browser_run["sales"]]
    assert re.fullmatch(r"R\d+-000001", shown[0]), shown
    assert shown == series(prefix(shown[0]), 1, 2)
    issued = receipts_by_number(stack, till_business)
    for sale in browser_run["sales"]:
        receipt = issued[sale["number"]]
        assert receipt["kind"] == "sale"
        assert receipt["series"] == ""
        assert sale["total_minor"] == receipt["snapshot"]["total_minor"]


def test_what_the_screen_showed_is_what_was_sold(browser_run: dict[str, Any]) -> None:
    cash, split = browser_run["sales"]
    assert cash["total_minor"] == 450 + 50 + 300  # flat white, oat milk, bread roll
    assert cash["due_minor"] == 800
    assert cash["change_minor"] == 2_000 - 800
    assert split["total_minor"] == 500 + 550  # latte, banana bread
    assert split["due_minor"] == 1_050 - 500  # what was left after $5.00 on card
    assert split["change_minor"] == 1_000 - 550
    z_report = browser_run["close"]["z_report"]
    assert z_report is not None, "online, the Z report is shown at close"
    assert z_report["expected_cash"] == z_report["counted_cash"] == browser_run["counted_minor"]
    assert z_report["difference"] == 0
    assert browser_run["sync"]["pending"] == 0
    assert browser_run["sync"]["needs_attention"] == 0


def test_each_receipt_prints_through_the_bridge_agent(
    browser_run: dict[str, Any],
    stack: tuple[FuzzStack, str],
    till_business: TillBusiness,
    receipt_printer: ReceiptPrinter,
) -> None:
    issued = receipts_by_number(stack, till_business)
    for sale in browser_run["sales"]:
        receipt = issued[sale["number"]]
        paper = receipt_printer.receipt(sale["number"]).text
        assert sale["number"] in paper
        for line in receipt["snapshot"]["lines"]:
            assert line["name"] in paper, paper
            for modifier in line["modifiers"]:
                assert modifier["name"] in paper, paper
        total = next(line for line in paper.splitlines() if line.startswith("TOTAL"))
        assert money(receipt["snapshot"]["total_minor"]) in total, paper
    printed = [paper.text for paper in receipt_printer.printed]
    for sale in browser_run["sales"]:
        assert sum(sale["number"] in text for text in printed) == 1, "each receipt prints once"


def test_the_books_balance(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    platform, _ = stack
    books.assert_books_balance(platform, till_business, sold=2, refunded=0)


def test_every_screen_is_accessible_and_the_console_is_clean(browser_run: dict[str, Any]) -> None:
    for check in browser_run["axe"]:
        assert check["violations"] == [], check
    assert unexpected_console_errors(browser_run, {}) == []
