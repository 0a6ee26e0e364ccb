"""beatcast:patrolplan: ranked patrol zones and unit routes for a shift, from a forecast."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import audit, gpkg, patrol, polyclip
from ..core.errors import BeatCastInputError
from ..core.geometry import points_in_polygons
from ..core.patrol_zones import candidate_zones
from ..core.travel import RoadNetwork, straight_line_minutes
from . import compat, styling
from .audit_inputs import add_group_parameters, overlap_matrix, read_group_areas
from .base import BeatCastAlgorithm
from .dissolve import dissolve
from .feedback import EngineProgress
from .i18n import tr
from .layers import crs_id
from .outputs import column_types, log_run, spatial_reference, staged_geopackage
from .patrol_inputs import (
    add_forecast_parameters,
    clock,
    district_polygons,
    forecast_cells,
    line_features,
    points_of,
    shift_start,
)
from .policy_inputs import PolicyRules, add_policy_number, add_policy_parameter, policy_number, read_policy

ZONES_TABLE, ROUTES_TABLE, SCHEDULE_TABLE = "patrol_zones", "patrol_routes", "patrol_schedule"


class PatrolPlanAlgorithm(BeatCastAlgorithm):
    NAME = "patrolplan"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Patrol plan")
    GROUP_ID = "patrol"
    FORECAST, FIELD, CANDIDATES, MERGE = "FORECAST", "FIELD", "CANDIDATES", "MERGE"
    STATIONS, UNITS = "STATIONS", "UNITS"
    SHIFT_START, SHIFT_MINUTES, DWELL = "SHIFT_START", "SHIFT_MINUTES", "DWELL_MINUTES"
    VISITS, MIN_REVISIT = "VISITS_PER_ZONE", "MIN_REVISIT_MINUTES"
    ROADS, SPEED_FIELD, DEFAULT_SPEED, SPLIT = "ROADS", "SPEED_FIELD", "DEFAULT_SPEED", "SPLIT_CROSSINGS"
    DISTRICTS, DISTRICT_FIELD = "DISTRICTS", "DISTRICT_FIELD"
    MIN_PER_DISTRICT, MAX_PER_DISTRICT, MAX_ZONES = "MIN_PER_DISTRICT", "MAX_PER_DISTRICT", "MAX_ZONES"
    EXCLUDED, TIME_LIMIT, SEED = "EXCLUDED", "ROUTE_TIME_LIMIT", "SEED"
    AREAS, GROUP_FIELDS, EXPOSURE_CAP = "AREAS", "GROUP_FIELDS", "EXPOSURE_CAP"
    WORST_RATIO = "WORST_EXPOSURE_RATIO"
    ROUTES, SCHEDULE = "ROUTES", "SCHEDULE"
    CAPTURED, CAPTURED_SHARE, BOUND = "CAPTURED_EXPECTED", "CAPTURED_SHARE", "UPPER_BOUND"
    TRAVEL, DWELL_TOTAL, N_ZONES = "TRAVEL_MINUTES", "DWELL_TOTAL_MINUTES", "N_ZONES"

    def shortHelpString(self):
        return tr(
            "<p>Turns a forecast into a shift's patrol plan: which zones each unit visits, in what order and "
            "for how long.</p>"
            "<p><b>Zones</b>: the CANDIDATES cells with the highest forecast (touching ones merged into one "
            "zone when MERGE is on). A mixed-integer program (HiGHS, through scipy) chooses the zones that "
            "capture the most expected incidents subject to: at most MAX_ZONES zones (0: as many as the "
            "units can dwell on), at least MIN_PER_DISTRICT and at most MAX_PER_DISTRICT per district, none "
            "whose cells lie in EXCLUDED areas. When the constraints cannot all hold, the message names the "
            "one that cannot be met.</p>"
            "<p><b>Routes</b>: OR-Tools' routing solver assigns the chosen zones to the units (each starts "
            "and ends at a station; units are spread over the stations in turn) and orders the visits "
            "within the shift: travel on the road network (ROADS, speeds from SPEED_FIELD or "
            "DEFAULT_SPEED) or, without roads, straight lines at DEFAULT_SPEED; DWELL_MINUTES per visit "
            "(15: the Koper curve); VISITS_PER_ZONE visits at least MIN_REVISIT_MINUTES apart. Visits that "
            "do not fit are dropped, least valuable first.</p>"
            "<p>Outputs: ranked zone polygons (expected incidents, unit, visit times), one route line per "
            "unit (stops in visit order, straight lines between them), the schedule table, and the captured "
            "expected incidents, their share of the whole forecast, the MILP upper bound, and total travel "
            "and dwell minutes.</p>"
            "<p><b>Policy</b>: the policy file (POLICY; empty: the shipped core/default_policy.json) "
            "fills SHIFT_MINUTES, DWELL_MINUTES, MIN_PER_DISTRICT and EXPOSURE_CAP when they are left empty. "
            "A value looser than the policy (fewer zones per district, a higher cap, no cap when the policy "
            "sets one) is refused, naming the rule. The run log keeps the policy file, its SHA-256 and its "
            "rules.</p><p>Needs OR-Tools in QGIS's Python: "
            "pip install --no-deps ortools absl-py immutabledict protobuf.</p>"
        )

    def initAlgorithm(self, config=None):
        add_forecast_parameters(self)
        self._int(self.CANDIDATES, tr("Candidate cells (highest forecast)"), 60, 1)
        self.addParameter(
            QgsProcessingParameterBoolean(self.MERGE, tr("Merge touching candidate cells"), False)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.STATIONS, tr("Stations (depots)"), [compat.TYPE_VECTOR_POINT]
            )
        )
        self._int(self.UNITS, tr("Units"), 4, 1)
        self.addParameter(QgsProcessingParameterString(self.SHIFT_START, tr("Shift start (HH:MM)"), "22:00"))
        add_policy_number(self, self.SHIFT_MINUTES, tr("Shift minutes (empty: the policy's, 480)"), True, 15)
        add_policy_number(self, self.DWELL, tr("Minutes per visit (empty: the policy's, 15)"), True, 1)
        self._int(self.VISITS, tr("Visits per zone"), 1, 1)
        self._int(self.MIN_REVISIT, tr("Minimum minutes between visits to a zone"), 120, 0)
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ROADS,
                tr("Road network (empty: straight lines)"),
                [compat.TYPE_VECTOR_LINE],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(self.SPEED_FIELD, tr("Road speed field (km/h)"), None, self.ROADS,
                                        QgsProcessingParameterField.Numeric, optional=True)
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterNumber(
                self.DEFAULT_SPEED, tr("Default speed (km/h)"), compat.NUMBER_DOUBLE, 30.0, minValue=1.0
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.SPLIT, tr("Join roads where they cross without a shared vertex"), False
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.DISTRICTS, tr("Districts"), [compat.TYPE_VECTOR_POLYGON], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(self.DISTRICT_FIELD, tr("District name field"), None, self.DISTRICTS,
                                        optional=True)
        )  # fmt: skip
        add_policy_number(
            self, self.MIN_PER_DISTRICT, tr("At least this many zones per district (empty: policy's)"), True
        )
        self._int(self.MAX_PER_DISTRICT, tr("At most this many zones per district (0: no limit)"), 0, 0)
        self._int(self.MAX_ZONES, tr("At most this many zones (0: what the units can dwell on)"), 0, 0)
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.EXCLUDED, tr("Excluded areas"), [compat.TYPE_VECTOR_POLYGON], optional=True
            )
        )
        add_group_parameters(self, optional=True, prefix=tr("Fairness: "))
        add_policy_number(
            self, self.EXPOSURE_CAP,
            tr("Fairness: every group's exposure ratio at most (empty: the policy's; 0: no cap)"),
        )  # fmt: skip
        add_policy_parameter(self)
        self._int(self.TIME_LIMIT, tr("Routing search time (seconds)"), 10, 1)
        self._int(self.SEED, tr("Random seed"), 0, 0)
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Patrol plan"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputString(self.ROUTES, tr("Routes layer")))
        self.addOutput(QgsProcessingOutputString(self.SCHEDULE, tr("Schedule table")))
        for name, label in (
            (self.CAPTURED, tr("Expected incidents in visited zones")),
            (self.CAPTURED_SHARE, tr("Share of the forecast in visited zones")),
            (self.BOUND, tr("Upper bound on the expected incidents any plan can capture")),
            (self.TRAVEL, tr("Total travel minutes")),
            (self.DWELL_TOTAL, tr("Total dwell minutes")),
            (self.N_ZONES, tr("Zones visited")),
            (self.WORST_RATIO, tr("Worst group exposure ratio of the plan (with AREAS)")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def _int(self, name, label, default, minimum):
        self.addParameter(
            QgsProcessingParameterNumber(name, label, compat.NUMBER_INTEGER, default, minValue=minimum)
        )

    def compute(self, parameters, context, feedback):
        layer = self.parameterAsVectorLayer(parameters, self.FORECAST, context)
        crs = layer.crs()
        if crs.isGeographic():
            raise BeatCastInputError(
                tr("FORECAST: {} is in degrees; use a forecast on a metric grid").format(layer.name())
            )
        field = self.parameterAsString(parameters, self.FIELD, context) or "expected"
        expected, cx, cy, cell_ids, geometries = forecast_cells(layer, field)
        start = shift_start(self.parameterAsString(parameters, self.SHIFT_START, context))
        neighbours = None
        merge = self.parameterAsBool(parameters, self.MERGE, context)
        if merge:
            from .hotspot_inputs import contiguity_weights

            neighbours = contiguity_weights(cell_ids, "queen")
        zones = candidate_zones(expected, cx, cy, self.parameterAsInt(parameters, self.CANDIDATES, context),
                                neighbours, merge)  # fmt: skip
        zones["district"] = self._districts(parameters, context, crs, zones, cx, cy, expected)
        zones["excluded"] = self._excluded(parameters, context, crs, zones, cx, cy)
        stations = self.parameterAsSource(parameters, self.STATIONS, context)
        depots, station_ids = points_of(stations, crs, context)
        if not len(depots):
            raise BeatCastInputError(tr("STATIONS: the layer has no point"))
        units = self.parameterAsInt(parameters, self.UNITS, context)
        unit_depot = np.arange(units) % len(depots)
        travel, described = self._travel(parameters, context, crs, feedback)
        max_zones = self.parameterAsInt(parameters, self.MAX_ZONES, context) or None
        rules = self._rules(parameters, context)
        min_d = int(rules["min_zones_per_district"]) or None
        max_d = self.parameterAsInt(parameters, self.MAX_PER_DISTRICT, context) or None
        if (min_d or max_d) and not (zones["district"] != "").any():
            raise BeatCastInputError(
                tr("MIN_PER_DISTRICT/MAX_PER_DISTRICT (or the policy's patrol.min_zones_per_district = {}) "
                   "need DISTRICTS and DISTRICT_FIELD").format(rules["min_zones_per_district"])
            )  # fmt: skip
        feedback.pushInfo(
            tr("{} candidate zones, {} units from {} stations, travel: {}").format(
                len(zones), units, len(depots), described
            )
        )
        fairness = self._fairness(parameters, context, crs, geometries, zones, rules, feedback)
        plan = patrol.plan_patrol(
            zones, depots, unit_depot, travel,
            int(rules["shift_minutes"]),
            int(rules["dwell_minutes"]),
            self.parameterAsInt(parameters, self.VISITS, context),
            self.parameterAsInt(parameters, self.MIN_REVISIT, context),
            max_zones, min_d, max_d, fairness[2] if fairness else None, 30,
            self.parameterAsInt(parameters, self.TIME_LIMIT, context),
            self.parameterAsInt(parameters, self.SEED, context),
            progress=EngineProgress(feedback, 5, 90),
        )  # fmt: skip
        total_forecast = float(expected.sum())
        worst = self._plan_exposure(fairness, plan, zones, len(expected), feedback)
        zones_out, schedule, routes = self._tables(plan, zones, station_ids, start, depots)
        zone_of = np.zeros(len(expected), dtype=np.int64)
        for k, row in enumerate(zones_out.itertuples(), start=1):
            zone_of[zones.at[row.candidate, "cells"]] = k
        polygons = dissolve(layer, zone_of, len(zones_out), feedback)
        if feedback.isCanceled():
            return {}
        destination = self.output_geopackage(parameters, context)
        srs = spatial_reference(crs_id(crs), context)
        with staged_geopackage(destination) as tmp:
            polyclip.write_polygons(
                tmp, ZONES_TABLE, zones_out, column_types(zones_out), polygons, srs, "patrol zones, ranked"
            )
            lines = routes.pop("line").tolist()
            polyclip.write_lines(
                tmp, ROUTES_TABLE, routes, column_types(routes), lines, srs, "patrol routes per unit"
            )
            gpkg.write_table(tmp, SCHEDULE_TABLE, schedule, column_types(schedule), "patrol schedule")
            log_run(tmp, "beatcast:patrolplan", parameters, counts={
                "zones_visited": int((zones_out["visits"] > 0).sum()), "captured": plan.captured_value,
                "upper_bound": plan.upper_bound, "travel_minutes": plan.routes.travel_minutes,
                "rules": rules,
            }, policy=rules.policy)  # fmt: skip
        share = plan.captured_value / total_forecast if total_forecast > 0 else 0.0
        feedback.pushInfo(
            tr("captured {:.2f} expected incidents ({:.1%} of the forecast; upper bound {:.2f}); "
               "travel {:.0f} min, dwell {:.0f} min").format(
                plan.captured_value, share, plan.upper_bound, plan.routes.travel_minutes,
                plan.routes.dwell_minutes)
        )  # fmt: skip
        uri = f"{destination}|layername={ZONES_TABLE}"
        routes_uri = f"{destination}|layername={ROUTES_TABLE}"
        if styling.load_sublayer(context, destination, uri, "patrol_zones", self.OUTPUT):
            styling.add_layer(context, routes_uri, tr("Patrol routes"), "patrol_routes", self.ROUTES)
        return {
            self.OUTPUT: uri,
            self.ROUTES: routes_uri,
            self.SCHEDULE: f"{destination}|layername={SCHEDULE_TABLE}",
            self.CAPTURED: plan.captured_value,
            self.CAPTURED_SHARE: share,
            self.BOUND: plan.upper_bound,
            self.TRAVEL: plan.routes.travel_minutes,
            self.DWELL_TOTAL: plan.routes.dwell_minutes,
            self.N_ZONES: int((zones_out["visits"] > 0).sum()),
            self.WORST_RATIO: worst,
        }

    def _rules(self, parameters, context) -> PolicyRules:
        """The patrol settings: numbers given, the policy's where empty; looser than the policy: refused."""
        policy = read_policy(self, parameters, context)
        cap = policy_number(self, parameters, self.EXPOSURE_CAP, context)
        given = {
            "min_zones_per_district": policy_number(self, parameters, self.MIN_PER_DISTRICT, context),
            "exposure_ratio_cap": math.inf if cap == 0 else cap,
            "dwell_minutes": policy_number(self, parameters, self.DWELL, context),
            "shift_minutes": policy_number(self, parameters, self.SHIFT_MINUTES, context),
        }
        names = {"min_zones_per_district": self.MIN_PER_DISTRICT, "exposure_ratio_cap": self.EXPOSURE_CAP,
                 "dwell_minutes": self.DWELL, "shift_minutes": self.SHIFT_MINUTES}  # fmt: skip
        rules = policy.patrol_rules(given, names)
        if rules["exposure_ratio_cap"] is not None and math.isinf(rules["exposure_ratio_cap"]):
            rules["exposure_ratio_cap"] = None  # 0 given: no cap (refused above when the policy sets one)
        return PolicyRules(rules, policy)

    def _fairness(self, parameters, context, crs, geometries, zones, rules, feedback):
        """(overlap, population, cap rows) when AREAS are given, else None."""
        cap = rules["exposure_ratio_cap"]
        found = read_group_areas(self, parameters, context, crs)
        if found is None:
            if cap is not None:
                raise BeatCastInputError(
                    tr("an exposure cap of {:g} ({}) needs AREAS and GROUP_FIELDS").format(
                        cap, self.EXPOSURE_CAP if parameters.get(self.EXPOSURE_CAP) not in (None, "")
                        else tr("the policy rule patrol.exposure_ratio_cap of {}").format(rules.policy.source)
                    )
                )  # fmt: skip
            return None
        areas, population = found
        overlap = overlap_matrix(geometries, areas, feedback)
        rows = (
            audit.exposure_cap_constraints(zones["cells"].tolist(), overlap, population, cap)
            if cap is not None
            else None
        )
        return overlap, population, rows

    @staticmethod
    def _plan_exposure(fairness, plan, zones, n_cells, feedback):
        """Worst group exposure ratio of the visits made (a visit's exposure spread over its zone's cells)."""
        if fairness is None:
            return float("nan")
        overlap, population, _ = fairness
        exposure = np.zeros(n_cells)
        for route in plan.routes.routes:
            for visit in route.visits:
                cells = zones.at[int(plan.zones[visit.zone]), "cells"]
                exposure[cells] += 1.0 / len(cells)
        groups = audit.group_exposure(audit.area_exposure(exposure, overlap), population)
        for group, row in groups.iterrows():
            feedback.pushInfo(tr("group {}: exposure ratio {:.3f}").format(group, row["exposure_ratio"]))
        return float(groups["exposure_ratio"].max())

    def _districts(self, parameters, context, crs, zones, cx, cy, expected):
        source = self.parameterAsSource(parameters, self.DISTRICTS, context)
        if source is None:
            return [""] * len(zones)
        field = self.parameterAsString(parameters, self.DISTRICT_FIELD, context)
        names, polygons = district_polygons(source, field, crs, context)
        top = [cells[int(np.argmax(expected[cells]))] for cells in zones["cells"]]  # the zone's riskiest cell
        label = np.full(len(top), "", dtype=object)
        for name, rings in zip(names, polygons, strict=True):
            inside = points_in_polygons(cx[top], cy[top], rings) & (label == "")
            label[inside] = name
        return label.tolist()

    def _excluded(self, parameters, context, crs, zones, cx, cy):
        source = self.parameterAsSource(parameters, self.EXCLUDED, context)
        if source is None:
            return [False] * len(zones)
        _, polygons = district_polygons(source, "", crs, context)
        flat = [p for rings in polygons for p in rings]
        return [bool(points_in_polygons(cx[cells], cy[cells], flat).any()) for cells in zones["cells"]]

    def _travel(self, parameters, context, crs, feedback):
        speed = self.parameterAsDouble(parameters, self.DEFAULT_SPEED, context)
        roads = self.parameterAsSource(parameters, self.ROADS, context)
        if roads is None:
            return (lambda a, b: straight_line_minutes(a, b, speed)), tr(
                "straight lines at {:g} km/h"
            ).format(speed)
        field = self.parameterAsString(parameters, self.SPEED_FIELD, context)
        lines, speeds = line_features(roads, field, crs, context)
        network = RoadNetwork(
            lines, speeds, speed, split_crossings=self.parameterAsBool(parameters, self.SPLIT, context)
        )
        if network.n_components > 1:
            feedback.pushWarning(tr("the road network has {} unconnected parts").format(network.n_components))
        return network.travel_minutes, tr("road network of {} nodes").format(network.n_nodes)

    @staticmethod
    def _tables(plan, zones, station_ids, start, depots):
        routes = plan.routes
        chosen = plan.zones  # candidate index of each routed zone
        visits_by_zone: dict[int, list] = {}
        schedule, route_rows = [], []
        for route in routes.routes:
            station = station_ids[route.depot]
            stops = [depots[route.depot]]
            for order, visit in enumerate(route.visits, start=1):
                candidate = int(chosen[visit.zone])
                visits_by_zone.setdefault(candidate, []).append((route.unit + 1, visit))
                stops.append([zones.at[candidate, "x"], zones.at[candidate, "y"]])
                schedule.append({
                    "unit": route.unit + 1, "station": station, "stop": order, "zone_candidate": candidate,
                    "arrive": clock(start, visit.arrival), "depart": clock(start, visit.departure),
                    "arrive_minute": float(visit.arrival), "depart_minute": float(visit.departure),
                    "expected": float(zones.at[candidate, "value"]),
                })  # fmt: skip
            stops.append(depots[route.depot])
            route_rows.append({
                "unit": route.unit + 1, "station": station, "stops": len(route.visits),
                "start": clock(start, 0.0), "back": clock(start, route.end),
                "travel_minutes": float(route.travel_minutes), "line": np.asarray(stops, dtype=float),
            })  # fmt: skip
        rows = []
        for candidate in chosen:
            candidate = int(candidate)
            made = sorted(visits_by_zone.get(candidate, []), key=lambda uv: uv[1].arrival)
            rows.append({
                "candidate": candidate, "expected": float(zones.at[candidate, "value"]),
                "cells": int(zones.at[candidate, "n_cells"]), "district": zones.at[candidate, "district"],
                "units": ", ".join(str(u) for u in sorted({u for u, _ in made})),
                "visits": len(made),
                "visit_times": "; ".join(
                    f"{clock(start, v.arrival)}-{clock(start, v.departure)}" for _, v in made
                ),
            })  # fmt: skip
        zones_out = pd.DataFrame(rows).sort_values(["expected", "candidate"], ascending=[False, True])
        zones_out.insert(0, "rank", np.arange(1, len(zones_out) + 1))
        zones_out = zones_out.reset_index(drop=True)
        rank_of = dict(zip(zones_out["candidate"], zones_out["rank"], strict=True))
        schedule = pd.DataFrame(schedule)
        if len(schedule):
            schedule.insert(3, "zone_rank", schedule.pop("zone_candidate").map(rank_of))
        return zones_out, schedule, pd.DataFrame(route_rows)
