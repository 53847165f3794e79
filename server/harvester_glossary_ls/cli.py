"""Command line: `check`, `define`, `terms`, and the language server when run bare or `--stdio`.

This module never imports pygls or lsprotocol (the server is imported only when serving), so a
CI check starts in tens of milliseconds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harvester_glossary_ls import __version__, keeper_commands
from harvester_glossary_ls.command_check import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, run_check
from harvester_glossary_ls.command_project import add_glossary_options, project_from_options
from harvester_glossary_ls.engine.rule_codes import CODES
from harvester_glossary_ls.no_client import stdin_without_client
from harvester_glossary_ls.report_formats import FORMATS

if TYPE_CHECKING:
    from harvester_glossary_ls.engine.project import Project

FAIL_ON = ("error", "warning", "information", "hint", "never")

EXIT_CODES = """\
exit codes:
  0  nothing at or above --fail-on was found (also: --changed-since found no changed file)
  1  findings at or above --fail-on
  2  a usage error, a path that does not exist, a file that cannot be read, a broken config,
     glossary or baseline, no files to check, or git failing for --changed-since
"""


class _Help(argparse.RawDescriptionHelpFormatter):
    """Keeps the exit-code table as written; defaults are said in each option's help."""


def _check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) \
        -> argparse.ArgumentParser:
    check = commands.add_parser(
        "check", help="check Markdown and YAML files", formatter_class=_Help, epilog=EXIT_CODES,
        description="Check Markdown and YAML files against the glossary.\nFindings go to "
                    "stdout; a one-line summary and errors go to stderr.")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or folders to check (default: .)")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="output format (default: %(default)s)")
    check.add_argument("--fix", action="store_true",
                       help="apply safe fixes (unambiguous replacements and casing; not "
                            "unlinked-term's links unless named with --fix-rule)")
    check.add_argument("--fix-rule", action="append", choices=CODES, metavar="RULE",
                       help="apply only this rule's safe fixes (repeatable; implies --fix; "
                            "turns an off-by-default rule such as unlinked-term on, as a hint, "
                            "unless the config sets it)")
    check.add_argument("--fail-on", choices=FAIL_ON, default="warning",
                       help="lowest severity that makes the exit code 1 (default: %(default)s)")
    check.add_argument("--changed-since", metavar="REF",
                       help="check only files changed since the merge base of REF and HEAD: "
                            "committed, staged, unstaged and untracked (not ignored); with "
                            "PATHs, only changed files under them")
    check.add_argument("--only-changed-lines", action="store_true",
                       help="with --changed-since: report only findings on changed lines")
    check.add_argument("--baseline", metavar="FILE",
                       help="report only findings that FILE does not record")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record today's findings in FILE (and report none)")
    check.add_argument("--cache", action="store_true",
                       help="reuse the findings of files (and glossaries) unchanged since the "
                            "last --cache run, kept in ./.harvester-glossary-ls-cache")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="keep the cache in DIR instead (implies --cache)")
    check.add_argument("--jobs", type=int, default=0, metavar="N",
                       help="processes that share a big run (default 0: one per CPU; 1: none); "
                            "--fix always runs in one")
    return check


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harvester-glossary-ls", formatter_class=_Help, epilog="check " + EXIT_CODES,
        description="The Harvester HCI glossary as a language server (run without a command, or "
                    "with --stdio) and as a command-line check.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve LSP on stdio (the default)")
    commands = parser.add_subparsers(dest="command")

    add_glossary_options(_check_parser(commands))

    define = commands.add_parser("define", help="show a glossary entry")
    define.add_argument("term", nargs="+")
    add_glossary_options(define)

    terms = commands.add_parser("terms", help="list the active glossary's entries")
    terms.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: %(default)s)")
    add_glossary_options(terms)
    keeper_commands.add_parsers(commands)  # report, discover
    return parser


def _usage_problem(args: argparse.Namespace) -> str | None:
    """A combination of `check` options that cannot work, said before anything runs."""
    if args.only_changed_lines and not args.changed_since:
        return "--only-changed-lines needs --changed-since REF"
    if args.jobs < 0:
        return "--jobs N takes 0 (one process per CPU) or more"
    if args.write_baseline and (args.changed_since or args.baseline):
        return ("--write-baseline records every finding of the PATHs: it cannot be combined with "
                "--changed-since or --baseline")
    return None


def _project(args: argparse.Namespace) -> Project | None:
    return project_from_options(args, Path.cwd())


def run_define(args: argparse.Namespace) -> int:
    project = _project(args)
    if project is None:
        return EXIT_ERROR
    compiled = project.default_glossary()
    query = " ".join(args.term)
    pattern = compiled.index.lookup(query)
    entry = compiled.index.entry(query) or (pattern.entry if pattern else None)
    if entry is None:
        from rapidfuzz import process

        names = [n for e in compiled.glossary.entries for n in e.names]
        close = [name for name, score, _ in process.extract(query, names, limit=3)
                 if score >= 60]
        print(f"'{query}' is not in the glossary.", file=sys.stderr)
        if close:
            print("Did you mean: " + ", ".join(close) + "?", file=sys.stderr)
        return EXIT_FINDINGS
    if pattern is not None and pattern.deprecation is not None:
        dep = pattern.deprecation
        print(f"'{query}' is deprecated: use " + " or ".join(dep.use) + "\n")
    from harvester_glossary_ls.engine.render import terminal_text

    print(terminal_text(entry))
    return EXIT_CLEAN


def run_terms(args: argparse.Namespace) -> int:
    project = _project(args)
    if project is None:
        return EXIT_ERROR
    entries = project.default_glossary().glossary.entries
    if args.format == "json":
        json.dump([{"term": e.term, "aliases": list(e.aliases), "definition": e.definition,
                    "glossary": e.glossary, "url": e.url, "links": [link.url for link in e.links],
                    "deprecated": [{"form": d.form, "use": list(d.use),
                                    "since": f"v{d.since[0]}.{d.since[1]}" if d.since else None}
                                   for d in e.deprecations]} for e in entries],
                  sys.stdout, indent=2)
        print()
    else:
        shown = None
        for entry in entries:
            if entry.glossary != shown:  # a `# name` line before each glossary's entries
                shown = entry.glossary
                print(f"# {shown or 'glossary'}")
            aliases = f" (also: {', '.join(entry.aliases)})" if entry.aliases else ""
            print(f"{entry.term}{aliases}")
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "check" and (problem := _usage_problem(args)):
        parser.error(problem)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "define":
            return run_define(args)
        if args.command == "terms":
            return run_terms(args)
        if args.command == "report":
            return keeper_commands.run_report(args)
        if args.command == "discover":
            return keeper_commands.run_discover(args)
    except BrokenPipeError:
        return EXIT_CLEAN
    if (why := stdin_without_client()) is not None:  # before half a second of LSP imports
        print(f"harvester-glossary-ls: {why}", file=sys.stderr)
        return 1  # as when a client goes away without `shutdown`
    from harvester_glossary_ls.lsp.server import serve

    return serve()
