"""core.timeparse: every supported format, time windows, DST edges, errors, and arbitrary text."""

from __future__ import annotations

import gzip
import io
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beatcast.core import timeparse
from beatcast.core.errors import BeatCastInputError
from beatcast.core.timeparse import ParsedTimes, parse_timestamps, validate_tz

CHICAGO = "America/Chicago"


def ts(text: str) -> np.datetime64:
    return np.datetime64(text, "ns")


def one(value, time=None, tz="UTC", dayfirst=False) -> dict:
    """Parse a single value and return its row as plain Python values."""
    parsed = parse_timestamps(
        pd.Series([value], dtype=object),
        None if time is None else pd.Series([time], dtype=object),
        tz=tz,
        dayfirst=dayfirst,
    )
    return {
        "start": parsed.start_utc[0],
        "end": parsed.end_utc[0],
        "local": parsed.local[0],
        "precision": parsed.precision[0],
        "error": parsed.error[0],
    }


# -- formats ---------------------------------------------------------------------------------------

FORMATS = [
    # value, local wall time, precision
    ("2024-03-05", "2024-03-05T00:00", "day"),
    ("2024-03-05 21:14", "2024-03-05T21:14", "minute"),
    ("2024-03-05T21:14", "2024-03-05T21:14", "minute"),
    ("2024-03-05T21:14:33", "2024-03-05T21:14:33", "second"),
    ("2024-03-05 21:14:33.250", "2024-03-05T21:14:33.250", "second"),
    ("2024-03-05T21:14:33,5", "2024-03-05T21:14:33.5", "second"),
    ("2024-03-05T21", "2024-03-05T21:00", "hour"),
    ("2024-3-5", "2024-03-05T00:00", "day"),
    ("2024/03/05", "2024-03-05T00:00", "day"),
    ("2024.03.05 08:00", "2024-03-05T08:00", "minute"),
    ("5/10/2017 13:30", "2017-05-10T13:30", "minute"),
    ("05/10/2017 13:30", "2017-05-10T13:30", "minute"),
    ("5/1/2017 3:05", "2017-05-01T03:05", "minute"),
    ("12/31/2019 23:59:59", "2019-12-31T23:59:59", "second"),
    ("5/10/17", "2017-05-10T00:00", "day"),
    ("05-10-2017", "2017-05-10T00:00", "day"),
    ("3/5/2024 9:30 PM", "2024-03-05T21:30", "minute"),
    ("3/5/2024 9:30PM", "2024-03-05T21:30", "minute"),
    ("3/5/2024 09:30:15 am", "2024-03-05T09:30:15", "second"),
    ("3/5/2024 12:00:00 AM", "2024-03-05T00:00", "second"),
    ("3/5/2024 12:10 PM", "2024-03-05T12:10", "minute"),
    ("3/5/2024 9 PM", "2024-03-05T21:00", "hour"),
    ("05-Mar-2024", "2024-03-05T00:00", "day"),
    ("05-MAR-24", "2024-03-05T00:00", "day"),
    ("5 March 2024", "2024-03-05T00:00", "day"),
    ("5th March 2024", "2024-03-05T00:00", "day"),
    ("05-Sep-2023 14:20", "2023-09-05T14:20", "minute"),
    ("Mar 5 2024", "2024-03-05T00:00", "day"),
    ("March 5, 2024", "2024-03-05T00:00", "day"),
    ("Sept 30, 2023, 9:30 PM", "2023-09-30T21:30", "minute"),
    ("Tue Mar 05 2024", "2024-03-05T00:00", "day"),
    ("2024-Mar-05", "2024-03-05T00:00", "day"),
    ("20240305", "2024-03-05T00:00", "day"),
    ("20240305T2114", "2024-03-05T21:14", "minute"),
    ("20240305 211433", "2024-03-05T21:14:33", "second"),
    ("2024-03", "2024-03-01T00:00", "month"),
    ("2024/3", "2024-03-01T00:00", "month"),
    ("03/2024", "2024-03-01T00:00", "month"),
    ("3-2024", "2024-03-01T00:00", "month"),
    ("March 2024", "2024-03-01T00:00", "month"),
    ("Mar-2024", "2024-03-01T00:00", "month"),
    ("2024-03-01", "2024-03-01T00:00", "day"),  # a first-of-month date is still a date
    ("  2024-03-05  ", "2024-03-05T00:00", "day"),
    ("2024-03-05  21:14", "2024-03-05T21:14", "minute"),
    ("2024-02-29", "2024-02-29T00:00", "day"),
]


