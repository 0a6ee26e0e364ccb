"""The Spanish translation: complete and consistent (scripts/i18n_check.py), up to date with the sources
(`make ts`) and compiled (`make qm`), and loaded by the plugin: algorithm names, groups, options, help and
dock labels switch to Spanish with the translator and back to English without it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QLabel

import beatcast

REPO_ROOT = Path(__file__).resolve().parent.parent
TS = REPO_ROOT / "i18n" / "beatcast_es.ts"
QM = REPO_ROOT / "i18n" / "beatcast_es.qm"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


i18n_check = _script("i18n_check")
i18n_fill = _script("i18n_fill")


def _messages(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name"), message.findtext("source"))
        for context in root.iter("context")
        for message in context.iter("message")
        if message.find("translation") is None
        or message.find("translation").get("type") not in ("obsolete", "vanished")
    }


def test_spanish_ts_is_complete_and_consistent():
    checked, problems = i18n_check.check_ts(TS)
    assert checked > 500
    assert not problems, "\n".join(problems[:30]) + "\n(translate them: see scripts/i18n_fill.py)"


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("{} cells", "celdas", "placeholders"),
        ("{:.2f} of {}", "{} de {:.2f}", "placeholders"),
        ("<p>Grid</p>", "<p>Cuadrícula", "HTML tags"),
        ("a &lt;b&gt;", "a <b>", "entities"),
        ("Give INPUT_FILES", "Indique ARCHIVOS", "parameter names"),
        ("ORIGIN: {} is not a date", "ORIGEN: {} no es una fecha", "must start with"),
        ("  (current tables)", "(tablas actuales)", "whitespace"),
        ("Grid", " ", "empty"),
    ],
)
def test_checker_reports_broken_translations(source, translation, problem):
    assert any(problem in p for p in i18n_check.message_problems(source, translation))
    assert not i18n_check.message_problems(source, source)


def test_checker_fails_on_unfinished_messages(tmp_path):
    ts = tmp_path / "x_es.ts"
    ts.write_text(
        "<TS version='2.1' language='es'><context><name>@default</name>"
        "<message><source>Grid</source><translation type='unfinished'/></message>"
        "<message><source>Old</source><translation type='obsolete'>Viejo</translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    assert i18n_check.main([str(ts)]) == 1
    assert i18n_fill.apply(ts, {"Grid": "Cuadrícula"})[1] == []
    assert i18n_check.main([str(ts)]) == 0
    assert _messages(ts) == {("@default", "Grid")}  # the obsolete entry was dropped


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 is not installed (make setup)")
def test_ts_holds_every_translatable_string_of_the_sources(tmp_path):
    """What `make ts` would extract now is what the shipped .ts holds: run `make ts` after adding strings."""
    sources = sorted(
        str(p.relative_to(REPO_ROOT))
        for folder in ("core", "processing_provider", "ui")
        for p in (REPO_ROOT / folder).rglob("*")
        if p.suffix in (".py", ".ui") and "__pycache__" not in p.parts
    )
    runtime = tmp_path / "runtime_strings.py"
    i18n_fill.runtime_strings(runtime)
    fresh = tmp_path / "fresh_es.ts"
    subprocess.run(
        ["pylupdate5", "__init__.py", "plugin.py", *sources, str(runtime), "-ts", str(fresh)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    missing = _messages(fresh) - _messages(TS)
    assert not missing, f"not in {TS.name} (run make ts, translate, make qm): {sorted(missing)[:20]}"
    stale = _messages(TS) - _messages(fresh)
    assert not stale, f"no longer in the sources (run make ts): {sorted(stale)[:20]}"


@pytest.mark.skipif(shutil.which("lrelease") is None, reason="lrelease is not installed (make setup)")
def test_qm_is_compiled_from_the_ts(tmp_path):
    compiled = tmp_path / "beatcast_es.qm"
    subprocess.run(["lrelease", "-silent", str(TS), "-qm", str(compiled)], check=True)
    assert QM.is_file(), "i18n/beatcast_es.qm is missing: make qm"
    assert compiled.read_bytes() == QM.read_bytes(), "i18n/beatcast_es.qm is out of date: make qm"


@pytest.fixture
def restore_translator():
    yield
    beatcast.install_translator()  # what QGIS's language asks for, as classFactory left it


def _algorithm(algorithm_id):
    algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    assert algorithm is not None, algorithm_id
    instance = algorithm.createInstance()  # parameter descriptions are translated when they are created
    instance.initAlgorithm()
    return instance


def _texts(qgis_iface):
    from beatcast.ui.docks import create_docks
    from beatcast.ui.export import ExportPanel

    ids = (
        "importincidents",
        "forecastrisk",
        "patrolplan",
        "buildgrid",
        "aggregateincidents",
        "hotspotgistar",
    )
    algorithms = {name: _algorithm(f"beatcast:{name}") for name in ids}  # kept: parameters die with them
    docks = create_docks(qgis_iface)
    panel = ExportPanel(qgis_iface)
    try:
        return {
            "import": algorithms["importincidents"].displayName(),
            "forecast": algorithms["forecastrisk"].displayName(),
            "patrol": algorithms["patrolplan"].displayName(),
            "group": algorithms["buildgrid"].group(),
            "help": algorithms["buildgrid"].shortHelpString()[:20],
            "origin": algorithms["aggregateincidents"].parameterDefinition("ORIGIN").options()[0],
            "neighbours": algorithms["hotspotgistar"].parameterDefinition("NEIGHBOURS").options()[0],
            "rejected": "la fila no se ajusta" in algorithms["importincidents"].shortHelpString(),
            "description": algorithms["buildgrid"].parameterDefinition("CELL_SIZE").description(),
            "dock": docks["export"].windowTitle(),
            "group box": panel.planGroup.title(),
            "label": panel.findChild(QLabel, "planLayoutLabel1").text(),
        }
    finally:
        panel.deleteLater()
        for dock in docks.values():
            dock.deleteLater()


def test_spanish_when_the_translator_is_installed_and_english_without(
    beatcast_provider, qgis_iface, restore_translator
):
    assert beatcast.install_translator("es_ES") is not None  # falls back to beatcast_es.qm
    assert _texts(qgis_iface) == {
        "import": "Importar incidentes",
        "forecast": "Pronosticar riesgo",
        "patrol": "Plan de patrullaje",
        "group": "Preparación de datos",
        "help": "<p>Cubre la jurisdic",
        "origin": "Todos los incidentes",
        "neighbours": "contigüidad (reina)",
        "rejected": True,
        "description": "Tamaño de la celda",
        "dock": "BeatCast: exportación del paquete de mapas",
        "group box": "Plan aprobado",
        "label": "Ejecución del plan",
    }
    assert beatcast.install_translator("en") is None  # no beatcast_en.qm: the English sources
    assert _texts(qgis_iface) == {
        "import": "Import incidents",
        "forecast": "Forecast risk",
        "patrol": "Patrol plan",
        "group": "Data preparation",
        "help": "<p>Covers the jurisd",
        "origin": "All incidents",
        "neighbours": "contiguity (queen)",
        "rejected": False,
        "description": "Cell size",
        "dock": "BeatCast map pack export",
        "group box": "Approved plan",
        "label": "Plan run",
    }


def test_class_factory_follows_the_qgis_language(monkeypatch, restore_translator):
    # QgsApplication.locale(): the language chosen in QGIS's options (locale/overrideFlag and
    # locale/userLocale), else the system's; classFactory installs the translator before initProcessing.
    monkeypatch.setattr(beatcast, "_translator", None)
    from qgis import core

    monkeypatch.setattr(core.QgsApplication, "locale", staticmethod(lambda: "es"))
    beatcast.classFactory(None)
    assert beatcast._translator is not None
    assert QgsApplication.translate("@default", "Build grid") == "Construir cuadrícula"
    monkeypatch.setattr(core.QgsApplication, "locale", staticmethod(lambda: "de"))
    beatcast.classFactory(None)
    assert beatcast._translator is None
    assert QgsApplication.translate("@default", "Build grid") == "Build grid"


@pytest.mark.qgis_process
def test_qgis_process_speaks_spanish_in_a_spanish_locale(qgis_process_env, monkeypatch):
    """qgis_process (no iface) loads the plugin through classFactory too: algorithm help in Spanish."""
    from qgis_process_utils import run_qgis_process

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "es_ES.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    out = run_qgis_process(["help", "beatcast:buildgrid"], qgis_process_env, timeout=120).stdout
    assert "Construir cuadrícula (beatcast:buildgrid)" in out
    assert "BOUNDARY: Límite de la jurisdicción" in out
