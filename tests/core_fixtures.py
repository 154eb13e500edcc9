"""Small questionnaires and helpers shared by the core tests (no Qt)."""

from __future__ import annotations

from vciso.questionnaire import Questionnaire, questionnaire_from_dict


# a one-question questionnaire file as a user would write it (library import and removal tests)
TINY_QUESTIONNAIRE_YAML = """\
format: vciso-questionnaire/1
id: tiny-check
title: Tiny Check
version: "0.1"
scales:
  - id: yn
    name: Yes/No
    levels:
      - {value: 0, label: "No"}
      - {value: 1, label: "Yes"}
sections:
  - id: S1
    title: Basics
    questions:
      - {id: Q1, text: Do you have backups?}
"""


def scale_0_5(scale_id: str = "m", threshold: float | None = 3) -> dict:
    scale = {"id": scale_id, "name": "Maturity 0-5",
             "levels": [{"value": v, "label": f"L{v}", "description": f"level {v}"} for v in range(6)]}
    if threshold is not None:
        scale["pass_threshold"] = threshold
    return scale


def worked_example_questionnaire(aggregation: str = "mean") -> Questionnaire:
    """docs/scoring.md's worked example: scale 0..5, target 3, section A (4 questions) and B (2)."""
    return questionnaire_from_dict({
        "id": "worked", "title": "Worked example", "version": "1", "default_target": 3,
        "aggregation": aggregation, "scales": [scale_0_5()],
        "sections": [
            {"id": "A", "title": "Section A", "questions": [
                {"id": "A1", "text": "a1", "effort": "low", "criticality": "high"},
                {"id": "A2", "text": "a2"}, {"id": "A3", "text": "a3"}, {"id": "A4", "text": "a4"}]},
            {"id": "B", "title": "Section B", "questions": [
                {"id": "B1", "text": "b1"}, {"id": "B2", "text": "b2", "effort": "high"}]},
        ],
    })


def synthetic_questionnaire(sections: int, per_section: int, subsections: int = 1) -> Questionnaire:
    """A large questionnaire for benchmarks and scale tests."""
    def questions(prefix: str, count: int) -> list[dict]:
        return [{"id": f"{prefix}-{i:04d}", "text": f"Question {prefix} {i}", "guidance": "g",
                 "recommendation": "r", "effort": 1 + i % 3, "criticality": 1 + i % 4} for i in range(count)]
    per_sub = per_section // subsections
    data = {"id": "synthetic", "title": "Synthetic", "version": "1", "default_target": 3,
            "aggregation": "weighted_mean", "scales": [scale_0_5()],
            "sections": [{"id": f"S{s}", "title": f"Section {s}", "sections": [
                {"id": f"S{s}.{u}", "title": f"Subsection {s}.{u}", "questions": questions(f"S{s}.{u}", per_sub)}
                for u in range(subsections)]} for s in range(sections)]}
    return questionnaire_from_dict(data)


# Titles that appear nowhere else, so a deliverable's text shows which questions it holds.
IG1_TITLES = ("Asset inventory kept", "Admin accounts separated", "Offline backups tested", "Phishing drills run")
OTHER_TITLES = ("Log retention reviewed", "Vendor audits performed", "Red team exercised")


def tagged_questionnaire() -> Questionnaire:
    """Seven questions in three areas, with named tags as a CIS-style library has them: four questions
    in IG1 (and IG2), two in IG2 only, one untagged; the third area has no IG1 question at all."""
    def q(qid: str, title: str, tags: tuple[str, ...], **extra: object) -> dict:
        return {"id": qid, "title": title, "text": f"{title}?", "recommendation": f"Get {title.lower()}.",
                "tags": list(tags), **extra}
    ig1, ig2 = ("IG1", "IG2"), ("IG2",)
    return questionnaire_from_dict({
        "id": "tagged-controls", "title": "Tagged Controls", "version": "1", "default_target": 3,
        "aggregation": "mean", "scales": [scale_0_5()],
        "tags": [{"id": "IG1", "name": "Basic cyber hygiene"}, {"id": "IG2", "name": "Growing firms"}],
        "sections": [
            {"id": "ID", "title": "Identify", "questions": [
                q("ID-1", IG1_TITLES[0], ig1), q("ID-2", OTHER_TITLES[0], ig2)]},
            {"id": "PR", "title": "Protect", "questions": [
                q("PR-1", IG1_TITLES[1], ig1, criticality="high"), q("PR-2", IG1_TITLES[2], ig1, effort="low"),
                q("PR-3", IG1_TITLES[3], ig1), q("PR-4", OTHER_TITLES[1], ig2)]},
            {"id": "RS", "title": "Respond", "questions": [q("RS-1", OTHER_TITLES[2], ())]},
        ],
    })


def make_tagged_client(workspace_folder, name: str = "Tagged Firm Ltd"):  # type: ignore[no-untyped-def]
    """A client of `tagged_questionnaire` with a baseline and a follow-up (so a comparison and a trend), a
    saved roadmap with one consultant-added action, and evidence on an IG1 and an IG2-only question.
    Returns (client file path, follow-up assessment id)."""
    from vciso.evidence import attach_files
    from vciso.roadmap_store import add_roadmap_item, regenerate_roadmap
    from vciso.workspace import Workspace

    questionnaire = tagged_questionnaire()
    with Workspace(workspace_folder).create_client(name) as client:
        first = client.create_assessment(questionnaire, "Baseline", assessment_date="2026-01-15").id
        for qid, level in (("ID-1", 1), ("ID-2", 4), ("PR-1", 0), ("PR-2", 1), ("PR-3", 2), ("PR-4", 5), ("RS-1", 5)):
            client.save_answer(first, qid, current=level)
        second = client.create_assessment(questionnaire, "Follow-up", assessment_date="2026-07-15", based_on=first).id
        for qid, level in (("ID-1", 2), ("ID-2", 2), ("PR-1", 1), ("PR-2", 3), ("PR-4", 1), ("RS-1", 4)):
            client.save_answer(second, qid, current=level)
        client.save_answer(second, "PR-3", evidence="Drill log March", established="document")
        regenerate_roadmap(client, second)
        add_roadmap_item(client, second, "Appoint a security champion")
        folder = workspace_folder.parent / "evidence-files"
        folder.mkdir(exist_ok=True)
        (folder / "inventory.csv").write_text("host,owner\n")
        (folder / "vendors.pdf").write_text("vendor list")
        attach_files(client, second, "ID-1", [folder / "inventory.csv"])
        attach_files(client, second, "PR-4", [folder / "vendors.pdf"])
        return client.path, second


def demo_workspace_and_report(folder):  # type: ignore[no-untyped-def]
    """The demo client (as on 14 March 2025) in a workspace under `folder`, and a report of its latest
    assessment branded for Northwind Security."""
    import datetime as dt

    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.report import Branding, build_report
    from vciso.workspace import Workspace

    workspace = Workspace(folder / "ws")
    with create_demo(workspace, load_library(folder / "lib"), today=dt.date(2025, 3, 14)) as client:
        path = client.path
    with workspace.open_client(path.stem) as client:
        report = build_report(client, branding=Branding("Northwind Security", "Ada Lovelace"))
    return workspace, report
