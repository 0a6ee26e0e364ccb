"""qgis_process finds BeatCast in a throwaway profile: the path `make demo` and analysts' scripts take."""

import pytest
from qgis_process_utils import parameter_arguments, parse_json_answer, run_qgis_process

EXPECTED_ALGORITHM_IDS = ["beatcast:democity", "beatcast:importincidents"]

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
