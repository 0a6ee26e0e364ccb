"""Grid and cube: 1M incidents into 100k cells x 365 daily bins (issue 3 target: < 10 s, < 2 GB).

Run: .venv/bin/python benchmarks/bench_grid.py
Times each step of what Build grid + Aggregate incidents do in the engine: build a 100 m square grid
clipped to a round 36 km boundary (~100k cells), assign 1M incidents to cells, aggregate them (aoristic:
95 % minute precision, 4 % day, 1 % month) into daily bins, and write the cube. Also a hexagonal grid.
Prints seconds per step and the peak resident memory of the process.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from benchlib import link_checkout, peak_mb
from benchlib import step as _step

link_checkout()

from beatcast.core import cube, cube_store, grid  # noqa: E402
from beatcast.core.timebins import BinSpec, make_bins  # noqa: E402


def step(label: str, started: float) -> float:
    return _step(label, started, 44)


def incidents(n: int, radius: float, rng) -> dict:
    r = radius * np.sqrt(rng.uniform(0, 1, n))
    a = rng.uniform(0, 2 * np.pi, n)
    start = np.datetime64("2024-01-01T06:00") + rng.integers(0, 365 * 1440, n).astype("timedelta64[m]")
    kind = rng.choice(3, n, p=[0.95, 0.04, 0.01])
    day = start.astype("datetime64[D]").astype("datetime64[ns]") + np.timedelta64(6, "h")  # CST midnight
    month = start.astype("datetime64[M]").astype("datetime64[ns]") + np.timedelta64(6, "h")
    begin = np.where(kind == 0, start.astype("datetime64[ns]"), np.where(kind == 1, day, month))
    end = np.where(
        kind == 0,
        begin + np.timedelta64(1, "m"),
        np.where(kind == 1, begin + np.timedelta64(1, "D"), begin + np.timedelta64(30, "D")),
    )
    return {"x": r * np.cos(a), "y": r * np.sin(a), "start": begin, "end": end}


def run(shape: str, size: float, n: int = 1_000_000) -> None:
    rng = np.random.default_rng(1)
    radius = 18000.0
    theta = np.linspace(0, 2 * np.pi, 721)
    boundary = [[np.column_stack([radius * np.cos(theta), radius * np.sin(theta)])]]
    print(f"{shape} {size:.0f} m cells, {n:,} incidents, daily bins for 2024 (America/Chicago)")
    t = time.perf_counter()
    g = grid.build_grid(grid.GridSpec(shape, size, crs="EPSG:32616"), boundary)
    t = step(f"build grid ({len(g):,} cells)", t)
    data = incidents(n, radius, rng)
    t = time.perf_counter()
    cells = grid.cell_index(g, data["x"], data["y"])
    t = step("assign incidents to cells", t)
    year = (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-01-01"))
    bins = make_bins(BinSpec("day", "America/Chicago", *year))
    result = cube.aggregate(cells, data["start"], data["end"], None, None, len(g), g.cell_id, bins)
    t = step(f"aggregate into {len(g):,} x {bins.n_bins} cube", t)
    with tempfile.TemporaryDirectory() as folder:
        cube_store.write_cube(result, Path(folder) / "bench.gpkg", "bench")
        step("write the cube", t)
    print(f"  counted {result.total():,.0f}, outside cells {sum(result.outside['cells'].values()):,.0f}")


if __name__ == "__main__":
    started = time.perf_counter()
    run("square", 100.0)
    run("hex", 108.0)
    print(f"total {time.perf_counter() - started:.1f} s, peak {peak_mb():.0f} MB")
