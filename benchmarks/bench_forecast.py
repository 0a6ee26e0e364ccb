"""Forecast skill on St. Louis: every BeatCast model, weekly forecasts over the 52 weeks of 2019.

Run: .venv/bin/python benchmarks/bench_forecast.py [--category all|burglary] [--weeks 52] [--models a,b]
150 m cells clipped to the city boundary; daily cube of the cleaned points (UCR 26 excluded) from
2015-01-01; 7-day forecasts from the cutoffs 2019-01-01 + 7k days (k = 0..weeks-1), each
fitted only on the days before it (``core.backtest``: every model is fitted once per origin, intervals
calibrated on its own previous 8 weekly forecasts, the ensemble stacked on its members' previous 8).
Covariates for the boosted model: area-weighted neighbourhood totals of population, occupied and vacant
housing units (2020 census; race and ethnicity fields are prohibited by the default policy and refused).

Prints, per model: mean PAI and hit rate at 1/5/10/20 % of the area, mean PEI* at 5 %, the randomised-PIT
coverage of the calibrated 90 % intervals (PIT90, see core/intervals.py) and the plain share of cells
inside their integer bounds (cover), seconds per fit (+ predict), and the goal of the forecasting issue: best
BeatCast model's mean PAI at 5 % / best of naive, KDE and prospective. The open_cp reference figures for
burglary (2019-09-01, 13 weeks, pooled) are in ../shared/data/README.md and in the header of the output.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from benchlib import link_checkout

link_checkout()

import stlouis  # noqa: E402

from beatcast.core import backtest, cube, forecasting, grid  # noqa: E402
from beatcast.core.covariates import area_weighted  # noqa: E402
from beatcast.core.policy import load_policy  # noqa: E402
from beatcast.core.timebins import BinSpec, make_bins  # noqa: E402
from beatcast.core.timecovariates import calendar_features, us_federal_holidays  # noqa: E402

COVERAGES = (0.01, 0.05, 0.10, 0.20)
BASELINES = ("naive_recent", "naive_seasonal", "naive_long_run", "kde", "prospective")
COVARIATE_FIELDS = ("total_population", "occupied_housing_units", "vacant_housing_units")
REFERENCE = (
    "open_cp 0.2.0 burglary, 13 weeks from 2019-09-01, pooled PAI@1/5/10/20: naive 6.85/4.27/3.46/2.70, "
)
REFERENCE += "KDE 5.78/4.56/3.62/2.68, prospective 5.67/4.34/3.36/2.51, SEPP 4.84/4.27/3.53/2.70"


def neighbourhood_covariates(cells) -> pd.DataFrame:
    features = stlouis.neighbourhoods()
    polygons = [stlouis.utm_polygons(f["geometry"]) for f in features]
    values = {k: [float(f["properties"][k]) for f in features] for k in COVARIATE_FIELDS}
    load_policy().check_inputs(values)  # the same refusal the algorithms apply
    table = area_weighted(cells, polygons, values, {k: "extensive" for k in COVARIATE_FIELDS})
    return pd.DataFrame(table)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--category", default="all", choices=["all", "burglary"])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--models", default=",".join(forecasting.MODELS))
    args = parser.parse_args()
    if not stlouis.DATA.is_dir():
        print("../shared/data absent: nothing to benchmark")
        return
    names = [m for m in args.models.split(",") if m]
    x, y, when = stlouis.load_points(args.category)
    cells = grid.build_grid(grid.GridSpec("square", 150.0, crs=stlouis.CRS), stlouis.boundary_utm())
    index = grid.cell_index(cells, x, y)
    bins = make_bins(
        BinSpec("day", "America/Chicago", pd.Timestamp("2015-01-01"), pd.Timestamp("2020-01-01"))
    )
    daily = cube.aggregate(
        index, when, when + np.timedelta64(1, "m"), None, None, len(cells), cells.cell_id, bins
    )
    first_cutoff = int(np.searchsorted(bins.local, np.datetime64("2019-01-01")))
    last_cutoff = first_cutoff + 7 * (args.weeks - 1)
    counts = np.asarray(daily.dense()[0], dtype=float)[:, : last_cutoff + 7]
    calendar = calendar_features(bins, us_federal_holidays(bins)).drop(columns=["bin_label", "bin_start_utc"])
    ctx = forecasting.ModelContext(
        x=cells.centroid_x, y=cells.centroid_y, area=cells.area, neighbours=grid.neighbours(cells, "queen"),
        cell_size=150.0, per_day=1.0, covariates=neighbourhood_covariates(cells),
        calendar=calendar.astype(float),
        seed=0,
    )  # fmt: skip
    print(
        f"St. Louis {args.category}: {len(x):,} incidents 2015-2019, {len(cells):,} cells of 150 m; "
        f"{args.weeks} weekly forecasts from 2019-01-01, each fitted on the days before it"
    )
    print(REFERENCE)
    start = time.perf_counter()
    per_period, summary = backtest.backtest(
        counts, names, lambda m: forecasting.make_model(m, ctx), 7, args.weeks, cells.area,
        forecasting.ENSEMBLE_MEMBERS, COVERAGES, calibration_origins=8, labels=bins.labels,
    )  # fmt: skip
    print(f"backtest: {time.perf_counter() - start:.0f} s in all")
    summary = summary.set_index("model")
    print(
        f"{'model':<16} {'PAI@1':>6} {'PAI@5':>6} {'PAI@10':>6} {'PAI@20':>6} | {'hit@1':>6} {'hit@5':>6} "
        f"{'hit@10':>6} {'hit@20':>6} | {'PEI*@5':>6} {'PIT90':>6} {'cover':>6} {'s/fit':>6}"
    )
    for name, row in summary.iterrows():
        print(
            f"{name:<16} "
            + " ".join(f"{row[f'pai@{c}']:6.2f}" for c in ("1", "5", "10", "20"))
            + " | "
            + " ".join(f"{row[f'hit@{c}']:6.3f}" for c in ("1", "5", "10", "20"))
            + f" | {row['pei*@5']:6.3f} {row['pit_coverage']:6.3f} {row['interval_coverage']:6.3f}"
            + f" {row['seconds_per_fit']:6.2f}"
        )
    baseline = summary.loc[[m for m in BASELINES if m in summary.index], "pai@5"]
    if len(baseline):
        best = summary["pai@5"].idxmax()
        print(
            f"best model {best}: mean PAI@5 {summary.loc[best, 'pai@5']:.2f} = "
            f"{summary.loc[best, 'pai@5'] / baseline.max():.2f} x the best baseline ({baseline.idxmax()}, "
            f"{baseline.max():.2f}); goal >= 1.2"
        )


if __name__ == "__main__":
    main()