@pytest.mark.parametrize(("value", "local", "precision"), FORMATS)
def test_formats_in_utc(value, local, precision):
    row = one(value)
    assert row["error"] == ""
    assert row["local"] == ts(local)
    assert row["start"] == ts(local)
    assert row["precision"] == precision


def test_mixed_formats_in_one_column_are_detected_per_row():
    values = [
        "5/10/2017 13:30",
        "05/10/2017 13:30",
        "2017-05-10T13:30",
        "10-May-2017 1:30 PM",
        "May 10, 2017",
    ]
    parsed = parse_timestamps(pd.Series(values), tz="UTC")
    assert parsed.ok.all()
    assert list(parsed.local[:4]) == [ts("2017-05-10T13:30")] * 4
    assert list(parsed.precision) == ["minute"] * 4 + ["day"]


def test_dayfirst():
    assert one("05/10/2017", dayfirst=True)["local"] == ts("2017-10-05")
    assert one("31/12/2023 22:15", dayfirst=True)["local"] == ts("2023-12-31T22:15")
    assert one("12/31/2023", dayfirst=True)["error"].startswith("unparseable date '12/31/2023'")


def test_offsets_override_tz():
    for value, start in [
        ("2024-03-05T21:14:33Z", "2024-03-05T21:14:33"),
        ("2024-03-05T21:14:33.5Z", "2024-03-05T21:14:33.5"),
        ("2024-03-05T21:14:33+01:00", "2024-03-05T20:14:33"),
        ("2024-03-05 21:14:33 -0500", "2024-03-06T02:14:33"),
        ("2024-03-05T21:14+05:30", "2024-03-05T15:44"),
        ("2024-03-05 21:14 UTC", "2024-03-05T21:14"),
        ("Tue, 05 Mar 2024 21:14:33 GMT", "2024-03-05T21:14:33"),
    ]:
        row = one(value, tz=CHICAGO)
        assert row["error"] == "", value
        assert row["start"] == ts(start), value
    # local is the wall time in tz, whatever the offset in the text
    assert one("2024-03-05T21:14:33Z", tz=CHICAGO)["local"] == ts("2024-03-05T15:14:33")


# -- windows and time zones --------------------------------------------------------------------------


def test_window_lengths():
    assert one("2024-03-05 21:14")["end"] - one("2024-03-05 21:14")["start"] == np.timedelta64(60, "s")
    assert one("2024-03-05 21:14:33")["end"] == ts("2024-03-05T21:14:34")
    assert one("3/5/2024 9 PM")["end"] == ts("2024-03-05T22:00")
    assert one("2024-03-05")["end"] == ts("2024-03-06")
    assert one("2024-02")["end"] == ts("2024-03-01")
    assert one("2023-12")["end"] == ts("2024-01-01")


def test_local_to_utc_in_chicago():
    row = one("7/4/2019 20:00", tz=CHICAGO)  # CDT, UTC-5
    assert row["start"] == ts("2019-07-05T01:00")
    assert row["local"] == ts("2019-07-04T20:00")
    assert one("1/15/2019 20:00", tz=CHICAGO)["start"] == ts("2019-01-16T02:00")  # CST, UTC-6


def test_nonexistent_time_moves_forward_by_the_gap():
    row = one("2024-03-10 02:30", tz=CHICAGO)
    assert row["error"] == ""
    assert row["start"] == ts("2024-03-10T08:30")  # read as 02:30 CST = 03:30 CDT
    assert row["local"] == ts("2024-03-10T03:30")
    assert row["end"] - row["start"] == np.timedelta64(1, "m")
    assert one("2024-03-10 01:59", tz=CHICAGO)["start"] == ts("2024-03-10T07:59")
    assert one("2024-03-10 03:00", tz=CHICAGO)["start"] == ts("2024-03-10T08:00")


def test_ambiguous_time_is_the_first_occurrence():
    row = one("2024-11-03 01:30", tz=CHICAGO)
    assert row["start"] == ts("2024-11-03T06:30")  # 01:30 CDT (UTC-5), not CST
    assert row["local"] == ts("2024-11-03T01:30")


