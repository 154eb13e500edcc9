"""Questionnaire importers: turn an OSCAL catalog, an Excel template or our own file into our format.

`convert_file` looks at a file's CONTENT (never its extension) and returns a dict in our
`vciso-questionnaire/1` format; `import_questionnaire` validates that dict and writes it into the
user's library folder atomically. Anything unusable raises `QuestionnaireError` with located problems,
and nothing is written.

openpyxl is only imported (inside `excel_template`) when the file really is a workbook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from vciso.atomic import write_text_atomic
from vciso.errors import QuestionnaireError
from vciso.importers.workbook import ZIP_MAGIC
from vciso.library import parse_json_text, parse_yaml_text, read_limited
from vciso.questionnaire import LINE_KEY, Questionnaire, questionnaire_from_dict

__all__ = ["SCALES", "DEFAULT_TARGETS", "convert_file", "import_questionnaire", "scale_for_import",
           "strip_line_keys", "detect_kind"]

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


def convert_file(path: Path, scale: str = DEFAULT_SCALE, questionnaire_id: str | None = None) -> dict:
    """Read an OSCAL catalog (JSON/YAML), an Excel template or our own YAML/JSON file into our format.

    The kind is decided by content. `scale` (a key of SCALES) is the answer scale for OSCAL catalogs and
    for templates that name none; our own files keep theirs. Raises QuestionnaireError, located.
    """
    source = str(path)
    raw = read_limited(Path(path))
    if not raw.strip():
        raise QuestionnaireError(source, ["the file is empty"])
    kind = detect_kind(raw)
    if kind == "xlsx":
        from vciso.importers.excel_template import convert_template_bytes

        return convert_template_bytes(raw, source, scale, questionnaire_id)
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
    return _convert_data(data, source, scale, questionnaire_id)


def _convert_data(data: Any, source: str, scale: str, questionnaire_id: str | None) -> dict:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__}"
        raise QuestionnaireError(source, [f"top level: expected an object with 'sections' (our format) or "
                                          f"'catalog' (OSCAL), found {kind}"])
    keys = [k for k in data if k != LINE_KEY]
    if "catalog" in data:
        from vciso.importers.oscal import convert_catalog

        try:
            return convert_catalog(strip_line_keys(data), source, scale, questionnaire_id)
        except RecursionError:
            raise QuestionnaireError(source, ["catalog: groups, controls or parts are nested too deeply "
                                              "to be a real catalog"]) from None
    if "sections" in data:
        if questionnaire_id:
            data = dict(data, id=questionnaire_id)
        return data
    for model in _OSCAL_OTHER_MODELS:
        if model in data:
            hint = (" - resolve the profile into a catalog first (e.g. NIST publishes "
                    "'..._resolved-profile_catalog.json' files)") if model == "profile" else ""
            raise QuestionnaireError(source, [f"not an OSCAL catalog: the top-level object has '{model}' "
                                              f"but no 'catalog'{hint}"])
    shown = ", ".join(f"'{k}'" for k in keys[:8]) or "none"
    raise QuestionnaireError(source, [f"top level: not a questionnaire - expected 'sections' (our format) "
                                      f"or 'catalog' (OSCAL); found keys {shown}"])


class _ReadableDumper(yaml.SafeDumper):
    """The safe dumper, writing multi-line text as `|` blocks so people can read and edit the file."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReadableDumper.add_representer(str, _represent_str)


def dump_questionnaire_yaml(data: dict) -> str:
    """Our format as YAML text (safe dumper, unicode kept, key order kept)."""
    return yaml.dump(strip_line_keys(data), Dumper=_ReadableDumper, allow_unicode=True, sort_keys=False,
                     width=100)


def import_questionnaire(path: Path, user_dir: Path, scale: str = DEFAULT_SCALE,
                         questionnaire_id: str | None = None) -> Questionnaire:
    """Convert and validate a file, then write it as `<id>.yaml` into user_dir (atomically).

    Returns the validated questionnaire. Raises QuestionnaireError (and writes nothing) when the file
    cannot be converted or the result does not validate; DiskFull, ReadOnlyStorage or StorageError when
    the library folder refuses the file (nothing is written, an earlier `<id>.yaml` is kept). An existing
    `<id>.yaml` is replaced.
    """
    source = str(path)
    data = convert_file(Path(path), scale, questionnaire_id)
    questionnaire = questionnaire_from_dict(data, source)
    text = dump_questionnaire_yaml(data)
    target = Path(user_dir) / f"{questionnaire.id}.yaml"
    write_text_atomic(target, text)  # creates the library folder; a refusal is one domain error in words
    return questionnaire
