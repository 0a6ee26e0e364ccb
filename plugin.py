"""The plugin object QGIS loads: registers the Processing provider and creates the docks."""

from qgis.core import QgsApplication, QgsProject

from .processing_provider.i18n import tr
from .processing_provider.provider import BeatCastProvider

MENU = "&BeatCast"
SCOPE = "beatcast"  # the project's entries: beatcast/<dock key>/<state key>


class BeatCastPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.docks = {}
        self.actions = []

    def initProcessing(self):  # noqa: N802 (QGIS API name)
        if self.provider is None:
            self.provider = BeatCastProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS API name)
        self.initProcessing()
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtWidgets import QAction

        from .ui.docks import create_docks

        self.docks = create_docks(self.iface)
        for dock in self.docks.values():
            self.iface.addDockWidget(Qt.RightDockWidgetArea, dock)
            dock.hide()
            action = QAction(dock.windowTitle(), self.iface.mainWindow())
            action.setCheckable(True)
            action.setToolTip(tr("Show or hide the {} dock").format(dock.windowTitle()))
            dock.setToggleVisibilityAction(action)
            self.iface.addPluginToMenu(MENU, action)
            self.actions.append(action)
        project = QgsProject.instance()
        project.writeProject.connect(self.write_project)
        project.readProject.connect(self.read_project)

    def write_project(self, *_args):
        project = QgsProject.instance()
        for key, dock in self.docks.items():
            for name, value in dock.state().items():
                project.writeEntry(SCOPE, f"{key}/{name}", value)

    def read_project(self, *_args):
        project = QgsProject.instance()
        for key, dock in self.docks.items():
            state = {}
            for name in dock.panel.STATE_KEYS:
                value, found = project.readEntry(SCOPE, f"{key}/{name}", "")
                if found:
                    state[name] = value
            dock.restore(state)

    def unload(self):
        if self.docks:
            project = QgsProject.instance()
            project.writeProject.disconnect(self.write_project)
            project.readProject.disconnect(self.read_project)
            for action in self.actions:
                # pytest-qgis's stand-in iface lacks removePluginMenu and removeDockWidget.
                remove = getattr(self.iface, "removePluginMenu", None)
                if remove is not None:
                    remove(MENU, action)
                action.deleteLater()
            for dock in self.docks.values():
                stop = getattr(dock.panel, "stop", None)  # the watch dock: its timer and running poll
                if stop is not None:
                    stop()
                remove = getattr(self.iface, "removeDockWidget", None)
                if remove is not None:
                    remove(dock)
                else:
                    self.iface.mainWindow().removeDockWidget(dock)
                dock.close()
                dock.deleteLater()
            self.docks, self.actions = {}, []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
