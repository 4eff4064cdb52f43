"""The backoffice's audit page in a real browser (web/backoffice/e2e/audit.e2e.mjs), against
the platform this folder shares: the accountant filters the log and pages through it, verifies
the chain, signs a checkpoint and downloads the reviewer's bundle; the test holds what the page
showed to the API's answers, and checks the bundle as a reviewer would, with this machine's own
Python and the verifier in the bundle. The manager has no audit page, and every audit call from
their browser is refused.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import PASSWORD, Business, add_colleague
from tests.fuzz.stack import FuzzStack

# More staff.created entries than one page of the audit page's list (20).
NEW_STAFF = 25
SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin") or "/usr/bin/python3"


async def _add_staff(gateway: str, business: Business, count: int) -> None:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        for number in range(count):
            created = await client.post(
                "/v1/staff",
                json={
                    "email": f"cashier.{number}.{business.tenant.hex[:6]}@harbourlane.example",
                    "display_name": f"Cashier {number}",
                    "role": "cashier",
                    "password": PASSWORD,
                },
                auth=business.owner,
            )
            assert created.status_code == 201, created.text


async def _get(gateway: str, request: str, business: Business) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        return await client.get(request, auth=business.owner)


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], business: Business, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Runs the browser script once; what it saw, for the tests below."""
    platform, public_url = stack
    platform.run(_add_staff(platform.gateway, business, NEW_STAFF))
    manager = platform.run(add_colleague(platform, business, "manager"))
    # An accountant of this test's own: an authenticator's code is accepted once, and the
    # business's accountant signs in in other files of this folder (test_reports.py).
    accountant = platform.run(add_colleague(platform, business, "accountant"))
    config = {
        "base": public_url,
        "business": str(business.tenant),
        "accountant": {
            "email": accountant.email,
            "password": accountant.password,
            "totp_secret": accountant.totp_secret,
        },
        "manager": {
            "email": manager.email,
            "password": manager.password,
            "totp_secret": manager.totp_secret,
        },
    }
    return run_browser(
        "audit.e2e.mjs", tmp_path_factory.mktemp("backoffice-audit"), config, timeout_seconds=240
    )


def test_the_accountant_has_the_audit_page_and_the_manager_has_not(
    browser_run: dict[str, Any],
) -> None:
    assert "Audit log" in browser_run["accountant"]["menu"]
    assert "Audit log" not in browser_run["manager"]["menu"]
    # Times are shown in the venue's zone, and the page says which.
    assert "Australia/Sydney" in browser_run["accountant"]["zone_note"]


