"""BeatCast: predictive crime hotspot analysis for QGIS."""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    # Lazy import: QGIS calls this with iface=None under qgis_process.
    from .plugin import BeatCastPlugin

    return BeatCastPlugin(iface)
