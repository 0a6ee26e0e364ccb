"""The parameter review of a patrol plan run as read-only HTML: what the analyst approves or rejects.

Sections come from the plan's GeoPackage and the GeoPackages its run log points to (the forecast the plan
read, the cube the forecast read), the first that holds each: parameters, data coverage, backtest
metrics, top features, bias audit flags, the plan's summary. Every value is escaped.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from html import escape
from pathlib import Path

import pandas as pd

from ..core import gpkg
from ..processing_provider.i18n import tr
from . import run_history

BACKTEST_COLUMNS = ("model", "pai@5", "pei*@5", "hit@5", "log_score", "interval_coverage", "pit_coverage")


def _path_of(value) -> str:
    return str(value or "").split("|")[0]


def related_geopackages(plan_gpkg: str, plan_run) -> list[str]:
    """The plan's GeoPackage, the forecast's it read, and the cube's that forecast read (each once)."""
    paths = [str(plan_gpkg)]
    forecast = _path_of(run_history.parameters_of(plan_run).get("FORECAST"))
    if forecast and Path(forecast).is_file():
        paths.append(forecast)
    for path in list(paths):
        runs = run_history.runs_newest_first(path)
        for _, run in runs[runs["algorithm"] == "beatcast:forecastrisk"].head(1).iterrows():
            cube = _path_of(run_history.parameters_of(run).get("CUBE"))
            if cube and Path(cube).is_file():
                paths.append(cube)
    seen, out = set(), []
    for path in paths:
        key = str(Path(path).resolve())
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _latest(paths: list[str], algorithm: str):
    for path in paths:
        runs = run_history.runs_newest_first(path)
        found = runs[runs["algorithm"] == algorithm]
        if len(found):
            return path, found.iloc[0]
    return None, None


def _table(path: str, table: str, limit: int = 200) -> pd.DataFrame | None:
    if table not in gpkg.table_names(path):
        return None
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
        plain = [c for c in columns if c not in ("geom", "geometry", "fid")]
        select = ", ".join(f'"{c}"' for c in plain)
        return pd.read_sql_query(f'SELECT {select} FROM "{table}" LIMIT {int(limit)}', con)


def _value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)[:400]
    return str(value)


def _pairs(pairs) -> str:
    rows = "".join(
        f"<tr><th align='left'>{escape(str(k))}</th><td>{escape(_value(v))}</td></tr>" for k, v in pairs
    )
    return f"<table cellspacing='0' cellpadding='2'>{rows}</table>"


def _frame(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_value(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(False)
    )
    return f"<table border='1' cellspacing='0' cellpadding='2'><tr>{head}</tr>{body}</table>"


def _missing(text: str) -> str:
    return f"<p><i>{escape(text)}</i></p>"


def _section(title: str, body: str) -> str:
    return f"<h4>{escape(title)}</h4>{body}"


def parameters_section(plan_run) -> str:
    parameters = run_history.parameters_of(plan_run)
    policy = parameters.pop("POLICY_USED", None)
    pairs = sorted(parameters.items())
    if isinstance(policy, dict):
        pairs += [
            (tr("policy file"), policy.get("source", "")),
            (tr("policy sha256"), policy.get("sha256", "")),
        ]
    return _pairs(pairs)


def coverage_section(paths: list[str]) -> str:
    parts = []
    path, run = _latest(paths, "beatcast:importincidents")
    if run is not None:
        parts.append(_pairs(run_history.counts_of(run).items()))
        accounting = _table(path, "import_accounting")
        if accounting is not None and len(accounting):
            parts.append(_frame(accounting))
    else:
        parts.append(_missing(tr("No import run found in these GeoPackages.")))
    path, run = _latest(paths, "beatcast:forecastrisk")
    if run is not None:
        prefix = run_history.parameters_of(run).get("OUTPUT_NAME") or "forecast"
        summary = _table(path, f"{prefix}_summary")
        if summary is not None:
            spans = summary[summary["key"].isin(["time unit", "forecast from (local)", "forecast to (local)",
                                                  "category", "model", "expected total"])]  # fmt: skip
            parts.append(_pairs(zip(spans["key"], spans["value"], strict=True)))
    return "".join(parts)


def backtest_section(paths: list[str]) -> str:
    path, run = _latest(paths, "beatcast:backtest")
    if run is None:
        return _missing(tr("No backtest run: the models were not compared with the baselines."))
    prefix = run_history.parameters_of(run).get("OUTPUT_NAME") or "backtest"
    summary = _table(path, f"{prefix}_summary")
    if summary is None:
        return _missing(tr("The backtest summary table {}_summary is missing.").format(prefix))
    columns = [c for c in BACKTEST_COLUMNS if c in summary.columns]
    return _frame(summary[columns])


def features_section(paths: list[str]) -> str:
    path, run = _latest(paths, "beatcast:forecastrisk")
    if run is None:
        return _missing(tr("No forecast run found."))
    prefix = run_history.parameters_of(run).get("OUTPUT_NAME") or "forecast"
    parts = []
    summary = _table(path, f"{prefix}_summary")
    if summary is not None:
        keys = summary[summary["key"].isin(["covariates", "weights", "calibration", "policy"])]
        parts.append(_pairs(zip(keys["key"], keys["value"], strict=True)))
    cells = _table(path, f"{prefix}_cells", limit=100_000)
    if cells is not None and "explanation" in cells:
        top = cells.sort_values("rank").head(5)[["cell_id", "rank", "expected", "explanation"]]
        parts.append(_frame(top))
    return "".join(parts) or _missing(tr("The forecast tables are missing."))


def audit_section(paths: list[str]) -> str:
    path, run = _latest(paths, "beatcast:biasaudit")
    if run is None:
        return _missing(tr("No bias audit run: the plan's exposure by group was not audited."))
    counts = run_history.counts_of(run)
    flags = counts.pop("flags", [])
    parts = [_pairs((k, v) for k, v in counts.items() if k != "thresholds")]
    if flags:
        parts.append("<ul>" + "".join(f"<li><b>{escape(str(f))}</b></li>" for f in flags) + "</ul>")
    else:
        parts.append(_missing(tr("No flag raised.")))
    groups = _table(path, "bias_audit_groups")
    if groups is not None and "flag" in groups:
        flagged = groups[groups["flag"].fillna("").astype(str) != ""]
        if len(flagged):
            parts.append(_frame(flagged))
    return "".join(parts)


def review_html(plan_gpkg: str, plan_run) -> str:
    """The whole review of one patrol plan run."""
    paths = related_geopackages(plan_gpkg, plan_run)
    counts = {k: v for k, v in run_history.counts_of(plan_run).items() if k != "rules"}
    header = tr("Patrol plan run {} ({} UTC, plugin {})").format(
        plan_run["run_id"], str(plan_run["run_time_utc"])[:19], plan_run["plugin_version"]
    )
    return "".join([
        f"<h3>{escape(header)}</h3>",
        _pairs([(tr("GeoPackages read"), ", ".join(paths))]),
        _section(tr("Patrol plan summary"), _pairs(counts.items())),
        _section(tr("Parameters"), parameters_section(plan_run)),
        _section(tr("Data coverage"), coverage_section(paths)),
        _section(tr("Backtest against the baselines"), backtest_section(paths)),
        _section(tr("Top features and model"), features_section(paths)),
        _section(tr("Bias audit"), audit_section(paths)),
    ])  # fmt: skip
