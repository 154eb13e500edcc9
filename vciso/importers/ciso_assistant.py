"""CISO Assistant library (its `library` YAML, already parsed safely) -> a questionnaire dict in our format.

The framework's `requirement_nodes` form the tree (`parent_urn`, else `depth`): assessable nodes are
questions, the others sections; `ref_id` (else a short form of the urn) is the question id; `name`
and `description` are title and text; `annotation`, `typical_evidence`, `threats` and any questions
that are not scored become guidance; `reference_controls` become references; `implementation_groups`
become tags (defined by `implementation_groups_definition`). `scores_definition` (with `min_score` /
`max_score`) is the answer scale, else DEFAULT_SCALE; a node's scored `unique_choice` question
(choices with `add_score`) gives that question its own levels. The library's `copyright` and
`provenance` are the licence and source; `translations` give the app's language when present.

Nothing of CISO Assistant is bundled with the app: users import the library files they have.
"""

from __future__ import annotations

from typing import Any

from vciso.errors import QuestionnaireError
from vciso.importers.ids import readable_id, slug_id
from vciso.importers.oscal import one_line
from vciso.questionnaire import FORMAT_ID, LINE_KEY

APP_LANGUAGE = "en"          # the language of the app's own words; translations in it are preferred
DEFAULT_SCALE = "implementation-4"   # Not / Partially / Largely / Fully implemented, N/A allowed
TITLE_CHARS = 70
MAX_DEPTH = 40
IMPORTANCE = {"mandatory": 3, "recommended": 2, "nice to have": 1, "nice_to_have": 1}
_OBJECT_NAMES = {"risk_matrix": "risk matrix", "risk_matrices": "risk matrix",
                 "reference_controls": "reference control",
                 "threats": "threat", "requirement_mapping_set": "requirement mapping set",
                 "requirement_mapping_sets": "requirement mapping set", "quick_forms": "quick form",
                 "metrics": "metric definition", "metric_definitions": "metric definition"}


def is_library(data: Any) -> bool:
    """Whether loaded data looks like a CISO Assistant library (an `objects` mapping and a library urn)."""
    return (isinstance(data, dict) and isinstance(data.get("objects"), dict)
            and any(key in data for key in ("urn", "ref_id", "packager", "provider")))


def _count_words(name: str, count: int) -> str:
    if count == 1:
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
    return f"{count} {name if name.endswith('s') else name + 's'}"


def describe_objects(objects: dict) -> str:
    """What a library holds, in words: 'a risk matrix, 12 threats and 40 reference controls'."""
    parts = []
    for key, value in objects.items():
        if key == LINE_KEY:
            continue
        count = len(value) if isinstance(value, list) else int(bool(value))  # `framework:` left empty: none
        if count:
            parts.append(_count_words(_OBJECT_NAMES.get(key, key.replace("_", " ")), count))
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _where(item: Any, label: str) -> str:
    line = item.get(LINE_KEY) if isinstance(item, dict) else None
    return f"line {line}, {label}" if line else label


