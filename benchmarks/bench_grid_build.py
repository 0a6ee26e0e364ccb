"""Time to build the analysis grid over the demo city and to assign points to it (prints figures, not a test).

Run: .venv/bin/python benchmarks/bench_grid_build.py
Targets: a 150 m grid over the demo city (~12 km x 10 km) well under 1 s; ~100k cells within a few
seconds; cell_index for 1M points well under 1 s.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from pathlib import Path

import numpy as np
from benchlib import link_checkout

ROOT = Path(__file__).resolve().parent.parent


def _import(name: str):
    """Import from the checkout, linked as the package ``beatcast`` (benchlib.link_checkout)."""
    link_checkout()
    return importlib.import_module(name)


def _best(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    grid_mod = _import("beatcast.core.grid")
    city = _import("beatcast.core.demo_city").generate_city()
    boundary = city.boundary.geometries
    districts = (city.districts.geometries, city.districts.column("district_id"))
    print(f"demo boundary: {sum(len(r) for p in boundary for r in p)} vertices")
    cases = [("square", 150.0), ("hex", 150.0), ("square", 31.0), ("hex", 33.0)]
    grids = {}
    for shape, size in cases:
        spec = grid_mod.GridSpec(shape, size, crs="EPSG:32616")
        seconds, grid = _best(lambda spec=spec: grid_mod.build_grid(spec, boundary))
        grids[(shape, size)] = grid
        clipped = int((grid.area_fraction < 1).sum())
        print(f"build {shape:6} {size:5.0f} m: {len(grid):7,} cells ({clipped:,} clipped) {seconds:6.3f} s")
        seconds, _ = _best(
            lambda spec=spec: grid_mod.build_grid(spec, boundary, labels={"district": districts})
        )
        print(f"  with district labels: {seconds:6.3f} s")
    rng = np.random.default_rng(1)
    ring = boundary[0][0]
    x = rng.uniform(ring[:, 0].min(), ring[:, 0].max(), 1_000_000)
    y = rng.uniform(ring[:, 1].min(), ring[:, 1].max(), 1_000_000)
    for key in (("square", 150.0), ("hex", 33.0)):
        grid = grids[key]
        seconds, index = _best(lambda grid=grid: grid_mod.cell_index(grid, x, y))
        share = (index >= 0).mean()
        print(f"cell_index {key[0]} {key[1]:.0f} m, 1M points: {seconds:6.3f} s ({share:.1%} in a cell)")
        seconds, w = _best(lambda grid=grid: grid_mod.neighbours(grid))
        print(f"neighbours {key[0]} {key[1]:.0f} m: {seconds:6.3f} s ({w.nnz:,} links)")
    gpkg = _import("beatcast.core.gpkg")
    srs = gpkg.SpatialReference.from_authid("EPSG:32616", gpkg.utm_wkt(16))
    with tempfile.TemporaryDirectory() as folder:
        grid = grids[("hex", 33.0)]
        start = time.perf_counter()
        grid_mod.write_grid_gpkg(Path(folder) / "grid.gpkg", "cells", grid, srs)
        print(f"write_grid_gpkg {len(grid):,} cells: {time.perf_counter() - start:6.3f} s")


if __name__ == "__main__":
    main()
