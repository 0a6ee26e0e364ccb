"""Grid self-exciting point process (SEPP, a discrete-time Hawkes process) behind the ``baselines.Model``
interface, fitted by expectation-maximisation: the grid model of Mohler et al. 2015 ("Randomized
controlled field trials of predictive policing", JASA 110(512): 1399-1411) with a spatial triggering
kernel over rings of neighbouring cells.

Counts c[i, t] (cells x bins, dense or CSR, fractional aoristic counts allowed) of the last ``window``
bins before ``until`` (fewer when fewer exist; re-indexed t = 0 .. n - 1, earlier bins are ignored and
the triggering history starts empty). Cell centroids x, y (metres) are given at construction. Intensity:

    lambda[i, t] = mu[i] + theta * sum_j k[i, j] * A[j, t],      A[j, t] = sum_{l >= 1} g(l) c[j, t - l]

- temporal kernel g(l) = (1 - a) a^(l - 1), l >= 1 bins, a = exp(-omega): a geometric lag that sums to
  1, mean lag ``mean_lag_bins`` = 1 / (1 - a). A[:, t] = a A[:, t - 1] + (1 - a) c[:, t - 1] (A[:, 0] = 0)
  and B[j, t] = sum_l g(l) (l - 1) c[j, t - l] = a (B[:, t - 1] + A[:, t - 1]) run as one vector
  recursion over the bins.
- spatial kernel: ring r(i, j) = max(0, ceil(d_ij / w - 1/2)) with d_ij the centroid distance and w
  = ``ring_width`` (default: median nearest-neighbour distance). Ring 0 is the cell itself (and any
  centroid within w / 2), ring r >= 1 holds (r - 1/2) w < d_ij <= (r + 1/2) w; pairs beyond ``max_rings``
  do not trigger. k[i, j] = q_r / n_r(j) with n_r(j) the number of cells in ring r of j and shares
  q_r >= 0 summing to 1, so source j's offspring, theta in total, are spread evenly over each ring
  (a source whose ring r is empty, e.g. an isolated cell, loses that share: the likelihood accounts
  for it).
- mu[i] >= 0: background rate per bin; theta in [0, 0.99]: branching ratio (offspring per incident).

EM (an ECM: each step maximises the expected complete-data log-likelihood Q in some parameters, so the
log-likelihood L = sum(c log lambda) - sum(lambda) over the n fitted bins never decreases):

- E-step: R = c / lambda where c > 0. Background per cell E_i = mu_i sum_t R[i, t]; triggered per ring
  E_r = phi_r sum R * (M_r A) with phi_r = theta q_r and M_r[i, j] = [r(i, j) = r] / n_r(j); total
  T = sum_r E_r; lag excess L1 = sum_r phi_r sum R * (M_r B) (expected sum of l - 1 over triggered).
- M-step for a: maximise L1 log a + T log(1 - a) - sum_r phi_r D_r(a), where D_r(a) = sum over
  sources (j, s) with a non-empty ring r of c[j, s] (1 - a^(n - 1 - s)) is the kernel mass landing inside
  the fitted bins (edge correction at the end of the window). Without that term this is the geometric
  MLE a / (1 - a) = L1 / T; with it, a 1-D search (a logit grid, then bounded Brent), a in
  [1e-6, 1 - 1e-6].
- M-step for the rest, given the new a: mu_i = E_i / n; phi_r = E_r / D_r(a) (when no ring is empty
  this is theta = T / sum c (1 - a^(n - 1 - s)) and q_r = E_r / T); theta = sum phi_r clamped to 0.99.
- Optional ``background_bandwidth``: mu is then smoothed by a Gaussian kernel over centroids (truncated
  at 3 bandwidths, each cell's mass spread with weights summing to 1, so the total is kept; Mohler et al.
  2011 smooth the background the same way). This step is not an EM step: L may then dip.
- Start: mu = half the mean count per cell (1e-6 x the overall mean where a cell has none), theta = 0.5,
  omega = ``omega_init``, q uniform.
- Acceleration (SQUAREM, Varadhan & Roland 2008, Scand. J. Statist. 35: 335-353): EM runs in cycles of
  two steps p0 -> p1 -> p2; with r = p1 - p0, v = p2 - 2 p1 + p0 and alpha = -|r| / |v|, the point
  max(p0 - 2 alpha r + alpha^2 v, p2 / 100) (theta and a clamped; the floor keeps parameters off zero, an
  EM fixed point) replaces p2 when alpha < -1 and its L is higher. ``trace`` holds L after every accepted
  point (non-decreasing), ``iterations`` counts EM steps. Stop when a cycle changes L by <= tol |L| or
  after ``max_iter`` EM steps (rounded up to even).

predict(horizon) runs the mean-field forward recursion from the state after the last fitted bin: for each
target bin lam = mu + theta K A, then A <- a A + (1 - a) lam (expected counts feed back); expected = the
sum of lam over the horizon, with ``baselines.poisson_interval`` intervals. Fit and predict are
deterministic: no randomness, sorted sparse indices. ``simulate`` draws counts from exactly this model.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.spatial import cKDTree

from .baselines import Forecast, _check, _check_horizon, poisson_interval
from .errors import BeatCastInputError
from .spatial_models import TRUNCATE, _coordinates, _positive, _window, _window_counts, distance_pairs

A_BOUNDS = (1e-6, 1.0 - 1e-6)
THETA_MAX = 0.99
__all__ = ["Sepp", "ring_matrices", "simulate"]


def _whole(value, name: str, minimum: int) -> int:
    try:
        whole = not isinstance(value, bool) and float(value).is_integer() and value >= minimum
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise BeatCastInputError(f"{name} must be a whole number, at least {minimum}, got {value!r}")
    return int(value)


def _ring_width(x: np.ndarray, y: np.ndarray, ring_width) -> float:
    if ring_width is not None:
        return _positive(ring_width, "ring_width")
    if x.size < 2:
        return 1.0
    dist, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=2)
    width = float(np.median(dist[:, 1]))
    if width <= 0:
        raise BeatCastInputError("ring_width: cell centroids coincide, give ring_width explicitly")
    return width


def ring_matrices(x, y, ring_width: float, max_rings: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Ring of every triggering pair: a cells x cells CSR matrix (sorted indices) holding r + 1 at
    (i, j) when cell i is in ring r <= max_rings of source j, and n_r(j) as a (max_rings + 1, cells)
    array of ring sizes."""
    n = len(x)
    rows, cols, dist = distance_pairs(x, y, (max_rings + 0.5) * ring_width)
    ring = np.maximum(0, np.ceil(dist / ring_width - 0.5 - 1e-9)).astype(np.int64)
    keep = ring <= max_rings
    rings = sparse.csr_matrix((ring[keep] + 1, (rows[keep], cols[keep])), shape=(n, n))
    rings.sort_indices()
    sizes = np.zeros((max_rings + 1, n))
    np.add.at(sizes, (ring[keep], cols[keep]), 1.0)
    return rings, sizes


