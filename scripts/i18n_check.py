"""Checks Qt .ts translation files: exit code 1 when a message is unfinished or empty, or its translation
does not keep what the code relies on.

    python3 scripts/i18n_check.py [i18n/beatcast_es.ts ...]      (default: every i18n/*.ts)

Per message (obsolete and vanished entries are ignored: `make ts` drops them):
- unfinished (type="unfinished") or empty translation;
- Python format fields ({}, {:.2f}, {0}...) and Qt ones (%1, %n): the same, in the same order;
- HTML tags (<p>, </b>, <li>...) and entities (&lt;, &amp;...): the same ones, as many times;
- parameter names (UPPER_SNAKE with an underscore, e.g. INPUT_FILES) and a leading "NAME:" prefix kept;
- the same leading and trailing whitespace (strings are concatenated in code).
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAT_FIELD = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})|%\d+|%n")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
PARAMETER = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
PREFIX = re.compile(r"^[A-Z][A-Z0-9_]*(?:/[A-Z][A-Z0-9_]*)*:")


def _without_escaped_braces(text: str) -> str:
    return text.replace("{{", "").replace("}}", "")


def message_problems(source: str, translation: str) -> list[str]:
    """What is wrong with one translation of source (empty list: nothing)."""
    if not translation.strip():
        return ["empty translation"]
    problems = []
    fields_s = FORMAT_FIELD.findall(_without_escaped_braces(source))
    fields_t = FORMAT_FIELD.findall(_without_escaped_braces(translation))
    if fields_s != fields_t:
        problems.append(f"placeholders differ: {fields_s} vs {fields_t}")
    for name, pattern in (("HTML tags", TAG), ("entities", ENTITY), ("parameter names", PARAMETER)):
        found_s, found_t = Counter(pattern.findall(source)), Counter(pattern.findall(translation))
        if found_s != found_t:
            problems.append(
                f"{name} differ: missing {sorted((found_s - found_t).elements())}, "
                f"extra {sorted((found_t - found_s).elements())}"
            )
    prefix = PREFIX.match(source)
    if prefix and not translation.startswith(prefix.group(0)):
        problems.append(f"must start with {prefix.group(0)!r}")
    lead_s, lead_t = (
        source[: len(source) - len(source.lstrip())],
        translation[: len(translation) - len(translation.lstrip())],
    )
    trail_s, trail_t = source[len(source.rstrip()) :], translation[len(translation.rstrip()) :]
    if lead_s != lead_t or trail_s != trail_t:
        problems.append("leading or trailing whitespace differs")
    return problems


def check_ts(path: Path) -> tuple[int, list[str]]:
    """(number of messages checked, one line per problem) for a .ts file."""
    root = ET.parse(path).getroot()
    checked, problems = 0, []
    for context in root.iter("context"):
        context_name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            checked += 1
            where = f"{path.name} [{context_name}] {source[:70]!r}"
            if kind == "unfinished":
                problems.append(f"{where}: unfinished")
                continue
            forms = translation.findall("numerusform") if message.get("numerus") == "yes" else [translation]
            for form in forms:
                problems += [f"{where}: {p}" for p in message_problems(source, form.text or "")]
    return checked, problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted((ROOT / "i18n").glob("*.ts"))
    if not paths:
        print("i18n_check: no .ts file")
        return 1
    failed = False
    for path in paths:
        checked, problems = check_ts(path)
        for line in problems:
            print(line)
        print(f"{path}: {checked} messages, {len(problems)} problems")
        failed = failed or bool(problems) or checked == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
