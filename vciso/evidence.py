"""Evidence files attached to answers, stored inside the client file.

Inside the file, evidence moves with the client (copy the file, and its evidence comes along) and is
encrypted with it. Each distinct content is stored once, keyed by its SHA-256, in 1 MiB chunks (a 25 MB
file never has to sit in memory whole); an answer links to it by name, media type, size, when and by
whom. Attaching follows the house's plan-then-apply shape: `plan_attach` reads and checks every file
(exists, within the per-file limit, not attached already) before anything is written, and
`attach_planned` writes them all in one transaction, checking each SHA-256 again as it stores the bytes
(a file changed in between is refused). Attaching and removing are recorded in an append-only history.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import mimetypes
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Generator, Iterable, Iterator

from vciso.atomic import atomic_path, write_error
from vciso.changes import Changes
from vciso.client_records import now_iso
from vciso.clientfile import ClientFile
from vciso.errors import EvidenceError, InvalidAnswer

CHUNK_BYTES = 1024 * 1024
DEFAULT_MAX_MB = 25
MANIFEST_NAME = "manifest.json"
_EVIDENCE_COLUMNS = "id, assessment_id, question_id, name, media_type, size, sha256, added_at, added_by"

Progress = Generator[tuple[int, int, str], None, "object"]


@dataclass(frozen=True)
class EvidenceFile:
    """One file attached to one answer."""

    id: int
    assessment_id: int
    question_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    added_at: str
    added_by: str


@dataclass(frozen=True)
class EvidenceEvent:
    """A line of the evidence history: a file attached or removed, by whom and when."""

    question_id: str
    event: str        # "attached" or "removed"
    name: str
    sha256: str
    size: int
    actor: str
    at: str


@dataclass(frozen=True)
class PlannedFile:
    """A file about to be attached: where it is read from, under which name, its size and SHA-256."""

    source: Path
    name: str
    size: int
    sha256: str
    media_type: str
    already_attached: bool = False   # the same content is attached to this answer: nothing to do


@dataclass(frozen=True)
class AttachPlan:
    """What attaching some files to one answer would do; `problems` stop it (nothing is written)."""

    assessment_id: int
    question_id: str
    files: tuple[PlannedFile, ...]
    problems: tuple[str, ...] = ()


def max_bytes(limit_mb: float | None) -> int:
    """The per-file limit in bytes for a limit in MB (the default when unset or nonsense)."""
    if not isinstance(limit_mb, (int, float)) or isinstance(limit_mb, bool) or limit_mb <= 0:
        limit_mb = DEFAULT_MAX_MB
    return int(limit_mb * 1024 * 1024)  # binary MB: a file any system shows as "25 MB" is within 25 MB


def size_text(size: float) -> str:
    """"18 bytes", "40 KB", "10.0 MB"."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB" if size >= 1024 \
        else f"{int(size)} bytes"


MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; room is left for "-2" when a name is taken


