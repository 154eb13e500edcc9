"""`vciso portfolio [--json] [-o FILE.xlsx]`: every client of the workspace with its latest assessment, scores and actions."""

from __future__ import annotations

import argparse
from typing import Any, Callable


def cmd_portfolio(args: argparse.Namespace) -> int:
    from vciso import numbers as num
    from vciso.commands import run_steps, workspace
    from vciso.portfolio import iter_portfolio, portfolio_json

    output = None
    if args.output:
        from pathlib import Path

        from vciso.cli import check_export_output  # the entry point is the one core module that loads writers

        output = Path(args.output).expanduser()
        check_export_output(output)  # a client file as the output is refused before anything is read
    from vciso.commands.crypto import given_passphrase
    from vciso.crypto import is_encrypted

    clients = workspace(args)
    given = given_passphrase(args)  # tried on every encrypted client; the others are listed as locked
    passphrases = {path: given for path in clients.client_paths() if is_encrypted(path)} if given else {}
    portfolio = run_steps(iter_portfolio(clients, passphrases=passphrases), quiet=args.json)
    if output is not None:
        import sys

        from vciso.cli import write_portfolio_workbook

        for warning in write_portfolio_workbook(portfolio, output):
            print(f"vciso: warning: {warning}", file=sys.stderr)
        if not args.json:
            print(f"Wrote {output} ({num.plural(len(portfolio.rows), 'client')})")
            return 0
    if args.json:
        from vciso.terminal import json_text

        print(json_text(portfolio_json(portfolio)))
        return 0
    if not portfolio.rows:
        print("No clients yet. Create one with 'vciso client new NAME' or 'vciso demo'.")
        return 0
    print(f"{'Client':<28} {'Latest assessment':<28} {'Date':<12} {'Score':>5} {'To target':>9} "
          f"{'Complete':>8} {'Change':>6} {'Open':>4} {'Overdue':>7} {'Next due':<12} {'Days':>5}")
    for row in portfolio.rows:
        if not row.ok:
            print(f"{row.file_id:<28} {row.error}")
            continue
        days = "" if row.days_since is None else f"{row.days_since}{'!' if row.stale else ''}"
        print(f"{row.name[:28]:<28} {(row.assessment_name or num.DASH)[:28]:<28} "
              f"{row.assessment_date or num.DASH:<12} {num.score(row.score):>5} "
              f"{num.percent(row.percent_to_target):>9} {num.percent(row.completion):>8} "
              f"{num.change(row.change) or num.DASH:>6} {row.open_actions:>4} {row.overdue_actions:>7} "
              f"{row.next_due or num.DASH:<12} {days:>5}")
    stale = sum(1 for row in portfolio.rows if row.stale)
    print(f"\n{num.plural(len(portfolio.rows) - len(portfolio.errors), 'client')}"
          + (f"; {stale} not assessed for over 180 days (!)" if stale else "")
          + (f"; {len(portfolio.errors)} unreadable" if portfolio.errors else ""))
    return 0


def register(subparsers: Any, command: Callable) -> None:
    """Add `portfolio` to the `vciso` parser."""
    sub = command(subparsers, "portfolio", cmd_portfolio,
                  "list every client with its latest assessment, score, open and overdue actions (an encrypted "
                  "client is read with the passphrase given by --passphrase-file or $VCISO_PASSPHRASE, else "
                  "listed as locked)")
    sub.add_argument("--json", action="store_true", help="the portfolio as JSON (shape in the README)")
    sub.add_argument("-o", "--output", metavar="FILE.xlsx",
                     help="also write the portfolio workbook (one row per client, a native table, print-ready)")
