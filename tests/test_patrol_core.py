"""core.patrol, core.patrol_routes and core.travel: zone selection MILP, road travel times, patrol routing."""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest

from beatcast.core.errors import BeatCastInputError
from beatcast.core.patrol import plan_patrol, plan_routes, select_zones
from beatcast.core.travel import RoadNetwork, straight_line_minutes


def _instance(seed, n=9):
    rng = np.random.default_rng(seed)
    value = np.round(rng.gamma(1.0, 2.0, n), 3)
    district = rng.choice(["D1", "D2", "D3"], n)
    excluded = rng.random(n) < 0.2
    return value, district, excluded


def _brute_force(value, district, excluded, max_zones, mins, maxs, extra=None):
    best = -1.0
    allowed = np.flatnonzero(~excluded)
    for k in range(0, min(max_zones, allowed.size) + 1):
        for combo in itertools.combinations(allowed, k):
            z = np.zeros(value.size)
            z[list(combo)] = 1
            counts = {d: z[district == d].sum() for d in set(district)}
            if any(counts.get(d, 0) < m for d, m in mins.items()) or any(
                counts[d] > m for d, m in maxs.items()
            ):
                continue
            if extra is not None and not (extra[0] @ z <= extra[1]).all():
                continue
            best = max(best, float(value @ z))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_selection_matches_brute_force_and_keeps_every_constraint(seed):
    value, district, excluded = _instance(seed, n=8 + seed % 3)
    names = sorted(set(district))
    available = {d: int(((district == d) & ~excluded).sum()) for d in names}
    mins = {d: min(1, available[d]) for d in names}
    maxs = {d: 2 for d in names}
    max_zones = 4
    if sum(mins.values()) > max_zones:
        pytest.skip("random instance infeasible")
    sel = select_zones(
        value, district, max_zones, min_per_district=mins, max_per_district=maxs, excluded=excluded
    )
    assert sel.status == "optimal"
    assert sel.objective == pytest.approx(_brute_force(value, district, excluded, max_zones, mins, maxs))
    assert sel.bound >= sel.objective - 1e-9 and sel.bound == pytest.approx(sel.objective, rel=1e-6)
    assert sel.chosen.sum() <= max_zones and not (sel.chosen & excluded).any()
    for d in names:
        assert mins[d] <= sel.chosen[district == d].sum() <= maxs[d]


def test_int_limits_apply_to_every_district():
    value, district, excluded = _instance(3, n=10)
    sel = select_zones(value, district, 6, min_per_district=1, max_per_district=2)
    for d in set(district):
        assert 1 <= sel.chosen[district == d].sum() <= 2


def test_extra_constraints_are_honoured():
    value = np.array([5.0, 4.0, 3.0, 2.0, 1.0, 0.5])
    district = ["A", "A", "B", "B", "C", "C"]
    a = np.zeros((1, 6))
    a[0, [0, 1, 2]] = 1  # at most one of the three best zones
    sel = select_zones(value, district, 3, extra_constraints=[(a, None, 1, "exposure cap")])
    assert sel.chosen[[0, 1, 2]].sum() == 1 and sel.chosen[0]
    assert sel.objective == pytest.approx(5.0 + 2.0 + 1.0)
    brute = _brute_force(np.asarray(value), np.asarray(district), np.zeros(6, bool), 3, {}, {}, (a, 1))
    assert sel.objective == pytest.approx(brute)


def test_infeasible_minimum_names_the_district_and_its_candidates():
    value = np.ones(6)
    district = ["D1", "D1", "D2", "D2", "D2", "D3"]
    excluded = [False, False, False, False, True, False]
    with pytest.raises(BeatCastInputError) as info:
        select_zones(value, district, 5, min_per_district={"D2": 3}, excluded=excluded)
    text = str(info.value)
    assert "min_per_district[D2]" in text
    assert "at least 3 zones in district D2, but D2 has 2 candidate zones that are not excluded" in text
    assert "max_zones" not in text


def test_infeasible_sum_of_minimums_names_max_zones():
    value = np.ones(9)
    district = ["D1"] * 3 + ["D2"] * 3 + ["D3"] * 3
    with pytest.raises(
        BeatCastInputError, match=r"max_zones \(at most 4 zones in total; the district minimums add up to 6\)"
    ):
        select_zones(value, district, 4, min_per_district=2)


def test_infeasible_extra_constraint_is_named():
    value = np.ones(6)
    district = ["D1", "D1", "D1", "D2", "D2", "D2"]
    a = np.array([[1.0, 1.0, 1.0, 0.0, 0.0, 0.0]])
    with pytest.raises(BeatCastInputError, match="extra constraint 'exposure cap'") as info:
        select_zones(
            value, district, 4, min_per_district={"D1": 2}, extra_constraints=[(a, 0, 1, "exposure cap")]
        )
    assert "min_per_district[D1]" in str(info.value)  # dropping either one restores feasibility


