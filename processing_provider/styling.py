"""The one place outputs get their style, and are (conditionally) loaded under a readable name.

Styles are QML files in ``styles/`` (``style="incidents"``) or quantile classes of a field computed on
the data (``style="graduated:<field>"``), applied by a layer post-processor only when the user asked for
the output to be loaded (``context.willLoadLayerOnCompletion``). Post-processor instances live in a
module-level dict: on QGIS 3.22 one held only by the algorithm is garbage-collected before it runs.
Each layer gets its own instance: the processing context owns and deletes it.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from qgis.core import QgsProcessingContext, QgsProcessingLayerPostProcessorInterface

from .i18n import tr

STYLE_DIR = Path(__file__).resolve().parent.parent / "styles"
_KEEP_ALIVE: dict[str, QgsProcessingLayerPostProcessorInterface] = {}
_SERIAL = itertools.count()


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, style: str):
        super().__init__()
        self.style = style

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API name)
        path = STYLE_DIR / f"{self.style}.qml"
        if layer is not None and layer.isValid() and path.exists():
            message, ok = layer.loadNamedStyle(str(path))
            if not ok and feedback is not None:
                feedback.reportError(tr("style {}: {}").format(path.name, message))
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
    """A new post-processor for one layer: the layer's details take ownership and the context deletes it
    when it is destroyed, so an instance is never shared between layers or runs. The module-level dict
    keeps the Python side alive until then (QGIS 3.22 drops one held only by the algorithm)."""
    if not _KEEP_ALIVE:
        from qgis.core import QgsApplication

        app = QgsApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_release_all)
    if style.startswith("graduated:"):
        processor = GraduatedPostProcessor(style.split(":", 1)[1])
    elif style.startswith("raster:"):
        processor = RasterPostProcessor(style.split(":", 1)[1])
    else:
        processor = StylePostProcessor(style)
    _KEEP_ALIVE[f"{style}#{next(_SERIAL)}"] = processor
    return processor


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


class RasterPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Pseudocolour of band 1 from 0 to its maximum, transparent at zero, with a named colour ramp."""

    def __init__(self, ramp: str = "Reds"):
        super().__init__()
        self.ramp = ramp

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API name)
        from qgis.core import (
            QgsColorRampShader,
            QgsRasterBandStats,
            QgsRasterShader,
            QgsSingleBandPseudoColorRenderer,
            QgsStyle,
        )

        if layer is None or not layer.isValid():
            return
        stats = layer.dataProvider().bandStatistics(1, QgsRasterBandStats.Max)
        top = stats.maximumValue if stats.maximumValue > 0 else 1.0
        ramp = QgsStyle.defaultStyle().colorRamp(self.ramp)
        shader = QgsColorRampShader(0.0, top)
        shader.setColorRampType(QgsColorRampShader.Interpolated)
        if ramp is not None:
            shader.setSourceColorRamp(ramp)
        items = []
        for k in range(6):
            value = top * k / 5
            color = ramp.color(k / 5) if ramp is not None else None
            if color is not None:
                if k == 0:
                    color.setAlpha(0)
                items.append(QgsColorRampShader.ColorRampItem(value, color, f"{value:.3g}"))
        shader.setColorRampItemList(items)
        raster_shader = QgsRasterShader()
        raster_shader.setRasterShaderFunction(shader)
        layer.setRenderer(QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, raster_shader))
        layer.triggerRepaint()


def style_raster(context, path: str, style: str = "raster:Reds") -> bool:
    """Style a raster output when it is being loaded (``style`` = "raster:<colour ramp>")."""
    if not context.willLoadLayerOnCompletion(path):
        return False
    context.layerToLoadOnCompletionDetails(path).setPostProcessor(_post_processor(style))
    return True
