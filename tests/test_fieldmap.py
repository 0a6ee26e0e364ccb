"""core.fieldmap: role detection on real export headers, personal fields, and the override language."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from beatcast.core.errors import BeatCastInputError
from beatcast.core.fieldmap import (
    OPTIONS,
    ROLES,
    detect_fields,
    normalise_name,
    parse_field_map,
    personal_fields,
    resolve_mapping,
)

ST_LOUIS = (
    "Complaint, CodedMonth, DateOccur, FlagCrime, FlagUnfounded, FlagAdministrative, Count, FlagCleanup, "
    "Crime, District, Description, ILEADSAddress, ILEADSStreet, Neighborhood, LocationName, LocationComment, "
    "CADAddress, CADStreet, XCoord, YCoord"
).split(", ")
ST_LOUIS_2017 = (
    "Complaint,Coded Month,Date Occur,Flag-Crime,Flag-Unfounded,Flag-Administrative,Count,Flag Cleanup,"
    "Crime,ILeads Add,ILeads Approve,District,Beat,Description,ILEADS-Address,ILEADS-Street,Neighborhood,"
    "ILeads Asg,ILeads Type,Location Name,Location Comment,CAD-Address,CAD-Street,X-Coord,Y-Coord,"
    "Date Crime Coded"
).split(",")
PORTLAND = [
    "CATEGORY",
    "CALL_GROUP",
    "final_case",
    "CASE_DESC",
    "occ_date",
    "x_coordina",
    "y_coordina",
    "census_tra",
]
LANCASHIRE = ["month", "longitude", "latitude", "location", "lsoa_code"]
RMS = [
    "ReportNo", "OffenseCode", "OffenseDesc", "DateOccurred", "TimeOccurred", "X", "Y", "Count", "CADEvent",
    "District", "VictimName", "VictimAddress",
]  # fmt: skip
CAD = ["EventNo", "CallType", "Received", "Priority", "X", "Y", "Source", "CallerName", "Disposition"]
CALLS_911 = ["call_id", "call_time_utc", "lat", "lng", "nature", "caller_phone"]


def test_roles_and_options_are_documented():
    assert list(ROLES) == [
        "id", "datetime", "date", "time", "x", "y", "lon", "lat", "category", "description", "count",
        "ref_id", "origin", "district", "address",
    ]  # fmt: skip
    assert all(ROLES.values()) and {"tz", "crs", "dayfirst"} <= set(OPTIONS)


def test_normalise_name():
    assert normalise_name("Date Occur") == normalise_name("DATE_OCCUR") == normalise_name("date-occur")
    assert normalise_name(" X-Coord ") == "xcoord"


def test_st_louis_headers():
    expected = {
        "id": "Complaint",
        "datetime": "DateOccur",
        "count": "Count",
        "category": "Crime",
        "district": "District",
        "description": "Description",
        "address": "ILEADSAddress",
        "x": "XCoord",
        "y": "YCoord",
    }
    assert detect_fields(ST_LOUIS) == expected


def test_st_louis_2017_variant_headers():
    found = detect_fields(ST_LOUIS_2017)
    assert found == {
        "id": "Complaint",
        "datetime": "Date Occur",
        "count": "Count",
        "category": "Crime",
        "district": "District",
        "description": "Description",
        "address": "ILEADS-Address",
        "x": "X-Coord",
        "y": "Y-Coord",
    }
    assert "Coded Month" not in found.values() and "Date Crime Coded" not in found.values()


def test_portland_headers():
    assert detect_fields(PORTLAND) == {
        "category": "CATEGORY",
        "description": "CASE_DESC",
        "date": "occ_date",
        "x": "x_coordina",
        "y": "y_coordina",
    }


def test_lancashire_headers():
    found = detect_fields(LANCASHIRE)
    assert found == {"date": "month", "lon": "longitude", "lat": "latitude", "address": "location"}
    assert "category" not in found


def test_cad_rms_and_911_headers():
    assert detect_fields(RMS) == {
        "id": "ReportNo",
        "category": "OffenseCode",
        "description": "OffenseDesc",
        "date": "DateOccurred",
        "time": "TimeOccurred",
        "x": "X",
        "y": "Y",
        "count": "Count",
        "ref_id": "CADEvent",
        "district": "District",
    }
    assert detect_fields(CAD) == {
        "id": "EventNo",
        "category": "CallType",
        "datetime": "Received",
        "x": "X",
        "y": "Y",
        "origin": "Source",
    }
    assert detect_fields(CALLS_911) == {
        "id": "call_id",
        "datetime": "call_time_utc",
        "lat": "lat",
        "lon": "lng",
        "category": "nature",
    }


@pytest.mark.parametrize(
    ("columns", "role", "column"),
    [
        (["DATE_OCCUR", "Lat", "Long"], "datetime", "DATE_OCCUR"),
        (["occurred", "x"], "datetime", "occurred"),
        (["timestamp"], "datetime", "timestamp"),
        (["Incident ID", "x"], "id", "Incident ID"),
        (["case_number"], "id", "case_number"),
        (["crime_id"], "id", "crime_id"),
        (["complaint"], "id", "complaint"),
        (["Crime Type"], "category", "Crime Type"),
        (["offence"], "category", "offence"),
        (["UCR"], "category", "UCR"),
        (["Nature"], "category", "Nature"),
        (["Easting", "Northing"], "x", "Easting"),
        (["Easting", "Northing"], "y", "Northing"),
        (["x_ftUS", "y_ftUS"], "y", "y_ftUS"),
        (["LONGITUDE", "LATITUDE"], "lon", "LONGITUDE"),
        (["cad_event"], "ref_id", "cad_event"),
        (["CAD_ID"], "ref_id", "CAD_ID"),
        (["call_source"], "origin", "call_source"),
        (["occ_time", "occ_date"], "time", "occ_time"),
    ],
)
def test_common_names(columns, role, column):
    assert detect_fields(columns)[role] == column


def test_one_column_per_role_and_strongest_match_wins():
    found = detect_fields(["reported_date", "occ_date", "Category", "Crime", "Type"])
    assert found["date"] == "occ_date" and "datetime" not in found  # occurrence beats report
    assert found["category"] == "Category"
    assert len(set(found.values())) == len(found)
    found = detect_fields(["Received", "Date"])
    assert found == {"datetime": "Received"} or found == {"date": "Date"}
    assert detect_fields(["Date", "DateTime"]) == {"datetime": "DateTime"}


def test_datetime_column_with_a_time_column_becomes_date_plus_time():
    assert detect_fields(["DateOccur", "Time"]) == {"date": "DateOccur", "time": "Time"}
    midnight = pd.DataFrame(
        {"DateOccur": ["03/05/2024 12:00:00 AM", "03/06/2024 0:00"], "Time": ["2130", ""]}
    )
    assert detect_fields(midnight.columns, sample=midnight) == {"date": "DateOccur", "time": "Time"}
    clock = pd.DataFrame({"DateOccur": ["03/05/2024 21:30", "03/06/2024 00:00"], "Time": ["2130", ""]})
    assert detect_fields(clock.columns, sample=clock) == {"datetime": "DateOccur"}
    noon = pd.DataFrame({"DateOccur": ["03/05/2024 12:00:00 PM"], "Time": ["1200"]})
    assert detect_fields(noon.columns, sample=noon) == {"datetime": "DateOccur"}
    assert detect_fields(["Time", "X", "Y"]) == {"x": "X", "y": "Y"}  # a time alone places nothing


def test_unrelated_columns_are_not_guessed():
    assert detect_fields(["CodedMonth", "FlagCrime", "Date Crime Coded", "final_case", "census_tra"]) == {}
    assert detect_fields([]) == {}


# -- personal fields -------------------------------------------------------------------------------------

PERSONAL = [
    "VictimName", "VictimAddress", "CallerName", "caller_phone", "ILEADSAddress", "CADAddress",
    "LocationName", "Location Name", "ILEADS-Address", "DOB", "victim_dob", "DateOfBirth", "Email",
    "SSN", "Age", "Suspect Race", "Sex", "Gender", "FirstName", "last_name", "Surname", "Phone",
    "Complainant", "Witness_Statement", "Offender", "ArresteeID", "address", "Telephone", "mobile_no",
]  # fmt: skip
NOT_PERSONAL = [
    "ILEADSStreet", "CADStreet", "Neighborhood", "NeighborhoodName", "Description", "District", "Crime",
    "DateOccur", "Complaint", "OffenseType", "Message", "Page", "Average", "XCoord", "lsoa_name",
    "location", "month", "CATEGORY", "Sex Offense", "Beat", "Count", "census_tra",
]  # fmt: skip


def test_personal_fields():
    assert personal_fields(PERSONAL) == PERSONAL
    assert personal_fields(NOT_PERSONAL) == []
    assert personal_fields(ST_LOUIS) == ["ILEADSAddress", "LocationName", "CADAddress"]
    assert personal_fields(RMS) == ["VictimName", "VictimAddress"]


# -- the override language ---------------------------------------------------------------------------


def test_parse_field_map_sections():
    parsed = parse_field_map(
        "rms_reports: date=DateOccurred, time=TimeOccurred, tz=America/Chicago, crs=EPSG:2913, dayfirst=yes;"
        " cad: category=Call Type ; crs=ESRI:102696, date=Date Occur"
    )
    assert parsed == {
        "rms_reports": {
            "date": "DateOccurred",
            "time": "TimeOccurred",
            "tz": "America/Chicago",
            "crs": "EPSG:2913",
            "dayfirst": "true",
        },
        "cad": {"category": "Call Type"},
        None: {"crs": "ESRI:102696", "date": "Date Occur"},
    }


def test_parse_field_map_details():
    assert parse_field_map("") == {} and parse_field_map(None) == {} and parse_field_map("  ;  ") == {}
    assert parse_field_map("rms: DATE = 'Date Occur' ,") == {"rms": {"date": "Date Occur"}}
    assert parse_field_map("rms: category=") == {"rms": {"category": ""}}
    assert parse_field_map("a: x=E\nb: x=F") == {"a": {"x": "E"}, "b": {"x": "F"}}
    assert parse_field_map("dayfirst=0") == {None: {"dayfirst": "false"}}
    assert parse_field_map("tz=america/chicago") == {None: {"tz": "America/Chicago"}}
    assert parse_field_map("a: x=E; a: y=N") == {"a": {"x": "E", "y": "N"}}


def test_parse_field_map_json():
    assert parse_field_map('{"rms": {"date": "DateOccurred", "dayfirst": true}, "*": {"tz": "UTC"}}') == {
        "rms": {"date": "DateOccurred", "dayfirst": "true"},
        None: {"tz": "UTC"},
    }
    assert parse_field_map('{"date": "Date, Occurred"}') == {None: {"date": "Date, Occurred"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rms: dat=Foo",
            r"section 'rms': unknown role 'dat'; valid roles are: id, datetime, date, .*address",
        ),
        ("colour=red", "section for all sources: unknown role 'colour'"),
        ("rms: date", "'date' is not of the form role=Column"),
        ("rms: date=A, date=B", "'date' is given twice"),
        ("rms: dayfirst=maybe", "dayfirst must be true or false"),
        ("rms: tz=Mars/Olympus", r"tz: unknown time zone 'Mars/Olympus'"),
        ("rms: crs=", "crs needs a value"),
        ('{"rms": {"date": }', "invalid JSON"),
        ('["date"]', "JSON must be an object"),
        ('{"rms": {"when": "Date"}}', "unknown role 'when'"),
    ],
)
def test_parse_field_map_errors(text, message):
    with pytest.raises(BeatCastInputError, match=message):
        parse_field_map(text)


def test_resolve_mapping_overrides():
    override = parse_field_map("rms_reports: category=OffenseDesc, x=Y, y=X, tz=UTC; crs=EPSG:2913")
    mapping = resolve_mapping(RMS, override, "RMS_Reports")
    assert mapping["category"] == "OffenseDesc" and "description" not in mapping
    assert mapping["x"] == "Y" and mapping["y"] == "X"
    assert mapping["tz"] == "UTC" and mapping["crs"] == "EPSG:2913"
    assert mapping["date"] == "DateOccurred" and mapping["time"] == "TimeOccurred"
    assert resolve_mapping(RMS, override, "cad") == {**detect_fields(RMS), "crs": "EPSG:2913"}
    assert resolve_mapping(RMS, None, None) == detect_fields(RMS)


def test_resolve_mapping_matches_columns_loosely_and_removes_roles():
    mapping = resolve_mapping(ST_LOUIS_2017, parse_field_map("date=date occur"), "stl")
    assert mapping["date"] == "Date Occur" and "datetime" not in mapping
    mapping = resolve_mapping(LANCASHIRE, parse_field_map("address=; category=lsoa_code"), "asb")
    assert "address" not in mapping and mapping["category"] == "lsoa_code"


def test_resolve_mapping_time_roles():
    columns = ["OccurDate", "OccurTime", "ReportDate"]
    assert resolve_mapping(columns, parse_field_map("datetime=ReportDate"), "s") == {"datetime": "ReportDate"}
    assert resolve_mapping(columns, parse_field_map("date=ReportDate"), "s") == {
        "date": "ReportDate",
        "time": "OccurTime",
    }
    assert resolve_mapping(["When", "At"], parse_field_map("datetime=When, time=At"), "s") == {
        "date": "When",
        "time": "At",
    }


def test_resolve_mapping_names_the_missing_column():
    with pytest.raises(BeatCastInputError) as info:
        resolve_mapping(RMS, parse_field_map("rms_reports: date=Foo"), "rms_reports")
    assert str(info.value) == (
        "rms_reports: field mapping names column 'Foo' (role date) which is not in the file; columns are: "
        + ", ".join(RMS)
    )


@pytest.mark.real_data
def test_detect_fields_on_real_headers(shared_data):
    stl = shared_data / "stlouis_slmpd" / "raw_monthly"
    for month in ("2017/may2017.csv.gz", "2019/december2019.csv.gz", "2017/january2017.csv.gz"):
        with gzip.open(stl / month, "rt", encoding="latin-1") as handle:
            header = [c.replace("ï»¿", "").strip() for c in handle.readline().split(",")]
        found = detect_fields(header)
        assert found["datetime"] in ("DateOccur", "Date Occur")
        assert (found["category"], found["id"], found["count"]) == ("Crime", "Complaint", "Count")
        assert found["x"] in ("XCoord", "X-Coord") and found["y"] in ("YCoord", "Y-Coord")
    with open(shared_data / "uk_lancashire_asb_2022" / "lancashire_asb.tab", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
    assert detect_fields(header) == {
        "date": "month",
        "lon": "longitude",
        "lat": "latitude",
        "address": "location",
    }
