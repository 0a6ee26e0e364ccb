"""Patrol routing: order the visits of each unit within the shift (OR-Tools vehicle routing).

``plan_routes(zones, depots_xy, unit_depot, travel, shift_minutes, dwell_minutes=15, visits_per_zone=1,
min_revisit_minutes=0, time_limit_s=10, seed=0, solution_limit=None, progress=None)``:

- Nodes: one per depot, and ``visits_per_zone`` visit nodes per zone. Unit u starts and ends at depot
  ``unit_depot[u]``; ``travel(from_xy, to_xy)`` gives the minutes matrix between depots and zone centroids
  (``RoadNetwork.travel_minutes``, or ``straight_line_minutes`` at a speed); ``inf`` means unreachable.
- Time dimension (0.1 minute units): transit from node a to b = travel minutes rounded *up* to 0.1 min,
  plus ``dwell_minutes`` when a is a visit (the dwell happens at the origin); waiting is allowed; every
  route starts at 0 and must be back at its depot by ``shift_minutes``. Revisits: the (k+1)-th visit of a
  zone may only be made if the k-th is, and starts at least ``min_revisit_minutes`` after it
  (``CumulVar(b) >= CumulVar(a) + interval * ActiveVar(b)``, ``ActiveVar(b) <= ActiveVar(a)``).
- Prize collecting: each visit node is in its own disjunction with penalty
  ``round(value_i / max(value) * PRIZE_SCALE / visits_per_zone)``; the arc cost is travel (0.1 min). With
  PRIZE_SCALE = 1e7 a difference of 0.5 % of the top zone's value outweighs any total travel of a shift
  under 80 000 minutes, so the solver maximises value first and then shortens travel. A zone's value is
  thus earned pro rata over its visits in the objective; ``captured_value`` reports the value of the
  zones visited at least once (each zone counted once), ``complete_value`` that of zones given all their
  visits.
- Search: a first solution by PATH_CHEAPEST_ARC (PARALLEL_CHEAPEST_INSERTION when ``visits_per_zone`` >
  1: path building gets stuck on the revisit constraints when the shift is short and then returns the
  all-dropped plan), then GUIDED_LOCAL_SEARCH until ``time_limit_s`` or ``solution_limit`` solutions.
  OR-Tools' routing search has no random seed and is deterministic for the same model and the
  same amount of search; ``seed`` permutes the order of the visit nodes in the model (different seeds,
  different tie-breaks). A time limit alone stops after however many iterations the machine managed, so
  only a ``solution_limit`` reached before the time limit makes a plan exactly reproducible.
- Times reported (minutes from the shift start) are recomputed from the unrounded travel minutes as the
  earliest schedule of the solver's routes (arrival = max(previous departure + travel, previous visit of
  the same zone + min_revisit_minutes)), so they are never later than the solver's own schedule and every
  route is back at its depot within the shift. ``arrival`` is the start of the dwell, ``departure`` its end.

Zones no unit can reach (travel inf to or from every unit's depot) are left out of the model and reported
in ``unreachable`` (and through ``progress.warn``). OR-Tools is imported lazily; without it the error says
how to install it into QGIS's Python without replacing numpy.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from dataclasses import dataclass

import numpy as np

from .errors import BeatCastInputError
from .progress import Cancelled, Progress

__all__ = [
    "ORTOOLS_INSTALL",
    "RoutePlan",
    "UnitRoute",
    "Visit",
    "ortools_modules",
    "plan_routes",
    "zone_table",
]

TIME_SCALE = 10  # routing time unit: 0.1 minute
PRIZE_SCALE = 10_000_000
ORTOOLS_INSTALL = (
    "Patrol routing needs OR-Tools. Install it into QGIS's Python with "
    "`pip install --no-deps ortools absl-py immutabledict protobuf` "
    "(never a plain `pip install ortools`, which replaces numpy and breaks QGIS)."
)


def ortools_modules():
    """``(pywrapcp, routing_enums_pb2)``, or BeatCastInputError with the install instructions.

    OR-Tools carries its own copy of protobuf. Inside the QGIS executables (desktop, qgis_process), QGIS's
    libprotobuf-lite is in the global symbol scope, and OR-Tools' library would bind to it and abort on
    load ("GeneratedDatabase()->Add" check failure). Loading it with RTLD_DEEPBIND (glibc) makes it use its
    own symbols first; the process's dlopen flags are restored afterwards."""
    flags = sys.getdlopenflags() if hasattr(sys, "getdlopenflags") else None
    deepbind = getattr(os, "RTLD_DEEPBIND", 0)
    try:
        if flags is not None and deepbind:
            sys.setdlopenflags(os.RTLD_NOW | os.RTLD_LOCAL | deepbind)
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    except ImportError:
        raise BeatCastInputError(ORTOOLS_INSTALL) from None
    finally:
        if flags is not None and deepbind:
            sys.setdlopenflags(flags)
    return pywrapcp, routing_enums_pb2


