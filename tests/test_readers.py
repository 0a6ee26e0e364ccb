"""core.readers: encodings, delimiters, gzip, quoting, ragged rows, bad files, category maps."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from beatcast.core import readers
from beatcast.core.errors import BeatCastInputError
from beatcast.core.fieldmap import detect_fields
from beatcast.core.readers import (
    BAD_LINE_COLUMN,
    ROW_COLUMN,
    normalize_key,
    read_category_map,
    read_delimited,
    read_header,
)
from beatcast.core.timeparse import parse_timestamps


def write(tmp_path, name: str, content: bytes | str, encoding: str = "utf-8"):
    path = tmp_path / name
    data = content.encode(encoding) if isinstance(content, str) else content
    if name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def values(frame: pd.DataFrame) -> list[list[str]]:
    return frame.drop(columns=[ROW_COLUMN, BAD_LINE_COLUMN]).values.tolist()


def test_plain_csv(tmp_path):
    path = write(tmp_path, "a.csv", "id,date,code\n1,2024-03-05,007\n2,,NA\n3,null, x \n")
    frame = read_delimited(path, "rms")
    assert list(frame.columns) == ["id", "date", "code", ROW_COLUMN, BAD_LINE_COLUMN]
    assert values(frame) == [["1", "2024-03-05", "007"], ["2", "", "NA"], ["3", "null", " x "]]
    assert frame[ROW_COLUMN].tolist() == [1, 2, 3] and frame[ROW_COLUMN].dtype == np.int64
    assert frame[BAD_LINE_COLUMN].tolist() == ["", "", ""]
    assert all(frame[c].dtype == object for c in ("id", "date", "code"))
    assert frame.attrs["encoding"] == "utf-8-sig" and frame.attrs["bom"] is False
    assert frame.attrs["delimiter"] == "," and frame.attrs["source"] == "rms"
    assert frame.attrs["header"] == ["id", "date", "code"] and frame.attrs["bad_lines"] == 0


def test_bom_and_header_whitespace(tmp_path):
    path = write(tmp_path, "a.csv", "\ufeff Complaint , DateOccur\r\n17-1,5/10/2017 13:30\r\n")
    frame = read_delimited(path)
    assert frame.attrs["header"] == ["Complaint", "DateOccur"] and frame.attrs["bom"] is True
    assert values(frame) == [["17-1", "5/10/2017 13:30"]]


def test_latin1_and_cp1252_bytes(tmp_path):
    cp1252 = write(tmp_path, "a.csv", b"name,desc\nx,caf\xe9 \x93quoted\x94\n")
    frame = read_delimited(cp1252)
    assert frame.attrs["encoding"] == "cp1252" and frame["desc"][0] == "caf\xe9 \u201cquoted\u201d"
    latin1 = write(tmp_path, "b.csv", b"name,desc\nx,\x81caf\xe9\n")  # 0x81 is undefined in cp1252
    frame = read_delimited(latin1)
    assert frame.attrs["encoding"] == "latin-1" and frame["desc"][0] == "\x81caf\xe9"


def test_utf8_bom_in_front_of_latin1_text(tmp_path):
    path = write(tmp_path, "a.csv", b"\xef\xbb\xbfComplaint,Desc\n1,caf\xe9\n")
    frame = read_delimited(path)
    assert frame.attrs["header"] == ["Complaint", "Desc"] and frame.attrs["encoding"] == "cp1252"
    assert frame["Desc"][0] == "caf\xe9"


def test_utf16_with_bom(tmp_path):
    path = write(tmp_path, "a.csv", "\ufeffa;b\n1;\u00e9\n", encoding="utf-16-le")
    frame = read_delimited(path)
    assert frame.attrs["encoding"] == "utf-16" and values(frame) == [["1", "\u00e9"]]


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("a.csv", ";"), ("a.tsv", "\t"), ("a.txt", "|"), ("a.tab", "\t"), ("a.csv", ",")],
)
def test_delimiters_are_sniffed(tmp_path, name, delimiter):
    text = f"a{delimiter}b c{delimiter}d\n1{delimiter}2,5{delimiter}x;y\n"
    frame = read_delimited(write(tmp_path, name, text))
    assert frame.attrs["delimiter"] == delimiter
    assert frame.attrs["header"] == ["a", "b c", "d"]


def test_delimiter_inside_quoted_header_is_ignored(tmp_path):
    frame = read_delimited(write(tmp_path, "a.csv", '"x,y";b;c\n1;2;3\n'))
    assert frame.attrs["delimiter"] == ";" and frame.attrs["header"] == ["x,y", "b", "c"]


def test_gzip(tmp_path):
    frame = read_delimited(write(tmp_path, "a.csv.gz", "a\tb\n1\t2\n"))
    assert frame.attrs["delimiter"] == "\t" and values(frame) == [["1", "2"]]
    renamed = tmp_path / "plain.csv"
    renamed.write_bytes(gzip.compress(b"a,b\n1,2\n"))  # gzip recognised by content, not name
    assert values(read_delimited(renamed)) == [["1", "2"]]


def test_quoted_delimiters_quotes_and_newlines(tmp_path):
    text = 'id,desc,x\n1,"SMITH, JOHN",5\n2,"line one\nline two",6\n3,"say ""hi""",7\n4,plain,8\n'
    frame = read_delimited(write(tmp_path, "a.csv", text))
    assert values(frame) == [
        ["1", "SMITH, JOHN", "5"],
        ["2", "line one\nline two", "6"],
        ["3", 'say "hi"', "7"],
        ["4", "plain", "8"],
    ]
    assert frame[ROW_COLUMN].tolist() == [1, 2, 3, 4]


