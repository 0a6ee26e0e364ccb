"""core.hotspots (Gi*, FDR, conditional permutations) and core.emerging (Mann-Kendall, the 17 patterns)."""

from __future__ import annotations

import collections
import importlib
import importlib.util
import math
import sys
import types
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse, stats

from beatcast.core import demo_city
from beatcast.core import emerging as em
from beatcast.core import hotspots as hs
from beatcast.core.cube import aggregate
from beatcast.core.errors import BeatCastInputError
from beatcast.core.grid import GridSpec, build_grid, cell_index, neighbours
from beatcast.core.progress import Cancelled, Progress
from beatcast.core.timebins import BinSpec, make_bins


def square_grid(n_side: int, size: float = 250.0):
    return build_grid(GridSpec("square", size), None, extent=(0.0, 0.0, n_side * size, n_side * size))


def reference_z(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ord & Getis (1995) Gi* z, one cell at a time, straight from the formula."""
    n, mean = len(x), x.mean()
    s = math.sqrt((x**2).sum() / n - mean**2)
    out = np.empty(n)
    for i in range(n):
        wi = w[i]
        num = (wi * x).sum() - mean * wi.sum()
        out[i] = num / (s * math.sqrt((n * (wi**2).sum() - wi.sum() ** 2) / (n - 1)))
    return out


# ---- weights ----------------------------------------------------------------------------------------


def test_weights_builders_include_self():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1000, 200), rng.uniform(0, 1000, 200)
    w = hs.weights_distance(x, y, 150.0).toarray()
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    np.testing.assert_array_equal(w, (d <= 150.0).astype(float))
    knn = hs.weights_knn(x, y, 5)
    assert (np.diff(knn.indptr) == 6).all() and (knn.diagonal() == 1).all()
    nearest = np.argsort(d, axis=1)[:, :6]  # self first (distinct points)
    assert all(set(knn[i].indices) == set(nearest[i]) for i in range(200))
    grid = square_grid(6)
    contiguity = hs.weights_contiguity(grid, "rook")
    assert (contiguity - neighbours(grid, "rook") - sparse.identity(len(grid))).nnz == 0
    with pytest.raises(BeatCastInputError):
        hs.weights_distance(x, y, -1.0)
    with pytest.raises(BeatCastInputError):
        hs.weights_knn(x, y, 200)


# ---- Gi* --------------------------------------------------------------------------------------------


def test_gistar_hand_computed_line():
    # 5 cells 1 m apart on a line, values 1 3 5 2 4, binary band of 1 m (each cell and its neighbours).
    # n = 5, mean X = 15 / 5 = 3, S = sqrt(55 / 5 - 3²) = sqrt(2).
    # Middle cell: sum = 3 + 5 + 2 = 10, W = 3, sum w² = 3:
    #   z = (10 - 3*3) / (sqrt(2) * sqrt((5*3 - 3²) / 4)) = 1 / (sqrt(2) sqrt(1.5)) = 1 / sqrt(3).
    # End cell 0: sum = 1 + 3 = 4, W = 2: z = (4 - 6) / (sqrt(2) sqrt((10 - 4) / 4)) = -2 / sqrt(3).
    # Cell 1: 1 + 3 + 5 = 9 = 3*3 -> 0; cell 3: 5 + 2 + 4 = 11 -> 2 / sqrt(3); cell 4: 2 + 4 = 6 = 2*3 -> 0.
    w = hs.weights_distance(np.arange(5.0), np.zeros(5), 1.0)
    result = hs.getis_ord_gistar([1, 3, 5, 2, 4], w, fdr=False)
    np.testing.assert_allclose(result.z, np.array([-2, 0, 1, 2, 0]) / math.sqrt(3), atol=1e-12)
    np.testing.assert_allclose(result.p, 2 * stats.norm.sf(np.abs(result.z)))
    assert result.p_sim is None and result.p_used is result.p and (result.bin == 0).all()
    np.testing.assert_array_equal(result.n_neighbours, [2, 3, 3, 3, 2])


def test_gistar_negative_values_and_invariances():
    rng = np.random.default_rng(7)
    n = 120
    x = rng.normal(-5.0, 3.0, n)  # mostly negative, mean far below 0
    w = hs.weights_distance(rng.uniform(0, 500, n), rng.uniform(0, 500, n), 90.0)
    w = sparse.csr_matrix(w.multiply(rng.uniform(0.2, 2.0, (n, n))))  # unequal weights exercise sum w²
    z = hs.getis_ord_gistar(x, w).z
    np.testing.assert_allclose(z, reference_z(x, w.toarray()), rtol=1e-10, atol=1e-12)
    # The standardised Gi* uses deviations from the global mean scaled by S: multiplying by c > 0 and
    # adding a constant (even one that flips the sign of the mean) leave z unchanged.
    np.testing.assert_allclose(hs.getis_ord_gistar(3.7 * x, w).z, z, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(hs.getis_ord_gistar(x + 100.0, w).z, z, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hs.getis_ord_gistar(-x, w).z, -z, rtol=1e-9, atol=1e-12)
    # Constant values: no spread, no hot spot (z = 0, not NaN).
    flat = hs.getis_ord_gistar(np.full(n, -2.0), w)
    assert (flat.z == 0).all() and (flat.p == 1).all()


def test_gistar_refuses_bad_input():
    w = hs.weights_distance(np.arange(5.0), np.zeros(5), 1.0)
    with pytest.raises(BeatCastInputError, match="own neighbourhood"):
        hs.getis_ord_gistar(np.arange(5.0), w - sparse.identity(5))
    with pytest.raises(BeatCastInputError, match="finite"):
        hs.getis_ord_gistar([1, 2, np.nan, 4, 5], w)
    with pytest.raises(BeatCastInputError, match="shape"):
        hs.getis_ord_gistar(np.arange(4.0), w)


def test_fdr_on_pure_noise():
    grid = square_grid(40)
    w = hs.weights_contiguity(grid)
    rng = np.random.default_rng(11)
    raw, corrected = [], []
    for _ in range(30):
        values = rng.poisson(3.0, len(grid))
        raw.append((np.abs(hs.getis_ord_gistar(values, w, fdr=False).bin) >= 2).mean())
        corrected.append((np.abs(hs.getis_ord_gistar(values, w, fdr=True).bin) >= 2).mean())
    raw_share, fdr_share = float(np.mean(raw)), float(np.mean(corrected))
    assert 0.02 < raw_share < 0.09, raw_share
    assert fdr_share < raw_share and fdr_share < 0.02, fdr_share


def test_fdr_cutoff_is_benjamini_hochberg():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    # alpha 0.05, m 10: k/m alpha = 0.005, 0.010, 0.015, 0.020, ... -> largest k with p_(k) <= it is 2.
    assert hs.fdr_cutoff(p, 0.05) == 0.008
    assert hs.fdr_cutoff(np.array([0.5, 0.9]), 0.05) == -1.0
    bins, cutoffs = hs.significance_bins(np.array([1.0, -1.0, 1.0]), np.array([0.001, 0.02, 0.2]), fdr=False)
    np.testing.assert_array_equal(bins, [3, -2, 0])
    assert cutoffs == {0.1: 0.1, 0.05: 0.05, 0.01: 0.01}


def brute_force_p_sim(x, w, ids):
    """esda's conditional randomisation, one cell at a time."""
    others = sparse.csr_matrix(w - sparse.diags(w.diagonal()))
    others.eliminate_zeros()
    n_perm = len(ids)
    out = np.empty(len(x))
    for i in range(len(x)):
        row = others[i]
        sums = np.delete(x, i)[ids[:, : row.nnz]] @ row.data
        larger = int((sums >= row @ x).sum())
        out[i] = (min(larger, n_perm - larger) + 1) / (n_perm + 1) if row.nnz else 1.0
    return out


def test_permutation_p_matches_brute_force_and_is_seeded():
    rng = np.random.default_rng(5)
    n = 250
    x = rng.poisson(2.0, n).astype(float)  # integer counts: many ties, counted as larger
    xy = rng.uniform(0, 1000, (n, 2))
    w = hs.weights_distance(xy[:, 0], xy[:, 1], 110.0)
    w = sparse.csr_matrix(w.multiply(rng.integers(1, 4, (n, n))))  # unequal weights
    ids = hs.permuted_ids(n, int((np.diff(w.indptr) - 1).max()), 199, seed=3)
    np.testing.assert_array_equal(hs.conditional_permutation_p(x, w, ids), brute_force_p_sim(x, w, ids))
    first = hs.getis_ord_gistar(x, w, permutations=199, seed=42)
    again = hs.getis_ord_gistar(x, w, permutations=199, seed=42)
    other = hs.getis_ord_gistar(x, w, permutations=199, seed=43)
    np.testing.assert_array_equal(first.p_sim, again.p_sim)
    assert not np.array_equal(first.p_sim, other.p_sim)
    np.testing.assert_array_equal(first.p_used, np.minimum(1.0, 2.0 * first.p_sim))
    assert first.p_sim.min() >= 1 / 200 and first.p_sim.max() <= 0.5 + 1 / 200


def test_permutation_p_agrees_with_analytic_on_smooth_field():
    grid = square_grid(50)
    rng = np.random.default_rng(9)
    cx, cy = grid.centroid_x / 12500.0, grid.centroid_y / 12500.0
    values = np.sin(3 * cx) + np.cos(2 * cy) + rng.normal(0.0, 0.7, len(grid))
    w = hs.weights_contiguity(grid)
    result = hs.getis_ord_gistar(values, w, permutations=999, seed=1)
    analytic = hs.getis_ord_gistar(values, w)
    # Not identical tests: the permutation test keeps the cell's own value fixed (it tests the neighbours),
    # the analytic z counts its deviation too; and 999 permutations leave Monte Carlo noise (~0.03).
    assert np.corrcoef(result.p_used, result.p)[0, 1] > 0.9
    small = result.p < 0.2
    assert np.median(np.abs(result.p_used - result.p)[small]) < 0.03
    assert (result.bin == analytic.bin).mean() > 0.7 and not (result.bin * analytic.bin < 0).any()
    hot = result.bin > 0
    assert hot.sum() > 100 and (result.z[hot] > 0).all()


def _import_esda():
    """esda + libpysal installed with --no-deps: libpysal imports bs4 and platformdirs at import time only
    for its example-data downloader, so stand-ins are put in sys.modules while it loads when absent."""
    if importlib.util.find_spec("esda") is None or importlib.util.find_spec("libpysal") is None:
        pytest.skip("esda/libpysal not installed (optional: pip install --no-deps esda libpysal)")
    stubs = [name for name in ("bs4", "platformdirs") if importlib.util.find_spec(name) is None]
    for name in stubs:
        module = types.ModuleType(name)
        module.BeautifulSoup = None
        module.user_data_dir = lambda *args, **kwargs: "."
        sys.modules[name] = module
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getisord = importlib.import_module("esda.getisord")
            weights = importlib.import_module("libpysal.weights")
    except Exception as error:  # noqa: BLE001 - any import failure means: cannot compare here
        pytest.skip(f"esda/libpysal not importable with numpy {np.__version__}: {error}")
    finally:
        for name in stubs:
            sys.modules.pop(name, None)
    return getisord, weights


def test_matches_esda_g_local_star():
    getisord, weights = _import_esda()
    rng = np.random.default_rng(21)
    n = 400
    x = rng.poisson(2.0, n).astype(float)
    xy = rng.uniform(0, 1000, (n, 2))
    w = hs.weights_knn(xy[:, 0], xy[:, 1], 6)  # asymmetric, self included
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = getisord.G_Local(
            x, weights.WSP(w).to_W(), transform="B", star=True, permutations=99, seed=7, n_jobs=1
        )
    ours = hs.getis_ord_gistar(x, w, fdr=False)
    np.testing.assert_allclose(ours.z, g.Zs, rtol=1e-9, atol=1e-9)
    if importlib.util.find_spec("numba") is None:
        # Without numba esda draws its index matrix with numpy's legacy global RNG: rebuild it and the
        # pseudo p-values must be identical.
        np.random.seed(7)
        k = int((np.diff(w.indptr) - 1).max())
        ids = np.stack([np.random.choice(n - 1, size=k, replace=False) for _ in range(99)])
        np.testing.assert_array_equal(hs.conditional_permutation_p(x, w, ids), g.p_sim)


def test_cancel_stops_permutations():
    class Stop(Progress):
        def is_canceled(self) -> bool:
            return True

    grid = square_grid(10)
    with pytest.raises(Cancelled):
        hs.getis_ord_gistar(
            np.arange(len(grid)), hs.weights_contiguity(grid), permutations=9, progress=Stop()
        )


# ---- Mann-Kendall -----------------------------------------------------------------------------------


def test_mann_kendall_hand_case():
    # 1 2 3 2: pairs (1,2)+ (1,3)+ (1,2)+ (2,3)+ (2,2)0 (3,2)- -> S = 3; one pair of tied 2s (t = 2):
    # var S = (4*3*13 - 2*1*9) / 18 = 138 / 18; z = (3 - 1) / sqrt(138 / 18); tau-b = 3 / sqrt(6 * 5).
    mk = em.mann_kendall(np.array([1.0, 2.0, 3.0, 2.0]))
    assert mk.s[0] == 3 and mk.var_s[0] == pytest.approx(138 / 18)
    assert mk.z[0] == pytest.approx(2 / math.sqrt(138 / 18))
    assert mk.tau[0] == pytest.approx(3 / math.sqrt(30))
    assert mk.p[0] == pytest.approx(2 * stats.norm.sf(mk.z[0]))
    flat = em.mann_kendall(np.zeros((2, 6)))
    assert (flat.z == 0).all() and (flat.p == 1).all() and (flat.tau == 0).all()


def test_mann_kendall_matches_scipy_kendalltau():
    rng = np.random.default_rng(4)
    series = np.cumsum(rng.normal(0.1, 1.0, (60, 25)), axis=1)  # no ties
    tied = rng.integers(0, 4, (60, 25)).astype(float)  # many ties: tests the variance correction
    for data in (series, tied):
        mk = em.mann_kendall(data, continuity=False)
        for row in range(len(data)):
            ref = stats.kendalltau(np.arange(data.shape[1]), data[row], method="asymptotic")
            assert mk.tau[row] == pytest.approx(ref.statistic, abs=1e-12)
            assert mk.p[row] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-12)
    assert (np.abs(em.mann_kendall(series).z) <= np.abs(em.mann_kendall(series, continuity=False).z)).all()


