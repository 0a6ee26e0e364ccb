"""Writes the example Processing models shipped in models/*.model3 (regenerate them when a parameter changes).

    /usr/bin/python3 models/build_models.py            -> models/beatcast_*.model3
    /usr/bin/python3 models/build_models.py --check    -> exit 1 when a shipped file is stale

Each model is built with the PyQGIS model API against the registered BeatCast algorithms, so every child
parameter not set here gets the algorithm's default (as the Modeler does) and a renamed parameter fails the
build instead of a user's run. Model ids are API like algorithm ids: ``beatcast:<model name>``.

BeatCast algorithms keep related tables in one GeoPackage: every child writes into the model's GEOPACKAGE
(a destination parameter set from a model parameter), layer inputs come from the previous child's output
(``path|layername=table``), the cube is read back from GEOPACKAGE by name, and side files (rasters, report,
chart) are named after the GeoPackage by expressions.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
GROUP, GROUP_ID = "BeatCast", "beatcast"
AUTHOR = "BeatCast"


def _import_beatcast():
    """The plugin as the package ``beatcast`` (the checkout folder may have any name): a link in a temporary
    folder put on sys.path, as tests/conftest.py does. Only this development script does it."""
    try:
        import beatcast  # noqa: F401

        return
    except ImportError:
        pass
    link = Path(tempfile.mkdtemp(prefix="beatcast-models-")) / "beatcast"
    link.symlink_to(MODELS_DIR.parent, target_is_directory=True)
    sys.path.insert(0, str(link.parent))


class ModelBuilder:
    """A QgsProcessingModelAlgorithm put together child by child; positions lay it out for the Modeler."""

    def __init__(self, name: str, help_text: str):
        from qgis.core import QgsProcessingModelAlgorithm

        self.model = QgsProcessingModelAlgorithm(name, GROUP, GROUP_ID)
        self.help = {"ALG_DESC": help_text, "ALG_CREATOR": AUTHOR, "ALG_HELP_CREATOR": AUTHOR}
        self.n_parameters = 0
        self.n_children = 0

    def parameter(self, definition, help_text: str = ""):
        """Adds a model input (its name is API: UPPER_SNAKE, like the algorithms' parameters)."""
        from qgis.core import QgsProcessingModelParameter
        from qgis.PyQt.QtCore import QPointF

        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(120, 60 + 70 * self.n_parameters))
        self.n_parameters += 1
        if help_text:
            definition.setHelp(help_text)
            self.help[definition.name()] = help_text
        self.model.addModelParameter(definition, component)
        return definition

    def cloned(self, algorithm_id: str, child_name: str, name: str, description: str, help_text: str = ""):
        """A model input of the same type and settings as a child algorithm's parameter."""
        definition = algorithm(algorithm_id).parameterDefinition(child_name).clone()
        definition.setName(name)
        definition.setDescription(description)
        return self.parameter(definition, help_text)

    def child(self, child_id: str, algorithm_id: str, description: str, sources: dict, after=(), branch=None):
        """Adds a child: ``sources`` maps its parameter names to a source (or a list of them); every other
        input parameter gets the algorithm's default; ``after`` lists children it must run after."""
        from qgis.core import (
            QgsProcessingModelChildAlgorithm,
            QgsProcessingModelChildDependency,
            QgsProcessingModelChildParameterSource,
        )
        from qgis.PyQt.QtCore import QPointF

        alg = algorithm(algorithm_id)
        names = {d.name() for d in alg.parameterDefinitions()}
        unknown = set(sources) - names
        if unknown:
            raise SystemExit(f"{child_id}: {algorithm_id} has no parameter {', '.join(sorted(unknown))}")
        child = QgsProcessingModelChildAlgorithm(algorithm_id)
        child.setChildId(child_id)
        child.setDescription(description)
        child.setPosition(QPointF(520, 60 + 140 * self.n_children))
        self.n_children += 1
        for definition in alg.parameterDefinitions():
            name = definition.name()
            if name in sources:
                value = sources[name]
                child.addParameterSources(name, value if isinstance(value, list) else [value])
            elif not definition.isDestination():
                default = QgsProcessingModelChildParameterSource.fromStaticValue(definition.defaultValue())
                child.addParameterSources(name, [default])
        dependencies = [QgsProcessingModelChildDependency(c) for c in after]
        if branch:
            dependencies.append(QgsProcessingModelChildDependency(*branch))
        child.setDependencies(dependencies)
        self.model.addChildAlgorithm(child)
        return child

    def finish(self):
        self.model.setHelpContent(self.help)
        ok, errors = self.model.validate()
        if not ok:
            raise SystemExit(f"{self.model.name()}: " + "; ".join(errors))
        return self.model


