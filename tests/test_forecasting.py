"""core.forecasting and core.backtest: horizons, ranks, hotspot zones, shared rolling fits, backtests."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from beatcast.core import baselines
from beatcast.core.backtest import RollingForecasts, backtest, lattice
from beatcast.core.ensemble import Ensemble
from beatcast.core.errors import BeatCastInputError
from beatcast.core.forecasting import horizon_bins, hotspot_zones, rank_and_percentile
from beatcast.core.intervals import Calibrated
from beatcast.core.metrics import evaluate

SIDE = 12


def _lattice_neighbours(side=SIDE):
    index = np.arange(side * side).reshape(side, side)
    rows, cols = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == dc == 0:
                continue
            src = index[max(0, -dr) : side - max(0, dr), max(0, -dc) : side - max(0, dc)]
            dst = index[max(0, dr) : side + min(0, dr) or None, max(0, dc) : side + min(0, dc) or None]
            rows.append(src.ravel()), cols.append(dst.ravel())
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(side * side, side * side))


def _counts(seed=0, bins=60):
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.5, 0.6, size=SIDE * SIDE)
    rate[5 * SIDE + 5] = 4.0
    shape = 2.0
    return rng.poisson(rng.gamma(shape, rate[:, None] / shape, size=(rate.size, bins))).astype(float)


@pytest.mark.parametrize(
    ("horizon", "unit", "shifts", "bins"),
    [
        ("bin", "week", (), 1),
        ("week", "day", (), 7),
        ("28days", "week", (), 4),
        ("day", "shift", ("07:00", "15:00", "23:00"), 3),
        ("week", "hour", (), 168),
        ("bin", "month", (), 1),
    ],
)
def test_horizon_in_bins(horizon, unit, shifts, bins):
    assert horizon_bins(horizon, unit, shifts) == bins


def test_horizon_that_is_not_whole_bins_is_refused():
    with pytest.raises(BeatCastInputError, match="HORIZON.*whole number of week bins"):
        horizon_bins("day", "week")
    with pytest.raises(BeatCastInputError, match="HORIZON must be one of"):
        horizon_bins("fortnight", "day")


def test_rank_and_percentile_hand_case():
    rank, percentile = rank_and_percentile(np.array([0.5, 2.0, 0.5, 0.0]))
    assert rank.tolist() == [2, 1, 3, 4]
    assert percentile.tolist() == [75.0, 100.0, 75.0, 25.0]


def test_hotspot_zones_dissolve_touching_cells_and_rank_by_total():
    expected = np.zeros(SIDE * SIDE)
    expected[[0, 1, SIDE]] = [3.0, 2.0, 2.0]  # a three-cell zone in a corner: total 7
    expected[[6 * SIDE + 6, 7 * SIDE + 7]] = [5.0, 4.0]  # diagonal neighbours (queen): total 9
    expected[11 * SIDE + 11] = 2.5  # alone: total 2.5
    area = np.ones(SIDE * SIDE)
    zone, zones = hotspot_zones(expected, area, _lattice_neighbours(), 6 / (SIDE * SIDE))
    assert zones["zone"].tolist() == [1, 2, 3]
    assert zones["expected"].tolist() == [9.0, 7.0, 2.5]
    assert zones["cells"].tolist() == [2, 3, 1]
    assert zone[6 * SIDE + 6] == zone[7 * SIDE + 7] == 1 and zone[SIDE] == 2 and zone[11 * SIDE + 11] == 3
    assert (zone > 0).sum() == 6 and zones["share"].sum() == pytest.approx(18.5 / expected.sum())


def test_lattice_of_origins():
    assert lattice(20, 7, 3) == [6, 13, 20]
    assert lattice(10, 7, 3) == [3, 10]


def _make(name):
    return {
        "naive_recent": lambda: baselines.NaiveRecent(4),
        "naive_long_run": baselines.NaiveLongRun,
        "naive_seasonal": lambda: baselines.NaiveSeasonal(10),
    }[name]()


@pytest.mark.parametrize("horizon", [1, 3])
def test_shared_fits_give_what_the_model_wrappers_give(horizon):
    counts = _counts()
    engine = RollingForecasts(counts, horizon, _make, ("naive_recent", "naive_long_run"), 6)
    until = 50
    expected, calibration, _ = engine.combined("naive_long_run", until)
    wrapper = Calibrated(baselines.NaiveLongRun(), origins=6)
    wrapper.fit(counts, until)
    forecast = wrapper.predict(horizon)
    assert np.allclose(expected, forecast.expected)
    assert calibration.dispersion == pytest.approx(wrapper.calibration.dispersion, rel=1e-6)
    assert calibration.tail == pytest.approx(wrapper.calibration.tail, rel=1e-6)
    mixed, mixed_calibration, weights = engine.combined("ensemble", until)
    ensemble = Ensemble([baselines.NaiveRecent(4), baselines.NaiveLongRun()], origins=6)
    ensemble.fit(counts, until)
    ensemble_forecast = ensemble.predict(horizon)
    assert list(weights) == ["naive_recent", "naive_long_run"]
    assert np.allclose(
        list(weights.values()), [ensemble.weights["naive_recent_4"], ensemble.weights["naive_long_run"]]
    )
    assert np.allclose(mixed, ensemble_forecast.expected)
    assert np.array_equal(mixed_calibration.interval(mixed)[1], ensemble_forecast.upper)


def test_backtest_scores_each_period_with_shared_fits():
    counts = _counts(bins=40)
    area = np.ones(counts.shape[0])
    names = ["naive_recent", "naive_long_run", "ensemble"]
    members = ("naive_recent", "naive_long_run")
    periods, summary = backtest(counts, names, _make, 2, 5, area, members, calibration_origins=4)
    assert len(periods) == 15 and summary["model"].tolist() == names
    assert periods["origin"].unique().tolist() == [30, 32, 34, 36, 38]
    row = periods[(periods["model"] == "naive_long_run") & (periods["origin"] == 34)].iloc[0]
    model = baselines.NaiveLongRun()
    model.fit(counts, 34)
    observed = counts[:, 34:36].sum(axis=1)
    manual = evaluate(model.predict(2).expected, observed, area, previous=counts[:, 32:34].sum(axis=1))
    for key in ("pai@5", "hit@10", "pei*@20", "rri@5", "log_score"):
        assert row[key] == pytest.approx(manual[key], nan_ok=True)
    assert 0.0 < row["interval_coverage"] <= 1.0 and bool(row["calibrated"])
    mean = periods[periods["model"] == "naive_recent"]["pai@5"].mean()
    assert summary.set_index("model").loc["naive_recent", "pai@5"] == pytest.approx(mean)
    assert summary.set_index("model").loc["ensemble", "periods"] == 5


def test_backtest_refuses_more_periods_than_the_cube_holds():
    counts = _counts(bins=10)
    with pytest.raises(BeatCastInputError, match="PERIODS"):
        backtest(counts, ["naive_long_run"], _make, 3, 5, np.ones(counts.shape[0]))