def clean_name(name: str) -> str:
    """A file's own name as kept and exported: no folder, no control characters, never empty, and at most
    MAX_NAME_BYTES in UTF-8 (a long Hebrew or Cyrillic name is shortened before its extension)."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".") or "evidence"
    if len(base.encode("utf-8")) <= MAX_NAME_BYTES:
        return base
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix}" if dot and stem and len(suffix.encode("utf-8")) <= 20 else ""
    stem = base[:len(base) - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip() + suffix


def _hash_file(path: Path, limit: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            size += len(chunk)
            if size > limit:
                break
            digest.update(chunk)
    return size, digest.hexdigest()


def _check_question(client: ClientFile, assessment_id: int, question_id: str) -> None:
    client.check_editable(assessment_id)
    questionnaire = client.questionnaire(assessment_id)
    if questionnaire.question(question_id) is None:
        raise InvalidAnswer(f"question '{question_id}' is not in {questionnaire.title}")


def plan_attach(client: ClientFile, assessment_id: int, question_id: str, sources: Iterable[Path],
                limit: int = max_bytes(DEFAULT_MAX_MB)) -> AttachPlan:
    """Read and check the files to attach to one answer; nothing is written.

    A missing or unreadable file, a folder, or a file over `limit` bytes is a problem (named, with its
    size and the limit). A file whose content is already attached to this answer is planned as such.
    """
    _check_question(client, assessment_id, question_id)
    attached = {e.sha256 for e in list_evidence(client, assessment_id, question_id)}
    files: list[PlannedFile] = []
    problems: list[str] = []
    seen: set[str] = set()
    for source in (Path(s).expanduser() for s in sources):
        try:
            if not source.is_file():
                problems.append(f"{source.name}: {'a folder' if source.is_dir() else 'no such file'} "
                                f"({source}); only files can be attached")
                continue
            stated = source.stat().st_size
            if stated > limit:
                problems.append(f"{source.name} is {size_text(stated)}, over the {size_text(limit)} limit for "
                                "one evidence file (Settings); nothing was attached")
                continue
            size, sha = _hash_file(source, limit)
        except OSError as exc:
            problems.append(f"{source.name}: cannot be read ({exc.strerror or exc})")
            continue
        if size > limit:
            problems.append(f"{source.name} grew over the {size_text(limit)} limit while it was read")
            continue
        name = clean_name(source.name)
        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        files.append(PlannedFile(source, name, size, sha, media, sha in attached or sha in seen))
        seen.add(sha)
    return AttachPlan(assessment_id, question_id, tuple(files), tuple(problems))


def attach_planned(client: ClientFile, plan: AttachPlan, actor: str = "") -> list[EvidenceFile]:
    """Store a plan's files in one transaction and link them to the answer; returns the new links.

    Content already in the file (attached elsewhere) is not stored again. A plan with problems, or a file
    whose bytes changed since it was planned, is refused with nothing written.
    """
    if plan.problems:
        raise EvidenceError(plan.problems[0] + (f" (and {len(plan.problems) - 1} more problems)"
                                                if len(plan.problems) > 1 else ""))
    _check_question(client, plan.assessment_id, plan.question_id)
    new_ids: list[int] = []
    stamp = now_iso()
    with client.transaction() as conn:
        for item in plan.files:
            if item.already_attached:
                continue
            stored = conn.execute("SELECT size FROM evidence_blobs WHERE sha256 = ?", (item.sha256,)).fetchone()
            if stored is None:
                _store_blob(conn, item, stamp)
            cursor = conn.execute(
                "INSERT INTO evidence (assessment_id, question_id, sha256, name, media_type, size, added_at, added_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (plan.assessment_id, plan.question_id, item.sha256, item.name, item.media_type, item.size, stamp,
                 actor))
            new_ids.append(int(cursor.lastrowid or 0))
            _record(conn, plan.assessment_id, plan.question_id, "attached", item.name, item.sha256, item.size,
                    actor, stamp)
        if new_ids:
            client.record(Changes(evidence=True, assessment_ids=frozenset({plan.assessment_id})))
    return [evidence_file(client, evidence_id) for evidence_id in new_ids]


def _store_blob(conn: object, item: PlannedFile, stamp: str) -> None:
    """Write one file's bytes in chunks, checking they still hash to what was planned."""
    digest = hashlib.sha256()
    size = 0
    seq = 0
    conn.execute("INSERT INTO evidence_blobs (sha256, size, chunks, created_at) VALUES (?, ?, 0, ?)",  # type: ignore[attr-defined]
                 (item.sha256, item.size, stamp))
    try:
        with open(item.source, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
                size += len(chunk)
                if size > item.size:
                    break
                digest.update(chunk)
                conn.execute("INSERT INTO evidence_chunks (sha256, seq, data) VALUES (?, ?, ?)",  # type: ignore[attr-defined]
                             (item.sha256, seq, chunk))
                seq += 1
    except OSError as exc:
        raise EvidenceError(f"{item.name}: cannot be read ({exc.strerror or exc}); nothing was attached") from None
    if size != item.size or digest.hexdigest() != item.sha256:
        raise EvidenceError(f"{item.name} changed while it was being attached; nothing was attached, try again")
    conn.execute("UPDATE evidence_blobs SET chunks = ? WHERE sha256 = ?", (seq, item.sha256))  # type: ignore[attr-defined]


def _record(conn: object, assessment_id: int, question_id: str, event: str, name: str, sha256: str, size: int,
            actor: str, at: str) -> None:
    conn.execute("INSERT INTO evidence_events (assessment_id, question_id, event, name, sha256, size, actor, at)"  # type: ignore[attr-defined]
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (assessment_id, question_id, event, name, sha256, size, actor, at))


def attach_files(client: ClientFile, assessment_id: int, question_id: str, sources: Iterable[Path],
                 limit: int = max_bytes(DEFAULT_MAX_MB), actor: str = "") -> list[EvidenceFile]:
    """Plan and attach in one go (the command line and the app's drop): all the files or none."""
    return attach_planned(client, plan_attach(client, assessment_id, question_id, sources, limit), actor)


def evidence_file(client: ClientFile, evidence_id: int) -> EvidenceFile:
    """One attached file by id; EvidenceError when there is none."""
    rows = client.rows(f"SELECT {_EVIDENCE_COLUMNS} FROM evidence WHERE id = ?", (evidence_id,))
    if not rows:
        raise EvidenceError(f"no evidence file {evidence_id} in {client.path.name}")
    return EvidenceFile(*rows[0])


def list_evidence(client: ClientFile, assessment_id: int | None = None,
                  question_id: str | None = None) -> list[EvidenceFile]:
    """The files attached to a client's answers (of one assessment, of one question), in the order added."""
    sql = f"SELECT {_EVIDENCE_COLUMNS} FROM evidence"
    where, params = [], []
    if assessment_id is not None:
        where.append("assessment_id = ?")
        params.append(assessment_id)
    if question_id is not None:
        where.append("question_id = ?")
        params.append(question_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [EvidenceFile(*row) for row in client.rows(sql + " ORDER BY assessment_id, question_id, id", tuple(params))]


def evidence_counts(client: ClientFile, assessment_id: int) -> dict[str, int]:
    """How many files each question of an assessment has attached."""
    return dict(client.rows("SELECT question_id, count(*) FROM evidence WHERE assessment_id = ? GROUP BY question_id",
                            (assessment_id,)))


def evidence_history(client: ClientFile, assessment_id: int, question_id: str | None = None) -> list[EvidenceEvent]:
    """Every attach and removal, oldest first."""
    sql = "SELECT question_id, event, name, sha256, size, actor, at FROM evidence_events WHERE assessment_id = ?"
    params: tuple = (assessment_id,)
    if question_id is not None:
        sql += " AND question_id = ?"
        params += (question_id,)
    return [EvidenceEvent(*row) for row in client.rows(sql + " ORDER BY id", params)]


def remove_evidence(client: ClientFile, evidence_id: int, actor: str = "") -> EvidenceFile:
    """Detach a file from its answer, recording who removed it and when; its bytes leave the client file
    when no other answer uses them."""
    item = evidence_file(client, evidence_id)
    client.check_editable(item.assessment_id)
    with client.transaction() as conn:
        conn.execute("DELETE FROM evidence WHERE id = ?", (evidence_id,))
        _record(conn, item.assessment_id, item.question_id, "removed", item.name, item.sha256, item.size, actor,
                now_iso())
        client.record(Changes(evidence=True, assessment_ids=frozenset({item.assessment_id})))
    return item


def read_chunks(client: ClientFile, sha256: str) -> Iterator[bytes]:
    """The stored bytes of one content, chunk by chunk, checked against its SHA-256 at the end."""
    found = client.rows("SELECT size, chunks FROM evidence_blobs WHERE sha256 = ?", (sha256,))
    if not found:
        raise EvidenceError(f"{client.path.name}: the evidence content {sha256[:12]}… is missing")
    size, chunks = found[0]
    digest = hashlib.sha256()
    total = 0
    for seq in range(chunks):
        rows = client.rows("SELECT data FROM evidence_chunks WHERE sha256 = ? AND seq = ?", (sha256, seq))
        if not rows:
            raise EvidenceError(f"{client.path.name}: part of an evidence file is missing (the file is damaged)")
        data = bytes(rows[0][0])
        digest.update(data)
        total += len(data)
        yield data
    if total != size or digest.hexdigest() != sha256:
        raise EvidenceError(f"{client.path.name}: an evidence file does not match its SHA-256 (the file is damaged)")


def save_evidence_file(client: ClientFile, item: EvidenceFile, target: Path) -> Path:
    """Write one attached file to `target` (atomically, private to the user); returns the path."""
    with atomic_path(Path(target)) as tmp:
        with open(tmp, "wb") as out:
            for chunk in read_chunks(client, item.sha256):
                out.write(chunk)
    return Path(target)


# --------------------------------------------------------------------------- exporting every file


def _export_names(items: list[EvidenceFile], assessments: dict[int, str]) -> list[str]:
    """A path in the export per file: <assessment>/<question>/<name>, unique (name-2.pdf when taken)."""
    used: set[str] = set()
    names = []
    for item in items:
        folder = f"{clean_name(assessments.get(item.assessment_id, str(item.assessment_id)))}/{clean_name(item.question_id)}"
        name = clean_name(item.name)  # a name stored by an earlier release may be longer
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate = f"{folder}/{name}"
        counter = 2
        while candidate.casefold() in used:
            candidate = f"{folder}/{stem}-{counter}{'.' + suffix if suffix else ''}"
            counter += 1
        used.add(candidate.casefold())
        names.append(candidate)
    return names


def export_evidence(client: ClientFile, output: Path, assessment_id: int | None = None) -> Progress:
    """Write every attached file (of one assessment, or all) with a manifest: into a folder, or into a zip
    when `output` ends in .zip. A generator yielding (step, total, message); returns the manifest rows.

    The manifest (manifest.json and manifest.csv) lists per file: assessment, question, name, path in the
    export, size, SHA-256, when and by whom it was added, and how its answer was established, the answer's
    evidence date and the confidence that gives (empty when the answer does not say). A folder export never replaces a file already
    there (the folder must be new or empty); a zip is written atomically.
    """
    output = Path(output).expanduser()
    items = list_evidence(client, assessment_id)
    assessments = {a.id: f"{a.id} {a.name}" for a in client.assessments()}
    paths = _export_names(items, assessments)
    answers = {aid: client.responses(aid) for aid in {item.assessment_id for item in items}}

    def provenance(item: EvidenceFile) -> dict[str, str]:
        response = answers[item.assessment_id].get(item.question_id)
        said = response.provenance if response is not None else None
        return {"established": said.method if said else "", "evidence_date": said.evidence_date if said else "",
                "confidence": said.confidence if said else ""}

    rows = [dict(asdict(item), assessment=assessments.get(item.assessment_id, ""), path=path, **provenance(item))
            for item, path in zip(items, paths)]
    columns = ("assessment", "question_id", "name", "path", "size", "sha256", "added_at", "added_by",
               "established", "evidence_date", "confidence")
    manifest = json.dumps({"format": "vciso-evidence", "version": 1, "client": client.profile().name,
                           "exported_at": now_iso(), "files": rows}, indent=2, ensure_ascii=False)
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_no_formula(str(row[k])) for k in columns])
    total = len(items) + 1
    if output.suffix.lower() == ".zip":
        with atomic_path(output) as tmp:
            # stored, not deflated: evidence is mostly PDFs, images and Office files, compressed already
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
                for step, (item, path) in enumerate(zip(items, paths)):
                    yield step, total, f"Exporting {item.name}"
                    with archive.open(path, "w", force_zip64=True) as out:
                        for chunk in read_chunks(client, item.sha256):
                            out.write(chunk)
                archive.writestr(MANIFEST_NAME, manifest)
                archive.writestr("manifest.csv", table.getvalue())
        yield len(items), total, "Manifest written"
        return rows
    try:
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            raise EvidenceError(f"{output} already exists and is not an empty folder; choose a new folder or a "
                                ".zip name (nothing was written)")
        output.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise write_error(output / MANIFEST_NAME, exc) from exc
    for step, (item, path) in enumerate(zip(items, paths)):
        yield step, total, f"Exporting {item.name}"
        target = output.joinpath(*path.split("/"))
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise write_error(target, exc) from exc
        save_evidence_file(client, item, target)
    with atomic_path(output / MANIFEST_NAME) as tmp:
        tmp.write_text(manifest, encoding="utf-8")
    with atomic_path(output / "manifest.csv") as tmp:
        tmp.write_text(table.getvalue(), encoding="utf-8", newline="")
    yield len(items), total, "Manifest written"
    return rows


def _no_formula(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (a file name may start with '=')."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def open_path_for(item: EvidenceFile, folder: Path) -> Path:
    """Where `item` is written to be opened with the system's viewer: a private folder of its own."""
    target = Path(folder) / item.sha256[:16] / item.name
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return target

