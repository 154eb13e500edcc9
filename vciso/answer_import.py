"""Importing answers (JSON here; the Excel questionnaire reader produces the same rows).

`read_answer_file` reads either kind, deciding by the file's content (never its extension). Import is
then two steps: `plan_import` validates every row and previews what would change (new, changed,
unchanged), writing nothing; `apply_import` writes the planned answers in one transaction, recording the
file they came from in the history.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vciso.clientfile import ClientFile
from vciso.errors import ImportProblem
from vciso.numbers import plural
from vciso.questionnaire import Questionnaire, format_value
from vciso.provenance import checked_evidence_date, checked_method
from vciso.responses import Response

MAX_ANSWER_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImportRow:
    """One answer as read from a file, before validation; `where` locates it for messages."""

    where: str
    question_id: str
    level: Any = None
    target: Any = None
    note: str | None = None
    na_reason: str | None = None
    flagged: bool | None = None
    evidence: str | None = None
    problems: tuple[str, ...] = ()
    established: str | None = None     # how the answer was established (vciso.provenance.METHODS)
    evidence_date: str | None = None   # what is wrong with the row as read (e.g. a value of the wrong type)


class AnswerRows(list[ImportRow]):
    """The rows read from an answers file (a list of ImportRow), with who filled the file in and when,
    when the file says: `filled_in` is e.g. "filled in by Dana Levi on 2025-03-14", or ""."""

    def __init__(self, rows: Any = (), filled_in: str = ""):
        super().__init__(rows)
        self.filled_in = filled_in


@dataclass
class ImportPlan:
    source: str
    new: list[Response] = field(default_factory=list)
    changed: list[tuple[Response, Response]] = field(default_factory=list)
    unchanged: list[Response] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)   # where each row with a problem is (row 12, answer #3)
    filled_in: str = ""   # who filled the file in and when, as the file says ("" when it does not)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_write(self) -> list[Response]:
        return self.new + [after for _, after in self.changed]

    def summary(self) -> str:
        return (f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
                f"{plural(len(self.problems), 'problem')}" + (f" — {self.filled_in}" if self.filled_in else ""))


# What an import can change in an answer, in the words the previews use.
_FIELDS = (("current", "level"), ("target", "target"), ("note", "notes"), ("na_reason", "N/A reason"),
           ("flagged", "flag"), ("evidence", "evidence"), ("established", "how established"),
           ("evidence_date", "evidence date"))


def changed_fields(before: Response, after: Response) -> list[str]:
    """The fields that differ between two versions of an answer, e.g. ["level", "evidence"]."""
    return [name for attribute, name in _FIELDS if getattr(before, attribute) != getattr(after, attribute)]


def _level(value: Any, questionnaire: Questionnaire, question_id: str, what: str) -> float | None:
    """A level given as a value (3, "3") or a label ("Defined"); raises ValueError with a message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    question = questionnaire.question(question_id)
    assert question is not None
    scale = questionnaire.scale_for(question)
    if isinstance(value, str):
        text = value.strip()
        level = scale.level_by_label(text)
        if level is None:
            # "3 – Defined" as written by our own questionnaire workbook
            head = text.split("–")[0].split(" - ")[0].strip()
            try:
                level = scale.level(float(head))
            except ValueError:
                level = None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        level = scale.level(float(value))
    else:
        level = None
    if level is None:
        choices = ", ".join(f"{format_value(lvl.value)} ({lvl.label})" for lvl in scale.levels)
        raise ValueError(f"{what} {value!r} is not on the scale; use one of {choices}")
    return level.value


