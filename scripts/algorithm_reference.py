"""Writes docs/reference.md, the reference of every BeatCast algorithm, from the algorithms themselves.

    python3 scripts/algorithm_reference.py           # (re)write docs/reference.md
    python3 scripts/algorithm_reference.py --check   # exit 1 when docs/reference.md is stale

Starts a headless QgsApplication in a throwaway profile, imports the checkout as the package ``beatcast``,
instantiates every class of ``processing_provider.provider.algorithm_classes()`` and renders its id, name,
group, flags, help text (HTML converted to Markdown), parameters and outputs. The output is deterministic:
no timestamps, paths or machine-dependent values.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import difflib
import html
import inspect
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
COMMAND = "python3 scripts/algorithm_reference.py"

# QgsProcessing.SourceType values (stable across QGIS 3.x), in the analyst's words.
LAYER_TYPES = {
    -2: "any layer",
    -1: "any geometry",
    0: "point",
    1: "line",
    2: "polygon",
    3: "raster",
    4: "file",
    5: "with or without geometry",
    6: "mesh",
    7: "plugin layer",
    8: "point cloud",
    9: "annotation",
    10: "vector tile",
}
OUTPUT_TYPES = {
    "outputVector": "vector layer",
    "outputRaster": "raster layer",
    "outputLayer": "layer",
    "outputMultilayers": "layers",
    "outputNumber": "number",
    "outputString": "text",
    "outputBoolean": "boolean",
    "outputFile": "file",
    "outputFolder": "folder",
    "outputHtml": "HTML file",
    "outputPointCloud": "point cloud layer",
    "outputVectorTile": "vector tile layer",
}


def link_checkout() -> None:
    """Make ``import beatcast`` import this checkout, whatever its folder is called (a temporary link)."""
    try:
        import beatcast  # noqa: F401

        return
    except ImportError:
        pass
    folder = Path(tempfile.mkdtemp(prefix="beatcast-reference-"))
    link = folder / "beatcast"
    link.symlink_to(ROOT, target_is_directory=True)

    def _remove() -> None:
        with contextlib.suppress(OSError):
            link.unlink()  # the link only, never the checkout
            folder.rmdir()

    atexit.register(_remove)
    sys.path.insert(0, str(folder))


# --- HTML help to Markdown -----------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_KNOWN = {"p", "br", "ul", "ol", "li", "code", "tt", "a", "h1", "h2", "h3", "h4", "div", "span", *_INLINE}


def _escape(text: str) -> str:
    """Literal text: unescape HTML entities, then keep Markdown from reading it as markup."""
    text = html.unescape(text)
    text = text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
    text = text.replace("*", "\\*").replace("`", "\\`")
    # Underscores inside words (hotspot_zone) are literal in Markdown; at a word's edge they could open
    # emphasis.
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    return text.replace("|", "\\|")


def html_to_markdown(text: str) -> str:
    """Simple HTML (as Processing help strings use it) to Markdown. Unknown tags (``dist_<layer>``) are
    literal text, as the author meant them."""
    out: list[str] = []
    pending: list[str] = []  # literal text since the last known tag
    code: list[str] | None = None  # inside <code>: the raw text of the span

    def flush() -> None:
        if code is not None:
            code.append("".join(pending))
        else:
            out.append(_escape("".join(pending)))
        pending.clear()

    position = 0
    for match in _TAG.finditer(text):
        pending.append(text[position : match.start()])
        position = match.end()
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _KNOWN:
            pending.append(match.group(0))
            continue
        flush()
        if tag in ("code", "tt"):
            if closing and code is not None:
                body = html.unescape("".join(code)).replace("\n", " ")
                fence = "``" if "`" in body else "`"
                out.append(f"{fence}{body}{fence}")
                code = None
            elif not closing:
                code = []
        elif tag in _INLINE:
            out.append(_INLINE[tag])
        elif tag == "br":
            out.append("\n")
        elif tag in ("p", "ul", "ol", "div", "h1", "h2", "h3", "h4"):
            out.append("\n\n")
        elif tag == "li":
            out.append("" if closing else "\n- ")
    pending.append(text[position:])
    flush()
    if code is not None:  # an unclosed <code>: keep its text
        out.append(_escape("".join(code)))
    markdown = "\n".join(line.strip() for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


# --- Parameters and outputs ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _layer_types(types) -> str:
    return ", ".join(LAYER_TYPES.get(int(t), str(int(t))) for t in types)


def parameter_type(parameter, algorithm) -> str:
    """The parameter's type in plain words, with what restricts it (layer types, ranges, extensions)."""
    from qgis.core import QgsApplication, QgsProcessingParameterDateTime, QgsProcessingParameterNumber

    kind = parameter.type()
    if kind == "boolean":
        return "boolean"
    if kind == "crs":
        return "CRS"
    if kind in ("extent", "point", "geometry", "band", "expression", "color", "range", "matrix"):
        return {"band": "raster band", "color": "colour", "range": "range (two numbers)"}.get(kind, kind)
    if kind == "string":
        return "text (several lines)" if parameter.multiLine() else "text"
    if kind == "datetime":
        return {
            QgsProcessingParameterDateTime.Date: "date",
            QgsProcessingParameterDateTime.Time: "time",
        }.get(parameter.dataType(), "date and time")
    if kind in ("number", "distance", "duration", "scale"):
        integer = kind == "number" and parameter.dataType() == QgsProcessingParameterNumber.Integer
        words = {"number": "integer" if integer else "number", "distance": "distance"}.get(kind, kind)
        if kind == "distance" and parameter.parentParameterName():
            words += f" (units of {parameter.parentParameterName()})"
        low, high = parameter.minimum(), parameter.maximum()
        low = None if low <= -1e300 or (integer and low <= -(2**31)) else low
        high = None if high >= 1e300 or (integer and high >= 2**31 - 1) else high
        if low is not None and high is not None:
            words += f", {_number(low)} to {_number(high)}"
        elif low is not None:
            words += f", at least {_number(low)}"
        elif high is not None:
            words += f", at most {_number(high)}"
        return words
    if kind == "enum":
        multiple = "one or more of" if parameter.allowMultiple() else "one of"
        options = "<br>".join(f"`{i}` {_cell(o)}" for i, o in enumerate(parameter.options()))
        return f"enum, {multiple}:<br>{options}"
    if kind == "field":
        data = {1: "numeric", 2: "text", 3: "date/time"}.get(int(parameter.dataType()), "")
        words = (
            f"{'fields' if parameter.allowMultiple() else 'field'} of {parameter.parentLayerParameterName()}"
        )
        return f"{words} ({data})" if data else words
    if kind == "file":
        folder = parameter.behavior() == parameter.Folder
        words = "folder" if folder else "file"
        if not folder and parameter.extension():
            words += f" (.{parameter.extension()})"
        elif not folder and parameter.fileFilter():
            words += f" ({parameter.fileFilter()})"
        return words
    if kind == "multilayer":
        layer = int(parameter.layerType())
        special = {4: "files", 3: "raster layers", -2: "layers of any kind"}
        return special.get(layer, f"vector layers ({LAYER_TYPES.get(layer, layer)})")
    if kind in ("source", "vector"):
        words = "vector features" if kind == "source" else "vector layer"
        types = parameter.dataTypes()
        return f"{words} ({_layer_types(types)})" if types else words
    if kind == "raster":
        return "raster layer"
    if kind == "vectorDestination":
        return f"output vector layer ({_layer_types([parameter.dataType()])})"
    if kind == "rasterDestination":
        return "output raster"
    if kind == "fileDestination":
        filters = parameter.fileFilter()
        return f"output file ({filters})" if filters else "output file"
    if kind == "folderDestination":
        return "output folder"
    registered = QgsApplication.processingRegistry().parameterType(kind)
    return registered.name() if registered is not None else type(parameter).__name__


