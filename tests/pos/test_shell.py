"""The till's shell in a real browser (Debian's chromium, driven by Playwright) against the whole
platform on real sockets (tests/web_stack.py): web/pos/e2e/shell.e2e.mjs.

An owner makes an activation code through the API; the browser opens it as the backoffice's QR
link (`/pos/#activate=<code>`), the till activates with its own non-extractable key, and after
a reload with the network cut it still shows the activated till, from the service worker's
cache and IndexedDB. What the page showed is held to the API's list of devices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backoffice.browser import POS_SCRIPTS, run_browser, unexpected_console_errors
from tests.backoffice.business import Business
from tests.fuzz.stack import FuzzStack

TILL_NAME = "Front counter"


@pytest.fixture(scope="module")
def activation_code(stack: tuple[FuzzStack, str], business: Business) -> str:
    platform, _ = stack
    response = httpx.post(
        f"{platform.gateway}/v1/devices/activation-codes",
        json={"location_id": str(business.location_id)},
        auth=business.owner,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], activation_code: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    _, public_url = stack
    config = {
        "base": public_url,
        "code": activation_code,
        "name": TILL_NAME,
        "wrong_code": activation_code[:-4] + "XXXX",  # its business's, but not a code it made
    }
    out: Path = tmp_path_factory.mktemp("pos-shell")
    return run_browser("shell.e2e.mjs", out, config, scripts=POS_SCRIPTS)


def test_the_qr_link_fills_in_the_code_and_leaves_the_address(
    browser_run: dict[str, Any], activation_code: str, stack: tuple[FuzzStack, str]
) -> None:
    _, public_url = stack
    till = browser_run["till"]
    assert till["code_filled_in"] == activation_code
    assert till["address_after_link"] == f"{public_url}/pos/"  # the code is not left there


def test_a_typed_code_that_is_not_one_is_refused_with_the_request_id(
    browser_run: dict[str, Any],
) -> None:
    refused = browser_run["refused"]
    assert "activation code is invalid, used or expired" in refused, refused  # the API's words
    assert "(request " in refused, refused


def test_the_till_activates_and_the_api_lists_it(
    browser_run: dict[str, Any], business: Business, stack: tuple[FuzzStack, str]
) -> None:
    platform, _ = stack
    shown = browser_run["till"]["online"]
    assert shown["name"] == TILL_NAME
    assert shown["status"] == "Online"
    assert shown["location_id"] == str(business.location_id)
    devices = httpx.get(
        f"{platform.gateway}/v1/devices", params={"limit": 100}, auth=business.owner, timeout=30
    )
    assert devices.status_code == 200, devices.text
    listed = {device["id"]: device for device in devices.json()["items"]}
    assert shown["device_id"] in listed, listed
    device = listed[shown["device_id"]]
    assert device["name"] == TILL_NAME
    assert device["location_id"] == str(business.location_id)
    assert device["revoked_at"] is None


def test_the_key_is_a_non_extractable_p256_key(browser_run: dict[str, Any]) -> None:
    key = browser_run["till"]["key"]
    assert key["private_extractable"] is False
    assert key["algorithm"] == {"name": "ECDSA", "namedCurve": "P-256"}
    assert key["export_attempt"] == "InvalidAccessError"


def test_a_reload_offline_opens_the_activated_till_from_the_worker(
    browser_run: dict[str, Any],
) -> None:
    till = browser_run["till"]
    assert till["worker_controls"] is True
    assert till["offline_from_worker"] is True
    assert till["offline"] == {**till["online"], "status": "Offline"}


def test_every_state_is_accessible_and_the_console_is_clean(browser_run: dict[str, Any]) -> None:
    assert [check["page"] for check in browser_run["axe"]] == [
        "activation refused",
        "activation",
        "activated",
        "activated, offline",
    ]
    for check in browser_run["axe"]:
        assert check["violations"] == [], check
    # Offline, the till's probe of /healthz fails, and chromium logs the failed load: that one
    # is expected; anything else (a CSP violation, a script error) is not.
    # The refused code's answer is logged by chromium as a failed load too.
    expected = {"till": "ERR_INTERNET_DISCONNECTED", "typed": "the server responded with a status"}
    assert unexpected_console_errors(browser_run, expected) == []


def test_the_till_is_served_with_the_strict_policy(stack: tuple[FuzzStack, str]) -> None:
    _, public_url = stack
    page = httpx.get(f"{public_url}/pos/", timeout=10)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert "unsafe" not in policy
    assert "<script>" not in page.text