def plan_import(client: ClientFile, assessment_id: int, rows: list[ImportRow], source: str) -> ImportPlan:
    """Validate every row against the assessment's questionnaire and preview the changes (with who filled
    the file in, when `rows` are `AnswerRows` that say)."""
    questionnaire = client.questionnaire(assessment_id)
    existing = client.responses(assessment_id)
    plan = ImportPlan(source, filled_in=getattr(rows, "filled_in", ""))
    seen: dict[str, str] = {}
    for row in rows:
        qid = (row.question_id or "").strip()
        if row.problems:
            plan.problems += [f"{row.where}{f' ({qid})' if qid else ''}: {problem}" for problem in row.problems]
            plan.rejected.append(row.where)
            continue
        if not qid:
            plan.problems.append(f"{row.where}: no question id")
            plan.rejected.append(row.where)
            continue
        question = questionnaire.question(qid)
        if question is None:
            plan.problems.append(f"{row.where}: unknown question id '{qid}' for {questionnaire.title}")
            plan.rejected.append(row.where)
            continue
        if qid in seen:
            plan.problems.append(f"{row.where}: question '{qid}' was already answered at {seen[qid]}")
            plan.rejected.append(row.where)
            continue
        seen[qid] = row.where
        level = row.level
        na_level = isinstance(level, str) and level.strip().upper() in ("N/A", "NA")
        try:
            current = None if na_level else _level(level, questionnaire, qid, "level")
            target = _level(row.target, questionnaire, qid, "target")
        except ValueError as exc:
            plan.problems.append(f"{row.where}: {qid}: {exc}")
            plan.rejected.append(row.where)
            continue
        na_reason = (row.na_reason or "").strip()
        if na_level and not na_reason:
            plan.problems.append(f"{row.where}: {qid}: N/A needs a reason")
            plan.rejected.append(row.where)
            continue
        if na_reason and current is not None:
            plan.problems.append(f"{row.where}: {qid}: give either a level or an N/A reason, not both")
            plan.rejected.append(row.where)
            continue
        if na_reason and not questionnaire.scale_for(question).na_allowed:
            plan.problems.append(f"{row.where}: {qid}: this questionnaire does not allow N/A")
            plan.rejected.append(row.where)
            continue
        try:
            established = None if row.established is None else checked_method(row.established)
            evidence_date = None if row.evidence_date is None else checked_evidence_date(row.evidence_date)
        except ValueError as exc:
            plan.problems.append(f"{row.where}: {qid}: {exc}")
            plan.rejected.append(row.where)
            continue
        old = existing.get(qid)
        base = old or Response(qid)
        # An empty cell means "not given in this file": the stored value is kept, never wiped.
        if not na_reason and current is None:
            na_reason = base.na_reason
        new = Response(
            qid, current=None if na_reason else (current if current is not None else base.current),
            target=target if target is not None else base.target,
            note=row.note if row.note is not None else base.note,
            na_reason=na_reason,
            flagged=row.flagged if row.flagged is not None else base.flagged,
            evidence=row.evidence if row.evidence is not None else base.evidence,
            established=established if established is not None else base.established,
            evidence_date=evidence_date if evidence_date is not None else base.evidence_date,
        )
        if old is None and new.current is None and not new.is_na and new.target is None and new.note == "" \
                and new.evidence == "" and not new.flagged and not new.established and not new.evidence_date:
            continue  # an empty row: nothing to import
        if old is None:
            plan.new.append(new)
        elif not changed_fields(old, new):
            plan.unchanged.append(new)
        else:
            plan.changed.append((old, new))
    return plan


def apply_import(client: ClientFile, assessment_id: int, plan: ImportPlan, skip_problems: bool = False) -> int:
    """Write a validated plan in one transaction; returns how many answers were written.

    A plan with problems is refused, unless the consultant chose to import the valid rows and skip the
    rows with problems (`skip_problems`); the history then says how many were skipped.
    """
    if not plan.ok and not skip_problems:
        raise ImportProblem(f"{plan.source}: {plural(len(plan.problems), 'problem')}; nothing was imported",
                            plan.problems)
    source = f"import: {plan.source}"
    if plan.filled_in:
        source += f" ({plan.filled_in})"
    if not plan.ok:
        source += f" ({plural(len(plan.rejected), 'row')} with problems skipped)"
    return client.save_answers(assessment_id, plan.to_write, source=source)


