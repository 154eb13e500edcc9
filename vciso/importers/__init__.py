"""Questionnaire importers: turn an OSCAL catalog, a CISO Assistant library, an Excel template or our
own file into our format.

`read_import_file` looks at a file's CONTENT (never its extension), says which format it found and
returns a dict in our `vciso-questionnaire/1` format (`convert_file` returns just the dict);
`vciso.importers.plan` validates it, previews it and writes it into the user's library folder
atomically, refusing an id that is already taken. Anything unusable raises `QuestionnaireError` with
located problems, and nothing is written.

openpyxl is only imported (inside `excel_template`) when the file really is a workbook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vciso.errors import QuestionnaireError
from vciso.importers.workbook import ZIP_MAGIC
from vciso.library import parse_json_text, parse_yaml_text, read_limited
from vciso.questionnaire import LINE_KEY, Questionnaire

__all__ = ["SCALES", "DEFAULT_TARGETS", "ConvertedFile", "convert_file", "read_import_file", "import_questionnaire",
           "scale_for_import", "strip_line_keys", "detect_kind", "ASSESS_MODES"]

ASSESS_MODES = ("auto", "leaves", "all")  # how an OSCAL catalog's nested controls are read (see oscal.py)

DEFAULT_SCALE = "maturity-0-5"

# Built-in answer scales offered at import time, in our scale format. The maturity wording matches the
# bundled questionnaires so that scores read the same across the library.
SCALES: dict[str, dict[str, Any]] = {
    "maturity-0-5": {
        "id": "maturity-0-5",
        "name": "Maturity 0-5",
        "pass_threshold": 3,
        "na_allowed": True,
        "levels": [
            {"value": 0, "label": "Not performed",
             "description": "Nothing is done for this, or it only happens by accident. There is no evidence "
                            "to show."},
            {"value": 1, "label": "Initial",
             "description": "Done occasionally or in reaction to a problem, depending on who happens to be "
                            "involved. Results vary and little evidence is kept."},
            {"value": 2, "label": "Repeatable",
             "description": "Done consistently by the people involved, but not written down or owned. It "
                            "would probably lapse if those people left."},
            {"value": 3, "label": "Defined",
             "description": "Documented, owned, applied across the organisation and reviewed at least "
                            "yearly. Records show it is followed in practice."},
            {"value": 4, "label": "Managed",
             "description": "Measured against agreed metrics and monitored by its owner, so deviations are "
                            "spotted and corrected. Results are reported to management on a regular cycle."},
            {"value": 5, "label": "Optimised",
             "description": "Continuously improved from metrics, lessons learned and changes in threats, and "
                            "automated where it makes sense."},
        ],
    },
    "implementation-4": {
        "id": "implementation-4",
        "name": "Implementation status",
        "pass_threshold": 2,
        "na_allowed": True,
        "levels": [
            {"value": 0, "label": "Not implemented",
             "description": "The requirement is not met; nothing or almost nothing is in place."},
            {"value": 1, "label": "Partially implemented",
             "description": "Some parts are in place, but significant parts of the requirement are missing "
                            "or only done for some systems or teams."},
            {"value": 2, "label": "Largely implemented",
             "description": "The requirement is met for most systems and teams; minor gaps remain and are "
                            "known."},
            {"value": 3, "label": "Fully implemented",
             "description": "The requirement is met everywhere it applies, and there is evidence to show "
                            "it."},
        ],
    },
    "yes-no": {
        "id": "yes-no",
        "name": "Yes / No",
        "pass_threshold": 1,
        "na_allowed": True,
        "levels": [
            {"value": 0, "label": "No", "description": "Not in place, or no evidence that it is."},
            {"value": 1, "label": "Yes", "description": "In place, with evidence to show it."},
        ],
    },
}

# The target an imported questionnaire gets unless its file says otherwise.
DEFAULT_TARGETS: dict[str, int] = {"maturity-0-5": 3, "implementation-4": 3, "yes-no": 1}

_OSCAL_OTHER_MODELS = ("profile", "component-definition", "system-security-plan", "assessment-plan",
                       "assessment-results", "plan-of-action-and-milestones", "mapping-collection")


def scale_for_import(scale: str, source: str, where: str = "") -> dict[str, Any]:
    """A fresh copy of a built-in scale, or a QuestionnaireError naming the scales there are."""
    if scale not in SCALES:
        known = ", ".join(SCALES)
        message = f"unknown answer scale '{scale}' (choose one of {known})"
        raise QuestionnaireError(source, [f"{where}: {message}" if where else message])
    return json.loads(json.dumps(SCALES[scale]))  # deep copy: callers may add to it


def strip_line_keys(data: Any) -> Any:
    """The data without the YAML loader's line markers (they must never reach a written file)."""
    if isinstance(data, dict):
        return {k: strip_line_keys(v) for k, v in data.items() if k != LINE_KEY}
    if isinstance(data, list):
        return [strip_line_keys(v) for v in data]
    return data


def detect_kind(raw: bytes) -> str:
    """'xlsx', 'json' or 'yaml' from the first bytes of a file (the extension is not trusted)."""
    if raw.startswith(ZIP_MAGIC):
        return "xlsx"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json"
    return "yaml"


@dataclass(frozen=True)
class ConvertedFile:
    """A file read into our format: the data, which format it was in ("ours", "oscal",
    "ciso-assistant", "template"), that format in words, and what the converter decided, in words."""

    data: dict
    kind: str
    format_name: str
    notes: tuple[str, ...] = ()