# ---- emerging patterns ------------------------------------------------------------------------------

N_BINS = 20
RISING = np.linspace(2.0, 6.0, N_BINS)
FLAT = 3.0 + 0.3 * np.array([1, -1, 0.5, -0.5, 0.2, -0.2, 0.8, -0.8, 0.1, -0.1] * 2)  # no trend


def _case(hot_bins, cold_bins=(), z_hot=None):
    sig = np.zeros(N_BINS, dtype=np.int8)
    sig[list(hot_bins)] = 1
    sig[list(cold_bins)] = -1
    z = sig * 3.0 if z_hot is None else np.where(sig != 0, sig * np.abs(z_hot), 0.0)
    return sig, z


CASES = {  # name -> (significance, z series); cold spot cases are the same with the signs flipped
    em.NEW: _case([19]),
    em.CONSECUTIVE: _case(range(14, 20)),
    em.INTENSIFYING: _case(range(20), z_hot=RISING),
    em.PERSISTENT: _case(range(20), z_hot=FLAT),
    em.DIMINISHING: _case(range(20), z_hot=RISING[::-1]),
    em.SPORADIC: _case([3, 8, 9, 19]),
    em.OSCILLATING: _case([10, 19], cold_bins=[5]),
    em.HISTORICAL: _case(range(19), z_hot=FLAT),
}