def test_date_windows_across_dst_are_23_and_25_hours():
    spring = one("2024-03-10", tz=CHICAGO)
    assert spring["start"] == ts("2024-03-10T06:00")
    assert spring["end"] - spring["start"] == np.timedelta64(23, "h")
    autumn = one("11/3/2024", tz=CHICAGO)
    assert autumn["end"] - autumn["start"] == np.timedelta64(25, "h")
    plain = one("2024-03-11", tz=CHICAGO)
    assert plain["end"] - plain["start"] == np.timedelta64(24, "h")


def test_month_windows_in_local_time():
    march = one("2024-03", tz=CHICAGO)
    assert march["start"] == ts("2024-03-01T06:00")
    assert march["end"] == ts("2024-04-01T05:00")
    assert march["end"] - march["start"] == np.timedelta64(31 * 24 - 1, "h")
    london = one("2022-10", tz="Europe/London")
    assert london["start"] == ts("2022-09-30T23:00")
    assert london["end"] == ts("2022-11-01T00:00")


def test_hour_24_is_midnight_of_the_next_day():
    row = one("2024-03-05 24:00")
    assert row["local"] == ts("2024-03-06T00:00")
    assert one("2024-12-31", time="24:00")["local"] == ts("2025-01-01T00:00")
    assert "hour out of range" in one("2024-03-05 24:30")["error"]


def test_validate_tz():
    assert validate_tz(" America/Chicago ") == "America/Chicago"
    assert validate_tz("UTC") == "UTC"
    for bad in ("Mars/Olympus", "", "+01:00", None):
        with pytest.raises(BeatCastInputError, match="parameter tz: unknown time zone"):
            validate_tz(bad)
    with pytest.raises(BeatCastInputError, match="parameter TIMEZONE"):
        validate_tz("Nowhere", parameter="TIMEZONE")
    with pytest.raises(BeatCastInputError, match="tz"):
        parse_timestamps(pd.Series(["2024-03-05"]), tz="America/Chikago")


# -- separate time column ------------------------------------------------------------------------------

TIMES = [
    ("2130", "2024-03-05T21:30", "minute"),
    ("930", "2024-03-05T09:30", "minute"),
    ("0005", "2024-03-05T00:05", "minute"),
    ("5", "2024-03-05T00:05", "minute"),
    ("0", "2024-03-05T00:00", "minute"),
    ("2130.0", "2024-03-05T21:30", "minute"),
    ("213015", "2024-03-05T21:30:15", "second"),
    ("21:30", "2024-03-05T21:30", "minute"),
    ("9:05", "2024-03-05T09:05", "minute"),
    ("21:30:15", "2024-03-05T21:30:15", "second"),
    ("21:30:15.5", "2024-03-05T21:30:15.5", "second"),
    ("9:30 PM", "2024-03-05T21:30", "minute"),
    ("12:15 am", "2024-03-05T00:15", "minute"),
    ("9 PM", "2024-03-05T21:00", "hour"),
    ("9pm", "2024-03-05T21:00", "hour"),
    ("12/30/1899 21:30", "2024-03-05T21:30", "minute"),  # Excel/Access time-only cell
    ("1899-12-30T21:30:00", "2024-03-05T21:30", "second"),
    ("", "2024-03-05T00:00", "day"),
    (None, "2024-03-05T00:00", "day"),
]


@pytest.mark.parametrize(("time", "local", "precision"), TIMES)
def test_time_column(time, local, precision):
    row = one("2024-03-05", time=time)
    assert row["error"] == ""
    assert row["local"] == ts(local)
    assert row["precision"] == precision


def test_time_column_replaces_the_time_in_the_date_column():
    assert one("03/05/2024 12:00:00 AM", time="2130")["local"] == ts("2024-03-05T21:30")
    assert one("2024-03-05 08:00", time="")["local"] == ts("2024-03-05T08:00")


def test_time_column_with_dst_and_windows():
    row = one("2024-03-10", time="0230", tz=CHICAGO)
    assert row["start"] == ts("2024-03-10T08:30")
    assert row["end"] - row["start"] == np.timedelta64(1, "m")
    row = one("2024-11-03", time="1:30", tz=CHICAGO)
    assert row["start"] == ts("2024-11-03T06:30")