def _kernel(rings: sparse.csr_matrix, sizes: np.ndarray, phi: np.ndarray) -> sparse.csr_matrix:
    """K with K[i, j] = phi_r / n_r(j) (theta already folded in)."""
    coo = rings.tocoo()
    ring = coo.data.astype(np.int64) - 1
    out = sparse.csr_matrix((phi[ring] / sizes[ring, coo.col], (coo.row, coo.col)), shape=rings.shape)
    out.sort_indices()
    return out


def _filters(by_bin: np.ndarray, a: float, out: tuple[np.ndarray, np.ndarray] | None = None):
    """A and B (see the module docstring) of a bins x cells block: one pass of vector recursions, written
    into ``out`` (two arrays shaped like by_bin, reused across EM iterations) when given."""
    big_a, big_b = out if out is not None else (np.empty_like(by_bin), np.empty_like(by_bin))
    big_a[0], big_b[0] = 0.0, 0.0
    fresh = (1.0 - a) * by_bin
    for t in range(1, by_bin.shape[0]):
        np.multiply(big_a[t - 1], a, out=big_a[t])
        big_a[t] += fresh[t - 1]
        np.add(big_b[t - 1], big_a[t - 1], out=big_b[t])
        big_b[t] *= a
    return big_a, big_b


def simulate(mu, theta, omega, ring_shares, x, y, n_bins, rng, ring_width=None, max_rings=None):
    """Integer counts (cells x n_bins) drawn from the grid SEPP: Poisson(lambda[:, t]) bin by bin, with
    lambda computed forward from the counts drawn so far. ``ring_shares`` has max_rings + 1 entries."""
    x, y = _coordinates(x, y)
    q = np.asarray(ring_shares, dtype=float).ravel()
    if max_rings is None:
        max_rings = q.size - 1
    max_rings = _whole(max_rings, "max_rings", 0)
    if q.size != max_rings + 1 or (q < 0).any() or not math.isclose(q.sum(), 1.0, rel_tol=1e-9):
        raise BeatCastInputError(f"ring_shares must be {max_rings + 1} non-negative shares summing to 1")
    mu = np.broadcast_to(np.asarray(mu, dtype=float), x.shape)
    if (mu < 0).any() or not np.isfinite(mu).all():
        raise BeatCastInputError("mu must be finite and non-negative, one value per cell")
    if not 0 <= float(theta) < 1:
        raise BeatCastInputError(f"theta must be in [0, 1), got {theta}")
    a = math.exp(-_positive(omega, "omega"))
    rings, sizes = ring_matrices(x, y, _ring_width(x, y, ring_width), max_rings)
    kernel = _kernel(rings, sizes, float(theta) * q)
    counts = np.zeros((x.size, _whole(n_bins, "n_bins", 1)), dtype=np.int64)
    state = np.zeros(x.size)
    for t in range(counts.shape[1]):
        counts[:, t] = rng.poisson(mu + kernel @ state)
        state = a * state + (1.0 - a) * counts[:, t]
    return counts


