"""What every Stripe object shares: prefixed ids, Unix-second timestamps, list envelopes."""

from __future__ import annotations

import calendar
import secrets
import string
import time
from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]

_ID_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str) -> str:
    """`cus_…`, `sub_…`, `evt_…`: Stripe's prefixes, so a log line says what an id names."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(24))


def now() -> int:
    return int(time.time())


def add_month(timestamp: int) -> int:
    """One monthly billing period later: the same day of the next month, or its last day
    when it is shorter (31 January → 28 February), as Stripe bills."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def list_object(data: list[JsonObject], url: str, *, has_more: bool = False) -> JsonObject:
    # The library requests the next page from `url`, so it must be the list's real path.
    return {"object": "list", "data": data, "has_more": has_more, "url": url}