def test_time_column_errors():
    assert one("2024-03-05", time="2599")["error"] == "unparseable time '2599' (hour out of range)"
    assert one("2024-03-05", time="2160")["error"] == "unparseable time '2160' (minute out of range)"
    assert one("2024-03-05", time="noon")["error"] == "unparseable time 'noon'"
    assert one("2024-03-05", time="21")["local"] == ts("2024-03-05T00:21")  # HHMM integer: 00:21
    assert one("2024-03-05", time="2024-03-05")["error"].startswith("unparseable time")
    assert one("2024-03-05", time="2130.5")["error"].startswith("unparseable time")
    assert one("2024-03", time="21:30")["error"] == "time '21:30' given with month-only date '2024-03'"
    assert one("", time="21:30")["error"] == "empty date"
    assert one("2/30/2023", time="21:30")["error"].startswith("unparseable date '2/30/2023'")


def test_time_column_length_must_match():
    with pytest.raises(BeatCastInputError, match="time column has 1 rows, date column has 2"):
        parse_timestamps(pd.Series(["2024-03-05", "2024-03-06"]), pd.Series(["2130"]))


# -- errors ------------------------------------------------------------------------------------------

ERRORS = [
    ("", "empty date"),
    ("   ", "empty date"),
    (None, "empty date"),
    (float("nan"), "empty date"),
    ("garbage", "unparseable date 'garbage'"),
    ("31/31/2023", "unparseable date '31/31/2023' (month out of range)"),
    ("2/30/2023", "unparseable date '2/30/2023' (day out of range for the month)"),
    ("2023-02-29", "unparseable date '2023-02-29' (day out of range for the month)"),
    ("2024-04-31", "unparseable date '2024-04-31' (day out of range for the month)"),
    ("2024-00-10", "unparseable date '2024-00-10' (month out of range)"),
    ("13/05/2024", "unparseable date '13/05/2024' (month out of range; day-first dates? set dayfirst=true)"),
    ("2024-03-05 25:00", "unparseable date '2024-03-05 25:00' (hour out of range)"),
    ("2024-03-05 21:60", "unparseable date '2024-03-05 21:60' (minute out of range)"),
    ("2024-03-05 21:59:61", "unparseable date '2024-03-05 21:59:61' (second out of range)"),
    ("3/5/2024 13:30 AM", "unparseable date '3/5/2024 13:30 AM' (hour does not fit AM/PM)"),
    ("2024-03-05T21:14+25:00", "unparseable date '2024-03-05T21:14+25:00' (UTC offset out of range)"),
    ("9999-01-01", "unparseable date '9999-01-01' (year out of range)"),
    ("0001-01-01", "unparseable date '0001-01-01' (year out of range)"),
    ("2024-13", "unparseable date '2024-13' (month out of range)"),
    ("05-Xyz-2024", "unparseable date '05-Xyz-2024'"),
    ("05-Tue-2024", "unparseable date '05-Tue-2024'"),
    ("2024-03-05x", "unparseable date '2024-03-05x'"),
    ("2024-03-05\x00", "unparseable date '2024-03-05\ufffd'"),  # NUL shown as U+FFFD
    ("２０２４-03-05", "unparseable date '２０２４-03-05'"),
    ("2024-03-05 é", "unparseable date '2024-03-05 é'"),
    ("12345678901234", "unparseable date '12345678901234'"),
    ("2024", "unparseable date '2024'"),
    ("x" * 60, "unparseable date '" + "x" * 37 + "...'"),
]


@pytest.mark.parametrize(("value", "error"), ERRORS)
def test_errors(value, error):
    row = one(value)
    assert row["error"] == error
    assert np.isnat(row["start"]) and np.isnat(row["end"]) and np.isnat(row["local"])
    assert row["precision"] == ""


def test_words_in_the_same_layout_are_told_apart():
    parsed = parse_timestamps(pd.Series(["05-Mar-2024", "05-Xyz-2024", "05-Apr-2024", "05-Tue-2024"]))
    assert list(parsed.ok) == [True, False, True, False]
    assert parsed.local[2] == ts("2024-04-05")


# -- shapes of input and output ---------------------------------------------------------------------------


