"""The core never imports Qt or the writers; scripting commands never load them."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "reportlab", "ui", "exports")


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Top-level module names imported by a file, with whether the import is at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    module_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], id(node) in module_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module.split(".")[0], id(node) in module_level))
    return found


def test_no_core_module_but_the_entry_point_imports_qt_reportlab_ui_or_exports():
    offenders = []
    for path in sorted((ROOT / "vciso").rglob("*.py")):
        for name, _ in _imports(path):
            if name in FORBIDDEN and path.name != "cli.py":
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_entry_point_imports_ui_and_exports_only_lazily():
    top_level = [name for name, at_top in _imports(ROOT / "vciso" / "cli.py") if at_top]
    assert not set(top_level) & set(FORBIDDEN) | ({"openpyxl"} & set(top_level))


def test_core_reads_excel_only_lazily():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "vciso").rglob("*.py")
                 if ("openpyxl", True) in _imports(p)]
    assert offenders == []


SCRIPT = """
import json, sys
from vciso.cli import main
codes = []
for argv in {commands!r}:
    codes.append(main(argv))
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'reportlab', 'openpyxl', 'ui', 'exports'))
print(json.dumps({{"codes": codes, "heavy": heavy}}))
"""


def test_scripting_commands_do_not_load_qt_reportlab_or_openpyxl(tmp_path):
    ws = str(tmp_path / "ws")
    commands = [
        ["--workspace", ws, "demo"],
        ["--workspace", ws, "client", "list", "--json"],
        ["--workspace", ws, "client", "show", "bright-smile-dental-group"],
        ["--workspace", ws, "questionnaire", "list"],
        ["--workspace", ws, "assessment", "list", "bright-smile-dental-group"],
        ["--workspace", ws, "answer", "bright-smile-dental-group", "", "ACC-01", "2"],
        ["--workspace", ws, "score", "bright-smile-dental-group", "--json"],
        ["--workspace", ws, "roadmap", "bright-smile-dental-group"],
    ]
    env = {"VCISO_LIBRARY": str(tmp_path / "lib"), "VCISO_SETTINGS": str(tmp_path / "s.json"),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(commands=commands)], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["codes"] == [0] * len(commands)
    assert outcome["heavy"] == []
