"""core.feedback_loop: Ensign et al. (2018) runaway feedback loop, its correction, and reported incidents."""

from __future__ import annotations

import numpy as np
import pytest

from beatcast.core.errors import BeatCastInputError
from beatcast.core.feedback_loop import simulate_feedback

RATES = (0.5, 0.4)  # Ensign et al.'s two-area example: true shares 0.556, 0.444
SEEDS = range(20)


def _runs(days=2000, **kwargs):
    return [simulate_feedback(RATES, days=days, seed=s, **kwargs) for s in SEEDS]


@pytest.fixture(scope="module")
def uncorrected():
    return _runs()


def test_result_shapes_and_bookkeeping():
    r = simulate_feedback((0.3, 0.2, 0.5), days=50, patrols_per_day=4, seed=1)
    assert r.allocation.shape == r.estimated.shape == r.patrols.shape == (50, 3)
    np.testing.assert_allclose(r.true_share, [0.3, 0.2, 0.5])
    assert (r.patrols.sum(axis=1) == 4).all()
    np.testing.assert_allclose(r.allocation.sum(axis=1), 1.0)
    np.testing.assert_allclose(r.estimated.sum(axis=1), 1.0)
    np.testing.assert_allclose(r.allocation[-1], r.patrols.sum(axis=0) / 200)
    assert np.array_equal(r.final_allocation, r.allocation[-1])
    error = np.abs(r.allocation[-1] - r.true_share)
    assert r.l1_error == pytest.approx(error.sum()) and r.max_error == pytest.approx(error.max())
    assert r.reported.sum() == 0  # reporting_rate 0


def test_same_seed_same_trajectory():
    kwargs = {
        "days": 300,
        "patrols_per_day": 2,
        "correction": True,
        "use_reported": True,
        "reporting_rate": 0.3,
    }
    a, b = simulate_feedback(RATES, seed=5, **kwargs), simulate_feedback(RATES, seed=5, **kwargs)
    for name in ("allocation", "estimated", "patrols", "discovered", "reported"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert not np.array_equal(a.patrols, simulate_feedback(RATES, seed=6, **kwargs).patrols)


def test_urn_without_correction_runs_away(uncorrected):
    # The allocation does not settle at (0.556, 0.444): on average it is far off after 2000 days.
    assert np.mean([r.max_error for r in uncorrected]) > 0.15
    assert np.mean([r.l1_error for r in uncorrected]) > 0.3


def test_greedy_locks_onto_one_area():
    runs = _runs(days=1000, policy="greedy")
    locked = [r.final_allocation.max() > 0.95 for r in runs]
    assert np.mean(locked) >= 0.9
    # with one patrol, greedy never sees the other area again once it is ahead
    assert all(r.patrols[-100:].max(axis=0).min() == 0 for r in runs)


def test_correction_converges_to_the_true_shares(uncorrected):
    corrected = _runs(correction=True)
    mean_max = np.mean([r.max_error for r in corrected])
    assert mean_max < 0.05
    assert mean_max < np.mean([r.max_error for r in uncorrected]) / 3
    assert np.mean([r.estimate_l1_error for r in corrected]) < 0.1


def test_reported_incidents_pull_the_uncorrected_loop_towards_the_truth(uncorrected):
    reported = _runs(use_reported=True, reporting_rate=1.0)
    assert np.mean([r.max_error for r in reported]) < np.mean([r.max_error for r in uncorrected]) / 2
    assert np.mean([r.max_error for r in reported]) < 0.1
    # reported incidents that the model does not use change nothing about the patrols
    ignored = simulate_feedback(RATES, days=300, seed=0, reporting_rate=1.0)
    assert ignored.reported.sum() > 0
    assert np.array_equal(ignored.patrols, simulate_feedback(RATES, days=300, seed=0).patrols)


def test_exploration_lets_the_correction_converge_with_several_areas():
    rates = (0.1, 0.3, 0.6, 0.2)  # true shares 1/12, 1/4, 1/2, 1/6

    def mean_estimate_error(**kwargs):
        runs = [simulate_feedback(rates, days=3000, seed=s, correction=True, **kwargs) for s in range(8)]
        return np.mean([np.abs(r.estimated[-1] - r.true_share).max() for r in runs]), runs

    plain, _ = mean_estimate_error()
    explored, runs = mean_estimate_error(exploration=0.1)
    assert explored < 0.05 and explored < plain / 2
    # the patrols follow (1 - eps) * estimate + eps / K
    expected = 0.9 * np.array(rates) / sum(rates) + 0.1 / 4
    assert np.abs(np.mean([r.final_allocation for r in runs], axis=0) - expected).max() < 0.03
    # a corrected greedy policy that explores learns the rates, yet its patrols stay on the top areas
    greedy = simulate_feedback(rates, days=3000, patrols_per_day=2, policy="greedy", exploration=0.1,
                               correction=True, seed=0)  # fmt: skip
    assert greedy.estimate_l1_error < 0.1
    assert greedy.patrols[-1000:, [1, 2]].sum() / 2000 > 0.9  # top two: (1 - eps) + 2 eps / K = 0.95


def test_no_discovery_keeps_the_prior():
    r = simulate_feedback(RATES, days=200, discovery_rate=0.0, prior=2.0)
    np.testing.assert_allclose(r.estimated, 0.5)
    assert r.discovered.sum() == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"true_rates": (0.5, -0.1)}, "true_rates must be finite numbers >= 0"),
        ({"true_rates": (0.0, 0.0)}, "true_rates .* not all 0"),
        ({"true_rates": ()}, "true_rates"),
        ({"days": 0}, "days must be a whole number, at least 1"),
        ({"days": 10.5}, "days must be a whole number"),
        ({"patrols_per_day": 0}, "patrols_per_day must be a whole number"),
        ({"policy": "random"}, "policy must be one of urn, greedy"),
        ({"reporting_rate": 1.5}, "reporting_rate must be a number at least 0 and at most 1"),
        ({"discovery_rate": -0.1}, "discovery_rate must be a number"),
        ({"prior": 0}, "prior must be a number above 0"),
        ({"seed": -1}, "seed must be a whole number"),
        ({"exploration": 2}, "exploration must be a number at least 0 and at most 1"),
    ],
)
def test_bad_parameters_are_named(kwargs, match):
    kwargs = {"true_rates": RATES, "days": 10, **kwargs}
    with pytest.raises(BeatCastInputError, match=match):
        simulate_feedback(**kwargs)