def test_bad_inputs_name_the_parameter():
    with pytest.raises(BeatCastInputError, match="max_zones"):
        select_zones([1.0, 2.0], ["A", "B"], -1)
    with pytest.raises(BeatCastInputError, match="value"):
        select_zones([1.0, -2.0], ["A", "B"], 1)
    with pytest.raises(BeatCastInputError, match="district has 1 labels for 2 zones"):
        select_zones([1.0, 2.0], ["A"], 1)


# --- road network -------------------------------------------------------------------------------------


def _l_and_diagonal():
    # an L at 60 km/h (1 km/min) from (0, 0) via (1000, 0) to (1000, 1000); a diagonal at 6 km/h; a
    # separate road far away. The second leg starts 0.4 m off the corner: snapping joins it.
    lines = [
        np.array([[0.0, 0.0], [1000.0, 0.0]]),
        np.array([[1000.4, 0.0], [1000.0, 1000.0]]),
        np.array([[0.0, 0.0], [1000.0, 1000.0]]),
        np.array([[5000.0, 5000.0], [6000.0, 5000.0]]),
    ]
    return RoadNetwork(lines, [60.0, 60.0, 6.0, None], default_speed_kmh=30.0)


def test_road_network_travel_matches_hand_computation():
    net = _l_and_diagonal()
    assert net.n_nodes == 5 and net.n_components == 2  # the corner vertices merged
    minutes = net.travel_minutes([[0, 0], [1000, 1000]], [[0, 0], [1000, 1000], [1000, 0]])
    # (0,0) -> (1000,1000): the L (2 km at 1 km/min = 2 min) beats the diagonal (1414 m at 100 m/min)
    np.testing.assert_allclose(minutes, [[0.0, 2.0, 1.0], [2.0, 0.0, 1.0]], atol=1e-9)
    l_road = np.array([[0.0, 0.0], [1000.0, 0.0], [1000.0, 1000.0]])
    slow = RoadNetwork([l_road, np.array([[0, 0], [1000, 1000.0]])], [6.0, 60.0])
    assert slow.travel_minutes([[0, 0]], [[1000, 1000]])[0, 0] == pytest.approx(1000 * np.sqrt(2) / 1000)
    # access legs at the access speed: 100 m off the network at 6 km/h = 1 minute each way
    off = net.travel_minutes([[0, -100]], [[1000, 1100]], access_speed_kmh=6.0)
    assert off[0, 0] == pytest.approx(1.0 + 2.0 + 1.0)


def test_road_network_disconnected_component_is_inf():
    net = _l_and_diagonal()
    minutes = net.travel_minutes([[0, 0], [5000, 5000]], [[6000, 5000], [1000, 0]])
    assert np.isinf(minutes[0, 0]) and np.isinf(minutes[1, 1])
    assert minutes[1, 0] == pytest.approx(1000 / 500)  # default 30 km/h = 500 m/min


def test_split_crossings_joins_crossing_lines():
    lines = [np.array([[0.0, 500.0], [1000.0, 500.0]]), np.array([[500.0, 0.0], [500.0, 1000.0]])]
    assert np.isinf(RoadNetwork(lines).travel_minutes([[0, 500]], [[500, 1000]])[0, 0])
    joined = RoadNetwork(lines, [30.0, 30.0], split_crossings=True)
    assert joined.n_components == 1 and joined.n_nodes == 5
    assert joined.travel_minutes([[0, 500]], [[500, 1000]])[0, 0] == pytest.approx(1000 / 500)


def test_straight_line_minutes():
    np.testing.assert_allclose(straight_line_minutes([[0, 0]], [[3000, 4000], [0, 0]], 60.0), [[5.0, 0.0]])
    with pytest.raises(BeatCastInputError, match="speed_kmh"):
        straight_line_minutes([[0, 0]], [[1, 1]], 0)


# --- routing ------------------------------------------------------------------------------------------

SPEED = 20.0  # km/h: 333 m per minute


def _travel(a, b):
    return straight_line_minutes(a, b, SPEED)


def _zones(seed=0, n=10):
    rng = np.random.default_rng(seed)
    return {
        "value": np.round(rng.gamma(1.0, 1.0, n), 3),
        "x": rng.uniform(0, 3000, n),
        "y": rng.uniform(0, 3000, n),
    }


DEPOTS = np.array([[0.0, 0.0], [3000.0, 3000.0]])


def _check_plan(plan, zones, shift, dwell, revisit=0.0):
    xy = np.column_stack([zones["x"], zones["y"]])
    starts = {}
    for route in plan.routes:
        clock, here = 0.0, DEPOTS[route.depot]
        for visit in route.visits:
            assert visit.departure == pytest.approx(visit.arrival + dwell)
            assert visit.arrival >= clock + _travel([here], [xy[visit.zone]])[0, 0] - 1e-9
            starts[(visit.zone, visit.visit)] = visit.arrival
            clock, here = visit.departure, xy[visit.zone]
        back = clock + _travel([here], [DEPOTS[route.depot]])[0, 0]
        assert route.end == pytest.approx(back) and route.end <= shift + 1e-9
    for (zone, k), t in starts.items():
        if k > 0:
            assert (zone, k - 1) in starts and t >= starts[(zone, k - 1)] + revisit - 1e-9
    return starts


