"""The agency's policy file: rules the humans set, read by the algorithms that must obey them.

A policy is a JSON object (schema below; ``core/default_policy.json`` ships the defaults). Every algorithm
with a ``POLICY`` parameter reads it, records the file's SHA-256 in the run log, and refuses a run that
breaks a rule, naming the rule.

Schema (version 1)::

    {
      "beatcast_policy": 1,                      # schema version (required)
      "prohibited_inputs": {                     # fields that may never be model inputs
        "words":  ["race", "ethnicity", ...],    # a field is prohibited when one of the words of its name
                                                 # (lower case, split at "_", "-", " " and ".") is listed
        "fields": ["*pop_group_*", ...]         # ... or when its whole lower-case name matches one of
      },                                         # these shell-style patterns (fnmatch)
      "audit": {                                 # bias-audit thresholds (Bias audit; a run may be stricter)
        "exposure_ratio_max": 1.25,              # flag a group/area whose exposure ratio is above
        "disparate_impact_min": 0.8,             # flag disparate impact below (the four-fifths rule)
        "proxy_correlation_max": 0.5,            # flag a feature whose |Spearman| with a group share is above
        "proxy_information_max": 0.5             # ... or whose informational correlation is above (and
      },                                         #     significant; core.audit.proxy_check)
      "patrol": {                                # patrol planning (Patrol plan, Fairness frontier)
        "min_zones_per_district": 0,             # every district gets at least this many zones (a run may
                                                 # ask for more, never fewer)
        "exposure_ratio_cap": null,              # null, or a cap every plan must meet (needs census areas)
        "dwell_minutes": 15,                     # defaults when the run leaves them empty
        "shift_minutes": 480
      }
    }

Every section and key is optional; a missing one takes the shipped default (``DEFAULTS``), an unknown one is
refused (a typo must not silently disable a rule). A run may be stricter than the policy (a lower exposure
cap, more zones per district) but not looser: ``audit_thresholds`` and ``patrol_rules`` refuse it naming
the rule, the file and the value given.

The shipped defaults prohibit protected attributes (race, ethnicity, religion, national origin, sex) and
population shares by those groups (``pop_white_alone`` has the word "white"); ``*pop_group_*`` matches
the demo city's stand-ins for such groups (Cell covariates names them census_areas_pop_group_a, ...). A
field's name decides, not its content: a proxy that carries the same information under an innocent name
is what the bias audit's proxy check is for.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BeatCastInputError

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.json")
SCHEMA_VERSION = 1
_WORD_SPLIT = re.compile(r"[_\-\s.]+")
# key -> (default, kind): "max" and "min" are limits a run may tighten, "default" only fills an empty value.
AUDIT_RULES = {
    "exposure_ratio_max": (1.25, "max"),
    "disparate_impact_min": (0.8, "min"),
    "proxy_correlation_max": (0.5, "max"),
    "proxy_information_max": (0.5, "max"),
}
PATROL_RULES = {
    "min_zones_per_district": (0, "min"),
    "exposure_ratio_cap": (None, "max"),
    "dwell_minutes": (15, "default"),
    "shift_minutes": (480, "default"),
}
__all__ = ["AUDIT_RULES", "DEFAULT_POLICY_PATH", "PATROL_RULES", "Policy", "load_policy"]


@dataclass(frozen=True)
class Policy:
    prohibited_words: tuple[str, ...]
    prohibited_fields: tuple[str, ...]
    source: str  # the file it came from
    sha256: str  # of the file's bytes, for the run log
    audit: dict = field(default_factory=lambda: {k: v for k, (v, _) in AUDIT_RULES.items()})
    patrol: dict = field(default_factory=lambda: {k: v for k, (v, _) in PATROL_RULES.items()})

    def log_record(self) -> dict:
        """What the run log keeps of the policy a run obeyed: the file, its hash and the rules read."""
        return {
            "file": self.source,
            "sha256": self.sha256,
            "prohibited_words": list(self.prohibited_words),
            "prohibited_fields": list(self.prohibited_fields),
            "audit": dict(self.audit),
            "patrol": dict(self.patrol),
        }

    def _resolve(self, section: str, rules: dict, given: dict, names: dict) -> dict:
        values = getattr(self, section)
        out = {}
        for key, value in given.items():
            if key not in rules:
                raise BeatCastInputError(f"policy: no {section} rule named {key!r}")
            limit, kind = values[key], rules[key][1]
            if value is None:
                out[key] = limit
                continue
            value = float(value)
            looser = limit is not None and (
                (kind == "max" and value > limit) or (kind == "min" and value < limit)
            )
            if looser:
                word = "above" if kind == "max" else "below"
                raise BeatCastInputError(
                    f"{names.get(key, key)} {value:g} breaks the policy rule {section}.{key} = {limit:g} "
                    f"({self.source}): a run may be stricter than the policy, not looser ({word} the "
                    "limit). Leave the parameter empty to use the policy's value"
                )
            out[key] = value
        return out

    def audit_thresholds(self, given: dict, names: dict | None = None) -> dict:
        """The audit thresholds for a run: each ``given`` value (None: the policy's), refused when looser
        than the policy. ``names`` maps rule keys to the parameter names shown in messages."""
        return self._resolve("audit", AUDIT_RULES, given, names or {})

    def patrol_rules(self, given: dict, names: dict | None = None) -> dict:
        """The patrol settings for a run, as ``audit_thresholds`` (defaults only fill empty values)."""
        return self._resolve("patrol", PATROL_RULES, given, names or {})

    def prohibited_reason(self, field: str) -> str:
        """Why ``field`` may not be a model input ("" when it may)."""
        name = str(field).strip().lower()
        for word in _WORD_SPLIT.split(name):
            if word in self.prohibited_words:
                return f'its name contains the prohibited word "{word}"'
        for pattern in self.prohibited_fields:
            if fnmatch.fnmatchcase(name, pattern):
                return f'it matches the prohibited field pattern "{pattern}"'
        return ""

    def check_inputs(self, fields, what: str = "model input") -> None:
        """Raise naming every prohibited field among ``fields``."""
        bad = [(f, self.prohibited_reason(f)) for f in fields]
        bad = [(f, why) for f, why in bad if why]
        if bad:
            listed = "; ".join(f'"{f}" ({why})' for f, why in bad)
            raise BeatCastInputError(
                f"prohibited as a {what} by the policy {self.source}: {listed}. "
                "Leave these fields out of the model's features (or change the policy, which the run log "
                "records)"
            )


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BeatCastInputError(f"policy: {where} must be a list of non-empty strings")
    return tuple(v.strip().lower() for v in value)


def load_policy(path=None, extra_prohibited=()) -> Policy:
    """Read a policy file (the shipped defaults when ``path`` is empty). ``extra_prohibited`` adds field
    names the user marks as prohibited for this run (exact names, case-insensitive)."""
    path = Path(path) if path else DEFAULT_POLICY_PATH
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BeatCastInputError(f"policy file {path} cannot be read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BeatCastInputError(f"policy file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("beatcast_policy") != SCHEMA_VERSION:
        raise BeatCastInputError(
            f'policy file {path}: expected a JSON object with "beatcast_policy": {SCHEMA_VERSION}'
        )
    prohibited = data.get("prohibited_inputs", {})
    if not isinstance(prohibited, dict):
        raise BeatCastInputError("policy: prohibited_inputs must be an object with words and fields")
    unknown = set(prohibited) - {"words", "fields"}
    if unknown:
        raise BeatCastInputError(f"policy: unknown key(s) in prohibited_inputs: {', '.join(sorted(unknown))}")
    words = _strings(prohibited.get("words", []), "prohibited_inputs.words")
    fields = _strings(prohibited.get("fields", []), "prohibited_inputs.fields")
    extra = tuple(fnmatch_escape(str(f).strip().lower()) for f in extra_prohibited if str(f).strip())
    unknown = set(data) - {"beatcast_policy", "prohibited_inputs", "audit", "patrol", "description"}
    if unknown:
        raise BeatCastInputError(f"policy file {path}: unknown section(s) {', '.join(sorted(unknown))}")
    return Policy(
        words, fields + extra, str(path), hashlib.sha256(raw).hexdigest(),
        _section(data, "audit", AUDIT_RULES, path), _section(data, "patrol", PATROL_RULES, path),
    )  # fmt: skip


def _section(data: dict, name: str, rules: dict, path) -> dict:
    """A rule section with the shipped defaults for missing keys; unknown keys and bad numbers refused."""
    given = data.get(name, {})
    if not isinstance(given, dict):
        raise BeatCastInputError(f"policy file {path}: {name} must be an object")
    unknown = set(given) - set(rules)
    if unknown:
        raise BeatCastInputError(
            f"policy file {path}: unknown key(s) in {name}: {', '.join(sorted(unknown))}; "
            f"expected {', '.join(rules)}"
        )
    out = {}
    for key, (default, _) in rules.items():
        value = given.get(key, default)
        if value is None and default is None:
            out[key] = None
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < 0
        ):
            raise BeatCastInputError(f"policy file {path}: {name}.{key} must be a number >= 0, got {value!r}")
        if key == "exposure_ratio_cap" and value < 1:
            raise BeatCastInputError(f"policy file {path}: {name}.{key} must be >= 1 (or null), got {value}")
        out[key] = value
    return out


def fnmatch_escape(name: str) -> str:
    """A pattern that matches exactly ``name`` (brackets around fnmatch's special characters)."""
    return re.sub(r"([*?\[])", r"[\1]", name)
