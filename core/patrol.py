"""Patrol planning: which zones each unit visits during a shift, in what order and for how long.

A *zone* is a candidate place to patrol (one cell, or a cluster of cells built by the caller) with a
``value`` (expected incidents captured if it is patrolled, >= 0), a centroid ``x``, ``y`` (metres), a
``district`` label ("" for none) and an ``excluded`` flag. Two phases:

1. ``select_zones``: a mixed-integer program solved by ``scipy.optimize.milp`` (HiGHS). Binary z_i per
   zone; maximise ``sum_i value_i z_i`` subject to ``sum_i z_i <= max_zones``; per district D,
   ``min_per_district[D] <= sum_{i in D} z_i <= max_per_district[D]`` (an int applies to every non-empty
   district label; zones with district "" are in no district); ``z_i = 0`` for excluded zones; and each
   extra constraint ``(A, lower, upper, name)``: ``lower <= A z <= upper`` (the hook for exposure caps).
   ``bound`` is HiGHS's dual bound (an upper bound on the value any selection can capture). When the
   constraints cannot all hold, each constraint group (``max_zones``, ``min_per_district[D]``,
   ``max_per_district[D]``, each extra constraint by name) is dropped in turn and the problem re-solved;
   the error names the groups whose removal makes it feasible, with the numbers involved.
2. ``plan_routes`` (in ``core.patrol_routes``): a prize-collecting vehicle routing problem solved with
   OR-Tools: each unit starts at its depot at minute 0 and must be back by the end of the shift; visits
   of ``dwell_minutes`` each may be dropped at the price of their value, so the solver keeps the most
   valuable visits the time budget allows.

``plan_patrol`` runs both: the selection's ``max_zones`` defaults to the visits the units can dwell on,
``floor(floor(units * shift / dwell) / visits_per_zone)``; zones no unit can reach from its depot are
excluded from the selection (and reported); ``upper_bound`` is the MILP bound, which routing can only
lose against (travel time is not in the MILP), and ``captured_share`` = captured value / total value of
all candidates.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .errors import BeatCastInputError
from .patrol_routes import RoutePlan, UnitRoute, Visit, ortools_modules, plan_routes, zone_table
from .progress import Cancelled, Progress

__all__ = [
    "PatrolPlan",
    "RoutePlan",
    "Selection",
    "UnitRoute",
    "Visit",
    "plan_patrol",
    "plan_routes",
    "select_zones",
]

MIP_REL_GAP = 1e-7


@dataclass(frozen=True, eq=False)
class Selection:
    """Result of ``select_zones``: ``chosen`` (bool per zone), ``objective`` (value of the chosen zones),
    ``bound`` (upper bound on the best objective: HiGHS's dual bound, never below ``objective``) and
    ``status`` ("optimal", or "time_limit" when the time limit stopped HiGHS with a feasible selection)."""

    chosen: np.ndarray
    objective: float
    bound: float
    status: str


def _whole(value, name: str, minimum: int = 0) -> int:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or float(value) != int(value) or value < minimum:
        raise BeatCastInputError(f"{name} must be a whole number, at least {minimum}, got {value!r}")
    return int(value)


def _positive(value, name: str, allow_zero: bool = False) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise BeatCastInputError(f"{name} must be a {'' if allow_zero else 'positive '}number, got {value}")
    return value


def _values(value) -> np.ndarray:
    try:
        value = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise BeatCastInputError("value must be numbers (expected incidents per zone)") from None
    if not np.isfinite(value).all() or (value < 0).any():
        raise BeatCastInputError("value must be finite numbers >= 0 (expected incidents per zone)")
    return value


def _districts(district, n: int) -> np.ndarray:
    if district is None:
        return np.full(n, "", dtype=object)
    out = [("" if d is None or (isinstance(d, float) and math.isnan(d)) else str(d)) for d in district]
    out = np.array(out, dtype=object)
    if out.size != n:
        raise BeatCastInputError(f"district has {out.size} labels for {n} zones")
    return out


def _flags(flags, n: int, name: str) -> np.ndarray:
    if flags is None:
        return np.zeros(n, dtype=bool)
    out = np.asarray(flags, dtype=bool).ravel()
    if out.size != n:
        raise BeatCastInputError(f"{name} has {out.size} values for {n} zones")
    return out


def _per_district(limits, names: list[str], name: str) -> dict[str, int]:
    if limits is None:
        return {}
    if isinstance(limits, dict):
        return {str(d): _whole(k, f"{name}[{d}]") for d, k in limits.items()}
    k = _whole(limits, name)
    return {d: k for d in names}


def _extra(extra_constraints, n: int) -> list[tuple[str, object, np.ndarray, np.ndarray]]:
    out, seen = [], set()
    for k, item in enumerate(extra_constraints or ()):
        try:
            a, lower, upper, label = item
        except (TypeError, ValueError):
            raise BeatCastInputError(f"extra constraint {k} must be (A, lower, upper, name)") from None
        label = str(label)
        if (
            label in seen
            or label in ("max_zones",)
            or label.startswith(("min_per_district[", "max_per_district["))
        ):
            raise BeatCastInputError(f"extra constraint name {label!r} is used twice or is reserved")
        seen.add(label)
        a = sparse.csr_matrix(a) if sparse.issparse(a) else np.atleast_2d(np.asarray(a, dtype=float))
        if a.ndim != 2 or a.shape[1] != n:
            raise BeatCastInputError(f"extra constraint '{label}': A must have {n} columns, got {a.shape}")
        rows = a.shape[0]
        lo = np.broadcast_to(np.asarray(-np.inf if lower is None else lower, dtype=float), (rows,)).copy()
        hi = np.broadcast_to(np.asarray(np.inf if upper is None else upper, dtype=float), (rows,)).copy()
        if np.isnan(lo).any() or np.isnan(hi).any() or (lo > hi).any():
            raise BeatCastInputError(f"extra constraint '{label}': lower must not exceed upper")
        out.append((label, a, lo, hi))
    return out


def select_zones(
    value,
    district,
    max_zones,
    min_per_district=None,
    max_per_district=None,
    excluded=None,
    extra_constraints=None,
    time_limit_s=30,
) -> Selection:
    """Choose at most ``max_zones`` zones of greatest total value under the constraints (module docstring).

    ``min_per_district`` / ``max_per_district``: an int for every district, or a dict district -> int
    (a district missing from the dict is unconstrained). ``extra_constraints``: (A (k x n array or sparse
    matrix), lower, upper, name) with scalar or length-k bounds (None: unbounded). Raises
    ``BeatCastInputError`` naming the constraint(s) that cannot be met.
    """
    value = _values(value)
    n = value.size
    district = _districts(district, n)
    excluded = _flags(excluded, n, "excluded")
    max_zones = _whole(max_zones, "max_zones")
    time_limit = _positive(time_limit_s, "time_limit_s")
    names = sorted(set(district) - {""})
    mins = _per_district(min_per_district, names, "min_per_district")
    maxs = _per_district(max_per_district, names, "max_per_district")
    available = {d: int(((district == d) & ~excluded).sum()) for d in set(mins) | set(maxs)}
    groups: dict[str, tuple] = {"max_zones": (np.ones((1, n)), -np.inf, max_zones)}
    for d, k in mins.items():
        if k > 0:
            groups[f"min_per_district[{d}]"] = ((district == d).astype(float)[None, :], k, np.inf)
    for d, k in maxs.items():
        groups[f"max_per_district[{d}]"] = ((district == d).astype(float)[None, :], -np.inf, k)
    for label, a, lo, hi in _extra(extra_constraints, n):
        groups[label] = (a, lo, hi)
    upper = np.where(excluded, 0.0, 1.0)

    def solve(skip: str | None = None):
        cons = [LinearConstraint(a, lo, hi) for key, (a, lo, hi) in groups.items() if key != skip]
        return milp(
            -value,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), upper),
            constraints=cons,
            options={"time_limit": time_limit, "mip_rel_gap": MIP_REL_GAP},
        )

    res = solve()
    if res.status == 2:
        culprits = [key for key in groups if solve(key).status != 2]
        raise BeatCastInputError(_infeasible_message(culprits, groups, max_zones, mins, maxs, available))
    if res.x is None:
        raise BeatCastInputError(
            f"zone selection found no selection within time_limit_s={time_limit:g} s "
            f"({res.message}); allow more time or fewer constraints"
        )
    chosen = (res.x > 0.5) & ~excluded
    objective = float(value[chosen].sum())
    dual = getattr(res, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and math.isfinite(dual) else objective
    return Selection(chosen, objective, max(bound, objective), "optimal" if res.status == 0 else "time_limit")


def _infeasible_message(culprits, groups, max_zones, mins, maxs, available) -> str:
    def describe(key: str) -> str:
        if key == "max_zones":
            total = sum(k for k in mins.values())
            extra = f"; the district minimums add up to {total}" if total > max_zones else ""
            return f"max_zones (at most {max_zones} zones in total{extra})"
        if key.startswith("min_per_district["):
            d = key[len("min_per_district[") : -1]
            k, j = mins[d], available.get(d, 0)
            short = f", but {d} has {j} candidate zones that are not excluded" if j < k else ""
            return f"{key} (at least {k} zones in district {d}{short})"
        if key.startswith("max_per_district["):
            d = key[len("max_per_district[") : -1]
            return f"{key} (at most {maxs[d]} zones in district {d})"
        a, lo, hi = groups[key]
        return f"the extra constraint '{key}' ({a.shape[0]} row(s), bounds {np.min(lo):g} .. {np.max(hi):g})"

    if culprits:
        return (
            "Zone selection is infeasible: the constraints cannot all hold. Relaxing any one of these "
            "makes it feasible: " + "; ".join(describe(k) for k in culprits) + "."
        )
    return (
        "Zone selection is infeasible: no single constraint is to blame; together these cannot hold: "
        + "; ".join(describe(k) for k in groups)
        + "."
    )


@dataclass(frozen=True, eq=False)
class PatrolPlan:
    """Result of ``plan_patrol``. ``zones``: candidate index of each zone given to the routing (the chosen
    ones, in order), so ``routes`` visit ``zone`` k is candidate ``zones[k]``; ``unreachable``: candidate
    indices no unit can reach from its depot (excluded from the selection); ``captured_value``: value of
    the candidates visited at least once; ``captured_share``: that / ``total_value`` (all candidates);
    ``upper_bound``: the MILP bound on the value any plan can capture."""

    selection: Selection
    zones: np.ndarray
    routes: RoutePlan
    unreachable: np.ndarray
    captured_value: float
    captured_share: float
    upper_bound: float
    total_value: float


def plan_patrol(
    zones,
    depots_xy,
    unit_depot,
    travel,
    shift_minutes,
    dwell_minutes=15.0,
    visits_per_zone=1,
    min_revisit_minutes=0.0,
    max_zones=None,
    min_per_district=None,
    max_per_district=None,
    extra_constraints=None,
    milp_time_limit_s=30,
    route_time_limit_s=10,
    seed=0,
    solution_limit=None,
    progress=None,
) -> PatrolPlan:
    """Select zones (``select_zones``) and route the units through them (``plan_routes``).

    ``zones``: a DataFrame or mapping with "value", "x", "y" and optionally "district" and "excluded", one
    entry per candidate. The other arguments are those of ``select_zones`` and ``plan_routes``.
    """
    feedback = progress or Progress()
    ortools_modules()  # fail before the MILP when OR-Tools is missing
    value, x, y = zone_table(zones)
    n = value.size
    district = _districts(_column(zones, "district"), n)
    excluded = _flags(_column(zones, "excluded"), n, "excluded")
    unit_depot = np.asarray(unit_depot, dtype=int).ravel()
    shift = _positive(shift_minutes, "shift_minutes")
    dwell = _positive(dwell_minutes, "dwell_minutes", allow_zero=True)
    visits = _whole(visits_per_zone, "visits_per_zone", 1)
    if max_zones is None:
        max_zones = n if dwell == 0 else int(math.floor(unit_depot.size * shift / dwell) // visits)
    depots = np.asarray(depots_xy, dtype=float).reshape(-1, 2)
    if unit_depot.size and (unit_depot.min() < 0 or unit_depot.max() >= len(depots)):
        raise BeatCastInputError(f"unit_depot must index the {len(depots)} depots, got {unit_depot.tolist()}")
    feedback.set_progress(0)
    reach = np.asarray(travel(depots[np.unique(unit_depot)], np.column_stack([x, y])), dtype=float)
    unreachable = np.flatnonzero(~np.isfinite(reach).any(axis=0)) if unit_depot.size else np.arange(n)
    if unreachable.size:
        feedback.warn(
            f"{unreachable.size} candidate zones cannot be reached from any unit's depot "
            f"(not connected by the road network) and are left out: {unreachable.tolist()[:20]}"
        )
    excluded = excluded.copy()
    excluded[unreachable] = True
    if feedback.is_canceled():
        raise Cancelled()
    selection = select_zones(
        value,
        district,
        max_zones,
        min_per_district,
        max_per_district,
        excluded,
        extra_constraints,
        milp_time_limit_s,
    )
    feedback.set_progress(30)
    if feedback.is_canceled():
        raise Cancelled()
    chosen = np.flatnonzero(selection.chosen)
    routes = plan_routes(
        {"value": value[chosen], "x": x[chosen], "y": y[chosen]},
        depots,
        unit_depot,
        travel,
        shift,
        dwell,
        visits,
        min_revisit_minutes,
        route_time_limit_s,
        seed,
        solution_limit,
        progress=_Scaled(feedback, 30, 100),
    )
    feedback.set_progress(100)
    total = float(value.sum())
    captured = routes.captured_value
    share = captured / total if total > 0 else 0.0
    return PatrolPlan(selection, chosen, routes, unreachable, captured, share, selection.bound, total)


def _column(zones, name: str):
    try:
        return zones[name]
    except (KeyError, IndexError, TypeError):
        return None


class _Scaled(Progress):
    """Forwards a sub-task's 0-100 % as ``start``-``stop`` % of the whole."""

    def __init__(self, parent: Progress, start: float, stop: float):
        self.parent, self.start, self.stop = parent, start, stop

    def set_progress(self, percent: float) -> None:
        self.parent.set_progress(self.start + (self.stop - self.start) * percent / 100.0)

    def is_canceled(self) -> bool:
        return self.parent.is_canceled()

    def info(self, message: str) -> None:
        self.parent.info(message)

    def warn(self, message: str) -> None:
        self.parent.warn(message)
