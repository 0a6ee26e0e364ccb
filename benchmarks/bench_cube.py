"""Throughput and memory of core.cube.aggregate (prints figures; not a test).

Run: .venv/bin/python benchmarks/bench_cube.py
Target: 1M incidents (95 % known to the minute, 4 % to the day, 1 % to the month) into 100k cells x 365 daily
bins in well under 10 s and under 2 GB peak; also hourly bins for one month, and the write/read round trip.
Peak memory is the process's maximum resident set (resource.getrusage), so it includes the test data.
"""

from __future__ import annotations

import importlib
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from benchlib import link_checkout

ROOT = Path(__file__).resolve().parent.parent
N = 1_000_000
N_CELLS = 100_000
TZ = "America/Chicago"


def _beatcast(module: str):
    """Import from the checkout, linked as the package ``beatcast`` (benchlib.link_checkout)."""
    link_checkout()
    return importlib.import_module(f"beatcast.core.{module}")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _to_utc(local: pd.DatetimeIndex) -> np.ndarray:
    aware = local.tz_localize(TZ, ambiguous=np.ones(len(local), bool), nonexistent="shift_forward")
    return aware.tz_convert("UTC").tz_localize(None).values


def incidents(rng: np.random.Generator, first: str, last: str, n: int = N) -> dict:
    """Occurrence windows as the import writes them: minute, local day or local month."""
    start, end = pd.Timestamp(first), pd.Timestamp(last)
    minutes = int((end - start) / pd.Timedelta(minutes=1))
    local = pd.DatetimeIndex(start + pd.to_timedelta(rng.integers(0, minutes, n), unit="m"))
    kind = rng.choice(np.array(["minute", "day", "month"]), n, p=[0.95, 0.04, 0.01])
    win_start = local.copy()
    win_end = local + pd.Timedelta(minutes=1)
    day, month = kind == "day", kind == "month"
    win_start = win_start.where(~day, local.normalize())
    win_end = win_end.where(~day, local.normalize() + pd.Timedelta(days=1))
    month_start = local.to_period("M").to_timestamp()
    win_start = win_start.where(~month, month_start)
    win_end = win_end.where(~month, month_start + pd.offsets.MonthBegin(1))
    cells = rng.integers(0, N_CELLS, n)
    cells[rng.random(n) < 0.01] = -1
    categories = rng.choice(np.array(["assault", "burglary", "robbery", "theft", "vehicle"]), n)
    return {
        "starts": _to_utc(win_start),
        "ends": _to_utc(win_end),
        "precision": kind.astype(object),
        "cells": cells,
        "categories": categories.astype(object),
    }


def _run(label: str, cube_mod, data: dict, bins, categories: bool) -> object:
    before = _peak_mb()
    began = time.perf_counter()
    cube = cube_mod.aggregate(
        data["cells"],
        data["starts"],
        data["ends"],
        data["precision"],
        data["categories"] if categories else None,
        N_CELLS,
        np.arange(N_CELLS),
        bins,
    )
    seconds = time.perf_counter() - began
    conserved = cube.total() + cube.outside_total()
    print(
        f"  {label:44s} {seconds:6.2f} s  peak {_peak_mb():7.0f} MB (before {before:5.0f})"
        f"  {cube.metadata['multi_bin_incidents']:,} multi-bin, total+outside {conserved:,.3f}"
        f"  [{'csr' if cube.is_sparse else 'dense'} {cube.shape}]"
    )
    return cube


def main() -> None:
    timebins, cube_mod = _beatcast("timebins"), _beatcast("cube")
    rng = np.random.default_rng(7)
    print(f"aggregate: {N:,} incidents, {N_CELLS:,} cells, tz={TZ}")
    year = incidents(rng, "2024-01-01", "2024-12-31")
    print(f"  (data generated, peak {_peak_mb():.0f} MB)")
    daily = timebins.make_bins(
        timebins.BinSpec("day", TZ, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    )
    cube = _run(f"daily, {daily.n_bins} bins, not split", cube_mod, year, daily, False)
    _run(f"daily, {daily.n_bins} bins, 5 categories", cube_mod, year, daily, True)
    month = incidents(rng, "2024-03-01", "2024-04-01")
    hourly = timebins.make_bins(
        timebins.BinSpec("hour", TZ, pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01"))
    )
    _run(f"hourly, March ({hourly.n_bins} bins), not split", cube_mod, month, hourly, False)
    _run(f"hourly, March ({hourly.n_bins} bins), 5 categories", cube_mod, month, hourly, True)
    with tempfile.TemporaryDirectory() as folder:
        gpkg_path = Path(folder) / "bench.gpkg"
        began = time.perf_counter()
        npz = cube_mod.write_cube(cube, gpkg_path, "daily")
        written = time.perf_counter() - began
        began = time.perf_counter()
        cube_mod.read_cube(gpkg_path, "daily")
        read = time.perf_counter() - began
        print(f"  write {written:.2f} s ({npz.stat().st_size / 2**20:.1f} MB npz), read {read:.2f} s")
    began = time.perf_counter()
    frame = cube_mod.cube_frame(cube)
    print(f"  cube_frame {time.perf_counter() - began:.2f} s ({len(frame):,} rows); peak {_peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
