"""OSCAL catalog (JSON or YAML, already parsed) -> a questionnaire dict in our format.

Groups become sections (nested groups nest). A control with child controls is either assessed itself,
its children following it directly in the same section (SP 800-53: AC-2 is followed by AC-2(1),
AC-2(2) ... before AC-3), or a grouping level that becomes a subsection whose children are the
questions (CSF 2.0: category GV.OC holds subcategories GV.OC-01 ...). `assess` chooses: "auto" decides
per control from what the catalog says (see `parent_is_grouping` and docs/questionnaire-format.md),
"leaves" makes every control with children a grouping level, "all" asks every control. Withdrawn items
are skipped at every level. The statement with its labelled items becomes the question text,
parameters are rendered the way the catalog's author prints them ("[Assignment: ...]",
"[Selection (one or more): ...]"), the guidance part becomes the guidance.
"""

from __future__ import annotations

import re
from typing import Any

from vciso.errors import QuestionnaireError
from vciso.importers.oscal_metadata import _prop, _props, catalog_id, count_controls, is_withdrawn, licence
from vciso.questionnaire import FORMAT_ID

__all__ = ["ASSESS_MODES", "convert_catalog", "count_controls", "is_withdrawn", "one_line", "slugify"]

_INSERT = re.compile(r"\{\{\s*insert\s*:\s*([\w-]+)\s*,\s*([^\s}]+)\s*\}\}")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:#|[a-zA-Z][\w+.-]*:)[^)\s]*\)")
_SPACE_BEFORE_PUNCT = re.compile(r"\] +([;,.:])")
_SPACES = re.compile(r"[ \t\u00a0]+")
_DIGITS = re.compile(r"(\d+)")

# Props with a meaning of their own; every other prop of a control becomes a tag "name:value".
_STRUCTURAL_PROPS = {"label", "sort-id", "status", "alt-identifier", "alt-label"}
_MAX_INSERT_DEPTH = 12
_LABEL_ID = re.compile(r"\(([\w.-]+)\)\s*$")
RECOMMENDATION_CHARS = 200
TITLE_CHARS = 70
ASSESS_MODES = ("auto", "leaves", "all")
INDENT = "  "


def _natural_key(text: str) -> tuple:
    return tuple(int(piece) if index % 2 else piece.casefold()
                 for index, piece in enumerate(_DIGITS.split(text)))


def _ordered(items: list) -> list:
    """Items in `sort-id` order when the catalog gives one, else in document order."""
    if not any(isinstance(i, dict) and _prop(i, "sort-id") for i in items):
        return items
    return sorted(items, key=lambda i: _natural_key(
        (_prop(i, "sort-id") or str(i.get("id", ""))) if isinstance(i, dict) else ""))


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-.")
    return slug[:80].rstrip("-.") or "oscal-catalog"