def parameter_default(parameter) -> str:
    value = parameter.defaultValue()
    if value is None or (isinstance(value, str) and not value):
        return ""
    kind = parameter.type()
    if kind == "enum":
        indices = value if isinstance(value, list) else str(value).split(",")
        options = parameter.options()
        labels = [f"`{int(i)}` {_cell(options[int(i)])}" for i in indices if str(i).strip() != ""]
        return ", ".join(labels)
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, int | float):
        return f"`{_number(value)}`"
    if isinstance(value, list | tuple):
        return ", ".join(f"`{_cell(v)}`" for v in value)
    if hasattr(value, "authid"):
        return f"`{value.authid()}`"
    if hasattr(value, "toString"):
        return f"`{value.toString()}`"
    return f"`{_cell(value)}`"


def output_type(output) -> str:
    return OUTPUT_TYPES.get(output.type(), type(output).__name__)


def algorithm_flags(algorithm) -> list[str]:
    from qgis.core import QgsProcessingAlgorithm as Alg

    flags = algorithm.flags()
    notes = []
    if flags & Alg.FlagNoThreading:
        notes.append("runs in the main thread (QGIS waits for it)")
    if flags & Alg.FlagRequiresProject:
        notes.append("needs a QGIS project")
    if not flags & Alg.FlagCanCancel:
        notes.append("cannot be cancelled")
    if not flags & Alg.FlagSupportsBatch:
        notes.append("no batch mode")
    if flags & Alg.FlagHideFromToolbox:
        notes.append("hidden from the toolbox")
    if flags & Alg.FlagHideFromModeler:
        notes.append("hidden from the Modeler")
    if flags & Alg.FlagNotAvailableInStandaloneTool:
        notes.append("not available in qgis_process")
    if flags & Alg.FlagKnownIssues:
        notes.append("known issues")
    return notes


# --- The document --------------------------------------------------------------------------------------


def algorithms() -> list:
    """Every algorithm, initialised, in toolbox order."""
    from beatcast.processing_provider.provider import algorithm_classes

    instances = []
    for cls in algorithm_classes():
        algorithm = cls()
        algorithm.initAlgorithm()
        instances.append(algorithm)
    return instances


