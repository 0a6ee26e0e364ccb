"""The roll-call map pack's tables, from a patrol plan's GeoPackage (plain pandas; ui/map_pack.py lays them
out): the zones with their dwell minutes, the visits in time order, and each unit's sequence of zones."""

from __future__ import annotations

import pandas as pd

from . import gpkg
from .errors import BeatCastInputError

__all__ = ["plan_tables", "unit_rows", "visit_rows", "zone_rows"]


def plan_tables(gpkg_path: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """patrol_zones (with ``dwell`` minutes from the schedule), patrol_schedule and patrol_routes."""
    try:
        zones = gpkg.read_table(gpkg_path, "patrol_zones")
        schedule = gpkg.read_table(gpkg_path, "patrol_schedule")
        routes = gpkg.read_table(gpkg_path, "patrol_routes")
    except (KeyError, FileNotFoundError) as error:
        raise BeatCastInputError(f"PLAN: {error}; run beatcast:patrolplan into this GeoPackage") from error
    dwell = (schedule["depart_minute"] - schedule["arrive_minute"]).groupby(schedule["zone_rank"]).sum()
    zones["dwell"] = zones["rank"].map(dwell).fillna(0.0)
    return zones.sort_values("rank"), schedule, routes


def zone_rows(zones: pd.DataFrame) -> list[list[str]]:
    return [
        [str(int(z.rank)), str(z.district or "–"), f"{z.expected:.2f}", str(int(z.visits)), f"{z.dwell:.0f}"]
        for z in zones.itertuples()
    ]


def visit_rows(schedule: pd.DataFrame) -> list[list[str]]:
    ordered = schedule.sort_values(["arrive_minute", "unit"])
    return [
        [str(int(v.unit)), str(int(v.stop)), str(int(v.zone_rank)), v.arrive, v.depart]
        for v in ordered.itertuples()
    ]


def unit_rows(schedule: pd.DataFrame, routes: pd.DataFrame) -> list[list[str]]:
    rows = []
    for route in routes.sort_values("unit").itertuples():
        stops = schedule[schedule["unit"] == route.unit].sort_values("stop")
        order = " › ".join(str(int(r)) for r in stops["zone_rank"]) or "–"
        rows.append([str(int(route.unit)), str(route.station), order, str(route.back)])
    return rows
