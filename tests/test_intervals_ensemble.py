"""core.intervals (calibrated negative-binomial intervals), core.ensemble (stacking) and core.policy."""

from __future__ import annotations

import json

import numpy as np
import pytest

from beatcast.core.baselines import NaiveLongRun, NaiveRecent, poisson_interval
from beatcast.core.ensemble import Ensemble, stack_weights
from beatcast.core.errors import BeatCastInputError
from beatcast.core.intervals import (
    Calibrated,
    backtest_pairs,
    calibrate,
    calibrate_tail,
    fit_dispersion,
    interval,
    origins_before,
    pit_coverage,
)
from beatcast.core.metrics import interval_coverage
from beatcast.core.policy import load_policy


def _nb(rng, mu, dispersion, size=None):
    """Negative binomial draws with mean mu and variance mu + dispersion mu^2 (gamma-Poisson mixture)."""
    shape = 1.0 / dispersion
    return rng.poisson(rng.gamma(shape, np.asarray(mu) / shape, size=size))


def test_interval_without_dispersion_is_the_poisson_interval():
    mu = np.array([0.0, 0.05, 0.7, 3.0, 40.0])
    lower, upper = interval(mu, 0.0, 0.10)
    expected_lower, expected_upper = poisson_interval(mu)
    assert np.array_equal(lower, expected_lower) and np.array_equal(upper, expected_upper)
    assert lower[0] == upper[0] == 0.0


def test_dispersion_widens_the_interval():
    mu = np.array([2.0, 10.0])
    _, poisson_upper = interval(mu, 0.0)
    _, nb_upper = interval(mu, 1.0)
    assert (nb_upper > poisson_upper).all()


@pytest.mark.parametrize("dispersion", [0.3, 1.5])
def test_dispersion_is_recovered(dispersion):
    rng = np.random.default_rng(7)
    mu = rng.gamma(1.0, 2.0, size=40_000)
    y = _nb(rng, mu, dispersion)
    assert fit_dispersion(mu, y) == pytest.approx(dispersion, rel=0.1)


def test_poisson_counts_have_no_dispersion():
    rng = np.random.default_rng(8)
    mu = rng.gamma(1.0, 2.0, size=40_000)
    assert fit_dispersion(mu, rng.poisson(mu)) < 0.02


def test_pit_coverage_hand_cases():
    # Poisson mean 1, y = 0: the PIT is uniform on [0, e^-1]; [0.05, 0.95] holds (e^-1 - 0.05) of it.
    assert pit_coverage([1.0], [0.0]) == pytest.approx((np.exp(-1) - 0.05) / np.exp(-1))
    assert pit_coverage([0.0], [0.0]) == pytest.approx(0.90)  # a point mass at 0: the band's width
    assert pit_coverage([0.0], [2.0]) == 0.0  # nothing was expected, two happened
    assert pit_coverage([5.0], [5.0], 0.0, 0.5) == pytest.approx(1.0)  # the middle of the distribution


def test_calibrated_tail_reaches_the_target_out_of_sample():
    rng = np.random.default_rng(9)
    mu = rng.gamma(0.5, 1.0, size=30_000)  # many low-risk cells, as on a city grid
    past, future = _nb(rng, mu, 0.8), _nb(rng, mu, 0.8)
    calibration = calibrate(mu, past)
    assert calibration.dispersion == pytest.approx(0.8, rel=0.15)
    assert calibration.coverage == pytest.approx(0.90, abs=0.002)
    assert calibration.pit_coverage(mu, future) == pytest.approx(0.90, abs=0.01)
    lower, upper = calibration.interval(mu)
    assert interval_coverage(lower, upper, future) >= 0.90  # integer bounds cover at least as much
    # the Poisson interval ignores the over-dispersion: its PIT coverage is well off the mark
    assert abs(pit_coverage(mu, future, 0.0, 0.10) - 0.90) > 0.02


def test_calibrate_tail_is_monotone_and_validates_target():
    rng = np.random.default_rng(1)
    mu = rng.gamma(2.0, 2.0, size=5_000)
    y = rng.poisson(mu)
    wide, cov_wide = calibrate_tail(mu, y, 0.0, 0.98)
    narrow, cov_narrow = calibrate_tail(mu, y, 0.0, 0.6)
    assert wide < narrow and cov_wide > cov_narrow
    with pytest.raises(BeatCastInputError, match="target coverage"):
        calibrate_tail(mu, y, 0.0, 1.5)


def test_origins_before_hand_cases():
    assert origins_before(20, 1, 3) == [17, 18, 19]
    assert origins_before(20, 7, 3) == [6, 13]  # -1 is before the first usable origin
    assert origins_before(30, 7, 2, step=1) == [22, 23]
    with pytest.raises(BeatCastInputError, match="step"):
        origins_before(30, 7, 2, step=0)


def _overdispersed_counts(seed=3, cells=600, bins=60):
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.6, 1.0, size=cells)
    return rate, _nb(rng, rate[:, None], 1.0, size=(cells, bins)).astype(float)


