"""The one place outputs get their style, and are (conditionally) loaded under a readable name.

Styles are QML files in ``styles/`` (``style="incidents"``) or quantile classes of a field computed on
the data (``style="graduated:<field>"``), applied by a layer post-processor only when the user asked for
the output to be loaded (``context.willLoadLayerOnCompletion``). Post-processor instances live in a
module-level dict: on QGIS 3.22 one held only by the algorithm is garbage-collected before it runs.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingContext, QgsProcessingLayerPostProcessorInterface

STYLE_DIR = Path(__file__).resolve().parent.parent / "styles"
_KEEP_ALIVE: dict[str, QgsProcessingLayerPostProcessorInterface] = {}


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, style: str):
        super().__init__()
        self.style = style

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API name)
        path = STYLE_DIR / f"{self.style}.qml"
        if layer is not None and layer.isValid() and path.exists():
            message, ok = layer.loadNamedStyle(str(path))
            if not ok and feedback is not None:
                feedback.reportError(f"style {path.name}: {message}")
            layer.triggerRepaint()


class GraduatedPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Quantile classes of a numeric field (class breaks depend on the data, so no fixed QML), drawn
    over the cell outlines of a QML style."""

    def __init__(self, field: str, ramp: str = "Reds", classes: int = 7, base_style: str | None = None):
        super().__init__()
        self.field, self.ramp, self.classes, self.base_style = field, ramp, classes, base_style

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API name)
        from qgis.core import (
            QgsClassificationQuantile,
            QgsFillSymbol,
            QgsGraduatedSymbolRenderer,
            QgsStyle,
        )

        if layer is None or not layer.isValid() or layer.fields().indexOf(self.field) < 0:
            return
        symbol = QgsFillSymbol.createSimple({"outline_style": "no", "style": "solid"})
        renderer = QgsGraduatedSymbolRenderer(self.field)
        renderer.setSourceSymbol(symbol)
        renderer.setClassificationMethod(QgsClassificationQuantile())
        renderer.updateClasses(layer, self.classes)
        ramp = QgsStyle.defaultStyle().colorRamp(self.ramp)
        if ramp is not None:
            renderer.updateColorRamp(ramp)
        layer.setRenderer(renderer)
        layer.triggerRepaint()


def _release_all() -> None:
    """Drop the post-processors while QGIS is still alive: destroying them after the application has
    gone aborts QGIS on exit."""
    _KEEP_ALIVE.clear()


def _post_processor(style: str) -> QgsProcessingLayerPostProcessorInterface:
    if not _KEEP_ALIVE:
        from qgis.core import QgsApplication

        app = QgsApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_release_all)
    if style not in _KEEP_ALIVE:
        if style.startswith("graduated:"):
            _KEEP_ALIVE[style] = GraduatedPostProcessor(style.split(":", 1)[1])
        else:
            _KEEP_ALIVE[style] = StylePostProcessor(style)
    return _KEEP_ALIVE[style]


def load_sublayer(
    context: QgsProcessingContext, destination: str, uri: str, style: str | None, output_name: str
) -> bool:
    """Load ``uri`` (a layer inside the destination GeoPackage) instead of the bare destination path.

    Only when the user asked to load the destination; returns whether it will be loaded.
    """
    if not context.willLoadLayerOnCompletion(destination):
        return False
    details = context.layerToLoadOnCompletionDetails(destination)
    name, project = details.name, details.project
    layers = context.layersToLoadOnCompletion()
    layers.pop(destination, None)
    context.setLayersToLoadOnCompletion(layers)
    add_layer(context, uri, name, style, output_name, project)
    return True


def add_layer(context, uri: str, name: str, style: str | None, output_name: str, project=None) -> None:
    """Queue a companion output for loading (call only when its main output is being loaded)."""
    details = QgsProcessingContext.LayerDetails(name, project or context.project(), output_name)
    context.addLayerToLoadOnCompletion(uri, details)
    if style:
        context.layerToLoadOnCompletionDetails(uri).setPostProcessor(_post_processor(style))
