"""Bias audit: who receives the patrol exposure (or flagged area) a forecast leads to, compared with who
lives there and where incidents are reported. Predictive policing can send patrols back to neighbourhoods
over-policed before, because the record it learns from reflects where police looked (Lum & Isaac 2016,
"To predict and serve?", Significance 13(5): 14-19; Ensign et al. 2018, "Runaway feedback loops in
predictive policing", FAT*, PMLR 81: 160-171, simulated in ``core.feedback_loop``).

Inputs: ``cell_exposure`` (per grid cell, >= 0: patrol minutes, flagged m2, ...); ``overlap``, a cells x
areas matrix (dense or scipy sparse) with overlap[c, a] = share of cell c's exposure attributed to area a
(e.g. area of c ∩ a / area of c), >= 0, rows summing to <= 1; ``population_by_group``, a DataFrame of
resident counts >= 0, areas (rows, in overlap column order) x groups (columns). With pop_a = sum_g
pop_{a,g}, P_g = sum_a pop_{a,g}, P = sum_g P_g:

- ``area_exposure``: X_a = sum_c cell_exposure_c * overlap[c, a].
- ``group_exposure``: people in an area share its exposure equally: E_g = sum_a X_a pop_{a,g} / pop_a.
  Areas with pop_a = 0 pass their exposure to nobody (listed in ``attrs["unpopulated_areas"]``, amount in
  ``attrs["unattributed_exposure"]``). Per group: share_population s_g = P_g / P, share_exposure =
  E_g / sum_h E_h, exposure_ratio = share_exposure / s_g (NaN for a group without residents), per_capita =
  E_g / P_g.
- ``disparate_impact``: min_g per_capita_g / max_g per_capita_g over groups with residents (1 when nobody is
  exposed) and the matrix M[g, h] = per_capita_g / per_capita_h. The four-fifths rule (US EEOC Uniform
  Guidelines, 29 CFR 1607.4(D)) flags a ratio below 0.8; exposure is a burden, so the group at the max is
  the disadvantaged one.
- ``gini``: weighted Gini of x_i >= 0 with weights w_i (W = sum w, mu = sum w x / W):
  G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu); 0 when all are equal or mu = 0. Unit weights give the
  population Gini (no n / (n - 1) correction): (0, 1) -> 0.5. Computed from the sorted values as
  sum_j w_j (x_j W_<j - S_<j) / (W^2 mu), W_<j and S_<j the sums of w and w x before j. ``audit`` applies it
  to the exposure per capita of the areas with residents, weighted by their population.
- ``audit``: per area population, exposure, their shares, the shares of incidents and enforcement (e.g.
  arrests) when given, exposure_per_capita = X_a / pop_a, ratio_exposure_to_population = share_exposure /
  share_population, ratio_exposure_to_incidents = share_exposure / share_incidents; the ``group_exposure``
  table; disparate impact, Gini and worst_exposure_ratio = max_g exposure_ratio. Flagged (thresholds
  default to the module constants): a group or area whose exposure ratio exceeds ``exposure_ratio_max``
  (1.25), an area whose exposure share exceeds its incident share by that factor, disparate impact below
  ``disparate_impact_min`` (0.8), exposure falling where nobody lives.
- ``proxy_check``: does a model feature carry group membership under another name? Per (feature, group),
  over the units where both are finite: Pearson and Spearman correlation, and the mutual information I
  (nats) of ``sklearn.feature_selection.mutual_info_regression`` (the k-nearest-neighbour estimator of
  Kraskov et al. 2004 / Ross 2014, n_neighbors=3, random_state=seed) read on a correlation scale as
  Linfoot's (1957) informational coefficient of correlation r_I = sqrt(1 - exp(-2 I)). MI is estimated on
  the ordinal ranks of both variables (ties broken at random, seeded): MI is invariant to monotone
  transforms, and the estimator is far less biased on uniform margins than on skewed ones. Significance:
  Spearman's p from scipy.stats.spearmanr; MI's by permutation: on ranks both variables are permutations of
  the n units, so one null of ``permutations`` (1999) shuffled pairs serves every pair with n units,
  p = (1 + #{null >= I}) / (1 + permutations). A pair is flagged when |Spearman| > ``proxy_correlation_max``
  (0.5) or r_I > ``proxy_information_max`` (0.5), each only when its p passes Benjamini-Hochberg at alpha
  (0.05) over every test of the table: with many features and groups, chance alone would otherwise flag a
  few (r_I of independent variables reaches 0.5 in 5 % of samples of 60 units). Pairs with 4 units or
  fewer get NaN.
  The unit matters. Group counts are known per census area, so group shares are constant inside an area
  and every location-bearing feature of a cell "predicts" them through the area it lies in: at the cell
  level the kNN estimator credits that step function with information (on the demo city every feature
  had I > 0.1 nats). The audit therefore runs the check on areas: ``area_means`` gives each feature's
  overlap-weighted mean over an area's cells, ``area_group_shares`` each group's share of the area's
  residents. ``cell_group_shares`` gives the group shares per cell: sum_a overlap[c, a] pop_{a,g} / pop_a
  normalised over g (NaN: reaches nobody).
- ``exposure_cap_constraints``: rows for ``core.patrol.select_zones(extra_constraints=...)`` keeping every
  group's exposure ratio <= cap. A selected zone i spreads its exposure v_i (``value_per_zone``, default 1,
  e.g. one dwell) equally over its cells C_i, so group g receives
  e_{i,g} = v_i / |C_i| * sum_{c in C_i} sum_a overlap[c, a] pop_{a,g} / pop_a and residents t_i =
  sum_g e_{i,g} (single-cell zones, v = 1: the share of the zone's exposure reaching g). With z binary,
  E_g(z) = sum_i z_i e_{i,g}, E(z) = sum_i z_i t_i and "E_g / E <= cap * s_g" is linear:
  sum_i z_i (e_{i,g} - cap s_g t_i) <= 0, one row per group with residents; zones with t_i = 0 are free.
  cap must be >= 1: sum_g s_g ratio_g = 1, so a cap below 1 admits only selections reaching nobody.

Everything is deterministic (the MI estimator's jitter is seeded).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import spearmanr

from . import optional
from .errors import BeatCastInputError
from .hotspots import fdr_cutoff

EXPOSURE_RATIO_MAX = 1.25
DISPARATE_IMPACT_MIN = 0.8  # the four-fifths rule
PROXY_CORRELATION_MAX = 0.5
PROXY_INFORMATION_MAX = 0.5  # informational correlation, on the scale of PROXY_CORRELATION_MAX
PROXY_PERMUTATIONS = 1999
PROXY_ALPHA = 0.05
PROXY_STATISTICS = ("pearson", "spearman", "p_spearman", "mutual_info", "information_r", "p_mutual_info")
DEFAULT_THRESHOLDS = {
    "exposure_ratio_max": EXPOSURE_RATIO_MAX,
    "disparate_impact_min": DISPARATE_IMPACT_MIN,
    "proxy_correlation_max": PROXY_CORRELATION_MAX,
    "proxy_information_max": PROXY_INFORMATION_MAX,
}
ROW_SUM_TOLERANCE = 1e-9
MI_NEIGHBOURS = 3
__all__ = [
    "DEFAULT_THRESHOLDS",
    "DISPARATE_IMPACT_MIN",
    "EXPOSURE_RATIO_MAX",
    "PROXY_CORRELATION_MAX",
    "PROXY_INFORMATION_MAX",
    "AuditResult",
    "area_exposure",
    "area_group_shares",
    "area_means",
    "audit",
    "cell_group_shares",
    "disparate_impact",
    "exposure_cap_constraints",
    "gini",
    "group_exposure",
    "information_correlation",
    "proxy_check",
    "resolve_thresholds",
]


def _vector(values, name: str, size: int | None = None, what: str = "cells") -> np.ndarray:
    try:
        out = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be numbers") from None
    if size is not None and out.size != size:
        raise BeatCastInputError(f"{name} has {out.size} values for {size} {what}")
    if not np.isfinite(out).all() or (out < 0).any():
        raise BeatCastInputError(f"{name} must be finite numbers >= 0")
    return out


def _overlap(overlap):
    if sparse.issparse(overlap):
        out = sparse.csr_matrix(overlap, dtype=float)
        data = out.data
    else:
        try:
            out = np.asarray(overlap, dtype=float)
        except (TypeError, ValueError):
            raise BeatCastInputError("overlap must be a cells x areas matrix of numbers") from None
        data = out
    if out.ndim != 2:
        raise BeatCastInputError(f"overlap must be a cells x areas matrix, got shape {out.shape}")
    if not np.isfinite(data).all() or (data < 0).any():
        raise BeatCastInputError("overlap must be finite shares >= 0")
    rows = np.asarray(out.sum(axis=1)).ravel()
    bad = np.flatnonzero(rows > 1 + ROW_SUM_TOLERANCE)
    if bad.size:
        raise BeatCastInputError(
            f"overlap rows must sum to at most 1 (a cell's exposure shared among areas): row {bad[0]} "
            f"sums to {rows[bad[0]]:.6g} ({bad.size} rows above 1)"
        )
    return out


def _population(population_by_group, areas: int | None = None) -> pd.DataFrame:
    if not isinstance(population_by_group, pd.DataFrame):
        raise BeatCastInputError("population_by_group must be a DataFrame: areas (rows) x groups (columns)")
    if population_by_group.shape[1] == 0:
        raise BeatCastInputError("population_by_group has no group columns")
    try:
        pop = population_by_group.astype(float)
    except (TypeError, ValueError):
        raise BeatCastInputError("population_by_group must hold resident counts (numbers)") from None
    if areas is not None and len(pop) != areas:
        raise BeatCastInputError(
            f"population_by_group has {len(pop)} areas (rows); overlap has {areas} columns"
        )
    values = pop.to_numpy()
    if not np.isfinite(values).all() or (values < 0).any():
        bad = [str(c) for c in pop.columns if not (np.isfinite(pop[c]).all() and (pop[c] >= 0).all())]
        raise BeatCastInputError(f"population_by_group must be counts >= 0; check columns {bad}")
    if values.sum() <= 0:
        raise BeatCastInputError("population_by_group has no residents at all")
    pop.columns = [str(c) for c in pop.columns]
    return pop


def _reach(pop: pd.DataFrame) -> np.ndarray:
    """areas x groups: pop_{a,g} / pop_a (rows of zeros for areas without residents)."""
    values = pop.to_numpy()
    total = values.sum(axis=1, keepdims=True)
    return np.divide(values, total, out=np.zeros_like(values), where=total > 0)


def resolve_thresholds(thresholds=None) -> dict[str, float]:
    """``DEFAULT_THRESHOLDS`` updated with ``thresholds`` (unknown keys and bad numbers are refused)."""
    out = dict(DEFAULT_THRESHOLDS)
    for key, value in (thresholds or {}).items():
        if key not in out:
            raise BeatCastInputError(f"thresholds: unknown key {key!r}; expected one of {sorted(out)}")
        out[key] = threshold_number(key, value)
    return out


def threshold_number(key: str, value) -> float:
    """``value`` as a finite float >= 0, or BeatCastInputError naming ``thresholds[key]``."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"thresholds[{key}] must be a number, got {value!r}") from None
    if not math.isfinite(value) or value < 0:
        raise BeatCastInputError(f"thresholds[{key}] must be a number >= 0, got {value}")
    return value


