"""Plan, preview, then import: `--dry-run` shows what would be added and writes nothing; an id already in
the library is refused with a free suggestion, never overwritten; the format is found from the content and
named; the same plan drives the app's preview dialog."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from vciso.errors import QuestionnaireError
from vciso.importers import import_questionnaire
from vciso.importers.plan import apply_import, plan_import

HERE = Path(__file__).parent
GROUPING = HERE / "fixtures" / "oscal" / "grouping_catalog.json"
ENHANCEMENTS = HERE / "fixtures" / "oscal" / "enhancements_catalog.json"
SCORED = HERE / "fixtures" / "ciso_assistant" / "scored_framework.yaml"

OURS = """\
id: nist-csf-2.0
title: Our own CSF questions
version: "1"
scales:
  - id: yn
    levels: [{value: 0, label: "No"}, {value: 1, label: "Yes"}]
sections:
  - id: S
    title: Section
    questions:
      - {id: Q1, text: Is it done?}
"""


def folder_digest(folder: Path) -> str:
    """One hash of every file name and content below a folder (missing folder: a fixed value)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_dry_run_prints_the_preview_and_writes_nothing(cli, tmp_path):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "someone-elses.yaml").write_text("# kept as it is\n", encoding="utf-8")
    before = folder_digest(library)
    code, out, err = cli("questionnaire", "import", str(GROUPING), "--dry-run")
    assert code == 0, err
    assert folder_digest(library) == before
    lines = out.splitlines()
    assert lines[0] == f"{GROUPING}: would import into {library / 'acme-csf-2.0.yaml'}"
    assert "Format:    OSCAL catalog (JSON)" in lines
    assert "Id:        acme-csf-2.0" in lines
    assert "Title:     Electronic Version of ACME Cybersecurity Framework 2.0" in lines
    assert "Version:   1.0.0" in lines
    assert "Source:    OSCAL catalog: Electronic Version of ACME Cybersecurity Framework 2.0 1.0.0 (OSCAL 1.1.2)" \
        in lines
    assert "Licence:   as published by the catalog's author" in lines
    assert "Structure: 2 sections at level 1, 3 sections at level 2; 5 questions" in lines
    assert "First 5 questions:" in lines and "  GV.OC-01  The mission of the organisation is understood and shapes " \
                                                "security …" in lines
    assert lines[-1] == "Dry run: nothing was written."
    # the same with --assess all: every control asked, still nothing written
    code, out, err = cli("questionnaire", "import", str(GROUPING), "--dry-run", "--assess", "all")
    assert "Structure: 2 sections at level 1; 8 questions" in out
    assert folder_digest(library) == before


def test_dry_run_does_not_even_create_the_library_folder(cli, tmp_path):
    code, out, err = cli("questionnaire", "import", str(SCORED), "--dry-run")
    assert code == 0, err
    assert "Tags:      IG1 — Essentials, IG2 — Growing" in out
    assert "Format:    CISO Assistant library (YAML)" in out
    assert not (tmp_path / "lib").exists()


def test_import_says_which_format_it_found(cli):
    for path, found in ((GROUPING, "OSCAL catalog (JSON)"), (SCORED, "CISO Assistant library (YAML)")):
        code, out, err = cli("questionnaire", "import", str(path))
        assert code == 0, err
        assert f"Read {path.name} as {found}" in out
    code, out, err = cli("questionnaire", "validate", str(ENHANCEMENTS), "--assess", "leaves")
    assert out.strip() == (f"{ENHANCEMENTS}: valid OSCAL catalog (JSON) — acme-sp-800-99-r2-moderate 2.1.0, "
                           f"4 questions")


def test_an_id_already_in_the_library_is_refused_with_a_suggestion(cli, tmp_path):
    ours = tmp_path / "ours.yaml"
    ours.write_text(OURS, encoding="utf-8")  # the bundled CSF questionnaire's id
    library = tmp_path / "lib"
    code, out, err = cli("questionnaire", "import", str(ours))
    assert code == 1
    assert err.strip() == (f"vciso: {ours}: the id 'nist-csf-2.0' is already taken by “NIST CSF 2.0 Maturity "
                           f"Assessment” 2.0.1 (bundled with the app); nothing was imported and nothing is "
                           f"overwritten - import it under another id with --id nist-csf-2.0-copy")
    assert not library.exists()
    code, out, err = cli("questionnaire", "import", str(ours), "--id", "nist-csf-2.0-copy")
    assert code == 0, err
    before = folder_digest(library)
    code, out, err = cli("questionnaire", "import", str(ours), "--id", "nist-csf-2.0-copy", "--dry-run")
    assert code == 1 and "Dry run: nothing was written." in out
    assert "Id taken:  “Our own CSF questions” 1 (imported, file nist-csf-2.0-copy.yaml); suggested id: " \
           "nist-csf-2.0-copy-copy" in out
    assert folder_digest(library) == before


def test_a_file_in_the_folder_under_that_name_is_never_overwritten(tmp_path):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "acme-csf-2.0.yaml").write_text("not: [a questionnaire", encoding="utf-8")  # does not even load
    plan = plan_import(GROUPING, library)
    assert plan.clash == "the file acme-csf-2.0.yaml in the library folder"
    assert plan.suggested_id == "acme-csf-2.0-oscal"
    with pytest.raises(QuestionnaireError, match="already taken by the file acme-csf-2.0.yaml"):
        apply_import(plan)
    assert (library / "acme-csf-2.0.yaml").read_text(encoding="utf-8") == "not: [a questionnaire"
    renamed = plan.renamed(plan.suggested_id)
    assert renamed.ok and renamed.target == library / "acme-csf-2.0-oscal.yaml"
    assert apply_import(renamed).id == "acme-csf-2.0-oscal"
    with pytest.raises(QuestionnaireError, match="cannot be an id"):
        plan.renamed("has spaces")


def test_a_plan_refuses_a_file_that_appeared_after_it_was_made(tmp_path):
    library = tmp_path / "lib"
    plan = plan_import(ENHANCEMENTS, library)
    assert plan.ok and plan.sections_per_level() == [2]
    library.mkdir()
    plan.target.write_text("# written meanwhile\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="nothing is overwritten"):
        apply_import(plan)
    assert plan.target.read_text(encoding="utf-8") == "# written meanwhile\n"


def test_ids_differing_only_by_case_clash(tmp_path):
    library = tmp_path / "lib"
    import_questionnaire(ENHANCEMENTS, library, questionnaire_id="Client-Baseline")
    plan = plan_import(GROUPING, library, questionnaire_id="client-baseline")
    assert not plan.ok and plan.suggested_id == "client-baseline-oscal"
