"""Requirement ids as frameworks spell them, and one key to compare them by.

Publishers write the same control several ways: NIST's crosswalk workbook `PM-09` and `CP-02(08)`, the
OSCAL catalogs `pm-9` and `cp-2.8` as ids and `PM-9` / `CP-2(8)` as labels, CISO Assistant
`urn:intuitem:risk:req_node:nist-sp-800-53-rev5:cp-2.8`. `catalog_form` writes a control id the way the
catalog labels it (what our questionnaires use as question ids); `key` is the form two ids are compared in.
"""

from __future__ import annotations

import re

# A family control, optionally with an enhancement: AC-2, ac-02, AC-2(1), ac-2.1, CP-02(08)
_CONTROL = re.compile(r"^([A-Za-z]{2})-0*(\d+)(?:(?:\(0*(\d+)\))|(?:\.0*(\d+)))?$")


def catalog_form(text: str) -> str:
    """An id the way catalogs label it: surrounding spaces and line breaks gone, upper case, SP 800-53
    style numbers without leading zeros and enhancements in brackets (`PM-09` → `PM-9`, `cp-2.8` →
    `CP-2(8)`, `de.ae-02` → `DE.AE-02`). Ids of no known shape are only trimmed and upper-cased."""
    cleaned = " ".join(str(text).split())
    match = _CONTROL.match(cleaned)
    if match:
        family, number, bracket, dotted = match.groups()
        enhancement = bracket or dotted
        return f"{family.upper()}-{int(number)}" + (f"({int(enhancement)})" if enhancement else "")
    return cleaned.upper()


def key(text: str) -> str:
    """The form in which two ids are compared: `catalog_form`, so `ac-02`, `AC-2` and `AC-02` are one."""
    return catalog_form(text)


def section_of(requirement_id: str) -> str:
    """The group an id belongs to when no questionnaire says: the part before the first '.' or '-'
    (`GV.OC-01` → `GV`, `AC-2(1)` → `AC`)."""
    return re.split(r"[.\-]", requirement_id, maxsplit=1)[0] or requirement_id


# Frameworks the bundled mappings name, recognised in a publisher's title, file name or URN so that an
# imported crosswalk joins the same chain: (words that must all appear, our id).
_KNOWN_FRAMEWORKS = (
    (("csf", "2"), "nist-csf-2.0"),
    (("cybersecurity", "framework", "2"), "nist-csf-2.0"),
    (("800-53", "5"), "nist-sp-800-53-r5"),
    (("80053", "5"), "nist-sp-800-53-r5"),
)
_CSF2_ID = re.compile(r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$")


def framework_id(text: str, ids: list[str] | tuple[str, ...] = ()) -> str:
    """Our id for a framework a file names (`NIST_CSF_v2.0`, `urn:intuitem:risk:framework:nist-csf-2.0`,
    `catalogs/NIST_SP-800-53_rev5/catalog.json`): a framework the bundled mappings use when the name
    says so or, failing that, its ids have CSF 2.0's shape; else the name made readable."""
    from vciso.importers.ids import readable_id

    words = re.sub(r"[_/:]+", " ", str(text)).casefold().replace("sp800", "800").replace("rev", "r ")
    tokens = set(re.split(r"[\s.]+|(?<=[a-z])(?=\d)|v(?=\d)", words)) | set(words.split())
    for needed, ident in _KNOWN_FRAMEWORKS:
        if all(any(word in token for token in tokens) for word in needed):
            return ident
    shown = [catalog_form(i) for i in ids[:50]]
    if shown and all(_CSF2_ID.match(i) for i in shown):
        return "nist-csf-2.0"
    if shown and all(_CONTROL.match(i) for i in shown):
        return "nist-sp-800-53-r5"
    stem = re.sub(r"\.(json|ya?ml|xlsx)$", "", str(text).rsplit("/", 1)[-1].rsplit(":", 1)[-1], flags=re.I)
    return readable_id(stem.replace("_", " ")) or "framework"
