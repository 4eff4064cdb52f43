"""Report periods: a day, a calendar month, quarter or year, or a range of dates.

What a period's dates mean depends on the report: business days (from the location's cutoff,
libs/sales/business_days.py) for the daily summary, item mix, reconciliation and closures;
calendar dates at the venue for the tax reports (docs/reports.md, "Tax periods"). The
instants they start and end at are computed in Python, from the location's IANA zone, and
nowhere else.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "month", "quarter", "year", "range"]

# The longest range a report covers: a year and a day (a financial year that starts on a
# business day, plus the day a 366-day year adds).
MAX_DAYS = 367
# Years a period may fall in. Outside them a day's boundary may not exist at all (the day
# after 31 December 9999, or a day of year 1 starting in year 0 in UTC), and no sale does.
YEARS = range(2000, 3000)


class PeriodError(ValueError):
    """A period that cannot be read, or one longer than a report covers."""


# ASCII digits only: a period is echoed into an export's manifest as it was read.
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"([0-9]{4})")


@dataclass(frozen=True, slots=True)
class Period:
    """A run of dates: a day, a calendar month, quarter or year, or a range."""

    kind: PeriodKind
    first: date
    last: date

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.first.isoformat()
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.first.year)
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2026-11-21` (a day), `2026-11` (a month), `2026-Q3` (a calendar quarter),
        `2026` (a year)."""
        period = cls._read(text)
        period._check_years()
        return period

    def _check_years(self) -> None:
        if self.first.year not in YEARS or self.last.year not in YEARS:
            raise PeriodError(f"Periods run from {YEARS.start} to {YEARS.stop - 1}.")

    @classmethod
    def _read(cls, text: str) -> Period:
        try:
            if match := _DAY.fullmatch(text):
                day = date(*(int(part) for part in match.groups()))
                return cls("day", day, day)
            if match := _MONTH.fullmatch(text):
                year, month = int(match[1]), int(match[2])
                last = calendar.monthrange(year, month)[1]
                return cls("month", date(year, month, 1), date(year, month, last))
            if match := _QUARTER.fullmatch(text):
                year, quarter = int(match[1]), int(match[2])
                first = date(year, 3 * quarter - 2, 1)
                last_month = 3 * quarter
                end = calendar.monthrange(year, last_month)[1]
                return cls("quarter", first, date(year, last_month, end))
            if match := _YEAR.fullmatch(text):
                year = int(match[1])
                return cls("year", date(year, 1, 1), date(year, 12, 31))
        except ValueError as error:  # 2026-02-30, month 13
            raise PeriodError(f"{text!r} is not a date: {error}.") from None
        raise PeriodError(
            f"{text!r} is not a period: use a day (2026-11-21), a month (2026-11), "
            "a quarter (2026-Q3) or a year (2026)."
        )

    @classmethod
    def between(cls, first: date, last: date) -> Period:
        if last < first:
            raise PeriodError("The period ends before it starts.")
        if (last - first).days + 1 > MAX_DAYS:
            raise PeriodError(f"A report covers at most {MAX_DAYS} days.")
        period = cls("range", first, last)
        period._check_years()
        return period
