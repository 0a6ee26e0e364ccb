"""The exact list of BeatCast algorithm ids: ids are API (models and scripts store them), never rename."""

EXPECTED_ALGORITHM_IDS = [
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