def _plain(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(str(value).strip()) if isinstance(value, str) and value.strip() else None
        except ValueError:
            return None
    return float(value)


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _items(value: Any) -> list:
    """A list from a YAML list, a mapping of urn -> item (CISO Assistant's `questions`), or one item."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if key == LINE_KEY:
                continue
            if isinstance(item, dict):
                out.append(dict(item, urn=item.get("urn") or key))
        return out
    return []


def _text_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.replace(",", "\n").splitlines() if v.strip()]
    if isinstance(value, list):
        return [_plain(v) for v in value if _plain(v)]
    return []


class _Texts:
    """A field in the app's language when the library translates it, else in its own locale."""

    def __init__(self, locale: str, language: str):
        self.locale = locale
        self.language = language
        self.translate = bool(language) and language.casefold() != locale.casefold()
        self.used = False

    def get(self, item: Any, key: str) -> str:
        if not isinstance(item, dict):
            return ""
        if self.translate:
            translations = item.get("translations")
            chosen = translations.get(self.language) if isinstance(translations, dict) else None
            if isinstance(chosen, dict) and _plain(chosen.get(key)):
                self.used = True
                return _plain(chosen.get(key))
        return _plain(item.get(key))


def _last_segment(urn: str) -> str:
    """A referenced object's urn as a reader names it: 'urn:intuitem:risk:threat:t-01' → 't-01'."""
    return urn.rsplit(":", 1)[-1] if urn.startswith("urn:") else urn


def _short_urn_base(urns: list[str]) -> int:
    """How many leading ':' segments all node urns share (at least one segment is always left)."""
    split = [u.split(":") for u in urns]
    if not split:
        return 0
    shortest = min(len(s) for s in split)
    common = 0
    while common < shortest - 1 and len({s[common] for s in split}) == 1:
        common += 1
    return common


class _Converter:
    def __init__(self, framework: dict, texts: _Texts, problems: list[str], default_scale: dict):
        self.framework = framework
        self.t = texts
        self.problems = problems
        self.question_ids: set[str] = set()
        self.section_ids: set[str] = set()
        self.scales: list[dict] = [default_scale]
        self.default_scale = default_scale
        self._choice_scales: dict[tuple, str] = {}
        self.empty_headings = 0
        self.own_levels = 0
        raw = framework.get("requirement_nodes")
        if not isinstance(raw, list):
            problems.append(f"{_where(framework, 'framework')}: 'requirement_nodes' must be a list of nodes")
            raw = []
        self.nodes: list[dict] = []
        self.by_urn: dict[str, dict] = {}
        for index, node in enumerate(raw):
            if not isinstance(node, dict):
                problems.append(f"requirement node #{index + 1}: must be a mapping")
                continue
            urn = _plain(node.get("urn"))
            if not urn:
                problems.append(f"{_where(node, f'requirement node #{index + 1}')}: 'urn' is required")
                continue
            if urn in self.by_urn:
                problems.append(f"{_where(node, f'node {urn}')}: urn is used twice")
                continue
            self.by_urn[urn] = node
            self.nodes.append(node)
        self.base = _short_urn_base(list(self.by_urn))
        self.children: dict[str, list[dict]] = {}
        self.top: list[dict] = []
        last_at_depth: dict[int, dict] = {}
        for node in self.nodes:
            urn = _plain(node["urn"])
            parent = _plain(node.get("parent_urn"))
            depth = _number(node.get("depth"))
            if parent and parent in self.by_urn and parent != urn:
                self.children.setdefault(parent, []).append(node)
            elif parent:
                problems.append(f"{_where(node, f'node {self.short(urn)}')}: parent_urn '{parent}' is not a node "
                                f"of this framework")
            elif depth is not None and depth > 1 and int(depth) - 1 in last_at_depth:
                self.children.setdefault(_plain(last_at_depth[int(depth) - 1]["urn"]), []).append(node)
            else:
                self.top.append(node)
            if depth is not None:
                last_at_depth[int(depth)] = node

    # ------------------------------------------------------------------ small helpers

    def short(self, urn: str) -> str:
        """A node's urn without the part every node shares: 'urn:...:req_node:fw:gov:node3' → 'gov.node3'."""
        return ".".join(urn.split(":")[self.base:]) or urn

    def node_id(self, node: dict, taken: set[str]) -> str:
        ref_id = _plain(node.get("ref_id"))
        short = self.short(_plain(node["urn"]))
        candidate = ref_id if ref_id and ref_id not in taken else short
        suffix = 2
        base = candidate
        while candidate in taken:
            candidate = f"{base}-{suffix}"
            suffix += 1
        taken.add(candidate)
        return candidate

    @staticmethod
    def assessable(node: dict) -> bool:
        value = node.get("assessable")
        return value is True or (isinstance(value, str) and value.strip().casefold() in {"true", "yes", "x"})

    def title_of(self, node: dict) -> str:
        name = self.t.get(node, "name")
        if name:
            return name
        description = self.t.get(node, "description")
        return one_line(description, TITLE_CHARS) if description else ""

    # ------------------------------------------------------------------ the tree

    def walk(self) -> list[dict]:
        sections: list[dict] = []
        loose: list[dict] = []
        loose_at: int | None = None
        for node in self.top:
            if self.assessable(node):
                if loose_at is None:
                    loose_at = len(sections)
                loose.extend(self.questions_for(node))
                more_questions, more_sections = self.below(node, 1)
                loose.extend(more_questions)
                sections.extend(more_sections)
            else:
                section = self.section(node, 1)
                if section is not None:
                    sections.append(section)
        if loose:
            name = self.t.get(self.framework, "name") or "Requirements"
            wanted = "REQUIREMENTS"
            sections.insert(loose_at or 0, {"id": self._unique_section(wanted), "title": name, "questions": loose})
        reached = self._reached()
        if reached < len(self.nodes) and not self.problems:
            self.problems.append(f"{len(self.nodes) - reached} requirement node(s) cannot be reached from the top "
                                 f"of the framework (their parent_urn values form a loop)")
        return sections

    def _reached(self) -> int:
        seen, stack = 0, list(self.top)
        while stack:
            node = stack.pop()
            seen += 1
            stack.extend(self.children.get(_plain(node["urn"]), []))
        return seen

    def _unique_section(self, wanted: str) -> str:
        candidate, suffix = wanted, 2
        while candidate in self.section_ids:
            candidate = f"{wanted}-{suffix}"
            suffix += 1
        self.section_ids.add(candidate)
        return candidate

    def below(self, node: dict, depth: int) -> tuple[list[dict], list[dict]]:
        """(questions, sections) for the children of a node; an assessable child's children follow it."""
        if depth > MAX_DEPTH:
            label = f"node {self.short(_plain(node.get('urn')))}"
            self.problems.append(f"{_where(node, label)}: requirement nodes "
                                 f"are nested more than {MAX_DEPTH} levels deep")
            return [], []
        questions: list[dict] = []
        sections: list[dict] = []
        for child in self.children.get(_plain(node["urn"]), []):
            if self.assessable(child):
                questions.extend(self.questions_for(child))
                more_questions, more_sections = self.below(child, depth + 1)
                questions.extend(more_questions)
                sections.extend(more_sections)
            else:
                section = self.section(child, depth + 1)
                if section is not None:
                    sections.append(section)
        return questions, sections

    def section(self, node: dict, depth: int) -> dict | None:
        questions, sections = self.below(node, depth)
        if not questions and not sections:
            self.empty_headings += 1
            return None
        ref_id = _plain(node.get("ref_id"))
        name = self.t.get(node, "name")
        title = name or self.title_of(node) or ref_id or self.short(_plain(node["urn"]))
        if ref_id and name and not name.startswith(ref_id):
            title = f"{ref_id} {name}"
        section: dict[str, Any] = {"id": self._unique_section(ref_id or self.short(_plain(node["urn"]))),
                                   "title": title}
        description = "\n\n".join(t for t in (self.t.get(node, "description"), self.t.get(node, "annotation")) if t)
        if description and description != title:
            section["description"] = description
        if questions:
            section["questions"] = questions
        if sections:
            section["sections"] = sections
        return section

    # ------------------------------------------------------------------ questions

    def questions_for(self, node: dict) -> list[dict]:
        """One question for an assessable node (one per scored question when it carries several)."""
        urn = _plain(node["urn"])
        where = _where(node, f"node {_plain(node.get('ref_id')) or self.short(urn)}")
        ref_id = _plain(node.get("ref_id"))
        name = self.t.get(node, "name")
        description = self.t.get(node, "description")
        title = name or (one_line(description, TITLE_CHARS) if description else "") or ref_id
        text = description or name or ref_id
        if not text:
            self.problems.append(f"{where}: an assessable node needs a name, a description or a ref_id")
            return []
        scored, asked = self.node_questions(node)
        guidance = self.guidance(node, asked)
        common: dict[str, Any] = {}
        if guidance:
            common["guidance"] = guidance
        weight = _number(node.get("weight"))
        if weight is not None and weight >= 0 and weight != 1:
            common["weight"] = _plain_number(weight)
        importance = _plain(node.get("importance")).casefold()
        if importance in IMPORTANCE:
            common["criticality"] = IMPORTANCE[importance]
        tags = _text_list(node.get("implementation_groups"))
        if tags:
            common["tags"] = list(dict.fromkeys(tags))
        controls = [_last_segment(r) for r in _text_list(node.get("reference_controls"))]
        references = ([ref_id] if ref_id else []) + controls
        if references:
            common["references"] = list(dict.fromkeys(references))
        display = ref_id or self.short(urn)
        if len(scored) <= 1:
            question: dict[str, Any] = {"id": self.node_id(node, self.question_ids), "title": title}
            if scored:
                question_text, scale_id = scored[0]
                question["text"] = f"{text}\n\n{question_text}" if question_text and question_text != text else text
                question["scale"] = scale_id
                question["target"] = self.top_of(scale_id)  # the best choice is the goal, whatever the 0-5 target
            else:
                question["text"] = text
            question.update(common)
            question["recommendation"] = f"Meet {display}: {one_line(text, 200)}"
            return [question]
        base = self.node_id(node, self.question_ids)
        out = []
        for number, (question_text, scale_id) in enumerate(scored, start=1):
            qid = f"{base}-q{number}"
            while qid in self.question_ids:
                qid += "x"
            self.question_ids.add(qid)
            question = {"id": qid, "title": one_line(question_text, TITLE_CHARS) or f"{title} ({number})",
                        "text": question_text or text, "scale": scale_id, "target": self.top_of(scale_id)}
            question.update(common)
            requirement = f"{title}: {description}" if description and title != description else text
            question["guidance"] = "\n\n".join(t for t in (f"Requirement {display}: {requirement}",
                                                           common.get("guidance", "")) if t)
            question["recommendation"] = f"Meet {display}: {one_line(text, 200)}"
            out.append(question)
        return out

    def node_questions(self, node: dict) -> tuple[list[tuple[str, str]], list[str]]:
        """(scored questions as (text, scale id), other questions as lines of guidance)."""
        scored: list[tuple[str, str]] = []
        asked: list[str] = []
        for question in _items(node.get("questions")):
            text = self.t.get(question, "text")
            kind = _plain(question.get("type")).casefold()
            choices = [c for c in question.get("choices") or [] if isinstance(c, dict)] \
                if isinstance(question.get("choices"), list) else []
            scores = [_number(c.get("add_score")) for c in choices]
            if kind == "unique_choice" and len(choices) >= 2 and all(s is not None for s in scores):
                scale_id = self.choice_scale(choices)
                if scale_id:
                    scored.append((text, scale_id))
                    continue
            labels = [self.t.get(c, "value") for c in choices]
            shown = f" ({' / '.join(label for label in labels if label)})" if any(labels) else ""
            if text:
                asked.append(f"{text}{shown}")
        return scored, asked

    def top_of(self, scale_id: str) -> int | float:
        return next(s["levels"][-1]["value"] for s in self.scales if s["id"] == scale_id)

    def choice_scale(self, choices: list[dict]) -> str:
        """The id of a scale made of a question's choices (equal scores share a level); '' if fewer
        than two distinct scores. Identical choice sets share one scale."""
        by_score: dict[float, list[tuple[str, str]]] = {}
        for choice in choices:
            score = _number(choice.get("add_score"))
            label = self.t.get(choice, "value") or f"{_plain_number(score)}"  # type: ignore[arg-type]
            by_score.setdefault(score, []).append((label, self.t.get(choice, "description")))  # type: ignore[arg-type]
        if len(by_score) < 2:
            return ""
        levels = []
        used: set[str] = set()
        for score in sorted(by_score):
            label = " / ".join(dict.fromkeys(label for label, _ in by_score[score]))
            if label.casefold() in used:
                label = f"{label} ({_plain_number(score)})"
            used.add(label.casefold())
            description = " ".join(d for _, d in by_score[score] if d)
            levels.append({"value": _plain_number(score), "label": label, "description": description})
        key = tuple((lv["value"], lv["label"], lv["description"]) for lv in levels)
        if key not in self._choice_scales:
            scale_id = f"choices-{len(self._choice_scales) + 1}"
            self._choice_scales[key] = scale_id
            self.scales.append({"id": scale_id, "name": one_line(" / ".join(lv["label"] for lv in levels), 60),
                                "na_allowed": True, "levels": levels})
        self.own_levels += 1
        return self._choice_scales[key]

    def guidance(self, node: dict, asked: list[str]) -> str:
        parts = []
        annotation = self.t.get(node, "annotation")
        if annotation:
            parts.append(annotation)
        evidence = self.t.get(node, "typical_evidence")
        if evidence:
            parts.append(f"Typical evidence: {evidence}")
        threats = [_last_segment(t) for t in _text_list(node.get("threats"))]
        if threats:
            parts.append(f"Threats addressed: {', '.join(threats)}")
        controls = [_last_segment(c) for c in _text_list(node.get("reference_controls"))]
        if controls:
            parts.append(f"Reference controls: {', '.join(controls)}")
        if asked:
            parts.append("Questions to ask:\n" + "\n".join(f"- {q}" for q in asked))
        return "\n\n".join(parts)


def _framework_scale(framework: dict, texts: _Texts, fallback: dict, notes: list[str]) -> tuple[dict, float]:
    """The answer scale and default target of a framework: its `scores_definition` (within
    `min_score`..`max_score`), a small numeric range, else the fallback scale."""
    from vciso.importers import DEFAULT_TARGETS

    definition = framework.get("scores_definition")
    if isinstance(definition, dict):
        definition = definition.get("scale")
    low, high = _number(framework.get("min_score")), _number(framework.get("max_score"))
    levels: list[dict] = []
    used: set[str] = set()
    for entry in sorted((e for e in definition or [] if isinstance(e, dict) and _number(e.get("score")) is not None),
                        key=lambda e: _number(e.get("score"))) if isinstance(definition, list) else []:
        score = _number(entry.get("score"))
        if (low is not None and score < low) or (high is not None and score > high):  # type: ignore[operator]
            continue
        if levels and levels[-1]["value"] == _plain_number(score):  # type: ignore[arg-type]
            continue
        label = texts.get(entry, "name") or f"{_plain_number(score)}"  # type: ignore[arg-type]
        if label.casefold() in used:
            label = f"{label} ({_plain_number(score)})"  # type: ignore[arg-type]
        used.add(label.casefold())
        levels.append({"value": _plain_number(score), "label": label,  # type: ignore[arg-type]
                       "description": texts.get(entry, "description")})
    source = "its scores definition"
    if len(levels) < 2 and low is not None and high is not None and 1 <= high - low <= 10 \
            and float(low).is_integer() and float(high).is_integer():
        levels = [{"value": v, "label": str(v), "description": ""} for v in range(int(low), int(high) + 1)]
        source = f"its score range {int(low)}-{int(high)} (no labels in the file)"
    if len(levels) < 2:
        notes.append(f"Answer scale: the framework defines no scores, so the default '{fallback['name']}' "
                     f"scale is used.")
        return fallback, DEFAULT_TARGETS.get(fallback["id"], fallback["levels"][-1]["value"])
    ref = slug_id(_plain(framework.get("ref_id")) or "framework", 30) or "framework"
    name = texts.get(framework, "name") or "Framework"
    scale = {"id": f"{ref}-scores", "name": f"{name} scores", "na_allowed": True, "levels": levels}
    values = [lv["value"] for lv in levels]
    if len(values) <= 4:
        target = values[-1]
    else:
        wanted = values[0] + 0.6 * (values[-1] - values[0])
        target = min(values, key=lambda v: (abs(v - wanted), -v))
    notes.append(f"Answer scale: the framework's own ({source}), {_plain_number(values[0])} to "
                 f"{_plain_number(values[-1])}, {len(values)} levels; default target {_plain_number(target)}.")
    return scale, target


def convert_library(data: dict, source: str, scale: str | None = None, questionnaire_id: str | None = None,
                    language: str | None = None, notes: list[str] | None = None) -> dict:
    """The questionnaire dict for a CISO Assistant library; QuestionnaireError (located) if unusable.

    `scale` (a built-in scale key) is used when the framework defines no scores (default DEFAULT_SCALE);
    `language` is the language to prefer when the library translates its text (default APP_LANGUAGE)."""
    from vciso.importers import scale_for_import

    notes = notes if notes is not None else []
    objects = data.get("objects") if isinstance(data.get("objects"), dict) else {}
    frameworks = objects.get("framework", objects.get("frameworks"))
    if isinstance(frameworks, list):
        listed = [f for f in frameworks if isinstance(f, dict)]
        if len(listed) > 1:
            notes.append(f"The library holds {len(listed)} frameworks; the first is imported.")
        frameworks = listed[0] if listed else None
    if not isinstance(frameworks, dict):
        raise QuestionnaireError(source, [f"this CISO Assistant library has no framework to assess: it holds "
                                          f"{describe_objects(objects)}. Only a library with a framework can "
                                          f"become a questionnaire."])
    framework = frameworks
    locale = _plain(data.get("locale")) or "en"
    texts = _Texts(locale, language or APP_LANGUAGE)
    problems: list[str] = []
    fallback = scale_for_import(scale or DEFAULT_SCALE, source)
    scale_data, target = _framework_scale(framework, texts, fallback, notes)
    converter = _Converter(framework, texts, problems, scale_data)
    sections = converter.walk()
    if not converter.question_ids and not problems:
        problems.append(f"{_where(framework, 'framework')}: no requirement node is assessable "
                        f"({len(converter.nodes)} nodes, none with 'assessable: true')")
    if problems:
        raise QuestionnaireError(source, problems)

    library_name = texts.get(data, "name")
    title = texts.get(framework, "name") or library_name or "CISO Assistant framework"
    version = _plain(data.get("version")) or "1"
    urn = _plain(data.get("urn"))
    groups = [g for g in framework.get("implementation_groups_definition") or []
              if isinstance(g, dict) and _plain(g.get("ref_id"))] \
        if isinstance(framework.get("implementation_groups_definition"), list) else []
    description = texts.get(framework, "description") or texts.get(data, "description")
    if groups:
        named = "; ".join(f"{_plain(g['ref_id'])} = {texts.get(g, 'name') or _plain(g['ref_id'])}" for g in groups)
        description = f"{description}\n\nImplementation groups (filter by tag): {named}.".strip()
    provider = ", packaged by ".join(p for p in (_plain(data.get("provider")), _plain(data.get("packager"))) if p)
    origin = f"CISO Assistant library {urn or library_name} version {version}"
    provenance = texts.get(data, "provenance")
    out: dict[str, Any] = {
        "format": FORMAT_ID,
        "id": questionnaire_id or readable_id(_plain(data.get("ref_id")), _plain(framework.get("ref_id")),
                                              title) or "ciso-assistant-framework",
        "title": title,
        "version": version,
        "description": description or f"Imported from the {origin}.",
        "source": f"{provenance} ({origin})" if provenance else
                  f"{origin}{f', provided by {provider}' if provider else ''}",
        "licence": texts.get(data, "copyright") or "as published by the library's owner (the file states no copyright)",
        "aggregation": "mean",
        "default_target": target,
        "default_scale": scale_data["id"],
        "scales": converter.scales,
        "sections": sections,
    }
    if groups:
        out["tags"] = [{"id": _plain(g["ref_id"]), "name": texts.get(g, "name"),
                        "description": texts.get(g, "description")} for g in groups]
    if converter.own_levels:
        notes.append(f"{converter.own_levels} question(s) answered with the choices of their own question "
                     f"({len(converter.scales) - 1} distinct choice scale(s)).")
    if converter.empty_headings:
        notes.append(f"{converter.empty_headings} heading(s) with no assessable requirement below were left out.")
    if texts.translate:
        notes.append(f"Text in '{texts.language}' from the library's translations." if texts.used else
                     f"Text in the library's own language '{locale}' (no '{texts.language}' translation).")
    return out
