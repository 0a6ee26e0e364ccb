"""The BeatCast docks, created together (plugin.initGui adds them to the main window)."""

from __future__ import annotations

from ..processing_provider.i18n import tr
from .dock_base import BeatCastDock

DOCK_KEYS = ("model_runs", "review", "export", "watch")


def create_docks(iface, parent=None) -> dict[str, BeatCastDock]:
    from .export import ExportPanel
    from .model_runs import ModelRunsPanel
    from .review import ReviewPanel
    from .watch import WatchPanel

    parent = parent or (iface.mainWindow() if iface is not None else None)
    return {
        "model_runs": BeatCastDock("model_runs", tr("BeatCast model runs"), ModelRunsPanel(iface), parent),
        "review": BeatCastDock("review", tr("BeatCast parameter review"), ReviewPanel(iface), parent),
        "export": BeatCastDock("export", tr("BeatCast map pack export"), ExportPanel(iface), parent),
        "watch": BeatCastDock("watch", tr("BeatCast watch"), WatchPanel(iface), parent),
    }
