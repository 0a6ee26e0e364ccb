"""Which column of an export plays which role (date, coordinates, category...), detected or overridden.

Detection compares header names with punctuation, spaces and case removed ("Date Occur", "DATE_OCCUR"
and "DateOccur" are all ``dateoccur``) against ranked lists of names seen in CAD, RMS and open-data
exports. Each role takes at most one column and each column at most one role; the strongest match wins.
Only exact (normalised) names are matched, so "CodedMonth", "FlagCrime" or "Date Crime Coded" are not
mistaken for a month, a category or an occurrence date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from .errors import BeatCastInputError
from .timeparse import validate_tz

ROLES: dict[str, str] = {
    "id": "incident, complaint, report or call number (several rows may share one: one row per offence)",
    "datetime": "occurrence (or call) date and time in one column",
    "date": "occurrence date; may also hold a time (it is parsed per row), or only a month",
    "time": "occurrence time of day when it has its own column (HH:MM, HHMM, 9:30 PM...)",
    "x": "projected easting (state plane feet, British grid metres...): needs the source CRS",
    "y": "projected northing",
    "lon": "WGS84 longitude in degrees",
    "lat": "WGS84 latitude in degrees",
    "category": "offence or call type (code or label) that the category map groups",
    "description": "free-text or coded description of the offence",
    "count": "count per row (+1, or -1 for a reversal that cancels an earlier row)",
    "ref_id": "identifier of the related CAD event (links RMS reports to 911 calls)",
    "origin": "how the incident came to police notice (911 call, officer-initiated, online report...)",
    "district": "police district, precinct or beat the record was filed under",
    "address": "street address, block or place of the incident (personal data: not exported by default)",
}
OPTIONS: dict[str, str] = {
    "tz": "IANA time zone of local times in this source, e.g. America/Chicago",
    "crs": "coordinate reference system of x/y, e.g. EPSG:2913 or ESRI:102696",
    "dayfirst": "true when numeric dates are day/month/year",
    "precision": "month when the dates only stand for their month (police.uk 'month' columns: YYYY-MM-01)",
}

# Normalised names, strongest first. Occurrence times beat call times, which beat report times.
_NAMES: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "complaint", "complaintno", "complaintnumber", "complaintnum", "reportno", "reportnumber",
        "reportnum", "eventno", "eventnumber", "eventid", "callid", "callno", "callnumber", "incidentid",
        "incidentno", "incidentnumber", "incidentnum", "incnum", "casenumber", "caseno", "casenum",
        "caseid", "crimeid", "offenseid", "offenceid", "recordid", "cfsnumber", "cfsid", "ccnumber",
        "objectid", "fid",
    ),
    "datetime": (
        "occdatetime", "occurreddatetime", "occurrencedatetime", "datetimeoccurred", "datetimeoccur",
        "dateoccur", "occurred", "occurredon", "occurredat", "occurreddate", "occurrencedate",
        "offensedatetime", "incidentdatetime", "crimedatetime", "eventdatetime", "datetime",
        "dateandtime", "timestamp", "calldatetime", "calltimeutc", "calltime", "received", "receivedtime",
        "receiveddatetime", "timereceived", "datereceived", "calldate", "reporteddate", "reportdate",
        "datereported", "reporteddatetime", "reportdatetime",
    ),
    "date": (
        "date", "occdate", "dateoccurred", "occurdate", "dateocc", "incidentdate", "offensedate",
        "crimedate", "eventdate", "fromdate", "startdate", "month",
    ),
    "time": (
        "time", "timeoccurred", "occtime", "occurtime", "timeoccur", "occurrencetime", "timeocc",
        "incidenttime", "offensetime", "crimetime", "eventtime", "fromtime", "starttime",
    ),
    "x": (
        "x", "xcoord", "xcoordinate", "xcoordina", "xcoor", "xcord", "easting", "xftus", "xft", "xm",
        "pointx", "mapx", "xvalue", "xloc", "east", "statex", "xstateplane", "xprojected",
    ),
    "y": (
        "y", "ycoord", "ycoordinate", "ycoordina", "ycoor", "ycord", "northing", "yftus", "yft", "ym",
        "pointy", "mapy", "yvalue", "yloc", "north", "statey", "ystateplane", "yprojected",
    ),
    "lon": ("lon", "lng", "long", "longitude", "longitud", "xlon", "xlong", "gpslongitude", "londd"),
    "lat": ("lat", "latitude", "latitud", "ylat", "gpslatitude", "latdd"),
    "category": (
        "category", "crime", "crimetype", "crimecategory", "offense", "offence", "offensetype",
        "offencetype", "offensecode", "offencecode", "offensecategory", "calltype", "callcategory",
        "incidenttype", "incidentcategory", "eventtype", "type", "nature", "naturecode", "ucr",
        "ucrcode", "ucrcategory", "primarytype", "crimecode", "categorycode",
    ),
    "description": (
        "description", "offensedesc", "offensedescription", "offencedescription", "casedesc",
        "crimedescription", "calldescription", "incidentdescription", "desc", "typedesc",
        "ucrdescription", "narrative",
    ),
    "count": ("count", "counts", "crimecount", "offensecount", "numberofoffenses"),
    "ref_id": ("cadevent", "cadeventnumber", "cadeventno", "cadeventid", "cadid", "cadnumber", "cadno",
               "cadincident", "cadincidentnumber", "cadcallid"),
    "origin": ("source", "callsource", "origin", "callorigin", "reportsource", "howreceived", "receivedvia"),
    "district": ("district", "policedistrict", "precinct", "division", "sector", "beat", "zone", "area"),
    "address": (
        "address", "blockaddress", "block", "streetaddress", "incidentaddress", "location", "locationaddress",
        "ileadsaddress", "cadaddress", "crimeaddress", "offenseaddress", "street", "addr",
    ),
}  # fmt: skip

# Tiers of "when" columns: occurrence (0), call received (1), report (2).
_WHEN_TIER = {name: 2 if "report" in name else 1 if ("call" in name or "receiv" in name) else 0
              for role in ("datetime", "date") for name in _NAMES[role]}  # fmt: skip

_PERSONAL_SUBSTRINGS = (
    "victim", "suspect", "caller", "complainant", "witness", "offender", "arrestee", "reportee",
    "reportingperson", "driver", "owner", "phone", "telephone", "mobile", "email", "dateofbirth",
    "birth", "socialsecurity", "address", "firstname", "lastname", "surname", "fullname",
    "middlename", "licenseplate", "licenceplate", "driverslicense", "passport",
)  # fmt: skip
_PERSONAL_TOKENS = {"name", "age", "sex", "gender", "race", "ethnicity", "tel", "addr", "plate", "dob", "ssn"}
_NOT_PERSONAL_WITH = {
    "name": {"neighborhood", "neighbourhood", "district", "ward", "beat", "precinct", "street", "offense",
             "offence", "crime", "category", "type", "agency", "unit", "file", "layer", "zone", "area",
             "city", "county", "state", "tract", "division", "sector", "call", "event", "nature",
             "ucr", "group", "premise", "premises", "lsoa", "msoa"},
    "sex": {"offense", "offence", "offns", "crime", "category", "code", "type"},
}  # fmt: skip

_TRUE = {"true", "yes", "1", "y", "on"}
_FALSE = {"false", "no", "0", "n", "off"}


def normalise_name(name: str) -> str:
    """Lower-case a header name and drop everything but letters and digits."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def detect_fields(columns: Iterable[str], sample: pd.DataFrame | None = None) -> dict[str, str]:
    """Guess the role of each column from its name.

    Returns ``{role: column}`` for the roles found. Of the "when" roles the result holds either
    ``datetime`` or ``date`` (never both), plus ``time`` only together with ``date``: a datetime-like
    column next to a separate time column is treated as a date (its time, usually 00:00, is then replaced
    by the time column) unless ``sample`` (a few rows of the file) shows real times of day in it.
    """
    columns = [str(c) for c in columns]
    scored = []
    for column in columns:
        key = normalise_name(column)
        for role, names in _NAMES.items():
            if key in names:
                scored.append((names.index(key), _role_order(role), role, column))
    found: dict[str, str] = {}
    used: set[str] = set()
    for _, _, role, column in sorted(scored, key=lambda s: (s[0], s[1])):
        if role not in found and column not in used:
            found[role] = column
            used.add(column)
    return _settle_when(found, sample, user_given=set())


