"""The backoffice's session in a real browser (web/backoffice/e2e/session.e2e.mjs): nothing a
script could replay is kept in storage, the DPoP key cannot be read out, the access token is
refreshed before it expires and the new one used, and a session an owner ends on
/admin/security is refused at its next refresh, which takes the page back to sign-in.

The page is told its tokens last 65 seconds (the one number the script changes in the API's
answers), so the refresh due a minute before expiry comes after 5 seconds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import Business, add_colleague
from tests.fuzz.stack import FuzzStack


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], business: Business, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    platform, public_url = stack
    # People of this test's own: an authenticator's code is accepted once per person.
    accountant = platform.run(add_colleague(platform, business, "accountant"))
    owner = platform.run(add_colleague(platform, business, "owner"))
    config = {
        "base": public_url,
        "business": str(business.tenant),
        "accountant": vars(accountant),
        "owner": vars(owner),
    }
    return run_browser("session.e2e.mjs", tmp_path_factory.mktemp("backoffice-session"), config)


def test_nothing_replayable_is_kept_and_the_key_cannot_be_read_out(
    browser_run: dict[str, Any],
) -> None:
    storage = browser_run["storage"]
    assert storage["local_storage"] == 0
    assert storage["session_storage"] == 0
    assert storage["document_cookie"] == ""
    assert browser_run["cookies"] == []
    key = storage["key"]
    assert key["algorithm"] == {"name": "ECDSA", "namedCurve": "P-256"}
    assert key["extractable"] is False
    assert key["usages"] == ["sign"]
    assert key["export"] == "InvalidAccessError"  # WebCrypto refuses to hand it out


def test_the_access_token_is_refreshed_before_it_expires_and_the_new_one_used(
    browser_run: dict[str, Any],
) -> None:
    answers = browser_run["token_answers"]
    signed_in, refreshed = answers[0], answers[1]
    assert (signed_in["path"], signed_in["status"]) == ("/v1/auth/totp", 200)
    assert signed_in["expires_in"] == 600  # what the API said; the page was told 65
    assert (refreshed["path"], refreshed["status"]) == ("/v1/auth/token", 200)
    assert refreshed["access_token"] != signed_in["access_token"]
    assert browser_run["refresh_status"] == 200
    assert browser_run["signed_in_after_refresh"] is True

    # Every request before the refresh carried the first token, every one after it the new one:
    # the refresh came first, one at a time, before any request with a stale token.
    requests = [each for each in browser_run["requests"] if each["access_token"] is not None]
    first, second = signed_in["access_token"], refreshed["access_token"]
    tokens = [each["access_token"] for each in requests]
    assert first in tokens and second in tokens
    switch = tokens.index(second)
    assert set(tokens[:switch]) == {first}
    assert set(tokens[switch : switch + 5]) == {second}
    token_calls = [each for each in browser_run["requests"] if each["path"] == "/v1/auth/token"]
    assert len(token_calls) == 2  # the refresh, then the refused one: never two at once


def test_a_session_ended_by_an_owner_is_refused_at_its_next_refresh(
    browser_run: dict[str, Any],
) -> None:
    assert browser_run["ended_session"]
    last = browser_run["token_answers"][-1]
    assert (last["path"], last["status"]) == ("/v1/auth/token", 401)
    assert browser_run["refused_refresh_status"] == 401
    assert browser_run["back_at_sign_in"] is True


def test_every_state_is_accessible_and_the_console_is_clean(browser_run: dict[str, Any]) -> None:
    for page in browser_run["axe"]:
        assert page["violations"] == [], page
    # The refused refresh is logged by the browser as a failed load.
    assert unexpected_console_errors(browser_run, {"accountant": "status of 401"}) == []