def algorithm(algorithm_id: str):
    from qgis.core import QgsApplication

    found = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    if found is None:
        raise SystemExit(f"{algorithm_id} is not registered")
    return found


# Sources, short names.
def static(value):
    from qgis.core import QgsProcessingModelChildParameterSource

    return QgsProcessingModelChildParameterSource.fromStaticValue(value)


def param(name: str):
    from qgis.core import QgsProcessingModelChildParameterSource

    return QgsProcessingModelChildParameterSource.fromModelParameter(name)


def output(child_id: str, name: str = "OUTPUT"):
    from qgis.core import QgsProcessingModelChildParameterSource

    return QgsProcessingModelChildParameterSource.fromChildOutput(child_id, name)


def beside_geopackage(suffix: str):
    """A file named after the GEOPACKAGE input: <folder>/<name><suffix>."""
    from qgis.core import QgsProcessingModelChildParameterSource

    return QgsProcessingModelChildParameterSource.fromExpression(
        f"regexp_replace(@GEOPACKAGE, '[.][gG][pP][kK][gG]$', '') || '{suffix}'"
    )


def geopackage_parameter(builder: ModelBuilder, help_text: str):
    from qgis.core import QgsProcessingParameterFile

    # A file input, not a destination: a model's own destination parameters only exist for child outputs
    # marked as model outputs (named "child:output"), and every child must write into this one file.
    return builder.parameter(
        QgsProcessingParameterFile(
            "GEOPACKAGE", "Output GeoPackage (created or updated)", QgsProcessingParameterFile.File, "gpkg"
        ),
        help_text,
    )


def import_parameters(builder: ModelBuilder) -> None:
    from qgis.core import QgsProcessingParameterString

    imp = "beatcast:importincidents"
    builder.cloned(imp, "INPUT_FILES", "EXPORT_FILES", "Incident export files (CSV, Excel, ...)",
                   "One file per export (RMS reports, CAD calls, 911 calls); duplicates across them are "
                   "merged.")  # fmt: skip
    builder.cloned(imp, "SOURCE_CRS", "SOURCE_CRS", "CRS of projected x/y fields",
                   "Needed when an export has projected x/y columns (not latitude/longitude).")  # fmt: skip
    builder.parameter(
        QgsProcessingParameterString("TIMEZONE", "Time zone of local times", "UTC"),
        "IANA name, for example America/Chicago.",
    )
    builder.cloned(imp, "BOUNDARY", "BOUNDARY", "Jurisdiction boundary",
                   "Incidents outside it are rejected; the grid covers it.")  # fmt: skip
    builder.cloned(imp, "CATEGORY_MAP", "CATEGORY_MAP", "Category map (CSV: source, value, category)")


def import_children(builder: ModelBuilder, cell_size_param: str, label_sources: dict) -> None:
    builder.child(
        "import", "beatcast:importincidents", "Import incidents",
        {
            "INPUT_FILES": param("EXPORT_FILES"), "SOURCE_CRS": param("SOURCE_CRS"),
            "TIMEZONE": param("TIMEZONE"), "BOUNDARY": param("BOUNDARY"),
            "CATEGORY_MAP": param("CATEGORY_MAP"), "MERGE_WITHIN_SOURCE": static(True),
            "OUTPUT": param("GEOPACKAGE"),
        },
    )  # fmt: skip
    builder.child(
        "grid", "beatcast:buildgrid", "Build grid",
        {
            "BOUNDARY": param("BOUNDARY"), "CELL_SIZE": param(cell_size_param),
            "INCIDENTS": output("import"), **label_sources, "OUTPUT": param("GEOPACKAGE"),
        },
    )  # fmt: skip


def cell_size_parameter(builder: ModelBuilder, default: float) -> None:
    from qgis.core import QgsProcessingParameterNumber

    builder.parameter(
        QgsProcessingParameterNumber(
            "CELL_SIZE", "Cell size (grid CRS units, metres)", QgsProcessingParameterNumber.Double, default,
            minValue=1.0,
        ),
        "Side of the square cells.",
    )  # fmt: skip


def district_parameters(builder: ModelBuilder) -> None:
    builder.cloned("beatcast:patrolplan", "DISTRICTS", "DISTRICTS", "Districts (beats, precincts)",
                   "Labels the grid cells and spreads patrol zones over the districts.")  # fmt: skip
    field = builder.cloned("beatcast:patrolplan", "DISTRICT_FIELD", "DISTRICT_FIELD", "District name field")
    field.setParentLayerParameterName("DISTRICTS")


