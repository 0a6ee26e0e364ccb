"""Gradient-boosted Poisson forecasting behind the ``baselines.Model`` interface.

``BoostedPoisson`` learns the expected count of a cell over the next ``horizon`` bins from its own recent
history, its neighbours' recent history, per-cell covariates (e.g. ``covariates.covariate_table``) and
calendar features of the target bin (e.g. ``timecovariates.calendar_features``), with scikit-learn's
``HistGradientBoostingRegressor(loss="poisson")``.

Samples. One sample per (cell i, origin t). Its features use bins < t only:

- ``lag_mean_<w>`` for each window w in ``lags``: mean count of cell i over bins t - w .. t - 1;
- ``nbr_mean_<w>``: the same window's count summed over the cell's neighbours (nonzero entries of the
  ``neighbours`` row), divided by the number of neighbours and the number of bins (NaN for a cell
  without neighbours: the booster treats it as missing);
- ``bins_since_last``: t - s for the last bin s < t with a nonzero count of cell i, capped at max(lags);
- the ``covariates`` columns of cell i (constant over time; infinite values, e.g. ``dist_<layer>`` of an
  empty layer, become NaN);
- the ``calendar`` columns of the first target bin t (a calendar may hold rows beyond the cube: it only
  needs the row of bin ``until`` to forecast from there).

Covariate and calendar columns must be numeric (booleans count as 0/1; missing values are left to the
booster); the identifier columns ``cell_id``, ``bin_label`` and ``bin_start_utc`` are ignored. A column
whose name matches one of ``prohibited`` (case-insensitive, e.g. protected attributes) is refused when the
model is constructed.

When an early origin has fewer than w bins before it, the window is clipped at bin 0 and the mean taken
over the bins that exist. The target of a sample is the count of cell i over bins t .. t + horizon - 1.

Training. ``fit(counts, until)`` keeps a copy of bins < ``until``; the booster is trained lazily by
``predict(horizon)`` (once per horizon, then cached) on the origins t = until - horizon - k for
k = 0 .. ``training_origins`` - 1 with t >= 1, so that every target lies before ``until``: bins >= until
are never read. With more than ``MAX_TRAINING_ROWS`` samples, every sample with a nonzero target is kept
and the zero-target samples are subsampled (seeded) and weighted up by the inverse of their kept share, so
the weighted mean target is unchanged. If every training target is zero, the forecast is zero everywhere.
The forecast is the booster's prediction at origin ``until`` (expected count over the horizon) with the
90 % Poisson interval of ``baselines.poisson_interval``. The booster runs a fixed ``max_iter`` boosting
rounds (no early stopping) with ``random_state=seed``, so the same inputs give the same forecast, whatever
``n_threads`` (OpenMP threads of scikit-learn; None = every core). On a busy machine, ``n_threads=1`` can be
much faster: scikit-learn's threads wait on each other at every split when another process holds a core.

Explanations. ``feature_importance(horizon)`` is scikit-learn's permutation importance (mean increase of
the weighted Poisson deviance when one feature's column is shuffled, 3 repeats) on at most
``MAX_IMPORTANCE_ROWS`` training samples. ``explain(horizon, top)`` is a local *occlusion* attribution, not
SHAP: for each feature, its column at origin ``until`` is replaced by its median over the training samples
for every cell and the forecast recomputed; effect = forecast - occluded forecast (positive: the feature's
value raises this cell's forecast above what a typical value would give). Effects do not add up to the
forecast, and correlated features (e.g. ``lag_mean_13`` and ``lag_mean_52``) can each look small while
jointly mattering.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from scipy import sparse

from . import optional
from .baselines import Forecast, _check, _check_horizon, poisson_interval
from .errors import BeatCastInputError

MAX_TRAINING_ROWS = 400_000
MAX_IMPORTANCE_ROWS = 20_000
IGNORED_COLUMNS = ("cell_id", "bin_label", "bin_start_utc")  # identifiers, not model inputs
__all__ = ["BoostedPoisson", "IGNORED_COLUMNS", "MAX_IMPORTANCE_ROWS", "MAX_TRAINING_ROWS"]


def _whole(value, name: str, minimum: int) -> int:
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= minimum
    if not ok:
        raise BeatCastInputError(f"{name} must be a whole number, at least {minimum}, got {value!r}")
    return int(value)


def _number(value, name: str, positive: bool) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        raise BeatCastInputError(f"{name} must be a {'positive' if positive else 'non-negative'} number")
    return number


def _table(frame, name: str) -> tuple[list[str], np.ndarray]:
    """Column names and a float matrix of a per-cell or per-bin table (identifier columns dropped)."""
    if frame is None:
        return [], np.zeros((0, 0))
    if not isinstance(frame, pd.DataFrame):
        raise BeatCastInputError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    columns = [str(c) for c in frame.columns if str(c) not in IGNORED_COLUMNS]
    data = np.empty((len(frame), len(columns)))
    for k, column in enumerate(columns):
        values = frame[column]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            raise BeatCastInputError(f"{name} column {column!r} is not numeric ({values.dtype})")
        data[:, k] = values.to_numpy(dtype=float, na_value=np.nan)
    data[np.isinf(data)] = np.nan
    return columns, data


def _block(history, start: int, stop: int) -> np.ndarray:
    block = history[:, start:stop]
    return block.toarray() if sparse.issparse(block) else np.asarray(block, dtype=float)


class BoostedPoisson:
    """Poisson gradient boosting on lagged counts, neighbour counts, covariates and calendar (see the
    module docstring)."""

    name = "boosted_poisson"

    def __init__(
        self,
        *,
        neighbours,
        covariates: pd.DataFrame | None = None,
        calendar: pd.DataFrame | None = None,
        lags=(1, 4, 13, 52),
        training_origins: int = 26,
        max_iter: int = 200,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 31,
        min_samples_leaf: int = 50,
        l2_regularization: float = 1.0,
        seed: int = 0,
        prohibited=(),
        n_threads: int | None = None,
    ) -> None:
        if not sparse.issparse(neighbours) or neighbours.shape[0] != neighbours.shape[1]:
            raise BeatCastInputError("neighbours must be a sparse cells x cells matrix (grid.neighbours)")
        self.neighbours = (sparse.csr_matrix(neighbours) != 0).astype(float).tocsr()
        lags = (lags,) if isinstance(lags, numbers.Integral) else tuple(lags)
        self.lags = tuple(_whole(w, "each of lags", 1) for w in lags)
        if not self.lags or len(set(self.lags)) != len(self.lags):
            raise BeatCastInputError(f"lags must be distinct windows in bins (at least one), got {lags!r}")
        self.training_origins = _whole(training_origins, "training_origins", 1)
        self.max_iter = _whole(max_iter, "max_iter", 1)
        self.learning_rate = _number(learning_rate, "learning_rate", positive=True)
        self.max_leaf_nodes = _whole(max_leaf_nodes, "max_leaf_nodes", 2)
        self.min_samples_leaf = _whole(min_samples_leaf, "min_samples_leaf", 1)
        self.l2_regularization = _number(l2_regularization, "l2_regularization", positive=False)
        self.seed = _whole(seed, "seed", 0)
        self.n_threads = None if n_threads is None else _whole(n_threads, "n_threads", 1)
        self.prohibited = (prohibited,) if isinstance(prohibited, str) else tuple(str(p) for p in prohibited)
        self._cov_names, self._cov = _table(covariates, "covariates")
        self._cal_names, self._cal = _table(calendar, "calendar")
        banned = {p.lower() for p in self.prohibited}
        for kind, names in (("covariate", self._cov_names), ("calendar", self._cal_names)):
            for column in names:
                if column.lower() in banned:
                    raise BeatCastInputError(
                        f"{kind} field {column!r} is prohibited as a model input (listed in prohibited): "
                        "drop it from the table"
                    )
        n_cells = self.neighbours.shape[0]
        if covariates is not None and len(self._cov) != n_cells:
            raise BeatCastInputError(
                f"covariates have {len(self._cov)} rows but neighbours has {n_cells} cells: one row per cell"
            )
        self.feature_names = [f"lag_mean_{w}" for w in self.lags] + [f"nbr_mean_{w}" for w in self.lags]
        self.feature_names += ["bins_since_last", *self._cov_names, *self._cal_names]
        seen: set[str] = set()
        for feature in self.feature_names:
            if feature in seen:
                raise BeatCastInputError(f"two model inputs are named {feature!r}: rename a column")
            seen.add(feature)
        degree = np.asarray(self.neighbours.sum(axis=1)).ravel()
        with np.errstate(divide="ignore"):
            self._inv_degree = np.where(degree > 0, 1.0 / degree, np.nan)
        self._history = None
        self._until = 0
        self._fits: dict[int, dict] = {}

    # ---------------------------------------------------------------------------------------- fitting

    def fit(self, counts, until: int) -> None:
        """Keep a copy of bins < ``until`` of the cells x bins ``counts`` (dense or sparse); the booster
        itself is trained by the first ``predict`` of each horizon."""
        _check(counts, until)
        n_cells = self.neighbours.shape[0]
        if counts.shape[0] != n_cells:
            raise BeatCastInputError(f"counts have {counts.shape[0]} cells but neighbours has {n_cells}")
        if until < 2:
            raise BeatCastInputError(
                f"until={until}: too little history, at least 2 bins are needed (one bin of history for "
                "one training origin, and its target)"
            )
        if self._cal_names and len(self._cal) <= until:
            raise BeatCastInputError(
                f"calendar has {len(self._cal)} rows but the forecast from bin {until} needs its row: "
                "give one row per bin, up to and including the first bin forecast"
            )
        if sparse.issparse(counts):
            history = sparse.csr_matrix(counts)[:, :until].astype(float).tocsr()
            values = history.data
        else:
            history = np.array(np.asarray(counts)[:, :until], dtype=float)
            values = history
        if not np.isfinite(values).all() or (values < 0).any():
            raise BeatCastInputError("counts must be finite and non-negative")
        self._history, self._until, self._fits = history, int(until), {}

    def _features(self, block: np.ndarray, start: int, origins: np.ndarray) -> np.ndarray:
        """Rows (origin-major, then cell) of the feature matrix at ``origins``; block holds bins start.."""
        n_cells, n_orig = block.shape[0], len(origins)
        cum = np.zeros((n_cells, block.shape[1] + 1))
        np.cumsum(block, axis=1, out=cum[:, 1:])
        at = origins - start
        columns = []
        nbr = []
        for w in self.lags:
            lo = np.maximum(origins - w, 0)
            sums = np.maximum(cum[:, at] - cum[:, lo - start], 0.0)  # cells x origins
            columns.append(sums / (origins - lo))
            nbr.append((self.neighbours @ sums) * self._inv_degree[:, None] / (origins - lo))
        cap = max(self.lags)
        since = np.full((n_cells, n_orig), float(cap))
        nonzero = block > 0
        for k, t in enumerate(origins):
            first = max(t - cap, start) - start
            window = nonzero[:, first : t - start][:, ::-1]  # most recent bin first
            hit = window.any(axis=1)
            since[hit, k] = window[hit].argmax(axis=1) + 1
        parts = [c.T.reshape(-1, 1) for c in columns + nbr] + [since.T.reshape(-1, 1)]
        if self._cov_names:
            parts.append(np.tile(self._cov, (n_orig, 1)))
        if self._cal_names:
            parts.append(np.repeat(self._cal[origins], n_cells, axis=0))
        return np.hstack(parts)

    def _fitted(self, horizon: int) -> dict:
        """Train (once) the booster for ``horizon``: features, targets, weights and the estimator."""
        _check_horizon(horizon)
        if self._history is None:
            raise BeatCastInputError(f"{self.name}: fit() before predict()")
        if horizon in self._fits:
            return self._fits[horizon]
        until = self._until
        last = until - horizon
        origins = np.arange(max(1, last - self.training_origins + 1), last + 1)
        if origins.size == 0:
            raise BeatCastInputError(
                f"too little history for horizon {horizon}: fitted on {until} bins, but a training origin "
                f"needs at least one bin before it and {horizon} bins after it (until >= horizon + 1)"
            )
        start = max(0, int(origins[0]) - max(self.lags))
        block = _block(self._history, start, until)
        x = self._features(block, start, origins)
        cum = np.concatenate([np.zeros((block.shape[0], 1)), np.cumsum(block, axis=1)], axis=1)
        y = np.maximum(cum[:, origins + horizon - start] - cum[:, origins - start], 0.0).T.ravel()
        weight = np.ones(len(y))
        if len(y) > MAX_TRAINING_ROWS:
            x, y, weight = self._subsample(x, y)
        predict_rows = self._features(block, start, np.array([until]))
        fitted = {"x": x, "y": y, "weight": weight, "x_predict": predict_rows, "estimator": None}
        if y.sum() > 0:
            ensemble = optional.sklearn("ensemble", "The boosted forecasting model")
            estimator = ensemble.HistGradientBoostingRegressor(
                loss="poisson",
                learning_rate=self.learning_rate,
                max_iter=self.max_iter,
                max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf,
                l2_regularization=self.l2_regularization,
                early_stopping=False,
                random_state=self.seed,
            )
            with self._threads():
                fitted["estimator"] = estimator.fit(x, y, sample_weight=weight)
        self._fits[horizon] = fitted
        return fitted

    def _subsample(self, x: np.ndarray, y: np.ndarray):
        """Every nonzero-target row, and a seeded sample of the zero rows weighted by n_zero / n_kept."""
        nonzero = np.flatnonzero(y > 0)
        zero = np.flatnonzero(y <= 0)
        n_keep = min(len(zero), max(MAX_TRAINING_ROWS - len(nonzero), MAX_TRAINING_ROWS // 4))
        kept = np.sort(np.random.default_rng(self.seed).choice(zero, size=n_keep, replace=False))
        rows = np.concatenate([nonzero, kept])
        order = np.argsort(rows, kind="stable")
        weight = np.concatenate([np.ones(len(nonzero)), np.full(n_keep, len(zero) / max(n_keep, 1))])
        rows = rows[order]
        return x[rows], y[rows], weight[order]

    def _threads(self):
        """Cap scikit-learn's OpenMP threads at ``n_threads`` (None: its default, every core)."""
        from threadpoolctl import threadpool_limits  # scikit-learn's dependency, there when it is

        return threadpool_limits(limits=self.n_threads, user_api="openmp")

    def _predict_rows(self, fitted: dict, x: np.ndarray) -> np.ndarray:
        if fitted["estimator"] is None:
            return np.zeros(len(x))
        with self._threads():
            return fitted["estimator"].predict(x)

    # ---------------------------------------------------------------------------------------- outputs

    def predict(self, horizon: int = 1) -> Forecast:
        """Expected count per cell over bins until .. until + horizon - 1, with a 90 % Poisson interval."""
        fitted = self._fitted(horizon)
        expected = self._predict_rows(fitted, fitted["x_predict"])
        lower, upper = poisson_interval(expected)
        return Forecast(expected, lower, upper, self.name)

    def feature_importance(self, horizon: int = 1) -> pd.Series:
        """Permutation importance (increase of the mean Poisson deviance when a feature is shuffled) on at
        most ``MAX_IMPORTANCE_ROWS`` training samples, largest first."""
        fitted = self._fitted(horizon)
        if fitted["estimator"] is None:
            values = np.zeros(len(self.feature_names))
        else:
            x, y, weight = fitted["x"], fitted["y"], fitted["weight"]
            if len(y) > MAX_IMPORTANCE_ROWS:
                rng = np.random.default_rng(self.seed)
                rows = np.sort(rng.choice(len(y), size=MAX_IMPORTANCE_ROWS, replace=False))
                x, y, weight = x[rows], y[rows], weight[rows]
            with self._threads():
                inspection = optional.sklearn("inspection", "The boosted model's feature importance")
                result = inspection.permutation_importance(
                    fitted["estimator"],
                    x,
                    y,
                    scoring="neg_mean_poisson_deviance",
                    n_repeats=3,
                    random_state=self.seed,
                    sample_weight=weight,
                )
            values = result.importances_mean
        series = pd.Series(values, index=self.feature_names, name="importance")
        return series.iloc[np.argsort(-series.to_numpy(), kind="stable")]

    def explain(self, horizon: int = 1, top: int = 3) -> pd.DataFrame:
        """Per cell, the ``top`` features with the largest absolute occlusion effect on its forecast
        (columns feature_1.., effect_1..; see the module docstring: an occlusion attribution, not SHAP)."""
        fitted = self._fitted(horizon)
        n_features = len(self.feature_names)
        if not (isinstance(top, numbers.Integral) and 1 <= top <= n_features):
            raise BeatCastInputError(f"top must be a whole number from 1 to {n_features}, got {top!r}")
        x = fitted["x_predict"]
        base = self._predict_rows(fitted, x)
        with np.errstate(all="ignore"):
            medians = np.array(
                [np.nanmedian(c) if np.isfinite(c).any() else np.nan for c in fitted["x"].T], dtype=float
            )
        effects = np.empty((len(x), n_features))
        for j in range(n_features):
            occluded = x.copy()
            occluded[:, j] = medians[j]
            effects[:, j] = base - self._predict_rows(fitted, occluded)
        rank = np.argsort(-np.abs(effects), axis=1, kind="stable")[:, :top]
        names = np.asarray(self.feature_names, dtype=object)
        out = {f"feature_{k + 1}": names[rank[:, k]] for k in range(top)}
        ranked = np.take_along_axis(effects, rank, axis=1)
        out.update({f"effect_{k + 1}": ranked[:, k] for k in range(top)})
        return pd.DataFrame(out)