def one_line(text: str, limit: int) -> str:
    """Text on one line, cut at a word boundary near `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


class _Converter:
    def __init__(self, catalog: dict, problems: list[str], assess: str = "auto"):
        self.catalog = catalog
        self.problems = problems
        self.assess = assess
        self.grouping_parents = 0
        self.assessed_parents = 0
        self.grouping_classes: dict[str, int] = {}
        self.section_ids: set[str] = set()
        self.question_ids: set[str] = set()
        self.withdrawn = 0
        self.all_params: dict[str, dict] = {}
        self._index_params(catalog)

    # ------------------------------------------------------------------ parameters

    def _index_params(self, node: dict) -> None:
        """Every param of the catalog by id (and by alt-identifier), a fallback for out-of-scope refs."""
        for param in self._list(node, "params", None):
            if isinstance(param, dict) and isinstance(param.get("id"), str):
                self.all_params.setdefault(param["id"], param)
        for key in ("groups", "controls"):
            for child in self._list(node, key, None):
                if isinstance(child, dict):
                    self._index_params(child)
        if node is self.catalog:
            for param in list(self.all_params.values()):
                for alt in _props(param, "alt-identifier"):
                    self.all_params.setdefault(str(alt["value"]), param)

    def _scope(self, node: dict, outer: dict[str, dict]) -> dict[str, dict]:
        params = [p for p in self._list(node, "params", None) if isinstance(p, dict) and "id" in p]
        if not params:
            return outer
        scope = dict(outer)
        for param in params:
            for alt in _props(param, "alt-identifier"):
                scope.setdefault(str(alt["value"]), param)
        scope.update({str(p["id"]): p for p in params})
        return scope

    def render(self, text: Any, scope: dict[str, dict], seen: frozenset = frozenset()) -> str:
        """Prose with markdown links reduced to their text and every insert rendered, recursively."""
        if not isinstance(text, str):
            return ""
        text = _MD_LINK.sub(r"\1", text)

        def insert(match: re.Match) -> str:
            kind, ref = match.group(1), match.group(2)
            if kind != "param":
                return f"[{ref}]"
            param = scope.get(ref) or self.all_params.get(ref)
            if param is None or ref in seen or len(seen) >= _MAX_INSERT_DEPTH:
                return f"[Assignment: {ref}]"
            return self.param_text(param, scope, seen | {ref})

        return _INSERT.sub(insert, text)

    def param_text(self, param: dict, scope: dict[str, dict], seen: frozenset = frozenset()) -> str:
        values = param.get("values")
        if values is None and "value" in param:  # OSCAL 1.0 milestones used a single `value`
            values = [param["value"]]
        if isinstance(values, list):
            shown = [self._clean(self.render(v, scope, seen)) for v in values if isinstance(v, (str, int, float))]
            if any(shown):
                return ", ".join(s for s in shown if s)
        select = param.get("select")
        if isinstance(select, dict):
            raw_choices = select.get("choice")
            choices = [self._clean(self.render(c, scope, seen))
                       for c in (raw_choices if isinstance(raw_choices, list) else []) if isinstance(c, str)]
            head = "Selection (one or more)" if select.get("how-many") == "one-or-more" else "Selection"
            return f"[{head}: {'; '.join(c for c in choices if c)}]"
        label = param.get("label")
        if isinstance(label, str) and label.strip():
            text = self._clean(self.render(label, scope, seen))
            # NIST prints assignments as "organization-defined <label>"; rev5 ODP labels omit the prefix.
            if not text.lower().startswith("organization-defined"):
                text = f"organization-defined {text}"
            return f"[Assignment: {text}]"
        aggregated = [str(p["value"]) for p in _props(param, "aggregates")]
        if aggregated:  # an aggregating param without a label stands for the params it gathers
            parts = [self.render(f"{{{{ insert: param, {ref} }}}}", scope, seen) for ref in aggregated]
            return ", ".join(parts)
        guidelines = param.get("guidelines")
        for guideline in guidelines if isinstance(guidelines, list) else []:
            if isinstance(guideline, dict) and isinstance(guideline.get("prose"), str):
                return f"[Assignment: {self._clean(self.render(guideline['prose'], scope, seen))}]"
        return f"[Assignment: {param.get('id', 'value')}]"

    @staticmethod
    def _clean(line: str) -> str:
        line = _SPACES.sub(" ", line).strip()
        return _SPACE_BEFORE_PUNCT.sub(r"]\1", line)

    # ------------------------------------------------------------------ parts

    def flatten(self, part: dict, scope: dict[str, dict], depth: int, lines: list[str],
                show_label: bool = False, paragraphs: bool = False) -> None:
        """A part and its sub-parts as lines: "a. text", sub-items indented one step per depth."""
        label = _prop(part, "label") if show_label else ""
        prose = self.render(part.get("prose"), scope)
        paras = [self._clean(p) for p in re.split(r"\n\s*\n" if paragraphs else r"\n", prose)]
        paras = [p for p in paras if p]
        if label and not paras:
            paras = [""]
        for index, para in enumerate(paras):
            head = f"{label} " if label and index == 0 else ""
            if paragraphs and lines:
                lines.append("")
            lines.append((INDENT * depth + head + para).rstrip())
        child_depth = depth + 1 if paras else depth  # items under an intro sentence are indented
        children = part.get("parts")
        for child in children if isinstance(children, list) else []:
            if isinstance(child, dict):
                self.flatten(child, scope, child_depth, lines, show_label=True, paragraphs=paragraphs)

    def _parts(self, control: dict, name: str) -> list[dict]:
        return [p for p in self._list(control, "parts", None) if isinstance(p, dict) and p.get("name") == name]

    def statement(self, control: dict, scope: dict[str, dict]) -> str:
        lines: list[str] = []
        for part in self._parts(control, "statement"):
            self.flatten(part, scope, 0, lines)
        return "\n".join(lines).strip()

    def guidance(self, control: dict, scope: dict[str, dict]) -> str:
        lines: list[str] = []
        for part in self._parts(control, "guidance"):
            self.flatten(part, scope, 0, lines, paragraphs=True)
        evidence = []
        for method in self._parts(control, "assessment-method"):
            name = (_prop(method, "method") or "").strip().capitalize()
            objects = []
            for sub in self._list(method, "parts", None):
                if isinstance(sub, dict) and sub.get("name") == "assessment-objects":
                    text = self.render(sub.get("prose"), scope)
                    objects += [self._clean(t) for t in re.split(r"\n\s*\n|\n", text) if self._clean(t)]
            if name and objects:
                evidence.append(f"{name}: {'; '.join(objects)}")
        if evidence:
            if lines:
                lines.append("")
            lines.append("Evidence to look for (the catalog's assessment methods):")
            lines.extend(evidence)
        examples = [self._clean(self.render(p.get("prose"), scope)) for p in self._parts(control, "example")]
        examples = [e for e in examples if e]
        if examples:  # CSF 2.0 implementation examples: what doing it looks like
            if lines:
                lines.append("")
            lines.append("Examples:")
            lines.extend(f"- {example}" for example in examples)
        return "\n".join(lines).strip()

    # ------------------------------------------------------------------ structure

    def _list(self, node: dict, key: str, where: str | None) -> list:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            if where is not None:
                self.problems.append(f"{where}: '{key}' must be a list")
            return []
        return value

    def _unique(self, wanted: str, taken: set[str], fallback: str) -> str:
        candidate = wanted
        if candidate in taken:
            candidate = fallback
        suffix = 2
        while candidate in taken:
            candidate = f"{fallback}-{suffix}"
            suffix += 1
        taken.add(candidate)
        return candidate

    def section_id(self, node: dict, node_id: str, upper: bool) -> str:
        """A section's id: its label when that reads as an id ("AC", "GV.OC"), the id in "Title (ID)"
        labels ("GOVERN (GV)" → "GV"), else the item's id."""
        label = _prop(node, "label")
        if label and not any(c.isspace() for c in label):
            return label
        match = _LABEL_ID.search(label)
        if match and (not node_id or match.group(1).casefold() == node_id.casefold()):
            return match.group(1)
        return (node_id.upper() if upper else node_id) or f"G{len(self.section_ids) + 1}"

    def section(self, group: Any, path: str, scope: dict[str, dict]) -> dict | None:
        if not isinstance(group, dict):
            self.problems.append(f"{path}: a group must be an object")
            return None
        group_id = group.get("id") if isinstance(group.get("id"), str) else ""
        where = f"group '{group_id}' ({path})" if group_id else path
        if is_withdrawn(group):
            self.withdrawn += 1
            return None
        title = group.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problems.append(f"{where}: 'title' is required")
            title = group_id or "Untitled group"
        scope = self._scope(group, scope)
        wanted = self.section_id(group, group_id, upper=True)
        section: dict[str, Any] = {"id": self._unique(wanted, self.section_ids, f"{wanted}-{path}"),
                                   "title": self._clean(title)}
        lines: list[str] = []
        for part in self._list(group, "parts", where):
            if isinstance(part, dict):
                self.flatten(part, scope, 0, lines, paragraphs=True)
        if lines:
            section["description"] = "\n".join(lines).strip()
        questions, grouped = self.controls(group, path, scope, where)
        subsections = grouped + [s for i, g in enumerate(_ordered(self._list(group, "groups", where)))
                                 if (s := self.section(g, f"{path}.groups[{i}]", scope)) is not None]
        if questions:
            section["questions"] = questions
        if subsections:
            section["sections"] = subsections
        return section if questions or subsections else None

    def controls(self, parent: dict, path: str, scope: dict[str, dict],
                 where: str) -> tuple[list[dict], list[dict]]:
        """(questions, sections) for the controls of a group or control: assessed controls are questions,
        each followed by its assessed children; grouping controls are sections."""
        questions: list[dict] = []
        sections: list[dict] = []
        raw = self._list(parent, "controls", where)
        positions = {id(c): i for i, c in enumerate(raw)}
        for control in _ordered(raw):
            control_path = f"{path}.controls[{positions[id(control)]}]"
            if not isinstance(control, dict):
                self.problems.append(f"{control_path}: a control must be an object")
                continue
            found_questions, found_sections = self.control(control, control_path, scope)
            questions.extend(found_questions)
            sections.extend(found_sections)
        return questions, sections

    def control(self, control: dict, path: str, scope: dict[str, dict]) -> tuple[list[dict], list[dict]]:
        control_id = control.get("id") if isinstance(control.get("id"), str) else ""
        where = f"control '{control_id}' ({path})" if control_id else path
        scope = self._scope(control, scope)
        if is_withdrawn(control):
            # not asked; a live child (rare: withdrawal normally withdraws the children too) is kept
            self.withdrawn += 1
            return self.controls(control, path, scope, where)
        live = [c for c in self._list(control, "controls", None) if isinstance(c, dict) and not is_withdrawn(c)]
        if live and self.parent_is_grouping(control, live, scope):
            section = self.grouping_section(control, control_id, path, scope, where)
            return [], [section] if section is not None else []
        questions: list[dict] = []
        question = self.question(control, control_id, where, scope)
        if question:
            questions.append(question)
        if live:
            self.assessed_parents += 1
        child_questions, child_sections = self.controls(control, path, scope, where)
        return questions + child_questions, child_sections

    def grouping_section(self, control: dict, control_id: str, path: str, scope: dict[str, dict],
                         where: str) -> dict | None:
        """A control that groups others, as a section: its statement and guidance describe it."""
        self.grouping_parents += 1
        kind = str(control.get("class") or "").strip()
        if kind:
            self.grouping_classes[kind] = self.grouping_classes.get(kind, 0) + 1
        title = control.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problems.append(f"{where}: 'title' is required")
            title = control_id or "Untitled control"
        wanted = self.section_id(control, control_id, upper=False)
        section: dict[str, Any] = {"id": self._unique(wanted, self.section_ids, f"{wanted}-{path}"),
                                   "title": self._clean(self.render(title, scope))}
        description = "\n\n".join(t for t in (self.statement(control, scope), self.guidance(control, scope)) if t)
        if description:
            section["description"] = description
        questions, sections = self.controls(control, path, scope, where)
        if questions:
            section["questions"] = questions
        if sections:
            section["sections"] = sections
        return section if questions or sections else None

    def parent_is_grouping(self, control: dict, children: list[dict], scope: dict[str, dict]) -> bool:
        """Whether a control with live child controls is a grouping level rather than a requirement.

        auto, in this order: children that are enhancements of the parent (class '...enhancement', or
        labels 'AC-2(1)' under 'AC-2') → the parent is assessed; children of another class than the
        parent ('category' → 'subcategory', 'control' → 'safeguard', 'practice' → 'task') → grouping;
        a parent without a requirement statement of its own, or whose statement only repeats its
        children's → grouping; otherwise the parent is assessed too.
        """
        if self.assess == "all":
            return False
        if self.assess == "leaves":
            return True
        parent_class = str(control.get("class") or "").strip().casefold()
        child_classes = {str(c.get("class") or "").strip().casefold() for c in children}
        if any("enhancement" in k for k in child_classes):
            return False
        label = _prop(control, "label") or str(control.get("id") or "")
        if label and all(_prop(c, "label").startswith(label + "(") for c in children):
            return False
        if parent_class and child_classes - {""} and parent_class not in child_classes:
            return True
        own = _normalised(self.statement(control, scope))
        if not own or own == _normalised(str(control.get("title") or "")):
            return True
        theirs = [_normalised(self.statement(c, scope)) for c in children]
        return own in theirs or own == " ".join(theirs)

    def question(self, control: dict, control_id: str, where: str, scope: dict[str, dict]) -> dict | None:
        label = _prop(control, "label")
        if not control_id and not label:
            self.problems.append(f"{where}: a control needs an 'id'")
            return None
        title = control.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problems.append(f"{where}: 'title' is required")
            return None
        title = self._clean(self.render(title, scope))
        display = label or control_id
        if any(c.isspace() for c in display) and (match := _LABEL_ID.search(display)):
            display = match.group(1)  # "Organizational Context (GV.OC)" is titled; GV.OC is its id
        question_id = self._unique(display, self.question_ids, control_id or display)
        text = self.statement(control, scope) or title
        derived = title.casefold() in {display.casefold(), control_id.casefold()} and text != title
        if derived:
            title = one_line(text, TITLE_CHARS)  # CSF titles a subcategory with its id: its words say more
        question: dict[str, Any] = {"id": question_id, "title": title, "text": text}
        guidance = self.guidance(control, scope)
        if guidance:
            question["guidance"] = guidance
        statement_line = one_line(text, RECOMMENDATION_CHARS) if text != title else ""
        if derived:
            question["recommendation"] = f"Implement {display}: {one_line(text, RECOMMENDATION_CHARS)}"
        else:
            question["recommendation"] = (f"Implement {display} {title}: {statement_line}" if statement_line
                                          else f"Implement {display} {title}.")
        tags = _tags(control)
        if tags:
            question["tags"] = tags
        question["references"] = [display]
        return question


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".;")


