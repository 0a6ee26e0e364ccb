"""Candidate patrol zones from a forecast: the highest-risk cells, alone or merged with touching ones.

``candidate_zones`` takes the ``n`` cells with the highest expected count (ties: lower cell index first).
With ``merge`` the touching candidates (``neighbours``, e.g. queen contiguity) form one zone each: a unit
patrolling a zone covers all its cells, so its value is the sum of their expected counts and its point is
their expected-weighted centroid (the plain centroid when the zone's expected count is 0). Without
``merge`` every candidate cell is a zone. Zones are ranked by value (1 = highest; ties: lowest cell).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .errors import BeatCastInputError

__all__ = ["candidate_zones"]


def candidate_zones(expected, x, y, n: int, neighbours=None, merge: bool = False) -> pd.DataFrame:
    """One row per zone: zone (rank), value, x, y, cells (list of cell indices), n_cells."""
    expected = np.asarray(expected, dtype=float).ravel()
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if not (expected.size == x.size == y.size):
        raise BeatCastInputError("expected, x and y must have one value per cell")
    if not np.isfinite(expected).all() or (expected < 0).any():
        raise BeatCastInputError("expected counts must be finite and non-negative")
    if int(n) < 1:
        raise BeatCastInputError(f"the number of candidate cells must be at least 1, got {n}")
    order = np.lexsort((np.arange(expected.size), -expected))[: min(int(n), expected.size)]
    if merge:
        if neighbours is None:
            raise BeatCastInputError("merging touching cells needs the cells' neighbours")
        sub = sparse.csr_matrix(neighbours)[order][:, order]
        _, labels = connected_components(sub, directed=False)
    else:
        labels = np.arange(order.size)
    rows = []
    for label in np.unique(labels):
        cells = np.sort(order[labels == label])
        weights = expected[cells]
        w = weights / weights.sum() if weights.sum() > 0 else np.full(cells.size, 1.0 / cells.size)
        rows.append(
            {"value": float(weights.sum()), "x": float(w @ x[cells]), "y": float(w @ y[cells]),
             "cells": cells.tolist(), "n_cells": int(cells.size), "first": int(cells[0])}
        )  # fmt: skip
    frame = pd.DataFrame(rows).sort_values(["value", "first"], ascending=[False, True]).reset_index(drop=True)
    frame.insert(0, "zone", np.arange(1, len(frame) + 1))
    return frame.drop(columns="first")
