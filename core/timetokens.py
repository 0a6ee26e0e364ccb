"""Vectorised tokenising of date strings into shapes, for ``core.timeparse``.

Why: a column of a million timestamps is parsed without per-row Python. Strings that differ only in
their digits share a *layout* (digits -> "0", letters lower-cased, the rest kept); one representative
per layout is split into tokens by numpy operations over the concatenated characters, and every string
of the layout has its tokens at the same character positions. The layout's *shape* (one symbol per
token) is what the formats in ``timeparse`` are matched against, once per distinct shape.

A token's shape symbol is: digit run of length k -> "k" (1..9; "#" for 10 or more), whitespace run ->
" ", separators as themselves, words -> M (month name), P (AM/PM), T, Z (Z/UTC/GMT), W (weekday),
o (st/nd/rd/th) or x (other).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_MAXTOK = 24  # longest valid value ("Tue, 05 Mar 2024 21:14:33.123 +01:00") has 22 tokens

_CLASS = np.full(256, 4, dtype=np.int64)  # 1 digit, 2 letter, 3 space, 4 anything else (one per token)
_CLASS[ord("0") : ord("9") + 1] = 1
_CLASS[ord("a") : ord("z") + 1] = 2
_CLASS[ord("A") : ord("Z") + 1] = 2
for _space in " \t\r\n\xa0":
    _CLASS[ord(_space)] = 3
_SYMBOL = np.full(256, ord("?"), dtype=np.int64)
for _sep in "/-:.,+":
    _SYMBOL[ord(_sep)] = ord(_sep)
_SYMBOL[_CLASS == 3] = ord(" ")
_VALUE = np.zeros(256, dtype=np.int64)
_VALUE[ord("0") : ord("9") + 1] = np.arange(10)
_VALUE[ord("a") : ord("z") + 1] = np.arange(1, 27)
_VALUE[ord("A") : ord("Z") + 1] = np.arange(1, 27)
_POWER = np.zeros((5, 19), dtype=np.int64)  # place values of a character by class and place from the right
_POWER[1] = 10 ** np.arange(19, dtype=np.int64)
_POWER[2, :13] = 27 ** np.arange(13, dtype=np.int64)
_LAYOUT = np.arange(256, dtype=np.uint8)
_LAYOUT[ord("0") : ord("9") + 1] = ord("0")
_LAYOUT[ord("A") : ord("Z") + 1] += 32


def _word_code(word: str) -> int:
    code = 0
    for char in word:
        code = code * 27 + ord(char) - ord("a") + 1
    return code


_MONTH_NAMES = [
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
    ("nov", "november"), ("dec", "december"),
]  # fmt: skip
_WORDS: dict[str, tuple[str, int]] = {w: ("M", i + 1) for i, names in enumerate(_MONTH_NAMES) for w in names}
_WORDS.update(
    {"am": ("P", 0), "pm": ("P", 12), "t": ("T", 0), "z": ("Z", 0), "utc": ("Z", 0), "gmt": ("Z", 0)}
)
_WEEKDAYS = "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun"
for _w in _WEEKDAYS.split() + ["sunday"]:
    _WORDS[_w] = ("W", 0)
for _w in ("st", "nd", "rd", "th"):
    _WORDS[_w] = ("o", 0)
_WORD_CODES = np.array(sorted(_word_code(w) for w in _WORDS), dtype=np.int64)
_by_code = {_word_code(w): v for w, v in _WORDS.items()}
_WORD_SYMBOLS = np.array([ord(_by_code[c][0]) for c in _WORD_CODES], dtype=np.int64)
_WORD_VALUES = np.array([_by_code[c][1] for c in _WORD_CODES], dtype=np.int64)


class Tokens:
    """Tokens of a chunk of strings, per layout: character spans, shape symbols and values."""

    def __init__(self, values: np.ndarray, lengths: np.ndarray) -> None:
        n = len(values)
        width = max(-(-int(lengths.max(initial=1)) // 8) * 8, 8)
        try:
            chars = values.astype(f"S{width}").view(np.uint8).reshape(n, width)
        except UnicodeEncodeError:  # non-ASCII text: every character above 254 becomes 255 ("other")
            chars = np.minimum(values.astype(f"<U{width}").view(np.uint32).reshape(n, width), 255)
            chars = chars.astype(np.uint8)
        self.broken = np.count_nonzero(chars, axis=1) != lengths  # NUL characters inside
        self.chars = chars
        layout = _LAYOUT[chars]
        layout[self.broken] = 255  # a layout of its own, never confused with "" or a valid string
        self.layout_of, first = group_rows(layout)
        spans = _split(values[first])
        self.start, self.length, self.values, self.shapes = spans

    def value(self, rows: np.ndarray, token: int, digits: bool) -> np.ndarray:
        """The token's value in each row: its number for digit runs, else the layout's word value."""
        layouts = self.layout_of[rows]
        if not digits:
            return self.values[layouts, token]
        start, length = self.start[layouts, token], self.length[layouts, token]
        value = np.zeros(len(rows), dtype=np.int64)
        for k in range(int(length.max(initial=0))):
            inside = k < length
            char = self.chars[rows, np.where(inside, start + k, start)].astype(np.int64) - ord("0")
            value = np.where(inside, value * 10 + char, value)
        return value


def group_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group identical rows of a uint8 matrix (width a multiple of 8): group of each row, first rows."""
    words = np.ascontiguousarray(rows).view(np.uint64)
    key = np.zeros(len(rows), dtype=np.uint64)
    for k in range(words.shape[1]):
        key = key * np.uint64(0x9E3779B97F4A7C15) + words[:, k]  # wraps: a hash, checked below
    codes, _ = pd.factorize(key.view(np.int64))
    first = np.full(int(codes.max(initial=-1)) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    if not (rows == rows[first[codes]]).all():  # a hash collision: group exactly instead
        _, first, codes = np.unique(words.view(f"V{words.shape[1] * 8}").ravel(), return_index=True,
                                    return_inverse=True)  # fmt: skip
    return np.asarray(codes, dtype=np.int64).ravel(), np.asarray(first, dtype=np.int64)


def _split(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tokenise strings at once over their concatenated characters.

    Returns per string and token (n x _MAXTOK): start, length, value (number, or word value) and shape
    symbol (uint8; the row is all zeros when the string has more than _MAXTOK tokens).
    """
    n = len(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
    codes = np.frombuffer("".join(values).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    char = np.minimum(codes, 255).astype(np.uint8)
    total = len(char)
    kind = _CLASS[char]
    row_start = np.cumsum(lengths) - lengths
    new = np.empty(total, dtype=bool)
    new[:1] = True
    np.not_equal(kind[1:], kind[:-1], out=new[1:])
    new |= kind == 4
    new[row_start[lengths > 0]] = True
    seg_start = np.flatnonzero(new)
    seg_end = np.append(seg_start[1:], total)
    seg_len = seg_end - seg_start
    seg_id = np.cumsum(new) - 1
    place = np.minimum(seg_end[seg_id] - 1 - np.arange(total), 18)
    seg_value = np.add.reduceat(_VALUE[char] * _POWER[kind, place], seg_start) if total else seg_start
    seg_row = np.repeat(np.arange(n), lengths)[seg_start]
    first_seg = np.searchsorted(seg_row, np.arange(n))
    token = np.arange(len(seg_start)) - first_seg[seg_row]
    seg_kind = kind[seg_start]
    symbol = np.where(
        seg_kind == 1, np.where(seg_len < 10, ord("0") + seg_len, ord("#")), _SYMBOL[char[seg_start]]
    )
    words = seg_kind == 2
    pos = np.minimum(np.searchsorted(_WORD_CODES, seg_value[words]), len(_WORD_CODES) - 1)
    known = (_WORD_CODES[pos] == seg_value[words]) & (seg_len[words] <= 9)
    symbol[words] = np.where(known, _WORD_SYMBOLS[pos], ord("x"))
    seg_value[words] = np.where(known, _WORD_VALUES[pos], 0)

    cols = _MAXTOK + 1  # the last column collects tokens beyond _MAXTOK
    slot = seg_row * cols + np.minimum(token, _MAXTOK)
    out = [np.zeros(n * cols, dtype=dtype) for dtype in (np.int64, np.int64, np.int64, np.uint8)]
    for array, data in zip(out, (seg_start - row_start[seg_row], seg_len, seg_value, symbol)):
        array[slot] = data
    start, length, value, shape = (a.reshape(n, cols)[:, :_MAXTOK].copy() for a in out)
    shape[np.bincount(seg_row, minlength=n) > _MAXTOK] = 0
    return start, length, value, shape
