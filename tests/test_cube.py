"""core.timebins and core.cube: DST-correct bins, aoristic counts, storage with tamper detection."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing

import numpy as np
import pandas as pd
import pytest

from beatcast.core import cube as cube_mod
from beatcast.core import gpkg
from beatcast.core.cube import aggregate, cube_frame, read_cube, totals_per_bin, totals_per_cell, write_cube
from beatcast.core.errors import BeatCastInputError
from beatcast.core.incidents import Cancelled, Progress
from beatcast.core.timebins import MAX_BINS, BinSpec, infer_span, make_bins

CHICAGO = "America/Chicago"
SHIFTS = ("07:00", "15:00", "23:00")


def bins(unit, start, end, tz=CHICAGO, **kw):
    return make_bins(BinSpec(unit, tz, pd.Timestamp(start), pd.Timestamp(end), **kw))


def utc(local_texts, tz=CHICAGO) -> np.ndarray:
    """UTC datetime64 of local wall times (first occurrence of a repeated hour)."""
    index = pd.DatetimeIndex(pd.to_datetime(list(local_texts)))
    aware = index.tz_localize(tz, ambiguous=np.ones(len(index), bool), nonexistent="shift_forward")
    return aware.tz_convert("UTC").tz_localize(None).values


def count(cells, starts, ends, edges, n_cells=3, **kw):
    return aggregate(
        np.asarray(cells), starts, ends, None, kw.pop("categories", None), n_cells, None, edges, **kw
    )


def reference(cells, starts, ends, edges, n_cells) -> np.ndarray:
    """Aoristic weights the slow, obvious way (per incident, per bin)."""
    e = edges.utc_ns
    out = np.zeros((n_cells, edges.n_bins))
    for c, s, t in zip(cells, starts.view("i8"), ends.view("i8")):
        if c < 0 or s == np.iinfo(np.int64).min:
            continue
        if t <= s:
            j = np.searchsorted(e, s, side="right") - 1
            if 0 <= j < edges.n_bins:
                out[c, j] += 1
            continue
        for j in range(edges.n_bins):
            out[c, j] += max(0, min(t, e[j + 1]) - max(s, e[j])) / (t - s)
    return out


# ---- bins --------------------------------------------------------------------------------------------


def test_daily_bins_across_spring_dst_day():
    b = bins("day", "2024-03-09", "2024-03-12")
    assert list(b.labels) == ["2024-03-09", "2024-03-10", "2024-03-11"]
    assert list(b.hours) == [24, 23, 24]
    assert b.utc[1] == np.datetime64("2024-03-10T06:00") and b.utc[2] == np.datetime64("2024-03-11T05:00")
    assert b.local[2] == np.datetime64("2024-03-11T00:00")
    assert list(bins("day", "2024-11-02", "2024-11-05").hours) == [24, 25, 24]


def test_hourly_bins_skip_and_repeat_the_clock_change_hours():
    spring = bins("hour", "2024-03-10", "2024-03-11")
    assert spring.n_bins == 23 and "2024-03-10 02:00" not in set(spring.labels)
    autumn = bins("hour", "2024-11-03", "2024-11-04")
    assert autumn.n_bins == 25 and set(autumn.hours) == {1.0}
    assert list(autumn.labels[1:3]) == ["2024-11-03 01:00-05:00", "2024-11-03 01:00-06:00"]
    assert len(set(autumn.labels)) == 25


def test_weeks_start_on_monday_and_span_is_widened():
    b = bins("week", "2024-03-06", "2024-03-20")  # a Wednesday to a Wednesday
    assert list(b.labels) == ["2024-W10", "2024-W11", "2024-W12"]
    assert all(pd.Timestamp(t).weekday() == 0 and pd.Timestamp(t).hour == 0 for t in b.local)
    assert list(b.hours) == [167, 168, 168]  # the week of 2024-03-10 loses an hour
    sunday = bins("week", "2024-03-06", "2024-03-20", week_start=6)
    assert sunday.labels[0] == "2024-03-03/P1W" and pd.Timestamp(sunday.local[0]).weekday() == 6


def test_months():
    b = bins("month", "2024-01-15", "2024-03-02")
    assert list(b.labels) == ["2024-01", "2024-02", "2024-03"]
    assert list(b.hours) == [744, 696, 743]  # leap February, March loses an hour
    assert b.end == pd.Timestamp("2024-04-01")


def test_shifts_cross_midnight():
    b = bins("shift", "2024-03-08 10:00", "2024-03-10 12:00", shift_starts=SHIFTS)
    assert b.labels[0] == "2024-03-08 07:00"  # widened back to the shift holding the start
    assert list(b.labels[2:4]) == ["2024-03-08 23:00", "2024-03-09 07:00"]
    assert list(b.hours) == [8, 8, 8, 8, 8, 7, 8]  # the night shift of 03-09 has 7 hours
    night = b.bin_index(utc(["2024-03-09 02:30", "2024-03-09 06:59", "2024-03-09 07:00"]))
    assert list(b.labels[night]) == ["2024-03-08 23:00", "2024-03-08 23:00", "2024-03-09 07:00"]
    two = bins("shift", "2024-01-01", "2024-01-02", tz="UTC", shift_starts=("06:00", "18:00"))
    assert list(two.labels) == ["2023-12-31 18:00", "2024-01-01 06:00", "2024-01-01 18:00"]


@pytest.mark.parametrize(
    "spec, message",
    [
        (
            BinSpec("fortnight", "UTC", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")),
            "unknown time unit",
        ),
        (BinSpec("day", "Mars/Olympus", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")), "time zone"),
        (BinSpec("shift", "UTC", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")), "start times"),
        (
            BinSpec(
                "shift", "UTC", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02"), ("15:00", "07:00")
            ),
            "increasing order",
        ),
        (
            BinSpec("shift", "UTC", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02"), ("25:00",)),
            "HH:MM",
        ),
        (BinSpec("day", "UTC", pd.Timestamp("2024-02-01"), pd.Timestamp("2024-01-01")), "not after"),
        (BinSpec("hour", "UTC", pd.Timestamp("2004-01-01"), pd.Timestamp("2024-01-01")), "175,3"),
    ],
)
def test_bad_bin_specs_are_refused_clearly(spec, message):
    with pytest.raises(BeatCastInputError, match=message) as error:
        make_bins(spec)
    if spec.unit == "hour":
        assert f"{MAX_BINS:,}" in str(error.value)


def test_infer_span_covers_every_window_in_whole_bins():
    starts = utc(["2024-03-10 12:00", "2024-02-10 00:00"])
    ends = utc(["2024-03-10 12:01", "2024-02-11 00:00"])
    assert infer_span(starts, ends, "day", CHICAGO) == (
        pd.Timestamp("2024-02-10"),
        pd.Timestamp("2024-03-11"),
    )
    assert infer_span(starts, ends, "month", CHICAGO) == (
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-04-01"),
    )
    night = utc(["2024-03-10 01:00"])
    span = infer_span(night, night, "shift", CHICAGO, SHIFTS)  # an instant still gets its shift
    assert span == (pd.Timestamp("2024-03-09 23:00"), pd.Timestamp("2024-03-10 07:00"))


# ---- aoristic counts ---------------------------------------------------------------------------------


def test_date_only_incident_spreads_evenly_over_its_local_day():
    hourly = bins("hour", "2024-03-09", "2024-03-12")
    starts = utc(["2024-03-09", "2024-03-10"])
    ends = utc(["2024-03-10", "2024-03-11"])
    m = count([0, 1], starts, ends, hourly).matrix()
    assert np.count_nonzero(m[0]) == 24 and np.allclose(m[0][m[0] > 0], 1 / 24)
    assert np.count_nonzero(m[1]) == 23 and np.allclose(m[1][m[1] > 0], 1 / 23)  # the DST day
    assert np.isclose(m.sum(dtype=np.float64), 2)


def test_month_only_incident_spreads_over_the_days_by_their_length():
    daily = bins("day", "2024-03-01", "2024-04-01")
    c = count([2], utc(["2024-03-01"]), utc(["2024-04-01"]), daily)
    weights = c.matrix()[2]
    assert np.allclose(weights, daily.hours / 743) and np.isclose(weights[9], 23 / 743)
    assert c.metadata["multi_bin_incidents"] == 1 and c.metadata["max_bins_per_incident"] == 31


def test_minute_and_second_precision_land_wholly_in_one_bin_even_at_edges():
    hourly = bins("hour", "2024-03-10", "2024-03-11")
    edge = hourly.utc[5]
    one_minute, one_second = np.timedelta64(1, "m"), np.timedelta64(1, "s")
    starts = np.array([edge, edge - one_minute, edge - one_second, edge], dtype="datetime64[ns]")
    ends = np.array([edge + one_minute, edge, edge, edge + one_second], dtype="datetime64[ns]")
    m = count([0, 0, 1, 1], starts, ends, hourly, n_cells=2).matrix()
    assert set(m[m > 0]) == {1.0}
    assert list(np.flatnonzero(m[0])) == [4, 5] and list(np.flatnonzero(m[1])) == [4, 5]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aoristic_conserves_every_incident_and_matches_the_slow_reference(seed):
    rng = np.random.default_rng(seed)
    n, n_cells = 400, 5
    edges = bins("hour" if seed == 1 else "day", "2024-03-08", "2024-03-12")
    starts = (np.datetime64("2024-03-07T00:00", "ns") + rng.integers(0, 6 * 86400, n) * 10**9).astype(
        "M8[ns]"
    )
    lengths = rng.choice([0, 1, 60, 3600, 86400, 5 * 86400], n) * 10**9
    ends = starts + lengths.astype("m8[ns]")
    cells = rng.integers(-1, n_cells, n)
    starts[:3] = np.datetime64("NaT")
    c = count(cells, starts, ends, edges, n_cells=n_cells)
    assert np.allclose(c.matrix(), reference(cells, starts, ends, edges, n_cells), atol=1e-6)
    assert c.metadata["total"] + c.outside_total() == pytest.approx(n, abs=1e-9)
    assert c.total() + c.outside_total() == pytest.approx(n, abs=1e-4)
    assert c.outside["no_time"]["all"] == 3 and c.outside["cells"]["all"] == np.sum(cells[3:] < 0)
    assert c.outside["before"]["all"] > 0 and c.outside["after"]["all"] > 0


def test_without_aoristic_each_incident_counts_wholly_at_its_window_start():
    daily = bins("day", "2024-03-01", "2024-04-01")
    starts, ends = utc(["2024-03-01", "2024-02-20"]), utc(["2024-04-01", "2024-03-20"])
    c = count([0, 0], starts, ends, daily, aoristic=False)
    assert c.matrix()[0, 0] == 1 and c.total() == 1 and c.outside["before"]["all"] == 1


def test_category_cubes_sum_to_the_all_cube_in_dense_and_csr_storage():
    rng = np.random.default_rng(5)
    n = 2000
    daily = bins("day", "2024-03-01", "2024-04-01")
    starts = utc(pd.Timestamp("2024-02-25") + pd.to_timedelta(rng.integers(0, 40 * 1440, n), unit="m"))
    ends = starts + np.timedelta64(1, "D") * rng.integers(0, 3, n)
    cells = rng.integers(-1, 50, n)
    cats = rng.choice(np.array(["theft", "burglary", None, "assault"], dtype=object), n)
    whole = count(cells, starts, ends, daily, n_cells=50)
    split = count(cells, starts, ends, daily, n_cells=50, categories=cats)
    sparse = count(cells, starts, ends, daily, n_cells=50, categories=cats, storage="csr")
    assert split.categories == ["(no category)", "assault", "burglary", "theft"]
    assert np.allclose(split.matrix(), whole.matrix(), atol=1e-5)
    assert np.allclose(split.dense().sum(axis=0), whole.counts[0], atol=1e-5)
    assert sparse.is_sparse and np.allclose(sparse.dense(), split.dense())
    assert np.allclose(sparse.matrix().toarray(), whole.matrix(), atol=1e-5)
    assert np.allclose(sparse.matrix("theft").toarray(), split.matrix("theft"))
    for kind in ("cells", "before", "after"):
        assert sum(split.outside[kind].values()) == pytest.approx(whole.outside[kind]["all"])
    assert np.allclose(totals_per_bin(sparse), totals_per_bin(whole), atol=1e-4)
    assert np.allclose(totals_per_cell(sparse, "assault"), totals_per_cell(split, "assault"))
    with pytest.raises(BeatCastInputError, match="no category 'arson'"):
        split.matrix("arson")


def test_cube_frame_lists_the_non_zero_counts():
    daily = bins("day", "2024-03-09", "2024-03-12")
    c = aggregate(np.array([1, 1, 0]), utc(["2024-03-10 05:00"] * 3), None, None, None, 2, ["b", "a"], daily)
    frame = cube_frame(c)
    assert list(frame.columns) == ["cell_id", "bin_label", "bin_start_utc", "count"]
    assert frame.values[:, [0, 1, 3]].tolist() == [["b", "2024-03-10", 1.0], ["a", "2024-03-10", 2.0]]
    assert frame["bin_start_utc"][0] == pd.Timestamp("2024-03-10 06:00", tz="UTC")
    assert list(totals_per_cell(c)) == [1, 2] and list(totals_per_bin(c)) == [0, 3, 0]


def test_bad_aggregate_input_is_refused_clearly():
    daily = bins("day", "2024-03-01", "2024-03-05")
    t = utc(["2024-03-02"])
    with pytest.raises(BeatCastInputError, match="no incident falls inside the bins' period"):
        count([0], utc(["2023-01-01"]), None, daily)
    with pytest.raises(BeatCastInputError, match="no incident lies in any cell"):
        count([-1], t, None, daily)
    with pytest.raises(BeatCastInputError, match="cell indices must be -1"):
        count([3], t, None, daily)
    with pytest.raises(BeatCastInputError, match="one per incident"):
        count([0, 1], t, None, daily)


def test_cancelling_stops_between_chunks(monkeypatch):
    class Cancel(Progress):
        def is_canceled(self):
            return True

    monkeypatch.setattr(cube_mod, "CHUNK_ENTRIES", 10)
    daily = bins("day", "2024-03-01", "2024-04-01")
    with pytest.raises(Cancelled):
        count([0] * 3, utc(["2024-03-01"] * 3), utc(["2024-04-01"] * 3), daily, progress=Cancel())


# ---- storage -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_write_read_round_trip(tmp_path, storage):
    rng = np.random.default_rng(9)
    n = 500
    shifts = bins("shift", "2024-03-08", "2024-03-12", shift_starts=SHIFTS)
    starts = utc(pd.Timestamp("2024-03-08") + pd.to_timedelta(rng.integers(0, 4 * 1440, n), unit="m"))
    ids = np.array([f"c{i:03d}" for i in range(20)], dtype=object) if storage == "csr" else np.arange(20) * 7
    cats = rng.choice(np.array(["a", "b"], dtype=object), n)
    cells, ends = rng.integers(-1, 20, n), starts + np.timedelta64(2, "h")
    cube = aggregate(
        cells, starts, ends, ["minute"] * n, cats, 20, ids, shifts,
        crs="EPSG:32616", grid_table="grid_250m", source="incidents", storage=storage,
    )  # fmt: skip
    path = tmp_path / "analysis.gpkg"
    npz = write_cube(cube, path, "shifts")
    assert npz == tmp_path / "analysis.shifts.cube.npz" and not list(tmp_path.glob("*.tmp"))
    back = read_cube(path, "shifts")
    assert back.is_sparse == (storage == "csr")
    assert np.array_equal(back.dense(), cube.dense()) and back.dense().dtype == np.float32
    assert list(back.cell_ids) == list(ids) and back.categories == ["a", "b"]
    assert back.metadata == cube.metadata and back.outside == cube.outside
    assert (back.crs, back.grid_table) == ("EPSG:32616", "grid_250m")
    assert back.bins.shift_starts == SHIFTS and back.bins.unit == "shift" and back.bins.timezone == CHICAGO
    assert np.array_equal(back.bins.utc, cube.bins.utc) and np.array_equal(back.bins.local, cube.bins.local)
    assert list(back.bins.labels) == list(cube.bins.labels)
    write_cube(cube, path, "again")
    write_cube(cube, path, "shifts")  # replaces its row
    table = gpkg.read_table(path, "beatcast_cubes")
    assert sorted(table["name"]) == ["again", "shifts"]
    row = table[table["name"] == "shifts"].iloc[0]
    assert (row["unit"], row["n_cells"], row["n_bins"], row["storage"]) == ("shift", 20, 13, storage)
    assert json.loads(row["categories"]) == ["a", "b"] and row["total"] == pytest.approx(cube.total())
    assert row["start_local"] == "2024-03-07T23:00:00" and row["shift_starts"] == "07:00,15:00,23:00"
    assert cube_mod.cube_names(path) == ["again", "shifts"]


def test_plain_numpy_can_read_the_counts(tmp_path):
    daily = bins("day", "2024-03-09", "2024-03-12")
    cube = count([0, 1, 1], utc(["2024-03-10 05:00"] * 3), None, daily)
    npz = write_cube(cube, tmp_path / "a.gpkg", "daily")
    with np.load(npz) as data:  # allow_pickle stays False: nothing in the file needs it
        meta = json.loads(str(data["metadata"]))
        assert data["counts"].shape == tuple(data["counts_shape"]) == (1, 3, 3)
        assert data["counts"][0, 1, 1] == 2 and meta["format_version"] == 1 and meta["unit"] == "day"
        assert data["bin_edges_utc"][1] == pd.Timestamp("2024-03-10 06:00").value
    sparse = count(
        [0, 1, 1], utc(["2024-03-10 05:00"] * 3), None, daily, categories=["x", "y", "x"], storage="csr"
    )
    with np.load(write_cube(sparse, tmp_path / "a.gpkg", "split")) as data:  # the recipe of docs/cube.md
        n_cat, n_cells, n_bins = data["counts_shape"]
        counts = np.zeros((n_cat * n_cells, n_bins), np.float32)
        rows = np.repeat(np.arange(n_cat * n_cells), np.diff(data["counts_indptr"]))
        counts[rows, data["counts_indices"]] = data["counts_data"]
        assert np.array_equal(counts.reshape(n_cat, n_cells, n_bins), sparse.dense())


def test_tampered_missing_or_future_cubes_are_refused(tmp_path):
    daily = bins("day", "2024-03-09", "2024-03-12")
    cube = count([0, 1], utc(["2024-03-10 05:00"] * 2), None, daily)
    path = tmp_path / "a.gpkg"
    npz = write_cube(cube, path, "daily")
    other = write_cube(count([2], utc(["2024-03-10 05:00"]), None, daily), path, "other")
    with pytest.raises(BeatCastInputError, match="no cube named 'nope' .*daily, other"):
        read_cube(path, "nope")
    original = npz.read_bytes()
    npz.write_bytes(other.read_bytes())
    with pytest.raises(BeatCastInputError, match=r"a\.daily\.cube\.npz.*sha256"):
        read_cube(path, "daily")
    npz.write_bytes(original)
    assert read_cube(path, "daily").total() == 2
    with closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE beatcast_cubes SET format_version = 99 WHERE name = 'daily'")
        con.commit()
    with pytest.raises(BeatCastInputError, match="format version 99"):
        read_cube(path, "daily")
    other.unlink()
    with pytest.raises(BeatCastInputError, match="missing"):
        read_cube(path, "other")
    with pytest.raises(BeatCastInputError, match="cube name"):
        write_cube(cube, path, "../escape")


def test_performance_smoke_200k_incidents():
    """95 % known to the minute, 4 % to the local day, 1 % to the local month (no timing assert)."""
    rng = np.random.default_rng(11)
    n, n_cells = 200_000, 20_000
    daily = bins("day", "2024-01-01", "2025-01-01")
    months = bins("month", "2024-01-01", "2025-01-01")
    day = rng.integers(0, daily.n_bins, n)
    month = np.searchsorted(months.utc, daily.utc[day], side="right") - 1
    starts = daily.utc[day] + rng.integers(0, 1440, n).astype("m8[m]")
    kind = rng.choice(3, n, p=[0.95, 0.04, 0.01])
    ends = np.select(
        [kind == 1, kind == 2], [daily.utc[day + 1], months.utc[month + 1]], starts + np.timedelta64(1, "m")
    )
    starts = np.select([kind == 1, kind == 2], [daily.utc[day], months.utc[month]], starts)
    began = time.perf_counter()
    cube = aggregate(rng.integers(-1, n_cells, n), starts, ends, None, None, n_cells, None, daily)
    seconds = time.perf_counter() - began
    print(f"\naggregate: {n:,} incidents into {n_cells:,} cells x {daily.n_bins} days in {seconds:.2f} s")
    assert cube.total() + cube.outside_total() == pytest.approx(n, abs=0.05)
    assert cube.metadata["multi_bin_incidents"] > 1000