@pytest.mark.parametrize("sign", [1, -1], ids=["hot", "cold"])
@pytest.mark.parametrize("code", sorted(CASES), ids=[em.PATTERNS[c] for c in sorted(CASES)])
def test_each_pattern(code, sign):
    sig, z = CASES[code]
    sig, z = sign * sig[None, :], sign * z[None, :]
    got = em.classify(sig.astype(np.int8), em.mann_kendall(z), 0.10)
    assert em.pattern_name(got[0]) == em.pattern_name(sign * code)


@pytest.mark.parametrize(
    ("hot", "cold", "expected"),
    [
        (range(2, 20), (), em.PERSISTENT),  # 18 of 20 = 90 %: "most", not Consecutive
        (range(3, 20), (), em.CONSECUTIVE),  # 17 of 20 < 90 %, one final run
        ([19], [4], em.OSCILLATING),  # hot only now but cold before: Oscillating, not New
        ([5, 12], (), 0),  # hot now and then, not in the final bin: no pattern (Pro's Sporadic needs it)
        ((), (), 0),
        (range(18), [19], em.HISTORICAL),  # hot in 90 %, cold at the end: Historical hot spot
    ],
)
def test_pattern_boundaries(hot, cold, expected):
    sig, z = _case(hot, cold, z_hot=FLAT)
    assert em.classify(sig[None, :], em.mann_kendall(z[None, :]), 0.10)[0] == expected