def test_output_arrays_and_non_default_index():
    series = pd.Series(["2024-03-05", "bad", "2024-03-06 10:00"], index=[10, 5, 99])
    parsed = parse_timestamps(series, tz=CHICAGO)
    assert isinstance(parsed, ParsedTimes)
    assert len(parsed) == 3
    for array in (parsed.start_utc, parsed.end_utc, parsed.local):
        assert isinstance(array, np.ndarray) and array.dtype == np.dtype("M8[ns]") and len(array) == 3
    assert parsed.precision.dtype == object and parsed.error.dtype == object
    assert list(parsed.precision) == ["day", "", "minute"]
    assert list(parsed.ok) == [True, False, True]


def test_empty_input():
    parsed = parse_timestamps(pd.Series([], dtype=object), pd.Series([], dtype=object), tz=CHICAGO)
    assert len(parsed) == 0


def test_non_string_values():
    parsed = parse_timestamps(pd.Series([20240305, None, np.nan, "2024-03-05"], dtype=object))
    assert list(parsed.ok) == [True, False, False, True]
    stamps = pd.Series(pd.to_datetime(["2024-03-05 21:14:00", None]))
    parsed = parse_timestamps(stamps)
    assert parsed.local[0] == ts("2024-03-05T21:14") and parsed.error[1] == "empty date"
    parsed = parse_timestamps(pd.Series(["2024-03-05"]), pd.Series([2130.0]))
    assert parsed.local[0] == ts("2024-03-05T21:30")


def test_many_distinct_values_in_several_chunks(monkeypatch):
    rng = np.random.default_rng(7)
    stamps = pd.DatetimeIndex(np.datetime64("2016-01-01") + rng.integers(0, 10**6, 500).astype("m8[m]"))
    values = np.where(
        rng.random(500) < 0.5, stamps.strftime("%m/%d/%Y %H:%M"), stamps.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    values[::50] = "nonsense"
    whole = parse_timestamps(pd.Series(values), tz=CHICAGO)
    monkeypatch.setattr(timeparse, "_CHUNK", 7)
    chunked = parse_timestamps(pd.Series(values), tz=CHICAGO)
    for name in ("start_utc", "end_utc", "local"):
        assert np.array_equal(getattr(whole, name).view("i8"), getattr(chunked, name).view("i8")), name
    assert list(whole.precision) == list(chunked.precision)
    assert list(whole.error) == list(chunked.error)
    assert (~whole.ok).sum() == 10


# -- properties ------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dates=st.lists(st.one_of(st.text(max_size=40), st.none()), min_size=1, max_size=25),
    times=st.lists(st.one_of(st.text(max_size=12), st.none()), min_size=25, max_size=25),
    tz=st.sampled_from(["UTC", CHICAGO, "Europe/London", "Australia/Lord_Howe"]),
    dayfirst=st.booleans(),
    with_time=st.booleans(),
)
def test_arbitrary_text_never_crashes(dates, times, tz, dayfirst, with_time):
    date = pd.Series(dates, dtype=object)
    time = pd.Series(times[: len(dates)], dtype=object) if with_time else None
    parsed = parse_timestamps(date, time, tz=tz, dayfirst=dayfirst)
    assert len(parsed) == len(dates)
    ok = parsed.error == ""
    assert np.array_equal(ok, ~np.isnat(parsed.start_utc))
    assert not np.isnat(parsed.end_utc[ok]).any() and not np.isnat(parsed.local[ok]).any()
    assert (parsed.end_utc[ok] > parsed.start_utc[ok]).all()
    assert all(p in ("second", "minute", "hour", "day", "month") for p in parsed.precision[ok])
    assert (parsed.precision[~ok] == "").all() and np.isnat(parsed.start_utc[~ok]).all()


_PIECES = list("0123456789/-:.,+ TZ") + ["AM", "pm", "Mar", "sept", "Tue", "2024", "12", "31", "\x00", "\t"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dates=st.lists(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join), min_size=1, max_size=12),
    times=st.lists(st.lists(st.sampled_from(_PIECES), max_size=5).map("".join), min_size=12, max_size=12),
    with_time=st.booleans(),
)
def test_each_row_parses_as_it_would_alone(dates, times, with_time):
    """Batching (factorising, layouts, shape groups) never changes a row's result."""
    date = pd.Series(dates, dtype=object)
    time = pd.Series(times[: len(dates)], dtype=object) if with_time else None
    batch = parse_timestamps(date, time, tz=CHICAGO)
    for i in range(len(dates)):
        alone = parse_timestamps(
            date.iloc[i : i + 1], None if time is None else time.iloc[i : i + 1], tz=CHICAGO
        )
        assert alone.error[0] == batch.error[i]
        assert alone.start_utc.view("i8")[0] == batch.start_utc.view("i8")[i]
        assert alone.end_utc.view("i8")[0] == batch.end_utc.view("i8")[i]