def test_quoted_newline_in_header(tmp_path):
    frame = read_delimited(write(tmp_path, "a.csv", '"Date\nOccur",b\n1,2\n'))
    assert frame.attrs["header"] == ["Date\nOccur", "b"] and values(frame) == [["1", "2"]]


@pytest.mark.parametrize("usecols", [None, ["a", "b", "c"], ["c"]])
def test_ragged_rows_are_kept_and_reported(tmp_path, usecols):
    text = "a,b,c\n1,2,3\n4,5,6,7,8\n\n9,10\n  \n11,12,13,\n14,15,16,,x\n17,18,19"
    frame = read_delimited(write(tmp_path, "a.csv", text), usecols=usecols)
    expected = [
        ["1", "2", "3"],
        ["4", "5", "6"],
        ["9", "10", ""],
        ["11", "12", "13"],
        ["14", "15", "16"],
        ["17", "18", "19"],
    ]
    keep = [["a", "b", "c"].index(c) for c in (usecols or ["a", "b", "c"])]
    assert values(frame) == [[row[i] for i in keep] for row in expected]
    assert frame[BAD_LINE_COLUMN].tolist() == [
        "",
        "row has 5 fields, header has 3",
        "",
        "",  # a trailing delimiter with nothing after it loses nothing
        "row has 5 fields, header has 3",
        "",
    ]
    assert frame[ROW_COLUMN].tolist() == [1, 2, 3, 4, 5, 6]
    assert frame.attrs["bad_lines"] == 2


def test_widest_record_first(tmp_path):
    frame = read_delimited(write(tmp_path, "a.csv", "a,b\n1,2,3\n4,5\n"))
    assert values(frame) == [["1", "2"], ["4", "5"]]
    assert frame[BAD_LINE_COLUMN].tolist() == ["row has 3 fields, header has 2", ""]


def test_stray_quotes_fall_back_to_a_full_parse(tmp_path):
    path = write(tmp_path, "a.csv", 'a,b,c\nx"y,1,2\n3,4,5,6\n7,8,9\n')
    frame = read_delimited(path, usecols=["b"])
    assert frame["b"].tolist() == ["1", "4", "8"]
    assert frame[BAD_LINE_COLUMN].tolist() == ["", "row has 4 fields, header has 3", ""]