def test_emerging_on_synthetic_cube():
    grid = square_grid(12)
    w = hs.weights_contiguity(grid)
    rng = np.random.default_rng(2)
    counts = rng.poisson(1.0, (len(grid), 30)).astype(np.float32)
    centre = np.flatnonzero((grid.col == 3) & (grid.row == 3))[0]
    late = np.flatnonzero((grid.col == 8) & (grid.row == 8))[0]
    for cell, start in ((centre, 0), (late, 24)):
        block = (np.abs(grid.col - grid.col[cell]) <= 1) & (np.abs(grid.row - grid.row[cell]) <= 1)
        counts[block, start:] += 6
    for storage in (counts, sparse.csr_matrix(counts)):
        result = em.emerging_hotspots(storage, w, time_steps=0, global_window="neighbourhood")
        assert result.code[centre] in (em.PERSISTENT, em.INTENSIFYING, em.DIMINISHING)
        assert result.code[late] == em.CONSECUTIVE and result.run_hot[late] == 6 == result.n_hot[late]
        assert result.count_trend.z[late] > 0 and result.pct_hot[centre] == 100.0
    # 999 permutations: with 99 the smallest two-sided p (0.02) cannot pass the BH cutoff over 144 cells.
    perm = em.emerging_hotspots(counts, w, permutations=999, time_steps=0, global_window="neighbourhood")
    assert perm.code[late] == em.CONSECUTIVE
    with pytest.raises(BeatCastInputError, match="time_steps=0"):
        em.emerging_hotspots(counts, w, permutations=99)


