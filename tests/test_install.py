"""Installing on a fresh machine: the system-packages script, and `vciso` without a display or libraries.

The script is run against stand-ins for apt-get, dpkg-query and sudo (first on its PATH): a test never
installs anything, and a stand-in that is run says so in the output.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "install-system-deps.sh"
NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")


def _packages() -> list[str]:
    result = subprocess.run(["sh", str(SCRIPT), "--print-packages"], capture_output=True, text=True, check=True)
    return result.stdout.split()


class Sandbox:
    """A copy of the script and a bin folder of stand-ins, readable by every user (nobody included)."""

    def __init__(self, folder: Path, installed: bool, with_sudo: bool = True):
        self.folder = folder
        self.script = folder / "install-system-deps.sh"
        shutil.copy(SCRIPT, self.script)
        bin_dir = folder / "bin"
        bin_dir.mkdir()
        stand_ins = {
            # dpkg-query -W -f='${db:Status-Status}' PACKAGE: "installed", or an error for an unknown package
            "dpkg-query": "printf installed" if installed else "echo 'dpkg-query: no packages found' >&2; exit 1",
            "apt-get": "echo \"STAND-IN apt-get RAN $*\"; exit 97",
        }
        if with_sudo:
            stand_ins["sudo"] = "echo \"STAND-IN sudo RAN $*\"; exit 97"
        for name, body in stand_ins.items():
            (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / "id").symlink_to(shutil.which("id") or "/usr/bin/id")
        for path in [folder, bin_dir, self.script, *bin_dir.iterdir()]:
            if not path.is_symlink():
                path.chmod(0o755)
        self.path = str(bin_dir)  # the script sees nothing else: no real sudo, apt-get or dpkg-query

    def run(self, *args: str, user: list[str] | None = None) -> subprocess.CompletedProcess:
        command = [shutil.which("sh") or "/bin/sh", str(self.script), *args]
        if user:
            command = [shutil.which("setpriv") or "setpriv", *user, *command]
        return subprocess.run(command, capture_output=True, text=True, cwd=self.folder, timeout=30,
                              env={"PATH": self.path, "LANG": "C.UTF-8"})


@pytest.fixture
def sandbox():
    folders: list[str] = []

    def make(installed: bool = False, with_sudo: bool = True) -> Sandbox:
        folders.append(tempfile.mkdtemp(prefix="vciso-install-"))  # not tmp_path: nobody must reach it
        return Sandbox(Path(folders[-1]), installed, with_sudo)
    yield make
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _can_become_nobody() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


# --------------------------------------------------------------------------- the script


def test_the_script_is_valid_shell():
    for shell in ("bash", "sh"):
        if shutil.which(shell):
            result = subprocess.run([shell, "-n", str(SCRIPT)], capture_output=True, text=True)
            assert result.returncode == 0, f"{shell} -n: {result.stderr}"


def test_shellcheck_finds_nothing():
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(["shellcheck", str(SCRIPT)], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_package_list_holds_what_qt_x11_needs_and_python_venv():
    packages = _packages()
    assert len(packages) == len(set(packages))
    for needed in ("python3-venv", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                   "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0",
                   "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "fonts-dejavu-core",
                   "fonts-dejavu-extra"):
        assert needed in packages


def test_a_dry_run_as_root_prints_the_apt_get_commands_without_sudo(sandbox):
    if os.geteuid() != 0:
        pytest.skip("the tests do not run as root")
    result = sandbox().run("--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "apt-get update", "apt-get install -y --no-install-recommends " + " ".join(_packages())]
    assert "STAND-IN" not in result.stdout + result.stderr  # printed, not run


def test_a_dry_run_as_another_user_prefixes_sudo(sandbox):
    if not _can_become_nobody():
        pytest.skip("needs root and setpriv to run the script as the user nobody")
    result = sandbox().run("--dry-run", user=NOBODY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "sudo apt-get update", "sudo apt-get install -y --no-install-recommends " + " ".join(_packages())]
    assert "STAND-IN" not in result.stdout + result.stderr


def test_another_user_without_sudo_is_told_to_run_it_as_root(sandbox):
    if not _can_become_nobody():
        pytest.skip("needs root and setpriv to run the script as the user nobody")
    result = sandbox(with_sudo=False).run(user=NOBODY)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "install-system-deps: installing packages needs root, and sudo is not installed: run this script as "
        "root (su -c 'sh scripts/install-system-deps.sh'), or install sudo"]


def test_a_run_as_root_updates_once_then_installs(sandbox):
    if os.geteuid() != 0:
        pytest.skip("the tests do not run as root")
    result = sandbox().run()
    # the apt-get stand-in fails (97): the script stops at the first command, as set -e promises
    assert result.returncode == 97
    assert result.stderr.splitlines() == ["+ apt-get update"]
    assert result.stdout.splitlines() == ["STAND-IN apt-get RAN update"]


def test_nothing_is_run_when_everything_is_installed(sandbox):
    box = sandbox(installed=True, with_sudo=False)
    users = [None, NOBODY] if _can_become_nobody() else [None]
    for user in users:  # a user without sudo too: there is nothing to install
        for args in ((), ("--dry-run",)):
            result = box.run(*args, user=user)
            assert result.returncode == 0, result.stderr
            assert result.stdout == ("install-system-deps: all the system packages vCISO Workbench needs are "
                                     "installed\n")


def test_an_unknown_option_is_a_usage_error(sandbox):
    result = sandbox().run("--yes")
    assert result.returncode == 2
    assert result.stderr == "install-system-deps: unknown option '--yes' (see --help)\n"


# --------------------------------------------------------------------------- vciso without a display


def _vciso(argv: list[str], env_changes: dict[str, str | None], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the `vciso` entry point in a fresh process; the last line of stdout says whether Qt got loaded."""
    env = dict(os.environ)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env.update({"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
                "VCISO_WORKSPACE": str(tmp_path / "ws"), "PYTHONPATH": str(ROOT)})
    code = ("import sys\nfrom vciso.cli import main\n"
            f"try:\n    code = main({argv!r})\nexcept SystemExit as exit:\n    code = exit.code\n"
            "print('Qt loaded' if 'PySide6' in sys.modules else 'Qt not loaded')\nsys.exit(code)\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


NO_DISPLAY = {"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None}


@linux_only
def test_vciso_without_a_display_says_so_in_one_line(tmp_path):
    result = _vciso([], NO_DISPLAY, tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "vciso: no display found — start the app from a desktop session, or use the command line (vciso --help)"]
    assert result.stdout.splitlines() == ["Qt not loaded"]  # the check comes before Qt


@linux_only
def test_vciso_on_a_display_that_is_not_there_says_so_in_one_line(tmp_path):
    number = next(n for n in range(250, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    result = _vciso([], {**NO_DISPLAY, "DISPLAY": f":{number}"}, tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    # where the X11 libraries are missing (a bare CI machine), that is what it says instead
    assert (line.startswith(f"vciso: cannot open the display ':{number}' — start the app from a desktop")
            or line.startswith("vciso: the desktop libraries Qt needs are missing ("))
    assert result.stdout.splitlines() == ["Qt not loaded"]


@pytest.mark.parametrize("env, expected", [
    ({"QT_QPA_PLATFORM": "offscreen"}, None),  # tests, benchmarks, screenshots: no display needed
    ({"QT_QPA_PLATFORM": "minimal"}, None),
    ({"WAYLAND_DISPLAY": "wayland-0"}, None),  # a Wayland session: Qt picks its Wayland plugin
    ({"QT_QPA_PLATFORM": "xcb"}, "no display found"),  # X11 asked for, and no X display
    ({}, "no display found"),
])
def test_only_a_start_on_x11_is_checked(env, expected, monkeypatch):
    from vciso.cli import _x11_problem

    for name in NO_DISPLAY:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    problem = _x11_problem()
    assert (problem if expected is None else (problem or "")[:len(expected)]) == expected


@linux_only
def test_missing_x11_libraries_are_named_with_the_script_to_run(monkeypatch, cli):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    real_exists = os.path.exists
    monkeypatch.setattr(os.path, "exists", lambda p: False if "libxcb-" in str(p) else real_exists(p))

    def load(name: str, *args, **kwargs):
        if name in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1"):
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()
    monkeypatch.setattr(ctypes, "CDLL", load)
    code, out, err = cli()
    assert code == 1 and out == ""
    assert err.splitlines() == [f"vciso: the desktop libraries Qt needs are missing (libxcb-icccm.so.4, "
                                f"libxcb-keysyms.so.1); run sh {SCRIPT}"]


def _needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of a 64-bit little-endian ELF file (what `readelf -d` lists as NEEDED)."""
    data = path.read_bytes()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    dynamic = next(s for s in sections if s[1] == 6)  # SHT_DYNAMIC; its sh_link is the string table
    strtab_offset = sections[dynamic[6]][4]
    names = []
    for offset in range(dynamic[4], dynamic[4] + dynamic[5], 16):
        tag, value = struct.unpack_from("<qQ", data, offset)
        if tag == 0:
            break
        if tag == 1:  # DT_NEEDED
            start = strtab_offset + value
            names.append(data[start:data.index(b"\0", start)].decode())
    return names


@linux_only
def test_the_display_check_covers_what_qts_x11_plugin_links_against(monkeypatch, cli):
    """If a PySide6 upgrade links the xcb plugin against another library, the check and the script must
    learn it: this lists the plugin's and QtGui's libraries beyond the C/C++ runtime and zlib."""
    pyside = pytest.importorskip("PySide6")
    if sys.maxsize < 2**32 or sys.byteorder != "little":
        pytest.skip("the ELF reader here reads 64-bit little-endian files")
    qt = Path(pyside.__file__).parent / "Qt"
    linked: set[str] = set()
    for path in (qt / "plugins/platforms/libqxcb.so", qt / "lib/libQt6XcbQpa.so.6", qt / "lib/libQt6Gui.so.6",
                 qt / "lib/libQt6Core.so.6", qt / "lib/libQt6DBus.so.6", qt / "lib/libQt6Widgets.so.6"):
        linked |= {name for name in _needed(path) if not name.startswith(("libQt6", "libicu"))}
    runtime = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2",
               "libz.so.1", "libzstd.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1",
               "ld-linux-aarch64.so.1"}
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(os.path, "exists", lambda p: False)

    def load(name: str, *args, **kwargs):
        raise OSError(name)
    monkeypatch.setattr(ctypes, "CDLL", load)
    from vciso.cli import _x11_problem

    problem = _x11_problem() or ""
    checked = set(problem.partition("(")[2].partition(")")[0].split(", "))
    unchecked = sorted(linked - runtime - checked)
    assert not unchecked, f"linked by Qt but not checked by vciso.cli._x11_problem: {unchecked}"


@linux_only
def test_the_script_installs_the_package_of_every_checked_library(monkeypatch):
    """The libraries the display check looks for, mapped to their packages by dpkg, are all in the script."""
    if not shutil.which("dpkg-query"):
        pytest.skip("not a Debian system")
    packages = _packages()
    installed = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status} ${Package}\n", *packages],
                               capture_output=True, text=True).stdout.split("\n")
    if sum(line.startswith("installed ") for line in installed) < len(packages):
        pytest.skip("the script's packages are not all installed here (run scripts/install-system-deps.sh)")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(os.path, "exists", lambda p: False)

    def load(name: str, *args, **kwargs):
        raise OSError(name)
    monkeypatch.setattr(ctypes, "CDLL", load)
    from vciso.cli import _x11_problem

    checked = (_x11_problem() or "").partition("(")[2].partition(")")[0].split(", ")
    monkeypatch.undo()
    owners = subprocess.run(["dpkg-query", "-S", *(f"*/{name}" for name in checked)], capture_output=True,
                            text=True).stdout
    owning = {line.split(":")[0] for line in owners.splitlines()}
    for name in checked:
        assert any(f"/{name}" in line for line in owners.splitlines()), f"no package holds {name}"
    assert owning <= set(packages), f"packages missing from the script: {sorted(owning - set(packages))}"


# --------------------------------------------------------------------------- --version


def test_version_prints_the_distribution_name_and_version_without_loading_qt(tmp_path):
    from vciso import __version__

    result = _vciso(["--version"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"vciso-workbench {__version__}", "Qt not loaded"]
    assert result.stderr == ""
