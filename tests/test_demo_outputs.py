"""The demo's QGIS project (scripts/demo_project.py) and HTML summary (scripts/demo_summary.py)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

from qgis.core import QgsProject

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _script(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_project_holds_the_outputs_styled_with_relative_paths(demo_forecast, demo_city_dir, tmp_path):
    folder = tmp_path / "demo_output"
    folder.mkdir()
    shutil.copyfile(demo_forecast.split("|")[0], folder / "beatcast_demo.gpkg")
    shutil.copytree(demo_city_dir, folder / "city")
    path, added = _script("demo_project").build(folder)
    assert "Expected incidents next week" in added and "Districts" in added and "Hotspot zones" in added
    assert "Patrol zones (ranked)" not in added  # not in this GeoPackage: left out, not broken
    with zipfile.ZipFile(path) as archive:
        qgs = archive.read(next(n for n in archive.namelist() if n.endswith(".qgs"))).decode()
    assert "./beatcast_demo.gpkg|layername=forecast_cells" in qgs and str(folder) not in qgs
    moved = tmp_path / "moved"
    shutil.move(str(folder), moved)  # relative paths: the folder can move
    project = QgsProject()
    assert project.read(str(moved / "beatcast_demo.qgz"))
    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    assert set(layers) == set(added) and all(layer.isValid() for layer in layers.values())
    assert layers["Expected incidents next week"].renderer().type() == "graduatedSymbol"
    assert (
        layers["Hotspot zones"].renderer().type() != "singleSymbol" or layers["Hotspot zones"].labelsEnabled()
    )
    tree = project.layerTreeRoot()
    assert [g.name() for g in tree.children()][:2] == ["Forecast", "Context"]
    project.clear()


def test_summary_lists_steps_figures_and_existing_outputs(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "timings.tsv").write_text("importincidents\t12.5\tok\nforecastrisk\t30.1\tok\n", encoding="utf-8")
    answer = {
        "results": {"ACCEPTED": 25833, "OUTPUT": "/x/y.gpkg|layername=incidents", "OUTPUT_CRS": "EPSG:32616"}
    }
    (logs / "importincidents.json").write_text(
        "noise before the JSON\n" + json.dumps(answer), encoding="utf-8"
    )
    (tmp_path / "roll_call_pack.pdf").write_bytes(b"%PDF-1.4")
    page = _script("demo_summary").build(tmp_path).read_text(encoding="utf-8")
    assert "2 steps" in page and "43 s in all" in page
    assert "ACCEPTED 25,833" in page and "OUTPUT_CRS EPSG:32616" in page and "/x/y.gpkg" not in page
    assert "href='roll_call_pack.pdf'" in page and "beatcast_demo.qgz" not in page