def test_many_record_widths_fall_back_to_counting_fields(tmp_path):
    lines = ["a,b"] + [",".join(["v"] * width) for width in range(2, 12)]
    frame = read_delimited(write(tmp_path, "a.csv", "\n".join(lines) + "\n"))
    assert len(frame) == 10
    assert frame[BAD_LINE_COLUMN].tolist() == [""] + [
        f"row has {w} fields, header has 2" for w in range(3, 12)
    ]


def test_header_names_are_made_unique_and_named(tmp_path):
    frame = read_delimited(write(tmp_path, "a.csv", "a,a,,b,\n1,2,3,4,\n"))
    assert frame.attrs["header"] == ["a", "a.1", "column_3", "b", "column_5"]
    assert list(frame.columns[:-2]) == ["a", "a.1", "column_3", "b"]  # empty trailing column dropped


def test_usecols(tmp_path):
    path = write(tmp_path, "a.csv", "a,b,c,VictimName\n1,2,3,Smith\n4,5,6,Jones,extra\n")
    frame = read_delimited(path, usecols=["c", "a"])
    assert list(frame.columns) == ["c", "a", ROW_COLUMN, BAD_LINE_COLUMN]
    assert values(frame) == [["3", "1"], ["6", "4"]]
    assert frame[BAD_LINE_COLUMN].tolist() == ["", "row has 5 fields, header has 4"]
    with pytest.raises(
        BeatCastInputError, match="column\\(s\\) 'zz' not in the header; columns are: a, b, c"
    ):
        read_delimited(path, usecols=["a", "zz"])


def test_read_header(tmp_path):
    assert read_header(write(tmp_path, "a.csv.gz", "\ufeffx;y ; z\n1;2;3\n")) == ["x", "y", "z"]
    with pytest.raises(BeatCastInputError, match="is empty"):
        read_header(write(tmp_path, "e.csv", ""))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\r\n", "the file is empty"),
        (b"a,b,c\n", "header line but no data rows"),
        (b"a,b,c\n\n\n", "header line but no data rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        (b'a,b\n1,"unclosed\n2,3\n', "never closed"),
    ],
)
def test_bad_files_name_the_file(tmp_path, content, message):
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(BeatCastInputError, match=message) as info:
        read_delimited(path, "rms_reports")
    assert str(info.value).startswith(f"rms_reports ('{path}')")


def test_unreadable_files(tmp_path):
    with pytest.raises(BeatCastInputError, match="missing.csv': cannot read the file"):
        read_delimited(tmp_path / "missing.csv")
    with pytest.raises(BeatCastInputError, match="cannot read the file"):
        read_delimited(tmp_path)  # a folder
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(b"a,b\n1,2\n")[:-12])
    with pytest.raises(BeatCastInputError, match="not a valid gzip file"):
        read_delimited(broken)
    workbook = tmp_path / "book.csv"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(BeatCastInputError, match="ZIP archive or Excel workbook"):
        read_delimited(workbook)


@pytest.mark.parametrize("usecols", [None, ["w", "id"]])
def test_every_row_is_accounted_for_at_scale(tmp_path, monkeypatch, usecols):
    monkeypatch.setattr(readers, "_SCAN_BLOCK", 4096)  # several scan blocks, quotes across block ends
    rows = [f'{i},{"x" if i % 97 else "y,z"},"{i % 7},\n{i}"' for i in range(20_000)]
    frame = read_delimited(write(tmp_path, "a.csv", "id,v,w\n" + "\n".join(rows)), usecols=usecols)
    assert len(frame) == 20_000 and frame["id"].tolist() == [str(i) for i in range(20_000)]
    assert frame["w"][5] == "5,\n5"
    bad = frame[BAD_LINE_COLUMN] != ""
    assert bad.sum() == len(range(0, 20_000, 97)) and bad[0] and bad[97] and not bad[1]