@dataclass(frozen=True)
class Visit:
    """One stop: ``zone`` (index into the zones given), ``visit`` (0 for the first visit of that zone),
    ``arrival`` / ``departure`` (minutes from the shift start: start and end of the dwell)."""

    zone: int
    visit: int
    arrival: float
    departure: float


@dataclass(frozen=True, eq=False)
class UnitRoute:
    """The route of one unit: from its ``depot`` at minute 0 through ``visits`` back to the depot at
    ``end`` (minutes); ``travel_minutes`` driven, including the way back."""

    unit: int
    depot: int
    visits: list[Visit]
    end: float
    travel_minutes: float


@dataclass(frozen=True, eq=False)
class RoutePlan:
    """Result of ``plan_routes``: one ``UnitRoute`` per unit; ``dropped`` (zone, visit) pairs not made
    (including all visits of ``unreachable`` zones); ``visited`` bool per zone (at least one visit);
    ``captured_value`` (value of the visited zones, each once); ``complete_value`` (value of the zones given
    all their visits); ``travel_minutes`` and ``dwell_minutes`` over all units; the solver's ``objective``
    (travel in 0.1 min + penalties of dropped visits) and ``status``."""

    routes: list[UnitRoute]
    dropped: list[tuple[int, int]]
    unreachable: np.ndarray
    visited: np.ndarray
    captured_value: float
    complete_value: float
    travel_minutes: float
    dwell_minutes: float
    objective: int
    status: str


