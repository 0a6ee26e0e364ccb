"""The roll-call map pack: one print layout, page 1 the city, then one page per district.

Every page shows the forecast (graduated on ``expected``), the hotspot zones, the ranked patrol zones and
the unit routes, with a legend, scale bar, north arrow, the shift, a table of the top zones, the visit
order, the approval (or a large DRAFT mark) and the standing disclaimer. Only aggregated layers are drawn;
incident points only on request. The layers live in a QgsProject of their own (kept alive by the layout's
``pack_project`` attribute), so nothing leaks into the user's project. No iface: usable from Processing
and from a dock.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
from qgis.core import (
    QgsApplication,
    QgsClassificationQuantile,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsInvertedPolygonRenderer,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutItemShape,
    QgsLayoutItemTextTable,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLayoutTableStyle,
    QgsLegendStyle,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsRenderContext,
    QgsSimpleFillSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsStyle,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, QVariant
from qgis.PyQt.QtGui import QColor, QFont

from ..core import gpkg, roll_call
from ..core.errors import BeatCastInputError
from ..processing_provider.i18n import tr

PAPERS = {"A4": (297.0, 210.0), "A3": (420.0, 297.0), "Letter": (279.4, 215.9)}  # landscape, mm
DISCLAIMER = QT_TRANSLATE_NOOP(
    "@default",
    "A forecast is not grounds for a stop, search or arrest. It describes places and times, never people.",
)
DRAFT_TEXT = QT_TRANSLATE_NOOP("@default", "DRAFT – NOT APPROVED")
# Decisions, shown with tr(decision).
DECISIONS = (QT_TRANSLATE_NOOP("@default", "approved"), QT_TRANSLATE_NOOP("@default", "rejected"))
STYLE_DIR = Path(__file__).resolve().parent.parent / "styles"
FONT = "DejaVu Sans"
NAVY, GREEN, RED, GREY = QColor(8, 48, 107), QColor(26, 110, 50), QColor(190, 20, 30), QColor(90, 90, 90)
MM = QgsUnitTypes.LayoutMillimeters


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _text_format(size: float, bold: bool = False, color: QColor | None = None) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(_font(size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(color or QColor(20, 20, 20))
    return fmt


# -- layers ------------------------------------------------------------------------------------------------


def _gpkg_layer(path: str, table: str, name: str) -> QgsVectorLayer | None:
    layer = QgsVectorLayer(f"{path}|layername={table}", name, "ogr")
    return layer if layer.isValid() else None


def _style(layer: QgsVectorLayer, style: str) -> None:
    qml = STYLE_DIR / f"{style}.qml"
    if qml.exists():
        layer.loadNamedStyle(str(qml))


def _graduate(layer: QgsVectorLayer, field: str = "expected", classes: int = 6) -> None:
    # Quantile classes of the forecast: breaks depend on the data, so no fixed QML (as styling.py does).
    symbol = QgsFillSymbol.createSimple({"outline_style": "no", "style": "solid"})
    renderer = QgsGraduatedSymbolRenderer(field)
    renderer.setSourceSymbol(symbol)
    method = QgsClassificationQuantile()
    method.setLabelPrecision(2)
    renderer.setClassificationMethod(method)
    renderer.updateClasses(layer, classes)
    ramp = QgsStyle.defaultStyle().colorRamp("Reds")
    if ramp is not None:
        renderer.updateColorRamp(ramp)
    layer.setRenderer(renderer)


def _districts_memory(source, field: str, crs, transform_context) -> tuple[QgsVectorLayer, list[str]]:
    """The districts as a memory layer in the plan's CRS holding the name field only (no other attribute
    of the user's layer reaches the pack)."""
    layer = QgsVectorLayer(f"Polygon?crs={crs.authid() or 'EPSG:4326'}", tr("Districts"), "memory")
    if not crs.authid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes([QgsField("district", QVariant.String)])
    layer.updateFields()
    transform = QgsCoordinateTransform(source.crs(), crs, transform_context)
    features, names = [], []
    for feature in source.getFeatures():
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            continue
        geometry.transform(transform)
        name = str(feature[field]) if field else str(feature.id())
        out = QgsFeature(layer.fields())
        out.setGeometry(geometry)
        out.setAttributes([name])
        features.append(out)
        names.append(name)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "60,60,60,255", "outline_width": "0.5", "outline_style": "dash"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    settings = QgsPalLayerSettings()
    settings.fieldName = "district"
    text = _text_format(10, True, QColor(50, 50, 50))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    text.setBuffer(buffer)
    settings.setFormat(text)
    settings.placement = QgsPalLayerSettings.OverPoint
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return layer, sorted(dict.fromkeys(names))