# -- category maps -----------------------------------------------------------------------------------


def test_read_category_map(tmp_path):
    path = write(
        tmp_path,
        "map.csv",
        "Source,Value,Category\nrms, BURG ,Burglary\n,Theft,Larceny\n"
        "cad,LEAVING SCENE,\n,theft ,Larceny\n,,\n",
    )
    table = read_category_map(path)
    assert list(table.columns) == ["source", "value", "category"]
    assert table.values.tolist() == [
        ["rms", "burg", "Burglary"],
        ["", "theft", "Larceny"],
        ["cad", "leaving scene", ""],  # an empty category excludes the value
    ]


def test_read_category_map_aliases_and_errors(tmp_path):
    table = read_category_map(write(tmp_path, "m.tsv", "code\tgroup\n05\tBurglary\n"))
    assert table.values.tolist() == [["", "05", "Burglary"]]
    with pytest.raises(BeatCastInputError, match="needs columns 'value' and 'category'.*columns are: a, b"):
        read_category_map(write(tmp_path, "m1.csv", "a,b\n1,2\n"))
    with pytest.raises(
        BeatCastInputError, match="value 'theft' is mapped to 'Larceny' \\(row 1\\) and 'Fraud'"
    ):
        read_category_map(write(tmp_path, "m2.csv", "value,category\nTheft,Larceny\nTHEFT,Fraud\n"))
    with pytest.raises(BeatCastInputError, match="m3.csv', row 2: row has 3 fields, header has 2"):
        read_category_map(write(tmp_path, "m3.csv", "value,category\na,b\nc,d,e\n"))
    both = read_category_map(write(tmp_path, "m4.csv", "source,value,category\nrms,a,X\ncad,a,Y\n"))
    assert len(both) == 2


def test_normalize_key():
    assert normalize_key(pd.Series([" Burglary ", "LARCENY-ALL OTHER   ", 5])).tolist() == [
        "burglary",
        "larceny-all other",
        "5",
    ]


# -- real data -------------------------------------------------------------------------------------------


@pytest.mark.real_data
@pytest.mark.parametrize(
    "month", ["2017/may2017.csv.gz", "2017/january2017.csv.gz", "2019/december2019.csv.gz"]
)
def test_st_louis_raw_months(shared_data, month):
    path = shared_data / "stlouis_slmpd" / "raw_monthly" / month
    frame = read_delimited(path, "stl")
    with gzip.open(path) as handle:
        records = len(pd.read_csv(handle, dtype=str, encoding="latin-1", keep_default_na=False))
    assert len(frame) == records and frame.attrs["bad_lines"] == 0
    header = frame.attrs["header"]
    assert header[0] == "Complaint" and not any("\ufeff" in h or "ï»¿" in h for h in header)
    found = detect_fields(header)
    date = found["datetime"]
    assert date == ("Date Occur" if month.startswith("2017/may") else "DateOccur")
    parsed = parse_timestamps(frame[date], tz="America/Chicago")
    assert parsed.ok.mean() > 0.999
    assert (frame[found["x"]] != "").all()


@pytest.mark.real_data
def test_lancashire_tab_file(shared_data):
    frame = read_delimited(shared_data / "uk_lancashire_asb_2022" / "lancashire_asb.tab", "asb")
    assert len(frame) == 56_434 and frame.attrs["delimiter"] == "\t"
    parsed = parse_timestamps(frame["month"], tz="Europe/London")
    assert parsed.ok.all() and set(parsed.precision) == {"day"}


def test_reader_module_has_no_qgis_imports():
    source = Path(readers.__file__).read_text(encoding="utf-8")
    assert "qgis" not in source.lower().replace("qgis plugin", "") and "PyQt" not in source