def area_exposure(cell_exposure, overlap) -> np.ndarray:
    """Exposure per area: X_a = sum_c cell_exposure_c * overlap[c, a]."""
    overlap = _overlap(overlap)
    exposure = _vector(cell_exposure, "cell_exposure", overlap.shape[0])
    return np.asarray(overlap.T @ exposure, dtype=float).ravel()


def group_exposure(area_exposure, population_by_group) -> pd.DataFrame:
    """Per group (index "group"): population, share_population, exposure, share_exposure, exposure_ratio,
    per_capita (module docstring). ``attrs``: unpopulated_areas (labels of areas with exposure but no
    residents) and unattributed_exposure (their exposure)."""
    pop = _population(population_by_group)
    x = _vector(area_exposure, "area_exposure", len(pop), "areas")
    reach = _reach(pop)
    exposure = x @ reach
    people = pop.to_numpy().sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_pop = people / people.sum()
        share_exp = exposure / exposure.sum() if exposure.sum() > 0 else np.zeros_like(exposure)
        ratio = np.where(people > 0, share_exp / share_pop, np.nan)
        per_capita = np.where(people > 0, exposure / people, np.nan)
    out = pd.DataFrame(
        {
            "population": people,
            "share_population": share_pop,
            "exposure": exposure,
            "share_exposure": share_exp,
            "exposure_ratio": ratio,
            "per_capita": per_capita,
        },
        index=pd.Index(pop.columns, name="group"),
    )
    empty = (pop.to_numpy().sum(axis=1) == 0) & (x > 0)
    out.attrs["unpopulated_areas"] = list(pop.index[empty])
    out.attrs["unattributed_exposure"] = float(x[empty].sum())
    return out


