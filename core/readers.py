"""Read CAD/RMS/911 delimited exports into all-text DataFrames, accounting for every row.

`read_delimited` returns every column as text (``""`` for empty cells), plus two bookkeeping columns:

* ``__row__``: 1-based data record number in file order (header excluded; blank lines are not records);
* ``__bad_line__``: ``""`` for a good record, otherwise why the record is suspect, e.g.
  ``"row has 23 fields, header has 20"``. Such records are kept (their first fields fill the columns)
  so the importer can reject them with that reason instead of losing them.

Records with *fewer* fields than the header are padded with ``""`` (exports often drop empty trailing
fields), and extra fields that are all empty (a trailing delimiter) are not reported.

The C parser does the work. When a record has more fields than expected, pandas reports it and the file
is parsed again with room for the widest record, so ragged files stay fast too.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import BeatCastInputError

ROW_COLUMN = "__row__"
BAD_LINE_COLUMN = "__bad_line__"
DELIMITERS = (",", "\t", ";", "|")
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_EXPECTED_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_IN_STRING = re.compile(r"EOF inside string starting at row (\d+)")
_MAX_REPARSES = 4
_SCAN_BLOCK = 1 << 23


def read_delimited(
    path: str | Path, source_name: str | None = None, usecols: list[str] | None = None
) -> pd.DataFrame:
    """Read a delimited text file (optionally gzipped) as text columns.

    ``usecols`` (header names) reads only those columns, which is much faster on wide exports and keeps
    personal fields out of memory. ``df.attrs`` holds ``path``, ``source``, ``encoding`` (the codec that
    decoded the file: ``utf-8-sig`` for UTF-8 with or without BOM, else ``cp1252`` or ``latin-1``),
    ``bom``, ``delimiter``, ``header`` (all header names) and ``bad_lines`` (count).

    Raises BeatCastInputError (naming the file) for a missing, empty, header-only, binary or
    unparseable file, or for a ``usecols`` name that is not in the header.
    """
    path = Path(path)
    label = _label(path, source_name)
    raw = _load_bytes(path, label)
    text, encoding, bom = _decode(raw)
    if not text.strip():
        raise BeatCastInputError(f"{label}: the file is empty")
    delimiter, header, header_end = _sniff(text)  # header names come from the csv module
    n_header = len(header)
    if usecols is None:
        wanted = list(range(n_header))
    else:
        missing = [c for c in usecols if c not in header]
        if missing:
            raise BeatCastInputError(
                f"{label}: column(s) {', '.join(repr(c) for c in missing)} not in the header; "
                f"columns are: {', '.join(header)}"
            )
        wanted = [header.index(c) for c in usecols]

    if not text[header_end:].strip():
        raise BeatCastInputError(f"{label}: the file has a header line but no data rows")
    # The header record stays in: pandas truncates silently when its *first* record is the widest.
    data = (raw[3:] if bom else raw) if encoding == "utf-8-sig" else text.encode("utf-8")
    del text, raw
    frame, width = _parse(data, delimiter, n_header, wanted if usecols is not None else None, label)
    frame = frame.iloc[1:].reset_index(drop=True)
    bad = _bad_line_messages(frame, n_header, width)
    if list(frame.columns) != wanted:
        frame = frame.reindex(columns=wanted)
    frame.columns = [header[i] for i in wanted]
    out = _drop_empty_unnamed(frame, header) if usecols is None else frame
    out[ROW_COLUMN] = np.arange(1, len(out) + 1, dtype=np.int64)
    out[BAD_LINE_COLUMN] = bad
    out.attrs.update(
        path=str(path),
        source=source_name,
        encoding=encoding,
        bom=bom,
        delimiter=delimiter,
        header=header,
        bad_lines=int((bad != "").sum()),
    )
    return out


def read_header(path: str | Path, source_name: str | None = None) -> list[str]:
    """Header names of a delimited file (cleaned as `read_delimited` does), reading only its start."""
    path = Path(path)
    label = _label(path, source_name)
    raw = _load_bytes(path, label, limit=1 << 20)
    cut = raw.rfind(b"\n")
    text, _, _ = _decode(raw[: cut + 1] if cut > 0 else raw)
    if not text.strip():
        raise BeatCastInputError(f"{label}: the file is empty")
    return _sniff(text)[1]


def normalize_key(values: pd.Series) -> pd.Series:
    """The form in which category values are compared: whitespace-trimmed and lower-cased."""
    return values.astype(str).str.strip().str.lower()


def read_category_map(path: str | Path) -> pd.DataFrame:
    """Read a category lookup table with columns ``value``, ``category`` and optionally ``source``.

    Returns a DataFrame with exactly the columns ``source`` (trimmed; ``""`` = applies to every source),
    ``value`` (normalised with `normalize_key`: compare it with normalised incident values) and
    ``category`` (trimmed; ``""`` means the value is deliberately excluded). Header names are matched
    case-insensitively; ``code``/``raw``/``from`` are accepted for ``value`` and ``to``/``group``/``class``
    for ``category``. Blank rows and exact repeats are dropped. Raises BeatCastInputError (naming the
    file and row) for missing columns, malformed rows and a value mapped to two different categories.
    """
    path = Path(path)
    label = f"category map '{path}'"
    table = read_delimited(path)
    lower = {c.strip().lower(): c for c in table.columns if not c.startswith("__")}

    def find(*names: str) -> str | None:
        return next((lower[n] for n in names if n in lower), None)

    value_col = find("value", "code", "raw", "raw_value", "from")
    category_col = find("category", "to", "group", "class")
    source_col = find("source", "source_name", "layer")
    if value_col is None or category_col is None:
        raise BeatCastInputError(
            f"{label}: needs columns 'value' and 'category' (and optionally 'source'); "
            f"columns are: {', '.join(table.attrs['header'])}"
        )
    bad = table[table[BAD_LINE_COLUMN] != ""]
    if len(bad):
        first = bad.iloc[0]
        raise BeatCastInputError(f"{label}, row {first[ROW_COLUMN]}: {first[BAD_LINE_COLUMN]}")
    result = pd.DataFrame(
        {
            "source": table[source_col].str.strip() if source_col else "",
            "value": normalize_key(table[value_col]),
            "category": table[category_col].str.strip(),
            "row": table[ROW_COLUMN],
        }
    )
    blank = (result["source"] == "") & (result["value"] == "") & (result["category"] == "")
    result = result[~blank].drop_duplicates(["source", "value", "category"])
    clash = result[result.duplicated(["source", "value"], keep=False)]
    if len(clash):
        rows = clash[
            (clash["source"] == clash["source"].iloc[0]) & (clash["value"] == clash["value"].iloc[0])
        ]
        where = f" for source '{rows['source'].iloc[0]}'" if rows["source"].iloc[0] else ""
        raise BeatCastInputError(
            f"{label}: value '{rows['value'].iloc[0]}'{where} is mapped to "
            + " and ".join(f"'{c}' (row {r})" for c, r in zip(rows["category"], rows["row"]))
        )
    return result.drop(columns="row").reset_index(drop=True)


def _label(path: Path, source_name: str | None) -> str:
    return f"{source_name} ('{path}')" if source_name else f"file '{path}'"


def _load_bytes(path: Path, label: str, limit: int | None = None) -> bytes:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            if head.startswith(_GZIP_MAGIC):
                with gzip.open(handle) as unzipped:
                    raw = unzipped.read() if limit is None else unzipped.read(limit)
            else:
                raw = handle.read() if limit is None else handle.read(limit)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise BeatCastInputError(f"{label}: not a valid gzip file ({exc})") from exc
    except OSError as exc:
        raise BeatCastInputError(f"{label}: cannot read the file ({exc.strerror or exc})") from exc
    if raw.startswith(_ZIP_MAGIC):
        raise BeatCastInputError(f"{label}: this is a ZIP archive or Excel workbook; export it as CSV first")
    sample = raw[:65536]
    if not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in sample:
        raise BeatCastInputError(f"{label}: does not look like a delimited text file (binary content)")
    return raw


def _decode(raw: bytes) -> tuple[str, str, bool]:
    """Decode with the first codec that accepts every byte; UTF-16 only when it has a BOM."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16", True
    bom = raw.startswith(b"\xef\xbb\xbf")
    for encoding in ENCODINGS:
        try:
            # A UTF-8 BOM in front of Latin-1 text happens (SLMPD exports): drop it before cp1252.
            return (raw if encoding == "utf-8-sig" or not bom else raw[3:]).decode(encoding), encoding, bom
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte string")  # pragma: no cover


