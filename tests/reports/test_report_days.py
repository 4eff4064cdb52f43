"""Business days and report periods (services/reports/days.py), worked by hand: the days the
clocks change in Sydney and Berlin are 23 and 25 hours long, the UTC instant each business
day starts is written out, a sale is put in the day the venue would put it in, and periods
parse the way an accountant writes them.

Offsets used below: Sydney AEST is UTC+10 and AEDT UTC+11; Berlin CET is UTC+1 and CEST
UTC+2. In 2026 Sydney's clocks go back on Sun 5 April (03:00 AEDT -> 02:00 AEST) and forward
on Sun 4 October (02:00 AEST -> 03:00 AEDT); Berlin's go forward on Sun 29 March (02:00 CET
-> 03:00 CEST) and back on Sun 25 October (03:00 CEST -> 02:00 CET).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libs.sales.business_days import BusinessCalendar
from services.reports.days import MAX_DAYS, Period, PeriodError

SYDNEY = "Australia/Sydney"
BERLIN = "Europe/Berlin"
SECOND = timedelta(seconds=1)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- Sydney, cutoff 3 am (the test venues' own calendar) -------------------------------------


def test_sydney_spring_forward_saturday_is_23_hours() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 3)
    saturday, sunday, monday = date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5)
    # Sat 03:00 AEST (+10) = Fri 17:00 UTC.
    assert calendar.start_of(saturday) == utc(2026, 10, 2, 17)
    # Sun 03:00 AEDT (+11): the clocks jumped from 02:00 AEST at 16:00 UTC, so 03:00 AEDT is
    # that same instant, Sat 16:00 UTC.
    assert calendar.start_of(sunday) == utc(2026, 10, 3, 16)
    # Mon 03:00 AEDT = Sun 16:00 UTC.
    assert calendar.start_of(monday) == utc(2026, 10, 4, 16)
    # Saturday: Fri 17:00 -> Sat 16:00 UTC = 23 h; Sunday: 16:00 -> 16:00 = 24 h.
    assert calendar.hours(saturday) == 23.0
    assert calendar.hours(sunday) == 24.0
    assert calendar.hours(date(2026, 10, 2)) == 24.0


def test_sydney_fall_back_saturday_is_25_hours() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 3)
    saturday, sunday = date(2026, 4, 4), date(2026, 4, 5)
    # Sat 03:00 AEDT (+11) = Fri 16:00 UTC.
    assert calendar.start_of(saturday) == utc(2026, 4, 3, 16)
    # Sun: at 03:00 AEDT (16:00 UTC) the clocks went back to 02:00 AEST, so 03:00 is reached
    # once, in AEST (+10): Sat 17:00 UTC.
    assert calendar.start_of(sunday) == utc(2026, 4, 4, 17)
    # Mon 03:00 AEST = Sun 17:00 UTC.
    assert calendar.start_of(date(2026, 4, 6)) == utc(2026, 4, 5, 17)
    # Saturday: Fri 16:00 -> Sat 17:00 UTC = 25 h.
    assert calendar.hours(saturday) == 25.0
    assert calendar.hours(sunday) == 24.0


def test_sydney_a_sale_after_midnight_belongs_to_the_night_before() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 3)
    saturday, sunday = date(2026, 10, 3), date(2026, 10, 4)
    # Sat 19:00 AEST = Sat 09:00 UTC.
    assert calendar.day_of(utc(2026, 10, 3, 9)) == saturday
    # Sun 00:30 AEST = Sat 14:30 UTC: before the 3 am cutoff, Saturday night.
    assert calendar.day_of(utc(2026, 10, 3, 14, 30)) == saturday
    # Sun 01:59:59 AEST = Sat 15:59:59 UTC: the last second of Saturday's business day.
    assert calendar.day_of(utc(2026, 10, 3, 15, 59, 59)) == saturday
    # One second later the clocks read 03:00:00 AEDT: Sunday's first instant.
    assert calendar.day_of(utc(2026, 10, 3, 16)) == sunday
    # Sun 03:30 AEDT = Sat 16:30 UTC.
    assert calendar.day_of(utc(2026, 10, 3, 16, 30)) == sunday
    # Friday's last second: Sat 02:59:59 AEST = Fri 16:59:59 UTC.
    assert calendar.day_of(utc(2026, 10, 2, 16, 59, 59)) == date(2026, 10, 2)
    assert calendar.day_of(utc(2026, 10, 2, 17)) == saturday


def test_sydney_both_passes_through_the_repeated_hour_are_saturday() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 3)
    saturday, sunday = date(2026, 4, 4), date(2026, 4, 5)
    # 02:30 on Sunday morning happens twice: first in AEDT (Sat 15:30 UTC), then, after the
    # clocks go back, in AEST (Sat 16:30 UTC). With a 3 am cutoff both are Saturday night.
    assert calendar.day_of(utc(2026, 4, 4, 15, 30)) == saturday
    assert calendar.day_of(utc(2026, 4, 4, 16, 30)) == saturday
    # 02:59:59 AEST = Sat 16:59:59 UTC, still Saturday; 03:00 AEST = 17:00 UTC is Sunday.
    assert calendar.day_of(utc(2026, 4, 4, 16, 59, 59)) == saturday
    assert calendar.day_of(utc(2026, 4, 4, 17)) == sunday


# --- Berlin, cutoff 3 am --------------------------------------------------------------------


def test_berlin_spring_forward_saturday_is_23_hours() -> None:
    calendar = BusinessCalendar.of(BERLIN, 3)
    saturday, sunday = date(2026, 3, 28), date(2026, 3, 29)
    # Sat 03:00 CET (+1) = Sat 02:00 UTC; Sun 03:00 CEST (+2) = Sun 01:00 UTC, the very
    # instant 02:00 CET became 03:00 CEST.
    assert calendar.start_of(saturday) == utc(2026, 3, 28, 2)
    assert calendar.start_of(sunday) == utc(2026, 3, 29, 1)
    assert calendar.start_of(date(2026, 3, 30)) == utc(2026, 3, 30, 1)
    assert calendar.hours(saturday) == 23.0  # 02:00 -> 01:00 the next day
    assert calendar.hours(sunday) == 24.0
    # Sun 01:59:59 CET = 00:59:59 UTC: Saturday night; 03:00 CEST = 01:00 UTC: Sunday.
    assert calendar.day_of(utc(2026, 3, 29, 0, 59, 59)) == saturday
    assert calendar.day_of(utc(2026, 3, 29, 1)) == sunday


def test_berlin_fall_back_saturday_is_25_hours() -> None:
    calendar = BusinessCalendar.of(BERLIN, 3)
    saturday, sunday = date(2026, 10, 24), date(2026, 10, 25)
    # Sat 03:00 CEST (+2) = Sat 01:00 UTC; Sun 03:00 CET (+1) = Sun 02:00 UTC.
    assert calendar.start_of(saturday) == utc(2026, 10, 24, 1)
    assert calendar.start_of(sunday) == utc(2026, 10, 25, 2)
    assert calendar.hours(saturday) == 25.0  # Sat 01:00 -> Sun 02:00 UTC
    assert calendar.hours(sunday) == 24.0
    # 02:30 twice: CEST (00:30 UTC) and CET (01:30 UTC), both Saturday night.
    assert calendar.day_of(utc(2026, 10, 25, 0, 30)) == saturday
    assert calendar.day_of(utc(2026, 10, 25, 1, 30)) == saturday
    assert calendar.day_of(utc(2026, 10, 25, 1, 59, 59)) == saturday
    assert calendar.day_of(utc(2026, 10, 25, 2)) == sunday


# --- a cutoff inside the hour that is skipped or repeated ---------------------------------


def test_sydney_cutoff_in_the_skipped_hour_starts_the_day_when_the_clocks_jump() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 2)
    saturday, sunday = date(2026, 10, 3), date(2026, 10, 4)
    # Sat 02:00 AEST = Fri 16:00 UTC.
    assert calendar.start_of(saturday) == utc(2026, 10, 2, 16)
    # Sun 02:00 does not exist: at 02:00 AEST (Sat 16:00 UTC) the clocks read 03:00 AEDT.
    # The day starts at that instant.
    assert calendar.start_of(sunday) == utc(2026, 10, 3, 16)
    # Mon 02:00 AEDT = Sun 15:00 UTC.
    assert calendar.start_of(date(2026, 10, 5)) == utc(2026, 10, 4, 15)
    # Saturday keeps all 24 of its hours; Sunday (wall clock 02:00 -> 02:00 without the hour
    # that never was) is the short one: Sat 16:00 -> Sun 15:00 UTC = 23 h.
    assert calendar.hours(saturday) == 24.0
    assert calendar.hours(sunday) == 23.0
    # Sun 01:59:59 AEST (15:59:59 UTC) is Saturday's; 03:00 AEDT (16:00 UTC) Sunday's.
    assert calendar.day_of(utc(2026, 10, 3, 15, 59, 59)) == saturday
    assert calendar.day_of(utc(2026, 10, 3, 16)) == sunday


def test_sydney_cutoff_in_the_repeated_hour_starts_the_day_at_its_first_pass() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 2)
    saturday, sunday = date(2026, 4, 4), date(2026, 4, 5)
    # Sat 02:00 AEDT = Fri 15:00 UTC.
    assert calendar.start_of(saturday) == utc(2026, 4, 3, 15)
    # Sun 02:00 happens at 02:00 AEDT (Sat 15:00 UTC) and again at 02:00 AEST (16:00 UTC):
    # the day starts at the first.
    assert calendar.start_of(sunday) == utc(2026, 4, 4, 15)
    # Mon 02:00 AEST = Sun 16:00 UTC.
    assert calendar.start_of(date(2026, 4, 6)) == utc(2026, 4, 5, 16)
    assert calendar.hours(saturday) == 24.0
    assert calendar.hours(sunday) == 25.0  # Sat 15:00 -> Sun 16:00 UTC
    # 02:30 AEDT (15:30 UTC) and 02:30 AEST (16:30 UTC) are both Sunday's.
    assert calendar.day_of(utc(2026, 4, 4, 14, 59, 59)) == saturday
    assert calendar.day_of(utc(2026, 4, 4, 15)) == sunday
    assert calendar.day_of(utc(2026, 4, 4, 15, 30)) == sunday
    assert calendar.day_of(utc(2026, 4, 4, 16, 30)) == sunday


def test_berlin_cutoff_in_the_skipped_and_repeated_hours() -> None:
    calendar = BusinessCalendar.of(BERLIN, 2)
    # Spring: Sun 29 March 02:00 does not exist; 02:00 CET = 01:00 UTC is when the clocks
    # jump, and the day starts then. Mon 02:00 CEST = Mon 00:00 UTC.
    assert calendar.start_of(date(2026, 3, 28)) == utc(2026, 3, 28, 1)  # 02:00 CET
    assert calendar.start_of(date(2026, 3, 29)) == utc(2026, 3, 29, 1)
    assert calendar.start_of(date(2026, 3, 30)) == utc(2026, 3, 30, 0)
    assert calendar.hours(date(2026, 3, 28)) == 24.0
    assert calendar.hours(date(2026, 3, 29)) == 23.0
    # Autumn: Sun 25 October 02:00 is first 02:00 CEST = 00:00 UTC; Mon 02:00 CET = 01:00 UTC.
    assert calendar.start_of(date(2026, 10, 24)) == utc(2026, 10, 24, 0)  # 02:00 CEST
    assert calendar.start_of(date(2026, 10, 25)) == utc(2026, 10, 25, 0)
    assert calendar.start_of(date(2026, 10, 26)) == utc(2026, 10, 26, 1)
    assert calendar.hours(date(2026, 10, 24)) == 24.0
    assert calendar.hours(date(2026, 10, 25)) == 25.0
    # 02:30 CET on the second pass (01:30 UTC) is Sunday's, as is the first (00:30 UTC).
    assert calendar.day_of(utc(2026, 10, 25, 0, 30)) == date(2026, 10, 25)
    assert calendar.day_of(utc(2026, 10, 25, 1, 30)) == date(2026, 10, 25)
    assert calendar.day_of(utc(2026, 10, 24, 23, 59, 59)) == date(2026, 10, 24)


def test_midnight_cutoff_puts_the_short_and_long_days_on_sunday() -> None:
    sydney = BusinessCalendar.of(SYDNEY, 0)
    # Sun 4 Oct 00:00 AEST = Sat 14:00 UTC; Mon 00:00 AEDT = Sun 13:00 UTC: 23 h.
    assert sydney.start_of(date(2026, 10, 4)) == utc(2026, 10, 3, 14)
    assert sydney.start_of(date(2026, 10, 5)) == utc(2026, 10, 4, 13)
    assert sydney.hours(date(2026, 10, 3)) == 24.0
    assert sydney.hours(date(2026, 10, 4)) == 23.0
    # Sun 5 Apr 00:00 AEDT = Sat 13:00 UTC; Mon 00:00 AEST = Sun 14:00 UTC: 25 h.
    assert sydney.start_of(date(2026, 4, 5)) == utc(2026, 4, 4, 13)
    assert sydney.start_of(date(2026, 4, 6)) == utc(2026, 4, 5, 14)
    assert sydney.hours(date(2026, 4, 5)) == 25.0
    # Sat 23:59:59 AEST is Saturday's; a cutoff of 0 is the calendar date.
    assert sydney.day_of(utc(2026, 10, 3, 13, 59, 59)) == date(2026, 10, 3)
    assert sydney.day_of(utc(2026, 10, 3, 14)) == date(2026, 10, 4)

    berlin = BusinessCalendar.of(BERLIN, 0)
    # Sun 29 Mar 00:00 CET = Sat 23:00 UTC; Mon 00:00 CEST = Sun 22:00 UTC: 23 h.
    assert berlin.start_of(date(2026, 3, 29)) == utc(2026, 3, 28, 23)
    assert berlin.start_of(date(2026, 3, 30)) == utc(2026, 3, 29, 22)
    assert berlin.hours(date(2026, 3, 29)) == 23.0
    # Sun 25 Oct 00:00 CEST = Sat 22:00 UTC; Mon 00:00 CET = Sun 23:00 UTC: 25 h.
    assert berlin.start_of(date(2026, 10, 25)) == utc(2026, 10, 24, 22)
    assert berlin.start_of(date(2026, 10, 26)) == utc(2026, 10, 25, 23)
    assert berlin.hours(date(2026, 10, 25)) == 25.0


def test_half_hour_daylight_saving_gives_a_23_and_a_half_hour_day() -> None:
    # Lord Howe Island moves its clocks by 30 minutes: +10:30 in winter, +11 in summer, at
    # 02:00 local on the first Sunday of October.
    calendar = BusinessCalendar.of("Australia/Lord_Howe", 3)
    # Sat 03:00 (+10:30) = Fri 16:30 UTC; Sun 03:00 (+11) = Sat 16:00 UTC: 23.5 h.
    assert calendar.start_of(date(2026, 10, 3)) == utc(2026, 10, 2, 16, 30)
    assert calendar.start_of(date(2026, 10, 4)) == utc(2026, 10, 3, 16)
    assert calendar.hours(date(2026, 10, 3)) == 23.5


# --- boundaries -----------------------------------------------------------------------------


def test_boundaries_of_a_week_across_the_change() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 3)
    bounds = calendar.boundaries(date(2026, 10, 1), date(2026, 10, 7))
    # Seven days, eight boundaries: each day's start, then the end of the last.
    assert len(bounds) == 8
    assert bounds[0] == utc(2026, 9, 30, 17)  # Thu 1 Oct 03:00 AEST
    assert bounds[-1] == utc(2026, 10, 7, 16)  # Thu 8 Oct 03:00 AEDT
    assert [(end - start) / timedelta(hours=1) for start, end in pairwise(bounds)] == [
        24,
        24,
        23,
        24,
        24,
        24,
        24,
    ]
    # Sum: 7 x 24 - 1 = 167 hours.
    assert bounds[-1] - bounds[0] == timedelta(hours=167)


def test_boundaries_of_one_day_are_its_start_and_end() -> None:
    calendar = BusinessCalendar.of(SYDNEY, 3)
    assert calendar.boundaries(date(2026, 4, 4), date(2026, 4, 4)) == [
        utc(2026, 4, 3, 16),
        utc(2026, 4, 4, 17),
    ]


ZONES = [
    (SYDNEY, 3),
    (SYDNEY, 2),
    (SYDNEY, 0),
    (BERLIN, 3),
    (BERLIN, 2),
    (BERLIN, 0),
    ("Australia/Lord_Howe", 2),
    ("America/New_York", 2),
    ("America/Santiago", 0),
    ("America/Havana", 0),
    ("Pacific/Chatham", 3),
    ("Asia/Kolkata", 3),
    ("UTC", 5),
    ("Europe/London", 1),
]


@pytest.mark.parametrize(("zone", "cutoff"), ZONES)
def test_every_boundary_of_a_year_is_the_first_instant_of_its_day(zone: str, cutoff: int) -> None:
    calendar = BusinessCalendar.of(zone, cutoff)
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    bounds = calendar.boundaries(first, last)
    assert len(bounds) == 365 + 1
    assert all(start < end for start, end in pairwise(bounds))
    lengths = {calendar.hours(first + timedelta(days=n)) for n in range(365)}
    assert lengths <= {23.0, 23.5, 24.0, 24.5, 25.0}
    # A year of days, however long each, covers the year: 365 x 24 h plus or minus the
    # hour lost in spring and won back in autumn.
    assert bounds[-1] - bounds[0] == calendar.start_of(date(2027, 1, 1)) - calendar.start_of(first)
    for offset, (start, end) in enumerate(pairwise(bounds)):
        day = first + timedelta(days=offset)
        assert calendar.day_of(start) == day, (zone, cutoff, day)
        assert calendar.day_of(start - SECOND) == day - timedelta(days=1), (zone, cutoff, day)
        assert calendar.day_of(end - SECOND) == day, (zone, cutoff, day)


@given(
    zone=st.sampled_from([zone for zone, _ in ZONES]),
    cutoff=st.integers(min_value=0, max_value=23),
    instant=st.datetimes(
        min_value=datetime(2020, 1, 2), max_value=datetime(2035, 12, 30), timezones=st.just(UTC)
    ),
)
def test_day_of_any_instant_is_the_day_whose_boundaries_hold_it(
    zone: str, cutoff: int, instant: datetime
) -> None:
    calendar = BusinessCalendar.of(zone, cutoff)
    day = calendar.day_of(instant)
    assert calendar.start_of(day) <= instant < calendar.start_of(day + timedelta(days=1))


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "first", "last", "days"),
    [
        ("2026-11-21", "day", date(2026, 11, 21), date(2026, 11, 21), 1),
        ("2026-11", "month", date(2026, 11, 1), date(2026, 11, 30), 30),
        ("2026-02", "month", date(2026, 2, 1), date(2026, 2, 28), 28),
        ("2028-02", "month", date(2028, 2, 1), date(2028, 2, 29), 29),  # leap year
        ("2100-02", "month", date(2100, 2, 1), date(2100, 2, 28), 28),  # century, not leap
        ("2000-02", "month", date(2000, 2, 1), date(2000, 2, 29), 29),  # 400th year, leap
        ("2028-02-29", "day", date(2028, 2, 29), date(2028, 2, 29), 1),
        ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31), 31 + 28 + 31),
        ("2028-Q1", "quarter", date(2028, 1, 1), date(2028, 3, 31), 31 + 29 + 31),
        ("2026-Q2", "quarter", date(2026, 4, 1), date(2026, 6, 30), 30 + 31 + 30),
        ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30), 31 + 31 + 30),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31), 31 + 30 + 31),
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31), 365),
        ("2028", "year", date(2028, 1, 1), date(2028, 12, 31), 366),
    ],
)
def test_a_period_parses_to_its_days(
    text: str, kind: str, first: date, last: date, days: int
) -> None:
    period = Period.parse(text)
    assert (period.kind, period.first, period.last) == (kind, first, last)
    assert period.label == text
    assert len(period.days) == days
    assert period.days[0] == first and period.days[-1] == last


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",  # no 13th month
        "2026-00",
        "2026-02-30",  # February has no 30th
        "2026-02-29",  # nor a 29th in a common year
        "2026-04-31",
        "2026-Q5",  # four quarters
        "2026-Q0",
        "26",  # two-digit year
        "0000",  # no year 0
        "2026-1",
        "2026-11-1",
        "2026/11",
        "2026-q3",
        " 2026",
        "2026-11-21T00:00",
        "",
        "Q3-2026",
    ],
)
def test_a_period_that_cannot_be_read_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


@pytest.mark.parametrize("text", ["9999", "9999-12", "9999-Q4", "9999-12-31", "0001-01-01"])
def test_every_period_that_parses_can_be_bounded(text: str) -> None:
    # The last day's end is the next day's start: 1 January 10000 does not exist. The first
    # day of year 1 starts at 03:00 Sydney time, 31 December of year 0 in UTC: nor does it.
    calendar = BusinessCalendar.of(SYDNEY, 3)
    try:
        period = Period.parse(text)
    except PeriodError:
        return  # refusing the period is an answer too
    bounds = calendar.boundaries(period.first, period.last)
    assert len(bounds) == len(period.days) + 1


def test_a_range_covers_at_most_a_year_and_a_day() -> None:
    assert MAX_DAYS == 367
    single = Period.between(date(2026, 11, 21), date(2026, 11, 21))
    assert (single.kind, single.days, single.label) == (
        "range",
        [date(2026, 11, 21)],
        "2026-11-21..2026-11-21",
    )
    # A leap year is 366 days; starting on the 1st of January 2028 and ending on the 1st of
    # January 2029 is 367: the longest range allowed.
    assert len(Period.between(date(2028, 1, 1), date(2028, 12, 31)).days) == 366
    assert len(Period.between(date(2028, 1, 1), date(2029, 1, 1)).days) == 367
    with pytest.raises(PeriodError, match="at most 367 days"):
        Period.between(date(2028, 1, 1), date(2029, 1, 2))  # 368 days
    with pytest.raises(PeriodError, match="ends before it starts"):
        Period.between(date(2026, 11, 21), date(2026, 11, 20))
