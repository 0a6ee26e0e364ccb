"""Signals beyond incidents joined to time bins and cells (core/timecovariates.py).

Plain pytest (no QGIS); the demo tests read the session's demo city (``demo_city_dir``).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from beatcast.core import demo_signals
from beatcast.core.errors import BeatCastInputError
from beatcast.core.grid import GridSpec, build_grid, cell_index
from beatcast.core.timebins import BinSpec, make_bins
from beatcast.core.timecovariates import (
    calendar_features,
    event_cells,
    join_events,
    join_series,
    us_federal_holidays,
)

TZ = "America/Chicago"
TEMP = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
PRECIP = [0.0, 0.0, 5.5, 0.0, 1.2, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0]


def bins_of(unit: str, start: str, end: str, **kwargs):
    return make_bins(BinSpec(unit, TZ, pd.Timestamp(start), pd.Timestamp(end), **kwargs))


@pytest.fixture
def two_weeks() -> pd.DataFrame:
    """Monday 1 to Sunday 14 January 2024, as text (as read from a CSV)."""
    days = pd.date_range("2024-01-01", periods=14).strftime("%Y-%m-%d")
    return pd.DataFrame({"date": days, "temp_max_c": [str(t) for t in TEMP], "precip_mm": PRECIP})


# --- series -------------------------------------------------------------------------------------------


def test_daily_table_at_daily_bins_is_the_identity(two_weeks):
    bins = bins_of("day", "2024-01-01", "2024-01-15")
    frame, report = join_series(
        two_weeks, "date", ["temp_max_c", "precip_mm"], bins, TZ, how={"precip_mm": "sum"}
    )
    assert list(frame.columns) == ["bin_label", "bin_start_utc", "temp_max_c", "precip_mm"]
    assert list(frame["bin_label"]) == list(two_weeks["date"])
    assert frame["bin_start_utc"].iloc[0] == pd.Timestamp("2024-01-01 06:00", tz="UTC")
    np.testing.assert_allclose(frame["temp_max_c"], TEMP)
    np.testing.assert_allclose(frame["precip_mm"], PRECIP)
    for column in ("temp_max_c", "precip_mm"):
        assert report[column] == {
            "missing_bins": 0, "missing_rows": 0, "unparseable": 0, "first_missing": None,
            "uncovered_bins": 0, "rows_without_time": 0,
        }  # fmt: skip


def test_daily_table_at_weekly_bins(two_weeks):
    bins = bins_of("week", "2024-01-01", "2024-01-14")
    how = {"temp_max_c": "mean", "precip_mm": "sum"}
    frame, _ = join_series(two_weeks, "date", ["temp_max_c", "precip_mm"], bins, TZ, how=how)
    assert list(frame["bin_label"]) == ["2024-W01", "2024-W02"]
    np.testing.assert_allclose(frame["temp_max_c"], [28.0 / 7, 7.0 / 7])
    np.testing.assert_allclose(frame["precip_mm"], [7.0, 10.0])
    extremes, _ = join_series(two_weeks, "date", ["temp_max_c"], bins, TZ, how={"temp_max_c": "max"})
    assert list(extremes["temp_max_c"]) == [7.0, 4.0]
    extremes, _ = join_series(two_weeks, "date", ["temp_max_c"], bins, TZ, how={"temp_max_c": "min"})
    assert list(extremes["temp_max_c"]) == [1.0, -2.0]


@pytest.mark.parametrize(("day", "hours"), [("2024-03-10", 23), ("2024-11-03", 25), ("2024-06-01", 24)])
def test_daily_value_at_hourly_bins_over_a_clock_change(day, hours):
    next_day = f"{pd.Timestamp(day) + pd.Timedelta(days=1):%Y-%m-%d}"
    before = f"{pd.Timestamp(day) - pd.Timedelta(days=1):%Y-%m-%d}"
    table = pd.DataFrame(
        {"date": [before, day, next_day], "temp": [3.0, 7.9, 9.0], "precip": [0.0, 3.4, 1.0]}
    )
    bins = bins_of("hour", day, next_day)
    assert bins.n_bins == hours
    frame, report = join_series(table, "date", ["temp", "precip"], bins, TZ, how={"precip": "sum"})
    assert (frame["temp"] == 7.9).all()  # repeated in every hour of the day
    np.testing.assert_allclose(frame["precip"], 3.4 / hours)  # split evenly over the real hours
    assert frame["precip"].sum() == pytest.approx(3.4)
    assert report["precip"]["missing_bins"] == 0


def test_night_shift_weighs_its_two_days_by_their_hours():
    table = pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "t": [0.0, 8.0], "p": [24.0, 48.0]})
    bins = bins_of("shift", "2024-01-01 07:00", "2024-01-02 07:00", shift_starts=("07:00", "15:00", "23:00"))
    frame, _ = join_series(table, "date", ["t", "p"], bins, TZ, how={"p": "sum"})
    night = frame.set_index("bin_label").loc["2024-01-01 23:00"]
    assert night["t"] == pytest.approx((1 * 0.0 + 7 * 8.0) / 8)
    assert night["p"] == pytest.approx(24.0 / 24 + 7 * 48.0 / 24)


def test_readings_with_utc_offsets_fill_the_25_hour_day():
    times = pd.Series(pd.date_range("2024-11-03 00:30", periods=30, freq="H", tz="UTC"))
    table = pd.DataFrame({"t": times, "v": np.arange(30.0)})
    bins = bins_of("day", "2024-11-02", "2024-11-04")
    frame, _ = join_series(table, "t", ["v"], bins, TZ, how={"v": "sum"})
    # 19:30-23:30 CDT on the 2nd are readings 0-4; the 25 hours of the 3rd are readings 5-29.
    assert list(frame["v"]) == [10.0, float(sum(range(5, 30)))]


def test_missing_and_unparseable_values_are_reported_and_kept_nan(two_weeks):
    table = two_weeks.copy()
    table.loc[2, "precip_mm"] = np.nan
    table.loc[9, "temp_max_c"] = "trace"  # 1 of 14 text values: under a threshold of 10 %
    bins = bins_of("day", "2024-01-01", "2024-01-15")
    cols, how = ["temp_max_c", "precip_mm"], {"precip_mm": "sum"}
    frame, report = join_series(table, "date", cols, bins, TZ, how=how, max_unparseable=0.1)
    assert np.isnan(frame.loc[2, "precip_mm"]) and np.isnan(frame.loc[9, "temp_max_c"])
    assert frame["precip_mm"].isna().sum() == 1 and frame["temp_max_c"].isna().sum() == 1
    assert report["precip_mm"] == {
        "missing_bins": 1, "missing_rows": 1, "unparseable": 0, "first_missing": "2024-01-03",
        "uncovered_bins": 0, "rows_without_time": 0,
    }  # fmt: skip
    assert report["temp_max_c"]["unparseable"] == 1 and report["temp_max_c"]["first_missing"] == "2024-01-10"
    # A week with a missing day is missing, not a six-day sum; a day absent from the table likewise.
    weeks = bins_of("week", "2024-01-01", "2024-01-14")
    frame, report = join_series(table.drop(index=12), "date", cols, weeks, TZ, how=how, max_unparseable=0.1)
    assert frame["precip_mm"].isna().all()  # week 1 misses a value, week 2 a day
    assert frame["temp_max_c"].iloc[0] == 4.0 and np.isnan(frame["temp_max_c"].iloc[1])
    assert report["precip_mm"]["uncovered_bins"] == 1 and report["precip_mm"]["first_missing"] == "2024-W01"


def test_demo_weather_and_ridership_gaps_are_reported_exactly(demo_city_dir):
    folder = demo_city_dir / "signals"
    weather = pd.read_csv(folder / "weather_daily.csv", dtype=str, keep_default_na=False)
    bins = bins_of("day", "2023-01-01", "2025-01-01")
    assert bins.n_bins == len(weather) == 731
    cols = ["temp_max_c", "temp_min_c", "precip_mm"]
    frame, report = join_series(weather, "date", cols, bins, TZ, how={"precip_mm": "sum"})
    planted = {
        "temp_max_c": demo_signals.MISSING_TEMP_MAX_DAYS,
        "temp_min_c": 0,
        "precip_mm": demo_signals.MISSING_PRECIP_DAYS,
    }
    assert planted == {"temp_max_c": 2, "temp_min_c": 0, "precip_mm": 5}
    for column, n in planted.items():
        empty = weather.loc[weather[column] == "", "date"].tolist()
        assert report[column]["missing_rows"] == report[column]["missing_bins"] == len(empty) == n
        assert report[column]["unparseable"] == 0 and report[column]["uncovered_bins"] == 0
        assert frame.loc[frame[column].isna(), "bin_label"].tolist() == empty
        assert report[column]["first_missing"] == (empty[0] if empty else None)
    # Read with pandas' own NA handling (numeric columns with NaN): the same report.
    _, again = join_series(pd.read_csv(folder / "weather_daily.csv"), "date", cols, bins, TZ)
    assert again == report
    # At weekly bins every week holding a gap is missing.
    weeks = bins_of("week", "2023-01-02", "2024-12-29")
    frame, report = join_series(weather, "date", ["precip_mm"], weeks, TZ, how={"precip_mm": "sum"})
    gap_weeks = pd.to_datetime(weather.loc[weather["precip_mm"] == "", "date"]).dt.isocalendar()
    expected = sorted({f"{y}-W{w:02d}" for y, w in zip(gap_weeks["year"], gap_weeks["week"])})
    assert frame.loc[frame["precip_mm"].isna(), "bin_label"].tolist() == expected
    assert report["precip_mm"]["missing_rows"] == 5
    # Ridership: two days have no row at all.
    transit = pd.read_csv(folder / "transit_ridership_daily.csv")
    frame, report = join_series(transit, "date", ["boardings"], bins, TZ)
    absent = sorted(set(bins.labels) - set(transit["date"]))
    assert len(absent) == demo_signals.MISSING_TRANSIT_DAYS == 2
    assert report["boardings"] == {
        "missing_bins": 2, "missing_rows": 0, "unparseable": 0, "first_missing": absent[0],
        "uncovered_bins": 2, "rows_without_time": 0,
    }  # fmt: skip
    assert frame.loc[frame["boardings"].isna(), "bin_label"].tolist() == absent


def test_bad_tables_are_refused_with_the_column_named(two_weeks):
    bins = bins_of("day", "2024-01-01", "2024-01-15")
    with pytest.raises(BeatCastInputError, match="time column 'when' is not in the table"):
        join_series(two_weeks, "when", ["precip_mm"], bins, TZ)
    with pytest.raises(BeatCastInputError, match="value column 'rain' is not in the table"):
        join_series(two_weeks, "date", ["rain"], bins, TZ)
    with pytest.raises(BeatCastInputError, match="aggregation 'median' for column 'precip_mm'"):
        join_series(two_weeks, "date", ["precip_mm"], bins, TZ, how={"precip_mm": "median"})
    text = two_weeks.assign(temp_max_c=["warm", "cold", "mild"] + [str(t) for t in TEMP[3:]])
    with pytest.raises(
        BeatCastInputError, match=r"'temp_max_c' is not numeric: 3 of 14 values .* data row 1, 'warm'"
    ):
        join_series(text, "date", ["temp_max_c"], bins, TZ)
    dates = two_weeks.assign(date=["01/32/2024"] * 2 + list(two_weeks["date"][2:]))
    with pytest.raises(BeatCastInputError, match=r"time column 'date': 2 of 14 rows .* data row 1"):
        join_series(dates, "date", ["precip_mm"], bins, TZ)
    with pytest.raises(BeatCastInputError, match="do not overlap the bins' period"):
        join_series(two_weeks, "date", ["precip_mm"], bins_of("day", "2023-06-01", "2023-06-30"), TZ)


# --- events -------------------------------------------------------------------------------------------


def test_concert_counts_in_the_hours_it_overlaps():
    bins = bins_of("hour", "2024-06-14", "2024-06-15")
    aligned = pd.DataFrame(
        {"event_id": ["C1"], "start": ["2024-06-14T19:00:00"], "end": ["2024-06-14T22:00:00"]}
    )
    per_bin, per_cell = join_events(aligned, bins, TZ)
    assert per_cell is None and per_bin.dtype == np.int64
    assert list(bins.labels[per_bin > 0]) == ["2024-06-14 19:00", "2024-06-14 20:00", "2024-06-14 21:00"]
    assert set(per_bin) == {0, 1}
    shifted = aligned.assign(start=["2024-06-14T19:30:00"], end=["2024-06-14T22:30:00"])
    per_bin, _ = join_events(shifted, bins, TZ)
    assert list(bins.labels[per_bin > 0]) == [f"2024-06-14 {h}:00" for h in (19, 20, 21, 22)]
    both, _ = join_events(pd.concat([aligned, shifted]), bins, TZ)
    assert both.sum() == 7 and both.max() == 2
    # An end given as a date runs to the end of that day; no end: the start's window (a date: the day).
    days = pd.DataFrame(
        {"event_id": ["F", "D"], "start": ["2024-06-14T16:00", "2024-06-15"], "end": ["2024-06-15", ""]}
    )
    per_bin, _ = join_events(days, bins_of("day", "2024-06-13", "2024-06-17"), TZ)
    assert list(per_bin) == [0, 1, 2, 0]


def test_event_end_before_start_names_the_row():
    events = pd.DataFrame(
        {
            "event_id": ["A", "B"],
            "start": ["2024-06-14T19:00", "2024-06-14T19:00"],
            "end": ["2024-06-14T22:00", "2024-06-14T18:00"],
        }
    )
    with pytest.raises(
        BeatCastInputError, match=r"event 'B' \(data row 2\): end '2024-06-14T18:00' is before"
    ):
        join_events(events, bins_of("day", "2024-06-14", "2024-06-15"), TZ)
    with pytest.raises(BeatCastInputError, match=r"event 'A' \(data row 1\): start 'soon' is not a date"):
        join_events(
            events.assign(start=["soon", "2024-06-14T19:00"]), bins_of("day", "2024-06-14", "2024-06-15"), TZ
        )


def test_located_events_touch_the_right_cells():
    grid = build_grid(GridSpec("square", 100.0), None, extent=(0.0, 0.0, 1000.0, 1000.0))
    ids = grid.cell_id

    def square(x0, y0, x1, y1):
        return [np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])]

    geometries = [
        (250.0, 350.0),  # a point: one cell
        square(120.0, 120.0, 380.0, 280.0),  # across columns 1-3, rows 1-2
        square(510.0, 510.0, 530.0, 530.0),  # smaller than a cell, centre of no cell inside
        square(600.0, 600.0, 700.0, 700.0),  # exactly one cell: its neighbours only share an edge
        {"type": "Polygon", "coordinates": [[[0, 900], [50, 900], [50, 950], [0, 900]]]},
        None,
    ]
    membership = event_cells(grid, geometries)
    assert membership.shape == (6, 100)
    cells = [set(ids[membership[i].indices]) for i in range(6)]
    assert cells[0] == {"S100_2_3"}
    assert cells[1] == {f"S100_{c}_{r}" for c in (1, 2, 3) for r in (1, 2)}
    assert cells[2] == {"S100_5_5"} and cells[3] == {"S100_6_6"} and cells[4] == {"S100_0_9"}
    assert cells[5] == set()
    buffered = event_cells(grid, geometries[:1], buffer_m=100.0)
    assert set(ids[buffered[0].indices]) == {"S100_2_3", "S100_1_3", "S100_3_3", "S100_2_2", "S100_2_4"}

    events = pd.DataFrame(
        {
            "event_id": ["P", "Q"],
            "start": ["2024-06-14T19:30:00", "2024-06-14T20:00:00"],
            "end": ["2024-06-14T21:00:00", "2024-06-14T21:00:00"],
            "attendance": [5000, 800],
        }
    )
    bins = bins_of("hour", "2024-06-14", "2024-06-15")
    per_bin, per_cell = join_events(events, bins, TZ, membership[:2], len(grid), weight_column="attendance")
    assert per_cell.shape == (100, 24)
    hours = {label: j for j, label in enumerate(bins.labels)}
    point, polygon = np.flatnonzero(ids == "S100_2_3")[0], np.flatnonzero(ids == "S100_2_1")[0]
    assert (
        per_cell[point, hours["2024-06-14 19:00"]] == 5000
        and per_cell[point, hours["2024-06-14 20:00"]] == 5000
    )
    assert (
        per_cell[polygon, hours["2024-06-14 20:00"]] == 800
        and per_cell[polygon, hours["2024-06-14 19:00"]] == 0
    )
    assert per_cell.sum() == 5000 * 2 + 800 * 6 and list(per_bin[19:22]) == [1, 2, 0]
    with pytest.raises(BeatCastInputError, match="cell membership has shape"):
        join_events(events, bins, TZ, membership, len(grid))


def test_demo_events_join(demo_city_dir):
    data = json.loads((demo_city_dir / "signals" / "events.geojson").read_text(encoding="utf-8"))
    events = pd.DataFrame([f["properties"] for f in data["features"]])
    bins = bins_of("day", "2023-01-01", "2025-01-01")
    per_bin, _ = join_events(events, bins, TZ)
    expected = np.zeros(bins.n_bins, dtype=np.int64)
    day_bins = []
    for start, end in zip(events["start"], events["end"]):
        days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()).strftime(
            "%Y-%m-%d"
        )
        index = np.flatnonzero(np.isin(bins.labels, days))
        assert len(index) == len(days)
        expected[index] += 1
        day_bins.append(index)
    assert np.array_equal(per_bin, expected)

    boundary = json.loads((demo_city_dir / "boundary.geojson").read_text())["features"][0]["geometry"]
    grid = build_grid(GridSpec("square", 250.0), [[np.array(r) for r in boundary["coordinates"]]])
    geometries = [f["geometry"] for f in data["features"]]
    membership = event_cells(grid, geometries)
    for i, geometry in enumerate(geometries):
        touched = membership[i].indices
        if geometry["type"] == "Point":
            assert list(touched) == list(cell_index(grid, *np.array(geometry["coordinates"])[:, None]))
        else:
            assert len(touched) >= 2
    _, per_cell = join_events(events, bins, TZ, membership, len(grid), weight_column="attendance")
    for i, index in enumerate(day_bins):
        cells = membership[i].indices
        assert (per_cell[cells][:, index].toarray() >= events["attendance"][i]).all()
    n_cells = np.diff(membership.indptr)
    total = sum(n * len(d) * a for n, d, a in zip(n_cells, day_bins, events["attendance"]))
    assert per_cell.sum() == pytest.approx(total)


# --- calendar -----------------------------------------------------------------------------------------


def test_calendar_features_of_a_known_week():
    bins = bins_of("day", "2024-07-01", "2024-07-08")
    assert us_federal_holidays(bins) == ["2024-07-04"]
    cal = calendar_features(bins, holidays=us_federal_holidays(bins))
    assert list(cal["day_of_week"]) == [0, 1, 2, 3, 4, 5, 6]
    assert list(cal["is_weekend"]) == [False] * 5 + [True] * 2
    assert set(cal["month"]) == {7} and list(cal["day_of_year"]) == list(range(183, 190))
    assert list(cal.loc[cal["is_holiday"], "bin_label"]) == ["2024-07-04"]
    assert "hour" not in cal.columns
    assert not calendar_features(bins)["is_holiday"].any()
    hours = calendar_features(bins_of("hour", "2024-07-04", "2024-07-05"), ["2024-07-04"])
    assert list(hours["hour"]) == list(range(24)) and hours["is_holiday"].all()
    weeks = calendar_features(bins_of("week", "2024-06-24", "2024-07-14"), ["2024-07-04"])
    assert list(weeks["is_holiday"]) == [False, True, False]
    shifts = bins_of("shift", "2024-07-03 07:00", "2024-07-05 07:00", shift_starts=("07:00", "23:00"))
    flags = calendar_features(shifts, ["2024-07-04"]).set_index("bin_label")["is_holiday"]
    assert flags.to_dict() == {
        "2024-07-03 07:00": False, "2024-07-03 23:00": True,
        "2024-07-04 07:00": True, "2024-07-04 23:00": True,
    }  # fmt: skip
    with pytest.raises(BeatCastInputError, match="holiday 'someday' is not a date"):
        calendar_features(bins, ["someday"])
