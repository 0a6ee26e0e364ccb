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
      }                                          # these shell-style patterns (fnmatch)
    }

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
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BeatCastInputError

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.json")
SCHEMA_VERSION = 1
_WORD_SPLIT = re.compile(r"[_\-\s.]+")
__all__ = ["DEFAULT_POLICY_PATH", "Policy", "load_policy"]


@dataclass(frozen=True)
class Policy:
    prohibited_words: tuple[str, ...]
    prohibited_fields: tuple[str, ...]
    source: str  # the file it came from
    sha256: str  # of the file's bytes, for the run log

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
    return Policy(words, fields + extra, str(path), hashlib.sha256(raw).hexdigest())


def fnmatch_escape(name: str) -> str:
    """A pattern that matches exactly ``name`` (brackets around fnmatch's special characters)."""
    return re.sub(r"([*?\[])", r"[\1]", name)