def forecast_parameters(builder: ModelBuilder) -> None:
    builder.cloned("beatcast:forecastrisk", "MODEL", "MODEL", "Forecast model",
                   "0 ensemble (default), 1 boosted, 2 SEPP, 3 prospective, 4 KDE, 5 naive recent, "
                   "6 naive seasonal, 7 naive long run.")  # fmt: skip
    builder.cloned(
        "beatcast:forecastrisk", "HOTSPOT_AREA", "HOTSPOT_AREA", "Hotspot zones: share of the area (%)"
    )


def patrol_parameters(builder: ModelBuilder) -> None:
    from qgis.core import QgsProcessingParameterNumber

    pp = "beatcast:patrolplan"
    builder.cloned(pp, "STATIONS", "STATIONS", "Stations (depots)")
    builder.cloned(pp, "ROADS", "ROADS", "Road network (empty: straight lines)")
    speed = builder.cloned(pp, "SPEED_FIELD", "SPEED_FIELD", "Road speed field (km/h)")
    speed.setParentLayerParameterName("ROADS")
    for name, description, default, minimum in (
        ("CANDIDATES", "Candidate cells (highest forecast)", 60, 1),
        ("UNITS", "Patrol units", 8, 1),
        ("ROUTE_TIME_LIMIT", "Routing search time (seconds)", 10, 1),
    ):
        builder.parameter(
            QgsProcessingParameterNumber(name, description, QgsProcessingParameterNumber.Integer, default,
                                         minValue=minimum)
        )  # fmt: skip
    builder.cloned(pp, "SHIFT_START", "SHIFT_START", "Shift start (HH:MM)")
    builder.cloned(pp, "MIN_PER_DISTRICT", "MIN_PER_DISTRICT",
                   "At least this many zones per district (empty: the policy's)",
                   "Needs DISTRICTS and DISTRICT_FIELD when above 0.")  # fmt: skip


def audit_parameters(builder: ModelBuilder) -> None:
    builder.cloned("beatcast:biasaudit", "AREAS", "CENSUS_AREAS", "Census areas with population by group",
                   "Who the patrol plan's visits reach: the bias audit compares groups living in these "
                   "areas.")  # fmt: skip
    groups = builder.cloned(
        "beatcast:biasaudit", "GROUP_FIELDS", "GROUP_FIELDS", "Population fields, one per group"
    )
    groups.setParentLayerParameterName("CENSUS_AREAS")


def forecast_plan_audit_children(builder: ModelBuilder, cube_name, cube_after: list, grid, incidents) -> None:
    builder.child(
        "forecast", "beatcast:forecastrisk", "Forecast risk",
        {
            "CUBE": param("GEOPACKAGE"), "CUBE_NAME": cube_name, "GRID": grid,
            "MODEL": param("MODEL"), "HOTSPOT_AREA": param("HOTSPOT_AREA"), "SEED": static(1),
            "OUTPUT": param("GEOPACKAGE"),
            "EXPECTED_RASTER": beside_geopackage("_forecast_expected.tif"),
            "LOWER_RASTER": beside_geopackage("_forecast_lower90.tif"),
            "UPPER_RASTER": beside_geopackage("_forecast_upper90.tif"),
        },
        after=cube_after,
    )  # fmt: skip
    builder.child(
        "patrol", "beatcast:patrolplan", "Patrol plan",
        {
            "FORECAST": output("forecast"), "FIELD": static("expected"),
            "CANDIDATES": param("CANDIDATES"), "STATIONS": param("STATIONS"), "UNITS": param("UNITS"),
            "SHIFT_START": param("SHIFT_START"), "VISITS_PER_ZONE": static(2),
            "MIN_REVISIT_MINUTES": static(120), "ROADS": param("ROADS"), "SPEED_FIELD": param("SPEED_FIELD"),
            "SPLIT_CROSSINGS": static(True), "DISTRICTS": param("DISTRICTS"),
            "DISTRICT_FIELD": param("DISTRICT_FIELD"), "MIN_PER_DISTRICT": param("MIN_PER_DISTRICT"),
            "ROUTE_TIME_LIMIT": param("ROUTE_TIME_LIMIT"), "SEED": static(1), "OUTPUT": param("GEOPACKAGE"),
        },
    )  # fmt: skip
    builder.child(
        "audit", "beatcast:biasaudit", "Bias audit",
        {
            "CELLS": output("patrol"), "EXPOSURE_FIELD": static("visits"), "EXPOSURE_KIND": static(1),
            "AREAS": param("CENSUS_AREAS"), "GROUP_FIELDS": param("GROUP_FIELDS"),
            "INCIDENTS": incidents, "OUTPUT": param("GEOPACKAGE"),
            "REPORT": beside_geopackage("_bias_audit.html"),
        },
    )  # fmt: skip