def personal_fields(columns: Iterable[str]) -> list[str]:
    """Columns whose name suggests personal data (names, victim/suspect/caller details, addresses, phone,
    date of birth, e-mail, SSN, age/sex/race...). Conservative: street-level addresses (ILEADSAddress,
    CADAddress) and place names (LocationName) are included; bare street names are not."""
    flagged = []
    for column in columns:
        key = normalise_name(column)
        tokens = set(_tokens(str(column)))
        hit = any(s in key for s in _PERSONAL_SUBSTRINGS)
        for token in tokens & _PERSONAL_TOKENS:
            if not tokens & _NOT_PERSONAL_WITH.get(token, set()):
                hit = True
        if hit:
            flagged.append(column)
    return flagged


def parse_field_map(text: str | None) -> dict[str | None, dict[str, str]]:
    """Parse the user's field-mapping override.

    Mini-language: sections separated by ``;`` (or new lines), each ``source: key=value, key=value``;
    a section without ``source:`` applies to every source (key ``None``). Keys are roles (see `ROLES`)
    or options (see `OPTIONS`: ``tz``, ``crs``, ``dayfirst``, ``precision``). Values are column names,
    spaces allowed (``date=Date Occur``); ``role=`` (empty) means "this source has no such column".
    Column names cannot contain ``,`` ``;`` or ``=``: use JSON for those, e.g.
    ``{"rms": {"date": "DateOccurred"}}``, or ``{"date": "Date"}`` for all sources (``"*"`` also means all
    sources).
    """
    if text is None or not text.strip():
        return {}
    text = text.strip()
    if text.startswith(("{", "[")):
        return _parse_json(text)
    result: dict[str | None, dict[str, str]] = {}
    for section in re.split(r"[;\n]", text):
        if not section.strip():
            continue
        colon, equals = section.find(":"), section.find("=")
        source: str | None = None
        body = section
        if colon >= 0 and (equals < 0 or colon < equals):
            source = section[:colon].strip() or None
            body = section[colon + 1 :]
        where = f"section '{source}'" if source else "section for all sources"
        entries = result.setdefault(source, {})
        for pair in body.split(","):
            if not pair.strip():
                continue
            if "=" not in pair:
                raise BeatCastInputError(
                    f"field mapping, {where}: '{pair.strip()}' is not of the form role=Column"
                )
            key, value = pair.split("=", 1)
            _add_entry(entries, key.strip().lower(), value.strip().strip("'\""), where)
    return result


