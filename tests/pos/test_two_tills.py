"""Scenario 4 of issue 26 in Debian's chromium (web/pos/e2e/two_tills.e2e.mjs): two tills of
one venue, each a browser context with its own storage; the back till is offline for its whole
shift (opened, sold and closed offline) while the front till sells online; then the back till
comes online and drains. Afterwards each register's series and shift are held to the API, and
the books are checked (tests/pos/books.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.backoffice.browser import unexpected_console_errors
from tests.fuzz.stack import FuzzStack
from tests.pos import books
from tests.pos.scenario import api_pages, prefix, receipts_by_number, run_scenario, series
from tests.pos.till_business import TillBusiness, activation_codes

BACK_SALES = 6
FRONT_SALES = 4


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    till_business: TillBusiness,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    platform, _ = stack
    codes = platform.run(activation_codes(platform, till_business, 2))
    out: Path = tmp_path_factory.mktemp("pos-two-tills")
    return run_scenario("two_tills.e2e.mjs", stack, till_business, out, codes=codes)


def test_each_till_numbers_its_own_registers_series(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    front = [sale["number"] for sale in browser_run["tills"]["front"]["sales"]]
    back = [sale["number"] for sale in browser_run["tills"]["back"]["sales"]]
    assert re.fullmatch(r"R\d+-000001", front[0]), front
    assert re.fullmatch(r"R\d+-O-000001", back[0]), back
    assert prefix(front[0]) != prefix(back[0]).removesuffix("-O"), "two registers"
    assert front == series(prefix(front[0]), 1, FRONT_SALES)
    assert back == series(prefix(back[0]), 1, BACK_SALES)
    issued = receipts_by_number(stack, till_business)
    assert sorted(issued) == sorted(front + back)


def test_both_shifts_closed_and_the_offline_one_reported_once_online(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    tills = browser_run["tills"]
    assert tills["front"]["close"]["z_report"]["difference"] == 0
    assert tills["back"]["close"]["z_report"] is None, "offline, the Z report waits"
    assert tills["back"]["pending_offline"] > 0
    assert tills["back"]["sync"]["pending"] == 0
    shifts = api_pages(stack, till_business, "/v1/shifts")
    assert [shift["status"] for shift in shifts] == ["closed", "closed"]
    platform, _ = stack
    read = books.read_books(platform, till_business)
    counts = sorted(z["order_count"] for z in read.z_reports.values())
    assert counts == sorted([FRONT_SALES, BACK_SALES])
    back_z = next(z for z in read.z_reports.values() if z["order_count"] == BACK_SALES)
    assert back_z["counted"]["cash"] == tills["back"]["counted_minor"]
    assert back_z["difference"]["cash"] == 0


def test_the_books_balance(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    platform, _ = stack
    books.assert_books_balance(platform, till_business, sold=FRONT_SALES + BACK_SALES, refunded=0)


def test_the_console_is_clean(browser_run: dict[str, Any]) -> None:
    # The back till's probes and uploads fail while it is offline, and chromium logs each.
    assert unexpected_console_errors(browser_run, {"back": "ERR_INTERNET_DISCONNECTED"}) == []
