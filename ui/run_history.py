"""The run log of a BeatCast GeoPackage as the docks show it, and the layers a logged run wrote.

A run's tables are found from its algorithm and logged parameters (forecastrisk writes
``<OUTPUT_NAME>_cells`` and ``<OUTPUT_NAME>_hotspots``, patrolplan ``patrol_zones`` and ``patrol_routes``,
...). A GeoPackage holds the newest tables of each name: re-opening an older run shows the tables as the
latest run of that name left them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from qgis.core import QgsProject, QgsVectorLayer

from ..core import forecasting, gpkg, runlog
from ..processing_provider import styling
from ..processing_provider.aggregate_incidents import UNITS
from ..processing_provider.i18n import tr

# algorithm -> (table name, with {prefix} for OUTPUT_NAME; style as in processing_provider/styling.py)
RUN_TABLES = {
    "beatcast:importincidents": [("incidents", "incidents")],
    "beatcast:buildgrid": [("grid", "grid")],
    "beatcast:aggregateincidents": [("cell_counts", "graduated:total")],
    "beatcast:forecastrisk": [
        ("{prefix}_cells", "graduated:expected"),
        ("{prefix}_hotspots", "hotspot_zones"),
    ],
    "beatcast:patrolplan": [("patrol_zones", "patrol_zones"), ("patrol_routes", "patrol_routes")],
    "beatcast:biasaudit": [("bias_audit_areas", "graduated:ratio_exposure_to_population")],
    "beatcast:hotspotgistar": [("hotspots_gistar", "gistar")],
    "beatcast:emerginghotspots": [("emerging_hotspots", "emerging")],
    "beatcast:backtest": [("{prefix}_summary", None)],
    "beatcast:cellcovariates": [("cell_covariates", None)],
}
DEFAULT_PREFIX = {"beatcast:forecastrisk": "forecast", "beatcast:backtest": "backtest"}
KEY_PARAMETERS = ("MODEL", "HORIZON", "UNIT", "CATEGORY", "CUBE_NAME", "OUTPUT_NAME", "UNITS", "SHIFT_START")
HORIZON_NAMES = dict(enumerate(forecasting.HORIZONS))


def runs_newest_first(gpkg_path: str | Path) -> pd.DataFrame:
    """The run log, newest first; empty when the file is missing or has no run log."""
    path = Path(gpkg_path) if gpkg_path else None
    if path is None or not path.is_file():
        return pd.DataFrame(columns=["fid", *runlog.RUN_LOG_COLUMNS])
    runs = runlog.read_runs(path)
    return runs.sort_values("fid", ascending=False).reset_index(drop=True) if len(runs) else runs


def parameters_of(run) -> dict:
    try:
        return json.loads(run["parameters_json"] or "{}")
    except (TypeError, ValueError):
        return {}


def counts_of(run) -> dict:
    try:
        return json.loads(run["counts_json"] or "{}")
    except (TypeError, ValueError):
        return {}


def key_parameters(algorithm: str, parameters: dict) -> str:
    """The few parameters that tell runs apart, readable (enum indices as names)."""
    parts = []
    for name in KEY_PARAMETERS:
        value = parameters.get(name)
        if value in (None, ""):
            continue
        if name == "MODEL" and algorithm == "beatcast:forecastrisk" and str(value).isdigit():
            value = forecasting.MODELS[int(value)] if int(value) < len(forecasting.MODELS) else value
        elif name == "HORIZON" and str(value).isdigit():
            value = HORIZON_NAMES.get(int(value), value)
        elif name == "UNIT" and str(value).isdigit() and int(value) < len(UNITS):
            value = UNITS[int(value)]
        parts.append(f"{name.lower()}={value}")
    return ", ".join(parts)


def run_tables(gpkg_path: str | Path, run) -> list[tuple[str, str | None]]:
    """(table, style) of the layers a logged run wrote that the GeoPackage still holds."""
    algorithm = str(run["algorithm"])
    prefix = parameters_of(run).get("OUTPUT_NAME") or DEFAULT_PREFIX.get(algorithm, "")
    present = set(gpkg.table_names(gpkg_path))
    wanted = [(t.format(prefix=str(prefix).strip().lower()), s) for t, s in RUN_TABLES.get(algorithm, [])]
    return [(table, style) for table, style in wanted if table in present]


def apply_style(layer, style: str | None) -> None:
    """The style the algorithm's post-processor gives the layer when the toolbox loads it."""
    if not style:
        return
    if style.startswith("graduated:"):
        processor = styling.GraduatedPostProcessor(style.split(":", 1)[1])
    else:
        processor = styling.StylePostProcessor(style)
    processor.postProcessLayer(layer, None, None)


def open_run(gpkg_path: str | Path, run, project=None) -> list:
    """Add a logged run's output layers to the project, styled; returns the layers added."""
    project = project or QgsProject.instance()
    added = []
    stamp = str(run["run_time_utc"])[:16].replace("T", " ")
    for table, style in run_tables(gpkg_path, run):
        name = tr("{} ({})").format(table, stamp)
        layer = QgsVectorLayer(f"{gpkg_path}|layername={table}", name, "ogr")
        if not layer.isValid():
            continue
        apply_style(layer, style)
        project.addMapLayer(layer)
        added.append(layer)
    return added
