"""BeatCast: predictive crime hotspot analysis for QGIS."""

_translator = None  # the installed QTranslator: kept referenced here, as Qt does not own it


def install_translator(locale=None):
    """Install i18n/beatcast_<locale>.qm for QGIS's language (QgsApplication.locale(): the user's override
    in Settings > Options > General, else the system's), or for ``locale`` ("es", "es_MX"...). Called by
    classFactory, before the provider creates its algorithms, under qgis_process too. Returns the
    translator, or None when there is no translation for that language (English: the source strings)."""
    global _translator
    from pathlib import Path

    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
    locale = locale if locale is not None else (QgsApplication.locale() or "")
    folder = Path(__file__).resolve().parent / "i18n"
    for name in dict.fromkeys((locale, locale[:2])):  # "es_MX" falls back to "es"
        translator = QTranslator()
        if name and translator.load(str(folder / f"beatcast_{name}.qm")):
            QCoreApplication.installTranslator(translator)
            _translator = translator
            break
    return _translator


def classFactory(iface):  # noqa: N802 (QGIS API name)
    install_translator()
    # Lazy import: QGIS calls this with iface=None under qgis_process.
    from .plugin import BeatCastPlugin

    return BeatCastPlugin(iface)