def resolve_mapping(
    columns: Iterable[str],
    override: Mapping[str | None, Mapping[str, str]] | None,
    source_name: str | None,
    sample: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Detected roles updated with the user's overrides for this source.

    The section for all sources applies first, then the source's own section (source names compare
    case-insensitively). Returns ``{role: column}`` plus any options given (``tz``, ``crs``,
    ``dayfirst``, ``precision``, as strings). A role mapped to "" is removed. Raises BeatCastInputError
    when an override names a column that is not in the file.
    """
    columns = [str(c) for c in columns]
    override = override or {}
    merged: dict[str, str] = dict(override.get(None, {}))
    wanted = (source_name or "").strip().casefold()
    for key, entries in override.items():
        if key is not None and key.strip().casefold() == wanted:
            merged.update(entries)
    mapping = detect_fields(columns, sample)
    label = source_name or "input"
    user_given: set[str] = set()
    by_norm: dict[str, list[str]] = {}
    for column in columns:
        by_norm.setdefault(normalise_name(column), []).append(column)
    for key, value in merged.items():
        if key in OPTIONS:
            mapping[key] = value
            continue
        user_given.add(key)
        if value == "":
            mapping.pop(key, None)
            continue
        matches = [value] if value in columns else by_norm.get(normalise_name(value), [])
        if len(matches) != 1:
            raise BeatCastInputError(
                f"{label}: field mapping names column '{value}' (role {key}) which is not in the file; "
                f"columns are: {', '.join(columns)}"
            )
        mapping[key] = matches[0]
    for key in user_given:  # a column chosen by the user is no longer guessed for another role
        column = mapping.get(key)
        roles = [r for r in ROLES if column and mapping.get(r) == column and r != key and r not in user_given]
        for role in roles:
            del mapping[role]
    return _settle_when(mapping, sample, user_given)


def _role_order(role: str) -> int:
    return list(_NAMES).index(role)


def _tokens(name: str) -> list[str]:
    """Split a header into lower-case words: camelCase, digits and punctuation all separate words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [t for t in re.split(r"[^0-9a-z]+", spaced.lower()) if t]


