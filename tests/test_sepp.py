"""core.sepp: grid self-exciting point process (discrete-time Hawkes) fitted by EM."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from beatcast.core.baselines import poisson_interval
from beatcast.core.errors import BeatCastInputError
from beatcast.core.sepp import Sepp, ring_matrices, simulate

CELL = 100.0
TRUE = {"theta": 0.4, "omega": 0.3, "ring_shares": (0.6, 0.3, 0.1)}


def _grid(side, cell=CELL):
    row, col = np.divmod(np.arange(side * side), side)
    return (col + 0.5) * cell, (row + 0.5) * cell


@pytest.fixture(scope="module")
def recovered():
    """30 x 30 cells of 100 m, 500 bins drawn from the model, and the model fitted on them."""
    x, y = _grid(30)
    rng = np.random.default_rng(7)
    mu = rng.gamma(2.0, 0.075, x.size)
    counts = simulate(mu, TRUE["theta"], TRUE["omega"], TRUE["ring_shares"], x, y, 500, rng)
    model = Sepp(x, y, window=500, tol=1e-7)
    model.fit(counts, 500)
    return model, mu, counts


@pytest.fixture(scope="module")
def background_only():
    """20 x 20 cells, 300 bins of pure Poisson background (theta = 0), and the fitted model."""
    x, y = _grid(20)
    rng = np.random.default_rng(3)
    mu = rng.gamma(2.0, 0.1, x.size)
    counts = simulate(mu, 0.0, 0.5, (1.0, 0.0, 0.0), x, y, 300, rng)
    model = Sepp(x, y, window=300)
    model.fit(counts, 300)
    return model, mu, counts


def test_parameters_are_recovered(recovered):
    model, mu, _ = recovered
    assert model.theta == pytest.approx(TRUE["theta"], abs=0.05)
    assert model.omega == pytest.approx(TRUE["omega"], rel=0.2)
    np.testing.assert_allclose(model.ring_shares, TRUE["ring_shares"], atol=0.07)
    assert model.ring_shares.sum() == pytest.approx(1.0)
    assert np.corrcoef(model.mu, mu)[0, 1] > 0.8
    assert model.mean_lag_bins == pytest.approx(1.0 / (1.0 - math.exp(-model.omega)))
    assert 1 <= model.iterations <= model.max_iter


def test_no_self_excitation_gives_theta_near_zero(background_only):
    model, mu, _ = background_only
    assert model.theta < 0.05
    assert np.corrcoef(model.mu, mu)[0, 1] > 0.8


@pytest.mark.parametrize("which", ["recovered", "background_only"])
def test_log_likelihood_never_decreases(which, request):
    model = request.getfixturevalue(which)[0]
    trace = np.asarray(model.trace)
    assert trace.size >= 2
    assert (np.diff(trace) >= -1e-9 * np.abs(trace[:-1])).all()
    assert model.log_likelihood == trace[-1]


def test_burst_raises_the_next_forecast_above_the_background(recovered):
    model, _, counts = recovered
    hot = 15 * 30 + 15
    burst = counts.astype(float)
    burst[hot, -3:] += 6.0
    fresh = Sepp(model.x, model.y, window=500, tol=1e-5)
    fresh.fit(burst, 500)
    forecast = fresh.predict(1)
    assert forecast.expected[hot] > 1.5 * fresh.mu[hot]
    assert fresh.triggering_share()[hot] > 0.3
    share = fresh.triggering_share() + fresh.background_share()
    np.testing.assert_allclose(share[fresh.mu > 0], 1.0)


def test_without_triggering_the_forecast_is_the_background(background_only):
    model, _, _ = background_only
    for horizon in (1, 7):
        expected = model.predict(horizon).expected
        np.testing.assert_allclose(expected.sum(), model.mu.sum() * horizon, rtol=0.05)
        assert np.corrcoef(expected, model.mu)[0, 1] > 0.95


def test_forecast_shape_intervals_and_name(recovered):
    model, _, counts = recovered
    forecast = model.predict(3)
    assert forecast.expected.shape == (counts.shape[0],)
    assert (forecast.expected >= 0).all()
    lower, upper = poisson_interval(forecast.expected)
    assert np.array_equal(forecast.lower, lower) and np.array_equal(forecast.upper, upper)
    assert forecast.model == model.name == "sepp_500"
    # Mean-field recursion: a longer horizon adds at least the background of the extra bins.
    assert (model.predict(4).expected - forecast.expected >= model.mu - 1e-12).all()


def test_dense_and_csr_counts_give_the_same_fit_and_forecast_deterministically():
    x, y = _grid(12)
    rng = np.random.default_rng(11)
    counts = simulate(np.full(x.size, 0.1), 0.3, 0.4, (0.5, 0.5), x, y, 120, rng, max_rings=1)
    runs = []
    for data in (counts, sp.csr_matrix(counts), counts):
        model = Sepp(x, y, window=100, max_rings=1)
        model.fit(data, 110)
        runs.append((model.predict(2).expected, model.theta, model.omega, model.iterations))
    assert np.array_equal(runs[0][0], runs[2][0]) and runs[0][1:] == runs[2][1:]
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-12)
    assert runs[0][1] == pytest.approx(runs[1][1], rel=1e-12)


def test_only_the_window_before_until_is_used():
    x, y = _grid(6)
    counts = np.zeros((x.size, 40))
    counts[:, :10] = 1.0  # old activity, outside the window
    counts[5, 38] = 1.0  # future activity, at or after until
    model = Sepp(x, y, window=20)
    model.fit(counts, 35)
    assert model.predict(2).expected.sum() == 0.0
    assert model.theta == 0.0 and model.iterations == 0


def test_background_smoothing_keeps_the_total_and_spreads_it():
    x, y = _grid(15)
    rng = np.random.default_rng(5)
    counts = simulate(np.full(x.size, 0.05), 0.2, 0.5, (1.0, 0.0, 0.0), x, y, 200, rng)
    raw = Sepp(x, y, window=200)
    smooth = Sepp(x, y, window=200, background_bandwidth=150.0)
    raw.fit(counts, 200)
    smooth.fit(counts, 200)
    assert smooth.mu.std() < raw.mu.std()
    assert smooth.mu.min() > 0
    assert smooth.mu.sum() == pytest.approx(raw.mu.sum(), rel=0.3)


def test_rings_of_a_square_grid():
    x, y = _grid(9)
    rings, sizes = ring_matrices(x, y, CELL, 2)
    centre = 4 * 9 + 4
    assert sizes[:, centre].tolist() == [1.0, 8.0, 12.0]
    assert sizes[:, 0].tolist() == [1.0, 3.0, 4.0]  # corner cell: fewer neighbours in each ring
    assert rings.has_sorted_indices
    assert (rings != rings.T).nnz == 0  # symmetric: i in ring r of j iff j in ring r of i
    assert Sepp(x, y).ring_width == pytest.approx(CELL)


def test_simulate_is_reproducible_and_integer():
    x, y = _grid(5)
    first = simulate(0.2, 0.5, 0.3, (0.5, 0.3, 0.2), x, y, 30, np.random.default_rng(1))
    second = simulate(0.2, 0.5, 0.3, (0.5, 0.3, 0.2), x, y, 30, np.random.default_rng(1))
    assert first.shape == (25, 30) and first.dtype.kind == "i"
    assert np.array_equal(first, second)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"window": 0}, "window"),
        ({"max_rings": -1}, "max_rings"),
        ({"max_rings": 1.5}, "max_rings"),
        ({"ring_width": -5.0}, "ring_width"),
        ({"background_bandwidth": 0.0}, "background_bandwidth"),
        ({"omega_init": 0.0}, "omega_init"),
        ({"tol": "tiny"}, "tol"),
        ({"max_iter": 0}, "max_iter"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, name):
    x, y = _grid(4)
    with pytest.raises(BeatCastInputError, match=name):
        Sepp(x, y, **kwargs)


def test_bad_inputs_and_order_of_calls():
    x, y = _grid(4)
    model = Sepp(x, y)
    with pytest.raises(BeatCastInputError, match="fit"):
        model.predict(1)
    with pytest.raises(BeatCastInputError, match="fit"):
        model.triggering_share()
    with pytest.raises(BeatCastInputError, match="17 cells but 16 centroids"):
        model.fit(np.zeros((17, 10)), 10)
    with pytest.raises(BeatCastInputError, match="non-negative"):
        model.fit(-np.ones((16, 10)), 10)
    with pytest.raises(BeatCastInputError, match="until"):
        model.fit(np.zeros((16, 10)), 11)
    model.fit(np.ones((16, 10)), 10)
    with pytest.raises(BeatCastInputError, match="horizon"):
        model.predict(0)
    with pytest.raises(BeatCastInputError, match="ring_shares"):
        simulate(0.1, 0.2, 0.3, (0.5, 0.2), x, y, 5, np.random.default_rng(0), max_rings=2)
    with pytest.raises(BeatCastInputError, match="theta"):
        simulate(0.1, 1.0, 0.3, (1.0,), x, y, 5, np.random.default_rng(0))
