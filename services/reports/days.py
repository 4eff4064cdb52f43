"""Business days and report periods, in a venue's own time.

A venue's business day starts at its cutoff hour, local time, and runs to the next day's
cutoff: with a 3 am cutoff, a Saturday night that runs to 2:30 am Sunday is Saturday's. The
day is found from the location's IANA time zone, never from an offset, so the days on which
the clocks change are 23 and 25 hours long, as they are at the venue.

The boundaries are computed here, in Python, and nowhere else: the repository hands them to
Postgres as a sorted array and lets it put each sale in its bucket (`width_bucket`), so the
database and this module cannot disagree about which day a sale belongs to.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

PeriodKind = Literal["day", "month", "quarter", "year", "range"]

# The longest range a report covers: a year and a day (a financial year that starts on a
# business day, plus the day a 366-day year adds).
MAX_DAYS = 367
# Years a period may fall in. Outside them a day's boundary may not exist at all (the day
# after 31 December 9999, or a day of year 1 starting in year 0 in UTC), and no sale does.
YEARS = range(2000, 3000)


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """The business days of one location."""

    time_zone: ZoneInfo
    cutoff_hour: int

    @classmethod
    def of(cls, time_zone: str, cutoff_hour: int) -> BusinessCalendar:
        return cls(ZoneInfo(time_zone), cutoff_hour)

    def start_of(self, day: date) -> datetime:
        """The instant (UTC) the business day `day` starts.

        A cutoff inside the hour the clocks skip (2 am on a spring-forward night) does not
        exist locally; `fold=0` reads it with the offset in force before the change, which is
        exactly the instant the clocks jump. A cutoff inside the hour that repeats (autumn)
        starts the day at its first occurrence."""
        local = datetime.combine(day, time(self.cutoff_hour), tzinfo=self.time_zone)
        return local.astimezone(UTC)

    def day_of(self, instant: datetime) -> date:
        """The business day an instant belongs to."""
        local = instant.astimezone(self.time_zone)
        day = (local.replace(tzinfo=None) - timedelta(hours=self.cutoff_hour)).date()
        # The wall-clock guess is right except next to a change of the clocks; the
        # boundaries decide.
        if instant < self.start_of(day):
            return day - timedelta(days=1)
        if instant >= self.start_of(day + timedelta(days=1)):
            return day + timedelta(days=1)
        return day

    def boundaries(self, first: date, last: date) -> list[datetime]:
        """The start of every day from `first` to `last`, then the end of `last`: day i of
        the range is [boundaries[i], boundaries[i + 1])."""
        count = (last - first).days + 1
        return [self.start_of(first + timedelta(days=offset)) for offset in range(count + 1)]

    def hours(self, day: date) -> float:
        """How long the business day is: 24, or 23 and 25 when the clocks change."""
        length = self.start_of(day + timedelta(days=1)) - self.start_of(day)
        return length.total_seconds() / 3600


class PeriodError(ValueError):
    """A period that cannot be read, or one longer than a report covers."""


# ASCII digits only: a period is echoed into an export's manifest as it was read.
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"([0-9]{4})")


@dataclass(frozen=True, slots=True)
class Period:
    """A run of business days: a day, a calendar month, quarter or year, or a range."""

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
