"""beatcast:biasaudit: who is exposed to the flagged areas or patrols, against who lives there."""

from __future__ import annotations

import base64
import html
import io

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import audit, gpkg, polyclip
from ..core.errors import BeatCastInputError
from ..core.geometry import points_in_polygons
from . import compat, styling
from .audit_inputs import add_group_parameters, overlap_matrix, read_group_areas
from .base import BeatCastAlgorithm
from .charts import new_chart, save_chart
from .i18n import tr
from .layers import crs_id, geometry_polygons
from .outputs import column_types, log_run, spatial_reference, staged_geopackage
from .policy_inputs import add_policy_number, add_policy_parameter, policy_number, read_policy

AREAS_TABLE, GROUPS_TABLE, PROXY_TABLE = "bias_audit_areas", "bias_audit_groups", "bias_audit_proxies"
EXPOSURE_KINDS = (
    QT_TRANSLATE_NOOP("@default", "Area of the features where the field is above 0 (flagged area)"),
    QT_TRANSLATE_NOOP("@default", "Value of the field (expected incidents, patrol visits or minutes)"),
)


def _chart_png(groups: pd.DataFrame, cap: float) -> bytes:
    figure, axes = new_chart(6.5, 3.2)
    colours = ["#b2182b" if r > cap else "#2166ac" for r in groups["exposure_ratio"]]
    axes.barh([str(g) for g in groups.index], groups["exposure_ratio"], color=colours)
    axes.axvline(1.0, color="grey", linewidth=0.8)
    axes.axvline(cap, color="#b2182b", linewidth=0.8, linestyle="--")
    axes.set_xlabel(tr("Exposure ratio (share of exposure / share of population)"))
    buffer = io.BytesIO()
    save_chart(figure, buffer)
    return buffer.getvalue()


def html_report(result, proxies: pd.DataFrame | None, title: str, described: str) -> str:
    chart = base64.b64encode(_chart_png(result.groups, result.thresholds["exposure_ratio_max"])).decode()
    flags_h, groups_h, areas_h, none = (
        html.escape(text) for text in (tr("Flags"), tr("Groups"), tr("Areas"), tr("none"))
    )
    flags = "".join(f"<li>{html.escape(f)}</li>" for f in result.flags) or f"<li>{none}</li>"
    parts = [
        f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p>{html.escape(described)}</p>",
        tr(
            "<p>Worst exposure ratio {:.3f}; disparate impact {:.3f}; Gini of exposure per capita {:.3f}.</p>"
        ).format(result.worst_exposure_ratio, result.disparate_impact, result.gini),
        f"<h2>{flags_h}</h2><ul>{flags}</ul>",
        f"<h2>{groups_h}</h2><img src='data:image/png;base64,{chart}'/>",
        result.groups.round(4).to_html(),
        f"<h2>{areas_h}</h2>",
        result.areas.round(4).to_html(),
    ]
    if proxies is not None and len(proxies):
        proxy_heading = html.escape(tr("Proxy check of the model features"))
        parts += [f"<h2>{proxy_heading}</h2>", proxies.round(4).to_html(index=False)]
    footnote = tr(
        "<p><i>Exposure is attributed to residents in proportion to where they live; it measures "
        "where attention goes, not any individual's treatment.</i></p>"
    )
    parts.append(footnote + "</body></html>")
    return "".join(parts)