def _focus_layer(districts: QgsVectorLayer, name: str) -> QgsVectorLayer:
    """One district, drawn as a veil over everything outside it (inverted polygon)."""
    layer = QgsVectorLayer(f"Polygon?crs={districts.crs().authid()}", f"District {name}", "memory")
    layer.setCrs(districts.crs())
    layer.dataProvider().addFeatures([f for f in districts.getFeatures() if f["district"] == name])
    layer.updateExtents()
    veil = QgsFillSymbol()
    veil.changeSymbolLayer(
        0,
        QgsSimpleFillSymbolLayer(
            QColor(255, 255, 255, 150), Qt.SolidPattern, QColor(30, 30, 30), Qt.SolidLine, 0.9
        ),
    )
    layer.setRenderer(QgsInvertedPolygonRenderer(QgsSingleSymbolRenderer(veil)))
    return layer


# -- tables ------------------------------------------------------------------------------------------------


def _limit(rows: list[list[str]], capacity: int, columns: int) -> list[list[str]]:
    if len(rows) <= capacity:
        return rows
    kept = rows[: max(capacity - 1, 0)]
    return [*kept, [tr("+{} more").format(len(rows) - len(kept)), *[""] * (columns - 1)]]


# -- layout items ------------------------------------------------------------------------------------------


class _Page:
    """Places items on one page of the layout, in millimetres from the page's top-left corner."""

    def __init__(self, layout: QgsPrintLayout, index: int):
        self.layout, self.index = layout, index

    def place(self, item, x: float, y: float, w: float, h: float):
        item.attemptResize(QgsLayoutSize(w, h, MM))
        item.attemptMove(QgsLayoutPoint(x, y, MM), page=self.index)
        return item

    def label(self, text, x, y, w, h, size=8.0, bold=False, color=None, align=Qt.AlignLeft, item_id=""):
        item = QgsLayoutItemLabel(self.layout)
        item.setText(text)
        item.setFont(_font(size, bold))
        item.setFontColor(color or QColor(20, 20, 20))
        item.setHAlign(align)
        item.setVAlign(Qt.AlignVCenter if h < 10 else Qt.AlignTop)
        item.setMargin(0.8)
        if item_id:
            item.setId(item_id)
        self.layout.addLayoutItem(item)
        return self.place(item, x, y, w, h)

    def box(self, x, y, w, h, fill: QColor, stroke: QColor | None = None):
        shape = QgsLayoutItemShape(self.layout)
        shape.setShapeType(QgsLayoutItemShape.Rectangle)
        props = {"color": fill.name(QColor.HexArgb), "style": "solid", "outline_style": "no"}
        if stroke is not None:
            props.update({"outline_style": "solid", "outline_color": stroke.name(), "outline_width": "0.4"})
        shape.setSymbol(QgsFillSymbol.createSimple(props))
        self.layout.addLayoutItem(shape)
        return self.place(shape, x, y, w, h)

    def table(self, headings, weights, rows, x, y, w, h, item_id=""):
        table = QgsLayoutItemTextTable(self.layout)
        self.layout.addMultiFrame(table)
        columns = []
        for heading, weight in zip(headings, weights, strict=True):
            column = QgsLayoutTableColumn(heading)
            # Column widths fill the frame (less the grid and cell margins).
            column.setWidth(max((w - 2.2 * len(headings) - 0.5) * weight / sum(weights), 1.0))
            columns.append(column)
        table.setColumns(columns)
        table.setWrapBehavior(QgsLayoutItemTextTable.WrapText)
        table.setHeaderTextFormat(_text_format(7.5, True, QColor(255, 255, 255)))
        table.setContentTextFormat(_text_format(7.5))
        table.setBackgroundColor(QColor(255, 255, 255))
        table.setGridStrokeWidth(0.15)
        table.setGridColor(QColor(170, 170, 170))
        table.setCellMargin(0.9)
        table.setHeaderHAlignment(QgsLayoutItemTextTable.HeaderLeft)
        table.setContents(rows or [["none", *[""] * (len(headings) - 1)]])
        frame = QgsLayoutFrame(self.layout, table)
        if item_id:
            frame.setId(item_id)
        self.place(frame, x, y, w, h)
        table.addFrame(frame)
        for cells, color in ((table.HeaderRow, NAVY), (table.EvenRows, QColor(238, 242, 248))):
            style = QgsLayoutTableStyle()  # a navy header row, banded rows
            style.enabled, style.cellBackgroundColor = True, color
            table.setCellStyle(cells, style)
        return table