def test_emerging_demo_city():
    city = demo_city.generate_city()
    grid = build_grid(GridSpec("square", 250, crs="EPSG:32616"), [city.boundary.geometries[0]])
    incidents = city.incidents
    local = pd.DatetimeIndex(incidents["occurred_local"])
    first = np.ones(len(local), dtype=bool)  # the repeated autumn hour is daylight time (demo convention)
    utc = local.tz_localize(demo_city.TIMEZONE, ambiguous=first).tz_convert("UTC").tz_localize(None)
    # Whole Monday weeks, 2023-01-02 to 2024-12-29: a part-week at either end would look like a drop.
    bins = make_bins(
        BinSpec("week", demo_city.TIMEZONE, pd.Timestamp("2023-01-02"), pd.Timestamp("2024-12-30"))
    )
    cells = cell_index(grid, incidents["x"].to_numpy(), incidents["y"].to_numpy())
    cube = aggregate(cells, utc.values, None, None, None, len(grid), grid.cell_id, bins, aoristic=False)
    assert cube.n_bins == 104
    result = em.emerging_hotspots(cube.matrix(), hs.weights_contiguity(grid))

    def near(xy, radius):
        return np.hypot(grid.centroid_x - xy[0], grid.centroid_y - xy[1]) <= radius

    emerging = collections.Counter(result.pattern[near(demo_city.EMERGING_CENTRE_XY, 300.0)])
    assert sum(emerging.values()) >= 4
    assert set(emerging) <= {"New Hot Spot", "Consecutive Hot Spot", "Intensifying Hot Spot"}, emerging
    # The bars are scattered around CENTRE_XY + (150, 100) (demo_city._pois).
    bars = (demo_city.CENTRE_XY[0] + 150.0, demo_city.CENTRE_XY[1] + 100.0)
    downtown = collections.Counter(result.pattern[near(bars, 250.0)])
    assert sum(downtown.values()) >= 4
    assert set(downtown) <= {"Persistent Hot Spot", "Intensifying Hot Spot"}, downtown
    # The planted hot spot starts in 2024-W09 (1 March 2024): its cells are hot from about then on.
    start = int(np.searchsorted(bins.local, np.datetime64(demo_city.EMERGING_START)))
    centre = np.argmin(np.hypot(grid.centroid_x - 282850.0, grid.centroid_y - 4511250.0))
    assert abs(result.run_hot[centre] - (cube.n_bins - start)) <= 2
    assert result.count_trend.z[centre] > 3
