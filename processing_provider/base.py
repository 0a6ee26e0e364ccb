"""What every BeatCast algorithm shares: grouping, instance creation, and turning engine errors and
cancellation into what Processing expects."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.errors import BeatCastInputError
from ..core.progress import Cancelled
from .i18n import tr

# Marked for pylupdate5 (make ts); translated when shown.
GROUPS = {
    "datapreparation": QT_TRANSLATE_NOOP("@default", "Data preparation"),
    "hotspots": QT_TRANSLATE_NOOP("@default", "Hot spots"),
    "forecasting": QT_TRANSLATE_NOOP("@default", "Forecasting"),
    "patrol": QT_TRANSLATE_NOOP("@default", "Patrol planning"),
    "audit": QT_TRANSLATE_NOOP("@default", "Bias audit"),
    "demo": QT_TRANSLATE_NOOP("@default", "Demo and training"),
}


class BeatCastAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``NAME``, ``DISPLAY_NAME``, ``GROUP_ID`` and implement ``compute`` (what
    ``processAlgorithm`` does, without the error and cancellation handling)."""

    NAME = ""
    DISPLAY_NAME = ""
    GROUP_ID = "datapreparation"
    OUTPUT = "OUTPUT"

    def name(self):
        return self.NAME

    def displayName(self):
        return tr(self.DISPLAY_NAME)

    def group(self):
        return tr(GROUPS[self.GROUP_ID])

    def groupId(self):
        return self.GROUP_ID

    def createInstance(self):
        return type(self)()

    def processAlgorithm(self, parameters, context, feedback):
        try:
            return self.compute(parameters, context, feedback)
        except BeatCastInputError as error:
            raise QgsProcessingException(str(error)) from error
        except Cancelled:
            feedback.reportError(tr("Cancelled: nothing was written."))
            return {}

    def compute(self, parameters, context, feedback) -> dict:
        raise NotImplementedError

    def output_geopackage(self, parameters, context, name: str = "OUTPUT") -> str:
        """The destination path, which must be a GeoPackage (BeatCast keeps related tables together)."""
        destination = self.parameterAsOutputLayer(parameters, name, context)
        if not destination.lower().endswith(".gpkg"):
            raise BeatCastInputError(tr("{} must be a GeoPackage (.gpkg): {}").format(name, destination))
        return destination