def read_answer_file(path: Path, questionnaire: Questionnaire) -> list[ImportRow]:
    """The answers in a filled-in questionnaire workbook (.xlsx) or a JSON answers file, for `plan_import`.

    The kind is decided by content, so a misnamed file is read right. Raises ImportProblem, naming the
    file, when it is missing, too large, neither kind, or for another questionnaire.
    """
    from vciso.importers import detect_kind

    path = Path(path)
    if not path.is_file():
        raise ImportProblem(f"{path}: no such file")
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ImportProblem(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not head.strip():
        raise ImportProblem(f"{name}: the file is empty")
    kind = detect_kind(head)
    if kind == "xlsx":
        from vciso.questionnaire_xlsx import read_questionnaire_workbook

        return read_questionnaire_workbook(path, questionnaire)
    if kind != "json":
        raise ImportProblem(f"{name}: not an Excel workbook (.xlsx); the file is damaged, truncated or of "
                            f"another kind")
    questionnaire_id, rows = _json_answers(read_answer_bytes(path), name)
    if questionnaire_id and questionnaire_id != questionnaire.id:
        raise ImportProblem(f"{name}: the answers are for questionnaire '{questionnaire_id}', but this "
                            f"assessment uses '{questionnaire.id}'")
    return rows


def read_answer_bytes(path: Path, limit: int = MAX_ANSWER_FILE_BYTES) -> bytes:
    """The bytes of an answers file, or ImportProblem when it cannot be read or is over the limit."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > limit:
            raise ImportProblem(f"{name}: the file is {size / 1024 / 1024:.0f} MB; the limit for answer files "
                                f"is {limit // 1024 // 1024} MB")
        return path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"{name}: cannot be read ({exc.strerror or exc})") from None


def read_json_answers(path: Path) -> tuple[str | None, list[ImportRow]]:
    """Read a JSON answers file: {"questionnaire_id": ..., "answers": [...]} or a bare list of answers."""
    if path.stat().st_size > MAX_ANSWER_FILE_BYTES:
        raise ImportProblem(f"{path}: larger than the 20 MB limit for answer files")
    return _json_answers(path.read_bytes(), str(path))


def _json_answers(raw: bytes, label: str) -> tuple[str | None, list[ImportRow]]:
    """The questionnaire id (if given) and the rows of a JSON answers file; messages start with label."""
    try:
        # decoded as Path.read_text does (universal newlines), so error positions stay the same
        data = json.loads(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig").read())
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"{label}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    except UnicodeDecodeError:
        raise ImportProblem(f"{label}: not UTF-8 text") from None
    questionnaire_id = None
    if isinstance(data, dict):
        questionnaire_id = data.get("questionnaire_id")
        data = data.get("answers")
    if not isinstance(data, list):
        raise ImportProblem(f"{label}: expected a list of answers, or an object with an 'answers' list")
    if questionnaire_id is not None and not isinstance(questionnaire_id, str):
        raise ImportProblem(f"{label}: questionnaire_id must be text")
    return questionnaire_id, [_json_row(f"answer #{index}", item) for index, item in enumerate(data, start=1)]


# The fields of a JSON answer and the JSON types each accepts (None is always allowed: "keep what is stored").
_JSON_FIELDS: dict[str, tuple[tuple[type, ...], str]] = {
    "question_id": ((str,), "text"), "id": ((str,), "text"),
    "level": ((str, int, float), "a level value or label"), "current": ((str, int, float), "a level value or label"),
    "target": ((str, int, float), "a level value or label"),
    "note": ((str,), "text"), "na_reason": ((str,), "text"), "evidence": ((str,), "text"),
    "flagged": ((bool,), "true or false"),
    "established": ((str,), "interview, document, observed or tested"), "evidence_date": ((str,), "a date"),
}


def _json_row(where: str, item: Any) -> ImportRow:
    """One JSON answer as a row; a value of the wrong type (or an unknown field) becomes a located problem
    rather than being coerced ("no" is not a flag, an object is not a note)."""
    if not isinstance(item, dict):
        return ImportRow(where, "", problems=("each answer must be an object with a question_id",))
    problems = []
    for key, value in item.items():
        if key not in _JSON_FIELDS:
            problems.append(f"unknown field '{key}' (use {', '.join(k for k in _JSON_FIELDS if k != 'id')})")
            continue
        types, wanted = _JSON_FIELDS[key]
        # bool is an int in Python, but true is not a level and 1 is not a flag
        if value is not None and (not isinstance(value, types) or (isinstance(value, bool) and bool not in types)):
            problems.append(f"{key} must be {wanted}, not {json.dumps(value)[:40]}")
    qid = item.get("question_id", item.get("id"))
    return ImportRow(
        where, qid if isinstance(qid, str) else "", item.get("level", item.get("current")), item.get("target"),
        item.get("note"), item.get("na_reason"), item.get("flagged"), item.get("evidence"), tuple(problems),
        item.get("established"), item.get("evidence_date"))
