"""The space-time cube: incident counts per category, per cell, per time bin.

Forecasting, hotspot statistics, drift monitoring and the audit all start from these counts, so incidents
are read once. The grid is another module's business: the cube gets each incident's cell index (-1 when
the incident lies in no cell) and the cells' ids, and never sees geometry.

Counts are aoristic by default (Ratcliffe's aoristic analysis): an incident known only to have happened
within [start, end) adds to every bin the fraction of that window falling in the bin, so its weights sum
to 1 and a date-only burglary is not piled on midnight. Windows are half-open and the overlap is exact, so
an incident known to the minute or second (and bin edges are whole minutes) always falls wholly in one bin,
also at a bin edge. See docs/cube.md for the weighting, the storage and the file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .cube_store import CUBES_TABLE, FORMAT_VERSION, cube_names, cube_path, read_cube, write_cube
from .errors import BeatCastInputError
from .progress import Cancelled, Progress
from .timebins import NAT, BinEdges, utc_ns

DENSE_MAX_BYTES = 512 * 2**20  # larger cubes are kept as CSR (storage="auto")
CHUNK_ENTRIES = 1_000_000  # (incident, bin) pairs expanded at a time: bounds the memory of long windows
NO_CATEGORY = "(no category)"
_STORAGES = ("auto", "dense", "csr")
# Storage lives in cube_store; re-exported so callers need only this module.
__all__ = ["Cube", "aggregate", "cube_frame", "totals_per_bin", "totals_per_cell"]
__all__ += ["CUBES_TABLE", "FORMAT_VERSION", "cube_names", "cube_path", "read_cube", "write_cube"]


@dataclass
class Cube:
    """Counts of shape (n_categories, n_cells, n_bins), float32.

    ``counts`` is a dense ``numpy.ndarray`` of that shape, or (storage "csr") one ``scipy.sparse.csr_matrix``
    of shape (n_categories * n_cells, n_bins) whose row ``k * n_cells + c`` is cell c of category k. Use
    ``matrix()`` and ``dense()`` rather than reading ``counts`` directly. ``categories`` is ``["all"]`` for
    a cube not split by category, else the sorted category names; a split cube stores no "all" layer (it
    would double the memory for a sum): ``matrix()`` with no category adds the categories up.

    ``outside`` accounts for what is not in the counts, each a dict {category: amount}: ``no_time`` (no
    occurrence time), ``cells`` (in no cell), ``before`` and ``after`` (the part of the occurrence windows
    outside the bins' period; fractional when aoristic). Counts + all of these = the incidents given.
    """

    counts: np.ndarray | sp.csr_matrix
    cell_ids: np.ndarray
    categories: list[str]
    bins: BinEdges
    crs: str = ""
    grid_table: str = ""
    outside: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    @property
    def n_categories(self) -> int:
        return len(self.categories)

    @property
    def n_cells(self) -> int:
        return len(self.cell_ids)

    @property
    def n_bins(self) -> int:
        return self.bins.n_bins

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.n_categories, self.n_cells, self.n_bins)

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.counts)

    def category_index(self, category: str) -> int:
        if category not in self.categories:
            raise BeatCastInputError(
                f"the cube has no category {category!r}; it has: {', '.join(self.categories)}"
            )
        return self.categories.index(category)

    def matrix(self, category: str | None = None) -> np.ndarray | sp.csr_matrix:
        """(n_cells, n_bins) counts of one category; None (or "all" when no category has that name): all."""
        n = self.n_cells
        if category is not None and (category != "all" or "all" in self.categories):
            k = self.category_index(category)
            return self.counts[k * n : (k + 1) * n] if self.is_sparse else self.counts[k]
        if self.n_categories == 1:
            return self.counts if self.is_sparse else self.counts[0]
        if self.is_sparse:
            return sum(
                (self.counts[k * n : (k + 1) * n] for k in range(1, self.n_categories)), self.counts[:n]
            )
        return self.counts.sum(axis=0, dtype=np.float32)

    def dense(self) -> np.ndarray:
        """The counts as a dense (n_categories, n_cells, n_bins) float32 array."""
        if self.is_sparse:
            return self.counts.toarray().reshape(self.shape)
        return self.counts

    def total(self) -> float:
        data = self.counts.data if self.is_sparse else self.counts
        return float(np.sum(data, dtype=np.float64))

    def outside_total(self) -> float:
        return float(sum(sum(by_category.values()) for by_category in self.outside.values()))


def _category_codes(categories, n: int) -> tuple[np.ndarray, list[str]]:
    if categories is None:
        return np.zeros(n, dtype=np.int64), ["all"]
    values = pd.Series(np.asarray(categories, dtype=object)).fillna(NO_CATEGORY).astype(str)
    values[values.str.strip() == ""] = NO_CATEGORY
    codes, names = pd.factorize(values, sort=True)
    return codes.astype(np.int64), [str(c) for c in names]


def _reduce(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and the float64 sum of the weights of each."""
    if not len(keys):
        return keys, weights
    order = np.argsort(keys, kind="stable")
    keys, weights = keys[order], weights[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[first], np.add.reduceat(weights, first)


class _Counts:
    """Sums (key, weight) pairs, key = (category * n_cells + cell) * n_bins + bin: a dense cube adds each
    batch straight into its float32 array; a CSR cube keeps the reduced batches and merges them at the end."""

    def __init__(self, n_categories: int, layer: int, dense: bool):
        self.layer = layer
        self.dense = np.zeros(n_categories * layer, dtype=np.float32) if dense else None
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.by_category = np.zeros(n_categories)

    def add(self, keys: np.ndarray, weights: np.ndarray) -> None:
        keys, sums = _reduce(keys, weights)
        self.by_category += np.bincount(keys // self.layer, weights=sums, minlength=len(self.by_category))
        if self.dense is not None:
            self.dense[keys] += sums  # keys are unique within a batch, so += is a true sum
        else:
            self.parts.append((keys, sums))

    def result(self, shape: tuple[int, int, int]) -> np.ndarray | sp.csr_matrix:
        if self.dense is not None:
            return self.dense.reshape(shape)
        keys, sums = (
            self.parts[0] if len(self.parts) == 1 else _reduce(*map(np.concatenate, zip(*self.parts)))
        )
        n_rows = shape[0] * shape[1]
        indptr = np.r_[0, np.cumsum(np.bincount(keys // shape[2], minlength=n_rows))]
        return sp.csr_matrix((sums.astype(np.float32), keys % shape[2], indptr), shape=(n_rows, shape[2]))


def _expand(b0, nb, lo, hi, dur, edges):
    """(incident position, bin, weight) of every bin that incidents spanning several bins overlap."""
    owner = np.repeat(np.arange(len(nb)), nb)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(nb) - nb, nb)
    b = b0[owner] + step
    overlap = np.minimum(hi[owner], edges[b + 1]) - np.maximum(lo[owner], edges[b])
    return owner, b, overlap / dur[owner]


def _by_category(codes, weights, n_categories, names) -> dict[str, float]:
    sums = np.bincount(codes, weights=weights.astype(np.float64), minlength=n_categories)
    return {name: float(s) for name, s in zip(names, sums)}


def _check_inputs(cells, starts, ends, n_cells, cell_ids, n):
    if cells.dtype.kind == "f":
        if np.any(cells != np.floor(cells)):
            raise BeatCastInputError("cell indices must be whole numbers (-1 for outside every cell)")
        cells = cells.astype(np.int64)
    elif cells.dtype.kind not in "iu":
        raise BeatCastInputError(f"cell indices must be integers, not {cells.dtype}")
    for name, arr in (("occurrence window starts", starts), ("occurrence window ends", ends)):
        if len(arr) != n:
            raise BeatCastInputError(f"{len(arr)} {name} for {n} incidents: give one per incident")
    if n and (cells.min() < -1 or cells.max() >= n_cells):
        raise BeatCastInputError(
            f"cell indices must be -1 (no cell) or 0 to {n_cells - 1}; found {cells.min()} to {cells.max()}"
        )
    ids = np.arange(n_cells).astype(object) if cell_ids is None else np.asarray(cell_ids, dtype=object)
    if len(ids) != n_cells:
        raise BeatCastInputError(f"{len(ids)} cell ids for {n_cells} cells")
    return cells.astype(np.int64), ids


def aggregate(
    cell_index,
    window_start_utc,
    window_end_utc,
    precision,
    categories,
    n_cells: int,
    cell_ids,
    bins: BinEdges,
    aoristic: bool = True,
    progress: Progress | None = None,
    *,
    crs: str = "",
    grid_table: str = "",
    source: str = "",
    storage: str = "auto",
    allow_empty: bool = False,
) -> Cube:
    """Count incidents into cells x bins (x categories when ``categories`` is given).

    ``window_start_utc``/``window_end_utc``: UTC occurrence windows [start, end) (datetime64, pandas, or ISO
    text); a missing or non-positive end means an instant at the start. ``aoristic=False`` counts each
    incident wholly in the bin holding its window start. ``precision`` (optional) is only tallied.
    ``allow_empty``: return a cube of zeros (everything in ``outside``) instead of refusing one where no
    incident falls inside the bins (adding to an existing cube).
    """
    progress = progress or Progress()
    if storage not in _STORAGES:
        raise BeatCastInputError(f"unknown cube storage {storage!r}: use one of {', '.join(_STORAGES)}")
    cells = np.asarray(cell_index).ravel()
    n = len(cells)
    starts = utc_ns(window_start_utc)
    ends = starts.copy() if window_end_utc is None else utc_ns(window_end_utc)
    cells, cell_ids = _check_inputs(cells, starts, ends, int(n_cells), cell_ids, n)
    if n == 0:
        raise BeatCastInputError("no incidents to count")
    codes, names = _category_codes(categories, n)
    n_cat, n_bins = len(names), bins.n_bins
    edges = bins.utc_ns
    e0, e1 = edges[0], edges[-1]

    no_time = starts == NAT
    ends = np.where(no_time | (ends == NAT) | (ends < starts) | (not aoristic), starts, ends)
    in_cells = (cells >= 0) & ~no_time
    instant = ends == starts
    dur = np.where(instant, 1, ends - starts).astype(np.float64)
    before = np.where(instant, starts < e0, np.clip(np.minimum(ends, e0) - starts, 0, None) / dur)
    after = np.where(instant, starts >= e1, np.clip(ends - np.maximum(starts, e1), 0, None) / dur)
    progress.set_progress(10)

    lo, hi = np.maximum(starts, e0), np.minimum(ends, e1)
    b0 = np.searchsorted(edges, lo, side="right") - 1
    b1 = np.where(instant, b0, np.searchsorted(edges, hi, side="left") - 1)
    inside = in_cells & np.where(instant, (starts >= e0) & (starts < e1), lo < hi)
    nb = np.where(inside, b1 - b0 + 1, 0)
    row = codes * n_cells + cells
    single = nb == 1
    weight = np.where(instant, 1.0, (hi - lo) / dur)
    dense_bytes = 4 * n_cat * n_cells * n_bins
    dense = storage == "dense" or (storage == "auto" and dense_bytes <= DENSE_MAX_BYTES)
    counts = _Counts(n_cat, n_cells * n_bins, dense)
    counts.add(row[single] * n_bins + b0[single], weight[single])
    progress.set_progress(30)

    multi = np.flatnonzero(nb > 1)
    if len(multi):
        # Chunks of at most CHUNK_ENTRIES (incident, bin) pairs: a month-long window at hourly bins is 744.
        ends_cum = np.cumsum(nb[multi])
        cuts = np.searchsorted(ends_cum, np.arange(CHUNK_ENTRIES, ends_cum[-1], CHUNK_ENTRIES), side="right")
        for chunk in np.split(multi, np.unique(cuts[(cuts > 0) & (cuts < len(multi))])):
            if progress.is_canceled():
                raise Cancelled()
            owner, b, w = _expand(b0[chunk], nb[chunk], lo[chunk], hi[chunk], dur[chunk], edges)
            counts.add(row[chunk][owner] * n_bins + b, w)
            progress.set_progress(30 + 60 * (np.searchsorted(multi, chunk[-1]) + 1) / len(multi))
    if progress.is_canceled():
        raise Cancelled()
    total = float(counts.by_category.sum())
    if total == 0 and not allow_empty:
        _raise_nothing_inside(in_cells, starts, ends, bins)

    count_outside = ~no_time & ~in_cells
    outside = {
        "no_time": _by_category(codes, no_time, n_cat, names),
        "cells": _by_category(codes, count_outside, n_cat, names),
        "before": _by_category(codes, np.where(in_cells, before, 0.0), n_cat, names),
        "after": _by_category(codes, np.where(in_cells, after, 0.0), n_cat, names),
    }
    precisions = pd.Series(precision if precision is not None else [], dtype=object).fillna("unknown")
    metadata = {
        "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": source,
        "n_incidents": n,
        "aoristic": bool(aoristic),
        "total": total,
        "total_by_category": {name: float(t) for name, t in zip(names, counts.by_category)},
        "outside_total": float(sum(sum(v.values()) for v in outside.values())),
        "precision_counts": {str(k): int(v) for k, v in precisions.value_counts().sort_index().items()},
        "multi_bin_incidents": int(len(multi)),
        "max_bins_per_incident": int(nb.max()),
    }
    progress.set_progress(100)
    matrix = counts.result((n_cat, n_cells, n_bins))
    return Cube(matrix, cell_ids, names, bins, crs, grid_table, outside, metadata)


def _raise_nothing_inside(in_cells, starts, ends, bins: BinEdges) -> None:
    if not in_cells.any():
        raise BeatCastInputError("no incident lies in any cell of the grid (with an occurrence time)")
    first = pd.Timestamp(starts[in_cells].min(), tz="UTC").tz_convert(bins.timezone)
    last = pd.Timestamp(ends[in_cells].max(), tz="UTC").tz_convert(bins.timezone)
    raise BeatCastInputError(
        f"no incident falls inside the bins' period {bins.start} to {bins.end} ({bins.timezone}): the"
        f" incidents in the grid happened from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}"
    )


def totals_per_cell(cube: Cube, category: str | None = None) -> np.ndarray:
    """float64 (n_cells,) totals over all bins."""
    m = cube.matrix(category)
    if sp.issparse(m):
        return np.asarray(m.astype(np.float64).sum(axis=1)).ravel()
    return m.sum(axis=1, dtype=np.float64)


def totals_per_bin(cube: Cube, category: str | None = None) -> np.ndarray:
    """float64 (n_bins,) totals over all cells."""
    m = cube.matrix(category)
    if sp.issparse(m):
        return np.bincount(m.indices, weights=m.data.astype(np.float64), minlength=cube.n_bins)
    return m.sum(axis=0, dtype=np.float64)


def cube_frame(cube: Cube, category: str | None = None) -> pd.DataFrame:
    """Long table of the non-zero counts: cell_id, bin_label, bin_start_utc (UTC), count (float64)."""
    m = cube.matrix(category)
    if sp.issparse(m):
        coo = m.tocoo()
        cells, bins_, values = coo.row, coo.col, coo.data
    else:
        cells, bins_ = np.nonzero(m)
        values = m[cells, bins_]
    return pd.DataFrame(
        {
            "cell_id": cube.cell_ids[cells],
            "bin_label": cube.bins.labels[bins_],
            "bin_start_utc": pd.DatetimeIndex(cube.bins.utc[bins_]).tz_localize("UTC"),
            "count": values.astype(np.float64),
        }
    )
