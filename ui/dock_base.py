"""What the three BeatCast docks share: a QgsDockWidget holding a message bar above a QgsPanelWidgetStack
(DataPlotly's gui/dock.py pattern), forms loaded from .ui files at runtime, and the dock's state as a
dict of strings the plugin saves into the project."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsDockWidget, QgsMessageBar, QgsPanelWidget, QgsPanelWidgetStack
from qgis.PyQt import uic
from qgis.PyQt.QtWidgets import QVBoxLayout, QWidget

UI_DIR = Path(__file__).resolve().parent


def load_form(name: str):
    """The form class of ``ui/<name>.ui`` (compiled at runtime: no pyuic output is committed)."""
    form, _base = uic.loadUiType(str(UI_DIR / name))
    return form


def default_folder() -> str:
    """The project's folder when the project is saved, else the system's temporary folder."""
    home = QgsProject.instance().homePath()
    return home if home and Path(home).is_dir() else tempfile.gettempdir()


class PlanRunPicker:
    """For the panels with a GeoPackage field (gpkgWidget) and a patrol plan run list (planRunCombo)."""

    def gpkg(self) -> str:
        return self.gpkgWidget.filePath().strip()

    def plan_run_id(self) -> str:
        return self.planRunCombo.currentData() or ""


class BeatCastPanel(QgsPanelWidget):
    """A dock's main panel. Subclasses fill ``state()``/``restore()`` and report through ``message()``."""

    STATE_KEYS: tuple[str, ...] = ()

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.message_bar: QgsMessageBar | None = None

    def message(self, title: str, text: str, level=Qgis.Info, duration: int = 0, rich: bool = False) -> None:
        """Show a message in the dock's bar; plain text is escaped (the bar renders HTML)."""
        if self.message_bar is not None:
            body = text if rich else html.escape(text, quote=False)
            self.message_bar.pushMessage(title, body, level, duration)

    def state(self) -> dict[str, str]:
        return {}

    def restore(self, state: dict[str, str]) -> None:
        """Apply a saved state (keys may be missing: a project saved by an older version)."""


class BeatCastDock(QgsDockWidget):
    """A dock holding one BeatCast panel under a message bar of its own."""

    def __init__(self, key: str, title: str, panel: BeatCastPanel, parent=None):
        super().__init__(title, parent)
        self.key = key
        self.setObjectName(f"BeatCast{key.title().replace('_', '')}Dock")
        self.panel = panel
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message_bar = QgsMessageBar(body)
        layout.addWidget(self.message_bar)
        self.stack = QgsPanelWidgetStack(body)
        self.stack.setMainPanel(panel)
        layout.addWidget(self.stack)
        panel.message_bar = self.message_bar
        self.setWidget(body)

    def state(self) -> dict[str, str]:
        return self.panel.state()

    def restore(self, state: dict[str, str]) -> None:
        self.panel.restore(state)
