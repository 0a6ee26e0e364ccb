"""BoostedPoisson (core/boosted.py): features by hand, no leakage, determinism, validation, and skill on a
synthetic bar-driven grid and on the demo city."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.metrics import mean_poisson_deviance

from beatcast.core import boosted, cube, demo_city
from beatcast.core.baselines import Forecast, NaiveLongRun, poisson_interval
from beatcast.core.boosted import BoostedPoisson
from beatcast.core.covariates import covariate_table
from beatcast.core.errors import BeatCastInputError
from beatcast.core.grid import GridSpec, build_grid, cell_index, neighbours
from beatcast.core.timebins import BinSpec, make_bins
from beatcast.core.timecovariates import calendar_features

BARS = (np.array([450.0, 1550.0, 1250.0]), np.array([500.0, 700.0, 1600.0]))
# 400 cells and a dozen bins are little data: the defaults (min_samples_leaf=50, 200 rounds) overfit it.
SMALL_GRID = {"min_samples_leaf": 200, "max_iter": 100, "n_threads": 1}


def _line_of_three():
    """Cells 0 - 1 - 2 in a row: 0 and 2 each have one neighbour, 1 has two."""
    return sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))


@pytest.fixture(scope="module")
def grid20():
    grid = build_grid(GridSpec("square", 100.0), None, extent=(0.0, 0.0, 2000.0, 2000.0))
    assert len(grid) == 400
    return grid


def _synthetic(grid, seed: int, bins: int):
    """True rate exp(a - b dist_bar) (0.5 at a bar, 250 m decay) plus 20 unexplained "noise" cells."""
    rng = np.random.default_rng(seed)
    covariates = covariate_table(grid, points={"bar": BARS})[["cell_id", "dist_bar"]]
    rate = 0.5 * np.exp(-covariates["dist_bar"].to_numpy() / 250.0)
    rate[rng.choice(len(grid), 20, replace=False)] += 0.3
    counts = rng.poisson(rate[:, None] * np.ones((1, bins))).astype(float)
    return covariates, rate, counts


@pytest.fixture(scope="module")
def synthetic(grid20):
    covariates, rate, counts = _synthetic(grid20, 0, 16)
    model = BoostedPoisson(neighbours=neighbours(grid20), covariates=covariates, **SMALL_GRID)
    model.fit(counts, 12)
    return model, covariates, rate, counts


# ------------------------------------------------------------------------------------------- features


def test_features_by_hand():
    counts = np.array(
        [
            [1.0, 0.0, 2.0, 0.0, 0.0, 9.0],
            [0.0, 0.0, 0.0, 0.0, 0.0, 9.0],
            [0.5, 0.0, 0.0, 1.0, 3.0, 9.0],
        ]
    )
    covariates = pd.DataFrame({"cell_id": ["a", "b", "c"], "dist_bar": [10.0, np.inf, 30.0]})
    calendar = pd.DataFrame({"bin_label": list("uvwxyz"), "week": np.arange(6) * 10, "hot": [0, 1] * 3})
    model = BoostedPoisson(
        neighbours=_line_of_three(), covariates=covariates, calendar=calendar, lags=(1, 3), training_origins=2
    )
    assert model.feature_names == [
        "lag_mean_1", "lag_mean_3", "nbr_mean_1", "nbr_mean_3", "bins_since_last", "dist_bar", "week", "hot"
    ]  # fmt: skip
    model.fit(counts, 5)
    fitted = model._fitted(1)  # origins 3 and 4, one row per cell each (origin-major), targets bins 3, 4
    expected = [
        # lag1, lag3, nbr1, nbr3, since, dist, week, hot
        [2.0, 1.0, 0.0, 0.0, 1, 10, 30, 1],  # cell 0, origin 3: bins 0..2 = 1, 0, 2
        [0.0, 0.0, 1.0, (3 + 0.5) / 2 / 3, 3, np.nan, 30, 1],  # cell 1: never a count, capped at 3
        [0.0, 0.5 / 3, 0.0, 0.0, 3, 30, 30, 1],  # cell 2: the 0.5 of bin 0 is 3 bins back
        [0.0, 2 / 3, 0.0, 0.0, 2, 10, 40, 0],  # origin 4: bins 1..3
        [0.0, 0.0, 1 / 2, 3 / 2 / 3, 3, np.nan, 40, 0],
        [1.0, 1 / 3, 0.0, 0.0, 1, 30, 40, 0],
    ]
    np.testing.assert_allclose(fitted["x"], expected)
    np.testing.assert_allclose(fitted["y"], [0.0, 0.0, 1.0, 0.0, 0.0, 3.0])
    # The forecast row is origin 5 (bins 2..4), with the calendar of bin 5; bin 5 itself is never read.
    np.testing.assert_allclose(fitted["x_predict"][2], [3.0, 4 / 3, 0.0, 0.0, 1, 30, 50, 1])


def test_windows_are_clipped_at_bin_zero():
    counts = np.array([[2.0, 4.0, 0.0, 1.0]] * 3)
    model = BoostedPoisson(neighbours=_line_of_three(), lags=(1, 52), training_origins=26)
    model.fit(counts, 3)
    fitted = model._fitted(1)  # origins 1 and 2 only: 52-bin means over the 1 and 2 bins that exist
    np.testing.assert_allclose(fitted["x"][:, 1], [2.0] * 3 + [3.0] * 3)
    np.testing.assert_allclose(fitted["x"][:, 4], [1.0] * 3 + [1.0] * 3)  # bins_since_last
    np.testing.assert_allclose(fitted["x_predict"][:, 1], [2.0] * 3)
    np.testing.assert_allclose(fitted["x_predict"][:, 4], [2.0] * 3)


def test_calendar_features_table_is_accepted(grid20):
    bins = make_bins(
        BinSpec("week", "America/Chicago", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-05-01"))
    )
    calendar = calendar_features(bins, ["2024-01-01", "2024-02-19"])
    model = BoostedPoisson(neighbours=neighbours(grid20), calendar=calendar, n_threads=1)
    assert model.feature_names[-5:] == ["day_of_week", "month", "day_of_year", "is_weekend", "is_holiday"]
    counts = np.random.default_rng(1).poisson(0.3, (400, bins.n_bins)).astype(float)
    model.fit(counts, bins.n_bins - 1)
    assert model.predict(1).expected.shape == (400,)
    with pytest.raises(BeatCastInputError, match="calendar has"):
        model.fit(counts, bins.n_bins)  # no calendar row for the bin after the cube


# ------------------------------------------------------------------------------- leakage, determinism


def test_bins_from_until_on_are_never_used(synthetic, grid20):
    model, covariates, _, counts = synthetic
    changed = counts.copy()
    changed[:, 12:] = np.random.default_rng(5).poisson(3.0, changed[:, 12:].shape)
    other = BoostedPoisson(neighbours=neighbours(grid20), covariates=covariates, **SMALL_GRID)
    other.fit(changed, 12)
    for horizon in (1, 3):
        assert np.array_equal(other.predict(horizon).expected, model.predict(horizon).expected)


def test_same_inputs_same_forecast(grid20):
    covariates, _, counts = _synthetic(grid20, 3, 20)
    forecasts = []
    for make, threads in ((np.asarray, 1), (np.asarray, None), (sp.csr_matrix, 1)):
        model = BoostedPoisson(
            neighbours=neighbours(grid20), covariates=covariates, seed=7, n_threads=threads
        )
        model.fit(make(counts), 18)
        forecasts.append(model.predict(2))
    for forecast in forecasts[1:]:
        assert np.array_equal(forecast.expected, forecasts[0].expected)
    first = forecasts[0]
    assert isinstance(first, Forecast) and first.model == "boosted_poisson"
    lower, upper = poisson_interval(first.expected)
    assert np.array_equal(first.lower, lower) and np.array_equal(first.upper, upper)
    assert (first.expected > 0).all()


def test_subsampling_keeps_nonzero_targets_and_the_weighted_mean(monkeypatch, grid20):
    covariates, _, counts = _synthetic(grid20, 4, 30)
    full = BoostedPoisson(neighbours=neighbours(grid20), covariates=covariates, n_threads=1)
    full.fit(counts, 28)
    whole = full._fitted(1)
    monkeypatch.setattr(boosted, "MAX_TRAINING_ROWS", 4000)
    fits = []
    for _ in range(2):
        small = BoostedPoisson(neighbours=neighbours(grid20), covariates=covariates, n_threads=1)
        small.fit(counts, 28)
        fits.append(small._fitted(1))
    part = fits[0]
    assert len(whole["y"]) == 400 * 26 and len(part["y"]) < len(whole["y"])
    assert (part["y"] > 0).sum() == (whole["y"] > 0).sum()
    assert part["weight"].sum() == pytest.approx(len(whole["y"]))
    assert np.average(part["y"], weights=part["weight"]) == pytest.approx(whole["y"].mean())
    assert np.array_equal(part["x"], fits[1]["x"])


def test_all_zero_history_forecasts_zero(grid20):
    model = BoostedPoisson(neighbours=neighbours(grid20))
    model.fit(np.zeros((400, 10)), 10)
    assert not model.predict(2).expected.any()
    assert not model.feature_importance(2).any()
    assert (model.explain(2)[["effect_1", "effect_2", "effect_3"]] == 0).all().all()


# -------------------------------------------------------------------------------------------- errors


def test_prohibited_covariate_is_refused():
    covariates = pd.DataFrame(
        {"cell_id": ["a", "b", "c"], "pct_Group_A": [0.1, 0.5, 0.9], "n_bar": [0, 1, 2]}
    )
    with pytest.raises(BeatCastInputError, match="'pct_Group_A' is prohibited as a model input"):
        BoostedPoisson(neighbours=_line_of_three(), covariates=covariates, prohibited=("PCT_GROUP_A",))
    BoostedPoisson(neighbours=_line_of_three(), covariates=covariates, prohibited=("pct_group_b",))


def test_too_little_history():
    model = BoostedPoisson(neighbours=_line_of_three())
    with pytest.raises(BeatCastInputError, match="too little history"):
        model.fit(np.ones((3, 5)), 1)
    model.fit(np.ones((3, 5)), 3)
    model.predict(2)  # origin 1, target bins 1..2
    with pytest.raises(BeatCastInputError, match="too little history for horizon 3"):
        model.predict(3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"neighbours": np.eye(3)}, "neighbours must be a sparse"),
        ({"lags": ()}, "lags must be distinct"),
        ({"lags": (1, 1)}, "lags must be distinct"),
        ({"lags": (0, 4)}, "each of lags"),
        ({"training_origins": 0}, "training_origins"),
        ({"max_iter": 2.5}, "max_iter"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"max_leaf_nodes": 1}, "max_leaf_nodes"),
        ({"min_samples_leaf": 0}, "min_samples_leaf"),
        ({"l2_regularization": -1}, "l2_regularization"),
        ({"seed": -1}, "seed"),
        ({"n_threads": 0}, "n_threads"),
        ({"covariates": pd.DataFrame({"x": [1.0, 2.0]})}, "covariates have 2 rows"),
        ({"covariates": pd.DataFrame({"land": ["a", "b", "c"]})}, "covariates column 'land' is not numeric"),
        ({"covariates": pd.DataFrame({"lag_mean_1": [1.0, 2.0, 3.0]})}, "named 'lag_mean_1'"),
        ({"covariates": [1.0, 2.0, 3.0]}, "covariates must be a pandas DataFrame"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(BeatCastInputError, match=message):
        BoostedPoisson(**{"neighbours": _line_of_three(), **kwargs})


def test_bad_use():
    model = BoostedPoisson(neighbours=_line_of_three())
    with pytest.raises(BeatCastInputError, match="fit"):
        model.predict(1)
    with pytest.raises(BeatCastInputError, match="counts have 4 cells"):
        model.fit(np.ones((4, 6)), 5)
    with pytest.raises(BeatCastInputError, match="non-negative"):
        model.fit(-np.ones((3, 6)), 5)
    model.fit(np.ones((3, 6)), 5)
    with pytest.raises(BeatCastInputError, match="horizon"):
        model.predict(0)
    with pytest.raises(BeatCastInputError, match="top must be"):
        model.explain(1, top=len(model.feature_names) + 1)


# --------------------------------------------------------------------------------------------- skill


def test_bar_distance_beats_naive_on_a_short_history(grid20):
    gains = []
    for seed in range(3):
        covariates, rate, counts = _synthetic(grid20, seed, 16)
        model = BoostedPoisson(neighbours=neighbours(grid20), covariates=covariates, **SMALL_GRID)
        model.fit(counts, 12)
        naive = NaiveLongRun()
        naive.fit(counts, 12)
        ours = np.corrcoef(model.predict(1).expected, rate)[0, 1]
        theirs = np.corrcoef(naive.predict(1).expected, rate)[0, 1]
        gains.append(ours - theirs)
    assert min(gains) > 0.0, gains
    assert np.mean(gains) > 0.03, gains


def test_importance_and_explanation_point_at_the_bars(synthetic):
    model, _, rate, _ = synthetic
    importance = model.feature_importance()
    assert importance.is_monotonic_decreasing and set(importance.index) == set(model.feature_names)
    assert "dist_bar" in importance.index[:3], importance
    explained = model.explain(top=3)
    assert explained.shape == (400, 6)
    assert list(explained.columns) == [f"feature_{k}" for k in (1, 2, 3)] + [f"effect_{k}" for k in (1, 2, 3)]
    effects = explained[["effect_1", "effect_2", "effect_3"]].abs().to_numpy()
    assert (np.diff(effects, axis=1) <= 0).all()  # ranked by absolute effect
    riskiest = explained.iloc[int(np.argmax(rate))]
    assert riskiest["feature_1"] == "dist_bar" or riskiest["feature_1"].startswith(("lag_", "nbr_"))
    assert riskiest["effect_1"] > 0  # its strongest input raises its forecast


@pytest.fixture(scope="module")
def demo():
    """Weekly assault + robbery cube of the demo city on 250 m cells, with POI covariates."""
    city = demo_city.generate_city()
    incidents = city.incidents[city.incidents["category"].isin(["assault", "robbery"])]
    grid = build_grid(GridSpec("square", 250.0, crs="EPSG:32616"), city.boundary.geometries)
    index = cell_index(grid, incidents["x"].to_numpy(), incidents["y"].to_numpy())
    local = pd.to_datetime(incidents["occurred_local"])
    when = local.dt.tz_localize(city.timezone, ambiguous=True, nonexistent="shift_forward")
    when = when.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    bins = make_bins(BinSpec("week", city.timezone, demo_city.PERIOD_START, demo_city.PERIOD_END))
    weekly = cube.aggregate(index, when, None, None, None, len(grid), grid.cell_id, bins)
    kinds = np.array(city.pois.column("kind"))
    xy = np.array(city.pois.geometries)
    points = {
        kind: (xy[kinds == kind, 0], xy[kinds == kind, 1]) for kind in ("bar", "transit_stop", "school")
    }
    return grid, np.asarray(weekly.dense()[0], dtype=float), covariate_table(grid, points=points)


def test_demo_city_model_uses_the_bars(demo):
    grid, counts, covariates = demo
    assert counts.shape[1] >= 104 and counts.sum() > 7000
    start = time.perf_counter()
    model = BoostedPoisson(neighbours=neighbours(grid), covariates=covariates, n_threads=1)
    model.fit(counts, 30)  # seven months of history
    forecast = model.predict(4)
    seconds = time.perf_counter() - start
    assert seconds < 15, seconds
    # Far better than the long-run mean on the next four weeks (the naive mean is 0 in many cells).
    naive = NaiveLongRun()
    naive.fit(counts, 30)
    observed = counts[:, 30:34].sum(axis=1)
    ours = mean_poisson_deviance(observed, forecast.expected)
    assert ours < 0.8 * mean_poisson_deviance(observed, np.maximum(naive.predict(4).expected, 1e-3))
    # Bars drive half the assaults and robberies: a bar covariate is among the 5 most important inputs
    # (in practice dist_bar is first, about four times the next; the lag features share the rest).
    importance = model.feature_importance(4)
    top = list(importance.index[:5])
    assert any(name in ("dist_bar", "n_bar") for name in top), importance
