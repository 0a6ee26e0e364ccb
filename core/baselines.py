"""Naive forecasting baselines behind the one small interface every BeatCast model follows.

A model is fitted on a cells x bins count matrix (``Cube.matrix()``, dense or CSR) using only the bins
before ``until``, then predicts the expected count per cell over the next ``horizon`` bins (bins
``until .. until + horizon - 1``). Any real model has to beat these to be worth its complexity:

- ``NaiveRecent(window)``: mean of the last ``window`` bins (1 = last week, 4 = last four weeks) times
  the horizon; fewer bins when fewer exist.
- ``NaiveSeasonal(period)``: for each target bin t, the mean of bins t - period, t - 2 period, ... that
  were seen (e.g. period 52: the same week in every earlier year); summed over the horizon. A target bin
  with no earlier season falls back to the long-run mean.
- ``NaiveLongRun()``: mean of all bins before ``until`` times the horizon (open_cp's "naive counts" when
  fitted on a year).

Intervals are 90 % Poisson intervals of the expected count: ``scipy.stats.poisson.ppf`` at 0.05 and 0.95.
``rolling_backtest`` refits every model for each evaluated bin and scores it with ``core.metrics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from scipy import stats

from .errors import BeatCastInputError
from .metrics import DEFAULT_COVERAGES, evaluate

INTERVAL = (0.05, 0.95)
__all__ = ["Forecast", "Model", "NaiveLongRun", "NaiveRecent", "NaiveSeasonal", "poisson_interval"]
__all__ += ["rolling_backtest"]


@dataclass
class Forecast:
    """Expected count per cell over the horizon, with a 90 % interval, and the model's name."""

    expected: np.ndarray  # (cells,)
    lower: np.ndarray
    upper: np.ndarray
    model: str


class Model(Protocol):
    """What every forecasting model offers: fit on bins < ``until``, then predict the next bins."""

    name: str

    def fit(self, counts: np.ndarray, until: int) -> None: ...

    def predict(self, horizon: int = 1) -> Forecast: ...


def poisson_interval(expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """90 % Poisson interval (quantiles 0.05 and 0.95) of each expected count; 0 where expected is 0."""
    mu = np.maximum(np.asarray(expected, dtype=float), 0.0)
    lower, upper = (np.where(mu > 0, stats.poisson.ppf(q, np.where(mu > 0, mu, 1.0)), 0.0) for q in INTERVAL)
    return lower, upper


def _check(counts, until: int) -> None:
    if getattr(counts, "ndim", 0) != 2:
        raise BeatCastInputError("counts must be a cells x bins matrix")
    if not 1 <= until <= counts.shape[1]:
        raise BeatCastInputError(f"until must be in 1..{counts.shape[1]} (bins to fit on), got {until}")


def _row_sums(counts, start: int, stop: int) -> np.ndarray:
    """Sum per cell of bins start..stop-1, for a dense array or a CSR matrix."""
    return np.asarray(counts[:, start:stop].sum(axis=1), dtype=float).ravel()


def _check_horizon(horizon: int) -> None:
    if horizon < 1:
        raise BeatCastInputError(f"horizon must be at least 1 bin, got {horizon}")


class _Naive:
    name = "naive"

    def __init__(self) -> None:
        self._rate: np.ndarray | None = None

    def _forecast(self, expected: np.ndarray) -> Forecast:
        lower, upper = poisson_interval(expected)
        return Forecast(expected, lower, upper, self.name)

    def _fitted_rate(self) -> np.ndarray:
        if self._rate is None:
            raise BeatCastInputError(f"{self.name}: fit() before predict()")
        return self._rate

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        return self._forecast(self._fitted_rate() * horizon)


class NaiveRecent(_Naive):
    """Mean of the last ``window`` bins before ``until``, times the horizon."""

    def __init__(self, window: int = 1) -> None:
        super().__init__()
        if window < 1:
            raise BeatCastInputError(f"window must be at least 1 bin, got {window}")
        self.window = int(window)
        self.name = f"naive_recent_{self.window}"

    def fit(self, counts, until: int) -> None:
        _check(counts, until)
        start = max(0, until - self.window)
        self._rate = _row_sums(counts, start, until) / (until - start)


class NaiveLongRun(_Naive):
    """Mean of all bins before ``until``, times the horizon."""

    name = "naive_long_run"

    def fit(self, counts, until: int) -> None:
        _check(counts, until)
        self._rate = _row_sums(counts, 0, until) / until


class NaiveSeasonal(_Naive):
    """Same bin one (or more) periods earlier, averaged over the seasons seen before ``until``."""

    def __init__(self, period: int = 52) -> None:
        super().__init__()
        if period < 1:
            raise BeatCastInputError(f"period must be at least 1 bin, got {period}")
        self.period = int(period)
        self.name = f"naive_seasonal_{self.period}"
        self._counts = None
        self._until = 0

    def fit(self, counts, until: int) -> None:
        _check(counts, until)
        self._counts = counts
        self._until = until
        self._rate = _row_sums(counts, 0, until) / until  # fallback for targets with no earlier season

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        fallback = self._fitted_rate()
        expected = np.zeros_like(fallback)
        for target in range(self._until, self._until + horizon):
            # target - period, target - 2 period, ... down to bin 0, keeping only bins seen in fit().
            lags = np.arange(target - self.period, -1, -self.period)
            lags = lags[lags < self._until]
            if lags.size:
                expected += np.asarray(self._counts[:, lags].sum(axis=1), dtype=float).ravel() / lags.size
            else:
                expected += fallback
        return self._forecast(expected)


def rolling_backtest(
    counts,
    models,
    first: int,
    last: int,
    area,
    coverages=DEFAULT_COVERAGES,
) -> pd.DataFrame:
    """One-step-ahead rolling-origin evaluation: for t in first..last (inclusive) fit every model on
    bins < t, predict bin t and score it with ``metrics.evaluate`` (with the 90 % interval).

    Returns one row per model per t: columns "model", "bin", then the metric keys ("hit@5", "pai@5", ...).
    """
    _check(counts, 1)
    if not 1 <= first <= last < counts.shape[1]:
        raise BeatCastInputError(f"need 1 <= first <= last < {counts.shape[1]}, got {first}..{last}")
    rows = []
    for t in range(first, last + 1):
        observed = _row_sums(counts, t, t + 1)
        for model in models:
            model.fit(counts, t)
            forecast = model.predict(1)
            metrics = evaluate(forecast.expected, observed, area, coverages, forecast.lower, forecast.upper)
            rows.append({"model": model.name, "bin": t, **metrics})
    return pd.DataFrame(rows)