def _legend(page: _Page, map_item, layers, x, y, w, h):
    legend = QgsLayoutItemLegend(page.layout)
    legend.setTitle("")
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.clear()
    for layer in layers:
        root.addLayer(layer)
    legend.setLinkedMap(map_item)
    legend.setColumnCount(2)
    legend.setSplitLayer(True)
    legend.setEqualColumnWidth(False)
    for part, font in ((QgsLegendStyle.Subgroup, _font(7.5, True)), (QgsLegendStyle.SymbolLabel, _font(7))):
        legend.setStyleFont(part, font)
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(3.2)
    legend.setColumnSpace(3)
    legend.setResizeToContents(False)
    page.layout.addLayoutItem(legend)
    page.place(legend, x, y, w, h)
    return legend


def _north_arrow(page: _Page, x, y, w, h):
    found = [Path(d) / "arrows" / "NorthArrow_02.svg" for d in QgsApplication.svgPaths()]
    svg = next((p for p in found if p.exists()), None)
    if svg is None:  # no SVG library (minimal installs): an arrow in text
        return page.label("▲\nN", x, y, w, h, 11, True, align=Qt.AlignHCenter)
    picture = QgsLayoutItemPicture(page.layout)
    picture.setPicturePath(str(svg))
    picture.setBackgroundEnabled(True)
    picture.setBackgroundColor(QColor(255, 255, 255, 210))
    page.layout.addLayoutItem(picture)
    return page.place(picture, x, y, w, h)


def _scale_bar(page: _Page, map_item, x, y):
    bar = QgsLayoutItemScaleBar(page.layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setTextFormat(_text_format(7))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 210))
    page.layout.addLayoutItem(bar)
    bar.applyDefaultSize(QgsUnitTypes.DistanceKilometers)
    bar.attemptMove(QgsLayoutPoint(x, y, MM), page=page.index)
    return bar


def _approval_lines(approval, draft: bool) -> tuple[str, str, QColor]:
    if not draft:
        when = str(approval.time_utc).replace("T", " ")[:16]
        return (
            tr("APPROVED by {}").format(approval.by),
            tr("{} UTC · decision {}\nRationale: {}").format(
                when, approval.run_id[:8], approval.rationale[:220]
            ),
            GREEN,
        )
    detail = tr("No approval is recorded for this plan: not for roll call.")
    if approval is not None:
        state = tr("approved, but the plan changed since") if approval.approved else tr(approval.decision)
        detail = tr("Latest decision: {} ({}, {} UTC).").format(
            state, approval.by, str(approval.time_utc)[:16]
        )
    return tr(DRAFT_TEXT), detail, RED


# -- the pack ----------------------------------------------------------------------------------------------


def _default_shift_label(gpkg_path: str) -> str:
    from ..core import runlog

    label = []
    try:
        summary = gpkg.read_table(gpkg_path, "forecast_summary")
        values = dict(zip(summary["key"], summary["value"], strict=True))
        start, end = values.get("forecast from (local)", ""), values.get("forecast to (local)", "")
        if start:
            label.append(tr("forecast {} → {}").format(start[:10], end[:10]))
    except (KeyError, FileNotFoundError):
        pass
    runs = runlog.read_runs(gpkg_path)
    plans = runs[runs["algorithm"] == "beatcast:patrolplan"] if len(runs) else runs
    if len(plans):
        import json

        params = json.loads(plans["parameters_json"].iloc[-1] or "{}")
        label.insert(
            0, tr("Shift {}, {} min").format(params.get("SHIFT_START", "?"), params.get("SHIFT_MINUTES", "?"))
        )
    return " · ".join(label)


