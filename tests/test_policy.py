"""core.policy: the policy file's audit and patrol rules, their defaults, and runs that would break them."""

from __future__ import annotations

import hashlib
import json

import pytest

from beatcast.core.errors import BeatCastInputError
from beatcast.core.policy import AUDIT_RULES, DEFAULT_POLICY_PATH, PATROL_RULES, load_policy


def _write(tmp_path, document) -> str:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_shipped_defaults_are_the_documented_rules():
    policy = load_policy()
    assert policy.audit == {k: v for k, (v, _) in AUDIT_RULES.items()}
    assert policy.patrol == {k: v for k, (v, _) in PATROL_RULES.items()}
    assert policy.audit["exposure_ratio_max"] == 1.25 and policy.audit["disparate_impact_min"] == 0.8
    assert policy.patrol["exposure_ratio_cap"] is None and policy.patrol["dwell_minutes"] == 15
    record = policy.log_record()
    assert record["sha256"] == hashlib.sha256(DEFAULT_POLICY_PATH.read_bytes()).hexdigest()
    assert record["file"] == str(DEFAULT_POLICY_PATH) and "race" in record["prohibited_words"]


def test_missing_sections_take_defaults_and_given_values_win(tmp_path):
    policy = load_policy(_write(tmp_path, {"beatcast_policy": 1, "patrol": {"min_zones_per_district": 2}}))
    assert policy.patrol["min_zones_per_district"] == 2 and policy.patrol["shift_minutes"] == 480
    assert policy.audit["exposure_ratio_max"] == 1.25
    assert policy.prohibited_words == ()  # a policy file that lists no prohibited inputs prohibits none


def test_runs_may_be_stricter_than_the_policy_not_looser(tmp_path):
    policy = load_policy(
        _write(tmp_path, {"beatcast_policy": 1, "audit": {"exposure_ratio_max": 1.2}, "patrol": {
            "min_zones_per_district": 1, "exposure_ratio_cap": 1.3}})
    )  # fmt: skip
    names = {"exposure_ratio_max": "EXPOSURE_RATIO_MAX"}
    given = {"exposure_ratio_max": None, "disparate_impact_min": 0.9}
    assert policy.audit_thresholds(given, names) == {"exposure_ratio_max": 1.2, "disparate_impact_min": 0.9}
    assert policy.audit_thresholds({"exposure_ratio_max": 1.1})["exposure_ratio_max"] == 1.1
    rule = r"EXPOSURE_RATIO_MAX 1.4 breaks the policy rule audit.exposure_ratio_max = 1.2 \(.*policy.json\)"
    with pytest.raises(BeatCastInputError, match=rule):
        policy.audit_thresholds({"exposure_ratio_max": 1.4}, names)
    with pytest.raises(BeatCastInputError, match="audit.disparate_impact_min = 0.8"):
        policy.audit_thresholds({"disparate_impact_min": 0.7})
    given = {"min_zones_per_district": None, "dwell_minutes": 20, "exposure_ratio_cap": 1.25}
    rules = policy.patrol_rules({**given, "shift_minutes": None})
    assert rules == {"min_zones_per_district": 1, "dwell_minutes": 20, "exposure_ratio_cap": 1.25,
                     "shift_minutes": 480}  # fmt: skip
    for looser, rule in (
        ({"min_zones_per_district": 0}, "patrol.min_zones_per_district = 1"),
        ({"exposure_ratio_cap": 1.5}, "patrol.exposure_ratio_cap = 1.3"),
    ):
        with pytest.raises(BeatCastInputError, match=rule):
            policy.patrol_rules(looser)
    # With no cap in the policy any cap (or none) is allowed.
    assert load_policy().patrol_rules({"exposure_ratio_cap": 9.0})["exposure_ratio_cap"] == 9.0


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"beatcast_policy": 1, "audit": {"gini_max": 0.3}}, "unknown key.*in audit: gini_max"),
        ({"beatcast_policy": 1, "audit": {"exposure_ratio_max": -1}}, "audit.exposure_ratio_max must be"),
        ({"beatcast_policy": 1, "audit": {"exposure_ratio_max": "high"}}, "audit.exposure_ratio_max must be"),
        ({"beatcast_policy": 1, "patrol": {"exposure_ratio_cap": 0.9}}, "exposure_ratio_cap must be >= 1"),
        ({"beatcast_policy": 1, "patrol": []}, "patrol must be an object"),
        ({"beatcast_policy": 1, "patrols": {}}, "unknown section.*patrols"),
    ],
)
def test_bad_policy_files_are_refused_naming_the_rule(tmp_path, document, message):
    with pytest.raises(BeatCastInputError, match=message):
        load_policy(_write(tmp_path, document))
