"""beatcast:democity: writes the seeded synthetic demo city (layers, messy exports, ground truth)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import demo_city
from . import compat
from .base import BeatCastAlgorithm
from .i18n import tr

LAYER_OUTPUTS = {
    "boundary": "BOUNDARY",
    "districts": "DISTRICTS",
    "census_areas": "CENSUS_AREAS",
    "roads": "ROADS",
    "pois": "POIS",
    "stations": "STATIONS",
    "events": "EVENTS",
}
FILE_OUTPUTS = {
    "rms_reports": "RMS_EXPORT",
    "cad_calls": "CAD_EXPORT",
    "calls_911": "CALLS_911_EXPORT",
    "category_map": "CATEGORY_MAP",
    "export_truth": "EXPORT_TRUTH",
    "incidents_truth": "INCIDENTS_TRUTH",
    "weather_daily": "WEATHER",
    "transit_ridership_daily": "TRANSIT_RIDERSHIP",
}


class DemoCityAlgorithm(BeatCastAlgorithm):
    NAME = "democity"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Generate demo city")
    GROUP_ID = "demo"
    SEED = "SEED"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def shortHelpString(self):  # noqa: N802 (QGIS API name)
        return tr(
            "<p>Writes a synthetic city with known crime structure, for training and for trying BeatCast "
            "without real data. The same seed always gives the same files.</p>"
            "<p>Layers (GeoJSON, EPSG:32616): boundary, 5 police districts, 50 census areas with population "
            "by group, roads with speeds, points of interest (bars, transit stops, schools) and one police "
            "station per district.</p>"
            "<p>Exports in <i>exports/</i>: the same two years of incidents as a records system (RMS, "
            "Latin-1, projected x/y), a dispatch system (CAD, lat/lon, UTF-8 with BOM) and a 911 phone "
            "system (UTC times, semicolons) would export them, with the usual problems planted: duplicates, "
            "reversals, missing and zero coordinates, out-of-jurisdiction points, unparseable dates, "
            "conflicting IDs. <i>category_map.csv</i> maps each system's types to five categories. "
            "<i>truth/</i> holds what every messy row really is.</p>"
            "<p>Signals in <i>signals/</i>: daily weather and transit ridership (with a few missing values) "
            "and located events with start and end times, for <b>Time covariates</b>.</p>"
            "<p>Import the exports with <b>Import incidents</b> (time zone America/Chicago, CRS of projected "
            "x/y EPSG:32616, the boundary and the category map).</p>"
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API name)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.SEED, tr("Random seed"), compat.NUMBER_INTEGER, demo_city.DEFAULT_SEED, minValue=0
            )
        )
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder")))
        for name, output in LAYER_OUTPUTS.items():
            self.addOutput(QgsProcessingOutputVectorLayer(output, name.replace("_", " ").capitalize()))
        for name, output in FILE_OUTPUTS.items():
            self.addOutput(QgsProcessingOutputFile(output, name.replace("_", " ").capitalize()))

    def compute(self, parameters, context, feedback):
        seed = self.parameterAsInt(parameters, self.SEED, context)
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        feedback.pushInfo(tr("Generating the demo city (seed {})").format(seed))
        paths = demo_city.write_demo_city(folder, seed=seed)
        feedback.setProgress(100)
        results = {self.OUTPUT_FOLDER: folder}
        for name, output in {**LAYER_OUTPUTS, **FILE_OUTPUTS}.items():
            if name in paths:
                results[output] = str(paths[name])
        return results
