import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template

from purei.core.times import datetime_nz, time_nz

NZ = zoneinfo.ZoneInfo("Pacific/Auckland")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("clock", "shown"),
    [
        (dt.time(0, 24), "12:24 am"),
        (dt.time(9, 5), "9:05 am"),
        (dt.time(12, 0), "12:00 pm"),
        (dt.time(15, 30), "3:30 pm"),
        (dt.time(23, 59), "11:59 pm"),
    ],
)
def test_clock_times_read_the_new_zealand_way(clock, shown):
    assert time_nz(clock) == shown


def test_an_aware_moment_is_shown_in_new_zealand_time():
    # given: 11:24 UTC on 6 December is 12:24 am on 7 December in Auckland (NZDT)
    moment = dt.datetime(2026, 12, 6, 11, 24, tzinfo=UTC)
    # then
    assert datetime_nz(moment) == "7 December 2026, 12:24 am"
    assert datetime_nz(moment, "short") == "7 Dec 2026, 12:24 am"
    assert datetime_nz(moment, "day") == "Monday 7 December 2026, 12:24 am"


def test_the_template_filters():
    moment = dt.datetime(2026, 12, 7, 15, 5, tzinfo=NZ)
    rendered = Template(
        "{% load times %}{{ m|nz_datetime }}|{{ m|nz_datetime:'short' }}|"
        "{{ m|nz_time }}|{{ nothing|nz_datetime }}"
    ).render(Context({"m": moment, "nothing": None}))
    assert rendered == "7 December 2026, 3:05 pm|7 Dec 2026, 3:05 pm|3:05 pm|"