def build_map_pack(
    project,
    gpkg_path,
    plan_run_id: str,
    approval,
    districts_layer,
    district_field: str,
    paper: str = "A4",
    title: str | None = None,
    shift_label: str = "",
    include_incident_points: bool = False,
    feedback=None,
    draft: bool | None = None,
) -> QgsPrintLayout:
    """One layout: page 1 the city, then one page per district (in name order).

    ``project`` (may be None) lends its transform context; the layers go into a new QgsProject kept on
    ``layout.pack_project``. ``approval`` is a core.approval.Decision or None; the pages are marked DRAFT
    when ``draft`` is true or (``draft`` None) when there is no valid approval.
    """
    gpkg_path = str(gpkg_path)
    if paper not in PAPERS:
        raise BeatCastInputError(f"PAPER: {paper!r} is not one of {', '.join(PAPERS)}")
    if draft is None:
        draft = approval is None or not approval.approved or approval.plan_changed
    zones, schedule, routes = roll_call.plan_tables(gpkg_path)
    context = project.transformContext() if project is not None else QgsCoordinateTransformContext()
    pack = QgsProject()
    cells = _gpkg_layer(gpkg_path, "forecast_cells", tr("Forecast: expected incidents per cell"))
    if cells is None:
        raise BeatCastInputError(f"PLAN: {gpkg_path} has no forecast_cells layer (run beatcast:forecastrisk)")
    _graduate(cells)
    pack.setCrs(cells.crs())
    layers = {"cells": cells}
    for key, table, name, style in (
        ("hotspots", "forecast_hotspots", tr("Hotspot zones"), "hotspot_zones"),
        ("zones", "patrol_zones", tr("Patrol zones (rank)"), "patrol_zones"),
        ("overview_zones", "patrol_zones", tr("Patrol zones (rank)"), "patrol_zones"),
        ("routes", "patrol_routes", tr("Patrol routes (unit)"), "patrol_routes"),
    ):
        layer = _gpkg_layer(gpkg_path, table, name)
        if layer is not None:
            _style(layer, style)
            layers[key] = layer
    if "hotspots" in layers:
        layers["hotspots"].setLabelsEnabled(False)  # their numbers would read as patrol zone ranks
    if "overview_zones" in layers:
        # The city page cannot show every rank legibly: the ten of the "top zones" table only.
        settings = layers["overview_zones"].labeling().settings()
        settings.fieldName, settings.isExpression = 'CASE WHEN "rank" <= 10 THEN "rank" END', True
        text = settings.format()
        text.setSize(8)
        settings.setFormat(text)
        layers["overview_zones"].setLabeling(QgsVectorLayerSimpleLabeling(settings))
    if include_incident_points:
        incidents = _gpkg_layer(gpkg_path, "incidents", tr("Incidents"))
        if incidents is None and feedback is not None:
            feedback.pushWarning("INCIDENT_POINTS: the plan GeoPackage has no incidents layer")
        elif incidents is not None:
            dot = {"name": "circle", "size": "0.9", "color": "40,40,40,140", "outline_style": "no"}
            incidents.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(dot)))
            layers["incidents"] = incidents
    districts, names = _districts_memory(districts_layer, district_field, cells.crs(), context)
    layers["districts"] = districts
    pack.addMapLayers(list(layers.values()))

    def stack(*keys):
        return [layers[k] for k in keys if k in layers]

    legend_layers = stack("cells", "hotspots", "zones", "routes", "districts", "incidents")
    layout = QgsPrintLayout(pack)
    layout.setName(f"BeatCast map pack {plan_run_id[:8]}")
    layout.pack_project = pack  # keeps the layers' project alive as long as the layout
    city_extent = districts.extent()
    city_extent.combineExtentWith(cells.extent())
    pages = [(tr("City overview"), city_extent, stack("incidents", "routes", "overview_zones", "hotspots",
                                                  "districts", "cells"), zones, schedule)]  # fmt: skip
    for name in names:
        focus = _focus_layer(districts, name)
        pack.addMapLayer(focus, False)
        inside = zones[zones["district"].astype(str) == name]
        page_layers = [focus, *stack("incidents", "routes", "zones", "hotspots", "districts", "cells")]
        visits = schedule[schedule["zone_rank"].isin(inside["rank"])]
        pages.append((tr("District {}").format(name), focus.extent(), page_layers, inside, visits))
    sheet = {
        "size": PAPERS[paper], "title": title or tr("Roll-call map pack"),
        "shift": shift_label or _default_shift_label(gpkg_path),
        "legend": legend_layers, "routes": routes, "schedule": schedule, "approval": approval, "draft": draft,
        "plan_run_id": plan_run_id, "pages": len(pages),
    }  # fmt: skip
    for index, (subtitle, extent, map_layers, page_zones, page_visits) in enumerate(pages):
        if feedback is not None:
            if feedback.isCanceled():
                return layout
            feedback.setProgress(100.0 * index / len(pages))
        page_item = QgsLayoutItemPage(layout)
        page_item.setPageSize(QgsLayoutSize(*sheet["size"], MM))
        layout.pageCollection().addPage(page_item)
        _draw_page(_Page(layout, index), sheet, subtitle, extent, map_layers, page_zones, page_visits)
    return layout


