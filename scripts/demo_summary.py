"""Writes the demo's HTML summary: what ran, how long each step took, its figures, and the outputs.

    python3 scripts/demo_summary.py DEMO_OUTPUT_FOLDER

Reads DEMO_OUTPUT_FOLDER/logs/timings.tsv (step, seconds, status; written by scripts/demo.sh) and each
step's qgis_process answer logs/STEP.json; writes DEMO_OUTPUT_FOLDER/summary.html with relative links.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

OUTPUTS = [
    ("beatcast_demo.qgz", "QGIS project: every output styled (open it in QGIS)"),
    ("roll_call_pack.pdf", "Roll-call map pack (PDF; marked DRAFT: the demo plan is not approved)"),
    ("bias_audit.html", "Bias audit report"),
    ("backtest_pai.png", "Backtest: PAI of each model by area flagged"),
    ("forecast_expected.tif", "Forecast: expected incidents next week (GeoTIFF)"),
    ("forecast_lower90.tif", "Forecast: lower 90 % bound (GeoTIFF)"),
    ("forecast_upper90.tif", "Forecast: upper 90 % bound (GeoTIFF)"),
    ("beatcast_demo.gpkg", "GeoPackage: incidents, rejected rows, grid, cubes' index, every table"),
    ("city", "The demo city: boundary, districts, exports, truth"),
]


def _results(folder: Path, step: str) -> dict:
    path = folder / "logs" / f"{step}.json"
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return json.loads(text[text.index("{") :]).get("results", {})
    except ValueError:
        return {}


def _figures(results: dict) -> str:
    """The numbers and short texts a step returned (paths left out: they are listed below)."""
    parts = []
    for key, value in sorted(results.items()):
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)):
            text = f"{value:,.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
            parts.append(f"{key} {text}")
        elif isinstance(value, str) and len(value) < 60 and "/" not in value and "|" not in value:
            parts.append(f"{key} {value}")
    return "; ".join(parts)


def build(folder: Path) -> Path:
    timings = folder / "logs" / "timings.tsv"
    rows = [line.split("\t") for line in timings.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = sum(float(seconds) for _, seconds, _ in rows)
    body = [
        "<h1>BeatCast demo city: what ran</h1>",
        f"<p>{len(rows)} steps through <code>qgis_process</code>, {total:.0f} s in all.</p>",
        "<table><tr><th>step</th><th>seconds</th><th>status</th><th>figures</th></tr>",
    ]
    for step, seconds, status in rows:
        body.append(
            f"<tr><td>{html.escape(step)}</td><td class='n'>{html.escape(seconds)}</td>"
            f"<td>{html.escape(status)}</td><td>{html.escape(_figures(_results(folder, step)))}</td></tr>"
        )
    body.append("</table><h2>Outputs</h2><ul>")
    for name, what in OUTPUTS:
        if (folder / name).exists():
            body.append(
                f"<li><a href='{html.escape(name)}'>{html.escape(name)}</a>: {html.escape(what)}</li>"
            )
    body.append(
        "</ul><p><i>Synthetic data (seeded demo city); a forecast is not grounds for a stop, search or "
        "arrest. It describes places and times, never people.</i></p>"
    )
    page = (
        "<html><head><meta charset='utf-8'><title>BeatCast demo</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}td.n{text-align:right}"
        "</style></head><body>" + "".join(body) + "</body></html>"
    )
    out = folder / "summary.html"
    out.write_text(page, encoding="utf-8")
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    print(f"summary: {build(Path(sys.argv[1]))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