def convert_file(path: Path, scale: str | None = None, questionnaire_id: str | None = None,
                 assess: str = "auto", language: str | None = None) -> dict:
    """Read an OSCAL catalog (JSON/YAML), a CISO Assistant library, an Excel template or our own
    YAML/JSON file into our format (see `read_import_file`). Raises QuestionnaireError, located."""
    return read_import_file(path, scale, questionnaire_id, assess, language).data


def read_import_file(path: Path, scale: str | None = None, questionnaire_id: str | None = None,
                     assess: str = "auto", language: str | None = None) -> ConvertedFile:
    """Read a file to import, deciding its format by content, into our format.

    `scale` (a key of SCALES) is the answer scale for OSCAL catalogs, for templates that name none and
    for CISO Assistant frameworks without scores (default: maturity-0-5, resp. implementation-4); our
    own files keep theirs. `assess` ("auto", "leaves", "all") is how OSCAL controls holding controls
    are read; `language` is preferred where a CISO Assistant library translates its text.
    Raises QuestionnaireError, located.
    """
    source = str(path)
    if assess not in ASSESS_MODES:
        raise QuestionnaireError(source, [f"unknown structure choice '{assess}' (choose one of "
                                          f"{', '.join(ASSESS_MODES)})"])
    raw = read_limited(Path(path))
    if not raw.strip():
        raise QuestionnaireError(source, ["the file is empty"])
    kind = detect_kind(raw)
    if kind == "xlsx":
        from vciso.importers.excel_template import convert_template_bytes

        data = convert_template_bytes(raw, source, scale or DEFAULT_SCALE, questionnaire_id)
        return ConvertedFile(data, "template", "Excel authoring template")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionnaireError(source, [f"byte {exc.start}: not UTF-8 text, and not an Excel workbook "
                                          f"(.xlsx)"]) from None
    if text.lstrip().startswith("<"):
        raise QuestionnaireError(source, ["this looks like XML; OSCAL XML is not supported - use the "
                                          "catalog's JSON (or YAML) edition"])
    if kind == "json":
        data = parse_json_text(text, source, "JSON is truncated or invalid at line {line}, column {column} "
                                             "({msg})")
    else:
        data = parse_yaml_text(text, source)  # refuses alias bombs and absurd nesting
    return _convert_data(data, source, scale, questionnaire_id, assess, language, kind.upper())


_EXPECTED = "'sections' (our format), 'catalog' (OSCAL) or 'objects' with a framework (CISO Assistant library)"


def _convert_data(data: Any, source: str, scale: str | None, questionnaire_id: str | None, assess: str,
                  language: str | None, syntax: str) -> ConvertedFile:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__}"
        raise QuestionnaireError(source, [f"top level: expected an object with {_EXPECTED}, found {kind}"])
    keys = [k for k in data if k != LINE_KEY]
    notes: list[str] = []
    if "catalog" in data:
        from vciso.importers.oscal import convert_catalog

        try:
            converted = convert_catalog(strip_line_keys(data), source, scale or DEFAULT_SCALE, questionnaire_id,
                                        assess, notes)
        except RecursionError:
            raise QuestionnaireError(source, ["catalog: groups, controls or parts are nested too deeply "
                                              "to be a real catalog"]) from None
        return ConvertedFile(converted, "oscal", f"OSCAL catalog ({syntax})", tuple(notes))
    if "sections" in data:
        if questionnaire_id:
            data = dict(data, id=questionnaire_id)
        return ConvertedFile(data, "ours", f"vCISO questionnaire ({syntax})")
    from vciso.importers.ciso_assistant import convert_library, is_library

    if is_library(data):
        try:
            converted = convert_library(data, source, scale, questionnaire_id, language, notes)
        except RecursionError:
            raise QuestionnaireError(source, ["objects: nested too deeply to be a real library"]) from None
        return ConvertedFile(strip_line_keys(converted), "ciso-assistant", f"CISO Assistant library ({syntax})",
                             tuple(notes))
    for model in _OSCAL_OTHER_MODELS:
        if model in data:
            hint = (" - resolve the profile into a catalog first (e.g. NIST publishes "
                    "'..._resolved-profile_catalog.json' files)") if model == "profile" else ""
            raise QuestionnaireError(source, [f"not an OSCAL catalog: the top-level object has '{model}' "
                                              f"but no 'catalog'{hint}"])
    shown = ", ".join(f"'{k}'" for k in keys[:8]) or "none"
    raise QuestionnaireError(source, [f"top level: not a questionnaire - expected {_EXPECTED}; "
                                      f"found keys {shown}"])


class _ReadableDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper (libyaml's when available: 20x faster on a big catalog, same text), writing
    multi-line text as `|` blocks so people can read and edit the file."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReadableDumper.add_representer(str, _represent_str)


def dump_questionnaire_yaml(data: dict) -> str:
    """Our format as YAML text (safe dumper, unicode kept, key order kept)."""
    return yaml.dump(strip_line_keys(data), Dumper=_ReadableDumper, allow_unicode=True, sort_keys=False,
                     width=100)


def import_questionnaire(path: Path, user_dir: Path, scale: str | None = None,
                         questionnaire_id: str | None = None, assess: str = "auto",
                         language: str | None = None, bundled_dir: Path | None = None) -> Questionnaire:
    """Convert and validate a file, then write it as `<id>.yaml` into user_dir (atomically).

    Returns the validated questionnaire. Raises QuestionnaireError (and writes nothing) when the file
    cannot be converted, the result does not validate, or its id is already in the library (bundled
    or imported; the error suggests a free id - nothing is ever overwritten); DiskFull, ReadOnlyStorage
    or StorageError when the library folder refuses the file.
    """
    from vciso.importers.plan import apply_import, plan_import

    plan = plan_import(Path(path), Path(user_dir), scale, questionnaire_id, assess, language, bundled_dir)
    return apply_import(plan)
