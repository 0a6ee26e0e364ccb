"""Grid SEPP (core.sepp.Sepp) on a year of St. Louis: how long the EM fit takes and what it finds.

Run: .venv/bin/python benchmarks/bench_sepp.py [--category all|burglary]
150 m cells clipped to the city boundary; daily cube of the cleaned points (UCR 26 excluded) for
2019-01-01 .. 2020-01-01; Sepp fitted on the 365 days, then a 7-day forecast. Prints the cells, incidents,
fit seconds, EM iterations, theta, omega, mean lag, ring shares and the predict seconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from benchlib import link_checkout, peak_mb

link_checkout()

import stlouis  # noqa: E402

from beatcast.core import cube, grid, sepp  # noqa: E402
from beatcast.core.timebins import BinSpec, make_bins  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--category", default="all", choices=["all", "burglary"])
    parser.add_argument("--max-rings", type=int, default=2)
    parser.add_argument("--background-bandwidth", type=float, default=None)
    args = parser.parse_args()
    if not stlouis.DATA.is_dir():
        print("../shared/data absent: nothing to benchmark")
        return
    x, y, when = stlouis.load_points(args.category)
    cells = grid.build_grid(grid.GridSpec("square", 150.0, crs=stlouis.CRS), stlouis.boundary_utm())
    index = grid.cell_index(cells, x, y)
    bins = make_bins(
        BinSpec("day", "America/Chicago", pd.Timestamp("2019-01-01"), pd.Timestamp("2020-01-01"))
    )
    daily = cube.aggregate(
        index, when, when + np.timedelta64(1, "m"), None, None, len(cells), cells.cell_id, bins
    )
    counts = daily.matrix()
    days = counts.shape[1]
    print(
        f"{args.category}: {len(cells):,} cells of 150 m x {days} daily bins, "
        f"{float(counts.sum()):,.0f} incidents in the cube ({'CSR' if hasattr(counts, 'tocsr') else 'dense'})"
    )
    model = sepp.Sepp(
        cells.centroid_x,
        cells.centroid_y,
        window=days,
        max_rings=args.max_rings,
        background_bandwidth=args.background_bandwidth,
    )
    t0 = time.perf_counter()
    model.fit(counts, days)
    fit_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    forecast = model.predict(7)
    predict_seconds = time.perf_counter() - t0
    print(f"  fit          {fit_seconds:7.2f} s   {model.iterations} EM iterations   peak {peak_mb():.0f} MB")
    print(f"  theta        {model.theta:.4f}   (offspring per incident)")
    print(f"  omega        {model.omega:.4f} per day   mean lag {model.mean_lag_bins:.2f} days")
    print(
        "  ring shares  "
        + " ".join(f"{q:.3f}" for q in model.ring_shares)
        + f"   (ring width {model.ring_width:g} m)"
    )
    print(f"  background   {model.mu.sum():.1f} per day   log-likelihood {model.log_likelihood:,.1f}")
    print(f"  predict 7 d  {predict_seconds:7.3f} s   expected total {forecast.expected.sum():.1f}")
    share = model.triggering_share()
    print(f"  triggering share, last day: mean {share.mean():.3f}, max {share.max():.3f}")


if __name__ == "__main__":
    main()
