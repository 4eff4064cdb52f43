"""A venue's business days and calendar dates, from its IANA time zone and cutoff hour.

A business day starts at the location's cutoff hour, local time, and runs to the next day's
cutoff: with a 3 am cutoff, a Saturday night that runs to 2:30 am Sunday is Saturday's. Shifts,
Z reports, daily summaries and item mixes count business days. Tax periods do not: the law
counts calendar dates, midnight to midnight in the venue's zone (docs/reports.md, "Tax
periods"). Both are found from the zone, never from an offset, so the days on which the clocks
change are 23 and 25 hours long, as they are at the venue.

The orders service uses this to keep each day's facts as sales commit, and the reports service
to bound the periods it reads: one calendar, so the two cannot disagree about a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


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

    def local_midnight(self, day: date) -> datetime:
        """The instant (UTC) the calendar date `day` starts at the venue: where a tax
        period's dates begin and end."""
        return datetime.combine(day, time(0), tzinfo=self.time_zone).astimezone(UTC)

    def local_date(self, instant: datetime) -> date:
        """The calendar date at the venue at `instant` (a tax period's date)."""
        return instant.astimezone(self.time_zone).date()