def zone_table(zones) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``value``, ``x``, ``y`` arrays from a DataFrame or mapping of zones (checked)."""
    try:
        value, x, y = (np.asarray(zones[k], dtype=float).ravel() for k in ("value", "x", "y"))
    except (KeyError, IndexError, TypeError, ValueError):
        raise BeatCastInputError('zones must have numeric "value", "x" and "y" entries') from None
    if not value.size == x.size == y.size:
        raise BeatCastInputError(f"zones: value, x and y have {value.size}, {x.size} and {y.size} entries")
    if not (np.isfinite(value).all() and (value >= 0).all()):
        raise BeatCastInputError("zones: value must be finite numbers >= 0 (expected incidents per zone)")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise BeatCastInputError("zones: x and y must be finite coordinates")
    return value, x, y


def _number(value, name: str, minimum: float = 0.0, strict: bool = False) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(out) or out < minimum or (strict and out == minimum):
        raise BeatCastInputError(
            f"{name} must be a number {'>' if strict else '>='} {minimum:g}, got {value!r}"
        )
    return out


def _scaled(minutes: np.ndarray, big: int) -> np.ndarray:
    out = np.full(minutes.shape, big, dtype=np.int64)
    ok = np.isfinite(minutes)
    out[ok] = np.minimum(np.ceil(minutes[ok] * TIME_SCALE - 1e-9), big).astype(np.int64)
    return np.maximum(out, 0)


def plan_routes(
    zones,
    depots_xy,
    unit_depot,
    travel,
    shift_minutes,
    dwell_minutes=15.0,
    visits_per_zone=1,
    min_revisit_minutes=0.0,
    time_limit_s=10,
    seed=0,
    solution_limit=None,
    progress=None,
) -> RoutePlan:
    """Assign and order the visits of the units within the shift (see the module docstring)."""
    pywrapcp, enums = ortools_modules()
    feedback = progress or Progress()
    value, x, y = zone_table(zones)
    n = value.size
    depots = np.asarray(depots_xy, dtype=float).reshape(-1, 2)
    m = len(depots)
    units = np.asarray(unit_depot).ravel()
    if not units.size or not all(isinstance(u, numbers.Integral) and 0 <= u < m for u in units.tolist()):
        raise BeatCastInputError(f"unit_depot must give each unit the index of one of the {m} depots")
    units = units.astype(int)
    shift = _number(shift_minutes, "shift_minutes", strict=True)
    dwell = _number(dwell_minutes, "dwell_minutes")
    revisit = _number(min_revisit_minutes, "min_revisit_minutes")
    if (
        isinstance(visits_per_zone, bool)
        or not isinstance(visits_per_zone, numbers.Integral)
        or visits_per_zone < 1
    ):
        raise BeatCastInputError(f"visits_per_zone must be a whole number >= 1, got {visits_per_zone!r}")
    visits = int(visits_per_zone)
    time_limit = _number(time_limit_s, "time_limit_s", strict=True)
    points = np.vstack([depots, np.column_stack([x, y])])
    minutes = np.asarray(travel(points, points), dtype=float)
    if minutes.shape != (m + n, m + n) or np.isnan(minutes).any() or (minutes < 0).any():
        raise BeatCastInputError(
            f"travel must return a ({m + n}, {m + n}) matrix of minutes >= 0 (inf: no path)"
        )
    used = np.unique(units)
    reach = (np.isfinite(minutes[used][:, m:]) & np.isfinite(minutes[m:, used].T)).any(axis=0)
    unreachable = np.flatnonzero(~reach)
    if unreachable.size:
        feedback.warn(
            f"{unreachable.size} zones cannot be reached from any unit's depot and are not "
            f"planned: {unreachable.tolist()[:20]}"
        )
    order = np.random.default_rng(seed).permutation(np.flatnonzero(reach))
    k = used.size  # nodes: the depots of the units, then the visits (those of a zone on consecutive nodes)
    node_zone = np.r_[np.full(k, -1), np.repeat(order, visits)]
    node_visit = np.r_[np.full(k, -1), np.tile(np.arange(visits), order.size)]
    node_point = np.r_[used, m + np.repeat(order, visits)]
    start_node = np.searchsorted(used, units).tolist()
    horizon = int(math.floor(shift * TIME_SCALE + 1e-9))
    travel_int = _scaled(minutes[np.ix_(node_point, node_point)], 2 * horizon + 1)
    dwell_int = int(math.ceil(dwell * TIME_SCALE - 1e-9))
    transit = travel_int + np.where(node_zone >= 0, dwell_int, 0)[:, None]

    manager = pywrapcp.RoutingIndexManager(len(node_zone), len(units), start_node, start_node)
    routing = pywrapcp.RoutingModel(manager)
    travel_rows, transit_rows = travel_int.tolist(), transit.tolist()

    def cost(i, j):
        return travel_rows[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_transit(i, j):
        return transit_rows[manager.IndexToNode(i)][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    routing.AddDimension(routing.RegisterTransitCallback(time_transit), horizon, horizon, True, "Time")
    time = routing.GetDimensionOrDie("Time")
    top = float(value.max()) if n and value.max() > 0 else 1.0
    for node in range(k, len(node_zone)):
        prize = int(round(value[node_zone[node]] / top * PRIZE_SCALE / visits))
        routing.AddDisjunction([manager.NodeToIndex(node)], prize)
    solver = routing.solver()
    interval = int(math.ceil(revisit * TIME_SCALE - 1e-9))
    for node in range(k, len(node_zone)):
        if node_visit[node] > 0:
            a, b = manager.NodeToIndex(node - 1), manager.NodeToIndex(node)
            solver.Add(time.CumulVar(b) >= time.CumulVar(a) + interval * routing.ActiveVar(b))
            solver.Add(routing.ActiveVar(b) <= routing.ActiveVar(a))
    cancelled = []

    def at_solution():
        if feedback.is_canceled():
            cancelled.append(True)
            solver.FinishCurrentSearch()

    routing.AddAtSolutionCallback(at_solution)
    params = pywrapcp.DefaultRoutingSearchParameters()
    first = "PATH_CHEAPEST_ARC" if visits == 1 else "PARALLEL_CHEAPEST_INSERTION"
    params.first_solution_strategy = getattr(enums.FirstSolutionStrategy, first)
    params.local_search_metaheuristic = enums.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(round(time_limit * 1000)))
    params.log_search = False
    if solution_limit is not None:
        params.solution_limit = int(solution_limit)
    feedback.set_progress(5)
    solution = routing.SolveWithParameters(params)
    if cancelled:
        raise Cancelled()
    if solution is None:
        raise BeatCastInputError(f"patrol routing found no plan (OR-Tools status {routing.status()})")
    feedback.set_progress(95)
    sequences = []
    for unit in range(len(units)):
        index, nodes = solution.Value(routing.NextVar(routing.Start(unit))), []
        while not routing.IsEnd(index):
            nodes.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        sequences.append(nodes)
    return _schedule(
        sequences,
        units,
        node_zone,
        node_visit,
        node_point,
        minutes,
        value,
        n,
        visits,
        dwell,
        revisit,
        unreachable,
        solution.ObjectiveValue(),
        _status(routing, enums),
    )


def _status(routing, enums) -> str:
    code = routing.status()
    try:
        return enums.RoutingSearchStatus.Value.Name(code).removeprefix("ROUTING_").lower()
    except (AttributeError, ValueError):
        return f"status {code}"


def _schedule(
    sequences,
    units,
    node_zone,
    node_visit,
    node_point,
    minutes,
    value,
    n,
    visits,
    dwell,
    revisit,
    unreachable,
    objective,
    status,
) -> RoutePlan:
    """The earliest schedule of the solver's routes with the unrounded travel minutes (module docstring)."""
    start = {}  # node -> start of its dwell
    for _ in range(len(node_zone) + 1):  # longest-path fixpoint over the routes and revisit links
        changed = False
        for unit, nodes in enumerate(sequences):
            clock, here = 0.0, int(units[unit])
            for node in nodes:
                t = clock + minutes[here, node_point[node]]
                if node_visit[node] > 0 and node - 1 in start:
                    t = max(t, start[node - 1] + revisit)
                if start.get(node) != t:
                    start[node], changed = t, True
                clock, here = t + dwell, node_point[node]
        if not changed:
            break
    routes, done = [], np.zeros((n, visits), dtype=bool)
    for unit, nodes in enumerate(sequences):
        depot, here, driven, stops = int(units[unit]), int(units[unit]), 0.0, []
        for node in nodes:
            driven += minutes[here, node_point[node]]
            stops.append(Visit(int(node_zone[node]), int(node_visit[node]), start[node], start[node] + dwell))
            done[node_zone[node], node_visit[node]] = True
            here = node_point[node]
        driven += minutes[here, depot]
        end = stops[-1].departure + minutes[here, depot] if stops else 0.0
        routes.append(UnitRoute(unit, depot, stops, float(end), float(driven)))
    visited = done.any(axis=1)
    dropped = [(int(i), int(k)) for i, k in zip(*np.nonzero(~done))]
    return RoutePlan(
        routes,
        dropped,
        unreachable,
        visited,
        float(value[visited].sum()),
        float(value[done.all(axis=1)].sum()),
        float(sum(r.travel_minutes for r in routes)),
        float(done.sum() * dwell),
        int(objective),
        status,
    )
