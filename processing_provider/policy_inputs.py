"""The POLICY parameter (the agency's policy file, core/policy.py) and the optional numbers it fills."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterFile, QgsProcessingParameterNumber

from ..core.errors import BeatCastInputError
from ..core.policy import Policy, load_policy
from . import compat
from .i18n import tr

POLICY = "POLICY"


def add_policy_parameter(algorithm) -> None:
    algorithm.addParameter(
        QgsProcessingParameterFile(
            POLICY, tr("Policy file (empty: BeatCast defaults)"), extension="json", optional=True
        )
    )


def read_policy(algorithm, parameters, context, extra_prohibited=()) -> Policy:
    return load_policy(algorithm.parameterAsFile(parameters, POLICY, context) or None, extra_prohibited)


class PolicyRules(dict):
    """The rules a run obeys (policy values, or stricter ones given), with the policy they came from."""

    def __init__(self, values: dict, policy: Policy):
        super().__init__(values)
        self.policy = policy


def add_policy_number(algorithm, name: str, label: str, integer: bool = False, minimum: float = 0.0) -> None:
    """An optional number left empty by default: empty means "the policy's value"."""
    kind = compat.NUMBER_INTEGER if integer else compat.NUMBER_DOUBLE
    algorithm.addParameter(
        QgsProcessingParameterNumber(name, label, kind, None, optional=True, minValue=minimum)
    )


def policy_number(algorithm, parameters, name: str, context) -> float | None:
    """The number given for ``name``, or None when it was left empty (the policy then decides)."""
    value = parameters.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = algorithm.parameterAsDouble(parameters, name, context)
    if number != number:  # NaN
        raise BeatCastInputError(tr("{}: not a number: {}").format(name, value))
    return number
