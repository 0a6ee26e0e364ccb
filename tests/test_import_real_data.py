"""Real public exports from ../shared/data (skipped cleanly where that folder is absent).

Figures are printed so the closing notes can compare them with each PROVENANCE.md.
"""

import sqlite3

import pandas as pd
import pytest

pytestmark = pytest.mark.real_data


def accounting(out):
    with sqlite3.connect(out) as con:
        return pd.read_sql_query("SELECT * FROM import_accounting", con)


def rejected_by(out, column):
    with sqlite3.connect(out) as con:
        return pd.read_sql_query(
            f"SELECT {column}, reason, count(*) AS n FROM rejected_rows GROUP BY 1, 2", con
        )


def check_invariant(acc):
    for source, t in acc.groupby("source"):
        assert t.loc[t.outcome == "read", "rows"].sum() == t.loc[t.outcome != "read", "rows"].sum(), source


def test_all_60_st_louis_monthly_exports_in_one_run(beatcast_provider, shared_data, tmp_path):
    import processing

    folder = shared_data / "stlouis_slmpd"
    files = sorted(str(p) for p in (folder / "raw_monthly").glob("*/*.csv.gz"))
    assert len(files) == 60
    out = tmp_path / "stl.gpkg"
    result = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_FILES": files,
            "SOURCE_CRS": "ESRI:102696",
            "TIMEZONE": "America/Chicago",
            "BOUNDARY": str(folder / "context" / "stl_boundary.geojson"),
            "OUTPUT": str(out),
        },
    )
    acc = accounting(out)
    check_invariant(acc)
    total = acc[acc.source == "ALL"].set_index(["outcome", "reason"])["rows"]
    print("\nSt. Louis totals:\n" + total.to_string())
    assert result["ROWS_READ"] == 246291  # PROVENANCE.md: 246,291 rows in the 60 files
    assert result["OUTPUT_CRS"] == "EPSG:32615"
    # Reversals: the provenance matched 3,012 of 3,112 reversal keys.
    unmatched = int(total.get(("rejected", "unmatched_reversal"), 0))
    assert result["NETTED"] >= 2 * 3000 and 0 < unmatched <= 200
    # Rape (UCR 02) and sex offences (UCR 17) never have coordinates: reported, not lost.
    rej = rejected_by(out, "substr(printf('%06d', CAST(category_raw AS INTEGER)), 1, 2)")
    rej.columns = ["ucr", "reason", "n"]
    sexual = rej[rej.ucr.isin(["02", "17"])]
    print(sexual.to_string())
    assert set(sexual["reason"]) <= {"zero_coordinates", "missing_coordinates", "unmatched_reversal"}
    assert sexual["n"].sum() >= 2500  # PROVENANCE: 1,470 + 1,494 rows (some of them netted)
    # The cleaned file of the provenance keeps 227,197 rows (after its own period filter).
    print(
        f"accepted {result['ACCEPTED']}, merged {result['MERGED']}, netted {result['NETTED']}, "
        f"rejected {result['REJECTED_COUNT']} (provenance clean file: 227,197)"
    )
    assert 220000 <= result["ACCEPTED"] <= 235000
    # Both header variants (may2017 has 'Date Occur', 'X-Coord') are read.
    may = acc[(acc.source == "may2017") & (acc.outcome == "accepted")]["rows"].sum()
    assert may > 3000


def test_portland_zipped_shapefiles(beatcast_provider, shared_data, tmp_path):
    import processing

    folder = shared_data / "portland_nij_cfs_2016"
    out = tmp_path / "portland.gpkg"
    result = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_FILES": [str(folder / "080116_083116_Data.zip"), str(folder / "090116_093016_Data.zip")],
            "TIMEZONE": "America/Los_Angeles",
            "OUTPUT": str(out),
        },
    )
    acc = accounting(out)
    check_invariant(acc)
    print("\nPortland:\n" + acc.to_string())
    assert result["ROWS_READ"] == 19376 + 18443  # PROVENANCE.md
    assert result["OUTPUT_CRS"] == "EPSG:32610"
    with sqlite3.connect(out) as con:
        precision = dict(con.execute("SELECT time_precision, count(*) FROM incidents GROUP BY 1").fetchall())
    assert set(precision) == {"day"}
    assert result["ACCEPTED"] + result["MERGED"] >= 0.99 * result["ROWS_READ"]


def test_lancashire_month_only_stacked_points(beatcast_provider, shared_data, tmp_path):
    import processing

    folder = shared_data / "uk_lancashire_asb_2022"
    out = tmp_path / "lancs.gpkg"
    result = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_FILES": [str(folder / "lancashire_asb.tab")],
            "TIMEZONE": "Europe/London",
            "DEFAULT_CATEGORY": "anti-social behaviour",
            "TARGET_CRS": "EPSG:27700",
            "OUTPUT": str(out),
        },
    )
    check_invariant(accounting(out))
    assert result["ROWS_READ"] == 56434
    # Month-only incidents snapped to shared points are not duplicates: all are kept.
    assert result["ACCEPTED"] == 56434
    with sqlite3.connect(out) as con:
        months = con.execute(
            "SELECT substr(occurred_local, 1, 7), time_precision, count(*) FROM incidents GROUP BY 1, 2"
        ).fetchall()
    assert len(months) == 12 and {m[1] for m in months} == {"month"}
    assert dict((m[0], m[2]) for m in months)["2022-01"] == 4415  # PROVENANCE.md rows per month
