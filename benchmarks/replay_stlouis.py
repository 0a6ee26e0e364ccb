"""Real-data replay: St. Louis 2019 day by day, append then re-score (the monitoring cycle on SLMPD data).

Run: /usr/bin/python3 benchmarks/replay_stlouis.py [--days N] [--start 2019-01-01] [--history-from 2015-01]
(core only, no QGIS; reads ../shared/data/stlouis_slmpd, never copies it.)

Set-up (timed separately, not per day):

- the raw monthly SLMPD exports coded from ``--history-from`` (default January 2015) to December 2018 go
  through ``core.incidents.import_incidents`` (time zone America/Chicago, x/y in ESRI:102696 -> EPSG:32615,
  the city boundary, default duplicate tolerances: the options of the real-data import test) and are
  written as the store GeoPackage (``core.gpkg.write_points``) in a temporary folder;
- a 150 m grid of the city (``core.grid.build_grid`` over the boundary of benchmarks/stlouis.py) and a daily
  cube (America/Chicago days, csr) from 2016-01-01 (or the history's first month) to 2019-01-01, written
  beside the store (``core.cube_store``). The cube counts crimes only: UCR 26 ("all other offenses", mostly
  leaving the scene of an accident) is kept in the store but not counted, as ../shared/data/README.md asks.

Forecast: the naive long-run mean per cell-day of the cube from its start to the forecast origin, refitted
every Monday (a weekly forecast cycle; the first origin is the first replayed day); the known hot spots are
its top 5 % cells (``expected >= 95th percentile and > 0``, as beatcast:monitordrift takes them).

Each day: the day's "export" is every row of the 2019 monthly files whose DateOccur falls on that local
day, in file order (month, then row), as one SourceTable ``slmpd_<date>`` through the same import options
-> ``append.store_window`` / ``read_store`` / ``reconcile`` -> ``adjust_accounting`` (the invariant is
checked per source) -> ``append.write_batch`` straight into the store (no staged copy: the algorithm's
copy of a ~60 MB store would add a fraction of a second) -> the cube read, ``add_incidents`` with one bin
added (stored incidents whose windows reach past the old end carried, as the algorithm does) and written
-> ``drift.assess`` on the window since the forecast origin (``weights_distance`` 2.5 cells, the lag-count
PSI of the window against as many bins before it, baseline_hot, h calibrated with ``simulations_for``).

**Arrivals are defined by the occurrence date.** A monthly file holds the records *coded* in that month,
and the report day is not exported, so a record occurring on 5 March but coded in May arrives here on
5 March: the replay has no reporting lag (every day is complete when it arrives), which flatters the
detection of changes compared with live use; its figures are an upper bound on what the counts show on
the day. Consequences, counted and printed at the end:

- rows of the 2019 files that occurred before 2019 (late reports of earlier offences, and reversals of
  records coded in 2015-2018) are not replayed: with arrivals by occurrence they belong to history days
  that are already past; the history itself lacks the 2018 offences coded in 2019 (right-censored end);
- a reversal (Count -1) usually carries its record's DateOccur, so it arrives on the same day as the record
  and nets inside the day's batch; one whose record has another occurrence date, or was coded before the
  history starts, is rejected as ``unmatched_reversal`` (the import's rule: the store keeps no reversal
  pairs to net against). Reversals of a record already in the store are therefore *not* taken out of it;
- rows whose DateOccur cannot be read have no day and are not replayed.

``--days`` bounds the run (a full year on a shared 2-core machine takes several minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from benchlib import link_checkout, peak_mb
from benchlib import step as _step

link_checkout()

from stlouis import CRS, DATA, boundary_utm  # noqa: E402

from beatcast.core import append, cube_store, drift, gpkg  # noqa: E402
from beatcast.core.crsops import UtmCrsOps  # noqa: E402
from beatcast.core.cube import aggregate  # noqa: E402
from beatcast.core.cube_append import CubeIncidents, add_incidents  # noqa: E402
from beatcast.core.dedup import DedupOptions  # noqa: E402
from beatcast.core.grid import GridSpec, build_grid, cell_index  # noqa: E402
from beatcast.core.hotspots import weights_distance  # noqa: E402
from beatcast.core.incidents import INCIDENT_FIELDS, ImportOptions, import_incidents  # noqa: E402
from beatcast.core.readers import read_delimited  # noqa: E402
from beatcast.core.sources import SourceTable  # noqa: E402
from beatcast.core.timebins import BinSpec, make_bins  # noqa: E402

TZ = "America/Chicago"
SOURCE_CRS = "ESRI:102696"  # NAD83 State Plane Missouri East, US feet (PROVENANCE.md)
CELL = 150.0
TABLE = "incidents"
CUBE = "daily"
KNOWN_HOT_SHARE = 0.05
EXCLUDED_UCR = "26"
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]  # fmt: skip


def step(label: str, started: float) -> float:
    return _step(label, started, 62)


class StatePlaneCrsOps(UtmCrsOps):
    """UtmCrsOps plus the SLMPD's ESRI:102696 through pyproj (in the plugin, QGIS's PROJ does this)."""

    def __init__(self):
        self._transformers = {}

    @staticmethod
    def _extra(crs: str) -> bool:
        return crs.upper() == SOURCE_CRS

    def is_valid(self, crs: str) -> bool:
        return self._extra(crs) or super().is_valid(crs)

    def is_geographic(self, crs: str) -> bool:
        return False if self._extra(crs) else super().is_geographic(crs)

    def transform(self, x, y, src: str, dst: str):
        if not (self._extra(src) or self._extra(dst)):
            return super().transform(x, y, src, dst)
        from pyproj import Transformer

        key = (src.upper(), dst.upper())
        if key not in self._transformers:
            self._transformers[key] = Transformer.from_crs(*key, always_xy=True)
        tx, ty = self._transformers[key].transform(np.asarray(x, float), np.asarray(y, float))
        tx, ty = np.asarray(tx, float), np.asarray(ty, float)
        bad = ~(np.isfinite(tx) & np.isfinite(ty))
        tx[bad], ty[bad] = np.nan, np.nan
        return tx, ty


def import_options() -> ImportOptions:
    """The set-up import's options; every day's export goes through the same."""
    return ImportOptions(
        timezone=TZ, source_crs=SOURCE_CRS, target_crs=CRS, boundary=(CRS, boundary_utm()),
        dedup=DedupOptions(),
    )  # fmt: skip


def monthly_file(year: int, month: int) -> Path:
    return DATA / "raw_monthly" / str(year) / f"{MONTHS[month - 1]}{year}.csv.gz"


def balanced(accounting: pd.DataFrame) -> bool:
    """rows read = accepted + merged + netted + rejected, for every source (and ALL)."""
    for _, t in accounting.groupby("source"):
        if t.loc[t["outcome"] == "read", "rows"].sum() != t.loc[t["outcome"] != "read", "rows"].sum():
            return False
    return True


def counted(accounting: pd.DataFrame, outcome: str, reason: str | None = None) -> int:
    t = accounting[(accounting["source"] == "ALL") & (accounting["outcome"] == outcome)]
    if reason is not None:
        t = t[t["reason"] == reason]
    return int(t["rows"].sum())


def is_crime(categories: pd.Series) -> np.ndarray:
    """Not UCR 26: the category is the raw SLMPD code (no category map); its first 2 of 6 digits."""
    code = categories.fillna("").astype(str).str.strip().str.zfill(6)
    return (code.str[:2] != EXCLUDED_UCR).to_numpy()


@dataclass
class State:
    folder: Path
    store: Path
    grid: object
    options: ImportOptions
    crs_ops: StatePlaneCrsOps
    columns: dict
    origin: int = 0  # forecast origin (bin index)
    expected: np.ndarray | None = None  # per cell-day
    known: np.ndarray | None = None
    fit_seconds: list = field(default_factory=list)


def _placed(incidents: pd.DataFrame, grid) -> CubeIncidents:
    """Crimes (UCR 26 left out) placed in the grid, as the append algorithm places them."""
    incidents = incidents[is_crime(incidents["category"])]
    cells = cell_index(grid, incidents["x"].to_numpy(float), incidents["y"].to_numpy(float))
    starts = pd.to_datetime(incidents["occurred_utc"], utc=True, errors="coerce").dt.tz_localize(None)
    ends = pd.to_datetime(incidents["window_end_utc"], utc=True, errors="coerce").dt.tz_localize(None)
    return CubeIncidents(
        cells, starts.to_numpy("datetime64[ns]"), ends.to_numpy("datetime64[ns]"),
        precision=incidents["time_precision"].fillna("").to_numpy(dtype=object),
    )  # fmt: skip


def read_2019() -> tuple[pd.DataFrame, dict]:
    """Every row of the 12 files of 2019 (raw text, file order) with its local occurrence day ``__day__``."""
    frames = []
    for month in range(1, 13):
        frame = read_delimited(monthly_file(2019, month), f"{MONTHS[month - 1]}2019")
        frame["__file__"] = month
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    when = pd.to_datetime(rows["DateOccur"], format="%m/%d/%Y %H:%M", errors="coerce")
    rows["__day__"] = when.dt.normalize()
    info = {
        "rows": len(rows),
        "no_date": int(when.isna().sum()),
        "before_2019": int((when < pd.Timestamp("2019-01-01")).sum()),
        "reversals_before_2019": int(
            ((when < pd.Timestamp("2019-01-01")) & (rows["Count"].str.strip() == "-1")).sum()
        ),
    }
    return rows, info


def export_of(rows: pd.DataFrame, name: str) -> SourceTable:
    """The selected raw rows as one export: raw columns, rows numbered 1..n as in a file of their own."""
    frame = rows.drop(columns=["__file__", "__day__"]).reset_index(drop=True)
    frame["__row__"] = np.arange(1, len(frame) + 1)
    return SourceTable(name, frame, path=f"{name}.csv")


def setup(history_from: str = "2015-01", cube_from: str = "2016-01-01", folder: Path | None = None) -> State:
    """The store, grid, cube and weights (module docstring); prints each step."""
    folder = Path(folder or tempfile.mkdtemp(prefix="replay-stl-"))
    t = time.perf_counter()
    first = pd.Period(history_from, "M")
    months = pd.period_range(first, pd.Period("2018-12", "M"), freq="M")
    sources = []
    for p in months:
        frame = read_delimited(monthly_file(p.year, p.month), f"{MONTHS[p.month - 1]}{p.year}")
        sources.append(
            SourceTable(
                f"{MONTHS[p.month - 1]}{p.year}",
                frame,
                path=str(monthly_file(p.year, p.month)),
                attrs=dict(frame.attrs),
            )
        )
    rows = sum(len(s.frame) for s in sources)
    t = step(f"read {len(sources)} raw monthly exports ({months[0]}..{months[-1]}): {rows:,} rows", t)
    options, crs_ops = import_options(), StatePlaneCrsOps()
    result = import_incidents(sources, options, crs_ops)
    del sources
    totals = result.totals()
    if not balanced(result.accounting):
        raise AssertionError("the set-up import's accounting does not balance")
    t = step(
        f"import: {totals['incidents']:,} incidents (merged {totals['merged']:,}, "
        f"netted {totals['netted']:,}, rejected {totals['rejected']:,})", t,
    )  # fmt: skip
    incidents = result.incidents
    store = folder / "store.gpkg"
    columns = {
        k: ty for k, (ty, _) in INCIDENT_FIELDS.items() if k in incidents.columns and k not in ("x", "y")
    }
    srs = gpkg.SpatialReference.from_authid(CRS, gpkg.utm_wkt(15))
    gpkg.write_points(
        store, TABLE, incidents, columns, incidents["x"].to_numpy(float), incidents["y"].to_numpy(float), srs
    )
    t = step(f"store written: {store.stat().st_size / 1e6:.0f} MB", t)
    grid = build_grid(GridSpec("square", CELL, crs=CRS), boundary_utm())
    t = step(f"grid: {len(grid):,} cells of {CELL:g} m", t)
    start = max(pd.Timestamp(cube_from), first.to_timestamp())
    bins = make_bins(BinSpec("day", TZ, start, pd.Timestamp("2019-01-01")))
    placed = _placed(incidents, grid)
    cube = aggregate(placed.cells, placed.starts, placed.ends, placed.precision, None, len(grid),
                     grid.cell_id, bins, storage="csr", crs=CRS, grid_table="grid")  # fmt: skip
    cube_store.write_cube(cube, store, CUBE)
    t = step(
        f"daily cube {start:%Y-%m-%d}..2019-01-01: {cube.n_bins} bins, {cube.total():,.0f} crimes counted", t
    )
    return State(folder, store, grid, options, crs_ops, columns)


def append_batch(state: State, rows: pd.DataFrame, name: str, until_local: pd.Timestamp) -> dict:
    """One export appended as beatcast:appendincidents does (module docstring): returns its figures."""
    export = export_of(rows, name)
    digest = hashlib.sha256(pd.util.hash_pandas_object(export.frame, index=False).to_numpy().tobytes())
    t0 = time.perf_counter()
    result = import_incidents([export], state.options, state.crs_ops)
    new = result.incidents
    t1 = time.perf_counter()
    window = append.store_window(new, state.options.dedup)
    stored = append.read_store(state.store, TABLE, *window) if window else pd.DataFrame()
    matches = append.reconcile(new, stored, state.options.dedup)
    accounting = append.adjust_accounting(result.accounting, new, matches)
    files = pd.DataFrame(
        [(digest.hexdigest(), export.path, "", pd.Timestamp.now("UTC").tz_localize(None), len(export.frame))],
        columns=list(append.FILES_COLUMNS),
    )
    t2 = time.perf_counter()
    added = append.write_batch(state.store, TABLE, new, state.columns, matches, stored, files)
    t3 = time.perf_counter()
    keep = np.ones(len(new), dtype=bool)
    keep[matches["new"].to_numpy(int)] = False
    cube = cube_store.read_cube(state.store, CUBE)
    end_utc = pd.Timestamp(cube.bins.utc[-1])
    carried = None
    if until_local > cube.bins.end:
        older = append.read_store(state.store, TABLE, ending_after=end_utc)
        older = older[pd.to_datetime(older["occurred_utc"]) < end_utc]
        carried = _placed(older, state.grid)
    placed = _placed(new[keep], state.grid)
    before = cube.total()
    grown, summary = add_incidents(cube, placed, until_local, carried)
    cube_store.write_cube(grown, state.store, CUBE)
    t4 = time.perf_counter()
    inside = int((placed.cells >= 0).sum())
    return {
        "rows": counted(accounting, "read"),
        "added": added,
        "already": int((matches["reason"] == "already_in_store").sum()),
        "duplicates": int((matches["reason"] == "duplicate_of_stored").sum()),
        "rejected": counted(accounting, "rejected"),
        "unmatched_reversals": counted(accounting, "rejected", "unmatched_reversal"),
        "netted": counted(accounting, "netted"),
        "balanced": balanced(accounting),
        "crimes_in_cells": inside,
        "cube_added": summary["added"],
        "cube_growth": grown.total() - before,
        "moved_from_after": summary["moved_from_after"],
        "bins_added": summary["bins_added"],
        "cube": grown,
        "import_s": t1 - t0, "match_s": t2 - t1, "write_s": t3 - t2, "cube_s": t4 - t3,
    }  # fmt: skip


def refit(state: State, cube, origin: int) -> None:
    """The naive long-run mean per cell-day of the cube's bins before ``origin``; its top 5 % cells are
    the known hot spots."""
    t = time.perf_counter()
    counts = cube.matrix()
    mean = np.asarray(counts[:, :origin].sum(axis=1), dtype=np.float64).ravel() / max(origin, 1)
    state.origin, state.expected = origin, mean
    state.known = (mean >= np.quantile(mean, 1.0 - KNOWN_HOT_SHARE)) & (mean > 0)
    state.fit_seconds.append(time.perf_counter() - t)


def rescore(state: State, cube) -> drift.DriftResult:
    """drift.assess on the window since the forecast origin, as beatcast:monitordrift runs it."""
    counts = cube.matrix().tocsc()
    lo, hi = state.origin, cube.n_bins
    observed = np.asarray(counts[:, lo:hi].toarray(), dtype=np.float64).T
    expected = np.tile(state.expected, (hi - lo, 1))
    n = hi - lo
    before = max(0, lo - n)
    current = np.asarray(counts[:, lo:hi].sum(axis=1)).ravel()
    reference = np.asarray(counts[:, before:lo].sum(axis=1)).ravel() * n / (lo - before)
    weights = weights_distance(state.grid.centroid_x, state.grid.centroid_y, 2.5 * CELL)
    return drift.assess(
        expected, observed, weights, feature_reference=pd.DataFrame({"lag_counts": reference}),
        feature_current=pd.DataFrame({"lag_counts": current}), seed=0, baseline_hot=state.known,
    )  # fmt: skip


def replay_day(state: State, rows: pd.DataFrame, day: pd.Timestamp) -> dict:
    """Append the day's rows, refit on Mondays (and on the first day), re-score: the day's figures."""
    t0 = time.perf_counter()
    figures = append_batch(state, rows, f"slmpd_{day:%Y-%m-%d}", day + pd.Timedelta(days=1))
    t1 = time.perf_counter()
    cube = figures.pop("cube")
    bin_of_day = cube.n_bins - 1
    refitted = state.expected is None or day.dayofweek == 0
    if refitted:
        refit(state, cube, bin_of_day)
    t2 = time.perf_counter()
    result = rescore(state, cube)
    t3 = time.perf_counter()
    severity = result.cells["severity"].to_numpy()
    figures.update(
        day=day, window=cube.n_bins - state.origin, refitted=refitted, alerts=int((severity >= 1).sum()),
        severe=int((severity >= 3).sum()), cusum=int((result.cells["cusum_first_alarm"] >= 0).sum()),
        clusters=int(result.cells["new_cluster"].sum()), refresh=result.refresh,
        reason=result.reasons[0] if result.reasons else "", h=result.h,
        append_s=t1 - t0, fit_s=t2 - t1, rescore_s=t3 - t2,
    )  # fmt: skip
    return figures


HEADER = (
    f"{'date':<10} {'rows':>4} {'added':>5} {'in st':>5} {'dup':>3} {'rej':>3} {'unrev':>5} {'win':>3} "
    f"{'al>=1':>5} {'al>=3':>5} {'cusum':>5} {'clus':>4} {'refresh':<7} {'append s':>8} {'score s':>7}"
    "  reason"
)


def line(f: dict) -> str:
    return (
        f"{f['day']:%Y-%m-%d} {f['rows']:>4} {f['added']:>5} {f['already']:>5} {f['duplicates']:>3} "
        f"{f['rejected']:>3} {f['unmatched_reversals']:>5} {f['window']:>3} {f['alerts']:>5} "
        f"{f['severe']:>5} "
        f"{f['cusum']:>5} {f['clusters']:>4} {('yes' if f['refresh'] else 'no'):<7} {f['append_s']:>8.2f} "
        f"{f['rescore_s']:>7.2f}  {f['reason'][:70]}"
    )


def summary(days: list[dict], info: dict, cells: int) -> None:
    def stats(key: str) -> str:
        v = [d[key] for d in days]
        return f"mean {statistics.mean(v):.2f}, median {statistics.median(v):.2f}, max {max(v):.2f} s"

    for d in days:
        d["total_s"] = d["append_s"] + d["fit_s"] + d["rescore_s"]
    alerts = [d["alerts"] for d in days]
    print("SUMMARY")
    print(f"  days replayed {len(days)} ({days[0]['day']:%Y-%m-%d}..{days[-1]['day']:%Y-%m-%d}), "
          f"rows read {sum(d['rows'] for d in days):,}, incidents added {sum(d['added'] for d in days):,}, "
          f"already in store {sum(d['already'] for d in days)}, duplicates of stored "
          f"{sum(d['duplicates'] for d in days)}")  # fmt: skip
    print(f"  rejected rows {sum(d['rejected'] for d in days):,} (unmatched reversals "
          f"{sum(d['unmatched_reversals'] for d in days)}), "
          f"netted rows {sum(d['netted'] for d in days):,}")  # fmt: skip
    print(f"  append   {stats('append_s')}")
    print(f"    of which: import {stats('import_s')}; store window + reconcile {stats('match_s')}; "
          f"write_batch {stats('write_s')}; cube read + add + write {stats('cube_s')}")  # fmt: skip
    print(f"  re-score {stats('rescore_s')}  (weekly refit: {stats('fit_s')})")
    print(f"  total    {stats('total_s')}")
    print(f"  alerts per day (severity >= 1): mean {statistics.mean(alerts):.1f} of {cells:,} cells "
          f"({statistics.mean(alerts) / cells:.2%}), max {max(alerts)}; severity 3: mean "
          f"{statistics.mean(d['severe'] for d in days):.1f}; CUSUM alarms mean "
          f"{statistics.mean(d['cusum'] for d in days):.1f}; new clusters mean "
          f"{statistics.mean(d['clusters'] for d in days):.1f}")  # fmt: skip
    asked = [d for d in days if d["refresh"]]
    firsts = pd.Series([d["reason"].split(":")[0] if d["reason"].startswith("feature") else "alert share"
                        for d in asked], dtype=object).value_counts()  # fmt: skip
    print(
        f"  refresh asked on {len(asked)} of {len(days)} days"
        + (f" ({firsts.to_dict()})" if len(asked) else "")
    )
    ok = all(d["balanced"] for d in days)
    print(
        f"  accounting invariant (read = accepted + merged + netted + rejected, per source): "
        f"{'held every day' if ok else 'BROKEN on ' + str(sum(not d['balanced'] for d in days)) + ' days'}"
    )
    growth = all(abs(d["cube_growth"] - d["crimes_in_cells"] - d["moved_from_after"]) < 1e-3 for d in days)
    print(f"  cube grew by exactly the crimes counted inside every day: {growth}")
    print(f"  not replayed (arrivals by occurrence date): {info['before_2019']:,} rows of the 2019 files "
          f"occurred before 2019 ({info['reversals_before_2019']} of them reversals), "
          f"{info['no_date']} have no readable date")  # fmt: skip
    print(f"  peak memory {peak_mb():,.0f} MB")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=None, help="days to replay (default: to 2019-12-31)")
    parser.add_argument("--start", default="2019-01-01", help="first replayed day (2019)")
    parser.add_argument("--history-from", default="2015-01", help="first monthly export of the history")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: the replay needs ../shared/data")
    start = pd.Timestamp(args.start)
    last = pd.Timestamp("2019-12-31")
    if args.days is not None:
        last = min(last, start + pd.Timedelta(days=args.days - 1))
    print("set-up (not per day)")
    t0 = time.perf_counter()
    state = setup(args.history_from)
    t = time.perf_counter()
    rows, info = read_2019()
    t = step(f"2019 exports read: {info['rows']:,} rows", t)
    if start > pd.Timestamp("2019-01-01"):
        catch_up = rows[(rows["__day__"] >= "2019-01-01") & (rows["__day__"] < start)]
        figures = append_batch(state, catch_up, "slmpd_catch_up", start)
        t = step(f"catch-up to {start:%Y-%m-%d} in one batch: {figures['added']:,} incidents", t)
    print(f"set-up total {time.perf_counter() - t0:.1f} s; replay {start:%Y-%m-%d}..{last:%Y-%m-%d} "
          f"({len(state.grid):,} cells, window = days since the last Monday refit)")  # fmt: skip
    print(HEADER)
    by_day = dict(tuple(rows.groupby("__day__", sort=True)))
    days = []
    for day in pd.date_range(start, last, freq="D"):
        today = by_day.get(day, rows.iloc[:0])
        figures = replay_day(state, today, day)
        days.append(figures)
        print(line(figures), flush=True)
    summary(days, info, len(state.grid))
    shutil.rmtree(state.folder, ignore_errors=True)  # the temporary store and its cube
    n = len(days)
    if n < 365:
        per = statistics.mean(d["total_s"] for d in days)
        print(f"  full year estimate at this pace: {365 * per / 60:.1f} min (the window is at most 7 days: "
              f"only the store and the cube grow)")  # fmt: skip


if __name__ == "__main__":
    main()
