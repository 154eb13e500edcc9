"""Nothing is lost: a killed process keeps every answer it reported saved; two writers never corrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from core_fixtures import synthetic_questionnaire
from vciso.clientfile import ClientFile
from vciso.workspace import Workspace

WRITER = Path(__file__).with_name("answer_writer.py")


def _client_with_assessment(tmp_path: Path) -> tuple[Path, int]:
    workspace = Workspace(tmp_path / "ws")
    with workspace.create_client("Durable") as client:
        assessment = client.create_assessment(synthetic_questionnaire(1, 600))
        return client.path, assessment.id


def _writer(path: Path, assessment_id: int, prefix: str, start: int, stop: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent.parent), *sys.path]))
    return subprocess.Popen([sys.executable, str(WRITER), str(path), str(assessment_id), prefix, str(start),
                             str(stop)], stdout=subprocess.PIPE, text=True, env=env)


def killed_mid_stream(path: Path, assessment_id: int) -> list[str]:
    """Run a writer answering with notes "killed N", SIGKILL it after 40 reported saves; the question ids it
    reported saved (each line it printed before it died)."""
    process = _writer(path, assessment_id, "killed", 0, 600)
    reported = []
    assert process.stdout is not None
    for line in process.stdout:
        reported.append(line.split()[1])
        if len(reported) == 40:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait()
    reported += [line.split()[1] for line in process.stdout if line.startswith("saved")]
    assert process.returncode == -signal.SIGKILL
    return reported


def test_sigkill_mid_stream_loses_no_answer_reported_saved(tmp_path):
    path, aid = _client_with_assessment(tmp_path)
    reported = killed_mid_stream(path, aid)
    with ClientFile(path) as client:
        stored = client.responses(aid)
        assert client.integrity_check() == "ok"
    assert len(reported) >= 40
    missing = [qid for qid in reported if qid not in stored]
    assert missing == []
    for qid in reported:
        assert stored[qid].note == f"killed {int(qid[-4:])}"


def test_two_processes_answering_concurrently_store_everything(tmp_path):
    path, aid = _client_with_assessment(tmp_path)
    first = _writer(path, aid, "first", 0, 150)
    second = _writer(path, aid, "second", 100, 250)  # 100..149 answered by both
    out_first, _ = first.communicate(timeout=120)
    out_second, _ = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0
    assert out_first.count("saved") == 150 and out_second.count("saved") == 150
    with ClientFile(path) as client:
        stored = client.responses(aid)
        assert client.integrity_check() == "ok"
        history = client.history(aid)
    assert len(stored) == 250
    assert len(history) == 300
    for index in range(250):
        note = stored[f"S0.0-{index:04d}"].note
        assert note in (f"first {index}", f"second {index}")