def test_the_rows_on_the_page_are_the_apis_answer_to_the_same_requests(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    seen = browser_run["accountant"]["events"]
    pages = seen["pages"]
    assert len(pages) == 2, [each["request"] for each in pages]
    assert "cursor=" not in pages[0]["request"]
    assert f"cursor={pages[0]['answer']['next_cursor']}" in pages[1]["request"]
    items = [item for each in pages for item in each["answer"]["items"]]
    assert seen["first_page_rows"] == len(pages[0]["answer"]["items"]) == 20
    assert len(items) > 20
    assert {item["action"] for item in items} == {"staff.created"}
    # What the page shows is what the browser got, row by row ...
    assert [
        {
            "seq": row["seq"],
            "occurred_at": row["occurred_at"],
            "actor_type": row["actor_type"],
            "actor_id": row["actor_id"],
            "action": row["action"],
            "resource_id": row["resource_id"],
            "payload": json.loads(row["payload"]),
        }
        for row in seen["rows"]
    ] == [
        {
            name: item[name]
            for name in (
                "seq",
                "occurred_at",
                "actor_type",
                "actor_id",
                "action",
                "resource_id",
                "payload",
            )
        }
        for item in items
    ]
    assert [row["shown_seq"] for row in seen["rows"]] == [str(item["seq"]) for item in items]
    seqs = [item["seq"] for item in items]
    assert seqs == sorted(seqs, reverse=True)  # newest first, as the page asked
    # ... and what the browser got is the API's answer to the same request, asked anew.
    for each in pages:
        assert each["status"] == 200
        response = platform.run(_get(platform.gateway, each["request"], business))
        assert response.status_code == 200, response.text
        assert response.json() == each["answer"]


def test_the_verification_shown_is_the_apis(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    shown = browser_run["accountant"]["verification"]
    answer = shown["answer"]
    assert answer["valid"] is True and answer["first_break"] is None
    assert shown["valid"] == "true"
    assert int(shown["entries"]) == answer["entries"]
    assert int(shown["checkpoints_checked"]) == answer["checkpoints_checked"]
    assert shown["head_hash"] == answer["head_hash"]
    assert shown["text"] == "The chain is intact."
    # While the answer was on its way, the page said it was working, and then stopped saying so.
    assert browser_run["accountant"]["verify_working"].startswith("Checking every entry")
    assert shown["working_gone"]
    again = platform.run(_get(platform.gateway, "/v1/audit/verify", business)).json()
    assert again["valid"] is True
    assert again["entries"] >= answer["entries"]  # the sign-ins since were audited too


def test_the_checkpoint_signed_in_the_page_is_the_apis(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    signed = browser_run["accountant"]["signed"]
    assert signed["status"] == 201
    size = signed["answer"]["size"]
    assert signed["shown_size"] == signed["first_row_size"] == str(size)
    assert signed["text"] == f"Signed a checkpoint of {size:,} entries."
    listed = platform.run(_get(platform.gateway, "/v1/audit/checkpoints", business)).json()
    assert signed["answer"] in listed["items"]


def _run_verifier(folder: Path) -> subprocess.CompletedProcess[str]:
    """As the bundle's README says, in the bundle's folder, with the system's Python."""
    return subprocess.run(  # noqa: S603 - the verifier we ship, on files we just unpacked
        [
            SYSTEM_PYTHON,
            "verify_audit.py",
            "audit.jsonl",
            "--key-file",
            "verifier-key.txt",
            "--checkpoint",
            "checkpoints.json",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_reviewers_bundle_verifies_with_its_own_script_and_fails_when_tampered(
    browser_run: dict[str, Any], tmp_path: Path
) -> None:
    accountant = browser_run["accountant"]
    bundle = accountant["bundle"]
    assert bundle["name"].startswith("halopos-audit-") and bundle["name"].endswith(".zip")
    assert bundle["status"].startswith("Saved "), bundle  # the progress ended in the name
    with zipfile.ZipFile(bundle["path"]) as archive:
        assert archive.testzip() is None
        archive.extractall(tmp_path)
    folder = tmp_path / bundle["name"].removesuffix(".zip")
    assert sorted(path.name for path in folder.iterdir()) == [
        "README.md",
        "audit.jsonl",
        "checkpoints.json",
        "public-key.json",
        "verifier-key.txt",
        "verify_audit.py",
    ]
    assert (folder / "verifier-key.txt").read_text().strip() == accountant["verifier_key"]
    kept = json.loads((folder / "checkpoints.json").read_text())["items"]
    sizes = [each["size"] for each in kept]
    assert accountant["signed"]["answer"]["size"] in sizes  # the one signed in the page
    assert (
        "python3 verify_audit.py audit.jsonl --key-file verifier-key.txt"
        in (folder / "README.md").read_text()
    )

    clean = _run_verifier(folder)
    lines = (folder / "audit.jsonl").read_bytes().count(b"\n")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.startswith(f"OK: {lines} entries,"), clean.stdout
    assert f", {len(sizes)} checkpoint" in clean.stdout

    # One byte changed: the first letter of the fifth entry's action, in upper case.
    export = bytearray((folder / "audit.jsonl").read_bytes())
    fifth = export.index(b"\n", 0)
    for _ in range(3):
        fifth = export.index(b"\n", fifth + 1)
    at = export.index(b'"action":"', fifth) + len(b'"action":"')
    export[at] = ord(chr(export[at]).upper())
    (folder / "audit.jsonl").write_bytes(bytes(export))
    tampered = _run_verifier(folder)
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    assert tampered.stdout.startswith("FAIL entry seq 5"), tampered.stdout


def test_every_audit_call_from_the_managers_browser_is_refused_with_its_request_id(
    browser_run: dict[str, Any],
) -> None:
    manager = browser_run["manager"]
    assert "not in your menu" in manager["notice"]
    answers = manager["audit_answers"]
    assert {answer["status"] for answer in answers} == {403}, answers
    assert {(answer["method"], answer["path"]) for answer in answers} == {
        ("GET", "/v1/audit/events"),
        ("GET", "/v1/audit/checkpoints"),
        ("GET", "/v1/audit/public-key"),
        ("GET", "/v1/audit/verify"),
        ("POST", "/v1/audit/checkpoints"),
        ("GET", "/v1/audit/reviewer-bundle"),
    }
    problems = manager["problems"]
    assert {problem["section"] for problem in problems} == {
        "Events",
        "Verify the chain",
        "Checkpoints",
        "Public key",
        "Reviewer's bundle",
    }
    for problem in problems:
        assert (problem["status"], problem["code"]) == ("403", "permission-denied"), problem
        assert problem["request_id"], problem  # shown on the page, to quote to support


def test_no_state_of_the_audit_page_has_a_serious_accessibility_violation(
    browser_run: dict[str, Any],
) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 7
    for page in checked:
        assert page["violations"] == [], page


def test_the_audit_page_broke_no_rule_of_the_policy_and_logged_no_error(
    browser_run: dict[str, Any],
) -> None:
    # The manager's refused answers are logged by the browser as failed loads.
    assert unexpected_console_errors(browser_run, {"manager": "status of 403"}) == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    assert len(browser_run["screenshots"]) == 5
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0
