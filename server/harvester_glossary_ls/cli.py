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

from harvester_glossary_ls import __version__
from harvester_glossary_ls.engine.analysis import Analysis, analyze, language_of
from harvester_glossary_ls.engine.config import Config
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.fixes import ChangedOnDisk, LeavesTree, fix_file
from harvester_glossary_ls.engine.models import Severity, parse_version
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.render import terminal_text
from harvester_glossary_ls.engine.walk import documents_in, not_glossaries
from harvester_glossary_ls.report_formats import FORMATS, Located, locate, write_report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning", "information", "hint", "never")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harvester-glossary-ls",
        description="The Harvester HCI glossary as a language server (run without a command, or "
                    "with --stdio) and as a command-line check.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve LSP on stdio (the default)")
    commands = parser.add_subparsers(dest="command")

    def glossary_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--glossary", action="append", default=[], metavar="FILE",
                         help="extra glossary: a YAML glossary, a glossary page, or a folder of "
                              "term pages (repeatable)")
        sub.add_argument("--glossary-version", metavar="vX.Y",
                         help="docs version whose glossary and deprecations apply")
        sub.add_argument("--no-config", action="store_true",
                         help="ignore .harvester-glossary.yaml")
        sub.add_argument("--no-default-glossary", action="store_true",
                         help="leave out the built-in Harvester glossary (and a Harvester docs "
                              "checkout's own page): only --glossary and configured ones apply")

    check = commands.add_parser("check", help="check Markdown and YAML files")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--fix", action="store_true",
                       help="apply safe fixes (unambiguous replacements and casing)")
    check.add_argument("--fail-on", choices=FAIL_ON, default="warning",
                       help="lowest severity that makes the exit code 1 (default: warning)")
    glossary_options(check)

    define = commands.add_parser("define", help="show a glossary entry")
    define.add_argument("term", nargs="+")
    glossary_options(define)

    terms = commands.add_parser("terms", help="list the active glossary's entries")
    terms.add_argument("--format", choices=("text", "json"), default="text")
    glossary_options(terms)
    return parser


def _project(args: argparse.Namespace, root: Path) -> Project | None:
    version = None
    if args.glossary_version:
        version = parse_version(args.glossary_version)
        if version is None:
            print(f"error: --glossary-version must look like v1.7, not {args.glossary_version!r}",
                  file=sys.stderr)
            return None
    extra = tuple(Path(g) for g in args.glossary)
    for path in extra:
        if not path.exists():
            print(f"error: glossary {path} does not exist", file=sys.stderr)
            return None
    overrides = Config(glossary_version=version,
                       default_glossary=False if args.no_default_glossary else None)
    return Project(root, overrides=overrides, extra_glossaries=extra,
                   use_config_file=not args.no_config)


def _has_glossary(project: Project, path: Path | None) -> bool:
    glossary = project.compiled_for(path)[0].glossary
    return bool(glossary.entries or glossary.yaml_rules)


def _report_problems(project: Project) -> int:
    for problem in project.problems:
        print(f"{problem}", file=sys.stderr)
    return len([p for p in project.problems if p.severity == Severity.ERROR])


def _fix(path: Path, analysis: Analysis, root: Path, errors: list[str]) -> str | None:
    """Apply the certain fixes; None (and no write) when there are none or it is not safe to."""
    try:
        return fix_file(path, analysis.text, analysis.findings, root, analysis.scan)
    except LeavesTree as outside:
        print(f"note: {path}: not fixed: it leads to {outside.target}, outside {root}",
              file=sys.stderr)
    except (ChangedOnDisk, UnreadableFile):
        errors.append(f"{path}: not fixed: it changed while it was checked")
    except OSError as write_error:
        errors.append(f"{path}: cannot write fixes: {write_error}")
    return None


def _check_file(path: Path, project: Project, fix_root: Path | None,
                errors: list[str]) -> tuple[list[Located], bool]:
    """The findings of one file (after fixing it when `fix_root` is given) and whether it was
    rewritten; nothing for a file the engine cannot read."""
    language = language_of(path.name)
    if language is None:
        return [], False
    try:
        text = read_document(path)
    except UnreadableFile as unreadable:
        errors.append(f"{path}: {unreadable}")
        return [], False
    context = project.context_for(path.resolve())
    analysis = analyze(text, language, context)
    fixed = None
    if fix_root is not None and analysis.findings:
        fixed = _fix(path, analysis, fix_root, errors)
        if fixed is not None:
            analysis = analyze(fixed, language, context)
    return [locate(str(path), analysis.scan.lines, f) for f in analysis.findings], fixed is not None


def run_check(args: argparse.Namespace) -> int:
    root = Path.cwd()
    project = _project(args, root)
    if project is None:
        return EXIT_ERROR
    bad_config = _report_problems(project)
    errors: list[str] = []
    located: list[Located] = []
    fixed_files = 0
    fix_root = root.resolve() if args.fix else None
    glossary = _has_glossary(project, project.root / "_" if project.root else None)
    checked = not_glossaries(project.glossary_paths(), project.included)
    for path in documents_in(args.paths, checked, missing=lambda raw: errors.append(
            f"{raw}: no such file or directory")):
        glossary = glossary or _has_glossary(project, path.resolve())
        found, fixed = _check_file(path, project, fix_root, errors)
        located += found
        fixed_files += int(fixed)
    if not glossary:  # defaultGlossary off and nothing else: say so, never pass silently
        errors.append("no glossary to check against (the default glossary is off and no other "
                      "glossary is configured)")
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    write_report(located, args.format, sys.stdout)
    if args.fix:
        print(f"fixed {fixed_files} file(s)", file=sys.stderr)
    if errors or bad_config:
        return EXIT_ERROR
    threshold = None if args.fail_on == "never" else Severity.parse(args.fail_on)
    if threshold is not None and any(item.finding.severity <= threshold for item in located):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run_define(args: argparse.Namespace) -> int:
    project = _project(args, Path.cwd())
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
    print(terminal_text(entry))
    return EXIT_CLEAN


def run_terms(args: argparse.Namespace) -> int:
    project = _project(args, Path.cwd())
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
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "define":
            return run_define(args)
        if args.command == "terms":
            return run_terms(args)
    except BrokenPipeError:
        return EXIT_CLEAN
    from harvester_glossary_ls.lsp.server import serve

    return serve()
