"""One page of a cursor-paginated list (libs/api/pagination.py encodes and decodes cursors).

A list asks its repository for one row more than it answers with: the extra row says that
another page follows, without counting the rest, and the cursor names the last row answered,
so the next page starts after it however many rows were written meanwhile. Every list in
every service cuts its page this way; this is the one place that does it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Row = TypeVar("Row")


def cut_page(
    rows: Sequence[Row], limit: int, cursor_of: Callable[[Row], str]
) -> tuple[list[Row], str | None]:
    """The first `limit` of `rows` (read with `limit + 1`), and the cursor after the last of
    them when more follow (None: this is the last page)."""
    items = list(rows[:limit])
    return items, cursor_of(items[-1]) if len(rows) > limit else None
