"""Fairness-constrained zone selection: the price of an exposure-ratio cap on real and demo data.

Run: .venv/bin/python benchmarks/bench_fairness.py [--city stlouis|demo|both]
[--stl-category all|burglary|both]

St. Louis (skipped politely when ../shared/data is absent): the cleaned SLMPD points (UCR 26 excluded) on
150 m cells clipped to the city boundary; a daily cube of 2019; ``KernelDensity`` (200 m bandwidth, 365-day
window) fitted on the days before 2019-12-01 predicts one day (as in bench_patrol); the candidate zones are
the 200 cells with the highest forecast (``candidate_zones``). Areas: the 88 neighbourhoods with a geometry
and their 2020 census counts; groups: white alone, black alone, hispanic / latino and other = total - the
three (clipped at 0). The census counts hispanic / latino residents also under a race, so the groups
overlap a little; they are used for the audit only, never as model inputs. Overlap cells x areas:
``covariates_overlay.overlap_matrix`` (exact area of each clipped cell inside each area) / cell area,
rows above 1 (neighbourhood polygons overlapping slightly) scaled down to 1.

A sensitivity run repeats this on burglaries only (UCR 05, ``--stl-category``): the all-incident forecast
peaks Downtown, whose residents mirror the city, while burglary risk is spread over residential areas.

Demo city (``generate_city``): 250 m cells; forecast proxy = incidents of the last 8 weeks / 8 per cell (as
in bench_patrol); the 200 top cells are the candidates; areas: the 50 census areas, groups pop_group_a/b/c.

For K in (20, 40, 60) zones: ``select_zones`` unconstrained, then with ``audit.exposure_cap_constraints``
for caps 1.5, 1.25, 1.1 (each selected zone = one unit of exposure spread over its cells). Each selection
is re-audited independently: cell exposure 1 / |cells| on the cells of each selected zone,
``group_exposure(area_exposure(...))``. Prints captured expected incidents, loss against the unconstrained
selection, worst and per-group exposure ratios, MILP time and status.
Goal (bias-audit issue): at a cap of 1.25 the cap holds while losing at most 5 % of captured risk.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from benchlib import link_checkout

link_checkout()

import stlouis as stl_data  # noqa: E402
from scipy import sparse  # noqa: E402

from beatcast.core import audit  # noqa: E402
from beatcast.core.covariates_overlay import overlap_matrix  # noqa: E402
from beatcast.core.demo_city import generate_city  # noqa: E402
from beatcast.core.errors import BeatCastInputError  # noqa: E402
from beatcast.core.grid import GridSpec, build_grid, cell_index  # noqa: E402
from beatcast.core.patrol import select_zones  # noqa: E402
from beatcast.core.patrol_zones import candidate_zones  # noqa: E402

N_CANDIDATES = 200
KS = (20, 40, 60)
CAPS = (1.5, 1.25, 1.1)
GOAL_CAP = 1.25
GOAL_LOSS = 0.05
TOLERANCE = 1e-6
DEMO_WEEKS = 8


def shares(grid, polygons) -> sparse.csr_matrix:
    """cells x areas: share of each clipped cell's area inside each area (rows scaled to sum <= 1)."""
    matrix, _ = overlap_matrix(grid, polygons)
    out = sparse.diags(1.0 / grid.area) @ sparse.csr_matrix(matrix)
    rows = np.asarray(out.sum(axis=1)).ravel()
    scale = np.where(rows > 1.0, 1.0 / np.maximum(rows, 1e-300), 1.0)
    return sparse.csr_matrix(sparse.diags(scale) @ out), rows