def test_nul_characters_do_not_merge_values():
    # pandas' string hashing stops at NUL: "2024-03-05\x00" must not be taken for "2024-03-05"
    parsed = parse_timestamps(pd.Series(["2024-03-05\x00", "2024-03-05", "", "\x00"]))
    assert list(parsed.ok) == [False, True, False, False]
    assert parsed.error[2] == "empty date" and parsed.error[3].startswith("unparseable date")


FORMATTERS = {
    "iso_second": ("%Y-%m-%dT%H:%M:%S", "second"),
    "iso_minute": ("%Y-%m-%d %H:%M", "minute"),
    "us_minute": ("%m/%d/%Y %H:%M", "minute"),
    "us_ampm": ("%m/%d/%Y %I:%M:%S %p", "second"),
    "us_unpadded": ("{month}/{day}/%Y {hour}:%M", "minute"),
    "named": ("%d-%b-%Y %H:%M", "minute"),
    "long_named": ("%B {day}, %Y", "day"),
    "compact": ("%Y%m%d", "day"),
    "month": ("%Y-%m", "month"),
}
_FLOOR = {"second": "s", "minute": "m", "day": "D", "month": "M"}


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31)),
    formats=st.lists(st.sampled_from(sorted(FORMATTERS)), min_size=1, max_size=4),
)
def test_formatted_datetimes_round_trip(moment, formats):
    moment = moment.replace(microsecond=0)
    values, expected, precisions = [], [], []
    for name in formats:
        pattern, precision = FORMATTERS[name]
        pattern = pattern.format(month=moment.month, day=moment.day, hour=moment.hour)
        values.append(moment.strftime(pattern))
        expected.append(np.datetime64(moment, _FLOOR[precision]).astype("M8[ns]"))
        precisions.append(precision)
    parsed = parse_timestamps(pd.Series(values), tz="UTC")
    assert list(parsed.error) == [""] * len(values), values
    assert list(parsed.local) == expected, values
    assert list(parsed.precision) == precisions


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)))
def test_chicago_local_times_round_trip_through_utc(moment):
    """Wall time -> UTC -> wall time gives the same wall time, except inside the spring-forward gap."""
    moment = moment.replace(second=0, microsecond=0)
    row = one(moment.strftime("%Y-%m-%d %H:%M"), tz=CHICAGO)
    back = pd.Timestamp(row["start"]).tz_localize("UTC").tz_convert(CHICAGO).tz_localize(None)
    in_gap = back != pd.Timestamp(moment)
    if in_gap:
        assert back - pd.Timestamp(moment) == timedelta(hours=1)
        assert pd.Timestamp(moment).month == 3
    assert row["local"] == np.datetime64(back.to_datetime64(), "ns")


# -- real data -------------------------------------------------------------------------------------------


@pytest.mark.real_data
@pytest.mark.parametrize(
    "month", ["2017/may2017.csv.gz", "2019/december2019.csv.gz", "2015/april2015.csv.gz"]
)
def test_st_louis_date_occur_parses(shared_data, month):
    path = shared_data / "stlouis_slmpd" / "raw_monthly" / month
    if not path.exists():
        pytest.skip(f"{path} not present")
    with gzip.open(path) as handle:
        frame = pd.read_csv(io.BytesIO(handle.read()), dtype=str, keep_default_na=False, encoding="latin-1")
    frame.columns = [c.replace("\ufeff", "").replace("ï»¿", "").strip() for c in frame.columns]
    column = "Date Occur" if "Date Occur" in frame.columns else "DateOccur"
    parsed = parse_timestamps(frame[column], tz=CHICAGO)
    assert parsed.ok.mean() > 0.999, pd.Series(parsed.error[~parsed.ok]).value_counts().head()
    assert set(parsed.precision[parsed.ok]) == {"minute"}
    coded = frame["CodedMonth" if "CodedMonth" in frame.columns else "Coded Month"].iloc[0]
    recent = parsed.local[parsed.ok] >= np.datetime64(f"{coded}-01", "ns") - np.timedelta64(400, "D")
    assert recent.mean() > 0.5  # most offences occurred shortly before the month they were coded in