PIPELINE_HELP = (
    "<p>The whole BeatCast chain on incident exports: <b>Import incidents</b> -> <b>Build grid</b> (cells "
    "labelled with their district) -> <b>Aggregate incidents</b> into a weekly cube -> <b>Forecast risk</b> "
    "for the week after the cube -> <b>Patrol plan</b> for one shift -> <b>Bias audit</b> of who the plan's "
    "visits reach, by census group; with RUN_BACKTEST, a <b>Backtest</b> of the models over the last 8 weeks "
    "as well.</p><p>Every table goes into GEOPACKAGE (incidents, grid, cell_counts, forecast_cells, "
    "patrol_zones, patrol_routes, patrol_schedule, bias_audit_*, the run log); the weekly cube, the forecast "
    "rasters and the audit report are written beside it (&lt;name&gt;.weekly.cube.npz, "
    "&lt;name&gt;_forecast_*.tif, &lt;name&gt;_bias_audit.html). Settings not offered here keep the "
    "algorithms' defaults (and the shipped policy's): open the model in the Modeler to change them.</p>"
)


def build_pipeline():
    from qgis.core import QgsProcessingParameterBoolean

    b = ModelBuilder("beatcast_pipeline", PIPELINE_HELP)
    import_parameters(b)
    cell_size_parameter(b, 150.0)
    district_parameters(b)
    b.cloned("beatcast:aggregateincidents", "START_DATE", "START_DATE", "First day of the weekly cube",
             "Empty: the first incident's week. A Monday keeps weeks aligned.")  # fmt: skip
    b.cloned("beatcast:aggregateincidents", "END_DATE", "END_DATE", "Last day of the weekly cube",
             "Empty: the last incident's day; the forecast is for the week after the cube.")  # fmt: skip
    forecast_parameters(b)
    patrol_parameters(b)
    audit_parameters(b)
    b.parameter(
        QgsProcessingParameterBoolean("RUN_BACKTEST", "Backtest the models (slow)", False),
        "Scores every model on the last 8 weeks (PAI, hit rate): tables backtest_* and a chart.",
    )
    geopackage_parameter(b, "Every table of the run goes into this GeoPackage (created when absent).")
    import_children(b, "CELL_SIZE", {"LABELS": param("DISTRICTS"), "LABEL_FIELDS": param("DISTRICT_FIELD")})
    b.child(
        "weekly", "beatcast:aggregateincidents", "Aggregate incidents (weekly cube)",
        {
            "INCIDENTS": output("import"), "GRID": output("grid"), "UNIT": static(3),
            "START_DATE": param("START_DATE"), "END_DATE": param("END_DATE"), "CUBE_NAME": static("weekly"),
            "OUTPUT": param("GEOPACKAGE"),
        },
    )  # fmt: skip
    # The forecast reads the cube the "weekly" child wrote into GEOPACKAGE: an explicit dependency.
    forecast_plan_audit_children(b, static("weekly"), ["weekly"], output("grid"), output("import"))
    b.child(
        "backtest_switch",
        "native:condition",
        "Backtest?",
        {},
        after=["weekly"],
    )
    switch = b.model.childAlgorithm("backtest_switch")
    switch.setConfiguration({"conditions": [{"name": "backtest", "expression": "@RUN_BACKTEST"}]})
    b.child(
        "backtest", "beatcast:backtest", "Backtest",
        {
            "CUBE": param("GEOPACKAGE"), "CUBE_NAME": static("weekly"), "GRID": output("grid"),
            "PERIODS": static(8), "OUTPUT": param("GEOPACKAGE"),
            "CHART": beside_geopackage("_backtest_pai.png"),
        },
        after=["weekly"], branch=("backtest_switch", "backtest"),
    )  # fmt: skip
    return b.finish()


