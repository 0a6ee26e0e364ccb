"""The price of equity: how much forecast risk patrols can capture as the cap on exposure ratios tightens.

``fairness_frontier`` selects ``max_zones`` zones with the zone-selection MILP of ``core.patrol`` (the
routing is not run: every selected zone counts as one visit's worth of exposure), first without a cap,
then with each cap in turn (``audit.exposure_cap_constraints``: every group's exposure ratio at most the
cap). For each it records the captured risk, the loss against the unconstrained selection, and the
exposure ratio of every group recomputed from the selection (``audit.group_exposure``). A cap that no
selection can meet is reported as infeasible (with the solver's message) rather than raised, so a sweep
shows where equity becomes impossible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import audit
from .errors import BeatCastInputError
from .patrol import select_zones

__all__ = ["fairness_frontier", "selection_ratios"]


def selection_ratios(chosen, zone_cells, overlap, population_by_group) -> pd.Series:
    """Exposure ratio of every group when the ``chosen`` zones each get one visit's worth of exposure,
    spread equally over their cells."""
    n_cells = overlap.shape[0]
    exposure = np.zeros(n_cells)
    for i in np.flatnonzero(chosen):
        cells = np.asarray(zone_cells[i], dtype=int)
        exposure[cells] += 1.0 / cells.size
    groups = audit.group_exposure(audit.area_exposure(exposure, overlap), population_by_group)
    return groups["exposure_ratio"]


def fairness_frontier(value, zone_cells, overlap, population_by_group, max_zones: int, caps) -> pd.DataFrame:
    """One row per cap (the first row: no cap): cap, status, zones, captured, loss (share of the
    unconstrained captured risk given up), worst_ratio and ratio_<group> for every group."""
    value = np.asarray(value, dtype=float)
    caps = sorted({float(c) for c in caps}, reverse=True)
    if any(c < 1 for c in caps):
        raise BeatCastInputError("CAPS: every cap must be at least 1 (exposure ratios average 1)")
    district = [""] * value.size
    rows, free = [], None
    for cap in [None, *caps]:
        rows_cap = (
            None
            if cap is None
            else audit.exposure_cap_constraints(zone_cells, overlap, population_by_group, cap)
        )
        try:
            selection = select_zones(value, district, max_zones, extra_constraints=rows_cap)
        except BeatCastInputError as error:
            rows.append({"cap": cap, "status": f"infeasible: {error}", "zones": 0, "captured": np.nan})
            continue
        ratios = selection_ratios(selection.chosen, zone_cells, overlap, population_by_group)
        captured = float(value[selection.chosen].sum())
        free = captured if cap is None else free
        row = {
            "cap": cap,
            "status": selection.status,
            "zones": int(selection.chosen.sum()),
            "captured": captured,
        }
        row.update(
            {"worst_ratio": float(ratios.max())}, **{f"ratio_{g}": float(r) for g, r in ratios.items()}
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["loss"] = 1.0 - frame["captured"] / free if free else np.nan
    order = ["cap", "status", "zones", "captured", "loss", "worst_ratio"]
    return frame[order + [c for c in frame.columns if c not in order]]
