"""Import throughput and peak memory: 1M synthetic rows, and the 60 raw St. Louis exports.

Run: .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--skip-stl]
Each case runs beatcast:importincidents end to end through Processing (read, clean, dedup, write the
GeoPackage with its R-tree spatial index) in a child process, so the peak resident memory printed is that
case's alone. The 1M case runs again without the spatial index (SQLite builds R-trees at ~20 s per
million rows).
Target (issue 2): 1M rows in under 30 s and under 2 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def synthetic_csv(path: Path, rows: int, seed: int = 7) -> None:
    """An RMS-like export: IDs, offence codes, M/D/Y H:M dates, state-plane-like metres, reversals,
    repeated records, zero and missing coordinates, bad dates."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01T00:00")
    minutes = rng.integers(0, 4 * 365 * 1440, rows)
    when = pd.to_datetime(start + minutes.astype("timedelta64[m]"))
    x = rng.normal(280300, 3000, rows).round(2)
    y = rng.normal(4508700, 3000, rows).round(2)
    ids = np.array([f"R{i:08d}" for i in range(rows)], dtype=object)
    count = np.ones(rows, dtype=int)
    # 1 % reversals of an earlier record, 1 % exact repeats, 1 % zero coordinates, 0.5 % bad dates
    k = rows // 100
    rev = rng.choice(rows // 2, k, replace=False)
    dup = rng.choice(rows // 2, k, replace=False) + rows // 2
    codes = rng.choice(["0501", "0601", "0701", "0401", "1400"], rows)
    frame = pd.DataFrame(
        {
            "Complaint": ids,
            "DateOccur": when.strftime("%m/%d/%Y %H:%M"),
            "Crime": codes,
            "Count": count,
            "XCoord": x,
            "YCoord": y,
            "District": rng.integers(1, 7, rows),
            "Description": "SYNTHETIC",
        }
    )
    tail = rows - 2 * k
    frame = frame.iloc[:tail].copy()
    reversals = frame.iloc[rev[rev < tail]].copy()
    reversals["Count"] = -1
    repeats = frame.iloc[dup[dup < tail]].copy()
    frame.loc[frame.sample(frac=0.01, random_state=1).index, ["XCoord", "YCoord"]] = 0
    frame.loc[frame.sample(frac=0.005, random_state=2).index, "DateOccur"] = "99/99/2020 25:00"
    out = pd.concat([frame, reversals, repeats], ignore_index=True)
    out.to_csv(path, index=False)


def child(files: list[str], crs: str, spatial_index: bool = True) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(tempfile.mkdtemp())))
    (Path(sys.path[0]) / "beatcast").symlink_to(ROOT)
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from beatcast import classFactory

    plugin = classFactory(None)  # keep a reference: the provider lives as long as the plugin object
    plugin.initProcessing()
    out = Path(tempfile.mkdtemp()) / "bench.gpkg"
    t0 = time.perf_counter()
    result = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_FILES": files,
            "SOURCE_CRS": crs,
            "TIMEZONE": "America/Chicago",
            "OUTPUT": str(out),
            "SPATIAL_INDEX": spatial_index,
        },
    )
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "rows": result["ROWS_READ"],
                "accepted": result["ACCEPTED"],
                "rejected": result["REJECTED_COUNT"],
            }
        )
    )


def run_case(label: str, files: list[str], crs: str, spatial_index: bool = True) -> None:
    cmd = [sys.executable, __file__, "--child", crs, "1" if spatial_index else "0", *files]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not line:
        print(f"{label}: FAILED\n{done.stderr[-3000:]}")
        return
    r = json.loads(line[-1])
    print(
        f"{label:<34} {r['rows']:>9,} rows  {r['seconds']:6.1f} s  {r['rows'] / r['seconds']:>9,.0f} rows/s  "
        f"peak {r['peak_mb']:7.0f} MB  accepted {r['accepted']:,}  rejected {r['rejected']:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-stl", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        child(args.child[2:], args.child[0], args.child[1] == "1")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.csv"
        t0 = time.perf_counter()
        synthetic_csv(path, args.rows)
        print(
            f"generated {args.rows:,} synthetic rows in {time.perf_counter() - t0:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
        run_case(f"synthetic {args.rows:,} rows", [str(path)], "EPSG:32616")
        run_case(f"synthetic {args.rows:,}, no spatial index", [str(path)], "EPSG:32616", spatial_index=False)
    stl = sorted((SHARED / "stlouis_slmpd" / "raw_monthly").glob("*/*.csv.gz"))
    if args.skip_stl or not stl:
        print("St. Louis: skipped (../shared/data absent)" if not stl else "St. Louis: skipped")
        return
    run_case("St. Louis 60 raw monthly exports", [str(p) for p in stl], "ESRI:102696")


if __name__ == "__main__":
    main()
