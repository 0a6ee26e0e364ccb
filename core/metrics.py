"""Forecast-evaluation metrics of the predictive-policing literature, all vectorised numpy.

Every function takes one value per cell (1-D arrays of equal length): a forecast (any score where higher
means "more crime expected", usually the expected count), the counts observed in the evaluated period, and
the cells' areas (``Grid.area``). Coverage is a fraction of the total area (0.05 = 5 %).

Flagging (``top_cells``)
    Cells are ranked by forecast, highest first; ties are broken by cell index (lower index first), so the
    result never depends on the sort algorithm. Cells are flagged in that order while the area flagged
    *before* the cell is below ``coverage * total area``: the cell that crosses the threshold is included,
    so the flagged area is at least the coverage (and exactly it with equal cells when the coverage is a
    multiple of the cell share). A relative tolerance of 1e-9 of the total area absorbs float rounding of
    the cumulative sum, so 5 cells of 20 equal cells are exactly 25 %.

Metrics, with n = observed incidents in flagged cells, N = all observed incidents, a = flagged area,
A = total area:

- hit rate  H = n / N.
- PAI, Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008, "The utility of hotspot mapping for
  predicting spatial patterns of crime", Security Journal 21):  PAI = (n / N) / (a / A), with a the area
  actually flagged (not the nominal coverage).
- PEI*, Predictive Efficiency Index (Hunt 2016, as used in the NIJ Real-Time Crime Forecasting Challenge
  and by Joshi et al. 2021, "Considerations for developing predictive spatial models of crime and new
  methods for measuring their accuracy", ISPRS Int. J. Geo-Inf. 10): PEI* = n / n*, where n* is the number
  of incidents in the "perfect" selection of the same area: cells ranked by observed density
  (observed / area, ties by index), flagged by the same rule up to the area a actually flagged. Equal
  to PAI / PAI*. With equal cell areas n* is the sum of the k largest observed counts, k = number of
  flagged cells, and 0 <= PEI* <= 1; with unequal areas the greedy density ranking is the standard
  approximation and PEI* may slightly exceed 1.
- RRI, Recapture Rate Index (Levine 2008, "The 'hottest' part of a hotspot: comments on 'The utility of
  hotspot mapping for predicting spatial patterns of crime'", Security Journal 21):
  RRI = (n2 / n1) / (N2 / N1), where the hotspots are the cells flagged by the current forecast, n1 and
  N1 are the "period 1" amounts in the flagged cells and everywhere (``forecast_prev``: the previous
  period's counts or forecast), and n2, N2 the observed ones. RRI > 1: the flagged cells hold a larger
  share of the incidents now than before (hotspots recapture crime); = 1: stable share.
- Poisson log score: mean over cells of log P(k | mu) = k log mu - mu - log Gamma(k + 1), mu = expected
  count clipped at 1e-9 (a proper scoring rule; higher is better). The Gamma form also takes the
  fractional counts of an aoristic cube.
- Interval coverage: share of cells with lower <= observed <= upper (a 90 % interval should cover ~90 %).

A metric that is undefined (no incidents observed, nothing flagged) is NaN rather than an error, so a
rolling backtest over quiet weeks keeps going.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from .errors import BeatCastInputError

DEFAULT_COVERAGES = (0.01, 0.05, 0.10, 0.20)
MIN_EXPECTED = 1e-9
AREA_TOLERANCE = 1e-9
__all__ = ["DEFAULT_COVERAGES", "coverage_label", "evaluate", "hit_rate", "interval_coverage"]
__all__ += ["pai", "pei_star", "poisson_log_score", "rri", "top_cells"]


def _vector(values, name: str, n: int | None = None) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if n is not None and arr.size != n:
        raise BeatCastInputError(f"{name} has {arr.size} values, expected one per cell ({n})")
    if np.isnan(arr).any():
        raise BeatCastInputError(f"{name} contains NaN")
    return arr


def _inputs(forecast, observed, area) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    forecast = _vector(forecast, "forecast")
    return forecast, _vector(observed, "observed", forecast.size), _vector(area, "area", forecast.size)


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else float("nan")


def top_cells(forecast, area, coverage: float) -> np.ndarray:
    """Boolean mask of the highest-forecast cells covering ``coverage`` of the total area.

    Ranking: forecast descending, ties by cell index ascending. A cell is flagged while the area flagged
    before it is below ``coverage * sum(area)`` (within 1e-9 of the total), so the threshold-crossing
    cell is included. ``coverage`` 0 flags nothing, 1 flags everything.
    """
    forecast = _vector(forecast, "forecast")
    area = _vector(area, "area", forecast.size)
    if not 0.0 <= coverage <= 1.0:
        raise BeatCastInputError(f"coverage must be a fraction in [0, 1], got {coverage}")
    if (area < 0).any():
        raise BeatCastInputError("cell areas must not be negative")
    total = area.sum()
    order = np.lexsort((np.arange(forecast.size), -forecast))  # last key is primary
    before = np.cumsum(area[order]) - area[order]
    mask = np.zeros(forecast.size, dtype=bool)
    mask[order[before < coverage * total - AREA_TOLERANCE * total]] = True
    return mask


def hit_rate(forecast, observed, area, coverage: float) -> float:
    """Share of the observed incidents that fall in the flagged cells: n / N (NaN when N = 0)."""
    forecast, observed, area = _inputs(forecast, observed, area)
    flagged = top_cells(forecast, area, coverage)
    return _ratio(observed[flagged].sum(), observed.sum())


def pai(forecast, observed, area, coverage: float) -> float:
    """Predictive Accuracy Index (Chainey et al. 2008): (n / N) / (a / A), a = area actually flagged."""
    forecast, observed, area = _inputs(forecast, observed, area)
    flagged = top_cells(forecast, area, coverage)
    area_share = _ratio(area[flagged].sum(), area.sum())
    return _ratio(_ratio(observed[flagged].sum(), observed.sum()), area_share)


def _perfect_count(observed: np.ndarray, area: np.ndarray, flagged_area: float) -> float:
    """n*: incidents in the same-area selection ranked by observed density (see the module docstring)."""
    total = area.sum()
    if flagged_area <= 0 or total <= 0:
        return 0.0
    density = np.divide(observed, area, out=np.where(observed > 0, np.inf, 0.0), where=area > 0)
    best = top_cells(density, area, min(flagged_area / total, 1.0))
    return float(observed[best].sum())


def pei_star(forecast, observed, area, coverage: float) -> float:
    """PEI* (Hunt 2016; NIJ challenge, Joshi et al. 2021): n / n*, n* = best possible over the same area."""
    forecast, observed, area = _inputs(forecast, observed, area)
    flagged = top_cells(forecast, area, coverage)
    return _ratio(observed[flagged].sum(), _perfect_count(observed, area, area[flagged].sum()))


def rri(forecast_now, forecast_prev, observed, area, coverage: float) -> float:
    """Recapture Rate Index (Levine 2008): (n2 / n1) / (N2 / N1) over the cells flagged by ``forecast_now``.

    n1, N1 come from ``forecast_prev`` (the previous period's counts or forecast), n2, N2 from ``observed``.
    NaN when a denominator is zero.
    """
    forecast_now, observed, area = _inputs(forecast_now, observed, area)
    prev = _vector(forecast_prev, "forecast_prev", forecast_now.size)
    flagged = top_cells(forecast_now, area, coverage)
    return _ratio(_ratio(observed[flagged].sum(), prev[flagged].sum()), _ratio(observed.sum(), prev.sum()))


def poisson_log_score(expected, observed) -> float:
    """Mean Poisson log-likelihood per cell, mean(k log mu - mu - lgamma(k + 1)), mu clipped at 1e-9."""
    mu = np.maximum(_vector(expected, "expected"), MIN_EXPECTED)
    k = _vector(observed, "observed", mu.size)
    if (k < 0).any():
        raise BeatCastInputError("observed counts must not be negative")
    if k.size == 0:
        return float("nan")
    return float(np.mean(k * np.log(mu) - mu - gammaln(k + 1.0)))


def interval_coverage(lower, upper, observed) -> float:
    """Share of cells whose observed count lies within [lower, upper] (bounds included)."""
    lower = _vector(lower, "lower")
    upper = _vector(upper, "upper", lower.size)
    observed = _vector(observed, "observed", lower.size)
    if lower.size == 0:
        return float("nan")
    return float(np.mean((observed >= lower) & (observed <= upper)))


def coverage_label(coverage: float) -> str:
    """Key suffix of a coverage in percent: 0.05 -> "5", 0.1 -> "10", 0.025 -> "2.5"."""
    return f"{round(coverage * 100, 9):g}"


def evaluate(
    forecast,
    observed,
    area,
    coverages=DEFAULT_COVERAGES,
    lower=None,
    upper=None,
    previous=None,
) -> dict:
    """All metrics in one dict.

    Per coverage c (label "5" for 0.05): "hit@5", "pai@5", "pei*@5", "area@5" (area share actually
    flagged) and, when ``previous`` (Levine's period-1 counts) is given, "rri@5". Once: "observed" (N),
    "log_score" (the forecast read as Poisson expected counts) and, when both bounds are given,
    "interval_coverage".
    """
    forecast, observed, area = _inputs(forecast, observed, area)
    total_obs, total_area = observed.sum(), area.sum()
    result: dict = {"observed": float(total_obs)}
    for coverage in coverages:
        label = coverage_label(coverage)
        flagged = top_cells(forecast, area, coverage)
        n, a = observed[flagged].sum(), area[flagged].sum()
        hit = _ratio(n, total_obs)
        result[f"hit@{label}"] = hit
        result[f"area@{label}"] = _ratio(a, total_area)
        result[f"pai@{label}"] = _ratio(hit, _ratio(a, total_area))
        result[f"pei*@{label}"] = _ratio(n, _perfect_count(observed, area, a))
        if previous is not None:
            result[f"rri@{label}"] = rri(forecast, previous, observed, area, coverage)
    result["log_score"] = poisson_log_score(forecast, observed)
    if lower is not None and upper is not None:
        result["interval_coverage"] = interval_coverage(lower, upper, observed)
    return result