def disparate_impact(per_capita) -> tuple[float, pd.DataFrame]:
    """(min / max of per-capita exposure over groups with a finite value, pairwise matrix
    M[g, h] = per_capita_g / per_capita_h). 1.0 when no group is exposed."""
    series = per_capita if isinstance(per_capita, pd.Series) else pd.Series(np.asarray(per_capita, float))
    series = series.astype(float).dropna()
    if series.empty:
        raise BeatCastInputError("per_capita has no finite values (no group has residents)")
    if (series < 0).any() or not np.isfinite(series).all():
        raise BeatCastInputError("per_capita must be finite numbers >= 0")
    values = series.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        matrix = pd.DataFrame(values[:, None] / values[None, :], index=series.index, columns=series.index)
    top = values.max()
    return (float(values.min() / top) if top > 0 else 1.0), matrix


def gini(values, weights=None) -> float:
    """Weighted Gini coefficient (module docstring); entries with weight 0 are ignored."""
    x = _vector(values, "values")
    w = np.ones_like(x) if weights is None else _vector(weights, "weights", x.size, "values")
    keep = w > 0
    x, w = x[keep], w[keep]
    total_w = w.sum()
    if total_w <= 0 or (w * x).sum() <= 0:
        return 0.0
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    w_before = np.cumsum(w) - w
    s_before = np.cumsum(w * x) - w * x
    mu = (w * x).sum() / total_w
    return float(max(0.0, (w * (x * w_before - s_before)).sum() / (total_w**2 * mu)))