def test_calibrated_wrapper_uses_only_the_past_and_calibrates():
    _, counts = _overdispersed_counts()
    model = Calibrated(NaiveLongRun(), origins=10)
    model.fit(counts, 50)
    forecast = model.predict(1)
    assert model.calibration.calibrated and model.calibration.origins == 10
    assert model.calibration.dispersion > 0.3  # the counts are over-dispersed
    assert all(origin + 1 <= 50 for origin, _, _ in model.calibration.history)
    changed = counts.copy()
    changed[:, 50:] = 99.0  # the future must not leak into the forecast or its interval
    again = Calibrated(NaiveLongRun(), origins=10)
    again.fit(changed, 50)
    repeat = again.predict(1)
    assert np.array_equal(forecast.expected, repeat.expected)
    assert np.array_equal(forecast.upper, repeat.upper)
    # over the next 10 bins the calibrated predictive distribution's PIT coverage is close to 90 %
    pit, plain = [], []
    for t in range(50, 60):
        model.fit(counts, t)
        fc = model.predict(1)
        pit.append(model.calibration.pit_coverage(fc.expected, counts[:, t]))
        plain.append(interval_coverage(fc.lower, fc.upper, counts[:, t]))
    assert np.mean(pit) == pytest.approx(0.90, abs=0.02)
    assert np.mean(plain) >= np.mean(pit) - 0.01


def test_calibrated_without_history_falls_back_to_poisson():
    counts = np.ones((5, 3))
    model = Calibrated(NaiveRecent(1), origins=4)
    model.fit(counts, 1)
    forecast = model.predict(1)
    assert not model.calibration.calibrated
    assert np.array_equal(forecast.upper, poisson_interval(forecast.expected)[1])


def test_backtest_pairs_observed_are_the_counts_after_each_origin():
    counts = np.arange(40, dtype=float).reshape(4, 10)
    pairs = backtest_pairs(NaiveRecent(1), counts, 10, 2, 3)
    assert [origin for origin, _, _ in pairs] == [4, 6, 8]
    for origin, expected, observed in pairs:
        assert np.array_equal(observed, counts[:, origin : origin + 2].sum(axis=1))
        assert np.array_equal(expected, 2 * counts[:, origin - 1])


def test_stack_weights_hand_cases():
    y = np.array([0.0, 1.0, 5.0, 2.0])
    good = y + 1e-3
    flat = np.full(4, y.mean())
    w = stack_weights(np.column_stack([flat, good]), y)
    assert w[1] > 0.95 and w.sum() == pytest.approx(1.0)
    assert np.array_equal(stack_weights(np.column_stack([good]), y), [1.0])
    with pytest.raises(BeatCastInputError):
        stack_weights(np.column_stack([good, flat]), y[:3])


class _Fixed:
    """A model that always forecasts the same surface (its own name)."""

    def __init__(self, name, surface):
        self.name, self.surface = name, np.asarray(surface, dtype=float)

    def fit(self, counts, until):
        self.until = until

    def predict(self, horizon=1):
        from beatcast.core.baselines import Forecast

        e = self.surface * horizon
        return Forecast(e, *poisson_interval(e), self.name)


def test_ensemble_weights_the_model_that_forecast_well():
    rate, counts = _overdispersed_counts(seed=5)
    truth = _Fixed("truth", rate)
    flat = _Fixed("flat", np.full(rate.size, rate.mean()))
    ensemble = Ensemble([flat, truth], origins=6)
    ensemble.fit(counts, 50)
    forecast = ensemble.predict(1)
    assert ensemble.weights["truth"] > 0.85
    assert set(ensemble.backtest["model"]) == {"truth", "flat"} and len(ensemble.backtest) == 12
    assert np.allclose(
        forecast.expected, ensemble.weights["truth"] * rate + ensemble.weights["flat"] * rate.mean()
    )
    assert ensemble.calibration.calibrated and forecast.upper.shape == rate.shape
    again = Ensemble([flat, truth], origins=6)
    again.fit(counts, 50)
    assert np.array_equal(again.predict(1).expected, forecast.expected)


def test_ensemble_validates_members():
    with pytest.raises(BeatCastInputError, match="at least one"):
        Ensemble([])
    with pytest.raises(BeatCastInputError, match="distinct"):
        Ensemble([NaiveLongRun(), NaiveLongRun()])


def test_default_policy_prohibits_protected_attributes():
    policy = load_policy()
    for field in ("pop_white_alone", "pop_black_alone", "pop_hispanic_latino", "pop_group_a", "Race"):
        assert policy.prohibited_reason(field), field
    for field in ("dist_bar", "count_bar_300m", "len_roads", "trace_count", "pop_total"):
        assert policy.prohibited_reason(field) == "", field
    with pytest.raises(BeatCastInputError, match='"pop_group_b".*pop_group_'):
        policy.check_inputs(["dist_bar", "pop_group_b"])
    policy.check_inputs(["dist_bar", "n_school"])  # allowed fields pass
    assert len(policy.sha256) == 64


def test_user_marked_fields_and_bad_policy_files(tmp_path):
    policy = load_policy(extra_prohibited=["median_income"])
    with pytest.raises(BeatCastInputError, match="median_income"):
        policy.check_inputs(["Median_Income"])
    bad = tmp_path / "policy.json"
    bad.write_text("{not json")
    with pytest.raises(BeatCastInputError, match="not valid JSON"):
        load_policy(bad)
    bad.write_text(json.dumps({"prohibited_inputs": {}}))
    with pytest.raises(BeatCastInputError, match="beatcast_policy"):
        load_policy(bad)
    bad.write_text(json.dumps({"beatcast_policy": 1, "prohibited_inputs": {"word": ["x"]}}))
    with pytest.raises(BeatCastInputError, match="unknown key"):
        load_policy(bad)
    with pytest.raises(BeatCastInputError, match="cannot be read"):
        load_policy(tmp_path / "missing.json")
