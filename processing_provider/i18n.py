"""The one translation helper (context "@default", so strings translate whatever module uses them)."""

from qgis.PyQt.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)
