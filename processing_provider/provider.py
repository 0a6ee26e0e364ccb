"""The BeatCast Processing provider (id ``beatcast``)."""

from pathlib import Path

from qgis.core import QgsMessageLog, QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .i18n import tr

PLUGIN_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = PLUGIN_DIR / "models"


def algorithm_classes():
    """Every BeatCast algorithm class, in toolbox order. Ids are API: never rename them."""
    from .aggregate_incidents import AggregateIncidentsAlgorithm
    from .append_incidents import AppendIncidentsAlgorithm
    from .backtest import BacktestAlgorithm
    from .bias_audit import BiasAuditAlgorithm
    from .build_grid import BuildGridAlgorithm
    from .cell_covariates import CellCovariatesAlgorithm
    from .demo_city import DemoCityAlgorithm
    from .emerging_hotspots import EmergingHotspotsAlgorithm
    from .export_map_pack import ExportMapPack
    from .fairness_frontier import FairnessFrontierAlgorithm
    from .feedback_simulation import FeedbackSimulationAlgorithm
    from .forecast_risk import ForecastRiskAlgorithm
    from .hotspot_gistar import HotspotGiStarAlgorithm
    from .import_incidents import ImportIncidentsAlgorithm
    from .monitor_drift import MonitorDriftAlgorithm
    from .patrol_plan import PatrolPlanAlgorithm
    from .time_covariates import TimeCovariatesAlgorithm

    return [
        ImportIncidentsAlgorithm,
        AppendIncidentsAlgorithm,
        BuildGridAlgorithm,
        AggregateIncidentsAlgorithm,
        CellCovariatesAlgorithm,
        TimeCovariatesAlgorithm,
        HotspotGiStarAlgorithm,
        EmergingHotspotsAlgorithm,
        ForecastRiskAlgorithm,
        BacktestAlgorithm,
        MonitorDriftAlgorithm,
        PatrolPlanAlgorithm,
        ExportMapPack,
        BiasAuditAlgorithm,
        FairnessFrontierAlgorithm,
        FeedbackSimulationAlgorithm,
        DemoCityAlgorithm,
    ]


def shipped_models() -> list:
    """The example models in models/*.model3 (ids ``beatcast:<model name>``, API like the algorithms').

    Their child algorithms are looked up when a model runs (each run works on a fresh copy), so loading
    them while this provider is not yet registered is fine."""
    models = []
    for path in sorted(MODELS_DIR.glob("*.model3")):
        model = QgsProcessingModelAlgorithm()
        if model.fromFile(str(path)):
            models.append(model)
        else:
            QgsMessageLog.logMessage(tr("Could not load the model {}").format(path.name), "BeatCast")
    return models


def report_missing_dependencies() -> None:
    """One message-log line per optional package that is missing: what does not work, and the fix."""
    from qgis.core import Qgis, QgsMessageLog

    from ..core.optional import missing

    for package, effect in missing().items():
        QgsMessageLog.logMessage(
            tr("{} is not installed: {}").format(package, effect), "BeatCast", Qgis.Warning
        )


class BeatCastProvider(QgsProcessingProvider):
    def id(self):
        return "beatcast"

    def name(self):
        return "BeatCast"

    def longName(self):  # noqa: N802 (QGIS API name)
        return tr("BeatCast predictive crime hotspot analysis")

    def icon(self):
        return QIcon(str(PLUGIN_DIR / "icon.svg"))

    def loadAlgorithms(self):  # noqa: N802 (QGIS API name)
        report_missing_dependencies()
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
        for model in shipped_models():
            self.addAlgorithm(model)

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802 (QGIS API name)
        # BeatCast keeps incidents, rejected rows and the run log together in one GeoPackage.
        return ["gpkg"]

    def defaultVectorFileExtension(self, hasGeometry=True):  # noqa: N802,N803 (QGIS API names)
        return "gpkg"
