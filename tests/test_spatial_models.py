"""core.spatial_models: retrospective KDE and prospective hotspot mapping on a grid."""

from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.sparse as sp

from beatcast.core.baselines import NaiveLongRun, poisson_interval, rolling_backtest
from beatcast.core.errors import BeatCastInputError
from beatcast.core.spatial_models import KernelDensity, ProspectiveHotspot, distance_pairs

SIDE = 20
CELL = 100.0
BINS = 30
HOT = 10 * SIDE + 10  # row 10, col 10


def _grid(side=SIDE, cell=CELL):
    row, col = np.divmod(np.arange(side * side), side)
    return (col + 0.5) * cell, (row + 0.5) * cell


def _hotspot_counts(seed=0):
    """Stable hotspot at HOT (rate 6 per bin) over a background of 0.05 per cell per bin."""
    rng = np.random.default_rng(seed)
    rates = np.full(SIDE * SIDE, 0.05)
    rates[HOT] = 6.0
    return rng.poisson(rates[:, None], size=(SIDE * SIDE, BINS)).astype(float)


def _models(x, y):
    return [KernelDensity(x, y, bandwidth=150.0, window=12), ProspectiveHotspot(x, y, window=8)]


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("horizon", [1, 3])
def test_hotspot_ranked_first_and_total_is_recent_mean(which, horizon):
    x, y = _grid()
    counts = _hotspot_counts()
    model = _models(x, y)[which]
    until = 25
    model.fit(counts, until)
    fc = model.predict(horizon)
    assert int(np.argmax(fc.expected)) == HOT
    recent_mean = counts[:, until - model.window : until].sum() / model.window
    assert fc.expected.sum() == pytest.approx(recent_mean * horizon, rel=1e-9)
    assert fc.expected.shape == (SIDE * SIDE,)
    lower, upper = poisson_interval(fc.expected)  # integer quantiles: upper may be below a tiny mean
    assert np.array_equal(fc.lower, lower) and np.array_equal(fc.upper, upper)
    assert fc.model == model.name


@pytest.mark.parametrize("which", [0, 1])
def test_sparse_counts_give_the_same_forecast(which):
    x, y = _grid()
    counts = _hotspot_counts()
    dense, csr = _models(x, y)[which], _models(x, y)[which]
    dense.fit(counts, 20)
    csr.fit(sp.csr_matrix(counts), 20)
    np.testing.assert_allclose(dense.predict(2).expected, csr.predict(2).expected, rtol=1e-12)


def test_window_longer_than_history_uses_the_bins_that_exist():
    x, y = _grid()
    counts = _hotspot_counts()
    model = KernelDensity(x, y, bandwidth=150.0, window=52)
    model.fit(counts, 5)
    assert model.predict(1).expected.sum() == pytest.approx(counts[:, :5].sum() / 5)


def test_kde_of_a_single_count_is_a_truncated_gaussian():
    x, y = _grid()
    counts = np.zeros((SIDE * SIDE, 4))
    counts[HOT, 2] = 1.0
    bandwidth = 150.0
    model = KernelDensity(x, y, bandwidth=bandwidth, window=4)
    model.fit(counts, 4)
    expected = model.predict(1).expected
    d = np.hypot(x - x[HOT], y - y[HOT])
    shape = np.where(d <= 3 * bandwidth + 1e-9, np.exp(-(d**2) / (2 * bandwidth**2)), 0.0)
    np.testing.assert_allclose(expected, shape / shape.sum() * 0.25, rtol=1e-12, atol=1e-15)
    grid = expected.reshape(SIDE, SIDE)
    # Symmetric about the hotspot (row 10, col 10): mirror rows/cols 10 +- k, and transpose.
    sub = grid[5:16, 5:16]
    np.testing.assert_allclose(sub, sub[::-1, ::-1], rtol=1e-12)
    np.testing.assert_allclose(sub, sub.T, rtol=1e-12)
    # Strictly decreasing with distance inside the support, zero outside.
    inside = expected > 0
    order = np.argsort(d[inside], kind="stable")
    dist_sorted, val_sorted = d[inside][order], expected[inside][order]
    for (d1, v1), (d2, v2) in zip(zip(dist_sorted, val_sorted), zip(dist_sorted[1:], val_sorted[1:])):
        assert (v2 < v1) if d2 > d1 + 1e-9 else v2 == pytest.approx(v1)
    assert np.all(expected[d > 3 * bandwidth + 1e-9] == 0)


def test_prospective_weights_match_the_documented_formula():
    x, y = _grid()
    counts = np.zeros((SIDE * SIDE, 10))
    counts[HOT, 9] = 2.0  # age 1 at target 10
    counts[0, 6] = 1.0  # age 4 at target 10
    model = ProspectiveHotspot(x, y, bandwidth_m=150.0, time_decay_bins=2.0, window=8)
    model.fit(counts, 10)
    d_hot = np.hypot(x - x[HOT], y - y[HOT])
    d_0 = np.hypot(x - x[0], y - y[0])
    raw = np.where(d_hot <= 450, 1 / (1 + d_hot / 150), 0) * 2 * (1 / (1 + 1 / 2.0))
    raw += np.where(d_0 <= 450, 1 / (1 + d_0 / 150), 0) * 1 * (1 / (1 + 4 / 2.0))
    np.testing.assert_allclose(model.map_for(10), raw, rtol=1e-12)
    # Rescaled to the recent mean total per bin (3 counts over 8 bins).
    np.testing.assert_allclose(model.predict(1).expected, raw / raw.sum() * 3 / 8, rtol=1e-12)
    assert model.time_weight([0, 1, 8, 9]).tolist() == [0.0, 1 / 1.5, 1 / 5.0, 0.0]


