"""Getis-Ord Gi* hot spot analysis (what ArcGIS Pro's Hot Spot / Optimized Hot Spot Analysis compute).

For cell i with weights w_ij (the cell's own weight w_ii included: that is what makes it Gi* rather than Gi),
values x_1..x_n, global mean X = sum(x) / n and global standard deviation S = sqrt(sum(x²) / n - X²)
(Getis & Ord 1992; Ord & Getis 1995, eq. 14-15; the formula ArcGIS documents):

    z_i = (sum_j w_ij x_j - X W_i) / (S sqrt((n sum_j w_ij² - W_i²) / (n - 1))),   W_i = sum_j w_ij

``z_i`` is the Gi* z-score itself (its expectation under the null is 0, its variance 1). It uses the global
mean and standard deviation only, so it is valid for any real values, negative ones included, and it does
not change when a constant is added to every value or when every value is multiplied by c > 0 (the QGIS
"Hotspot Analysis" plugin's ratio form, sum(w x) / sum(x), breaks when values are negative or sum to 0).
Cells get z = 0 (p = 1) where the formula is 0 / 0: all values equal (S = 0), or a neighbourhood holding
every cell with equal weights. A cell with no neighbour but itself gets (x_i - X) / S: check
``n_neighbours``.

Distances are in the units of the coordinates, which must be metric: the caller refuses a geographic CRS
(``core.grid.check_metric``).

Permutation inference (``permutations > 0``) is the conditional randomisation of PySAL ``esda.G_Local(star=
True)`` (Anselin 1995): cell i keeps its own value and its neighbours' weights; the values at its other
neighbours are replaced by a random sample, without replacement, of the n - 1 values of the other cells.
As in esda, one random index matrix of shape (permutations, max neighbours) drawn from range(n - 1) is
reused for every cell: cell i takes its first k_i columns, and index j stands for cell j if j < i, else
j + 1 (so a cell never draws itself). With ``larger`` the number of random local sums at least as large as
the observed one (ties count as larger), esda's folded pseudo p-value is

    p_sim = (min(larger, permutations - larger) + 1) / (permutations + 1)

the one-tailed p-value of the tail the observed value lies in (at most ~0.5). ``p_used`` is two-sided like
the analytic ``p``: min(1, 2 p_sim); the smallest attainable is 2 / (permutations + 1), so 99 permutations
cannot reach the 99 % level. Cells with no neighbour but themselves get p_sim = 1 (esda gives them
1 / (permutations + 1)). The index matrix comes from ``numpy.random.default_rng(seed)``: the same inputs
and seed give the same p_sim.

Significance (``bin``, ArcGIS's Gi_Bin): +3/+2/+1 hot and -3/-2/-1 cold at the 99/95/90 % levels
(``alpha_levels`` 0.01, 0.05, 0.10), by the sign of z. With ``fdr`` (the default) a cell is significant at
level a when p_used <= the Benjamini-Hochberg cutoff at a over all cells: the largest sorted p_(k) with
p_(k) <= k a / n (Benjamini & Hochberg 1995), which keeps the expected share of false hot and cold spots
among those flagged at a (the same idea as ArcGIS's "Apply False Discovery Rate Correction" option).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse, stats
from scipy.spatial import cKDTree

from .errors import BeatCastInputError
from .grid import Grid, neighbours
from .progress import Cancelled, Progress

ALPHA_LEVELS = (0.01, 0.05, 0.10)
BLOCK_BUDGET = 4_000_000  # entries of the per-block correction matrix in the permutation loop


@dataclass
class GiResult:
    """Per-cell Gi* results (arrays of length n_cells); see the module docstring for the definitions."""

    z: np.ndarray  # analytic Gi* z-score
    p: np.ndarray  # two-sided normal p-value of z
    p_sim: np.ndarray | None  # esda's folded pseudo p-value (None without permutations)
    p_used: np.ndarray  # min(1, 2 p_sim) with permutations, else p: what ``bin`` is based on
    bin: np.ndarray  # int8 in -3..3 (ArcGIS Gi_Bin)
    fdr: bool
    cutoffs: dict = field(default_factory=dict)  # alpha -> p_used cutoff (alpha itself without FDR)
    permutations: int = 0
    n_neighbours: np.ndarray | None = None  # neighbours per cell, the cell itself included


def _xy(x, y) -> np.ndarray:
    xy = np.column_stack([np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()])
    if not np.isfinite(xy).all():
        raise BeatCastInputError("cell coordinates must be finite")
    return xy


def _binary(rows, cols, n: int) -> sparse.csr_matrix:
    """0/1 CSR matrix from (row, col) pairs plus the diagonal (duplicates count once)."""
    rows = np.concatenate([np.asarray(rows, dtype=np.int64), np.arange(n)])
    cols = np.concatenate([np.asarray(cols, dtype=np.int64), np.arange(n)])
    w = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    w.data[:] = 1.0
    w.sort_indices()
    return w


def weights_distance(x, y, threshold: float) -> sparse.csr_matrix:
    """Fixed distance band: w_ij = 1 when cells i and j are at most ``threshold`` apart (coordinates in
    metres), else 0; w_ii = 1 (Gi* counts the cell itself). Symmetric."""
    xy = _xy(x, y)
    if not (isinstance(threshold, numbers.Real) and math.isfinite(threshold) and threshold > 0):
        raise BeatCastInputError(f"distance band {threshold!r}: expected a positive distance in metres")
    pairs = cKDTree(xy).query_pairs(float(threshold), output_type="ndarray")
    return _binary(np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]], len(xy))


def weights_knn(x, y, k: int) -> sparse.csr_matrix:
    """w_ij = 1 for the ``k`` nearest other cells of i (ties at the k-th distance broken by the KD-tree),
    plus w_ii = 1. Not symmetric: j may be among i's nearest without i being among j's (as in ArcGIS)."""
    xy = _xy(x, y)
    n = len(xy)
    if not (isinstance(k, (int, np.integer)) and 1 <= k < n):
        raise BeatCastInputError(f"number of neighbours {k!r}: expected a whole number from 1 to {n - 1}")
    _, idx = cKDTree(xy).query(xy, k=int(k) + 1)
    drop = idx == np.arange(n)[:, None]
    drop[~drop.any(axis=1), -1] = True  # a duplicate point came first: drop the farthest instead
    return _binary(np.repeat(np.arange(n), k), idx[~drop], n)


def weights_contiguity(grid: Grid, kind: str = "queen") -> sparse.csr_matrix:
    """Lattice contiguity (``core.grid.neighbours``: queen or rook squares, edge-sharing hexagons), plus
    w_ii = 1 for Gi*."""
    w = neighbours(grid, kind).tocoo()
    return _binary(w.row, w.col, len(grid))


def check_weights(weights, n: int) -> sparse.csr_matrix:
    """The weights as float64 CSR, refused unless (n, n), finite, non-negative, with every w_ii > 0."""
    if not sparse.issparse(weights):
        weights = sparse.csr_matrix(np.asarray(weights, dtype=float))
    w = sparse.csr_matrix(weights, dtype=np.float64)
    w.eliminate_zeros()
    if w.shape != (n, n):
        raise BeatCastInputError(f"weights of shape {w.shape} for {n} cells: expected ({n}, {n})")
    if not np.isfinite(w.data).all() or (w.data < 0).any():
        raise BeatCastInputError("weights must be finite and non-negative")
    if (w.diagonal() <= 0).any():
        raise BeatCastInputError(
            "Gi* counts each cell in its own neighbourhood, but some cells have no weight on themselves: "
            "build the weights with weights_distance, weights_knn or weights_contiguity"
        )
    return w


def check_values(values, name: str = "values") -> np.ndarray:
    x = np.asarray(values, dtype=np.float64)
    if not np.isfinite(x).all():
        raise BeatCastInputError(f"{name} must be finite numbers (no missing values)")
    return x


def gistar_z(lag, wsum, w2sum, mean, sd, n) -> np.ndarray:
    """The Gi* z-score from its parts (arrays broadcast): local weighted sum ``lag`` = sum_j w_ij x_j,
    ``wsum`` = W_i, ``w2sum`` = sum_j w_ij², the global ``mean`` and population ``sd`` of the ``n`` values.
    0 where the formula is 0 / 0 (see the module docstring)."""
    n = np.asarray(n, dtype=np.float64)
    spread = np.maximum(n * w2sum - np.square(wsum), 0.0) / (n - 1.0)
    den = np.asarray(sd) * np.sqrt(spread)
    num = np.asarray(lag) - np.asarray(mean) * wsum
    # Rounding leaves tiny non-zero spreads and standard deviations where they should be 0.
    ok = (spread > 1e-12 * n * w2sum) & (np.asarray(sd) > 1e-12 * (np.abs(mean) + np.asarray(sd) + 1e-300))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, num / np.where(ok, den, 1.0), 0.0)


def two_sided_p(z) -> np.ndarray:
    return 2.0 * stats.norm.sf(np.abs(z))


def fdr_cutoff(p, alpha: float) -> float:
    """Benjamini-Hochberg: the largest sorted p_(k) with p_(k) <= k alpha / m (-1.0 when there is none,
    so that ``p <= cutoff`` flags nothing)."""
    ps = np.sort(np.asarray(p, dtype=np.float64).ravel())
    ok = np.flatnonzero(ps <= alpha * np.arange(1, len(ps) + 1) / len(ps))
    return float(ps[ok[-1]]) if len(ok) else -1.0


def significance_bins(z, p, alpha_levels=ALPHA_LEVELS, fdr: bool = True) -> tuple[np.ndarray, dict]:
    """Gi_Bin-style classes (int8): +-len(levels) at the smallest alpha ... +-1 at the largest, 0 when not
    significant at any; and the p cutoff used for each alpha (BH over all values when ``fdr``)."""
    levels = sorted({float(a) for a in alpha_levels}, reverse=True)
    if not levels or not all(0 < a < 1 for a in levels):
        raise BeatCastInputError(f"significance levels {alpha_levels!r}: expected values between 0 and 1")
    cutoffs = {a: (fdr_cutoff(p, a) if fdr else a) for a in levels}
    magnitude = np.zeros(np.shape(p), dtype=np.int8)
    for rank, a in enumerate(levels, start=1):
        magnitude[p <= cutoffs[a]] = rank
    return (np.sign(z).astype(np.int8) * magnitude).astype(np.int8), cutoffs


def permuted_ids(n: int, max_neighbours: int, permutations: int, seed=0) -> np.ndarray:
    """(permutations, max_neighbours) indices into the n - 1 other cells, distinct within each row."""
    rng = np.random.default_rng(seed)
    k = max(int(max_neighbours), 1)
    return np.stack([rng.choice(n - 1, size=k, replace=False) for _ in range(int(permutations))])


def conditional_permutation_p(
    values, weights: sparse.csr_matrix, ids: np.ndarray, progress: Progress | None = None
) -> np.ndarray:
    """esda's folded pseudo p-value (module docstring) for a given random index matrix ``ids``.

    Vectorised: with x0 = x[ids] and x1 = x[ids + 1] (what index j means for cells after / not after it),
    the random sums of a block of cells [lo, hi) are one matrix product with the block's padded weights,
    using x1 where ids >= hi; the few entries with lo <= ids < hi are corrected for the cells at or
    before them (the cells for which j means cell j + 1)."""
    x = check_values(values)
    n = len(x)
    feedback = progress or Progress()
    weights = sparse.csr_matrix(weights, dtype=np.float64)
    others = sparse.csr_matrix(weights - sparse.diags(weights.diagonal()))
    others.eliminate_zeros()
    others.sort_indices()
    card = np.diff(others.indptr)
    n_perm, k = ids.shape
    if card.max(initial=0) > k:
        raise ValueError("the random index matrix has fewer columns than the largest neighbourhood")
    observed = others @ x
    x0 = x[ids]
    step = np.append(x, 0.0)[ids + 1] - x0
    tol = 1e-9 * max(float(np.abs(x).max(initial=0.0)), 1e-300) * max(float(others.sum(axis=1).max()), 1.0)
    block = int(max(16, min(2048, math.sqrt(BLOCK_BUDGET * n / max(n_perm * k, 1)))))
    larger = np.zeros(n, dtype=np.int64)
    position = np.arange(others.nnz) - np.repeat(others.indptr[:-1], card)
    for lo in range(0, n, block):
        if feedback.is_canceled():
            raise Cancelled()
        hi = min(lo + block, n)
        rows = np.repeat(np.arange(hi - lo), card[lo:hi])
        span = slice(others.indptr[lo], others.indptr[hi])
        wb = np.zeros((hi - lo, k))
        wb[rows, position[span]] = others.data[span]
        sums = (x0 + step * (ids >= hi)) @ wb.T  # (permutations, block)
        p_e, m_e = np.nonzero((ids >= lo) & (ids < hi))
        if len(p_e):
            reach = np.arange(hi - lo)[None, :] <= (ids[p_e, m_e] - lo)[:, None]
            fix = step[p_e, m_e][:, None] * wb[:, m_e].T * reach
            pick = sparse.csr_matrix(
                (np.ones(len(p_e)), (p_e, np.arange(len(p_e)))), shape=(n_perm, len(p_e))
            )
            sums += pick @ fix
        larger[lo:hi] = (sums >= observed[lo:hi] - tol).sum(axis=0)
        feedback.set_progress(100.0 * hi / n)
    low = (n_perm - larger) < larger
    larger[low] = n_perm - larger[low]
    p_sim = (larger + 1.0) / (n_perm + 1.0)
    p_sim[card == 0] = 1.0
    return p_sim


def getis_ord_gistar(
    values,
    weights,
    permutations: int = 0,
    seed=0,
    fdr: bool = True,
    alpha_levels=ALPHA_LEVELS,
    progress: Progress | None = None,
) -> GiResult:
    """Gi* hot spots of ``values`` (one per cell) with ``weights`` (n x n, each cell's own weight included:
    see ``weights_distance``, ``weights_knn``, ``weights_contiguity``). ``permutations`` > 0 adds the
    conditional-permutation pseudo p-value; ``seed`` is anything ``numpy.random.default_rng`` takes."""
    x = check_values(values).ravel()
    n = len(x)
    if n < 3:
        raise BeatCastInputError(f"Gi* needs at least 3 cells, got {n}")
    w = check_weights(weights, n)
    if not (isinstance(permutations, (int, np.integer)) and permutations >= 0):
        raise BeatCastInputError(f"permutations {permutations!r}: expected a whole number >= 0")
    feedback = progress or Progress()
    wsum = np.asarray(w.sum(axis=1)).ravel()
    w2sum = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    z = gistar_z(w @ x, wsum, w2sum, x.mean(), x.std(), n)
    p = two_sided_p(z)
    p_sim = None
    p_used = p
    if permutations:
        card = np.diff(w.indptr) - (w.diagonal() > 0)
        ids = permuted_ids(n, int(card.max()), permutations, seed)
        p_sim = conditional_permutation_p(x, w, ids, _Scaled(feedback, 5, 95))
        p_used = np.minimum(1.0, 2.0 * p_sim)
    bins, cutoffs = significance_bins(z, p_used, alpha_levels, fdr)
    feedback.set_progress(100)
    return GiResult(z, p, p_sim, p_used, bins, bool(fdr), cutoffs, int(permutations), np.diff(w.indptr))


class _Scaled(Progress):
    """Forwards progress 0..100 of one step as start..stop of the whole."""

    def __init__(self, outer: Progress, start: float, stop: float):
        self.outer, self.start, self.stop = outer, start, stop

    def set_progress(self, percent: float) -> None:
        self.outer.set_progress(self.start + (self.stop - self.start) * percent / 100.0)

    def is_canceled(self) -> bool:
        return self.outer.is_canceled()
