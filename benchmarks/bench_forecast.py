"""Forecast skill on St. Louis, on the protocol of the open_cp reference table in ../shared/data/README.md.

Run: .venv/bin/python benchmarks/bench_forecast.py [--category burglary|all]
150 m cells clipped to the city boundary; daily cube of the cleaned points (UCR 26 excluded); 365 days of
training before each cutoff; 7-day forecasts rolled weekly from 2019-09-01 (13 weeks); hit rate pooled
over the weeks; PAI = pooled hit rate / share of area flagged. Prints PAI at 1/5/10/20 % and the seconds
per forecast for each model, beside the open_cp figures. (Work in progress for the forecasting issue:
SEPP and gradient boosting are not in yet.)
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from benchlib import ROOT, link_checkout

link_checkout()

from beatcast.core import baselines, cube, grid, metrics, spatial_models  # noqa: E402
from beatcast.core.projection import lonlat_to_utm  # noqa: E402
from beatcast.core.timebins import BinSpec, make_bins  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "stlouis_slmpd"
COVERAGES = (0.01, 0.05, 0.10, 0.20)
REFERENCE = {  # open_cp 0.2.0, burglary (UCR 05), from ../shared/data/README.md
    "naive one-year counts": (6.85, 4.27, 3.46, 2.70),
    "space-time KDE": (5.78, 4.56, 3.62, 2.68),
    "prospective hotspot (grid)": (5.67, 4.34, 3.36, 2.51),
    "SEPP (non-parametric)": (4.84, 4.27, 3.53, 2.70),
}


def load(category: str):
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
    parser.add_argument("--category", default="burglary", choices=["burglary", "all"])
    args = parser.parse_args()
    if not DATA.is_dir():
        print("../shared/data absent: nothing to benchmark")
        return
    x, y, when = load(args.category)
    cells = grid.build_grid(grid.GridSpec("square", 150.0, crs="EPSG:32615"), boundary_utm())
    index = grid.cell_index(cells, x, y)
    bins = make_bins(
        BinSpec("day", "America/Chicago", pd.Timestamp("2018-09-01"), pd.Timestamp("2019-12-01"))
    )
    daily = cube.aggregate(
        index, when, when + np.timedelta64(1, "m"), None, None, len(cells), cells.cell_id, bins
    )
    counts = np.asarray(daily.dense()[0], dtype=float)
    start = int(np.searchsorted(bins.local, np.datetime64("2019-09-01")))
    print(
        f"{args.category}: {len(x):,} incidents, {len(cells):,} cells of 150 m, "
        "cutoffs from 2019-09-01 x 13 weeks"
    )
    models = {
        "naive one-year counts": lambda: baselines.NaiveLongRun(),
        "space-time KDE": lambda: spatial_models.KernelDensity(
            cells.centroid_x, cells.centroid_y, 200.0, 365
        ),
        "prospective hotspot (grid)": lambda: spatial_models.ProspectiveHotspot(
            cells.centroid_x, cells.centroid_y, 300.0, 28.0, 180
        ),
    }
    area = cells.area
    for label, make in models.items():
        model, hits, observed, shares, seconds = (
            make(),
            np.zeros(len(COVERAGES)),
            0.0,
            np.zeros(len(COVERAGES)),
            0.0,
        )
        for week in range(13):
            cutoff = start + 7 * week
            history = counts[:, cutoff - 365 : cutoff]
            t0 = time.perf_counter()
            model.fit(history, history.shape[1])
            forecast = model.predict(7).expected
            seconds += time.perf_counter() - t0
            truth = counts[:, cutoff : cutoff + 7].sum(axis=1)
            observed += truth.sum()
            for k, c in enumerate(COVERAGES):
                flagged = metrics.top_cells(forecast, area, c)
                hits[k] += truth[flagged].sum()
                shares[k] += area[flagged].sum() / area.sum() / 13
        pai = (hits / observed) / shares
        ref = REFERENCE.get(label) if args.category == "burglary" else None
        print(
            f"  {label:<28} PAI@1/5/10/20 % "
            + " ".join(f"{v:5.2f}" for v in pai)
            + ("   open_cp " + " ".join(f"{v:5.2f}" for v in ref) if ref else "")
            + f"   {seconds / 13:.2f} s per forecast"
        )


if __name__ == "__main__":
    main()