def test_ample_shift_visits_every_zone():
    zones = _zones(0)
    plan = plan_routes(zones, DEPOTS, [0, 1], _travel, 300, 15, time_limit_s=1)
    _check_plan(plan, zones, 300, 15)
    assert plan.visited.all() and not plan.dropped
    assert plan.captured_value == pytest.approx(zones["value"].sum())
    assert plan.dwell_minutes == pytest.approx(15 * 10)


def _greedy(zones, shift, dwell):
    """Value of a simple greedy: zones by value per (dwell + return trip) time, each unit in turn."""
    xy = np.column_stack([zones["x"], zones["y"]])
    left, total = set(range(len(xy))), 0.0
    for depot in DEPOTS:
        clock, here = 0.0, depot
        while True:
            go = {i: _travel([here], [xy[i]])[0, 0] for i in left}
            fits = [i for i in left if clock + go[i] + dwell + _travel([xy[i]], [depot])[0, 0] <= shift]
            options = [(zones["value"][i] / (dwell + go[i]), i) for i in fits]
            if not options:
                break
            _, i = max(options)
            clock += _travel([here], [xy[i]])[0, 0] + dwell
            here, total = xy[i], total + zones["value"][i]
            left.remove(i)
    return total


def test_short_shift_keeps_the_valuable_zones():
    zones = _zones(1, n=14)
    plan = plan_routes(zones, DEPOTS, [0, 1], _travel, 75, 15, time_limit_s=1)
    _check_plan(plan, zones, 75, 15)
    assert plan.dropped and plan.captured_value >= _greedy(zones, 75, 15) - 1e-9
    assert len(plan.dropped) + sum(len(r.visits) for r in plan.routes) == 14


def test_revisits_respect_the_minimum_interval():
    zones = _zones(2, n=6)
    plan = plan_routes(zones, DEPOTS, [0, 1], _travel, 240, 15, visits_per_zone=2, min_revisit_minutes=60,
                       time_limit_s=1)  # fmt: skip
    starts = _check_plan(plan, zones, 240, 15, revisit=60)
    assert len(starts) == 12 and plan.complete_value == pytest.approx(zones["value"].sum())


def test_same_seed_same_plan():
    zones = _zones(3, n=12)

    def run(seed):
        plan = plan_routes(zones, DEPOTS, [0, 1], _travel, 90, 15, visits_per_zone=2, min_revisit_minutes=30,
                           time_limit_s=5, seed=seed, solution_limit=200)  # fmt: skip
        return [[(v.zone, v.visit, v.arrival) for v in r.visits] for r in plan.routes]

    assert run(0) == run(0)


def test_unreachable_zones_are_reported():
    zones = {"value": np.array([1.0, 2.0]), "x": np.array([100.0, 9000.0]), "y": np.array([0.0, 0.0])}

    def travel(a, b):
        minutes = straight_line_minutes(a, b, SPEED)
        far = np.asarray(a)[:, 0][:, None] > 5000
        return np.where(far != (np.asarray(b)[:, 0][None, :] > 5000), np.inf, minutes)

    plan = plan_routes(zones, DEPOTS[:1], [0], travel, 60, 15, time_limit_s=1)
    assert (
        plan.unreachable.tolist() == [1] and (1, 0) in plan.dropped and plan.visited.tolist() == [True, False]
    )


def test_missing_ortools_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ortools", None)
    monkeypatch.setitem(sys.modules, "ortools.constraint_solver", None)
    with pytest.raises(
        BeatCastInputError, match=r"pip install --no-deps ortools absl-py immutabledict protobuf"
    ):
        plan_routes(_zones(0), DEPOTS, [0], _travel, 60)


def test_plan_patrol_runs_both_phases():
    zones = _zones(4, n=12)
    zones["district"] = np.array(["A", "B"] * 6)
    messages = []

    class Recorder:
        def set_progress(self, percent):
            messages.append(percent)

        def is_canceled(self):
            return False

        def warn(self, message):
            pass

    plan = plan_patrol(zones, DEPOTS, [0, 1], _travel, 120, 15, min_per_district=2, route_time_limit_s=1,
                       progress=Recorder())  # fmt: skip
    assert plan.selection.chosen.sum() <= 16 and messages[-1] == 100
    assert plan.captured_value <= plan.upper_bound + 1e-9
    assert plan.captured_share == pytest.approx(plan.captured_value / zones["value"].sum())
    visited = {int(plan.zones[v.zone]) for r in plan.routes.routes for v in r.visits}
    assert plan.captured_value == pytest.approx(zones["value"][sorted(visited)].sum())
