"""core.metrics (top cells, hit rate, PAI, PEI*, RRI, log score, coverage) and core.baselines."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from beatcast.core import metrics as mt
from beatcast.core.baselines import (
    Forecast,
    NaiveLongRun,
    NaiveRecent,
    NaiveSeasonal,
    poisson_interval,
    rolling_backtest,
)
from beatcast.core.errors import BeatCastInputError

# The 10-cell hand example: equal areas, forecast ranks cells 0, 1, 2, ... highest first.
FORECAST = np.array([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], dtype=float)
OBSERVED = np.array([3, 1, 0, 5, 0, 0, 1, 0, 0, 0], dtype=float)  # N = 10
PREVIOUS = np.array([1, 1, 2, 2, 1, 1, 0, 0, 1, 1], dtype=float)  # N1 = 10
AREA = np.ones(10)


# --- top_cells ---


def test_top_cells_ties_break_by_index():
    forecast = [1.0, 3.0, 3.0, 2.0]
    assert mt.top_cells(forecast, np.ones(4), 0.25).tolist() == [False, True, False, False]
    assert mt.top_cells(forecast, np.ones(4), 0.50).tolist() == [False, True, True, False]
    assert mt.top_cells([0.0, 0.0, 0.0], np.ones(3), 0.4).tolist() == [True, True, False]


def test_top_cells_unequal_areas_and_crossing_cell():
    forecast, area = [5.0, 4.0, 3.0, 2.0], [1.0, 3.0, 1.0, 5.0]  # total area 10
    # 10 %: cell 0 fills the area exactly, nothing more is added.
    assert mt.top_cells(forecast, area, 0.10).tolist() == [True, False, False, False]
    # 15 %: 1.0 flagged before cell 1 < 1.5, so cell 1 (area 3) crosses the threshold and is included.
    assert mt.top_cells(forecast, area, 0.15).tolist() == [True, True, False, False]
    # 45 %: 4.0 before cell 2 < 4.5 -> included (area 5); 5.0 before cell 3 is not below 4.5.
    assert mt.top_cells(forecast, area, 0.45).tolist() == [True, True, True, False]


def test_top_cells_bounds_and_float_rounding():
    assert not mt.top_cells(FORECAST, AREA, 0.0).any()
    assert mt.top_cells(FORECAST, AREA, 1.0).all()
    # 0.1 * 5 is not exactly 0.25 * sum(0.1 * 20) in floats: still exactly 5 cells.
    rng = np.random.default_rng(1)
    assert mt.top_cells(rng.random(20), np.full(20, 0.1), 0.25).sum() == 5
    assert mt.top_cells(rng.random(30), np.full(30, 0.7), 0.1).sum() == 3
    with pytest.raises(BeatCastInputError):
        mt.top_cells(FORECAST, AREA, 1.5)
    with pytest.raises(BeatCastInputError):
        mt.top_cells(FORECAST, np.ones(3), 0.1)


# --- hit rate, PAI, PEI*, RRI on the hand example ---


def test_hand_example_hit_rate_pai_pei_rri():
    # 20 % of 10 equal cells = cells 0 and 1: n = 3 + 1 = 4 of N = 10.
    assert mt.hit_rate(FORECAST, OBSERVED, AREA, 0.2) == pytest.approx(0.4)
    # PAI = (4 / 10) / (2 / 10) = 2.
    assert mt.pai(FORECAST, OBSERVED, AREA, 0.2) == pytest.approx(2.0)
    # Perfect 2 cells: cells 3 and 0 with 5 + 3 = 8, so PEI* = 4 / 8.
    assert mt.pei_star(FORECAST, OBSERVED, AREA, 0.2) == pytest.approx(0.5)
    # RRI: n1 = 1 + 1 = 2 of N1 = 10, n2 = 4 of N2 = 10 -> (4 / 2) / (10 / 10) = 2.
    assert mt.rri(FORECAST, PREVIOUS, OBSERVED, AREA, 0.2) == pytest.approx(2.0)
    # 40 %: cells 0..3 hold 9 of 10 -> hit 0.9, PAI 2.25; perfect 4 cells (3, 0, 1, 6) hold 10 -> PEI* 0.9.
    assert mt.hit_rate(FORECAST, OBSERVED, AREA, 0.4) == pytest.approx(0.9)
    assert mt.pai(FORECAST, OBSERVED, AREA, 0.4) == pytest.approx(2.25)
    assert mt.pei_star(FORECAST, OBSERVED, AREA, 0.4) == pytest.approx(0.9)
    # RRI at 40 %: n1 = 6, n2 = 9 -> 1.5.
    assert mt.rri(FORECAST, PREVIOUS, OBSERVED, AREA, 0.4) == pytest.approx(1.5)


def test_pai_uses_the_area_actually_flagged_and_pei_uses_density():
    forecast = np.array([5.0, 4.0, 3.0, 2.0])
    area = np.array([1.0, 3.0, 1.0, 5.0])
    observed = np.array([1.0, 2.0, 4.0, 3.0])  # N = 10
    # 15 % flags cells 0 and 1: area 4 of 10, n = 3 -> PAI = 0.3 / 0.4.
    assert mt.pai(forecast, observed, area, 0.15) == pytest.approx(0.75)
    # Perfect selection over area 4: densities 1, 2/3, 4, 3/5 -> cell 2 (area 1), then cell 0 (area 1),
    # then cell 1 crosses (area 3): n* = 4 + 1 + 2 = 7, PEI* = 3 / 7.
    assert mt.pei_star(forecast, observed, area, 0.15) == pytest.approx(3 / 7)


def test_undefined_metrics_are_nan():
    zeros = np.zeros(10)
    assert math.isnan(mt.hit_rate(FORECAST, zeros, AREA, 0.2))
    assert math.isnan(mt.pai(FORECAST, zeros, AREA, 0.2))
    assert math.isnan(mt.pei_star(FORECAST, zeros, AREA, 0.2))
    assert math.isnan(mt.pai(FORECAST, OBSERVED, AREA, 0.0))
    assert math.isnan(mt.rri(FORECAST, zeros, OBSERVED, AREA, 0.2))


# --- log score and coverage ---


def test_poisson_log_score_matches_scipy():
    rng = np.random.default_rng(7)
    expected = np.concatenate([rng.gamma(2.0, 1.5, 200), [0.0, 0.0]])
    observed = np.concatenate([rng.poisson(expected[:200]), [0, 2]]).astype(float)
    want = stats.poisson.logpmf(observed, np.maximum(expected, 1e-9)).mean()
    assert mt.poisson_log_score(expected, observed) == pytest.approx(want, rel=1e-12)
    # A better forecast (the truth) scores higher than a flat one.
    assert mt.poisson_log_score(expected, observed) > mt.poisson_log_score(np.full(202, 3.0), observed)


def test_interval_coverage():
    assert mt.interval_coverage([0, 1, 2], [1, 1, 5], [1, 2, 5]) == pytest.approx(2 / 3)
    assert mt.interval_coverage([0, 0], [0, 0], [0, 0]) == 1.0


def test_evaluate_collects_everything():
    lower, upper = np.zeros(10), np.full(10, 3.0)
    result = mt.evaluate(FORECAST, OBSERVED, AREA, lower=lower, upper=upper, previous=PREVIOUS)
    for label in ("1", "5", "10", "20"):
        for metric in ("hit", "pai", "pei*", "area", "rri"):
            assert f"{metric}@{label}" in result
    assert result["hit@20"] == mt.hit_rate(FORECAST, OBSERVED, AREA, 0.2)
    assert result["pai@20"] == pytest.approx(2.0)
    assert result["pei*@20"] == pytest.approx(0.5)
    assert result["rri@20"] == pytest.approx(2.0)
    assert result["area@5"] == pytest.approx(0.1)  # 5 % of 10 cells: the crossing cell is flagged
    assert result["observed"] == 10.0
    assert result["log_score"] == mt.poisson_log_score(FORECAST, OBSERVED)
    assert result["interval_coverage"] == pytest.approx(0.9)  # cell 3 (5) is above 3
    assert "interval_coverage" not in mt.evaluate(FORECAST, OBSERVED, AREA)
    assert mt.coverage_label(0.025) == "2.5"


# --- baselines ---


def synthetic_counts() -> np.ndarray:
    """5 cells x 156 weekly bins (3 years)."""
    t = np.arange(156)
    return np.vstack(
        [
            np.full(156, 2.0),  # constant rate 2
            (t % 52).astype(float),  # week of the year: seasonal
            np.zeros(156),  # never any crime
            (t // 52).astype(float),  # year number: 0, 1, 2
            (t % 2).astype(float),  # alternating 0, 1
        ]
    )


@pytest.mark.parametrize("as_csr", [False, True])
def test_naive_recent_and_long_run(as_csr):
    counts = synthetic_counts()
    matrix = sp.csr_matrix(counts) if as_csr else counts
    recent = NaiveRecent(4)
    recent.fit(matrix, 60)
    forecast = recent.predict()
    assert isinstance(forecast, Forecast) and forecast.model == "naive_recent_4"
    # Bins 56..59: cell 1 has weeks 4..7, cell 3 is in year 1, cell 4 alternates.
    np.testing.assert_allclose(forecast.expected, [2.0, 5.5, 0.0, 1.0, 0.5])
    np.testing.assert_allclose(recent.predict(3).expected, 3 * forecast.expected)
    long_run = NaiveLongRun()
    long_run.fit(matrix, 60)
    np.testing.assert_allclose(long_run.predict().expected, counts[:, :60].mean(axis=1))
    assert long_run.predict().expected[0] == 2.0  # the constant rate


@pytest.mark.parametrize("as_csr", [False, True])
def test_naive_seasonal_picks_the_same_bin(as_csr):
    counts = synthetic_counts()
    matrix = sp.csr_matrix(counts) if as_csr else counts
    seasonal = NaiveSeasonal(52)
    seasonal.fit(matrix, 60)
    # Target bin 60: only bin 8 is a season earlier.
    np.testing.assert_allclose(seasonal.predict().expected, [2.0, 8.0, 0.0, 0.0, 0.0])
    # Horizon 2: bins 8 and 9.
    np.testing.assert_allclose(seasonal.predict(2).expected, [4.0, 17.0, 0.0, 0.0, 1.0])
    # Target bin 120: bins 68 (year 1) and 16 (year 0) averaged.
    seasonal.fit(matrix, 120)
    np.testing.assert_allclose(seasonal.predict().expected, [2.0, 16.0, 0.0, 0.5, 0.0])
    # No earlier season: the long-run mean.
    seasonal.fit(matrix, 30)
    np.testing.assert_allclose(seasonal.predict().expected, counts[:, :30].mean(axis=1))


def test_intervals_are_poisson_quantiles():
    recent = NaiveRecent(1)
    recent.fit(synthetic_counts(), 60)
    forecast = recent.predict()
    mu = forecast.expected
    np.testing.assert_array_equal(forecast.lower[mu > 0], stats.poisson.ppf(0.05, mu[mu > 0]))
    np.testing.assert_array_equal(forecast.upper[mu > 0], stats.poisson.ppf(0.95, mu[mu > 0]))
    assert forecast.lower[2] == forecast.upper[2] == 0.0
    lower, upper = poisson_interval(np.array([0.0, 2.0]))
    assert lower.tolist() == [0.0, 0.0] and upper.tolist() == [0.0, 5.0]


def test_baselines_reject_bad_arguments():
    with pytest.raises(BeatCastInputError):
        NaiveRecent(0)
    with pytest.raises(BeatCastInputError):
        NaiveLongRun().fit(synthetic_counts(), 0)
    with pytest.raises(BeatCastInputError):
        NaiveLongRun().predict()


class Oracle:
    """Knows the future: predicts the observed counts of the next bin."""

    name = "oracle"

    def fit(self, counts, until):
        self.counts, self.until = counts, until

    def predict(self, horizon=1):
        expected = self.counts[:, self.until : self.until + horizon].sum(axis=1)
        return Forecast(expected, *poisson_interval(expected), self.name)


def test_rolling_backtest_rows_and_perfect_forecast():
    rng = np.random.default_rng(3)
    rates = rng.gamma(0.5, 2.0, 40)
    counts = rng.poisson(rates[:, None], size=(40, 20)).astype(float)
    area = np.full(40, 250.0**2)
    coverages = (0.05, 0.10, 0.20)
    models = [NaiveRecent(1), NaiveRecent(4), NaiveLongRun(), NaiveSeasonal(5), Oracle()]
    frame = rolling_backtest(counts, models, 10, 14, area, coverages)
    assert len(frame) == len(models) * 5
    assert frame.groupby(["model", "bin"]).size().eq(1).all()
    assert sorted(frame["bin"].unique()) == [10, 11, 12, 13, 14]
    assert {"pai@5", "hit@10", "pei*@20", "log_score", "interval_coverage"} <= set(frame.columns)
    oracle = frame[frame["model"] == "oracle"].set_index("bin")
    for t in range(10, 15):
        observed = counts[:, t]
        for coverage in coverages:
            label = mt.coverage_label(coverage)
            k = math.ceil(round(coverage * 40, 9))
            best_pai = np.sort(observed)[::-1][:k].sum() / observed.sum() / (k / 40)
            assert oracle.loc[t, f"pai@{label}"] == pytest.approx(best_pai)
            assert oracle.loc[t, f"pei*@{label}"] == pytest.approx(1.0)
    baselines = frame[frame["model"] != "oracle"]
    assert (baselines["pei*@10"] <= 1.0 + 1e-12).all()
    assert (baselines["pai@10"] <= oracle["pai@10"].max() + 1e-12).all()
    with pytest.raises(BeatCastInputError):
        rolling_backtest(counts, models, 0, 14, area, coverages)
