"""Everything a client file holds, as plain JSON-able data, to compare two files (restore, encryption)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from vciso.clientfile import ClientFile
from vciso.roadmap_store import roadmap_items


def client_dump(path: Path, key: str | None = None) -> dict:
    """Profile, assessments, every answer, history row, event and roadmap item of a client file (an
    encrypted one opened with its passphrase `key`)."""
    with ClientFile(Path(path), read_only=True, key=key) as client:
        data: dict = {"profile": asdict(client.profile()), "assessments": []}
        for assessment in client.assessments():
            data["assessments"].append({
                "assessment": asdict(assessment),
                "responses": {qid: asdict(r) for qid, r in sorted(client.responses(assessment.id).items())},
                "history": [asdict(h) for h in client.history(assessment.id)],
                "events": [asdict(e) for e in client.assessment_events(assessment.id)],
                "roadmap": [asdict(item) for item in roadmap_items(client, assessment.id)],
            })
        extra = _evidence(client)
        if extra is not None:
            data["evidence"] = extra
    return data


def _evidence(client: ClientFile) -> list | None:
    try:
        from vciso.evidence import list_evidence
    except ImportError:
        return None
    return [(e.assessment_id, e.question_id, e.name, e.sha256, e.size) for e in list_evidence(client)]
