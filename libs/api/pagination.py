"""Cursor pagination, newest first, over (created_at, id): stable under concurrent inserts.

A list asks its repository for one row more than it answers with: the extra row says that
another page follows, without counting the rest, and the cursor names the last row answered,
so the next page starts after it however many rows were written meanwhile. Every list in every
service cuts its page with `cut_page`."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from libs.problems import Problem

# The largest cursor that counts rows (an audit entry's seq, a log's size): a Postgres bigint.
# Declared as the query parameter's maximum, so a larger one is a 422 and never reaches SQL
# (where the driver cannot send it, and the request would fail as a 500).
MAX_SEQ_CURSOR = 2**63 - 1


class InvalidCursor(Problem):
    status = 400
    code = "invalid-cursor"
    title = "The cursor is not valid"


def encode_cursor(created_at: datetime, item_id: UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(item_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, item_id = json.loads(raw)
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            raise ValueError("naive timestamp")
        return moment, UUID(item_id)
    except (ValueError, TypeError) as error:
        raise InvalidCursor() from error


Row = TypeVar("Row")


def cut_page(
    rows: Sequence[Row], limit: int, cursor_of: Callable[[Row], str]
) -> tuple[list[Row], str | None]:
    """The first `limit` of `rows` (read with `limit + 1`), and the cursor after the last of
    them when more follow (None: this is the last page)."""
    items = list(rows[:limit])
    return items, cursor_of(items[-1]) if len(rows) > limit else None
