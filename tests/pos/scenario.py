"""What the till's four scenario tests share (tests/pos/test_{online_sale,offline_day,
killed_upload,two_tills}.py): running a scenario's browser script against the module's
business, and reading back what the API says about it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.backoffice.browser import POS_SCRIPTS, Answer, run_browser
from tests.fuzz.stack import FuzzStack
from tests.pos.till_business import TillBusiness
from tests.support.http import all_pages

# The tests wait for a browser script this long before failing it: the offline day rings up
# 55 sales one tap at a time, and a till's queue may back off up to a minute.
SCENARIO_TIMEOUT_SECONDS = 1_200


def run_scenario(
    script: str,
    stack: tuple[FuzzStack, str],
    business: TillBusiness,
    out: Path,
    *,
    answer: Answer | None = None,
    **config: Any,
) -> dict[str, Any]:
    _, public_url = stack
    return run_browser(
        script,
        out,
        {"base": public_url, "business": business.browser_config(), **config},
        scripts=POS_SCRIPTS,
        timeout_seconds=SCENARIO_TIMEOUT_SECONDS,
        answer=answer,
    )


def api_pages(
    stack: tuple[FuzzStack, str], business: TillBusiness, path: str, **params: Any
) -> list[dict[str, Any]]:
    """Every item of a paged list, read as the owner."""
    platform, _ = stack
    with httpx.Client(base_url=platform.gateway, timeout=60) as client:
        return all_pages(client, path, business.owner, **params)


def receipts_by_number(
    stack: tuple[FuzzStack, str], business: TillBusiness
) -> dict[str, dict[str, Any]]:
    return {receipt["number"]: receipt for receipt in api_pages(stack, business, "/v1/receipts")}


def series(prefix: str, first: int, last: int) -> list[str]:
    """["R2-O-000001", ...] from `prefix` "R2-O"."""
    return [f"{prefix}-{n:06d}" for n in range(first, last + 1)]


def prefix(number: str) -> str:
    """ "R2-O" of "R2-O-000017", "R1" of "R1-000003"."""
    return number.rsplit("-", 1)[0]