def _draw_page(page: _Page, sheet: dict, subtitle: str, extent, map_layers, zones, visits) -> None:
    width, height = sheet["size"]
    margin, header, white, pale = 8.0, 17.0, QColor(255, 255, 255), QColor(220, 230, 245)
    top, bottom = margin + header + 3, height - margin - 9
    map_w = round(width * 0.57, 1)
    panel_x = margin + map_w + 5
    panel_w = width - margin - panel_x
    # Header band: title and page, shift and plan run.
    page.box(margin, margin, width - 2 * margin, header, NAVY)
    page.label(sheet["title"], margin + 2, margin + 1, width * 0.4, 8, 15, True, white, item_id="title")
    page.label(subtitle, margin + 2, margin + 9, width * 0.4, 7, 10.5, False, pale, item_id="subtitle")
    right_w = width * 0.58 - margin - 2
    page.label(sheet["shift"], width - margin - 2 - right_w, margin + 1, right_w, 8, 10, True, white,
               Qt.AlignRight, item_id="shift")  # fmt: skip
    run = tr("Plan run {} · page {} of {}").format(sheet["plan_run_id"][:12], page.index + 1, sheet["pages"])
    page.label(run, width - margin - 2 - right_w, margin + 9, right_w, 7, 8, False, pale, Qt.AlignRight)
    # Map, north arrow, scale bar, and the DRAFT mark across the map.
    map_h = bottom - top
    map_item = QgsLayoutItemMap(page.layout)
    map_item.setFrameEnabled(True)
    map_item.setId("map")
    page.layout.addLayoutItem(map_item)
    page.place(map_item, margin, top, map_w, map_h)
    map_item.setCrs(map_layers[-1].crs())
    map_item.setLayers(map_layers)
    map_item.setKeepLayerSet(True)
    map_item.zoomToExtent(extent.buffered(max(extent.width(), extent.height()) * 0.04))
    _north_arrow(page, margin + map_w - 12, top + 2, 10, 14)
    _scale_bar(page, map_item, margin + 2, bottom - 11)
    if sheet["draft"]:  # a banner across the top of the map, on white so it reads over the red cells
        banner_w, banner_x = min(map_w - 36, 150.0), margin + 4
        page.box(banner_x, top + 3, banner_w, 13, QColor(255, 255, 255, 225), RED)
        page.label(tr(DRAFT_TEXT), banner_x, top + 3, banner_w, 13, min(24.0, banner_w / 6), True, RED,
                   Qt.AlignHCenter, item_id="draft_mark")  # fmt: skip
    # Right panel: approval, legend, zones table, visit order.
    heading, detail, color = _approval_lines(sheet["approval"], sheet["draft"])
    page.box(panel_x, top, panel_w, 20, QColor(color.red(), color.green(), color.blue(), 28), color)
    page.label(heading, panel_x + 1.5, top + 0.8, panel_w - 3, 7, 11, True, color, item_id="approval")
    page.label(detail, panel_x + 1.5, top + 7.5, panel_w - 3, 12, 7.5, item_id="approval_detail")
    legend_h = 42.0 if map_h < 170 else 52.0
    _legend(page, map_item, sheet["legend"], panel_x, top + 22, panel_w, legend_h)
    y, row_h, title_h = top + 22 + legend_h + 1, 4.6, 6.0
    overview = page.index == 0
    if overview:
        visit_title = tr("Units and visit order (zone ranks)")
        visit_rows = roll_call.unit_rows(sheet["schedule"], sheet["routes"])
        visit_headings, visit_weights = (
            [tr("Unit"), tr("Station"), tr("Zones in visit order"), tr("Back")],
            [1, 1.3, 6.5, 1.2],
        )
    else:
        visit_title, visit_rows = tr("Visit order in this district"), roll_call.visit_rows(visits)
        visit_headings = [tr("Unit"), tr("Stop"), tr("Zone"), tr("Arrive"), tr("Depart")]
        visit_weights = [1, 1, 1, 1.3, 1.3]
    # Rows that fit under the two titles and headers; the visit order gets what it needs up to half.
    # A long zone sequence wraps: it counts as the lines it takes (about 1.55 mm a character at 7.5 pt).
    text_w = (panel_w - 2.2 * len(visit_weights)) * max(visit_weights) / sum(visit_weights)
    lines = [max(1, math.ceil(len(max(row, key=len)) * 1.55 / text_w)) for row in visit_rows] or [1]
    capacity = int((bottom - y - 2 * title_h - 4) / row_h) - 2
    n_visits = min(sum(lines), max(capacity // 2, 1))
    zone_rows = _limit(roll_call.zone_rows(zones), max(capacity - n_visits, 1), 5)
    fitting = int(np.searchsorted(np.cumsum(lines), capacity - len(zone_rows), side="right"))
    visit_rows = _limit(visit_rows, max(fitting, 1), len(visit_headings))
    zones_title = tr("Top patrol zones") if overview else tr("Patrol zones in this district")
    page.label(zones_title, panel_x, y, panel_w, title_h, 9, True, NAVY)
    headings = [tr("Rank"), tr("District"), tr("Expected"), tr("Visits"), tr("Dwell (min)")]
    page.table(headings, [1, 1.4, 1.4, 1.1, 1.5], zone_rows, panel_x, y + title_h, panel_w,
               row_h * (len(zone_rows) + 1) + 1, item_id="zones_table")  # fmt: skip
    y += title_h + row_h * (len(zone_rows) + 1) + 3
    page.label(visit_title, panel_x, y, panel_w, title_h, 9, True, NAVY)
    page.table(visit_headings, visit_weights, visit_rows, panel_x, y + title_h, panel_w,
               bottom - y - title_h, item_id="visits_table")  # fmt: skip
    # Footer: the standing disclaimer.
    page.label(
        tr(DISCLAIMER), margin, bottom + 1.5, width - 2 * margin, 7, 8.5, True, GREY, item_id="disclaimer"
    )


def layout_texts(layout: QgsPrintLayout, page: int | None = None) -> list[str]:
    """The text of every label (on one page when ``page`` is given): for checks and tests."""
    labels = [item for item in layout.items() if isinstance(item, QgsLayoutItemLabel)]
    if page is not None:
        labels = [item for item in labels if item.page() == page]
    return [item.currentText() for item in labels]


def export_pdf(layout: QgsPrintLayout, pdf_path, png_folder=None, dpi: int = 150, feedback=None) -> int:
    """Write the layout to one PDF (text kept as text) and, with ``png_folder``, one PNG per page
    (``<pdf stem>_page01.png``...). Returns the number of pages."""
    exporter = QgsLayoutExporter(layout)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi, settings.forceVectorOutput, settings.exportMetadata = dpi, True, False
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText  # searchable, and checkable in tests
    result = exporter.exportToPdf(str(pdf_path), settings)
    if result != QgsLayoutExporter.Success:
        raise BeatCastInputError(f"OUTPUT_PDF: the PDF could not be written ({exporter.errorMessage()})")
    pages = layout.pageCollection().pageCount()
    if png_folder:
        os.makedirs(png_folder, exist_ok=True)
        for index in range(pages):
            if feedback is not None and feedback.isCanceled():
                break
            image = exporter.renderPageToImage(index, QSize(), dpi)
            target = Path(png_folder) / f"{Path(pdf_path).stem}_page{index + 1:02d}.png"
            if not image.save(str(target), "PNG"):
                raise BeatCastInputError(f"PNG_FOLDER: could not write {target}")
    return pages
