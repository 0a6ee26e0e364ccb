"""The exact list of BeatCast algorithm ids: ids are API (models and scripts store them), never rename."""

# The Python algorithms (processing_provider/provider.py algorithm_classes()).
EXPECTED_ALGORITHM_CLASS_IDS = [
    "beatcast:aggregateincidents",
    "beatcast:appendincidents",
    "beatcast:backtest",
    "beatcast:biasaudit",
    "beatcast:buildgrid",
    "beatcast:cellcovariates",
    "beatcast:democity",
    "beatcast:emerginghotspots",
    "beatcast:exportmappack",
    "beatcast:fairnessfrontier",
    "beatcast:feedbacksimulation",
    "beatcast:forecastrisk",
    "beatcast:hotspotgistar",
    "beatcast:importincidents",
    "beatcast:monitordrift",
    "beatcast:patrolplan",
    "beatcast:timecovariates",
]

# The shipped models (models/<model name>.model3, loaded into the same provider): their ids and their
# UPPER_SNAKE inputs are API too, since analysts' scripts call them through qgis_process.
EXPECTED_MODEL_IDS = [
    "beatcast:beatcast_forecast_and_plan",
    "beatcast:beatcast_import_and_grid",
    "beatcast:beatcast_pipeline",
]

# Everything the BeatCast provider lists (the toolbox, qgis_process list): algorithms and models.
EXPECTED_ALGORITHM_IDS = sorted(EXPECTED_ALGORITHM_CLASS_IDS + EXPECTED_MODEL_IDS)