def _first_record(text: str) -> tuple[str, int]:
    """The header record (first non-blank line, extended over quoted newlines) and where it ends."""
    start = len(text) - len(text.lstrip("\r\n \t"))
    start = text.rfind("\n", 0, start) + 1 if start else 0
    in_quotes = False
    limit = min(len(text), start + (1 << 20))
    for i in range(start, limit):
        char = text[i]
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            end = i + 2 if text.startswith("\r\n", i) else i + 1
            return text[start:i], end
    return text[start:limit], limit


def _sniff(text: str) -> tuple[str, list[str], int]:
    """Choose the delimiter that splits the header record most often.

    Returns the delimiter, the clean header names and the offset in ``text`` where the data begins.
    """
    record, end = _first_record(text)
    record = record.lstrip("\ufeff")
    unquoted = re.sub(r'"[^"]*"', "", record)
    counts = [unquoted.count(d) for d in DELIMITERS]
    delimiter = DELIMITERS[int(np.argmax(counts))] if max(counts) else ","
    fields = next(csv.reader(io.StringIO(record), delimiter=delimiter), [""])
    return delimiter, _clean_names(fields), end


def _clean_names(fields: list[str]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, field in enumerate(fields):
        name = field.replace("\ufeff", "").strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _parse(
    data: bytes, delimiter: str, n_header: int, wanted: list[int] | None, label: str
) -> tuple[pd.DataFrame, int]:
    """Parse with the C engine, with a column for every field of the widest record.

    Returns the frame (columns numbered from 0) and its width. With ``wanted`` (column numbers) only
    those and the fields beyond the header are parsed; pandas ignores surplus fields silently then, so a
    quote-aware numpy scan finds the widest record first. Without it, or when the scan and pandas see a
    different number of records, pandas itself reports wider records and the file is parsed again.
    """
    if wanted is not None:
        counts = _field_counts(data, delimiter)
        if counts is not None:
            width = max(n_header, int(counts.max(initial=0)))
            try:
                frame = _read_csv(data, delimiter, width, wanted + list(range(n_header, width)), label)
            except pd.errors.ParserError as exc:
                raise _parser_error(exc, label) from exc
            if len(frame) == len(counts):
                return frame, width
    width = n_header
    for attempt in range(_MAX_REPARSES + 1):
        if attempt == _MAX_REPARSES:  # many different widths: count them all at once
            width = max(width, _widest_record(data, delimiter))
        try:
            return _read_csv(data, delimiter, width, None, label), width
        except pd.errors.ParserError as exc:
            match = _EXPECTED_FIELDS.search(str(exc))
            if not (match and int(match.group(3)) > width and attempt < _MAX_REPARSES):
                raise _parser_error(exc, label) from exc
            width = int(match.group(3))
    raise AssertionError("unreachable")  # pragma: no cover


def _read_csv(data: bytes, delimiter: str, width: int, usecols: list[int] | None, label: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.BytesIO(data),
            sep=delimiter,
            header=None,
            names=list(range(width)),
            usecols=sorted(set(usecols)) if usecols is not None else None,
            index_col=False,
            dtype=str,
            na_filter=False,
            quotechar='"',
            encoding="utf-8",
            engine="c",
        )
    except pd.errors.EmptyDataError as exc:
        raise BeatCastInputError(f"{label}: the file has a header line but no data rows") from exc


def _field_counts(data: bytes, delimiter: str) -> np.ndarray | None:
    """Fields per record, counted the way the C parser splits records (None: cannot tell cheaply).

    A delimiter or line feed is inside quotes when an odd number of quotes precede it (doubled quotes
    inside a quoted field cancel out). Records holding only spaces and tabs are skipped, as pandas does.
    Works block by block on positions, so memory stays small on large files.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # bare carriage-return line ends
    raw = np.frombuffer(data, dtype=np.uint8)
    ends, delims_before_end = [], []
    delims_so_far = odd_quotes = 0
    for begin in range(0, len(raw), _SCAN_BLOCK):
        block = raw[begin : begin + _SCAN_BLOCK]
        delims = np.flatnonzero(block == ord(delimiter))
        newlines = np.flatnonzero(block == ord("\n"))
        is_quote = block == ord('"')
        if odd_quotes or is_quote.any():
            inside = ((np.cumsum(is_quote, dtype=np.uint8) + np.uint8(odd_quotes)) & 1).astype(bool)
            delims, newlines = delims[~inside[delims]], newlines[~inside[newlines]]
            odd_quotes = (odd_quotes + int(np.count_nonzero(is_quote))) & 1
        ends.append(newlines + begin)
        delims_before_end.append(delims_so_far + np.searchsorted(delims, newlines))
        delims_so_far += len(delims)
    ends.append(np.array([len(raw)]))  # the last record may lack a line end
    delims_before_end.append(np.array([delims_so_far]))
    end = np.concatenate(ends)
    fields = np.diff(np.concatenate(delims_before_end), prepend=0) + 1
    start = np.concatenate([[0], end[:-1] + 1])
    # Only records without a delimiter can be blank; check those few by hand.
    blank = np.zeros(len(end), dtype=bool)
    for i in np.flatnonzero(fields == 1):
        blank[i] = not data[start[i] : end[i]].strip(b" \t\r".replace(delimiter.encode(), b""))
    return fields[~blank]


def _widest_record(data: bytes, delimiter: str) -> int:
    """Slow path for files with many record widths: count fields with the csv module."""
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter)
    return max((len(record) for record in reader), default=1)


def _parser_error(exc: Exception, label: str) -> BeatCastInputError:
    match = _EOF_IN_STRING.search(str(exc))
    if match:
        return BeatCastInputError(
            f"{label}: a quoted field starting on line {int(match.group(1)) + 1} is never closed "
            "(unbalanced double quote)"
        )
    return BeatCastInputError(f"{label}: cannot parse the file as delimited text ({str(exc).strip()})")


def _bad_line_messages(frame: pd.DataFrame, n_header: int, width: int) -> np.ndarray:
    """Per record: "" or "row has N fields, header has M" when fields beyond the header hold data."""
    fields = np.zeros(len(frame), dtype=np.int64)
    for j in range(width - 1, n_header - 1, -1):
        filled = (frame[j].to_numpy() != "") & (fields == 0)
        fields[filled] = j + 1
    messages = np.full(len(frame), "", dtype=object)
    bad = np.flatnonzero(fields)
    messages[bad] = [f"row has {n} fields, header has {n_header}" for n in fields[bad]]
    return messages


def _drop_empty_unnamed(frame: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    """Drop columns created by a trailing delimiter on the header line when they hold nothing."""
    drop = [
        name
        for i, name in enumerate(header)
        if name == f"column_{i + 1}" and name in frame and not (frame[name] != "").any()
    ]
    return frame.drop(columns=drop) if drop else frame
