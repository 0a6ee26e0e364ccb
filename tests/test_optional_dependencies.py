"""Without scikit-learn and OR-Tools the plugin still loads; the algorithms that need them say what to
install, the rest run (a child process where both are made unimportable)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from algorithm_ids import EXPECTED_ALGORITHM_IDS
from conftest import BEATCAST_LINK

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, os, sys
    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in ("sklearn", "ortools", "threadpoolctl"):
                raise ModuleNotFoundError(f"No module named {name!r} (refused by the test)", name=name)
            return None
    sys.meta_path.insert(0, Refuse())
    for name in [m for m in sys.modules if m.split(".")[0] in ("sklearn", "ortools")]:
        del sys.modules[name]
    sys.path.insert(0, sys.argv[1])
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from qgis.core import QgsApplication, QgsMessageLog, QgsProcessingException
    app = QgsApplication([], False)
    app.initQgis()
    log = []
    QgsApplication.messageLog().messageReceived.connect(lambda msg, tag, level: log.append(msg))
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing
    Processing.initialize()
    from beatcast.processing_provider.provider import BeatCastProvider
    from beatcast.core.forecasting import MODELS
    provider = BeatCastProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    app.processEvents()
    cube, forecast, city, out = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    report = {"ids": sorted(a.id() for a in provider.algorithms()), "log": list(log), "runs": {}}
    def attempt(label, alg, params):
        try:
            processing.run(alg, params)
            report["runs"][label] = "ok"
        except QgsProcessingException as error:
            report["runs"][label] = str(error)
    forecast_params = {"CUBE": cube, "CUBE_NAME": "weekly", "GRID": cube + "|layername=grid",
                       "OUTPUT": out + "/f.gpkg", "EXPECTED_RASTER": out + "/e.tif",
                       "LOWER_RASTER": out + "/l.tif", "UPPER_RASTER": out + "/u.tif"}
    attempt("forecast_kde", "beatcast:forecastrisk", {**forecast_params, "MODEL": MODELS.index("kde")})
    boosted = {**forecast_params, "MODEL": MODELS.index("boosted")}
    attempt("forecast_boosted", "beatcast:forecastrisk", boosted)
    audit = {"CELLS": forecast, "AREAS": city + "/census_areas.geojson",
             "GROUP_FIELDS": ["pop_group_a", "pop_group_b"], "OUTPUT": out + "/a.gpkg"}
    attempt("audit", "beatcast:biasaudit", audit)
    attempt("audit_proxies", "beatcast:biasaudit", {**audit, "FEATURES": cube + "|layername=cell_covariates",
                                                    "OUTPUT": out + "/b.gpkg"})
    attempt("patrol", "beatcast:patrolplan", {"FORECAST": forecast, "STATIONS": city + "/stations.geojson",
                                               "OUTPUT": out + "/p.gpkg"})
    print("REPORT " + json.dumps(report))
    QgsApplication.processingRegistry().removeProvider(provider)
    """
)


def test_plugin_works_without_the_optional_packages(demo_cube, demo_forecast, demo_city_dir, tmp_path):
    script = tmp_path / "without.py"
    script.write_text(SCRIPT, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(script), str(BEATCAST_LINK.parent), str(demo_cube), demo_forecast,
         str(demo_city_dir), str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    line = next((x for x in completed.stdout.splitlines() if x.startswith("REPORT ")), None)
    assert line, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(line[len("REPORT ") :])
    assert [i for i in report["ids"] if i in EXPECTED_ALGORITHM_IDS] == sorted(EXPECTED_ALGORITHM_IDS)
    logged = " ".join(report["log"])
    assert "scikit-learn is not installed" in logged and "OR-Tools is not installed" in logged
    runs = report["runs"]
    assert runs["forecast_kde"] == "ok" and runs["audit"] == "ok"
    assert "needs scikit-learn" in runs["forecast_boosted"] and "python3-sklearn" in runs["forecast_boosted"]
    assert "needs scikit-learn" in runs["audit_proxies"]
    assert "needs OR-Tools" in runs["patrol"] and "--no-deps" in runs["patrol"]
