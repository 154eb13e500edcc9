"""OSCAL metadata and props: labels, status, licence, the catalog's readable id, a control count."""

from __future__ import annotations

import re
from typing import Iterable

from vciso.importers.ids import readable_id


def _props(item: dict, name: str) -> list[dict]:
    props = item.get("props")
    if not isinstance(props, list):
        return []
    return [p for p in props if isinstance(p, dict) and p.get("name") == name and "value" in p]


def _prop(item: dict, name: str) -> str:
    """The value of a prop; for `label`, the plain one (no class) wins over zero-padded variants."""
    found = _props(item, name)
    if not found:
        return ""
    plain = [p for p in found if not p.get("class")]
    return str((plain or found)[0]["value"]).strip()


def is_withdrawn(control: dict) -> bool:
    return any(str(p["value"]).strip().lower() == "withdrawn" for p in _props(control, "status"))


def licence(metadata: dict) -> str:
    for name in ("licence", "license", "rights"):
        if isinstance(metadata.get(name), str) and metadata[name].strip():
            return metadata[name].strip()
        found = _prop(metadata, name)
        if found:
            return found
    return "as published by the catalog's author"


def party_short_name(metadata: dict) -> str:
    """The short name of the catalog's publisher ("NIST") when the parties agree on one."""
    parties = metadata.get("parties")
    names = {str(p["short-name"]).strip() for p in (parties if isinstance(parties, list) else [])
             if isinstance(p, dict) and isinstance(p.get("short-name"), str) and p["short-name"].strip()}
    return names.pop() if len(names) == 1 else ""


def own_identifier(metadata: dict) -> str:
    """A short name or identifier the catalog gives itself (not a URL, URN or DOI), if any."""
    for name in ("short-name", "short-title", "label"):
        if _prop(metadata, name):
            return _prop(metadata, name)
    ids = metadata.get("document-ids")
    for entry in ids if isinstance(ids, list) else []:
        identifier = entry.get("identifier") if isinstance(entry, dict) else None
        if isinstance(identifier, str) and identifier.strip() and not re.search(r"[:/]", identifier) \
                and len(identifier) <= 40:
            return identifier.strip()
    return ""


def catalog_id(metadata: dict, title: str) -> str:
    """The readable id of a catalog (see vciso.importers.ids): its own short name or identifier, else its
    title shortened, with the publisher's short name in front."""
    return readable_id(own_identifier(metadata), title, prefix=party_short_name(metadata)) or "oscal-catalog"


def count_controls(document: dict) -> tuple[int, int]:
    """(controls that are not withdrawn, withdrawn ones) in an OSCAL catalog - a cross-check."""
    live = withdrawn = 0

    def walk(nodes: Iterable) -> None:
        nonlocal live, withdrawn
        for node in nodes:
            if not isinstance(node, dict):
                continue
            for control in node.get("controls") or []:
                if isinstance(control, dict):
                    if is_withdrawn(control):
                        withdrawn += 1
                    else:
                        live += 1
                    walk([control])
            walk(node.get("groups") or [])

    walk([document.get("catalog") or {}])
    return live, withdrawn