def _by_area(values, name: str, index: pd.Index) -> np.ndarray:
    if isinstance(values, pd.Series):
        missing = index.difference(values.index)
        if len(missing):
            raise BeatCastInputError(f"{name} has no value for areas {list(missing[:10])}")
        values = values.reindex(index)
    return _vector(values, name, len(index), "areas")


@dataclass(frozen=True, eq=False)
class AuditResult:
    """Result of ``audit``: ``areas`` and ``groups`` tables (module docstring), ``disparate_impact`` (min /
    max per-capita exposure), ``disparate_impact_matrix``, ``gini`` (of area exposure per capita, weighted
    by population), ``worst_exposure_ratio`` (max over groups), ``flags`` (readable findings),
    ``thresholds`` (the values used) and ``unpopulated_areas`` (areas with exposure but no residents)."""

    areas: pd.DataFrame
    groups: pd.DataFrame
    disparate_impact: float
    disparate_impact_matrix: pd.DataFrame
    gini: float
    worst_exposure_ratio: float
    flags: list[str]
    thresholds: dict[str, float]
    unpopulated_areas: list = field(default_factory=list)


def _share(values: np.ndarray) -> np.ndarray:
    total = values.sum()
    return values / total if total > 0 else np.zeros_like(values)


def _list(labels, limit: int = 10) -> str:
    labels = [str(v) for v in labels]
    return ", ".join(labels[:limit]) + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def audit(
    cell_exposure,
    overlap,
    population_by_group,
    incidents_by_area=None,
    enforcement_by_area=None,
    thresholds=None,
) -> AuditResult:
    """Compare exposure with population (and incidents) per area and per group (module docstring).

    ``incidents_by_area`` / ``enforcement_by_area``: counts per area (array in area order, or a Series
    indexed like ``population_by_group``)."""
    limits = resolve_thresholds(thresholds)
    ov = _overlap(overlap)
    pop = _population(population_by_group, ov.shape[1])
    x = area_exposure(cell_exposure, ov)
    people = pop.to_numpy().sum(axis=1)
    index = pop.index.copy()
    index.name = index.name or "area"
    cols = {"population": people, "share_population": _share(people)}
    cols.update({"exposure": x, "share_exposure": _share(x)})
    for name, values in (("incidents", incidents_by_area), ("enforcement", enforcement_by_area)):
        if values is not None:
            cols[f"share_{name}"] = _share(_by_area(values, f"{name}_by_area", pop.index))
    areas = pd.DataFrame(cols, index=index)
    with np.errstate(divide="ignore", invalid="ignore"):
        areas["exposure_per_capita"] = np.where(people > 0, x / people, np.nan)
        areas["ratio_exposure_to_population"] = areas["share_exposure"] / areas["share_population"]
        if "share_incidents" in areas:
            areas["ratio_exposure_to_incidents"] = areas["share_exposure"] / areas["share_incidents"]
    top = limits["exposure_ratio_max"]
    notes = []
    for _, row in areas.iterrows():
        note = []
        if row["population"] == 0 and row["exposure"] > 0:
            note.append("exposure but no residents")
        elif row["ratio_exposure_to_population"] > top:
            note.append(f"exposure share {row['ratio_exposure_to_population']:.2f} x population share")
        to_incidents = row.get("ratio_exposure_to_incidents", 0.0)
        if to_incidents == math.inf:
            note.append("exposure but no incidents")
        elif to_incidents > top:
            note.append(f"exposure share {to_incidents:.2f} x incident share")
        notes.append("; ".join(note))
    areas["flag"] = notes

    groups = group_exposure(x, pop)
    unpopulated = groups.attrs["unpopulated_areas"]
    groups["flag"] = [
        f"exposure ratio {r:.2f} above {top:g}" if r > top else "" for r in groups["exposure_ratio"]
    ]
    di, matrix = disparate_impact(groups["per_capita"])
    lived = people > 0
    g = gini(x[lived] / people[lived], people[lived])
    worst = float(np.nanmax(groups["exposure_ratio"])) if groups["exposure_ratio"].notna().any() else math.nan

    flags = [f"group {name}: {text}" for name, text in groups["flag"].items() if text]
    if di < limits["disparate_impact_min"]:
        pc = groups["per_capita"].dropna()
        flags.append(
            f"disparate impact {di:.2f} below {limits['disparate_impact_min']:g}: per-capita exposure of "
            f"{pc.idxmin()} is {pc.min():.4g}, of {pc.idxmax()} {pc.max():.4g}"
        )
    over = areas.index[areas["population"].gt(0) & areas["ratio_exposure_to_population"].gt(top)]
    if len(over):
        flags.append(
            f"{len(over)} areas get more than {top:g} x their population share of exposure: {_list(over)}"
        )
    if "ratio_exposure_to_incidents" in areas:
        over = areas.index[areas["ratio_exposure_to_incidents"].gt(top)]
        if len(over):
            flags.append(
                f"{len(over)} areas get more than {top:g} x their incident share of exposure: {_list(over)}"
            )
    if unpopulated:
        lost = groups.attrs["unattributed_exposure"] / x.sum()
        flags.append(
            f"{len(unpopulated)} areas with exposure have no residents ({lost:.1%} of the exposure reaches "
            f"no group): {_list(unpopulated)}"
        )
    return AuditResult(areas, groups, di, matrix, g, worst, flags, limits, unpopulated)


