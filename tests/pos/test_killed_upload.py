"""Scenario 3 of issue 26 in Debian's chromium (web/pos/e2e/killed_upload.e2e.mjs): the browser
is killed (SIGKILL) while an upload is in flight, after halopos took it in but before the till
heard the answer, and started again on the same profile. The queue drains with nothing lost
(the sale rung up during the held upload arrives) and nothing doubled (halopos answers what it
already had as duplicates; tests/pos/books.py counts every sale once)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.stack import FuzzStack
from tests.pos import books
from tests.pos.scenario import api_pages, prefix, receipts_by_number, run_scenario, series
from tests.pos.till_business import TillBusiness, activation_code

OFFLINE_SALES = 3
SOLD = OFFLINE_SALES + 2  # and one during the held upload, one after the restart


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    till_business: TillBusiness,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    platform, _ = stack
    code = platform.run(activation_code(platform, till_business))
    out: Path = tmp_path_factory.mktemp("pos-killed-upload")

    def answer(name: str, question: dict[str, Any]) -> dict[str, Any]:
        assert name == "applied-before-kill", name
        operations = api_pages(
            stack, till_business, "/v1/sync/operations", device_id=question["device_id"]
        )
        return {
            "applied": sorted(op["sequence"] for op in operations if op["status"] == "applied"),
            "stored": len(operations),
        }

    return run_scenario(
        "killed_upload.e2e.mjs", stack, till_business, out, code=code, answer=answer
    )


def test_halopos_had_the_upload_the_till_never_heard_back_about(
    browser_run: dict[str, Any],
) -> None:
    held = browser_run["held_uploads"][0]
    assert held["status"] == 200, held
    applied = set(browser_run["server_before_kill"]["applied"])
    assert set(held["operations"]) <= applied
    # The till did not know: its queue still held those operations, and the sale rung up
    # meanwhile, when it was killed.
    assert browser_run["pending_before_kill"] >= len(held["operations"]) + 3
    assert browser_run["killed"]["signal"] == "SIGKILL"


def test_the_restarted_till_is_the_same_till_with_the_same_queue(
    browser_run: dict[str, Any],
) -> None:
    assert browser_run["same_device"] is True
    assert browser_run["pending_after_restart"] == browser_run["pending_before_kill"]
    assert browser_run["sync"]["pending"] == 0
    assert browser_run["sync"]["needs_attention"] == 0


def test_nothing_was_lost_or_doubled(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    operations = api_pages(
        stack, till_business, "/v1/sync/operations", device_id=browser_run["device_id"]
    )
    sequences = Counter(op["sequence"] for op in operations)
    assert max(sequences.values()) == 1
    assert sorted(sequences) == list(range(1, len(sequences) + 1)), "the log has no hole"
    assert {op["status"] for op in operations} == {"applied"}

    shown = [sale["number"] for sale in browser_run["sales"]]
    offline = shown[:OFFLINE_SALES]
    assert re.fullmatch(r"R\d+-O-000001", offline[0]), shown
    assert offline == series(prefix(offline[0]), 1, OFFLINE_SALES)
    # The sale rung up during the held upload waited for its number; it is the register's
    # first online receipt, the one after the restart its second.
    online = prefix(offline[0]).removesuffix("-O")
    issued = receipts_by_number(stack, till_business)
    assert sorted(issued) == sorted([*offline, *series(online, 1, 2)])
    assert issued[shown[-1]]["snapshot"]["total_minor"] == browser_run["sales"][-1]["total_minor"]
    held_sale = issued[f"{online}-000001"]
    assert (
        held_sale["snapshot"]["total_minor"] == browser_run["sales"][OFFLINE_SALES]["total_minor"]
    )


def test_the_books_balance(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    platform, _ = stack
    books.assert_books_balance(platform, till_business, sold=SOLD, refunded=0)