class BiasAuditAlgorithm(BeatCastAlgorithm):
    NAME = "biasaudit"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Bias audit")
    GROUP_ID = "audit"
    CELLS, EXPOSURE_FIELD, EXPOSURE_KIND = "CELLS", "EXPOSURE_FIELD", "EXPOSURE_KIND"
    AREAS, GROUP_FIELDS = "AREAS", "GROUP_FIELDS"
    INCIDENTS, ENFORCEMENT = "INCIDENTS", "ENFORCEMENT"
    FEATURES, FEATURE_FIELDS = "FEATURES", "FEATURE_FIELDS"
    RATIO_MAX, DI_MIN, CORR_MAX, MI_MAX = (
        "EXPOSURE_RATIO_MAX",
        "DISPARATE_IMPACT_MIN",
        "PROXY_CORRELATION_MAX",
        "PROXY_INFORMATION_MAX",
    )
    REPORT = "REPORT"
    WORST, DI, GINI, N_FLAGS = "WORST_EXPOSURE_RATIO", "DISPARATE_IMPACT", "GINI", "N_FLAGS"

    def shortHelpString(self):
        return tr(
            "<p>Compares where attention goes with who lives there. Exposure comes from CELLS: the area of "
            "the features flagged (EXPOSURE_FIELD above 0, e.g. a forecast's hotspot_zone) or the value of "
            "a field (expected incidents; a patrol plan's visits). Each cell's exposure is shared among "
            "the AREAS it overlaps (by area), and each area's among its residents by group "
            "(GROUP_FIELDS: population counts per group, e.g. census counts).</p>"
            "<p>Per area: shares of exposure, population, reported INCIDENTS and ENFORCEMENT (arrests, "
            "stops), exposure per resident. Per group: exposure ratio (share of exposure / share of "
            "population), disparate impact (lowest / highest exposure per resident; the four-fifths rule "
            "flags below 0.8) and the Gini of exposure per resident across areas. Flags above the "
            "thresholds. The proxy check compares every model feature (FEATURES layer, e.g. the cell "
            "covariates) with each group's share of the residents, area by area (a feature's area value is "
            "the mean over the area's cells: group counts are only known per area): Spearman correlation "
            "and mutual information read as an informational correlation, each flagged when above its "
            "threshold and significant in a permutation test (199 shuffles, p &lt; 0.05).</p>"
            "<p><b>Policy</b>: the thresholds left empty come from the policy file (POLICY; empty: "
            "BeatCast's defaults: 1.25, 0.8, 0.5, 0.5). A threshold looser than the policy's is refused, "
            "naming the rule; the run log keeps the policy file, its SHA-256 and its rules.</p>"
            "<p>Outputs: the areas layer, the groups and proxies tables, an HTML report with the tables "
            "and a chart, and the worst exposure ratio, disparate impact, Gini and number of flags.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.CELLS, tr("Forecast cells or patrol zones"), [compat.TYPE_VECTOR_POLYGON]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.EXPOSURE_FIELD, tr("Exposure field"), "hotspot_zone", self.CELLS,
                QgsProcessingParameterField.Numeric, optional=True,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterEnum(
                self.EXPOSURE_KIND, tr("Exposure"), [tr(k) for k in EXPOSURE_KINDS], defaultValue=0
            )
        )
        add_group_parameters(self)
        for name, label in (
            (self.INCIDENTS, tr("Reported incidents")),
            (self.ENFORCEMENT, tr("Enforcement (arrests, stops)")),
        ):
            self.addParameter(
                QgsProcessingParameterFeatureSource(name, label, [compat.TYPE_VECTOR_POINT], optional=True)
            )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.FEATURES,
                tr("Model features per cell (proxy check)"),
                [compat.TYPE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.FEATURE_FIELDS, tr("Features to check"), None, self.FEATURES,
                QgsProcessingParameterField.Numeric, allowMultiple=True, optional=True,
            )
        )  # fmt: skip
        for name, label in (
            (self.RATIO_MAX, tr("Flag exposure ratios above (empty: the policy's)")),
            (self.DI_MIN, tr("Flag disparate impact below (empty: the policy's)")),
            (self.CORR_MAX, tr("Flag proxies with |Spearman| above (empty: the policy's)")),
            (self.MI_MAX, tr("Flag proxies with informational correlation above (empty: the policy's)")),
        ):
            add_policy_number(self, name, label)
        add_policy_parameter(self)
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Bias audit"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.REPORT, tr("Report"), tr("HTML files (*.html)"), optional=True
            )
        )
        for name, label in (
            (self.WORST, tr("Worst exposure ratio")),
            (self.DI, tr("Disparate impact")),
            (self.GINI, tr("Gini of exposure per resident")),
            (self.N_FLAGS, tr("Flags raised")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("GROUPS", tr("Groups table")))

    def _cells(self, parameters, context, crs):
        layer = self.parameterAsVectorLayer(parameters, self.CELLS, context)
        field = self.parameterAsString(parameters, self.EXPOSURE_FIELD, context) or "hotspot_zone"
        if layer.fields().indexOf(field) < 0:
            raise BeatCastInputError(tr("EXPOSURE_FIELD: {} has no field {}").format(layer.name(), field))
        flagged_area = self.parameterAsEnum(parameters, self.EXPOSURE_KIND, context) == 0
        transform = QgsCoordinateTransform(layer.crs(), crs, context.transformContext())
        geometries, exposure = [], []
        for feature in layer.getFeatures(QgsFeatureRequest().addOrderBy("fid")):
            geometry = feature.geometry()
            geometry.transform(transform)
            value = feature[field]
            value = 0.0 if value is None or str(value) == "NULL" else float(value)
            geometries.append(geometry)
            exposure.append(
                geometry.area() if flagged_area and value > 0 else (0.0 if flagged_area else value)
            )
        return geometries, np.array(exposure), field, flagged_area

    def compute(self, parameters, context, feedback):
        crs = self.parameterAsVectorLayer(parameters, self.CELLS, context).crs()
        if crs.isGeographic():
            raise BeatCastInputError(tr("CELLS: the layer is in degrees; use a metric grid"))
        area_geoms, population = read_group_areas(self, parameters, context, crs)
        groups = list(population.columns)
        cells, exposure, field, flagged_area = self._cells(parameters, context, crs)
        feedback.pushInfo(
            tr("{} cells, {} areas, groups: {}").format(len(cells), len(area_geoms), ", ".join(groups))
        )
        overlap = overlap_matrix(cells, area_geoms, feedback)
        feedback.setProgress(50)
        counts = {name: self._points_per_area(parameters, context, name, crs, area_geoms)
                  for name in (self.INCIDENTS, self.ENFORCEMENT)}  # fmt: skip
        names = {"exposure_ratio_max": self.RATIO_MAX, "disparate_impact_min": self.DI_MIN,
                 "proxy_correlation_max": self.CORR_MAX, "proxy_information_max": self.MI_MAX}  # fmt: skip
        policy = read_policy(self, parameters, context)
        thresholds = policy.audit_thresholds(
            {key: policy_number(self, parameters, name, context) for key, name in names.items()}, names
        )
        result = audit.audit(
            exposure, overlap, population, counts[self.INCIDENTS], counts[self.ENFORCEMENT], thresholds
        )
        proxies = self._proxies(parameters, context, crs, area_geoms, population, thresholds, feedback)
        if proxies is not None:
            result.flags.extend(
                f"feature {r.feature} may stand in for {r.group}: {r.flag}"
                for r in proxies[proxies["flag"].astype(str) != ""].itertuples()
            )  # fmt: skip
        described = tr("Exposure: {} of {}. Policy: {} (SHA-256 {}); thresholds: {}").format(
            "flagged area" if flagged_area else "value", field, policy.source, policy.sha256[:12],
            ", ".join(f"{k} {v:g}" for k, v in thresholds.items()),
        )  # fmt: skip
        destination = self.output_geopackage(parameters, context)
        report = self.parameterAsFileOutput(parameters, self.REPORT, context)
        frame = result.areas.reset_index()
        polygons = [geometry_polygons(g) for g in area_geoms]
        groups_frame = result.groups.reset_index()
        with staged_geopackage(destination) as tmp:
            srs = spatial_reference(crs_id(crs), context)
            polyclip.write_polygons(
                tmp, AREAS_TABLE, frame, column_types(frame), polygons, srs, "audit per area"
            )
            gpkg.write_table(
                tmp, GROUPS_TABLE, groups_frame, column_types(groups_frame), "bias audit per group"
            )
            if proxies is not None:
                gpkg.write_table(
                    tmp, PROXY_TABLE, proxies, column_types(proxies), "proxy check of model features"
                )
            log_run(tmp, "beatcast:biasaudit", parameters, skip=("OUTPUT", self.REPORT), counts={
                "worst_exposure_ratio": result.worst_exposure_ratio, "gini": result.gini,
                "disparate_impact": result.disparate_impact, "flags": result.flags, "thresholds": thresholds,
            }, policy=policy)  # fmt: skip
            if report:
                with open(report, "w", encoding="utf-8") as handle:
                    handle.write(html_report(result, proxies, tr("BeatCast bias audit"), described))
        for flag in result.flags:
            feedback.pushWarning(flag)
        uri = f"{destination}|layername={AREAS_TABLE}"
        styling.load_sublayer(
            context, destination, uri, "graduated:ratio_exposure_to_population", self.OUTPUT
        )
        return {
            self.OUTPUT: uri,
            "GROUPS": f"{destination}|layername={GROUPS_TABLE}",
            self.REPORT: report or None,
            self.WORST: result.worst_exposure_ratio,
            self.DI: result.disparate_impact,
            self.GINI: result.gini,
            self.N_FLAGS: len(result.flags),
        }

    def _points_per_area(self, parameters, context, name, crs, area_geoms):
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            return None
        transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
        xs, ys = [], []
        for feature in source.getFeatures():
            geometry = feature.geometry()
            if geometry.isEmpty():
                continue
            geometry.transform(transform)
            point = geometry.asPoint() if not geometry.isMultipart() else geometry.asMultiPoint()[0]
            xs.append(point.x()), ys.append(point.y())
        x, y = np.array(xs), np.array(ys)
        out = []
        for geometry in area_geoms:
            polygons = geometry_polygons(geometry)
            out.append(float(points_in_polygons(x, y, polygons).sum()) if len(x) else 0.0)
        return np.array(out)

    def _proxies(self, parameters, context, crs, area_geoms, population, thresholds, feedback):
        layer = self.parameterAsVectorLayer(parameters, self.FEATURES, context)
        if layer is None:
            return None
        fields = self.parameterAsFields(parameters, self.FEATURE_FIELDS, context) or [
            f.name() for f in layer.fields() if f.isNumeric() and f.name() not in ("fid", "col", "row")
        ]
        transform = QgsCoordinateTransform(layer.crs(), crs, context.transformContext())
        geometries, rows = [], []
        for feature in layer.getFeatures(QgsFeatureRequest().addOrderBy("fid")):
            geometry = feature.geometry()
            geometry.transform(transform)
            geometries.append(geometry)
            rows.append(
                [
                    np.nan if feature[f] is None or str(feature[f]) == "NULL" else float(feature[f])
                    for f in fields
                ]
            )
        overlap = overlap_matrix(geometries, area_geoms, feedback)
        features = audit.area_means(pd.DataFrame(rows, columns=fields), overlap)
        return audit.proxy_check(
            features, audit.area_group_shares(population), thresholds["proxy_correlation_max"],
            thresholds["proxy_information_max"],
        )  # fmt: skip