def _tags(control: dict) -> list[str]:
    tags: list[str] = []
    props = control.get("props")
    for prop in props if isinstance(props, list) else []:
        if not isinstance(prop, dict):
            continue
        name, value = prop.get("name"), prop.get("value")
        if name in _STRUCTURAL_PROPS if isinstance(name, str) else True:
            continue
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            tag = f"{name}:{str(value).strip()}"
            if tag not in tags:
                tags.append(tag)
    return tags


def convert_catalog(document: dict, source: str, scale: str = "maturity-0-5",
                    questionnaire_id: str | None = None, assess: str = "auto",
                    notes: list[str] | None = None) -> dict:
    """The questionnaire dict for an OSCAL document `{"catalog": {...}}`; QuestionnaireError if unusable.

    `assess` is "auto", "leaves" or "all" (see the module docstring); what the structure rule decided is
    appended to `notes` in words, when a list is given."""
    from vciso.importers import DEFAULT_TARGETS, scale_for_import

    if assess not in ASSESS_MODES:
        raise QuestionnaireError(source, [f"unknown structure choice '{assess}' (choose one of "
                                          f"{', '.join(ASSESS_MODES)})"])
    catalog = document.get("catalog")
    if not isinstance(catalog, dict):
        raise QuestionnaireError(source, ["catalog: must be an object with metadata and groups or controls"])
    scale_data = scale_for_import(scale, source)
    problems: list[str] = []
    metadata = catalog.get("metadata")
    if not isinstance(metadata, dict):
        problems.append("catalog.metadata: missing; an OSCAL catalog needs metadata with a title")
        metadata = {}
    title = metadata.get("title") if isinstance(metadata.get("title"), str) else ""
    title = " ".join(title.split())
    if not title:
        problems.append("catalog.metadata: 'title' is required")
    version = metadata.get("version")
    version = str(version).strip() if isinstance(version, (str, int, float)) and str(version).strip() else ""
    oscal_version = str(metadata.get("oscal-version") or "").strip()

    converter = _Converter(catalog, problems, assess)
    scope = converter._scope(catalog, {})
    sections: list[dict] = []
    loose, loose_sections = converter.controls(catalog, "catalog", scope, "catalog")
    if loose:  # controls outside any group (allowed by OSCAL) get a section of their own
        sections.append({"id": converter._unique("CONTROLS", converter.section_ids, "CONTROLS-0"),
                         "title": "Controls", "questions": loose})
    sections.extend(loose_sections)
    for index, group in enumerate(_ordered(converter._list(catalog, "groups", "catalog"))):
        section = converter.section(group, f"catalog.groups[{index}]", scope)
        if section is not None:
            sections.append(section)
    count = len(converter.question_ids)
    if not count and not problems:
        withdrawn = f" ({converter.withdrawn} withdrawn)" if converter.withdrawn else ""
        problems.append(f"catalog: no controls to import{withdrawn}")
    if problems:
        raise QuestionnaireError(source, problems)

    described = f"{title} {version}".strip()
    oscal = f" (OSCAL {oscal_version})" if oscal_version else ""
    structure = _structure_words(converter, assess)
    if notes is not None:
        notes.append(f"Structure ({assess}): {structure}")
        if converter.withdrawn:
            notes.append(f"{converter.withdrawn} withdrawn item{'s' if converter.withdrawn != 1 else ''} skipped.")
    return {
        "format": FORMAT_ID,
        "id": questionnaire_id or catalog_id(metadata, title),
        "title": title,
        "version": version or "1",
        "description": (f"Imported from the OSCAL catalog '{described}': {count} questions. {structure} "
                        f"[Assignment: ...] and [Selection: ...] mark values the organisation defines."),
        "source": f"OSCAL catalog: {described}{oscal}",
        "licence": licence(metadata),
        "aggregation": "mean",
        "default_target": DEFAULT_TARGETS.get(scale, scale_data["levels"][-1]["value"]),
        "default_scale": scale_data["id"],
        "scales": [scale_data],
        "sections": sections,
    }


def _structure_words(converter: _Converter, assess: str) -> str:
    """What the structure rule did, in a sentence or two."""
    grouped, assessed = converter.grouping_parents, converter.assessed_parents
    parts = []
    if grouped:
        kinds = ", ".join(f"'{k}'" for k in converter.grouping_classes)
        of_kind = f" ({kinds})" if kinds else ""
        parts.append(f"{grouped} control{'s' if grouped != 1 else ''}{of_kind} that group others became "
                     f"section{'s' if grouped != 1 else ''}; their children are the questions.")
    if assessed:
        parts.append(f"{assessed} control{'s' if assessed != 1 else ''} with enhancements or sub-controls "
                     f"{'are' if assessed != 1 else 'is'} asked too, followed by {'their' if assessed != 1 else 'its'} "
                     f"children.")
    if not parts:
        parts.append("Each control is one question.")
    if assess != "auto":
        chosen = "every control with children is a grouping level" if assess == "leaves" else "every control is asked"
        parts.append(f"(Chosen: {chosen}.)")
    return " ".join(parts)
