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


def _python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def test_exports_never_import_the_app():
    offenders = [f"{p.relative_to(ROOT)} imports {name}" for p in _python_files("exports")
                 for name, _ in _imports(p) if name in ("ui", "PySide6")]
    assert offenders == []


def test_the_app_never_talks_to_sqlite_directly():
    offenders = [f"{p.relative_to(ROOT)} imports {name}" for p in _python_files("ui")
                 for name, _ in _imports(p) if name in ("sqlite3", "sqlite_utils")]
    assert offenders == []


def _connection_openers(path: Path) -> list[str]:
    """Calls that open a database connection: sqlite3.connect(...), connect(...) from sqlite3, Database(...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_sqlite3 = {alias.asname or alias.name for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module == "sqlite3" for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "connect" and isinstance(func.value, ast.Name) \
                and func.value.id == "sqlite3":
            found.append(f"line {node.lineno}: sqlite3.connect")
        elif isinstance(func, ast.Name) and (func.id in from_sqlite3 & {"connect"} or func.id == "Database"):
            found.append(f"line {node.lineno}: {func.id}(...)")
    return found


def test_only_the_client_file_module_opens_connections():
    offenders = [f"{p.relative_to(ROOT)} {call}" for p in _python_files("vciso", "ui", "exports")
                 if p.name != "clientfile.py" for call in _connection_openers(p)]
    assert offenders == []
    assert _connection_openers(ROOT / "vciso" / "clientfile.py")  # the check does see the one place


def test_only_the_crypto_module_drives_sqlcipher_and_only_through_the_client_file_module():
    """Encrypted files are opened by `vciso.crypto.connect`, reached from `clientfile.open_connection`."""
    drivers, callers = [], []
    for path in _python_files("vciso", "ui", "exports"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, _ in _imports(path):
            if name == "sqlcipher3" and path.name != "crypto.py":
                drivers.append(f"{path.relative_to(ROOT)} imports sqlcipher3")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "vciso.crypto" and \
                    any(alias.name == "connect" for alias in node.names) and path.name != "clientfile.py":
                callers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert drivers == [] and callers == []


def test_no_module_but_the_client_file_touches_its_connection():
    offenders = []
    for path in _python_files("vciso", "ui", "exports"):
        if path.name == "clientfile.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "conn" and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "db":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "_write":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} uses _write")
    assert offenders == []


def test_no_view_sets_another_views_refresh_flags():
    """Views refresh from the operations layer's one `changed` signal; nobody marks them stale by hand."""
    offenders = []
    for path in _python_files("ui"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "stale" and not (
                            isinstance(target.value, ast.Name) and target.value.id == "self"):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("mark_stale", "answers_changed") \
                    and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {node.func.attr}")
    assert offenders == []


def test_the_lock_file_is_known_to_the_core():
    """The CLI warns about a client open in the app, so the lock lives in the core (no Qt)."""
    assert (ROOT / "vciso" / "locking.py").is_file() and not (ROOT / "ui" / "locking.py").exists()