def stl_setup(category="all"):
    grid, counts, until, expected = stl_data.kde_forecast_2019(category)
    features = stl_data.neighbourhoods()
    polygons = [stl_data.utm_polygons(f["geometry"]) for f in features]
    props = pd.DataFrame([f["properties"] for f in features])
    pop = pd.DataFrame(
        {
            "white": props["pop_white_alone"].astype(float),
            "black": props["pop_black_alone"].astype(float),
            "hispanic": props["pop_hispanic_latino"].astype(float),
        }
    )
    pop["other"] = (props["total_population"].astype(float) - pop.sum(axis=1)).clip(lower=0)
    pop.index = props["neighborhood_name"].astype(str)
    info = (
        f"{int(counts[:, :until].sum()):,} incidents in 2019 before 2019-12-01 in {len(grid):,} cells of "
        f"150 m; forecast for 2019-12-01 {expected.sum():.1f} incidents; {len(features)} neighbourhoods, "
        f"{int(props['total_population'].sum()):,} residents"
    )
    return grid, expected, polygons, pop, info


def demo_setup():
    city = generate_city()
    grid = build_grid(GridSpec("square", 250.0, crs="EPSG:32616"), city.boundary.geometries)
    inc = city.incidents
    when = pd.to_datetime(inc["occurred_local"])
    recent = inc[when >= when.max() - pd.Timedelta(weeks=DEMO_WEEKS)]
    cell = cell_index(grid, recent["x"].to_numpy(), recent["y"].to_numpy())
    expected = np.bincount(cell[cell >= 0], minlength=len(grid)).astype(float) / DEMO_WEEKS
    attrs = pd.DataFrame(city.census_areas.attributes)
    pop = attrs[["pop_group_a", "pop_group_b", "pop_group_c"]].astype(float)
    pop.columns = ["group_a", "group_b", "group_c"]
    pop.index = attrs["area_id"].astype(str) if "area_id" in attrs else pd.RangeIndex(len(attrs))
    info = (
        f"{len(recent):,} incidents in the last {DEMO_WEEKS} weeks in {len(grid):,} cells of 250 m "
        f"(proxy forecast {expected.sum():.1f} per week); {len(pop)} census areas, "
        f"{int(pop.to_numpy().sum()):,} residents"
    )
    return grid, expected, list(city.census_areas.geometries), pop, info


def reaudit(chosen, zone_cells, overlap, pop, n_cells):
    exposure = np.zeros(n_cells)
    for i in np.flatnonzero(chosen):
        cells = np.asarray(zone_cells[i], dtype=int)
        exposure[cells] += 1.0 / cells.size
    return audit.group_exposure(audit.area_exposure(exposure, overlap), pop)