class Sepp:
    """Grid self-exciting point process fitted by EM (see the module docstring)."""

    def __init__(
        self,
        x,
        y,
        window: int = 365,
        max_rings: int = 2,
        ring_width: float | None = None,
        background_bandwidth: float | None = None,
        omega_init: float = 0.5,
        tol: float = 1e-6,
        max_iter: int = 200,
    ) -> None:
        self.x, self.y = _coordinates(x, y)
        self.window = _window(window)
        self.max_rings = _whole(max_rings, "max_rings", 0)
        self.ring_width = _ring_width(self.x, self.y, ring_width)
        self.background_bandwidth = (
            None if background_bandwidth is None else _positive(background_bandwidth, "background_bandwidth")
        )
        self.omega_init = _positive(omega_init, "omega_init")
        if -math.expm1(-self.omega_init) < A_BOUNDS[0]:
            raise BeatCastInputError(f"omega_init is too small (at least about 1e-6), got {omega_init}")
        self.tol = _positive(tol, "tol")
        self.max_iter = _whole(max_iter, "max_iter", 1)
        self.name = f"sepp_{self.window}"
        self._rings, self._sizes = ring_matrices(self.x, self.y, self.ring_width, self.max_rings)
        self._smoother = self._background_smoother()
        self.mu: np.ndarray | None = None
        self.theta = 0.0
        self.omega = self.omega_init
        self.ring_shares = np.full(self.max_rings + 1, 1.0 / (self.max_rings + 1))
        self.iterations = 0
        self.log_likelihood = 0.0
        self.trace: list[float] = []
        self._kernel: sparse.csr_matrix | None = None
        self._state_last = self._state_next = None

    @property
    def mean_lag_bins(self) -> float:
        """Mean triggering lag 1 / (1 - a) in bins."""
        return 1.0 / -math.expm1(-self.omega)

    def _background_smoother(self) -> sparse.csr_matrix | None:
        if self.background_bandwidth is None:
            return None
        rows, cols, dist = distance_pairs(self.x, self.y, TRUNCATE * self.background_bandwidth)
        weight = np.exp(-0.5 * (dist / self.background_bandwidth) ** 2)
        weight /= np.bincount(cols, weight, minlength=self.x.size)[cols]  # each source's mass sums to 1
        smoother = sparse.csr_matrix((weight, (rows, cols)), shape=(self.x.size, self.x.size))
        smoother.sort_indices()
        return smoother

    def fit(self, counts, until: int) -> None:
        _check(counts, until)
        if counts.shape[0] != self.x.size:
            raise BeatCastInputError(
                f"{self.name}: counts have {counts.shape[0]} cells but {self.x.size} centroids were given"
            )
        self.mu, self._kernel = None, None
        block = _window_counts(counts, max(0, until - self.window), until)
        if not np.isfinite(block).all() or (block < 0).any():
            raise BeatCastInputError(f"{self.name}: counts must be finite and non-negative")
        n_cells, n = block.shape
        n_rings = self.max_rings + 1
        # Incidents (c > 0) and the triggering entries reaching them: point p at (cell[p], time[p]),
        # entry e = (point, active source row, ring, 1 / n_r(source)).
        time, cell = np.nonzero(block.T)  # bin-major: the gathers below then read A bin by bin
        value = block[cell, time]
        active = np.flatnonzero(block.any(axis=1))
        compact = np.full(n_cells, -1, dtype=np.int64)
        compact[active] = np.arange(active.size)
        indptr, indices = self._rings.indptr, self._rings.indices
        lengths = indptr[cell + 1] - indptr[cell]
        point = np.repeat(np.arange(cell.size), lengths)
        entry = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths - indptr[cell], lengths)
        source, ring = indices[entry], self._rings.data[entry].astype(np.int64) - 1
        keep = compact[source] >= 0
        point, source, ring = point[keep], source[keep], ring[keep]
        # gather[p * rings + r, t * active + j] = 1 / n_r(j): (M_r F)[cell[p], time[p]] = gather @ F.ravel()
        gather = sparse.csr_matrix(
            (
                1.0 / self._sizes[ring, source],
                (point * n_rings + ring, time[point] * active.size + compact[source]),
            ),
            shape=(cell.size * n_rings, n * active.size),
        )
        by_bin = np.ascontiguousarray(block[active].T)
        buffers = (np.empty_like(by_bin), np.empty_like(by_bin))
        # sources[r, m]: counts of sources with a non-empty ring r, m bins before the last fitted bin.
        sources = (self._sizes > 0).astype(float) @ block[:, ::-1]
        lag_powers = np.arange(n, dtype=float)

        def per_ring(field: np.ndarray) -> np.ndarray:
            return (gather @ field.ravel()).reshape(cell.size, n_rings)

        def mass(a: float) -> np.ndarray:  # D_r(a)
            return sources @ -np.expm1(lag_powers * math.log(a))

        def evaluate(mu, phi, a):
            big_a, big_b = _filters(by_bin, a, buffers)
            spread_a, spread_b = per_ring(big_a), per_ring(big_b)
            lam = np.maximum(mu[cell] + spread_a @ phi, 1e-300)
            ll = float(value @ np.log(lam) - n * mu.sum() - phi @ mass(a))
            return ll, value / lam, spread_a, spread_b

        def em_step(params, stats):
            mu, phi, a = params
            _, resp, spread_a, spread_b = stats
            background = np.bincount(cell, resp * mu[cell], minlength=n_cells)
            triggered = phi * (resp @ spread_a)
            a = self._update_a(a, float(resp @ (spread_b @ phi)), float(triggered.sum()), phi, sources)
            dmass = mass(a)
            return self._project(
                background / n, np.divide(triggered, dmass, out=np.zeros(n_rings), where=dmass > 0), a
            )

        mu = block.mean(axis=1) * 0.5
        mu = np.where(mu > 0, mu, 1e-6 * block.mean())
        phi = np.full(n_rings, 0.5 / n_rings) if cell.size else np.zeros(n_rings)  # no counts: all zero
        params = self._project(mu, phi, math.exp(-self.omega_init), smooth=False)
        stats = evaluate(*params)
        self.trace = [stats[0]]
        iterations = 0
        while cell.size and iterations < self.max_iter:
            # SQUAREM (Varadhan & Roland 2008): two EM steps, then an extrapolated point kept only when its
            # log-likelihood beats the second step's (so the trace never goes down).
            previous, start = stats[0], params
            first = em_step(params, stats)
            first_stats = evaluate(*first)
            params = em_step(first, first_stats)
            stats = evaluate(*params)
            iterations += 2
            self.trace += [first_stats[0], stats[0]]
            flat = [np.concatenate([p[0], p[1], [p[2]]]) for p in (start, first, params)]
            step, curve = flat[1] - flat[0], flat[2] - 2 * flat[1] + flat[0]
            alpha = -np.linalg.norm(step) / max(np.linalg.norm(curve), 1e-300)
            if alpha < -1:
                # Floor at 1 % of p2: a parameter pushed to zero would stay there (zero is an EM fixed point).
                jump = np.maximum(flat[0] - 2 * alpha * step + alpha**2 * curve, 0.01 * flat[2])
                candidate = self._project(jump[:n_cells], jump[n_cells:-1], float(jump[-1]), smooth=False)
                candidate_stats = evaluate(*candidate)
                if candidate_stats[0] > stats[0]:
                    params, stats = candidate, candidate_stats
                    self.trace.append(stats[0])
            if abs(stats[0] - previous) <= self.tol * abs(previous):
                break
        mu, phi, a = params
        ll = stats[0]
        self._finish(block, by_bin, active, mu, phi, a, ll, iterations)

    def _project(self, mu, phi, a, smooth: bool = True) -> tuple[np.ndarray, np.ndarray, float]:
        """Parameters back into their domain (mu, phi >= 0, theta <= 0.99, a in A_BOUNDS), mu smoothed
        when ``background_bandwidth`` is set and ``smooth``."""
        mu, phi = np.maximum(mu, 0.0), np.maximum(phi, 0.0)
        if phi.sum() > THETA_MAX:
            phi *= THETA_MAX / phi.sum()
        if smooth and self._smoother is not None:
            mu = self._smoother @ mu
        return mu, phi, min(max(a, A_BOUNDS[0]), A_BOUNDS[1])

    @staticmethod
    def _update_a(a: float, lag_excess: float, triggered: float, phi: np.ndarray, sources) -> float:
        """Maximise f(a) = L1 log a + T log(1 - a) - sum_r phi_r D_r(a) over A_BOUNDS (never worse than a)."""
        if triggered <= 0:
            return a
        weights = phi @ sources  # by m = bins before the last fitted bin
        lags = np.arange(weights.size, dtype=float)

        def objective(values):
            values = np.atleast_1d(np.asarray(values, dtype=float))
            powers = -np.expm1(np.log(values)[:, None] * lags[None, :])
            return lag_excess * np.log(values) + triggered * np.log1p(-values) - powers @ weights

        logit = np.linspace(math.log(A_BOUNDS[0] / A_BOUNDS[1]), math.log(A_BOUNDS[1] / A_BOUNDS[0]), 241)
        grid = 1.0 / (1.0 + np.exp(-logit))
        scores = objective(grid)
        best = int(np.argmax(scores))
        low, high = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
        refined = minimize_scalar(
            lambda v: -objective(v)[0], bounds=(low, high), method="bounded", options={"xatol": 1e-12}
        ).x
        candidates = np.array([a, grid[best], min(max(float(refined), A_BOUNDS[0]), A_BOUNDS[1])])
        return float(candidates[int(np.argmax(objective(candidates)))])

    def _finish(self, block, by_bin, active, mu, phi, a, ll, iterations) -> None:
        self.mu = mu
        self.theta = float(phi.sum())
        if self.theta > 0:
            self.ring_shares = phi / self.theta
        self.omega = -math.log(a)
        self.iterations = iterations
        self.log_likelihood = ll
        self._kernel = _kernel(self._rings, self._sizes, phi)
        self._state_last = np.zeros(self.x.size)
        self._state_last[active] = _filters(by_bin, a)[0][-1]
        self._state_next = a * self._state_last + (1.0 - a) * block[:, -1]

    def _require_fit(self) -> None:
        if self.mu is None:
            raise BeatCastInputError(f"{self.name}: fit() before predict()")

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        self._require_fit()
        a = math.exp(-self.omega)
        state = self._state_next.copy()
        expected = np.zeros(self.x.size)
        for _ in range(horizon):
            lam = self.mu + self._kernel @ state
            expected += lam
            state = a * state + (1.0 - a) * lam
        lower, upper = poisson_interval(expected)
        return Forecast(expected, lower, upper, self.name)

    def triggering_share(self) -> np.ndarray:
        """Per cell, the share of lambda in the last fitted bin due to triggering (0 where lambda is 0)."""
        self._require_fit()
        triggered = self._kernel @ self._state_last
        lam = self.mu + triggered
        return np.divide(triggered, lam, out=np.zeros_like(lam), where=lam > 0)

    def background_share(self) -> np.ndarray:
        """Per cell, the share of lambda in the last fitted bin from the background (0 where lambda is 0)."""
        self._require_fit()
        lam = self.mu + self._kernel @ self._state_last
        return np.divide(self.mu, lam, out=np.zeros_like(lam), where=lam > 0)
