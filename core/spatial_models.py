"""Spatial grid forecasting models behind the ``baselines.Model`` interface: retrospective kernel density
and prospective hotspot mapping.

Both models know the cell centroids (``x``, ``y``, projected metres, one per cell, in cube row order;
e.g. ``Grid.centroid_x`` / ``Grid.centroid_y``) from construction. Distances ``d_ij`` are Euclidean
between centroids; a cell's own counts are at distance 0. Kernels are truncated at 3 bandwidths: pairs
with ``d_ij <= 3 * bandwidth`` are found once with ``scipy.spatial.cKDTree.query_pairs`` and kept as a
sparse cells x cells weight matrix, so a 10k-cell grid fits and predicts well under a second.

Both surfaces are *rescaled* so the forecast total per bin equals the recent mean total per bin: the total
count of the last ``window`` bins before ``until`` (fewer when fewer exist) divided by the number of those
bins. The models therefore say *where* crime is expected; *how much* is the recent city-wide rate (the
naive recent mean of the total). No edge correction: cells near the border of the study area receive less
kernel mass from outside, which is the usual behaviour of hotspot maps. If no count falls in the window,
the forecast is zero everywhere. Intervals are the 90 % Poisson intervals of ``baselines.poisson_interval``.

- ``KernelDensity(x, y, bandwidth=200.0, window=52, kernel="gaussian")``: retrospective KDE (the classic
  hotspot map, e.g. Chainey, Tompson & Uhlig 2008). c_j = total count of cell j over the window bins;
  raw intensity at cell i: ``sum_j exp(-d_ij^2 / (2 bandwidth^2)) * c_j`` over ``d_ij <= 3 bandwidth``
  (the Gaussian's normalising constant cancels in the rescaling). Per-bin rate = raw / sum(raw) x recent
  mean total; expected = rate x horizon.
- ``ProspectiveHotspot(x, y, bandwidth_m=400.0, time_decay_bins=2.0, window=8)``: prospective mapping
  (Bowers, Johnson & Pease 2004, "Prospective hot-spotting: the future of crime mapping?", British
  Journal of Criminology 44(5): 641-658), whose risk at a place sums every recent crime weighted by the
  inverse of its distance and the inverse of its age. On the grid, the count c_js of cell j in bin s
  contributes to cell i for target bin t with weight

      w_ij(t, s) = 1 / (1 + d_ij / bandwidth_m)  *  1 / (1 + (t - s) / time_decay_bins)

  when ``d_ij <= 3 bandwidth_m`` and ``1 <= t - s <= window`` (only bins s < ``until`` are seen), else 0.
  The "1 +" keeps the weights finite at distance 0 and bounds them by 1 (Bowers et al. weight by
  1 / distance and 1 / age in their own units: cells of the 50 m grid and weeks). Each target bin
  t = until .. until + horizon - 1 gets its own map ``raw_i(t) = sum_j sum_s w_ij(t, s) c_js``, rescaled
  to the recent mean total per bin (the last ``window`` bins); expected = the sum of those maps over the
  horizon. A target bin so far ahead that no seen bin is within ``window`` of it reuses the previous
  target's map (the forecast does not go blank because the horizon is long).

Both models are deterministic: no randomness, and the sparse weights have sorted indices.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from .baselines import Forecast, _check, _check_horizon, poisson_interval
from .errors import BeatCastInputError

TRUNCATE = 3.0  # kernels are cut at this many bandwidths
KERNELS = ("gaussian",)
__all__ = ["KERNELS", "TRUNCATE", "KernelDensity", "ProspectiveHotspot", "distance_pairs"]


def _positive(value, name: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise BeatCastInputError(f"{name} must be a positive number, got {value}")
    return value


def _window(window) -> int:
    try:
        whole = not isinstance(window, bool) and float(window).is_integer() and window >= 1
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise BeatCastInputError(f"window must be a whole number of bins, at least 1, got {window}")
    return int(window)


def _coordinates(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size:
        raise BeatCastInputError(f"x and y must have one value per cell, got {x.size} x and {y.size} y")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise BeatCastInputError("x and y (cell centroids) must be finite numbers")
    return x, y


def distance_pairs(x, y, radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ordered pair (i, j) of cells with centroid distance <= radius, self pairs included:
    returns rows i, columns j and distances d_ij (in no particular order; the CSR weights sort them)."""
    xy = np.column_stack([x, y])
    pairs = cKDTree(xy).query_pairs(float(radius), output_type="ndarray").astype(np.int64)
    n = xy.shape[0]
    diag = np.arange(n, dtype=np.int64)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], diag])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], diag])
    dist = np.hypot(xy[rows, 0] - xy[cols, 0], xy[rows, 1] - xy[cols, 1])
    return rows, cols, dist


def _window_counts(counts, start: int, stop: int) -> np.ndarray:
    """Dense cells x (stop - start) float block of bins start..stop-1 (dense array or sparse matrix)."""
    block = counts[:, start:stop]
    block = block.toarray() if sparse.issparse(block) else np.asarray(block)
    return block.astype(float)