FORECAST_AND_PLAN_HELP = (
    "<p>From a cube to a patrol plan: <b>Forecast risk</b> for the period after the cube (CUBE_NAME in "
    "GEOPACKAGE, counted on GRID) -> <b>Patrol plan</b> for one shift -> <b>Bias audit</b> of who the plan's "
    "visits reach, by census group.</p><p>The tables (forecast_cells, forecast_hotspots, patrol_zones, "
    "patrol_routes, patrol_schedule, bias_audit_*) are added to GEOPACKAGE; the forecast rasters and the "
    "audit report are written beside it (&lt;name&gt;_forecast_*.tif, &lt;name&gt;_bias_audit.html). Run "
    "it each week after adding the new incidents to the cube.</p>"
)


def build_forecast_and_plan():
    from qgis.core import QgsProcessingParameterString

    b = ModelBuilder("beatcast_forecast_and_plan", FORECAST_AND_PLAN_HELP)
    geopackage_parameter(b, "The GeoPackage holding the cube (from Aggregate incidents); the outputs are "
                            "added to it.")  # fmt: skip
    b.parameter(QgsProcessingParameterString("CUBE_NAME", "Cube name", "weekly"))
    b.cloned("beatcast:forecastrisk", "GRID", "GRID", "Grid the cube was counted on")
    b.cloned("beatcast:biasaudit", "INCIDENTS", "INCIDENTS", "Reported incidents (for the audit)")
    forecast_parameters(b)
    patrol_parameters(b)
    district_parameters(b)
    audit_parameters(b)
    forecast_plan_audit_children(b, param("CUBE_NAME"), [], param("GRID"), param("INCIDENTS"))
    return b.finish()


IMPORT_AND_GRID_HELP = (
    "<p>From incident exports to a cube: <b>Import incidents</b> -> <b>Build grid</b> (cells labelled with "
    "their district when DISTRICTS is given) -> <b>Aggregate incidents</b> into a daily cube with one layer "
    "per category.</p><p>The tables (incidents, rejected_rows, grid, cell_counts, the run log) go into "
    "GEOPACKAGE and the cube beside it (&lt;name&gt;.daily.cube.npz). Aggregate it again weekly (Aggregate "
    "incidents, UNIT week) for the forecasting models.</p>"
)


def build_import_and_grid():
    b = ModelBuilder("beatcast_import_and_grid", IMPORT_AND_GRID_HELP)
    import_parameters(b)
    cell_size_parameter(b, 150.0)
    district_parameters(b)
    geopackage_parameter(b, "Every table goes into this GeoPackage (created when absent).")
    import_children(b, "CELL_SIZE", {"LABELS": param("DISTRICTS"), "LABEL_FIELDS": param("DISTRICT_FIELD")})
    b.child(
        "daily", "beatcast:aggregateincidents", "Aggregate incidents (daily cube)",
        {
            "INCIDENTS": output("import"), "GRID": output("grid"), "UNIT": static(2),
            "BY_CATEGORY": static(True), "CUBE_NAME": static("daily"), "OUTPUT": param("GEOPACKAGE"),
        },
    )  # fmt: skip
    return b.finish()


BUILDERS = {
    "beatcast_pipeline": build_pipeline,
    "beatcast_forecast_and_plan": build_forecast_and_plan,
    "beatcast_import_and_grid": build_import_and_grid,
}


def build_all(folder: Path) -> list[Path]:
    """Writes every model into ``folder``; the BeatCast provider must be registered."""
    written = []
    for name, build in BUILDERS.items():
        path = folder / f"{name}.model3"
        if not build().toFile(str(path)):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    return written


def canonical(model3_text: str) -> str:
    """The XML in canonical form (attributes sorted): Qt writes attributes in hash order."""
    from xml.etree import ElementTree

    return ElementTree.canonicalize(model3_text, strip_text=True)


def _start_qgis():
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()  # the native algorithms (native:condition)
    _import_beatcast()
    from beatcast.processing_provider.provider import BeatCastProvider, algorithm_classes

    algorithm_classes()  # an ImportError here is reported; inside loadAlgorithms it aborts Python
    provider = BeatCastProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="compare with the shipped files, write nothing")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_HASH_SEED", "0")  # attributes in a stable order: readable diffs in git
    sys.path.append("/usr/share/qgis/python/plugins")  # processing, where QGIS installs it
    app, provider = _start_qgis()
    status = 0
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            for path in build_all(Path(tmp)):
                shipped = MODELS_DIR / path.name
                if not shipped.exists() or canonical(shipped.read_text()) != canonical(path.read_text()):
                    print(f"{shipped.name}: differs from a fresh build (run models/build_models.py)")
                    status = 1
    else:
        for path in build_all(MODELS_DIR):
            print(f"wrote {path}")
    del provider
    app.exitQgis()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
