"""An ensemble of forecasting models weighted by their recent backtest performance.

At each forecast, every member model is refitted at the same ``origins`` past origins before ``until``
(``intervals.origins_before``: each ``step`` bins apart, the latest ending at ``until``) and its forecasts are
compared with what happened. The ensemble's expected count is a convex combination of the members'
expected counts, sum_m w_m mu_m, with weights on the simplex chosen to maximise the pooled Poisson
log-likelihood of those past forecasts (stacking of predictive means under a proper scoring rule; the
objective is concave in w, solved with SLSQP). A member that did badly lately gets little weight; a member
that adds nothing to a better one gets none. The ensemble's intervals are calibrated on the same past
pairs (``intervals.calibrate``) using the combined forecasts (the weights are fitted on those pairs too,
so the calibration is slightly optimistic; the backtest algorithm measures it out of sample).

Only origins at which every member could forecast are used (a member may need more history than another).
With no such origin the weights are equal and the intervals are the uncalibrated 90 % Poisson ones.
``backtest`` keeps each member's metrics per past origin (``metrics.evaluate``) and ``weights`` the result,
so the analyst sees why the ensemble leans the way it does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize

from .baselines import Forecast, _check, _check_horizon
from .errors import BeatCastInputError
from .intervals import TARGET, Calibration, backtest_pairs, calibrate
from .metrics import evaluate

__all__ = ["Ensemble", "stack_weights"]


def stack_weights(expected: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Simplex weights w (one per column of ``expected``, pairs x models) maximising
    sum(y log(E w) - E w) over the pairs. Deterministic."""
    e = np.maximum(np.asarray(expected, dtype=float), 0.0)
    y = np.asarray(observed, dtype=float).ravel()
    if e.ndim != 2 or e.shape[0] != y.size:
        raise BeatCastInputError("stack_weights: expected must be pairs x models, one row per observed value")
    m = e.shape[1]
    if m == 1:
        return np.ones(1)
    scale = max(float(y.sum()), 1.0)

    def loss(w):
        mix = np.maximum(e @ w, 1e-12)
        return -(y @ np.log(mix) - mix.sum()) / scale

    def grad(w):
        mix = np.maximum(e @ w, 1e-12)
        return -(e.T @ (y / mix) - e.sum(axis=0)) / scale

    result = optimize.minimize(
        loss,
        np.full(m, 1.0 / m),
        jac=grad,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * m,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones_like(w)}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    w = np.clip(result.x, 0.0, None)
    w[w < 1e-6] = 0.0
    return w / w.sum() if w.sum() > 0 else np.full(m, 1.0 / m)


class Ensemble:
    """Members weighted by stacking on their recent backtest (see the module docstring)."""

    def __init__(
        self,
        models,
        origins: int = 8,
        target: float = TARGET,
        step: int | None = None,
        area=None,
        name: str = "ensemble",
    ) -> None:
        self.models = list(models)
        if not self.models:
            raise BeatCastInputError("an ensemble needs at least one model")
        names = [m.name for m in self.models]
        if len(set(names)) != len(names):
            raise BeatCastInputError(f"ensemble members must have distinct names, got {names}")
        if origins < 1:
            raise BeatCastInputError(f"ensemble origins must be at least 1, got {origins}")
        self.origins, self.target, self.step = int(origins), float(target), step
        self.area = None if area is None else np.asarray(area, dtype=float)
        self.name = name
        self.weights: dict[str, float] = {}
        self.backtest = pd.DataFrame()
        self.calibration = Calibration(target=target)
        self.member_forecasts: dict[str, np.ndarray] = {}
        self._counts = None
        self._until = 0

    def fit(self, counts, until: int) -> None:
        _check(counts, until)
        self._counts, self._until = counts, until

    def _past(self, horizon: int) -> tuple[list, dict]:
        by_model = {
            m.name: {
                o: (e, y)
                for o, e, y in backtest_pairs(m, self._counts, self._until, horizon, self.origins, self.step)
            }
            for m in self.models
        }
        common = sorted(set.intersection(*(set(d) for d in by_model.values())))
        return common, by_model

    def _record(self, common: list, by_model: dict) -> None:
        area = self.area if self.area is not None else np.ones(self._counts.shape[0])
        rows = []
        for name, pairs in by_model.items():
            for origin in common:
                expected, observed = pairs[origin]
                rows.append({"model": name, "origin": origin, **evaluate(expected, observed, area)})
        self.backtest = pd.DataFrame(rows)

    def predict(self, horizon: int = 1) -> Forecast:
        _check_horizon(horizon)
        if self._counts is None:
            raise BeatCastInputError(f"{self.name}: fit() before predict()")
        common, by_model = self._past(horizon)
        names = [m.name for m in self.models]
        if common:
            stacked = np.column_stack([np.concatenate([by_model[n][o][0] for o in common]) for n in names])
            observed = np.concatenate([by_model[names[0]][o][1] for o in common])
            w = stack_weights(stacked, observed)
            self.calibration = calibrate(stacked @ w, observed, self.target)
            self.calibration.origins = len(common)
        else:
            w = np.full(len(names), 1.0 / len(names))
            self.calibration = Calibration(target=self.target)
        self._record(common, by_model)
        self.weights = dict(zip(names, w.tolist(), strict=True))
        expected = np.zeros(self._counts.shape[0])
        self.member_forecasts = {}
        for model, weight in zip(self.models, w, strict=True):
            model.fit(self._counts, self._until)
            member = model.predict(horizon).expected
            self.member_forecasts[model.name] = member
            expected += weight * member
        lower, upper = self.calibration.interval(expected)
        return Forecast(expected, lower, upper, self.name)
