"""The `vciso` command: the desktop app when run bare, and the scriptable core.

Errors are one line on stderr and a non-zero exit, never a traceback. Only this module of `vciso/` may
import `ui` and `exports`, and only inside the commands that need them, so that scripting commands
never load Qt, reportlab or openpyxl.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from vciso import __version__
from vciso.errors import VcisoError
from vciso.paths import WORKSPACE_ENV, default_workspace

if TYPE_CHECKING:
    import argparse  # loaded by build_parser: `vciso` alone starts the app without it

EXIT_ERROR = 1
EXIT_USAGE = 2


# --------------------------------------------------------------------------- the app


def cmd_app(args: argparse.Namespace) -> int:
    return launch_app(args.workspace)


def launch_app(workspace: str | None) -> int:
    """Start the desktop app on `workspace` (None: the configured or default one).

    On Linux, a start Qt could only end by aborting the process (exit 134, and a message blaming
    xcb-cursor0 whatever is missing) is one VcisoError line instead: see _x11_problem.
    """
    problem = _x11_problem() if sys.platform.startswith("linux") else None
    if problem:
        raise VcisoError(problem)
    gc.disable()  # no garbage collection until the window is painted: see ui.app.run_app, which resumes it
    from ui.app import run_app  # lazily: only the desktop app needs Qt

    return run_app(Path(workspace).expanduser() if workspace else None)


def _x11_problem() -> str | None:
    """Why Qt could not open a window on X11, when X11 is what it would use (QT_QPA_PLATFORM unset or xcb,
    no Wayland display): no display, missing libraries, or an X server out of reach; else None.

    Cheap when all is well (file look-ups only: start-up time is benchmarked); ctypes settles any doubt.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("xcb") and (platform or os.environ.get("WAYLAND_DISPLAY")):
        return None  # a platform the user chose (offscreen, wayland, …) or a Wayland session: Qt's call
    display = os.environ.get("DISPLAY", "")
    if not display:
        return ("no display found — start the app from a desktop session, or use the command line "
                "(vciso --help)")
    # what Qt's xcb plugin and QtGui link against beyond the C/C++ runtime (scripts/install-system-deps.sh)
    libraries = ("libglib-2.0.so.0", "libgthread-2.0.so.0", "libdbus-1.so.3", "libfontconfig.so.1",
                 "libfreetype.so.6", "libEGL.so.1", "libGL.so.1", "libX11.so.6", "libX11-xcb.so.1",
                 "libxkbcommon.so.0", "libxkbcommon-x11.so.0", "libxcb.so.1", "libxcb-cursor.so.0",
                 "libxcb-icccm.so.4", "libxcb-image.so.0", "libxcb-keysyms.so.1", "libxcb-randr.so.0",
                 "libxcb-render.so.0", "libxcb-render-util.so.0", "libxcb-shape.so.0", "libxcb-shm.so.0",
                 "libxcb-sync.so.1", "libxcb-util.so.1", "libxcb-xfixes.so.0", "libxcb-xkb.so.1")
    multiarch = getattr(sys.implementation, "_multiarch", "")
    folders = [f"/usr/lib/{multiarch}", f"/lib/{multiarch}"] if multiarch else []
    folders += ["/usr/lib64", "/usr/lib"]
    unseen = [name for name in libraries if not any(os.path.exists(f"{folder}/{name}") for folder in folders)]
    host, _, screen = display.partition(":")
    if not unseen and not host and os.path.exists(f"/tmp/.X11-unix/X{screen.partition('.')[0]}"):
        return None
    import ctypes  # only now: a library elsewhere, a remote display, or a real problem

    missing = []
    for name in unseen:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    if missing:
        script = Path(__file__).resolve().parent.parent / "scripts" / "install-system-deps.sh"
        where = f"sh {script}" if script.is_file() else "scripts/install-system-deps.sh from the source"
        return f"the desktop libraries Qt needs are missing ({', '.join(missing)}); run {where}"
    xcb = ctypes.CDLL("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    connection = ctypes.c_void_p(xcb.xcb_connect(None, None))  # to the display named by DISPLAY
    failed = xcb.xcb_connection_has_error(connection)
    xcb.xcb_disconnect(connection)
    if failed:
        return (f"cannot open the display '{display}' — start the app from a desktop session, or use the "
                "command line (vciso --help)")
    return None


def plain_launch(argv: list[str]) -> tuple[bool, str | None]:
    """(True, workspace or None) when the arguments only launch the app (`vciso`, `vciso --workspace DIR`),
    else (False, None). Such a launch skips building the parser (argparse, gettext: ~8 ms of start-up)."""
    if not argv:
        return True, os.environ.get(WORKSPACE_ENV) or None
    if len(argv) == 2 and argv[0] == "--workspace" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    option, _, value = argv[0].partition("=")
    if len(argv) == 1 and option == "--workspace" and value:
        return True, value
    return False, None


# --------------------------------------------------------------------------- exports


class _ExportKinds:
    """The kinds `vciso export` takes, read from the exports registry only once the export command is
    parsed or its help shown: other commands never import `exports`."""

    def _kinds(self) -> tuple[str, ...]:
        from exports.registry import KINDS
        return (*KINDS, "evidence")  # evidence: the attached files themselves (vciso.commands.evidence)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._kinds())

    def __contains__(self, kind: object) -> bool:
        return kind in self._kinds()

    def __len__(self) -> int:
        return len(self._kinds())


def check_export_output(path: Path) -> None:
    """Refuse an output path that would destroy a client's data (exports.registry.check_output)."""
    from exports.registry import check_output
    check_output(path)


def write_portfolio_workbook(portfolio: object, path: Path) -> list[str]:
    """Write the portfolio workbook atomically; returns warnings (exports.portfolio_workbook)."""
    from exports.portfolio_workbook import write_portfolio_workbook as write
    return write(portfolio, path)


def cmd_export(args: argparse.Namespace) -> int:
    if args.tag:  # refused before anything is read, like the output path
        from exports.registry import EXPORTERS
        if args.kind not in EXPORTERS or not EXPORTERS[args.kind].scopable:
            kinds = [kind for kind, entry in EXPORTERS.items() if entry.scopable]
            raise VcisoError(f"--tag is for the {', '.join(kinds[:-1])} and {kinds[-1]} exports only")
    if args.kind == "evidence":
        from vciso.commands.evidence import cmd_evidence_export
        return cmd_evidence_export(args)
    from exports.progress import run_to_end
    from exports.registry import ExportOptions, check_output, exporter, write
    from vciso.commands import workspace
    from vciso.report import build_report
    from vciso.settings import load_settings
    settings = load_settings()
    output = Path(args.output).expanduser()
    check_output(output)  # a client file or the trash as the output: refused before the client is even read
    password = None
    if args.password_file is not None:  # read (and refused) before the client is read; never printed
        from exports.registry import EXPORTERS
        from vciso.errors import ProtectionError
        from vciso.password_file import read_password_file
        if not exporter(args.kind).protectable:
            kinds = ", ".join(kind for kind, entry in EXPORTERS.items() if entry.protectable)
            raise ProtectionError(f"--password-file: a {exporter(args.kind).label} cannot be protected with a "
                                  f"password (only {kinds})")
        password = read_password_file(args.password_file)
    since = None
    if getattr(args, "since", None):  # checked before the client is read, like the output path
        from vciso import numbers as num
        if args.kind != "progress":
            raise VcisoError("--since is for the progress report only (vciso export progress …)")
        try:
            since = num.parse_date(args.since)
        except ValueError as exc:
            raise VcisoError(f"--since: {exc}") from None
    with workspace(args).open_client(args.client) as client:
        assessment = client.find_assessment(args.assessment)
        report = build_report(client, assessment.id, settings.branding(), settings.phases(), settings.capacity(),
                              tag=args.tag)  # UnknownTag (naming the tags there are) before anything is written
        from vciso.commands.coverage import export_coverage
        coverage = export_coverage(args, client, assessment.id)  # --coverage FRAMEWORK: appendix / sheet
    # --paper and --blank are for this file only: the settings file is not written
    options = ExportOptions(paper_size=args.paper, prefill=not args.blank, coverage=coverage, password=password,
                            since=since)
    warnings = run_to_end(write(args.kind, report, output, options))
    for warning in warnings:
        print(f"vciso: warning: {warning}", file=sys.stderr)
    print(f"Wrote {output}" + (" (password-protected)" if password else ""))
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # one line, no usage dump
            print(f"vciso: {message} (see 'vciso --help')", file=sys.stderr)
            raise SystemExit(EXIT_USAGE)

    parser = _Parser(prog="vciso", description="vCISO Workbench: security maturity assessments, offline.")
    parser.add_argument("--version", action="version", version=f"vciso-workbench {__version__}")
    parser.add_argument("--workspace", metavar="DIR", default=os.environ.get(WORKSPACE_ENV),
                        help=f"client folder (default: ${WORKSPACE_ENV} or {default_workspace()})")
    from vciso.commands.crypto import add_passphrase_option

    add_passphrase_option(parser)
    parser.set_defaults(func=cmd_app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(parent: Any, name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(func=func)
        return sub

    command(commands, "app", cmd_app, "launch the desktop app (the default)")
    from vciso.commands import register as register_commands  # demo, client, questionnaire, …, portfolio

    register_commands(commands, command)
    sub = command(commands, "export", cmd_export, "write a deliverable")
    kind = sub.add_argument("kind", choices=_ExportKinds(), metavar="KIND")
    kind.metavar = None  # help shows {pdf,xlsx,questionnaire}; KIND only kept add_argument from reading them
    sub.add_argument("client")
    sub.add_argument("assessment", nargs="?")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--blank", action="store_true", help="questionnaire: do not pre-fill current answers")
    sub.add_argument("--paper", type=str.lower, choices=("a4", "letter"),
                     help="pdf: paper size (default: the one chosen in the settings, A4 unless changed)")
    sub.add_argument("--coverage", metavar="FRAMEWORK", help="pdf, docx, xlsx: add the coverage of this framework")
    sub.add_argument("--tag", help="pdf, xlsx, docx, progress: only the questions with this tag (e.g. an "
                                   "implementation group: IG1); the deliverable says so")
    sub.add_argument("--since", metavar="DATE", help="progress: list only what changed on or after DATE "
                                                     "(2027-01-15 or 15 Jan 2027)")
    sub.add_argument("--password-file", metavar="FILE",
                     help="pdf, progress, docx, xlsx: protect the file with the password on the first line of "
                          "FILE ('-': standard input); PDF with AES-256, Word and Excel with Office's own encryption")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    is_launch, workspace = plain_launch(argv)
    if is_launch:
        return _run(lambda: launch_app(workspace))
    from vciso.terminal import escaped_output

    with escaped_output():  # client names and notes come from others: no control characters reach the terminal
        args = build_parser().parse_args(argv)
        return _run(lambda: int(args.func(args) or 0))


def _run(command: Callable[[], int]) -> int:
    """Run a command, turning every failure into one line on stderr and an exit code, never a traceback."""
    try:
        return command()
    except VcisoError as exc:
        print(f"vciso: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("vciso: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"vciso: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if type(exc).__module__ in ("sqlite3", "sqlcipher3.dbapi2"):  # the client file layer maps these; the
            # last safety net
            print(f"vciso: the client file could not be used ({exc})", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("VCISO_DEBUG"):
            raise
        print(f"vciso: unexpected error: {type(exc).__name__}: {exc} (set VCISO_DEBUG=1 for details)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
