"""The whole BeatCast chain on St. Louis: five years of raw SLMPD exports to a map pack, step by step.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--model kde] [--keep DIR]
(QGIS's Python with the plugin's provider registered in-process; needs ../shared/data.)

Steps, each through Processing as an analyst's model would run them, into one GeoPackage:
  import      the 60 raw monthly exports of 2015-2019 (246,291 rows; State Plane feet, Latin-1/BOM)
  grid        150 m squares clipped to the city limit, labelled with the neighbourhood
  cube        weekly counts, 2015-01-05 .. 2019-12-30
  gistar      Gi* of the cell totals (distance band 2.5 cells, 99 permutations)
  emerging    emerging hot spots of the weekly cube
  backtest    kde, naive_recent and naive_long_run over the last 8 weeks (1-week horizon)
  forecast    next week (MODEL, default kde: the ensemble refits the SEPP and the boosted model and takes
              minutes here; bench_forecast.py times every model)
  patrolplan  10 units from 6 stations (the district stations' approximate places), straight-line travel,
              8 h shift, 2 visits per zone, 5 s routing
  biasaudit   the plan's visits against the 2020 census by race per neighbourhood
  mappack     the roll-call PDF (overview + one page per neighbourhood group of the plan's districts)
Prints each step's seconds and the process's peak resident memory after it; the target (issue 10) is the
whole chain under 60 s on these 2-core machines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "stlouis_slmpd"
TARGET_S = 60.0
# Approximate places of SLMPD's six district stations (lon, lat), for the patrol plan's depots.
STATIONS = [(-90.2530, 38.5900), (-90.2840, 38.6070), (-90.2370, 38.6180), (-90.2000, 38.6310),
            (-90.2390, 38.6600), (-90.2100, 38.6950)]  # fmt: skip


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stations(path: Path) -> None:
    features = [
        {"type": "Feature", "properties": {"station_id": f"S{i + 1}"},
         "geometry": {"type": "Point", "coordinates": list(p)}}
        for i, p in enumerate(STATIONS)
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


def steps(out: Path, gpkg: str, model: int):
    ctx = DATA / "context"
    files = sorted(str(p) for p in (DATA / "raw_monthly").glob("*/*.csv.gz"))
    hoods = str(ctx / "stl_neighborhoods.geojson")
    groups = ["pop_white_alone", "pop_black_alone", "pop_hispanic_latino"]
    return [
        ("import", "beatcast:importincidents", {
            "INPUT_FILES": files, "SOURCE_CRS": "ESRI:102696", "TIMEZONE": "America/Chicago",
            "BOUNDARY": str(ctx / "stl_boundary.geojson"), "OUTPUT": gpkg}),
        ("grid", "beatcast:buildgrid", {
            "BOUNDARY": str(ctx / "stl_boundary.geojson"), "CELL_SIZE": 150, "LABELS": hoods,
            "LABEL_FIELDS": ["neighborhood_name"], "INCIDENTS": f"{gpkg}|layername=incidents",
            "OUTPUT": gpkg}),
        ("cube", "beatcast:aggregateincidents", {
            "INCIDENTS": f"{gpkg}|layername=incidents", "GRID": f"{gpkg}|layername=grid", "UNIT": 3,
            "START_DATE": "2015-01-05", "END_DATE": "2019-12-30", "CUBE_NAME": "weekly", "OUTPUT": gpkg}),
        ("gistar", "beatcast:hotspotgistar", {
            "INPUT": f"{gpkg}|layername=cell_counts", "FIELD": "total", "NEIGHBOURS": 2, "DISTANCE": 375,
            "PERMUTATIONS": 99, "SEED": 1, "OUTPUT": gpkg}),
        ("emerging", "beatcast:emerginghotspots", {
            "CUBE": gpkg, "CUBE_NAME": "weekly", "GRID": f"{gpkg}|layername=grid", "OUTPUT": gpkg}),
        ("backtest", "beatcast:backtest", {
            "CUBE": gpkg, "CUBE_NAME": "weekly", "GRID": f"{gpkg}|layername=grid", "MODELS": [4, 5, 7],
            "PERIODS": 8, "OUTPUT": gpkg}),
        ("forecast", "beatcast:forecastrisk", {
            "CUBE": gpkg, "CUBE_NAME": "weekly", "GRID": f"{gpkg}|layername=grid", "MODEL": model,
            "HORIZON": 0, "HOTSPOT_AREA": 5, "SEED": 1, "OUTPUT": gpkg,
            "EXPECTED_RASTER": str(out / "expected.tif"), "LOWER_RASTER": str(out / "lower.tif"),
            "UPPER_RASTER": str(out / "upper.tif")}),
        ("patrolplan", "beatcast:patrolplan", {
            "FORECAST": f"{gpkg}|layername=forecast_cells", "CANDIDATES": 120, "MERGE": False,
            "STATIONS": str(out / "stations.geojson"), "UNITS": 10, "SHIFT_MINUTES": 480, "DWELL_MINUTES": 15,
            "VISITS_PER_ZONE": 2, "MIN_REVISIT_MINUTES": 120, "DEFAULT_SPEED": 30, "ROUTE_TIME_LIMIT": 5,
            "SEED": 1, "OUTPUT": gpkg}),
        ("biasaudit", "beatcast:biasaudit", {
            "CELLS": f"{gpkg}|layername=patrol_zones", "EXPOSURE_FIELD": "visits", "EXPOSURE_KIND": 1,
            "AREAS": hoods, "GROUP_FIELDS": groups, "OUTPUT": gpkg, "REPORT": str(out / "audit.html")}),
        ("mappack", "beatcast:exportmappack", {
            "PLAN": gpkg, "DISTRICTS": str(ctx / "stl_wards.geojson"), "DISTRICT_FIELD": None, "DRAFT": True,
            "OUTPUT_PDF": str(out / "roll_call.pdf")}),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="kde", help="forecast model (core.forecasting.MODELS)")
    parser.add_argument("--keep", help="write into this folder and keep it")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} not found: the benchmark needs ../shared/data")
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from benchlib import link_checkout

    link_checkout()
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from beatcast.core.forecasting import MODELS
    from beatcast.processing_provider.provider import BeatCastProvider

    provider = BeatCastProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    out = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    out.mkdir(parents=True, exist_ok=True)
    gpkg = str(out / "stlouis.gpkg")
    _stations(out / "stations.geojson")
    wards = QgsVectorLayer(str(DATA / "context" / "stl_wards.geojson"), "wards", "ogr")
    ward_field = wards.fields().at(0).name()
    print(f"St. Louis pipeline into {gpkg}; forecast model {args.model}")
    total, rows = 0.0, []
    for name, algorithm, params in steps(out, gpkg, MODELS.index(args.model)):
        if name == "mappack":
            params["DISTRICT_FIELD"] = ward_field
        started = time.perf_counter()
        result = processing.run(algorithm, params)
        seconds = time.perf_counter() - started
        total += seconds
        figures = {k: v for k, v in result.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        shown = ", ".join(f"{k} {v:,.4g}" for k, v in list(figures.items())[:4])
        print(f"  {name:<11} {seconds:7.2f} s   peak {peak_mb():7.0f} MB   {shown}")
        rows.append((name, seconds))
    verdict = "meets" if total < TARGET_S else "MISSES"
    print(f"TOTAL {total:.1f} s, peak {peak_mb():.0f} MB -> {verdict} the {TARGET_S:g} s target")
    QgsProject.instance().clear()
    QgsApplication.processingRegistry().removeProvider(provider)
    if not args.keep:
        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
