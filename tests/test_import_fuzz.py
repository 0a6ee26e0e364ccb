"""Fuzzing the import with hypothesis: malformed rows and files never crash it, and every row is
accounted for (rows read = accepted + merged + netted + rejected)."""

import string

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beatcast.core import readers
from beatcast.core.errors import BeatCastInputError
from beatcast.core.incidents import ImportOptions, import_incidents
from beatcast.core.sources import ROW, SourceTable

X0, Y0 = 280300.0, 4508700.0
junk = st.text(alphabet=string.printable + "éß€\u00a0", max_size=12)
dates = st.one_of(
    junk,
    st.datetimes(min_value=pd.Timestamp("1990-01-01"), max_value=pd.Timestamp("2030-01-01")).map(
        lambda d: d.strftime(np.random.default_rng(d.minute).choice(["%m/%d/%Y %H:%M", "%Y-%m-%d", "%Y-%m"]))
    ),
)
coords = st.one_of(
    junk,
    st.sampled_from(["", "0", "nan", "1e400"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(X0 - 5000, X0 + 5000).map(lambda v: f"{v:.2f}"),
)
row = st.tuples(
    st.one_of(st.sampled_from(["R1", "R2", "R3", ""]), junk),  # ids, often repeated
    st.sampled_from(["0501", "0601", "", "x"]),
    dates,
    st.sampled_from(["", "1", "-1", "0", "2", "one"]),
    coords,
    st.floats(Y0 - 5000, Y0 + 5000).map(lambda v: f"{v:.2f}"),
)


def accounted(result, n):
    totals = result.totals()
    assert totals["rows_read"] == n
    assert n == totals["accepted"] + totals["merged"] + totals["netted"] + totals["rejected"]
    assert totals["accepted"] == len(result.incidents)
    assert totals["rejected"] == len(result.rejected)
    assert (result.rejected["reason"] != "").all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=40), within=st.booleans())
def test_malformed_rows_are_accounted_for(rows, within):
    frame = pd.DataFrame(
        rows, columns=["ReportNo", "OffenseCode", "DateOccur", "Count", "X", "Y"], dtype=object
    )
    frame[ROW] = np.arange(1, len(frame) + 1)
    opts = ImportOptions(source_crs="EPSG:32616", target_crs="EPSG:32616", timezone="America/Chicago")
    opts.dedup.within_source = within
    try:
        result = import_incidents([SourceTable("fuzz", frame)], opts)
    except BeatCastInputError as error:  # whole-source problems only, and they name the source
        assert "fuzz" in str(error) or "no row has usable coordinates" in str(error)
        return
    accounted(result, len(frame))


@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_arbitrary_file_bytes_either_read_or_fail_cleanly(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("fuzz") / "export.csv"
    path.write_bytes(b"ReportNo,DateOccur,X,Y\n" + body)
    try:
        frame = readers.read_delimited(path, "export")
    except BeatCastInputError as error:
        assert "export" in str(error)
        return
    opts = ImportOptions(source_crs="EPSG:32616", target_crs="EPSG:32616")
    try:
        result = import_incidents([SourceTable("export", frame)], opts)
    except BeatCastInputError as error:
        assert "export" in str(error) or "usable coordinates" in str(error)
        return
    accounted(result, len(frame))
