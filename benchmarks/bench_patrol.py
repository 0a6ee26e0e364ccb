"""Patrol planning on the demo city: zone selection (MILP) and routing (OR-Tools) over the road network.

Run: .venv/bin/python benchmarks/bench_patrol.py [--route-seconds 10] [--city demo|stlouis|both]
Candidate zones: the 60 cells of a 250 m square grid with the most incidents in the last 8 weeks of the
demo incidents; value = count / 8 (expected incidents per week: a proxy for a forecast). Depots: the 5
stations. Travel: ``RoadNetwork`` over the demo roads at their speeds (access legs at 30 km/h). Two runs:

- ample: 10 units (2 per station), 8-hour shift, dwell 15 min, 2 visits per zone at least 120 min apart,
  at least 2 zones per district;
- tight: 4 units (at the first 4 stations), 4-hour shift, same rules, so the routing must drop visits.

Prints the time of each step, the MILP bound, the captured value and captured / bound (goal: under 30 s in
all, captured within 2 % of the bound for the ample run), travel and dwell minutes and visits per unit.

St. Louis (``--city stlouis``, or after the demo city with the default ``--city both``; skipped politely
when ../shared/data is absent): the cleaned SLMPD points (UCR 26 excluded) on 150 m cells clipped to the
city boundary; a daily cube of 2019; ``KernelDensity`` (200 m bandwidth, 365-day window) fitted on the
days before 2019-12-01 predicts one day (a proxy for a shift's forecast); the 60 cells with the highest
forecast are the zones (``candidate_zones``). St. Louis has no station layer in ../shared/data, so the
depots are made up: the zones are split into 6 k-means clusters (``scipy.cluster.vq.kmeans2``, seeded)
and each cluster's expected-weighted centroid is a depot; the cluster labels are the districts, with at
least 1 zone each (one cluster holds a single zone, so the demo runs' 2 per district is infeasible).
Units are spread over the depots in turn. Travel: straight lines at 30 km/h (``straight_line_minutes``).
The same two runs as on the demo city (the tight one from the first 4 depots).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from benchlib import link_checkout

link_checkout()

import stlouis as stl_data  # noqa: E402
from scipy.cluster.vq import kmeans2  # noqa: E402

from beatcast.core.demo_city import generate_city  # noqa: E402
from beatcast.core.grid import GridSpec, build_grid, cell_index  # noqa: E402
from beatcast.core.patrol import plan_routes, select_zones  # noqa: E402
from beatcast.core.patrol_zones import candidate_zones  # noqa: E402
from beatcast.core.travel import RoadNetwork, straight_line_minutes  # noqa: E402

WEEKS = 8
N_ZONES = 60
STL = stl_data.DATA
STL_DEPOTS = 6
STL_SPEED_KMH = 30.0


def candidates(city):
    grid = build_grid(GridSpec("square", 250.0, crs="EPSG:32616"), city.boundary.geometries)
    inc = city.incidents
    when = pd.to_datetime(inc["occurred_local"])
    recent = inc[when >= when.max() - pd.Timedelta(weeks=WEEKS)]
    cell = cell_index(grid, recent["x"].to_numpy(), recent["y"].to_numpy())
    counts = np.bincount(cell[cell >= 0], minlength=len(grid)).astype(float)
    top = np.argsort(-counts, kind="stable")[:N_ZONES]
    x, y = grid.centroid_x[top], grid.centroid_y[top]
    return {"value": counts[top] / WEEKS, "x": x, "y": y, "district": city.district_of(x, y)}


def line(label, seconds, note=""):
    print(f"  {label:<44} {seconds:7.2f} s   {note}")


def run(label, zones, network, depots, unit_depot, shift, args, min_per_district=2):
    print(f"\n{label}: {len(unit_depot)} units, {shift:g}-minute shift, dwell 15, 2 visits >= 120 min apart")
    started = time.perf_counter()
    points = np.vstack([depots, np.column_stack([zones["x"], zones["y"]])])
    minutes = network.travel_minutes(points, points)
    matrix_s = time.perf_counter() - started
    longest = np.max(minutes[np.isfinite(minutes)])
    unreachable = np.isinf(minutes).sum()
    line(
        f"travel matrix ({len(points)} x {len(points)})",
        matrix_s,
        f"longest {longest:.1f} min, unreachable pairs {unreachable}",
    )
    index = {tuple(p): k for k, p in enumerate(points)}

    def travel(a, b):  # look the precomputed matrix up (the routing asks for the same points)
        return minutes[np.ix_([index[tuple(p)] for p in a], [index[tuple(p)] for p in b])]

    t = time.perf_counter()
    max_zones = int(np.floor(len(unit_depot) * shift / 15) // 2)
    sel = select_zones(zones["value"], zones["district"], max_zones, min_per_district=min_per_district)
    milp_s = time.perf_counter() - t
    line(f"MILP (max_zones {max_zones}, chose {sel.chosen.sum()})", milp_s,
         f"objective {sel.objective:.3f}, bound {sel.bound:.3f} ({sel.status})")  # fmt: skip
    chosen = np.flatnonzero(sel.chosen)
    t = time.perf_counter()
    plan = plan_routes({k: zones[k][chosen] for k in ("value", "x", "y")}, depots, unit_depot, travel, shift,
                       15, 2, 120, time_limit_s=args.route_seconds, seed=0)  # fmt: skip
    route_s = time.perf_counter() - t
    line(f"routing ({2 * len(chosen)} visits, {plan.status})", route_s)
    total = matrix_s + milp_s + route_s
    line("total", total, "goal < 30 s")
    print(f"  captured value {plan.captured_value:.3f} / bound {sel.bound:.3f} = "
          f"{plan.captured_value / sel.bound:.2%}; all visits made for {plan.complete_value:.3f}; "
          f"all candidates {zones['value'].sum():.3f}")  # fmt: skip
    print(f"  visits made {sum(len(r.visits) for r in plan.routes)}, dropped {len(plan.dropped)}; "
          f"travel {plan.travel_minutes:.0f} min, dwell {plan.dwell_minutes:.0f} min")  # fmt: skip
    print("  visits per unit: " + ", ".join(f"{len(r.visits)} (back {r.end:.0f})" for r in plan.routes))


def stl_candidates():
    """The 60 zones of the 2019-12-01 one-day KDE forecast, 6 k-means depots and their clusters."""
    cells, counts, until, expected = stl_data.kde_forecast_2019("all")
    zones = candidate_zones(expected, cells.centroid_x, cells.centroid_y, N_ZONES)
    xy = zones[["x", "y"]].to_numpy()
    _, label = kmeans2(xy, STL_DEPOTS, seed=0, minit="++")
    value = zones["value"].to_numpy()
    depots = np.array([np.average(xy[label == k], axis=0, weights=value[label == k])
                       for k in range(STL_DEPOTS)])  # fmt: skip
    found = {
        "value": value,
        "x": xy[:, 0],
        "y": xy[:, 1],
        "district": np.array([f"K{k + 1}" for k in label]),
    }
    info = (
        f"{int(np.asarray(counts[:, :until]).sum()):,} incidents in 2019 before 2019-12-01 in "
        f"{len(cells):,} cells of 150 m; forecast for 2019-12-01 {expected.sum():.1f} incidents"
    )
    return found, depots, info, expected.sum()


class StraightLines:
    """A stand-in for RoadNetwork in ``run``: straight lines at ``speed_kmh``."""

    def __init__(self, speed_kmh: float):
        self.speed_kmh = speed_kmh

    def travel_minutes(self, a, b):
        return straight_line_minutes(a, b, self.speed_kmh)


def stlouis(args):
    if not STL.is_dir():
        print("\nSt. Louis: ../shared/data/stlouis_slmpd absent: St. Louis section skipped")
        return
    t = time.perf_counter()
    zones, depots, info, forecast = stl_candidates()
    print(f"\nSt. Louis data, KDE forecast and candidates: {time.perf_counter() - t:.2f} s; {info}")
    value = zones["value"].sum()
    sizes = np.unique(zones["district"], return_counts=True)[1].tolist()
    print(f"  {N_ZONES} zones, value {value:.2f} ({value / forecast:.1%} of the forecast); "
          f"clusters (districts) of {sizes} zones")  # fmt: skip
    print(
        f"  depots: no station layer for St. Louis; the expected-weighted centroids of {STL_DEPOTS} "
        "k-means clusters of the zones (kmeans2, seed 0); travel: straight lines at "
        f"{STL_SPEED_KMH:g} km/h"
    )
    network = StraightLines(STL_SPEED_KMH)
    run("St. Louis ample", zones, network, depots, np.arange(10) % STL_DEPOTS, 480.0, args, 1)
    run("St. Louis tight", zones, network, depots, np.arange(4), 240.0, args, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route-seconds", type=float, default=10.0)
    parser.add_argument("--city", default="both", choices=["demo", "stlouis", "both"])
    args = parser.parse_args()
    if args.city in ("demo", "both"):
        demo(args)
    if args.city in ("stlouis", "both"):
        stlouis(args)


def demo(args):
    t = time.perf_counter()
    city = generate_city()
    zones = candidates(city)
    print(f"demo city and candidates: {time.perf_counter() - t:.2f} s; {N_ZONES} zones, "
          f"value {zones['value'].sum():.2f}, districts {sorted(set(zones['district']))}")  # fmt: skip
    t = time.perf_counter()
    speeds = [a["speed_kmh"] for a in city.roads.attributes]
    network = RoadNetwork(city.roads.geometries, speeds, split_crossings=True)  # demo roads are not noded
    print(f"road network: {time.perf_counter() - t:.2f} s; {network.n_nodes} nodes, "
          f"{network.graph.nnz // 2} edges, {network.n_components} components")  # fmt: skip
    depots = np.array([np.asarray(g, dtype=float) for g in city.stations.geometries])
    run("ample", zones, network, depots, np.repeat(np.arange(len(depots)), 2), 480.0, args)
    run("tight", zones, network, depots, np.arange(4), 240.0, args)


if __name__ == "__main__":
    main()
