"""Calibrated 90 % forecast intervals for any model, measured on the model's own recent forecasts.

A model's expected counts mu come with a predictive distribution: negative binomial with mean mu and
variance mu + dispersion * mu^2 (Poisson when the dispersion is 0). Crime counts are over-dispersed
(clustered, bursty), so a Poisson interval is too narrow where risk is high.

Counts are integers, and most cells see none in a week: an interval that contains 0 covers every empty
cell, so the plain share of cells with lower <= observed <= upper cannot fall below the share of empty
cells (92 % of St. Louis cell-weeks at 150 m), whatever the model. Calibration is therefore measured the
way count forecasts are assessed (Czado, Gneiting & Held 2009, "Predictive model assessment for count
data", Biometrics 65): by the randomised probability integral transform. For an observed count y the PIT
is uniform on [F(y - 1), F(y)]; the *PIT coverage* of the central 1 - t band is the mean over cells of
the share of that range inside [t/2, 1 - t/2]. It equals 1 - t in expectation when the predictive
distribution is right, whatever the share of zeros, and it is what the interval's tail probability is
tuned on. Reported bounds are the integer quantiles [F^-1(t/2), F^-1(1 - t/2)]; their plain coverage is
reported beside (``metrics.interval_coverage``) and is at least the PIT coverage.

Calibration, on past forecasts: the model is refitted at the last ``origins`` origins before the forecast
origin (each ``step`` bins apart, the most recent ending exactly at the forecast origin: no bin at or after
it is used), each forecast is compared with what happened, and

1. the dispersion is the maximum-likelihood value on those (expected, observed) pairs (``fit_dispersion``,
   searched on a log scale in [1e-4, 100], or 0 when the Poisson fits as well);
2. the tail probability t is found by bisection so that the PIT coverage of those pairs is the target
   (0.90) (``calibrate_tail``): quantile recalibration (Kuleshov, Fenner & Ermon 2018, "Accurate
   uncertainties for deep learning using calibrated regression", ICML), done on counts.

Fractional (aoristic) observed counts are rounded to the nearest whole count for the PIT. With too little
history for any past origin the interval falls back to the uncalibrated 90 % Poisson interval and
``calibrated`` is False.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats
from scipy.special import gammaln

from .baselines import Forecast, _check, _check_horizon, _row_sums
from .errors import BeatCastInputError

TARGET = 0.90
MIN_DISPERSION, MAX_DISPERSION = 1e-4, 100.0
__all__ = ["Calibrated", "Calibration", "backtest_pairs", "calibrate", "calibrate_tail"]
__all__ += ["fit_dispersion", "interval", "origins_before", "pit_coverage"]


def interval(expected, dispersion: float = 0.0, tail: float = 1 - TARGET) -> tuple[np.ndarray, np.ndarray]:
    """Central interval [F^-1(tail/2), F^-1(1 - tail/2)] of the negative binomial (Poisson when
    ``dispersion`` is 0) with mean ``expected``; (0, 0) where the expected count is 0."""
    mu = np.maximum(np.asarray(expected, dtype=float), 0.0)
    dist = _distribution(mu, dispersion)
    lower, upper = (np.where(mu > 0, dist.ppf(q), 0.0) for q in (tail / 2, 1 - tail / 2))
    return lower, upper


def _nb_loglik(mu: np.ndarray, y: np.ndarray, dispersion: float) -> float:
    if dispersion <= 0:
        return float(np.sum(y * np.log(mu) - mu - gammaln(y + 1)))
    size = 1.0 / dispersion
    return float(
        np.sum(
            gammaln(y + size)
            - gammaln(size)
            - gammaln(y + 1)
            + size * np.log(size / (size + mu))
            + y * np.log(mu / (size + mu))
        )
    )


def fit_dispersion(expected, observed) -> float:
    """Maximum-likelihood negative-binomial dispersion of ``observed`` given means ``expected`` (pooled
    over every pair); 0 when no dispersion in [1e-4, 100] beats the Poisson likelihood."""
    mu = np.maximum(np.asarray(expected, dtype=float).ravel(), 1e-9)
    y = np.maximum(np.asarray(observed, dtype=float).ravel(), 0.0)
    if mu.size != y.size:
        raise BeatCastInputError(f"{mu.size} expected counts but {y.size} observed ones")
    if mu.size == 0 or not y.any():
        return 0.0
    result = optimize.minimize_scalar(
        lambda log_d: -_nb_loglik(mu, y, float(np.exp(log_d))),
        bounds=(np.log(MIN_DISPERSION), np.log(MAX_DISPERSION)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    best = float(np.exp(result.x))
    return best if -result.fun > _nb_loglik(mu, y, 0.0) else 0.0


def _distribution(mu: np.ndarray, dispersion: float):
    safe = np.where(mu > 0, mu, 1.0)
    if dispersion > 0:
        size = 1.0 / dispersion
        return stats.nbinom(size, size / (size + safe))
    return stats.poisson(safe)


def pit_coverage(expected, observed, dispersion: float = 0.0, tail: float = 1 - TARGET) -> float:
    """Mean share of each cell's randomised PIT range [F(y - 1), F(y)] inside [tail/2, 1 - tail/2]
    (a cell with expected 0 is a point mass at 0)."""
    mu = np.maximum(np.asarray(expected, dtype=float).ravel(), 0.0)
    y = np.rint(np.maximum(np.asarray(observed, dtype=float).ravel(), 0.0))
    if mu.size == 0:
        return float("nan")
    dist = _distribution(mu, dispersion)
    upper_cdf = np.where(mu > 0, dist.cdf(y), 1.0)
    lower_cdf = np.where(mu > 0, dist.cdf(y - 1), np.where(y > 0, 1.0, 0.0))
    width = upper_cdf - lower_cdf
    inside = np.clip(np.minimum(upper_cdf, 1 - tail / 2) - np.maximum(lower_cdf, tail / 2), 0.0, None)
    share = np.where(width > 1e-12, inside / np.where(width > 1e-12, width, 1.0), 0.0)
    return float(share.mean())


def calibrate_tail(
    expected, observed, dispersion: float = 0.0, target: float = TARGET
) -> tuple[float, float]:
    """Tail probability t in [1e-4, 0.5] whose PIT coverage of the (expected, observed) pairs is
    ``target`` (found by bisection: the PIT coverage falls continuously as t grows), and that coverage."""
    if not 0 < target < 1:
        raise BeatCastInputError(f"target coverage must be between 0 and 1, got {target}")
    mu = np.asarray(expected, dtype=float).ravel()
    y = np.asarray(observed, dtype=float).ravel()
    lo, hi = 1e-4, 0.5
    cov_lo, cov_hi = pit_coverage(mu, y, dispersion, lo), pit_coverage(mu, y, dispersion, hi)
    if cov_lo <= target:
        return lo, cov_lo
    if cov_hi >= target:
        return hi, cov_hi
    for _ in range(40):  # invariant: coverage(lo) > target > coverage(hi)
        mid = 0.5 * (lo + hi)
        cov = pit_coverage(mu, y, dispersion, mid)
        if cov >= target:
            lo, cov_lo = mid, cov
        else:
            hi, cov_hi = mid, cov
    return (lo, cov_lo) if cov_lo - target <= target - cov_hi else (hi, cov_hi)


@dataclass
class Calibration:
    """How a model's intervals were calibrated: the negative-binomial dispersion, the tail probability,
    the PIT coverage it reached on the past pairs, and how many origins and pairs were used."""

    dispersion: float = 0.0
    tail: float = 1 - TARGET
    coverage: float = float("nan")
    origins: int = 0
    pairs: int = 0
    calibrated: bool = False
    target: float = TARGET
    history: list = field(default_factory=list, repr=False)  # [(origin, expected, observed), ...]

    def interval(self, expected) -> tuple[np.ndarray, np.ndarray]:
        return interval(expected, self.dispersion, self.tail)

    def pit_coverage(self, expected, observed) -> float:
        return pit_coverage(expected, observed, self.dispersion, self.tail)


def calibrate(expected, observed, target: float = TARGET) -> Calibration:
    """Dispersion, then the tail that reaches ``target`` coverage, from pooled past forecasts."""
    mu = np.asarray(expected, dtype=float).ravel()
    y = np.asarray(observed, dtype=float).ravel()
    if mu.size == 0:
        return Calibration(target=target)
    dispersion = fit_dispersion(mu, y)
    tail, coverage = calibrate_tail(mu, y, dispersion, target)
    return Calibration(dispersion, tail, coverage, 0, mu.size, True, target)


def origins_before(until: int, horizon: int, origins: int, step: int | None = None, first: int = 1) -> list:
    """Past forecast origins o (oldest first) with o + horizon <= until, the latest o = until - horizon,
    ``step`` bins apart (default: the horizon), none before ``first``."""
    step = horizon if step is None else int(step)
    if step < 1:
        raise BeatCastInputError(f"step must be at least 1 bin, got {step}")
    latest = until - horizon
    return [o for o in range(latest - step * (origins - 1), latest + 1, step) if o >= first]


def backtest_pairs(model, counts, until: int, horizon: int, origins: int, step: int | None = None) -> list:
    """Refit ``model`` at each past origin (``origins_before``) and return [(origin, expected, observed)].
    An origin with too little history for the model (it raises BeatCastInputError) is skipped."""
    out = []
    for origin in origins_before(until, horizon, origins, step):
        try:
            model.fit(counts, origin)
            expected = model.predict(horizon).expected
        except BeatCastInputError:
            continue
        out.append((origin, expected, _row_sums(counts, origin, origin + horizon)))
    return out


class Calibrated:
    """Any model with calibrated intervals: ``predict`` backtests it at ``origins`` past origins, calibrates
    (see the module docstring), refits it on every bin before ``until`` and forecasts. ``calibration``
    holds the result; the expected counts are the wrapped model's own."""

    def __init__(self, model, origins: int = 8, target: float = TARGET, step: int | None = None) -> None:
        if origins < 1:
            raise BeatCastInputError(f"calibration origins must be at least 1, got {origins}")
        self.model = model
        self.origins = int(origins)
        self.target = float(target)
        self.step = step
        self.calibration = Calibration(target=target)
        self._counts = None
        self._until = 0

    @property
    def name(self) -> str:
        return self.model.name

    def fit(self, counts, until: int) -> None:
        _check(counts, until)
        self._counts, self._until = counts, until

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        if self._counts is None:
            raise BeatCastInputError(f"{self.name}: fit() before predict()")
        pairs = backtest_pairs(self.model, self._counts, self._until, horizon, self.origins, self.step)
        if pairs:
            self.calibration = calibrate(
                np.concatenate([p[1] for p in pairs]), np.concatenate([p[2] for p in pairs]), self.target
            )
            self.calibration.origins = len(pairs)
            self.calibration.history = pairs
        else:
            self.calibration = Calibration(target=self.target)
        self.model.fit(self._counts, self._until)
        expected = self.model.predict(horizon).expected
        lower, upper = self.calibration.interval(expected)
        return Forecast(expected, lower, upper, self.name)
