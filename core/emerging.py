"""Emerging hot spot analysis: ArcGIS Pro's Emerging Hot Spot Analysis on a cells x bins count cube.

Method (ArcGIS Pro, "How Emerging Hot Spot Analysis works",
https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm):
a Gi* z-score and p-value for every (cell, bin) (:mod:`.hotspots`); then, per cell, the Mann-Kendall trend
test on the cell's series of Gi* z-scores (the trend in the intensity of clustering, not in the counts),
and a pattern from the significant hot and cold bins and that trend.

Gi* per bin, with ArcGIS's defaults: the neighbourhood of (cell, bin t) is the cell's spatial neighbours
(``weights``) in bins t - ``time_steps`` .. t (ArcGIS "Neighborhood Time Step", default 1; fewer bins at
the start of the series), and the global mean and standard deviation are those of the whole cube
(``global_window="cube"``, ArcGIS's default "Entire cube"). ``global_window="neighbourhood"`` takes them
over the bins of the time window instead; with ``time_steps=0`` that is ArcGIS's "Individual time step":
every bin analysed on its own, as in :func:`.hotspots.getis_ord_gistar` (the only setting permutations
support). A bin is significant at ``alpha`` when its p-value is at most alpha, or, with ``fdr`` (default),
at most the Benjamini-Hochberg cutoff at alpha over the cells of that bin. Hot: significant with z > 0;
cold: significant with z < 0. Over the whole cube a week with more crime everywhere raises every cell's
z-scores; per bin, cells are compared with the rest of the city that week.

Patterns, with n the number of bins and "most" meaning at least 90 % of the n bins (the trend is the
Mann-Kendall test of the Gi* z series at ``trend_alpha``, two-sided):

- New hot spot: hot in the final bin and in no earlier bin (and never cold: see the order below).
- Consecutive hot spot: the hot bins form one unbroken run of two or more bins that reaches the final bin;
  no bin before the run is hot; fewer than 90 % of the bins are hot.
- Intensifying hot spot: hot in most bins, the final one included, and the Gi* z-scores rise
  significantly over time (clustering of high counts is getting stronger).
- Persistent hot spot: hot in most bins, the final one included, with no significant trend.
- Diminishing hot spot: hot in most bins, the final one included, and the z-scores fall significantly.
- Sporadic hot spot: hot in the final bin, also hot on and off before (not one final run), fewer than 90 %
  of the bins hot, and never significantly cold.
- Oscillating hot spot: hot in the final bin, significantly cold in some earlier bin, fewer than 90 % of
  the bins hot.
- Historical hot spot: hot in most bins but not in the final one.
- The eight cold spot patterns mirror these with cold bins; an intensifying cold spot's z-scores fall
  (more negative) significantly, a diminishing one's rise.
- No pattern detected: none of the above (e.g. never significant, or hot now and then but not at the end).

The published definitions overlap in places; the order used here (each cell gets the first that applies):
hot or cold in most bins first (then Historical when the final bin is not of that kind, else Intensifying /
Diminishing by the trend, else Persistent); then, by the final bin's kind, Oscillating when the cell was
ever of the opposite kind (so a cell cold once and hot only now is Oscillating, not New), New, Consecutive,
Sporadic. ArcGIS also analyses only cells with at least one incident when no mask is given; here every cell
of the grid is analysed (the grid is the study area).

Mann-Kendall (Mann 1945; Kendall 1975): S = sum over i < j of sign(x_j - x_i); var(S) = [n(n-1)(2n+5) -
sum_t t(t-1)(2t+5)] / 18 over groups of t tied values; z = (S - sign(S)) / sqrt(var S) (continuity
correction; ``continuity=False`` gives S / sqrt(var S), scipy's asymptotic test); p two-sided normal;
tau = S / sqrt(n0 (n0 - n1)) with n0 = n(n-1)/2 and n1 the number of tied pairs (Kendall's tau-b against
time, as ``scipy.stats.kendalltau``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .errors import BeatCastInputError
from .hotspots import (
    _Scaled,
    check_values,
    check_weights,
    fdr_cutoff,
    getis_ord_gistar,
    gistar_z,
    two_sided_p,
)
from .progress import Cancelled, Progress

PATTERNS = (
    "No Pattern Detected",
    "New Hot Spot",
    "Consecutive Hot Spot",
    "Intensifying Hot Spot",
    "Persistent Hot Spot",
    "Diminishing Hot Spot",
    "Sporadic Hot Spot",
    "Oscillating Hot Spot",
    "Historical Hot Spot",
)
# Pattern code as in ArcGIS's CATEGORY field: 1..8 hot (the order above), -1..-8 the same cold spots, 0 none.
NEW, CONSECUTIVE, INTENSIFYING, PERSISTENT, DIMINISHING, SPORADIC, OSCILLATING, HISTORICAL = range(1, 9)
GLOBAL_WINDOWS = ("neighbourhood", "cube")


def pattern_name(code: int) -> str:
    name = PATTERNS[abs(int(code))]
    return name.replace("Hot Spot", "Cold Spot") if code < 0 else name


@dataclass
class MannKendall:
    s: np.ndarray  # Mann-Kendall S
    tau: np.ndarray  # Kendall's tau-b against time
    z: np.ndarray
    p: np.ndarray  # two-sided
    var_s: np.ndarray  # variance of S with the tie correction


def mann_kendall(series, continuity: bool = True) -> MannKendall:
    """Mann-Kendall trend test of each row of ``series`` (n_cells, n_bins), vectorised over rows (a 1-D
    series gives arrays of shape (1,)). Rows with fewer than 2 distinct values get z = 0, p = 1."""
    x = np.atleast_2d(check_values(series, "the series"))
    rows, n = x.shape
    s = np.zeros(rows)
    tied = np.zeros((rows, n))  # per value: how many others equal it
    for lag in range(1, n):
        later, earlier = x[:, lag:], x[:, :-lag]
        s += (later > earlier).sum(axis=1, dtype=np.int64) - (later < earlier).sum(axis=1, dtype=np.int64)
        equal = later == earlier
        tied[:, lag:] += equal
        tied[:, :-lag] += equal
    # A value in a group of t ties has tied = t - 1: sum over values of (t-1)(2t+5) = sum_t t(t-1)(2t+5).
    var_s = (n * (n - 1) * (2 * n + 5) - (tied * (2 * tied + 7)).sum(axis=1)) / 18.0
    n0 = n * (n - 1) / 2.0
    tau_den = np.sqrt(n0 * (n0 - tied.sum(axis=1) / 2.0))
    ok = var_s > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.where(tau_den > 0, s / np.where(tau_den > 0, tau_den, 1.0), 0.0)
        num = s - np.sign(s) if continuity else s
        z = np.where(ok, num / np.sqrt(np.where(ok, var_s, 1.0)), 0.0)
    return MannKendall(s, tau, z, two_sided_p(z), var_s)


@dataclass
class EmergingResult:
    """Per (cell, bin): ``gi_z``, ``gi_p`` (the p-value used), ``gi_sig`` (int8: 1 hot, -1 cold, 0 not
    significant at alpha) and ``cutoffs`` (per bin). Per cell: the rest (see the module docstring)."""

    gi_z: np.ndarray
    gi_p: np.ndarray
    gi_sig: np.ndarray
    cutoffs: np.ndarray
    trend: MannKendall  # of the Gi* z series
    count_trend: MannKendall  # of the counts themselves
    n_hot: np.ndarray
    n_cold: np.ndarray
    pct_hot: np.ndarray  # percent of the bins
    pct_cold: np.ndarray
    last_hot: np.ndarray
    last_cold: np.ndarray
    run_hot: np.ndarray  # hot bins in a row at the end of the series
    run_cold: np.ndarray
    code: np.ndarray  # int8 pattern code (PATTERNS, negative for cold spots)
    pattern: np.ndarray  # object array of pattern names
    alpha: float
    trend_alpha: float
    fdr: bool
    permutations: int
    time_steps: int
    global_window: str


def _dense_counts(counts) -> np.ndarray:
    x = counts.toarray() if sparse.issparse(counts) else np.asarray(counts)
    x = check_values(x, "counts").astype(np.float64, copy=False)
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 1:
        raise BeatCastInputError(f"counts of shape {x.shape}: expected (cells, bins) with at least 3 cells")
    return x


def _window_sum(a: np.ndarray, k: int) -> np.ndarray:
    """Sum over the bins t-k..t (as many as exist) along the last axis."""
    if k == 0:
        return a
    c = np.cumsum(a, axis=-1)
    out = c.copy()
    out[..., k + 1 :] -= c[..., : -k - 1]
    return out


def spacetime_gistar_z(x: np.ndarray, w: sparse.csr_matrix, time_steps: int, global_window: str):
    """Gi* z per (cell, bin) with the spatial weights ``w`` over the bins t - time_steps .. t."""
    n_cells, n_bins = x.shape
    k = int(time_steps)
    depth = np.minimum(np.arange(n_bins), k) + 1.0  # bins in each time window
    wsum = np.asarray(w.sum(axis=1)).ravel()[:, None] * depth
    w2sum = np.asarray(w.multiply(w).sum(axis=1)).ravel()[:, None] * depth
    lag = _window_sum(np.asarray(w @ x), k)
    if global_window == "cube":
        mean, sd, n = x.mean(), x.std(), float(x.size)
    elif k == 0:
        mean, sd, n = x.mean(axis=0), x.std(axis=0), float(n_cells)
    else:
        n = n_cells * depth
        mean = _window_sum(x.sum(axis=0), k) / n
        sd = np.sqrt(np.maximum(_window_sum(np.square(x).sum(axis=0), k) / n - np.square(mean), 0.0))
    return gistar_z(lag, wsum, w2sum, mean, sd, n)


def _run_at_end(flags: np.ndarray) -> np.ndarray:
    """Number of True values in a row at the end of each row."""
    off = ~flags[:, ::-1]
    return np.where(off.any(axis=1), off.argmax(axis=1), flags.shape[1])


def classify(sig: np.ndarray, trend: MannKendall, trend_alpha: float) -> np.ndarray:
    """int8 pattern codes from the (cells, bins) significance (1 hot, -1 cold, 0) and the z trend."""
    n_bins = sig.shape[1]
    code = np.zeros(sig.shape[0], dtype=np.int8)
    rising = (trend.p <= trend_alpha) & (trend.z > 0)
    falling = (trend.p <= trend_alpha) & (trend.z < 0)
    hot, cold = sig == 1, sig == -1
    for sign, kind, other, up, down in ((1, hot, cold, rising, falling), (-1, cold, hot, falling, rising)):
        count = kind.sum(axis=1)
        most = 10 * count >= 9 * n_bins  # at least 90 % of the bins, in whole numbers
        last = kind[:, -1]
        run = _run_at_end(kind)
        free = code == 0
        # Hot (cold) in most bins.
        code[free & most & ~last] = sign * HISTORICAL
        code[free & most & last & up] = sign * INTENSIFYING
        code[free & most & last & down] = sign * DIMINISHING
        code[free & most & last & ~up & ~down] = sign * PERSISTENT
        # Of this kind in the final bin, fewer than 90 % of the bins.
        recent = free & ~most & last
        ever_other = other.any(axis=1)
        code[recent & ever_other] = sign * OSCILLATING
        plain = recent & ~ever_other
        code[plain & (count == 1)] = sign * NEW
        code[plain & (count >= 2) & (run == count)] = sign * CONSECUTIVE
        code[plain & (count >= 2) & (run < count)] = sign * SPORADIC
    return code


def emerging_hotspots(
    counts,
    weights,
    alpha: float = 0.10,
    fdr: bool = True,
    permutations: int = 0,
    seed=0,
    progress: Progress | None = None,
    *,
    trend_alpha: float | None = None,
    time_steps: int = 1,
    global_window: str = "cube",
) -> EmergingResult:
    """Emerging hot spot patterns of ``counts`` (cells x bins, dense or CSR; e.g. ``Cube.matrix()``) with
    spatial ``weights`` (cells x cells, each cell's own weight included). ``permutations`` > 0 uses the
    conditional-permutation p-values (per bin, seeded from ``seed`` and the bin index; only with
    ``time_steps=0, global_window="neighbourhood"``). ``trend_alpha`` defaults to ``alpha``."""
    feedback = progress or Progress()
    x = _dense_counts(counts)
    n_cells, n_bins = x.shape
    w = check_weights(weights, n_cells)
    if not 0 < alpha < 1:
        raise BeatCastInputError(f"significance level {alpha!r}: expected a value between 0 and 1")
    trend_alpha = alpha if trend_alpha is None else float(trend_alpha)
    if global_window not in GLOBAL_WINDOWS:
        raise BeatCastInputError(f"global window {global_window!r}: expected one of {GLOBAL_WINDOWS}")
    if not (isinstance(time_steps, (int, np.integer)) and time_steps >= 0):
        raise BeatCastInputError(f"time steps {time_steps!r}: expected a whole number >= 0")
    if permutations and (time_steps or global_window != "neighbourhood"):
        raise BeatCastInputError(
            'permutations analyse each bin on its own: set time_steps=0 and global_window="neighbourhood"'
        )
    feedback.set_progress(2)

    z = spacetime_gistar_z(x, w, time_steps, global_window)
    p = two_sided_p(z)
    if permutations:
        for b in range(n_bins):
            step = _Scaled(feedback, 5 + 75 * b / n_bins, 5 + 75 * (b + 1) / n_bins)
            one = getis_ord_gistar(x[:, b], w, permutations, np.random.SeedSequence([seed, b]), progress=step)
            p[:, b] = one.p_used
    if feedback.is_canceled():
        raise Cancelled()
    feedback.set_progress(80)

    cutoffs = np.array([fdr_cutoff(p[:, b], alpha) if fdr else alpha for b in range(n_bins)])
    sig = (np.sign(z) * (p <= cutoffs[None, :])).astype(np.int8)
    trend = mann_kendall(z)
    feedback.set_progress(90)
    count_trend = mann_kendall(x)
    code = classify(sig, trend, trend_alpha)
    hot, cold = sig == 1, sig == -1
    n_hot, n_cold = hot.sum(axis=1), cold.sum(axis=1)
    feedback.set_progress(100)
    return EmergingResult(
        z, p, sig, cutoffs, trend, count_trend, n_hot, n_cold, 100.0 * n_hot / n_bins,
        100.0 * n_cold / n_bins, hot[:, -1], cold[:, -1], _run_at_end(hot), _run_at_end(cold), code,
        np.array([pattern_name(c) for c in range(-8, 9)], dtype=object)[code + 8],
        float(alpha), trend_alpha, bool(fdr), int(permutations), int(time_steps), global_window,
    )  # fmt: skip
