"""Grid SEPP (core.sepp.Sepp) on a year of St. Louis: how long the EM fit takes and what it finds.

Run: .venv/bin/python benchmarks/bench_sepp.py [--category all|burglary]
150 m cells clipped to the city boundary; daily cube of the cleaned points (UCR 26 excluded) for
2019-01-01 .. 2020-01-01; Sepp fitted on the 365 days, then a 7-day forecast. Prints the cells, incidents,
fit seconds, EM iterations, theta, omega, mean lag, ring shares and the predict seconds.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from benchlib import ROOT, link_checkout, peak_mb

link_checkout()

from beatcast.core import cube, grid, sepp  # noqa: E402
from beatcast.core.projection import lonlat_to_utm  # noqa: E402
from beatcast.core.timebins import BinSpec, make_bins  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "stlouis_slmpd"


def load(category: str):
    """Cleaned St. Louis points (UCR 26 excluded): UTM 15N x, y and UTC-naive occurrence times."""
    frame = pd.read_csv(
        DATA / "stl_slmpd_2015_2019_clean_points.csv.gz", dtype={"ucr_code": str}, low_memory=False
    )
    frame = frame[frame["ucr_code"] != "26"]
    if category == "burglary":
        frame = frame[frame["ucr_code"] == "05"]
    x, y = lonlat_to_utm(frame["longitude"].to_numpy(), frame["latitude"].to_numpy(), 15)
    when = pd.to_datetime(frame["date_occur"]).dt.tz_localize(
        "America/Chicago", ambiguous=True, nonexistent="shift_forward"
    )
    return x, y, when.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()


def boundary_utm():
    """City boundary polygons in UTM 15N (the grid is clipped to it)."""
    data = json.loads((DATA / "context" / "stl_boundary_wgs84.geojson").read_text())
    geometry = data["features"][0]["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            ring = np.asarray(ring, dtype=float)
            rx, ry = lonlat_to_utm(ring[:, 0], ring[:, 1], 15)
            rings.append(np.column_stack([rx, ry]))
        out.append(rings)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--category", default="all", choices=["all", "burglary"])
    parser.add_argument("--max-rings", type=int, default=2)
    parser.add_argument("--background-bandwidth", type=float, default=None)
    args = parser.parse_args()
    if not DATA.is_dir():
        print("../shared/data absent: nothing to benchmark")
        return
    x, y, when = load(args.category)
    cells = grid.build_grid(grid.GridSpec("square", 150.0, crs="EPSG:32615"), boundary_utm())
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