def cell_group_shares(overlap, population_by_group) -> pd.DataFrame:
    """cells x groups: share of each cell's attributed exposure reaching each group (NaN rows for cells
    reaching no residents), the ``group_share`` input of ``proxy_check``."""
    ov = _overlap(overlap)
    pop = _population(population_by_group, ov.shape[1])
    reach = np.asarray(ov @ _reach(pop), dtype=float)
    total = reach.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, reach / total, np.nan)
    return pd.DataFrame(share, columns=pop.columns)


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    den = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / den) if den > 0 else math.nan


def area_means(cell_values, overlap) -> pd.DataFrame:
    """areas x columns: the overlap-weighted mean of each cell column over each area's cells,
    f_a = sum_c overlap[c, a] f_c / sum_c overlap[c, a], NaN cells left out (NaN: no finite cell)."""
    ov = _overlap(overlap)
    if not isinstance(cell_values, pd.DataFrame) or len(cell_values) != ov.shape[0]:
        raise BeatCastInputError(f"cell_values must be a DataFrame with one row per cell ({ov.shape[0]})")
    values = cell_values.astype(float).to_numpy()
    finite = np.isfinite(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        sums = np.asarray(ov.T @ np.where(finite, values, 0.0))
        weights = np.asarray(ov.T @ finite.astype(float))
        means = np.where(weights > 0, sums / weights, np.nan)
    return pd.DataFrame(means, columns=cell_values.columns)


def area_group_shares(population_by_group) -> pd.DataFrame:
    """areas x groups: each group's share of the area's residents (NaN where nobody lives)."""
    pop = _population(population_by_group)
    total = pop.sum(axis=1).to_numpy()[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(np.where(total > 0, pop.to_numpy() / total, np.nan), columns=pop.columns)


def information_correlation(mutual_info) -> np.ndarray:
    """Linfoot's informational coefficient of correlation r_I = sqrt(1 - exp(-2 I)) of a mutual information
    I in nats: |Pearson| for a bivariate normal, 0 for independence, on a scale comparable with a
    correlation whatever the dependence's shape."""
    mi = np.maximum(np.asarray(mutual_info, dtype=float), 0.0)
    return np.sqrt(1.0 - np.exp(-2.0 * mi))


def proxy_check(
    features,
    group_share,
    threshold_corr=PROXY_CORRELATION_MAX,
    threshold_information=PROXY_INFORMATION_MAX,
    permutations: int = PROXY_PERMUTATIONS,
    alpha: float = PROXY_ALPHA,
    seed=0,
) -> pd.DataFrame:
    """One row per (feature, group) over the units (rows: areas, or cells) where both are finite: n,
    pearson, spearman, p_spearman, mutual_info (nats), information_r, p_mutual_info, flag (reason text, ""
    when not flagged); sorted by information_r, highest first (module docstring)."""
    for name, frame in (("features", features), ("group_share", group_share)):
        if not isinstance(frame, pd.DataFrame) or frame.shape[1] == 0:
            raise BeatCastInputError(f"{name} must be a DataFrame with one row per unit and named columns")
    if len(features) != len(group_share):
        raise BeatCastInputError(f"features has {len(features)} rows but group_share has {len(group_share)}")
    limits = resolve_thresholds(
        {"proxy_correlation_max": threshold_corr, "proxy_information_max": threshold_information}
    )
    if not (isinstance(permutations, (int, np.integer)) and permutations >= 99):
        raise BeatCastInputError(f"permutations must be a whole number >= 99, got {permutations!r}")
    try:
        feats = features.astype(float).to_numpy()
        shares = group_share.astype(float).to_numpy()
    except (TypeError, ValueError):
        raise BeatCastInputError("features and group_share must be numeric columns") from None
    rng = np.random.default_rng(seed)
    nulls: dict[int, np.ndarray] = {}
    rows = []
    for j, feature in enumerate(features.columns):
        for k, group in enumerate(group_share.columns):
            ok = np.isfinite(feats[:, j]) & np.isfinite(shares[:, k])
            row = {"feature": str(feature), "group": str(group), "n": int(ok.sum()), "flag": ""}
            row.update({c: math.nan for c in PROXY_STATISTICS})
            rows.append(row)
            n = row["n"]
            if n <= MI_NEIGHBOURS + 1:  # too few units for the estimators: NaN, not flagged
                continue
            a, b = feats[ok, j], shares[ok, k]
            if n not in nulls:
                nulls[n] = _null_information(n, permutations, rng, seed)
            row.update(_proxy_pair(a, b, nulls[n], rng, seed))
    out = pd.DataFrame(rows, columns=["feature", "group", "n", *PROXY_STATISTICS, "flag"])
    _flag_proxies(out, limits["proxy_correlation_max"], limits["proxy_information_max"], alpha)
    out = out.sort_values("information_r", ascending=False, kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _mutual_info():
    module = optional.sklearn("feature_selection", "The proxy check's mutual information")
    return module.mutual_info_regression


def _ordinal_ranks(values: np.ndarray, rng) -> np.ndarray:
    """0..n-1 ranks with ties broken at random (seeded): every variable becomes a permutation of 0..n-1."""
    jitter = rng.permutation(values.size)
    return np.lexsort((jitter, values)).argsort().astype(float)


def _null_information(n: int, permutations: int, rng, seed) -> np.ndarray:
    """Sorted MI estimates of ``permutations`` independent pairs of rankings of n units. On ordinal ranks
    both variables are permutations of 0..n-1, so this null serves every pair with n units."""
    shuffled = np.column_stack([rng.permutation(n) for _ in range(permutations)]).astype(float)
    null = _mutual_info()(shuffled, np.arange(n, dtype=float), n_neighbors=MI_NEIGHBOURS, random_state=seed)
    return np.sort(null)


def _proxy_pair(a: np.ndarray, b: np.ndarray, null: np.ndarray, rng, seed) -> dict:
    ranked_a, ranked_b = _ordinal_ranks(a, rng), _ordinal_ranks(b, rng)
    mi = float(_mutual_info()(ranked_b[:, None], ranked_a, n_neighbors=MI_NEIGHBOURS, random_state=seed)[0])
    exceed = null.size - np.searchsorted(null, mi - 1e-12, side="left")
    spearman, p_spearman = spearmanr(a, b)
    return {
        "pearson": _pearson(a, b),
        "spearman": float(spearman),
        "p_spearman": float(p_spearman) if np.isfinite(p_spearman) else 1.0,
        "mutual_info": mi,
        "information_r": float(information_correlation(mi)),
        "p_mutual_info": float((1 + exceed) / (1 + null.size)),
    }


def _flag_proxies(table: pd.DataFrame, t_corr: float, t_info: float, alpha: float) -> None:
    """Sets ``flag``: strength above its threshold and significant after Benjamini-Hochberg over every test
    of the table (both statistics of every pair)."""
    p = np.concatenate([table["p_spearman"].to_numpy(float), table["p_mutual_info"].to_numpy(float)])
    tested = np.isfinite(p)
    cutoff = fdr_cutoff(p[tested], alpha) if tested.any() else -1.0
    flags = []
    for row in table.itertuples():
        reasons = []
        if abs(row.spearman) > t_corr and row.p_spearman <= cutoff:
            reasons.append(f"|Spearman| {abs(row.spearman):.2f} above {t_corr:g} (p={row.p_spearman:.2g})")
        if row.information_r > t_info and row.p_mutual_info <= cutoff:
            reasons.append(
                f"informational correlation {row.information_r:.2f} above {t_info:g} "
                f"(mutual information {row.mutual_info:.3f} nats, p={row.p_mutual_info:.2g})"
            )
        flags.append("; ".join(reasons))
    table["flag"] = flags


def _zone_matrix(zone_cells, cells: int) -> sparse.csr_matrix:
    """zones x cells matrix spreading each zone's exposure equally over its cells (rows sum to 1)."""
    rows, cols = [np.zeros(0, int)], [np.zeros(0, int)]
    for i, members in enumerate(zone_cells):
        idx = np.atleast_1d(np.asarray(members)).ravel()
        if idx.size and (not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= cells):
            raise BeatCastInputError(f"zone_cells[{i}] must be cell indices in 0..{cells - 1}")
        rows.append(np.full(idx.size, i)), cols.append(idx)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    member = sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(len(zone_cells), cells))
    member.data[:] = 1.0  # a cell listed twice counts once
    size = np.asarray(member.sum(axis=1)).ravel()
    if (size == 0).any():
        raise BeatCastInputError(f"zone_cells: zones {np.flatnonzero(size == 0)[:10].tolist()} have no cells")
    return sparse.diags(1.0 / size) @ member


def exposure_cap_constraints(
    zone_cells, overlap, population_by_group, cap, value_per_zone=None
) -> list[tuple]:
    """Rows ``(A, None, 0.0, name)`` for ``select_zones(extra_constraints=...)`` keeping each group's
    exposure ratio <= ``cap`` (module docstring). ``zone_cells``: per zone, the indices of its cells;
    ``value_per_zone``: exposure of a selected zone (default 1 each)."""
    try:
        cap = float(cap)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"cap must be a number, got {cap!r}") from None
    if not math.isfinite(cap) or cap < 1:
        raise BeatCastInputError(
            f"cap must be a number >= 1 (exposure ratios average 1 over the population), got {cap}"
        )
    ov = _overlap(overlap)
    pop = _population(population_by_group, ov.shape[1])
    member = _zone_matrix(zone_cells, ov.shape[0])
    n = member.shape[0]
    v = np.ones(n) if value_per_zone is None else _vector(value_per_zone, "value_per_zone", n, "zones")
    e = v[:, None] * np.asarray(member @ (ov @ _reach(pop)), dtype=float)  # zones x groups
    t = e.sum(axis=1)
    people = pop.to_numpy().sum(axis=0)
    s = people / people.sum()
    return [
        ((e[:, k] - cap * s[k] * t)[None, :], None, 0.0, f"exposure cap {cap:g} for group {group}")
        for k, group in enumerate(pop.columns)
        if people[k] > 0
    ]