def _rescale(raw: np.ndarray, total: float) -> np.ndarray:
    """raw scaled to sum to total (zeros when raw has no mass)."""
    mass = raw.sum()
    return raw * (total / mass) if mass > 0 else np.zeros_like(raw)


class _SpatialModel:
    name = "spatial"

    def __init__(self, x, y, bandwidth: float, window: int, bandwidth_name: str) -> None:
        self.x, self.y = _coordinates(x, y)
        self.bandwidth = _positive(bandwidth, bandwidth_name)
        self.window = _window(window)
        self._weights: sparse.csr_matrix | None = None
        self._fitted = False

    def _kernel(self, distance: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _spatial_weights(self) -> sparse.csr_matrix:
        """Cells x cells kernel weights, built on first use and kept (the grid does not change)."""
        if self._weights is None:
            rows, cols, dist = distance_pairs(self.x, self.y, TRUNCATE * self.bandwidth)
            n = self.x.size
            self._weights = sparse.csr_matrix((self._kernel(dist), (rows, cols)), shape=(n, n))
            self._weights.sort_indices()
        return self._weights

    def _start_fit(self, counts, until: int) -> np.ndarray:
        """Validate, and return the dense block of the window bins before ``until``."""
        _check(counts, until)
        if counts.shape[0] != self.x.size:
            raise BeatCastInputError(
                f"{self.name}: counts have {counts.shape[0]} cells but {self.x.size} centroids were given"
            )
        self._fitted = False
        return _window_counts(counts, max(0, until - self.window), until)

    def _forecast(self, expected: np.ndarray) -> Forecast:
        lower, upper = poisson_interval(expected)
        return Forecast(expected, lower, upper, self.name)

    def _require_fit(self) -> None:
        if not self._fitted:
            raise BeatCastInputError(f"{self.name}: fit() before predict()")


class KernelDensity(_SpatialModel):
    """Retrospective Gaussian kernel density of the last ``window`` bins' counts, rescaled to the recent
    mean total per bin (see the module docstring)."""

    def __init__(self, x, y, bandwidth: float = 200.0, window: int = 52, kernel: str = "gaussian") -> None:
        super().__init__(x, y, bandwidth, window, "bandwidth")
        if kernel not in KERNELS:
            raise BeatCastInputError(f"kernel must be one of {', '.join(KERNELS)}, got {kernel!r}")
        self.kernel = kernel
        self.name = f"kde_{self.bandwidth:g}m_{self.window}"
        self._rate: np.ndarray | None = None

    def _kernel(self, distance: np.ndarray) -> np.ndarray:
        return np.exp(-0.5 * (distance / self.bandwidth) ** 2)

    def fit(self, counts, until: int) -> None:
        block = self._start_fit(counts, until)
        totals = block.sum(axis=1)
        raw = self._spatial_weights() @ totals
        self._rate = _rescale(raw, totals.sum() / block.shape[1])
        self._fitted = True

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        self._require_fit()
        return self._forecast(self._rate * horizon)


class ProspectiveHotspot(_SpatialModel):
    """Prospective hotspot map (Bowers, Johnson & Pease 2004): inverse-distance x inverse-age weighting of
    the last ``window`` bins, rescaled to the recent mean total per bin (see the module docstring)."""

    def __init__(
        self, x, y, bandwidth_m: float = 400.0, time_decay_bins: float = 2.0, window: int = 8
    ) -> None:
        super().__init__(x, y, bandwidth_m, window, "bandwidth_m")
        self.time_decay_bins = _positive(time_decay_bins, "time_decay_bins")
        self.name = f"prospective_{self.bandwidth:g}m_{self.time_decay_bins:g}b_{self.window}"
        self._spread: np.ndarray | None = None  # cells x window bins: spatially smoothed counts
        self._first = 0
        self._until = 0
        self._total = 0.0

    @property
    def bandwidth_m(self) -> float:
        return self.bandwidth

    def _kernel(self, distance: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + distance / self.bandwidth)

    def time_weight(self, age) -> np.ndarray:
        """1 / (1 + age / time_decay_bins) for 1 <= age <= window, else 0."""
        age = np.asarray(age, dtype=float)
        inside = (age >= 1) & (age <= self.window)
        return np.where(inside, 1.0 / (1.0 + np.maximum(age, 0.0) / self.time_decay_bins), 0.0)

    def fit(self, counts, until: int) -> None:
        block = self._start_fit(counts, until)
        self._spread = np.asarray(self._spatial_weights() @ block)
        self._first = until - block.shape[1]
        self._until = until
        self._total = block.sum() / block.shape[1]
        self._fitted = True

    def map_for(self, target: int) -> np.ndarray:
        """Raw (unscaled) prospective surface for target bin ``target`` >= until."""
        self._require_fit()
        ages = target - np.arange(self._first, self._until)
        return self._spread @ self.time_weight(ages)

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        self._require_fit()
        expected = np.zeros(self.x.size)
        previous = np.zeros(self.x.size)
        for target in range(self._until, self._until + horizon):
            raw = self.map_for(target)
            current = _rescale(raw, self._total) if raw.sum() > 0 else previous
            expected += current
            previous = current
        return self._forecast(expected)
