"""beatcast:appendincidents: new exports added to an incident store and its cubes, history untouched."""

from __future__ import annotations

import json
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import append, cube_store, gpkg, grid_io, runlog
from ..core import grid as grids
from ..core.cube_append import CubeIncidents, add_incidents
from ..core.errors import BeatCastInputError
from ..core.incidents import ACCOUNTING_FIELDS, INCIDENT_FIELDS, REJECTED_FIELDS, import_incidents
from ..core.progress import Cancelled
from . import compat
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .i18n import tr
from .import_incidents import ACCOUNTING_TABLE, INCIDENTS_TABLE, REJECTED_TABLE, ImportIncidentsAlgorithm
from .layers import QgisCrsOps, crs_id, layer_source_name, layer_to_source, read_file_sources
from .outputs import log_run, staged_geopackage

EXPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".geojson", ".json", ".gpkg", ".zip", ".shp")
# Import parameters an append does not take from the store's import: its period and output.
NOT_INHERITED = (
    "START_DATE",
    "END_DATE",
    "OUTPUT",
    "INPUT_FILES",
    "INPUT_LAYERS",
    "TARGET_CRS",
    "POLICY_USED",
)


class AppendIncidentsAlgorithm(BeatCastAlgorithm):
    NAME = "appendincidents"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Append incidents")
    GROUP_ID = "datapreparation"
    STORE, INPUT_FILES, INPUT_FOLDER, INPUT_LAYERS = "STORE", "INPUT_FILES", "INPUT_FOLDER", "INPUT_LAYERS"
    CUBES = "CUBE_NAMES"
    APPENDED, ALREADY, DUPLICATES = "APPENDED", "ALREADY_IN_STORE", "DUPLICATES_OF_STORED"
    ROWS_READ, REJECTED_COUNT, SKIPPED, UPDATED = (
        "ROWS_READ",
        "REJECTED_COUNT",
        "FILES_SKIPPED",
        "CUBES_UPDATED",
    )
    MESSAGE = "MESSAGE"

    def shortHelpString(self):
        return tr(
            "<p>Adds newly arrived incidents (export files, every export file of a folder, or layers such "
            "as a GeoPackage or PostGIS table) to an incident store made by <b>Import incidents</b>, and "
            "counts them into the store's cubes, without reading history again.</p>"
            "<p>The new rows go through the import with the settings the store was imported with (time "
            "zone, CRS, boundary, category map, duplicate tolerances; read from the store's run log): "
            "parsing, reversals, duplicates, rejected rows with the reason, accounting. Each new incident "
            "is then matched against the stored incidents near it in time: the same incident id or a "
            "shared record ID (already in the store), or a near-identical record of another system "
            "(duplicate of a stored incident). Matched incidents are not added: their records join the "
            "stored incident, and the accounting says so (merged, with the reason).</p>"
            "<p><b>Idempotent</b>: a file appended before (or imported: same SHA-256) is skipped and named; "
            "the same records in a new file are recognised as already in the store. Appending twice adds "
            "nothing the second time.</p>"
            "<p><b>Cubes</b>: every cube of the store (or those named in CUBE_NAMES) gets the new incidents "
            "in its bins, extended past its end when they are later; the result equals counting "
            "everything again. The store is written all or nothing.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(self.STORE, tr("Incident store (GeoPackage from Import incidents)"),
                                       extension="gpkg")
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.INPUT_FILES, tr("New export files"), compat.TYPE_FILE, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.INPUT_FOLDER, tr("Folder of new export files"), QgsProcessingParameterFile.Folder,
                optional=True,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.INPUT_LAYERS, tr("New incident layers (GeoPackage, PostGIS...)"), compat.TYPE_VECTOR_ANY,
                optional=True,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterString(
                self.CUBES, tr("Cubes to update (comma separated; empty: every cube of the store)"),
                optional=True,
            )
        )  # fmt: skip
        for name, label in (
            (self.ROWS_READ, tr("Rows read")),
            (self.APPENDED, tr("Incidents added")),
            (self.ALREADY, tr("Incidents already in the store")),
            (self.DUPLICATES, tr("Incidents merged into stored ones")),
            (self.REJECTED_COUNT, tr("Rows rejected")),
            (self.SKIPPED, tr("Files skipped (appended before)")),
            (self.UPDATED, tr("Cubes updated")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString(self.MESSAGE, tr("What happened")))

    def compute(self, parameters, context, feedback):
        store = self.parameterAsFile(parameters, self.STORE, context)
        if not store or not Path(store).is_file() or INCIDENTS_TABLE not in gpkg.table_names(store):
            raise BeatCastInputError(
                tr("STORE: {} is not a GeoPackage with an incidents layer").format(store)
            )
        importer, logged = self._import_settings(store)
        sources, inputs, files, skipped = self._sources(parameters, context, store, logged, feedback)
        counts = dict.fromkeys((self.ROWS_READ, self.APPENDED, self.ALREADY, self.DUPLICATES,
                                self.REJECTED_COUNT, self.UPDATED), 0)  # fmt: skip
        counts[self.SKIPPED] = len(skipped)
        if not sources:
            if not skipped:
                raise BeatCastInputError(
                    tr("Nothing to append: give INPUT_FILES, INPUT_FOLDER or INPUT_LAYERS")
                )
            message = tr("Nothing new: every input was appended or imported before ({})").format(
                ", ".join(Path(f).name for f in skipped)
            )
            feedback.pushWarning(message)
            return {**counts, self.MESSAGE: message}
        crs = crs_id(QgsVectorLayer(f"{store}|layername={INCIDENTS_TABLE}", "store", "ogr").crs())
        options = importer._options(logged, context)
        options.target_crs = crs
        result = import_incidents(
            sources, options, QgisCrsOps(context.transformContext()), EngineProgress(feedback, 0, 50)
        )
        for warning in result.warnings:
            feedback.pushWarning(warning)
        window = append.store_window(result.incidents, options.dedup)
        stored = (
            append.read_store(store, INCIDENTS_TABLE, *window) if window else pd.DataFrame()
        )  # fmt: skip
        matches = append.reconcile(result.incidents, stored, options.dedup)
        accounting = append.adjust_accounting(result.accounting, result.incidents, matches)
        feedback.setProgress(60)
        if feedback.isCanceled():
            raise Cancelled()
        totals = result.totals()
        counts[self.ROWS_READ] = totals["rows_read"]
        counts[self.REJECTED_COUNT] = totals["rejected"]
        counts[self.ALREADY] = int((matches["reason"] == "already_in_store").sum())
        counts[self.DUPLICATES] = int((matches["reason"] == "duplicate_of_stored").sum())
        with staged_geopackage(store) as tmp:
            columns = {k: t for k, (t, _) in INCIDENT_FIELDS.items() if k not in ("x", "y")}
            columns = {k: t for k, t in columns.items() if k in gpkg.table_columns(tmp, INCIDENTS_TABLE)}
            files["run_id"] = ""
            counts[self.APPENDED] = append.write_batch(
                tmp, INCIDENTS_TABLE, result.incidents, columns, matches, stored, files
            )
            with closing(gpkg.connect(tmp)) as con:
                gpkg.insert_rows(con, REJECTED_TABLE, result.rejected, REJECTED_FIELDS)
                gpkg.insert_rows(con, ACCOUNTING_TABLE, accounting, ACCOUNTING_FIELDS)
                con.commit()
            added = self._added(result.incidents, matches)
            cubes = self._grown_cubes(parameters, context, tmp, store, added, feedback)
            counts[self.UPDATED] = len(cubes)
            log_run(tmp, "beatcast:appendincidents", parameters, skip=(), inputs=inputs,
                    counts={k.lower(): v for k, v in counts.items()})  # fmt: skip
            if feedback.isCanceled():
                raise Cancelled()
            for name, grown in cubes.items():  # last: the counts files sit beside the store itself
                cube_store.write_cube(grown, tmp, name, home=store)
        message = tr("{} rows read: {} incidents added, {} already in the store, {} merged into stored "
                     "incidents, {} rows rejected; {} cube(s) updated").format(
            counts[self.ROWS_READ], counts[self.APPENDED], counts[self.ALREADY], counts[self.DUPLICATES],
            counts[self.REJECTED_COUNT], counts[self.UPDATED])  # fmt: skip
        feedback.pushInfo(message)
        return {**counts, self.MESSAGE: message}

    @staticmethod
    def _import_settings(store):
        """The import algorithm (for its option parsing) and the parameters the store was imported with."""
        runs = runlog.read_runs(store)
        runs = runs[runs["algorithm"] == "beatcast:importincidents"]
        if runs.empty:
            raise BeatCastInputError(
                tr("STORE: {} has no Import incidents run in its run log; import first").format(store)
            )
        logged = json.loads(runs["parameters_json"].iloc[-1])
        logged = {k: v for k, v in logged.items() if k not in NOT_INHERITED}
        importer = ImportIncidentsAlgorithm()
        importer.initAlgorithm()
        hashes = json.loads(runs["input_hashes_json"].iloc[-1] or "{}")
        logged["_imported_sha256"] = {str(v).removeprefix("sha256:") for v in hashes.values()}
        return importer, logged

    def _sources(self, parameters, context, store, logged, feedback):
        paths = [f for f in self.parameterAsFileList(parameters, self.INPUT_FILES, context) if f]
        folder = self.parameterAsFile(parameters, self.INPUT_FOLDER, context)
        if folder:
            if not Path(folder).is_dir():
                raise BeatCastInputError(tr("INPUT_FOLDER: {} is not a folder").format(folder))
            paths += sorted(str(p) for p in Path(folder).iterdir() if p.suffix.lower() in EXPORT_SUFFIXES)
        known = append.appended_files(store)
        imported = logged.pop("_imported_sha256")
        sources, inputs, rows, skipped = [], {}, [], []
        for path in paths:
            digest = runlog.file_sha256(path)
            if digest in known or digest in imported or digest in {r["sha256"] for r in rows}:
                feedback.pushInfo(tr("{}: appended or imported before (SHA-256 {}); skipped").format(
                    path, digest[:12]))  # fmt: skip
                skipped.append(path)
                continue
            tables = read_file_sources(path, feedback)
            for table in tables:
                sources.append(table)
                inputs[table.name] = table.path
            rows.append({"sha256": digest, "file": path, "appended_utc": datetime.now(UTC),
                         "rows": sum(len(t.frame) for t in tables)})  # fmt: skip
        for layer in self.parameterAsLayerList(parameters, self.INPUT_LAYERS, context):
            table = layer_to_source(layer, layer_source_name(layer), feedback)
            sources.append(table)
            inputs[table.name] = layer.source()
        files = pd.DataFrame(rows, columns=list(append.FILES_COLUMNS))
        return sources, inputs, files, skipped

    @staticmethod
    def _added(incidents: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
        keep = np.ones(len(incidents), dtype=bool)
        keep[matches["new"].to_numpy(int)] = False
        return incidents[keep].reset_index(drop=True)

    def _grown_cubes(self, parameters, context, tmp, store, added, feedback) -> dict:
        """name -> the cube with the added incidents counted in (written by the caller)."""
        wanted = [
            c.strip() for c in self.parameterAsString(parameters, self.CUBES, context).split(",") if c.strip()
        ]
        names = cube_store.cube_names(tmp)
        missing = [n for n in wanted if n not in names]
        if missing:
            raise BeatCastInputError(
                tr("CUBE_NAMES: the store has no cube {} (it has: {})").format(
                    ", ".join(missing), ", ".join(names)
                )
            )
        grown_cubes = {}
        for name in wanted or names:
            if feedback.isCanceled():
                raise Cancelled()
            cube = cube_store.read_cube(tmp, name)
            if cube.grid_table not in grids.read_grid_specs(tmp):
                feedback.pushWarning(tr("cube {}: its grid {} is not in the store; not updated").format(
                    name, cube.grid_table))  # fmt: skip
                continue
            grid = grid_io.read_grid(tmp, cube.grid_table)
            new = _placed(added, grid)
            until = None
            if len(added):
                last = pd.Series(added["window_end_utc"]).max()
                until = pd.Timestamp(last).tz_localize("UTC").tz_convert(cube.bins.timezone).tz_localize(None)
            carried = None
            if until is not None and until > cube.bins.end:
                end_utc = pd.Timestamp(cube.bins.utc[-1])
                older = append.read_store(store, INCIDENTS_TABLE, ending_after=end_utc)
                older = older[pd.to_datetime(older["occurred_utc"]) < end_utc]
                carried = _placed(older, grid)
            grown, summary = add_incidents(cube, new, until, carried)
            grown_cubes[name] = grown
            feedback.pushInfo(
                tr("cube {}: {:.0f} incidents counted in, {} bins added").format(
                    name, summary["added"], summary["bins_added"]
                )
            )
        return grown_cubes


def _placed(incidents: pd.DataFrame, grid) -> CubeIncidents:
    cells = grids.cell_index(grid, incidents["x"].to_numpy(float), incidents["y"].to_numpy(float))
    starts = pd.to_datetime(incidents["occurred_utc"], utc=True, errors="coerce").dt.tz_localize(None)
    ends = pd.to_datetime(incidents["window_end_utc"], utc=True, errors="coerce").dt.tz_localize(None)
    return CubeIncidents(
        cells, starts.to_numpy("datetime64[ns]"), ends.to_numpy("datetime64[ns]"),
        incidents["category"].fillna("").to_numpy(dtype=object),
        incidents["time_precision"].fillna("").to_numpy(dtype=object),
    )  # fmt: skip