def render_algorithm(algorithm) -> list[str]:
    from qgis.core import QgsProcessingParameterDefinition as Definition

    lines = [
        f'<a id="{algorithm.name()}"></a>',
        "",
        f"### {algorithm.displayName()}",
        "",
        f"- id: `beatcast:{algorithm.name()}`",
        f"- group: {algorithm.group()}",
    ]
    module = Path(inspect.getfile(type(algorithm))).resolve()
    with contextlib.suppress(ValueError):
        source = module.relative_to(ROOT).as_posix()
        lines.append(f"- source: [`{source}`](../{source})")
    notes = algorithm_flags(algorithm)
    if notes:
        lines.append(f"- note: {'; '.join(notes)}")
    lines.append("")
    help_text = algorithm.shortHelpString() or ""
    if help_text.strip():
        lines += [html_to_markdown(help_text), ""]

    lines += [
        "#### Parameters",
        "",
        "| Name | Description | Type | Default | Optional | Advanced |",
        "|---|---|---|---|---|---|",
    ]
    for parameter in algorithm.parameterDefinitions():
        flags = parameter.flags()
        description = _cell(parameter.description())
        if parameter.help():
            description += f"<br>*{_cell(html_to_markdown(parameter.help()))}*"
        if flags & Definition.FlagHidden:
            description += " (hidden)"
        lines.append(
            f"| `{parameter.name()}` | {description} | {parameter_type(parameter, algorithm)} "
            f"| {parameter_default(parameter)} | {'yes' if flags & Definition.FlagOptional else 'no'} "
            f"| {'yes' if flags & Definition.FlagAdvanced else ''} |"
        )
    lines += ["", "#### Outputs", "", "| Name | Description | Type |", "|---|---|---|"]
    for output in algorithm.outputDefinitions():
        lines.append(f"| `{output.name()}` | {_cell(output.description())} | {output_type(output)} |")
    lines += ["", "[Back to the contents](#contents)", ""]
    return lines


def render(instances) -> str:
    groups: dict[str, list] = {}
    for algorithm in instances:  # groups in the order they first appear in the toolbox list
        groups.setdefault(algorithm.group(), []).append(algorithm)
    lines = [
        "# BeatCast algorithm reference",
        "",
        "<!-- Generated from the algorithms by scripts/algorithm_reference.py: do not edit by hand. -->",
        "",
        "Every algorithm of the BeatCast Processing provider, with its parameters and outputs, generated "
        "from the code. Regenerate it after changing an algorithm:",
        "",
        "```sh",
        COMMAND,
        "```",
        "",
        "Parameter and output names are the ones to use in models and with `qgis_process` "
        "(`--NAME=value`); an enum takes the number of its option. Task-by-task instructions are in the "
        "[user guide](guide.md).",
        "",
        '<a id="contents"></a>',
        "",
        "## Contents",
        "",
    ]
    for group, members in groups.items():
        lines.append(f"- {group}")
        for algorithm in members:
            lines.append(
                f"  - [{algorithm.displayName()}](#{algorithm.name()}) (`beatcast:{algorithm.name()}`)"
            )
    lines.append("")
    for group, members in groups.items():
        lines += [f"## {group}", ""]
        for algorithm in members:
            lines += render_algorithm(algorithm)
    return "\n".join(lines).rstrip("\n") + "\n"


def generate() -> str:
    """The reference as it should be. Needs a running QgsApplication."""
    link_checkout()
    return render(algorithms())


@contextlib.contextmanager
def qgis_application():
    """A headless QgsApplication in a throwaway profile (the user's QGIS profile is not touched)."""
    from qgis.core import QgsApplication

    if QgsApplication.instance() is not None:
        yield QgsApplication.instance()
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="beatcast-reference-profile-") as profile:
        app = QgsApplication([], False, profile)
        app.initQgis()
        try:
            yield app
        finally:
            app.exitQgis()


def diff_summary(current: str, expected: str, limit: int = 60) -> str:
    diff = list(
        difflib.unified_diff(
            current.splitlines(), expected.splitlines(), "docs/reference.md", "generated", lineterm=""
        )
    )
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    shown = diff[:limit] + ([f"... ({len(diff) - limit} more diff lines)"] if len(diff) > limit else [])
    return "\n".join([f"{added} lines to add, {removed} to remove:", *shown])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/reference.md is stale")
    args = parser.parse_args(argv)
    with qgis_application():
        text = generate()
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    if args.check:
        if current == text:
            print("docs/reference.md is up to date")
            return 0
        print(f"docs/reference.md is stale; run `{COMMAND}` and commit the result.")
        print(diff_summary(current, text))
        return 1
    if current != text:
        REFERENCE.write_text(text, encoding="utf-8")
        print(f"wrote {REFERENCE.relative_to(ROOT)}")
    else:
        print("docs/reference.md is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
