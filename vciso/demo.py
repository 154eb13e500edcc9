"""The demo client: a 45-person dental group with a baseline and a partly answered follow-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from vciso.clientfile import ClientFile
from vciso.library import Library
from vciso.responses import Response
from vciso.roadmap import DEFAULT_PHASES, Phase
from vciso.roadmap_store import regenerate_roadmap, roadmap_items, update_roadmap_item
from vciso.workspace import Workspace

DEMO_NAME = "Bright Smile Dental Group"
DEMO_QUESTIONNAIRE = "small-business-essentials"

# Baseline (six months ago) and follow-up answers, on the 0-4 Essentials scale.
_BASELINE = {
    "ACC-01": 1, "ACC-02": 1, "ACC-03": 0, "ACC-04": 0, "ACC-05": 1, "ACC-06": 2,
    "BAK-01": 2, "BAK-02": 0, "BAK-03": 0, "BAK-04": 0,
    "UPD-01": 2, "UPD-02": 1, "UPD-03": 1,
    "DEV-01": 1, "DEV-02": 1, "DEV-03": 3, "DEV-04": 2, "DEV-05": 0,
    "EML-01": 1, "EML-02": 1, "EML-03": 2, "EML-04": 0,
    "DAT-01": 1, "DAT-02": 1, "DAT-03": 1, "DAT-04": 1,
    "VEN-01": 0, "VEN-02": 0, "VEN-03": 1, "VEN-04": 1,
    "INC-01": 1, "INC-02": 0, "INC-03": 2, "INC-04": 1,
    "NET-01": 2, "NET-02": 3,
}
_FOLLOW_UP = {
    "ACC-01": 3, "ACC-02": 2, "ACC-03": 3, "ACC-04": 1, "ACC-05": 2, "ACC-06": 3,
    "BAK-01": 3, "BAK-02": 1, "BAK-03": 2, "BAK-04": 1,
    "UPD-01": 3, "UPD-02": 1, "UPD-03": 2,
    "DEV-01": 3, "DEV-02": 2, "DEV-03": 4, "DEV-04": 3,
    "EML-01": 2, "EML-02": 3, "EML-03": 3,
    "DAT-01": 2, "DAT-02": 2,
    "VEN-01": 1, "VEN-03": 2,
    "INC-01": 2, "INC-02": 1,
    "NET-01": 3,
}
_NOTES = {
    "ACC-01": "Front-desk PCs at all three practices used to share one 'reception' login; individual "
              "accounts created in March.",
    "ACC-03": "MFA enforced in Microsoft 365 for all 45 mailboxes since April. Two dentists still use SMS codes.",
    "ACC-04": "Practice-management system (Dentrix-style, hosted) has no MFA; vendor says it is 'on the roadmap'.",
    "BAK-02": "Nightly backup goes to a NAS in the server cupboard of the main practice — same network, "
              "no offline copy. Ransomware would reach it.",
    "BAK-04": "No restore has ever been tested. Office manager unsure how long a full restore takes.",
    "DEV-02": "BitLocker on the 12 new laptops; the 6 older reception desktops are not encrypted.",
    "EML-02": "Near miss in May: fake supplier email asked to change bank details; caught by the accountant.",
    "INC-02": "Draft one-page incident card prepared by Dr. Okafor; not yet shared with the practices.",
    "VEN-01": "Imaging, payroll, booking and X-ray viewer vendors identified; contracts not yet reviewed.",
}
# how some follow-up answers were established: (method, the evidence seen, its age in days)
_PROVENANCE = {
    "ACC-03": ("tested", "Signed in from a new browser with a test account: the code was asked for", 0),
    "BAK-01": ("observed", "Backup console of the NAS shown by the office manager; last job succeeded", 0),
    "BAK-02": ("observed", "Server cupboard visited: the NAS is on the practice network", 0),
    "DEV-02": ("document", "Device list exported from the management console", 12),
    "EML-01": ("interview", "", 0),
    "INC-01": ("document", "Incident contact sheet pinned in each practice", 40),
    "VEN-01": ("document", "Supplier contracts folder (last reviewed by the previous practice manager)", 540),
}
_EVIDENCE_FILE = ("BAK-01", "backup-job-report.txt",
                  "Nightly backup job report\nJob: practice-nas-nightly\nLast run: succeeded\n"
                  "Copies: 1 (on the practice network)\n")
_NOT_APPLICABLE = {"DEV-05": "All devices stay on site; lost-device procedure covered by DEV-02 decision "
                             "(to be revisited if laptops go home)."}
_FLAGGED = ("ACC-04", "BAK-02", "VEN-03")
_ROADMAP_EDITS = {
    "BAK-02": {"owner": "Priya Shah (Office manager)", "status": "In progress",
               "notes": "Quote requested for an immutable cloud backup tier."},
    "BAK-04": {"owner": "Priya Shah (Office manager)"},
    "ACC-04": {"owner": "Dr. Marcus Okafor", "notes": "Chase the vendor; ask for SSO with Microsoft 365."},
    "VEN-03": {"owner": "External IT (Northgate IT)", "status": "Not started"},
}


def create_demo(workspace: Workspace, library: Library, today: dt.date | None = None,
                phases: tuple[Phase, ...] = DEFAULT_PHASES) -> ClientFile:
    """Create the demo client in the workspace and return it open."""
    today = today or dt.date.today()
    questionnaire = library.get(DEMO_QUESTIONNAIRE)
    client = workspace.create_client(
        DEMO_NAME, industry="Healthcare — dental practices", employees=45,
        contact="Dr. Marcus Okafor, managing partner · practice@brightsmile.example",
        notes="Three practices in one city; Microsoft 365; hosted practice-management system; "
              "IT support from a local managed service provider.")
    baseline_date = (today - dt.timedelta(days=182)).isoformat()
    baseline = client.create_assessment(questionnaire, "Baseline assessment", assessor="Demo Consultant",
                                        assessment_date=baseline_date)
    client.save_answers(baseline.id, [_response(q, v) for q, v in _BASELINE.items() if questionnaire.question(q)],
                        source="demo")
    regenerate_roadmap(client, baseline.id, phases, dt.date.fromisoformat(baseline_date))
    client.finalise_assessment(baseline.id, by="Demo Consultant")

    follow_up = client.create_assessment(questionnaire, "Six-month follow-up", assessor="Demo Consultant",
                                         assessment_date=today.isoformat(), based_on=baseline.id)
    previous = client.responses(follow_up.id)
    answers = []
    for question in questionnaire.questions():
        qid = question.id
        if qid in _FOLLOW_UP:
            answers.append(_substantiated(_response(qid, _FOLLOW_UP[qid], note=_NOTES.get(qid, ""),
                                                    flagged=qid in _FLAGGED), today))
        elif qid in _NOT_APPLICABLE:
            answers.append(_response(qid, None, na_reason=_NOT_APPLICABLE[qid]))
        elif qid in previous:
            answers.append(_response(qid, None))  # not yet revisited in the follow-up: unanswered
    client.save_answers(follow_up.id, answers, source="demo")
    _attach_demo_file(client, follow_up.id)
    regenerate_roadmap(client, follow_up.id, phases, today)
    replanned = 0
    for item in roadmap_items(client, follow_up.id):
        changes = dict(_ROADMAP_EDITS.get(item.question_id or "", {}))
        # at the six-month check-in the consultant re-plans the open actions that fell behind, all but one
        # (the demo keeps one overdue action to show how the plan marks it)
        if item.due is not None and item.due < today and item.status not in ("Done", "Deferred") \
                and "due_date" not in changes:
            replanned += 1
            if replanned > 1:
                changes["due_date"] = (today + dt.timedelta(days=30 * (1 + replanned // 4))).isoformat()
        if changes:
            update_roadmap_item(client, item.id, **changes)
    return client


def _substantiated(response: Response, today: dt.date) -> Response:
    """The answer with how it was established and its evidence, when the demo says (`_PROVENANCE`)."""
    if response.question_id not in _PROVENANCE:
        return response
    method, evidence, age = _PROVENANCE[response.question_id]
    return replace(response, established=method, evidence=evidence,
                   evidence_date=(today - dt.timedelta(days=age)).isoformat())


def _attach_demo_file(client: ClientFile, assessment_id: int) -> None:
    """Attach the demo's one evidence file (written to a temporary folder first)."""
    import tempfile

    from vciso.evidence import attach_files

    qid, name, text = _EVIDENCE_FILE
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        attach_files(client, assessment_id, qid, [path], actor="Demo Consultant")


def _response(question_id: str, current: float | None, note: str = "", na_reason: str = "",
              flagged: bool = False) -> Response:
    return Response(question_id, float(current) if current is not None else None, None, note, na_reason, flagged)
