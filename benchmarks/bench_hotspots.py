"""Gi* and emerging hot spots at 50k cells (issue 5 target: each < 30 s on 2 cores).

Run: .venv/bin/python benchmarks/bench_hotspots.py
A 100 m square grid over a 22.4 km square (50,176 cells), queen contiguity plus self. Times Gi* with 999
conditional permutations on random counts, and emerging hot spot analysis on 50k cells x 52 weekly bins
(ArcGIS defaults: one neighbourhood time step, entire-cube window; then per bin; then per bin with 99
permutations). Prints seconds per step and the peak resident memory of the process.
"""

from __future__ import annotations

import time

import numpy as np
from benchlib import link_checkout
from benchlib import step as _step

link_checkout()

from beatcast.core import emerging, grid, hotspots  # noqa: E402


def step(label: str, started: float) -> float:
    return _step(label, started, 58)


def main() -> None:
    rng = np.random.default_rng(1)
    t = time.perf_counter()
    cells = grid.build_grid(grid.GridSpec("square", 100.0), None, extent=(0.0, 0.0, 22400.0, 22400.0))
    weights = hotspots.weights_contiguity(cells, "queen")
    t = step(f"grid + queen weights ({len(cells):,} cells)", t)

    values = rng.poisson(1.5, len(cells)).astype(float)
    result = hotspots.getis_ord_gistar(values, weights, permutations=999, seed=1)
    t = step("Gi*, 999 permutations", t)
    print(f"    cells significant (FDR, 90 %): {(result.bin != 0).sum():,}")

    # Counts with a slowly moving intensity, so that some cells have patterns.
    rate = 0.3 + 2.0 * np.exp(-((cells.centroid_x - 11200.0) ** 2 + (cells.centroid_y - 11200.0) ** 2) / 4e6)
    growth = np.linspace(0.5, 1.5, 52)
    counts = rng.poisson(rate[:, None] * growth[None, :]).astype(np.float32)
    t = time.perf_counter()
    out = emerging.emerging_hotspots(counts, weights)
    t = step("emerging, 52 weekly bins (time step 1, entire cube)", t)
    print(f"    patterns: { {name: int((out.pattern == name).sum()) for name in set(out.pattern)} }")
    emerging.emerging_hotspots(counts, weights, time_steps=0, global_window="neighbourhood")
    t = step("emerging, 52 weekly bins (each bin on its own)", t)
    emerging.emerging_hotspots(counts, weights, permutations=99, time_steps=0, global_window="neighbourhood")
    step("emerging, 52 weekly bins, 99 permutations per bin", t)


if __name__ == "__main__":
    main()
