"""The backoffice's menu and tax pages in a real browser, against the whole platform (see
test_reports.py for the set-up they share).

The browser side is web/backoffice/e2e/menu.e2e.mjs: a manager builds part of a menu, sets a
venue's price, schedules a tax rate, and is refused a rate from the past (by the form, before
anything is sent) and a wrong tax number (by the API); a manager whose clock is behind meets
the API's own refusal of a past rate; an accountant reads both pages with no way to change
them. This test seeds a menu longer than a page through the API, runs the script, and holds
what it did to the API: what was typed as 4.50 is stored as 450, and the lists on the page
are the API's answer to the same requests, page by page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import Business, Colleague, add_colleague
from tests.fuzz.stack import FuzzStack

# More than the page's 20 rows, so the items list has a second page to show.
SEEDED_ITEMS = 22


async def _call(
    gateway: str, business: Business, method: str, path: str, body: Any = None
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        return await client.request(method, path, json=body, auth=business.owner)


def _api(stack: FuzzStack, business: Business, method: str, path: str, body: Any = None) -> Any:
    response = stack.run(_call(stack.gateway, business, method, path, body))
    assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


def _person(colleague: Colleague) -> dict[str, Any]:
    return {
        "email": colleague.email,
        "password": colleague.password,
        "totp_secret": colleague.totp_secret,
    }


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], business: Business, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    platform, public_url = stack
    tax_category = _api(platform, business, "GET", "/v1/tax/categories")["items"][0]
    seeded = _api(platform, business, "POST", "/v1/menu/categories", {"name": "Pastries"})
    for number in range(1, SEEDED_ITEMS + 1):
        _api(
            platform,
            business,
            "POST",
            "/v1/menu/items",
            {
                "name": f"Pastry {number}",
                "category_id": seeded["id"],
                "tax_category_id": tax_category["id"],
                "price_minor": 300 + number,
            },
        )
    settings_before = _api(platform, business, "GET", "/v1/tax/settings")
    # An accountant of the test's own: business.accountant's authenticator codes are spent by
    # the other scripts of this folder, and a code's step is accepted once.
    people = {
        role: platform.run(add_colleague(platform, business, kind))
        for role, kind in (
            ("manager", "manager"),
            ("late_manager", "manager"),
            ("accountant", "accountant"),
        )
    }
    config = {
        "base": public_url,
        "business": str(business.tenant),
        "location": str(business.location_id),
        "tax_category_name": tax_category["name"],
        **{role: _person(person) for role, person in people.items()},
    }
    result = run_browser("menu.e2e.mjs", tmp_path_factory.mktemp("backoffice-menu"), config)
    result["tax_category"] = tax_category
    yield result
    # The business is shared with the other scripts: its tax settings go back as they were.
    now = _api(platform, business, "GET", "/v1/tax/settings")
    _api(
        platform,
        business,
        "PATCH",
        "/v1/tax/settings",
        {
            "version": now["version"],
            "tax_basis": settings_before["tax_basis"],
            "tax_id": settings_before["tax_id"],
        },
    )


def test_the_manager_has_the_menu_and_tax_pages(browser_run: dict[str, Any]) -> None:
    assert {"Menu", "Tax"} <= set(browser_run["manager"]["menu"])
    assert {"Menu", "Tax"} <= set(browser_run["accountant"]["menu"])


def test_a_price_typed_as_4_50_is_stored_as_450_minor_units(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    created = browser_run["manager"]["item"]
    assert created["request_body"]["price_minor"] == 450  # sent as an integer, not 4.5
    item = _api(platform, business, "GET", f"/v1/menu/items/{created['id']}")
    assert item["name"] == "Bircher muesli"
    assert item["price_minor"] == 450
    assert browser_run["manager"]["venue_price_removed"] is True  # and set again
    assert item["location_prices"] == [
        {"item_id": item["id"], "location_id": str(business.location_id), "price_minor": 520}
    ]
    assert [change["price_minor"] for change in item["scheduled_prices"]] == [480]
    assert item["scheduled_prices"][0]["location_id"] is None
    category = _api(platform, business, "GET", "/v1/menu/categories", None)
    breakfast = [each for each in category["items"] if each["name"] == "Breakfast"]
    assert [each["id"] for each in breakfast] == [item["category_id"]]
    assert breakfast[0]["printer_role"] == "kitchen"


def test_an_amount_that_is_not_one_is_refused_before_sending(browser_run: dict[str, Any]) -> None:
    problem = browser_run["manager"]["not_an_amount"]
    assert problem["code"] == "form"
    assert "4.5.0" in problem["text"] and "Nothing was sent" in problem["text"]


def test_the_modifier_group_and_its_priced_modifier_are_stored(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    groups = _api(platform, business, "GET", "/v1/menu/modifier-groups?limit=100")["items"]
    extras = [group for group in groups if group["name"] == "Extras"]
    assert len(extras) == 1
    assert (extras[0]["min_choices"], extras[0]["max_choices"]) == (0, 2)
    assert [(each["name"], each["price_minor"]) for each in extras[0]["modifiers"]] == [
        ("Honey", 80)
    ]


def test_the_lists_on_the_page_are_the_apis_answer_to_the_same_requests(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    lists = browser_run["manager"]["lists"]
    items = lists["items"]
    assert len(items["pages"]) == 2  # the second through "Show more"
    assert items["pages"][1]["request"].count("cursor=") == 1
    for name, seen in lists.items():
        answers = [page["answer"] for page in seen["pages"]]
        # What the browser got is what the API answers to the same request, asked anew ...
        for page in seen["pages"]:
            assert _api(platform, business, "GET", page["request"]) == page["answer"], name
        # ... and the page shows it all, row by row, in the API's order.
        listed = [record for answer in answers for record in answer["items"]]
        assert [row["id"] for row in seen["rows"]] == [record["id"] for record in listed], name
        if name.startswith("items"):
            assert [int(row["price_minor"]) for row in seen["rows"]] == [
                record["price_minor"] for record in listed
            ]
    of_a_category = lists["items-of-a-category"]["pages"][0]["answer"]["items"]
    assert [record["name"] for record in of_a_category] == ["Bircher muesli"]
    every_item = [record for page in items["pages"] for record in page["answer"]["items"]]
    assert len(every_item) > 20
    assert sum(1 for record in every_item if record["name"].startswith("Pastry ")) == SEEDED_ITEMS


def test_a_future_tax_rate_is_scheduled(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    sent = browser_run["manager"]["rate"]
    assert sent["status"] == 201
    body = sent["request_body"]
    assert body["rate_percent"] == "12.5"  # a string: never a float
    # The moment typed, with the browser's (the venue's) offset then.
    assert body["effective_from"].startswith(sent["local"])
    offset = datetime.fromisoformat(body["effective_from"]).utcoffset()
    assert offset is not None and offset.total_seconds() in {10 * 3600, 11 * 3600}
    category = next(
        each
        for each in _api(platform, business, "GET", "/v1/tax/categories")["items"]
        if each["id"] == browser_run["tax_category"]["id"]
    )
    to_come = [rate for rate in category["rates"] if rate["scheduled"]]
    assert [rate["rate_percent"] for rate in to_come] == ["12.500"]
    assert datetime.fromisoformat(to_come[0]["effective_from"]) == datetime.fromisoformat(
        body["effective_from"]
    )


def test_a_rate_from_the_past_is_refused_readably(browser_run: dict[str, Any]) -> None:
    # By the form, before anything is sent ...
    past = browser_run["manager"]["past_rate"]
    assert past["requests_sent"] == 0
    assert past["code"] == "form"
    assert "never to sales already made" in past["text"]
    # ... and by the API, when the browser's clock let it through.
    refused = browser_run["late_clock"]["problem"]
    assert refused["code"] == "tax-rate-retroactive"
    assert refused["status"] == "422"
    assert refused["request_id"]
    assert "never retroactively" in refused["text"]


def test_a_wrong_tax_number_shows_the_apis_problem(browser_run: dict[str, Any]) -> None:
    problem = browser_run["manager"]["invalid_tax_id"]
    assert problem["code"] == "invalid-tax-id"
    assert problem["status"] == "422"
    assert problem["request_id"]
    # The right one is kept as the API writes an ABN.
    assert browser_run["manager"]["tax_id_shown"] == "51 824 753 556"


def test_the_accountant_reads_menu_and_tax_without_a_way_to_change_them(
    browser_run: dict[str, Any],
) -> None:
    accountant = browser_run["accountant"]
    assert accountant["menu_controls"] == {"forms": 0, "buttons": []}
    assert accountant["tax_controls"] == {"forms": 0, "buttons": []}


def test_no_state_has_a_serious_accessibility_violation(browser_run: dict[str, Any]) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 10
    for page in checked:
        assert page["violations"] == [], page


def test_no_unexpected_console_error(browser_run: dict[str, Any]) -> None:
    # The API's refusals are logged by the browser as failed loads: the wrong tax number's 422
    # and the late clock's 422.
    expected = {"manager": "status of 422", "late clock": "status of 422"}
    assert unexpected_console_errors(browser_run, expected) == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0
