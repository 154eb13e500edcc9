"""The command line: every command, its --json shapes, and one-line errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vciso.cli import main, plain_launch

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("argv, workspace", [([], None), (["--workspace", "w"], "w"), (["--workspace=w"], "w")])
def test_a_plain_launch_goes_straight_to_the_app(argv, workspace, monkeypatch):
    monkeypatch.delenv("VCISO_WORKSPACE", raising=False)
    assert plain_launch(argv) == (True, workspace)


def test_a_plain_launch_takes_the_workspace_from_the_environment(monkeypatch):
    monkeypatch.setenv("VCISO_WORKSPACE", "/somewhere")
    assert plain_launch([]) == (True, "/somewhere")


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["app"], ["client", "list"], ["--workspace"],
                                  ["--workspace="], ["--workspace", "--help"], ["--workspace", "w", "demo"]])
def test_anything_else_goes_to_the_full_command_line(argv):
    assert plain_launch(argv) == (False, None)


def test_client_lifecycle_and_json(cli):
    assert cli("client", "new", "Ромашка & Co", "--industry", "Retail", "--employees", "12")[0] == 0
    code, out, _ = cli("client", "list", "--json")
    clients = json.loads(out)
    assert clients == [{"id": "ромашка-co", "name": "Ромашка & Co", "industry": "Retail", "employees": 12,
                        "assessments": 0, "updated_at": clients[0]["updated_at"], "path": clients[0]["path"],
                        "error": None, "locked": False}]
    assert cli("assessment", "new", "ромашка-co", "small-business-essentials", "--name", "Q1")[0] == 0
    code, out, _ = cli("client", "show", "Ромашка & Co", "--json")
    shown = json.loads(out)
    assert shown["assessments"][0]["name"] == "Q1" and shown["assessments"][0]["completion"] == 0
    assert cli("client", "delete", "ромашка-co")[0] == 0
    assert json.loads(cli("client", "list", "--json")[1]) == []


def test_answer_score_and_roadmap(cli):
    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials")
    assert cli("answer", "Acme", "", "ACC-03", "1", "--note", '<b>Tom & Jerry</b> = "ok"', "--flag")[0] == 0
    assert cli("answer", "Acme", "", "BAK-01", "Always")[0] == 0
    assert cli("answer", "Acme", "", "NET-02", "-", "--na", "no Wi-Fi at all")[0] == 0
    code, out, _ = cli("score", "Acme", "--json")
    score = json.loads(out)
    assert score["overall"]["answered"] == 2 and score["overall"]["not_applicable"] == 1
    assert score["overall"]["current"] == 2.0 and score["scale"] == {"min": 0.0, "max": 4.0}
    assert {d["id"] for d in score["domains"]} >= {"ACC", "BAK"}
    code, out, _ = cli("roadmap", "Acme", "--json")
    roadmap = json.loads(out)
    assert [i["question_id"] for i in roadmap["items"]] == ["ACC-03"]
    assert roadmap["phases"][0]["name"] == "0–30 days"
    code, out, _ = cli("score", "Acme")
    assert "Accounts and sign-in" in out and "Overall" in out


def test_answers_import_json_dry_run_then_real(cli, tmp_path):
    cli("client", "new", "Importer")
    cli("assessment", "new", "Importer", "small-business-essentials")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire_id": "small-business-essentials", "answers": [
        {"question_id": "ACC-01", "level": 2, "note": "=1+1"},
        {"question_id": "ACC-02", "level": "Mostly"},
        {"question_id": "NOPE-1", "level": 1},
        {"question_id": "ACC-03", "level": "N/A"},
    ]}), encoding="utf-8")
    code, out, err = cli("answers", "import", "Importer", "", str(answers), "--dry-run")
    assert code == 1
    assert "answer #3: unknown question id 'NOPE-1'" in err and "answer #4: ACC-03: N/A needs a reason" in err
    assert json.loads(cli("score", "Importer", "--json")[1])["overall"]["answered"] == 0
    data = json.loads(answers.read_text())
    data["answers"] = data["answers"][:2]
    answers.write_text(json.dumps(data))
    code, out, err = cli("answers", "import", "Importer", "", str(answers), "--dry-run")
    assert code == 0 and "2 new" in out and "Dry run" in out
    assert json.loads(cli("score", "Importer", "--json")[1])["overall"]["answered"] == 0
    assert cli("answers", "import", "Importer", "", str(answers))[0] == 0
    assert json.loads(cli("score", "Importer", "--json")[1])["overall"]["answered"] == 2
    data["answers"] = [{"question_id": "ACC-01", "evidence": "Password manager admin console"}]
    answers.write_text(json.dumps(data))
    code, out, err = cli("answers", "import", "Importer", "", str(answers), "--dry-run")
    assert code == 0 and "changed ACC-01: 2 -> 2 (evidence)" in out


@pytest.mark.parametrize("argv, message", [
    (["client", "show", "nobody"], "no client 'nobody'"),
    (["assessment", "new", "Acme", "no-such-questionnaire"], "no questionnaire 'no-such-questionnaire'"),
    (["answer", "Acme", "", "ACC-01", "7"], "not on the scale"),
    (["answer", "Acme", "", "ACC-01", "1", "--na", " "], "N/A needs a reason"),
    (["score", "Acme", "99"], "no assessment '99'"),
    (["client", "new", "  "], "needs a name"),
    (["answers", "import", "Acme", "", "/nonexistent.json"], "no such file"),
])
def test_errors_are_one_line_with_nonzero_exit(cli, argv, message):
    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials")
    code, out, err = cli(*argv)
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_export_pdf_paper_option_overrides_the_settings_for_that_export(cli, tmp_path, capsys):
    from pypdf import PdfReader

    from vciso.settings import AppSettings, load_settings, save_settings

    def size(path: Path) -> tuple[float, float]:
        box = PdfReader(str(path)).pages[-1].mediabox
        return round(float(box.width), 2), round(float(box.height), 2)

    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials")
    cli("answer", "Acme", "", "ACC-01", "1")
    assert cli("export", "pdf", "Acme", "-o", str(tmp_path / "default.pdf"))[0] == 0
    assert size(tmp_path / "default.pdf") == (595.28, 841.89)
    code, out, err = cli("export", "pdf", "Acme", "-o", str(tmp_path / "letter.pdf"), "--paper", "letter")
    assert code == 0 and "Wrote" in out and err == ""
    assert size(tmp_path / "letter.pdf") == (612.0, 792.0)

    save_settings(AppSettings(paper_size="Letter"))
    assert cli("export", "pdf", "Acme", "-o", str(tmp_path / "from-settings.pdf"))[0] == 0
    assert size(tmp_path / "from-settings.pdf") == (612.0, 792.0)
    assert cli("export", "pdf", "Acme", "-o", str(tmp_path / "a4.pdf"), "--paper", "A4")[0] == 0
    assert size(tmp_path / "a4.pdf") == (595.28, 841.89)
    assert load_settings().paper_size == "Letter"  # the option is for that export only

    with pytest.raises(SystemExit) as usage_error:
        cli("export", "pdf", "Acme", "-o", str(tmp_path / "b5.pdf"), "--paper", "b5")
    err = capsys.readouterr().err
    assert usage_error.value.code == 2 and "invalid choice: 'b5'" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "b5.pdf").exists()


def test_corrupt_client_file_gives_one_line_and_others_still_work(cli, tmp_path):
    cli("client", "new", "Good")
    (tmp_path / "ws" / "bad.vciso").write_bytes(b"\x00garbage" * 100)
    code, out, err = cli("client", "show", "bad")
    assert code == 1 and "not a SQLite database" in err
    code, out, _ = cli("client", "list")
    assert "Good" in out and "ERROR" in out


def test_console_script_errors_without_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "vciso.cli", "--workspace", str(tmp_path), "client", "show",
                             "x"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("vciso: no client 'x'")
    assert "Traceback" not in result.stderr


FIXTURES = ROOT / "tests" / "fixtures" / "oscal"


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    from openpyxl import Workbook
    malformed = tmp_path / "malformed.yaml"
    malformed.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    truncated = tmp_path / "truncated.json"
    truncated.write_text((FIXTURES / "params_catalog.json").read_text()[:300], encoding="utf-8")
    template = tmp_path / "template.xlsx"
    workbook = Workbook()
    meta = workbook.active
    meta.title = "Questionnaire"
    for row in (["Field", "Value"], ["id", "acme"], ["title", "Acme"], ["version", "1"]):
        meta.append(row)
    questions = workbook.create_sheet("Questions")
    questions.append(["section", "id", "question", "effort"])
    questions.append(["Accounts", "ACC-01", "Is MFA on?", "low"])
    questions.append(["Accounts", "ACC-02", "Are leavers removed?", "tiny"])
    workbook.save(template)
    return {"yaml": (malformed, "line 2"), "profile": (FIXTURES / "profile.json", "not an OSCAL catalog"),
            "json": (truncated, "line 1"), "xlsx": (template, "row 3")}


@pytest.mark.parametrize("kind", ["yaml", "profile", "json", "xlsx"])
def test_bad_questionnaire_files_are_located_exit_nonzero_and_leave_the_library(cli, tmp_path, kind):
    path, where = _bad_inputs(tmp_path)[kind]
    library = tmp_path / "lib"
    before = sorted(library.rglob("*")) if library.exists() else []
    for command in ("validate", "import"):
        code, out, err = cli("questionnaire", command, str(path))
        assert code == 1
        assert str(path) in err and where in err
        assert "Traceback" not in err
    assert (sorted(library.rglob("*")) if library.exists() else []) == before


def test_good_oscal_catalog_imports_and_lists(cli):
    code, out, err = cli("questionnaire", "import", str(FIXTURES / "params_catalog.json"), "--id", "tiny-oscal")
    assert code == 0, err
    listed = json.loads(cli("questionnaire", "list", "--json")[1])
    assert "tiny-oscal" in {q["id"] for q in listed}


def test_a_write_to_a_client_open_in_the_app_goes_through_with_a_warning(cli, tmp_path):
    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials")
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        import socket
        lock = tmp_path / "ws" / "acme.vciso.lock"
        lock.write_text(json.dumps({"pid": holder.pid, "host": socket.gethostname(), "since": "2026-11-29T10:00:00"}))
        code, out, err = cli("answer", "Acme", "", "BAK-01", "Always")
        assert code == 0 and "Saved BAK-01: Always" in out
        assert err.count("\n") == 1 and f"process {holder.pid}" in err and "warning" in err
        code, out, err = cli("score", "Acme", "--json")  # reading says nothing
        assert err == "" and json.loads(out)["overall"]["answered"] == 1
    finally:
        holder.kill()
        holder.wait()
    code, out, err = cli("answer", "Acme", "", "BAK-02", "Always")  # the window has closed: no warning
    assert code == 0 and err == ""


def test_an_assessment_can_be_back_dated_and_its_properties_set(cli):
    cli("client", "new", "Acme")
    assert cli("assessment", "new", "Acme", "small-business-essentials", "--name", "Visit", "--date", "20 Nov 2026",
               "--assessor", "Dana")[0] == 0
    code, out, err = cli("assessment", "set", "Acme", "Visit", "--status", "final", "--date", "2026-11-19")
    assert code == 0 and "2026-11-19, final, assessed by Dana" in out
    listed = json.loads(cli("assessment", "list", "Acme", "--json")[1])[0]
    assert (listed["date"], listed["status"], listed["assessor"]) == ("2026-11-19", "final", "Dana")
    code, out, err = cli("assessment", "set", "Acme", "Visit", "--date", "19/11/2026")
    assert code == 1 and "is not a date" in err and err.count("\n") == 1


def test_answers_import_can_skip_the_rows_with_problems_when_asked(cli, tmp_path):
    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps([{"question_id": "ACC-01", "level": 2}, {"question_id": "NOPE", "level": 1}]))
    code, out, err = cli("answers", "import", "Acme", "", str(answers))
    assert code == 1 and "1 new, 0 changed, 0 unchanged, 1 problem" in out and "--skip-problems" in err
    code, out, err = cli("answers", "import", "Acme", "", str(answers), "--skip-problems")
    assert code == 0 and "Imported 1 answer into" in out and "skipped 1 row with problems" in out
    assert json.loads(cli("score", "Acme", "--json")[1])["overall"]["answered"] == 1
