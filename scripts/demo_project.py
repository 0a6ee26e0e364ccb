"""Writes the demo's QGIS project: every output of `make demo` as a styled layer, in groups.

    /usr/bin/python3 scripts/demo_project.py DEMO_OUTPUT_FOLDER

Reads DEMO_OUTPUT_FOLDER/beatcast_demo.gpkg, the GeoTIFFs and the demo city beside it, and writes
DEMO_OUTPUT_FOLDER/beatcast_demo.qgz with relative paths (the folder can be moved). Layers get the
plugin's own styles (processing_provider/styling.py): opening the project in QGIS shows the result.
Incident points are in their own group, hidden: the map pack and the screen show aggregated cells.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (group, GeoPackage table or file, layer name, style, visible); drawn bottom to top within a group,
# groups listed top to bottom as they appear in the layer tree.
LAYERS = [
    ("Patrol plan", "patrol_routes", "Patrol routes", "patrol_routes", True),
    ("Patrol plan", "patrol_zones", "Patrol zones (ranked)", "patrol_zones", True),
    ("Forecast", "forecast_hotspots", "Hotspot zones", "hotspot_zones", True),
    ("Forecast", "forecast_cells", "Expected incidents next week", "graduated:expected", True),
    ("Forecast", "forecast_expected.tif", "Expected incidents (raster)", "raster:Reds", False),
    ("Drift", "drift_alerts", "Drift alerts", "drift_alerts", True),
    ("Hot spots", "emerging_hotspots", "Emerging hot spots", "emerging", False),
    ("Hot spots", "hotspots_gistar", "Gi* hot spots", "gistar", False),
    ("Bias audit", "bias_audit_areas", "Exposure vs population", "graduated:ratio_exposure_to_population",
     False),
    ("Context", "city/stations.geojson", "Stations", None, True),
    ("Context", "city/districts.geojson", "Districts", None, True),
    ("Context", "grid", "Grid", "grid", False),
    ("Incidents (personal data: keep hidden)", "incidents", "Incidents", "incidents", False),
    ("Incidents (personal data: keep hidden)", "rejected_rows", "Rejected rows", None, False),
]  # fmt: skip


def _package():
    """Import the checkout as ``beatcast`` (a temporary link), as the tests and benchmarks do."""
    folder = Path(tempfile.mkdtemp(prefix="beatcast-project-"))
    (folder / "beatcast").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(folder))
    return folder


def _layer(out: Path, source: str, name: str):
    from qgis.core import QgsRasterLayer, QgsVectorLayer

    gpkg = out / "beatcast_demo.gpkg"
    if source.endswith(".tif"):
        return QgsRasterLayer(str(out / source), name, "gdal")
    if source.endswith(".geojson"):
        return QgsVectorLayer(str(out / source), name, "ogr")
    return QgsVectorLayer(f"{gpkg}|layername={source}", name, "ogr")


def build(out: Path) -> tuple[Path, list[str]]:
    """The project file and the names of the layers it holds."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject

    from beatcast.processing_provider.styling import _post_processor

    project = QgsProject()
    project.setTitle("BeatCast demo city")
    root = project.layerTreeRoot()
    groups, added = {}, []
    for group, source, name, style, visible in LAYERS:
        layer = _layer(out, source, name)
        if not layer.isValid():
            continue  # an output this run did not make (e.g. no drift monitoring)
        if style:
            _post_processor(style).postProcessLayer(layer, None, None)
        project.addMapLayer(layer, False)
        if group not in groups:
            groups[group] = root.addGroup(group)
        node = groups[group].addLayer(layer)
        node.setItemVisibilityChecked(visible)
        added.append(name)
    crs = next((lyr.crs() for lyr in project.mapLayers().values() if lyr.crs().isValid()), None)
    project.setCrs(crs or QgsCoordinateReferenceSystem("EPSG:32616"))
    project.writeEntryBool("Paths", "/Absolute", False)
    path = out / "beatcast_demo.qgz"
    if not project.write(str(path)):
        raise RuntimeError(f"cannot write {path}: {project.error()}")
    # The map pack step's project: the pack builds its own layers, and qgis_process 3.22 aborts at exit when
    # a project's GeoPackage layers and another GeoPackage were both open (a QGIS/GDAL fault: two GeoPackages
    # made by ogr2ogr do the same in the desktop), so the step gets a project without layers.
    empty = QgsProject()
    empty.setCrs(project.crs())
    (out / "logs").mkdir(exist_ok=True)
    if not empty.write(str(out / "logs" / "map_pack_project.qgz")):
        raise RuntimeError(f"cannot write the map pack's project: {empty.error()}")
    return path, added


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1]).resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    link = _package()
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        path, added = build(out)
        print(f"   project {path} ({len(added)} layers: {', '.join(added)})")
    finally:
        app.exitQgis()
        (link / "beatcast").unlink()
        link.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
