"""qgis_process finds BeatCast in a throwaway profile: the path `make demo` and analysts' scripts take."""

import pytest
from algorithm_ids import EXPECTED_ALGORITHM_IDS
from qgis_process_utils import parameter_arguments, parse_json_answer, run_qgis_process

pytestmark = pytest.mark.qgis_process


def test_plugin_is_enabled(qgis_process_env):
    listing = run_qgis_process(["plugins"], qgis_process_env, timeout=120).stdout
    assert any(line.strip() == "* beatcast" for line in listing.splitlines()), listing


def test_algorithms_are_listed(qgis_process_env):
    listing = run_qgis_process(["list"], qgis_process_env, timeout=120).stdout
    for algorithm_id in EXPECTED_ALGORITHM_IDS:
        assert algorithm_id in listing


@pytest.mark.parametrize("algorithm_id", EXPECTED_ALGORITHM_IDS)
def test_help(qgis_process_env, algorithm_id):
    answer = parse_json_answer(run_qgis_process(["--json", "help", algorithm_id], qgis_process_env).stdout)
    assert answer["algorithm_details"]["id"] == algorithm_id
    assert answer["parameters"]


def test_parameter_arguments_repeat_lists():
    assert parameter_arguments({"INPUT_FILES": ["a.csv", "b.csv"], "SEED": 3, "FLAG": True}) == [
        "--INPUT_FILES=a.csv",
        "--INPUT_FILES=b.csv",
        "--SEED=3",
        "--FLAG=true",
    ]


def test_parse_json_answer_skips_leading_output():
    assert parse_json_answer('a plugin printed this\n{"results": {"N": 1}}') == {"results": {"N": 1}}


def test_import_incidents_from_the_command_line(
    qgis_process_run, demo_city_dir, demo_import_params, tmp_path
):
    """The demo exports imported by qgis_process: counts add up and the GeoPackage holds every table."""
    import sqlite3

    out = tmp_path / "cli.gpkg"
    answer = qgis_process_run("beatcast:importincidents", demo_import_params(demo_city_dir, out))
    results = answer["results"]
    assert results["OUTPUT"] == f"{out}|layername=incidents"
    read = results["ROWS_READ"]
    assert read == results["ACCEPTED"] + results["MERGED"] + results["NETTED"] + results["REJECTED_COUNT"]
    assert results["ACCEPTED"] > 20000 and results["OUTPUT_CRS"] == "EPSG:32616"
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT count(*) FROM incidents").fetchone()[0] == results["ACCEPTED"]
        assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == results["REJECTED_COUNT"]
        assert con.execute("SELECT algorithm FROM beatcast_run_log").fetchall() == [
            ("beatcast:importincidents",)
        ]


def test_bad_input_fails_with_the_file_named(qgis_process_env, tmp_path):
    bad = tmp_path / "nodates.csv"
    bad.write_text("id,x,y\n1,2,3\n")
    done = run_qgis_process(
        ["run", "beatcast:importincidents", f"--INPUT_FILES={bad}", f"--OUTPUT={tmp_path / 'o.gpkg'}"],
        qgis_process_env,
        check=False,
    )
    assert done.returncode != 0
    assert "nodates: no date column" in done.stdout + done.stderr
