"""Adding newly arrived incidents to an existing space-time cube, without counting history again.

Counting is linear: the cube of (old incidents + new incidents) over some bins is the sum of the cubes of
each part over those bins. ``add_incidents`` uses that:

- the bins are the cube's own, extended to ``until_local`` when the new incidents run past the cube's end
  (the same unit, time zone, shifts and week start, so the old edges are a prefix of the new ones: checked);
- the new incidents are counted over all the bins (aoristic like the cube) and added, category by category
  (a category the cube has not seen gets a new layer of zeros first);
- when the bins are extended, incidents already in the cube whose occurrence windows reach past its old end
  (``carried``: an incident known only to the day of the cube's last bin, say) had that part counted in
  ``outside["after"]``; it is counted into the new bins and taken out of ``outside["after"]``, exactly;
- ``outside`` adds up: counts + outside = every incident given to the cube, as for a cube made at once.

The result equals the cube ``core.cube.aggregate`` makes from all the incidents at once over the extended
bins (tested to float32 precision).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .cube import Cube, aggregate
from .errors import BeatCastInputError
from .timebins import BinEdges, BinSpec, make_bins

__all__ = ["CubeIncidents", "add_incidents", "extended_bins"]


@dataclass
class CubeIncidents:
    """Incidents placed for counting: cell index (-1: outside every cell), UTC window [start, end),
    category (ignored by a cube not split by category) and time precision (only tallied)."""

    cells: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    categories: np.ndarray | None = None
    precision: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.cells)


def extended_bins(bins: BinEdges, until_local) -> BinEdges:
    """``bins`` continued to ``until_local`` (widened to a whole bin); ``bins`` itself when already there."""
    until = pd.Timestamp(until_local)
    if until <= bins.end:
        return bins
    spec = BinSpec(bins.unit, bins.timezone, bins.start, until, bins.shift_starts, bins.week_start)
    longer = make_bins(spec)
    n = len(bins.utc)
    if len(longer.utc) < n or not np.array_equal(longer.utc[:n], bins.utc):
        raise BeatCastInputError(
            f"the cube's bins ({bins.unit}, {bins.timezone}, from {bins.start}) cannot be continued to "
            f"{until}: the new edges do not extend the old ones; count it again with Aggregate incidents"
        )
    return longer


def _tail(bins: BinEdges, first: int) -> BinEdges:
    """The bins from index ``first`` on."""
    return replace(bins, local=bins.local[first:], utc=bins.utc[first:], labels=bins.labels[first:])


def _layers(cube: Cube, n_bins: int) -> dict[str, sp.csr_matrix]:
    """category -> (cells x n_bins) float64 CSR, the cube's counts padded with empty bins."""
    out = {}
    for name in cube.categories:
        m = sp.csr_matrix(cube.matrix(name), dtype=np.float64)
        m.resize((cube.n_cells, n_bins))
        out[name] = m
    return out


def _count(cube: Cube, incidents: CubeIncidents, bins: BinEdges, by_category: bool) -> Cube | None:
    if len(incidents) == 0:
        return None
    return aggregate(
        incidents.cells, incidents.starts, incidents.ends, incidents.precision,
        incidents.categories if by_category else None, cube.n_cells, cube.cell_ids, bins,
        aoristic=bool(cube.metadata.get("aoristic", True)), storage="csr", allow_empty=True,
    )  # fmt: skip


def _add_outside(outside: dict, more: dict, sign: float = 1.0) -> None:
    for key, by_category in more.items():
        target = outside.setdefault(key, {})
        for category, amount in by_category.items():
            target[category] = float(target.get(category, 0.0)) + sign * float(amount)


def add_incidents(
    cube: Cube, new: CubeIncidents, until_local=None, carried: CubeIncidents | None = None
) -> tuple[Cube, dict]:
    """The cube with ``new`` incidents added (bins extended to ``until_local`` when later than the cube's
    end; ``carried`` are the cube's own incidents whose windows reach past its end). Returns the cube and a
    summary: bins_added, added (counted inside), moved_from_after, outside (of the new incidents)."""
    bins = extended_bins(cube.bins, until_local) if until_local is not None else cube.bins
    n_old, n_bins = cube.n_bins, bins.n_bins
    by_category = cube.categories != ["all"]
    layers = _layers(cube, n_bins)
    outside = copy.deepcopy(cube.outside)
    moved_total = 0.0
    if n_bins > n_old and carried is not None and len(carried):
        moved = _count(cube, carried, _tail(bins, n_old), by_category)
        for name in moved.categories:
            m = sp.csr_matrix(moved.matrix(name), dtype=np.float64)
            padded = sp.hstack([sp.csr_matrix((cube.n_cells, n_old)), m], format="csr")
            layers[name] = layers.get(name, sp.csr_matrix((cube.n_cells, n_bins))) + padded
            amount = float(m.sum())
            moved_total += amount
            outside.setdefault("after", {})[name] = float(outside.get("after", {}).get(name, 0.0)) - amount
    added = _count(cube, new, bins, by_category)
    new_outside = {}
    if added is not None:
        for name in added.categories:
            m = sp.csr_matrix(added.matrix(name), dtype=np.float64)
            layers[name] = layers.get(name, sp.csr_matrix((cube.n_cells, n_bins))) + m
        new_outside = added.outside
        _add_outside(outside, new_outside)
    names = sorted(layers) if by_category else ["all"]
    stacked = sp.vstack([layers[name] for name in names], format="csr").astype(np.float32)
    counts = stacked if cube.is_sparse else stacked.toarray().reshape(len(names), cube.n_cells, n_bins)
    metadata = dict(cube.metadata)
    metadata.update(
        total=float(stacked.sum(dtype=np.float64)),
        n_incidents=int(metadata.get("n_incidents", 0)) + len(new),
        appended=int(metadata.get("appended", 0)) + 1,
    )
    result = Cube(counts, cube.cell_ids, names, bins, cube.crs, cube.grid_table, outside, metadata)
    summary = {
        "bins_added": n_bins - n_old,
        "added": float(added.total()) if added is not None else 0.0,
        "moved_from_after": moved_total,
        "outside": {k: float(sum(v.values())) for k, v in new_outside.items()},
    }
    return result, summary