def test_prospective_ranks_recent_counts_above_older_ones():
    x, y = _grid()
    recent, older = 3 * SIDE + 3, 16 * SIDE + 16  # far apart: kernels do not overlap
    counts = np.zeros((SIDE * SIDE, 12))
    counts[recent, 11] = 5.0  # all in the last bin
    counts[older, 5] = 5.0  # same counts 6 bins earlier
    model = ProspectiveHotspot(x, y, bandwidth_m=200.0, time_decay_bins=2.0, window=8)
    model.fit(counts, 12)
    expected = model.predict(1).expected
    assert expected[recent] > expected[older] > 0
    assert int(np.argmax(expected)) == recent
    # The KDE has no sense of time: both cells are equal.
    kde = KernelDensity(x, y, bandwidth=200.0, window=8)
    kde.fit(counts, 12)
    assert kde.predict(1).expected[recent] == pytest.approx(kde.predict(1).expected[older])


def test_prospective_horizon_beyond_window_keeps_the_last_map():
    x, y = _grid()
    counts = _hotspot_counts()
    model = ProspectiveHotspot(x, y, window=2)
    model.fit(counts, 20)
    fc = model.predict(5)
    assert fc.expected.sum() == pytest.approx(counts[:, 18:20].sum() / 2 * 5)


def test_empty_window_forecasts_zero():
    x, y = _grid()
    counts = np.zeros((SIDE * SIDE, 6))
    for model in _models(x, y):
        model.fit(counts, 6)
        fc = model.predict(2)
        assert not fc.expected.any() and not fc.upper.any()


@pytest.mark.parametrize("which", [0, 1])
def test_deterministic(which):
    x, y = _grid()
    counts = _hotspot_counts(seed=3)
    runs = []
    for _ in range(2):
        model = _models(x, y)[which]
        model.fit(counts, 22)
        runs.append(model.predict(2))
    for field in ("expected", "lower", "upper"):
        assert np.array_equal(getattr(runs[0], field), getattr(runs[1], field))
    # Refitting the same instance gives the same answer too.
    model = _models(x, y)[which]
    model.fit(counts, 10)
    model.fit(counts, 22)
    assert np.array_equal(model.predict(2).expected, runs[0].expected)


@pytest.mark.parametrize(
    "make",
    [
        lambda x, y: KernelDensity(x, y, bandwidth=0),
        lambda x, y: KernelDensity(x, y, bandwidth=-5),
        lambda x, y: KernelDensity(x, y, bandwidth=float("nan")),
        lambda x, y: KernelDensity(x, y, window=0),
        lambda x, y: KernelDensity(x, y, window=2.5),
        lambda x, y: KernelDensity(x, y, kernel="epanechnikov"),
        lambda x, y: KernelDensity(x, y[:-1]),
        lambda x, y: ProspectiveHotspot(x, y, bandwidth_m=0),
        lambda x, y: ProspectiveHotspot(x, y, time_decay_bins=0),
        lambda x, y: ProspectiveHotspot(x, y, window=0),
        lambda x, y: ProspectiveHotspot(x, y, window="a"),
    ],
)
def test_bad_parameters_refused(make):
    x, y = _grid()
    with pytest.raises(BeatCastInputError):
        make(x, y)


@pytest.mark.parametrize("which", [0, 1])
def test_bad_fit_and_predict_refused(which):
    x, y = _grid()
    model = _models(x, y)[which]
    with pytest.raises(BeatCastInputError, match="fit"):
        model.predict(1)
    with pytest.raises(BeatCastInputError, match="centroids"):
        model.fit(np.zeros((SIDE * SIDE - 1, 5)), 5)
    with pytest.raises(BeatCastInputError):
        model.fit(np.zeros((SIDE * SIDE, 5)), 0)
    model.fit(np.zeros((SIDE * SIDE, 5)), 5)
    with pytest.raises(BeatCastInputError):
        model.predict(0)


def test_distance_pairs_include_self_and_are_symmetric():
    x, y = _grid(side=5)
    rows, cols, dist = distance_pairs(x, y, 100.0)
    pairs = set(zip(rows.tolist(), cols.tolist()))
    assert all((i, i) in pairs for i in range(25))
    assert all((j, i) in pairs for i, j in pairs)
    assert dist.max() == pytest.approx(100.0)
    assert len(pairs) == 25 + 2 * 40  # self + rook neighbours (40 edges in a 5x5 lattice)


def test_rolling_backtest_with_naive_long_run():
    x, y = _grid()
    counts = _hotspot_counts()
    models = [NaiveLongRun(), *_models(x, y)]
    table = rolling_backtest(counts, models, 20, 24, np.full(SIDE * SIDE, CELL * CELL))
    assert len(table) == 3 * 5
    assert set(table["model"]) == {m.name for m in models}
    assert np.isfinite(table["hit@1"]).all()


def test_ten_thousand_cells_time():
    x, y = _grid(side=100)
    rng = np.random.default_rng(1)
    counts = sp.csr_matrix(rng.poisson(0.02, size=(100 * 100, 60)).astype(float))
    for model in (KernelDensity(x, y), ProspectiveHotspot(x, y)):
        start = time.perf_counter()
        model.fit(counts, 60)
        fc = model.predict(1)
        print(f"{model.name}: 10k cells fit+predict {time.perf_counter() - start:.3f} s")
        assert fc.expected.shape == (100 * 100,)