def _has_clock_times(values: pd.Series) -> bool:
    """Whether sample values carry a time of day other than midnight (00:00 or 12:00 AM)."""
    parts = values.astype(str).str.extract(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*([AaPp])?")
    parts = parts.dropna(subset=[0])
    if parts.empty:
        return False
    hour = parts[0].astype(int)
    hour = hour.where(~(parts[2].fillna("").str.lower().eq("a") & hour.eq(12)), 0)
    return bool((hour.gt(0) | parts[1].astype(int).gt(0)).any())


def _settle_when(found: dict[str, str], sample: pd.DataFrame | None, user_given: set[str]) -> dict[str, str]:
    """Leave one coherent set of time columns: datetime alone, or date with an optional time."""
    found = dict(found)
    if "datetime" in found and "date" in found:
        if "date" in user_given and "datetime" not in user_given:
            del found["datetime"]
        elif "datetime" in user_given or "time" not in found:
            dt_tier = _WHEN_TIER.get(normalise_name(found["datetime"]), 0)
            d_tier = _WHEN_TIER.get(normalise_name(found["date"]), 0)
            del found["date" if "datetime" in user_given or dt_tier <= d_tier else "datetime"]
        else:
            del found["datetime"]
    if "datetime" in found and "time" in found:
        column = found["datetime"]
        keep_datetime = ("datetime" in user_given and "time" not in user_given) or (
            sample is not None and column in sample and _has_clock_times(sample[column])
        )
        if keep_datetime:
            del found["time"]
        else:
            found["date"] = found.pop("datetime")
    if "time" in found and "date" not in found and "datetime" not in found:
        del found["time"]  # a time of day alone cannot place an incident
    return found


def _add_entry(entries: dict[str, str], key: str, value: str, where: str) -> None:
    if key not in ROLES and key not in OPTIONS:
        raise BeatCastInputError(
            f"field mapping, {where}: unknown role '{key}'; valid roles are: {', '.join(ROLES)}; "
            f"options are: {', '.join(OPTIONS)}"
        )
    if key in entries:
        raise BeatCastInputError(f"field mapping, {where}: '{key}' is given twice")
    if key == "tz":
        value = validate_tz(value, parameter=f"field mapping ({where}) tz")
    elif key == "dayfirst":
        if value.lower() not in _TRUE | _FALSE:
            raise BeatCastInputError(f"field mapping, {where}: dayfirst must be true or false, not '{value}'")
        value = "true" if value.lower() in _TRUE else "false"
    elif key == "precision" and value.lower() not in ("month", "day", ""):
        raise BeatCastInputError(f"field mapping, {where}: precision must be month or day, not {value!r}")
    elif key == "crs" and not value:
        raise BeatCastInputError(f"field mapping, {where}: crs needs a value such as EPSG:2913")
    entries[key] = value


def _parse_json(text: str) -> dict[str | None, dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BeatCastInputError(f"field mapping: invalid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise BeatCastInputError('field mapping: JSON must be an object such as {"rms": {"date": "Date"}}')
    result: dict[str | None, dict[str, str]] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            source = None if key in ("*", "", None) else str(key)
            where = f"section '{source}'" if source else "section for all sources"
            entries = result.setdefault(source, {})
            for role, column in value.items():
                _add_entry(entries, str(role).strip().lower(), _json_scalar(column), where)
        else:
            _add_entry(result.setdefault(None, {}), str(key).strip().lower(), _json_scalar(value),
                       "section for all sources")  # fmt: skip
    return result


def _json_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value).strip()