def evaluate(label, grid, expected, polygons, pop, info):
    print(f"{label}: {info}")
    t = time.perf_counter()
    overlap, rows = shares(grid, polygons)
    print(
        f"  overlap cells x areas {overlap.shape}: {time.perf_counter() - t:.2f} s; row sums: min "
        f"{rows.min():.4f}, max {rows.max():.6f} ({int((rows > 1 + 1e-9).sum())} above 1 scaled down, "
        f"{int((rows < 1 - 1e-6).sum())} cells partly outside every area)"
    )
    zones = candidate_zones(expected, grid.centroid_x, grid.centroid_y, N_CANDIDATES)
    value = zones["value"].to_numpy()
    zone_cells = zones["cells"].tolist()
    n = len(zones)
    share_pop = pop.sum() / pop.to_numpy().sum()
    print(
        f"  {n} candidate zones (top cells), value {value.sum():.2f} ({value.sum() / expected.sum():.1%} of "
        "the forecast); population shares: " + ", ".join(f"{g} {s:.1%}" for g, s in share_pop.items())
    )
    cand = reaudit(np.ones(n, bool), zone_cells, overlap, pop, len(grid))["exposure_ratio"]
    print("  all candidates selected: ratios " + ", ".join(f"{g} {r:.2f}" for g, r in cand.items()))
    groups = list(pop.columns)
    header = (
        f"  {'K':>3} {'cap':>5} {'captured':>9} {'loss':>7} {'worst':>6} "
        + " ".join(f"{g[:8]:>8}" for g in groups)
        + f" {'MILP s':>7}  status"
    )
    print(header)
    results = []
    for k in KS:
        base = None
        for cap in (None, *CAPS):
            extra = None
            t = time.perf_counter()
            try:
                if cap is not None:
                    extra = audit.exposure_cap_constraints(zone_cells, overlap, pop, cap)
                sel = select_zones(value, [""] * n, k, extra_constraints=extra)
            except BeatCastInputError as error:
                seconds = time.perf_counter() - t
                dashes = " ".join(f"{'-':>8}" for _ in groups)
                print(f"  {k:>3} {cap:>5g} {'-':>9} {'-':>7} {'-':>6} {dashes} {seconds:7.2f}  "
                      f"infeasible: {str(error)[:80]}")  # fmt: skip
                results.append((k, cap, None, None, None))
                continue
            seconds = time.perf_counter() - t
            captured = float(value[sel.chosen].sum())
            if cap is None:
                base = captured
            loss = 1.0 - captured / base if base else float("nan")
            ratios = reaudit(sel.chosen, zone_cells, overlap, pop, len(grid))["exposure_ratio"]
            worst = float(np.nanmax(ratios))
            cap_text = "none" if cap is None else f"{cap:g}"
            note = "" if cap is None or worst <= cap + TOLERANCE else " CAP VIOLATED"
            print(
                f"  {k:>3} {cap_text:>5} {captured:9.3f} {loss:7.2%} {worst:6.3f} "
                + " ".join(f"{ratios[g]:8.3f}" for g in groups)
                + f" {seconds:7.2f}  {sel.status}, chose {int(sel.chosen.sum())}{note}"
            )
            results.append((k, cap, captured, loss, worst))
    verdict = []
    for k, cap, captured, loss, worst in results:
        if cap == GOAL_CAP:
            ok = captured is not None and worst <= cap + TOLERANCE and loss <= GOAL_LOSS
            verdict.append(ok)
            text = "infeasible" if captured is None else f"worst {worst:.3f}, loss {loss:.2%}"
            print(f"  goal at K={k}: cap {GOAL_CAP:g} holds with loss <= {GOAL_LOSS:.0%}: "
                  f"{'YES' if ok else 'NO'} ({text})")  # fmt: skip
    unconstrained = [w for _, cap, _, _, w in results if cap is None and w is not None]
    print(f"  worst exposure ratio of the unconstrained plans: {max(unconstrained):.3f}; "
          f"goal {'met' if all(verdict) else 'NOT met'} for all K")  # fmt: skip


def main():
    global N_CANDIDATES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default="both", choices=["demo", "stlouis", "both"])
    parser.add_argument("--stl-category", default="both", choices=["all", "burglary", "both"])
    parser.add_argument("--candidates", type=int, default=N_CANDIDATES, help="top cells offered to the MILP")
    args = parser.parse_args()
    N_CANDIDATES = args.candidates
    if args.city in ("stlouis", "both"):
        if not stl_data.DATA.is_dir():
            print("St. Louis: ../shared/data/stlouis_slmpd absent: St. Louis section skipped")
        else:
            for category in ("all", "burglary") if args.stl_category == "both" else (args.stl_category,):
                t = time.perf_counter()
                setup = stl_setup(category)
                seconds = time.perf_counter() - t
                print(f"\nSt. Louis data ({category}), KDE forecast, neighbourhoods: {seconds:.2f} s")
                evaluate(f"St. Louis, {category} (one-day KDE forecast for 2019-12-01)", *setup)
    if args.city in ("demo", "both"):
        t = time.perf_counter()
        setup = demo_setup()
        print(f"\ndemo city and proxy forecast: {time.perf_counter() - t:.2f} s")
        evaluate("demo city (last 8 weeks / 8)", *setup)


if __name__ == "__main__":
    main()
