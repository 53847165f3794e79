"""Command line: `check`, `define`, `terms`, and the language server when run bare or `--stdio`.

This module never imports pygls or lsprotocol (the server is imported only when serving), so a
CI check starts in tens of milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harvester_glossary_ls import __version__, keeper_commands
from harvester_glossary_ls.command_project import project_from_options
from harvester_glossary_ls.engine.analysis import Analysis, analyze, language_of
from harvester_glossary_ls.engine.baseline import (
    BaselineError,
    Fingerprint,
    Matcher,
    fingerprints,
)
from harvester_glossary_ls.engine.baseline import dumps as baseline_text
from harvester_glossary_ls.engine.baseline import load as load_baseline
from harvester_glossary_ls.engine.changes import (
    ALL_LINES,
    Changes,
    GitError,
    changes_since,
    on_changed_lines,
)
from harvester_glossary_ls.engine.config import Config
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.fixes import ChangedOnDisk, LeavesTree, fix_file
from harvester_glossary_ls.engine.models import Severity
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.render import terminal_text
from harvester_glossary_ls.engine.rules import CODES, ON_SEVERITY
from harvester_glossary_ls.engine.walk import documents_in, is_document, not_glossaries
from harvester_glossary_ls.no_client import stdin_without_client
from harvester_glossary_ls.report_formats import FORMATS, FileError, Located, locate, write_report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
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
    return check


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harvester-glossary-ls", formatter_class=_Help, epilog="check " + EXIT_CODES,
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
                         help="docs version whose glossary and deprecations apply (default: "
                              "the config's glossaryVersion, else each file's docs tree)")
        sub.add_argument("--no-config", action="store_true",
                         help="ignore .harvester-glossary.yaml")
        sub.add_argument("--no-default-glossary", action="store_true",
                         help="leave out the built-in Harvester glossary (and a Harvester docs "
                              "checkout's own page): only --glossary and configured ones apply")

    glossary_options(_check_parser(commands))

    define = commands.add_parser("define", help="show a glossary entry")
    define.add_argument("term", nargs="+")
    glossary_options(define)

    terms = commands.add_parser("terms", help="list the active glossary's entries")
    terms.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: %(default)s)")
    glossary_options(terms)
    keeper_commands.add_parsers(commands)  # report, discover
    return parser


def _usage_problem(args: argparse.Namespace) -> str | None:
    """A combination of `check` options that cannot work, said before anything runs."""
    if args.only_changed_lines and not args.changed_since:
        return "--only-changed-lines needs --changed-since REF"
    if args.write_baseline and (args.changed_since or args.baseline):
        return ("--write-baseline records every finding of the PATHs: it cannot be combined with "
                "--changed-since or --baseline")
    return None


def _project(args: argparse.Namespace, root: Path) -> Project | None:
    # --fix-rule on an off-by-default rule: on at the lowest layer, so the config still rules
    fixed = getattr(args, "fix_rule", None) or ()
    lowest = Config(rules=tuple((code, ON_SEVERITY[code]) for code in dict.fromkeys(fixed)
                                if code in ON_SEVERITY) or None)
    return project_from_options(args, root, lowest)


def _has_glossary(project: Project, path: Path | None) -> bool:
    glossary = project.compiled_for(path)[0].glossary
    return bool(glossary.entries or glossary.yaml_rules)


def _report_problems(project: Project) -> int:
    for problem in project.problems:
        print(f"{problem}", file=sys.stderr)
    return len([p for p in project.problems if p.severity == Severity.ERROR])


def _fix(path: Path, analysis: Analysis, root: Path, errors: list[FileError],
         rules: tuple[str, ...] | None = None) -> str | None:
    """Apply the certain fixes (of `rules` only, when given: --fix-rule); None (and no write)
    when there are none or it is not safe to."""
    try:
        return fix_file(path, analysis.text, analysis.findings, root, analysis.scan, rules)
    except LeavesTree as outside:
        print(f"note: {path}: not fixed: it leads to {outside.target}, outside {root}",
              file=sys.stderr)
    except (ChangedOnDisk, UnreadableFile):
        errors.append(FileError("not fixed: it changed while it was checked", str(path)))
    except OSError as write_error:
        errors.append(FileError(f"cannot write fixes: {write_error}", str(path)))
    return None


@dataclass
class CheckRun:
    """What one `check` found and did, for the report, the summary and the exit code."""

    root: Path
    located: list[Located] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    fingerprints: list[Fingerprint] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    """Each checked file's path relative to the root, as a baseline names it."""
    with_findings: int = 0
    fixed_files: int = 0
    unchanged_lines: int = 0
    """Findings left out by --only-changed-lines."""
    fix_rules: tuple[str, ...] | None = None
    """--fix-rule: the rules whose fixes --fix applies (None: all but the opt-in ones)."""


def _analyse(path: Path, project: Project, fix_root: Path | None,
             run: CheckRun) -> Analysis | None:
    """The analysis of one file (after fixing it when `fix_root` is given); None for a file the
    engine cannot read."""
    try:
        text = read_document(path)
    except UnreadableFile as unreadable:
        run.errors.append(FileError(str(unreadable), str(path)))
        return None
    language = language_of(path.name)
    assert language is not None  # the caller skips the others
    context = project.context_for(path.resolve())
    analysis = analyze(text, language, context)
    if fix_root is not None and analysis.findings:
        fixed = _fix(path, analysis, fix_root, run.errors, run.fix_rules)
        if fixed is not None:
            run.fixed_files += 1
            analysis = analyze(fixed, language, context)
    return analysis


def _relative(path: Path, root: Path) -> str:
    """A path relative to the run's root, with `/` (a baseline's file names)."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _fingerprints(name: str, analysis: Analysis) -> list[Fingerprint]:
    lines, text = analysis.scan.lines, analysis.text
    line_texts: dict[int, str] = {}  # one slice per line: a 1 MB line may hold 50,000 findings
    items = []
    for finding in analysis.findings:
        line = lines.line_of(finding.start)
        if line not in line_texts:
            line_texts[line] = text[lines.starts[line]:lines.line_end(line)]
        items.append((finding.code, text[finding.start:finding.end], line_texts[line]))
    return fingerprints(name, items)


@dataclass(frozen=True)
class Filters:
    """What narrows a file's findings: a baseline, and the changed lines of each file."""

    baseline: Matcher | None = None
    changes: Changes | None = None
    only_changed_lines: bool = False
    fingerprint: bool = False
    """Whether findings need fingerprints (a baseline is read or written)."""


def _record(path: Path, analysis: Analysis, run: CheckRun, filters: Filters) -> None:
    """Add one file's findings to the run, less those the baseline knows and, with
    --only-changed-lines, those on unchanged lines."""
    name = _relative(path, run.root)
    run.checked.append(name)
    prints: Sequence[Fingerprint | None] = _fingerprints(name, analysis) \
        if filters.fingerprint else [None] * len(analysis.findings)
    lines = filters.changes.lines_of(path) if filters.changes and filters.only_changed_lines \
        else ALL_LINES
    kept = 0
    for finding, fingerprint in zip(analysis.findings, prints, strict=True):
        if fingerprint is not None and filters.baseline is not None \
                and filters.baseline.known(fingerprint):
            continue
        item = locate(str(path), analysis.scan.lines, finding)
        if not on_changed_lines(lines, item.line, item.end_line):
            run.unchanged_lines += 1
            continue
        run.located.append(item)
        if fingerprint is not None:
            run.fingerprints.append(fingerprint)
        kept += 1
    run.with_findings += kept > 0


def _changes(args: argparse.Namespace, root: Path) -> Changes | None:
    """The files (and lines) changed since --changed-since's ref; git runs only for it."""
    try:
        return changes_since(args.changed_since, root, with_lines=args.only_changed_lines)
    except GitError as failed:
        print(f"error: --changed-since {args.changed_since}: {failed}", file=sys.stderr)
        return None


def _filters(args: argparse.Namespace, root: Path) -> Filters | None:
    """The baseline and the changes the options ask for; None (after saying why) when one of
    them cannot be had."""
    matcher = None
    if args.baseline:
        try:
            matcher = Matcher(load_baseline(Path(args.baseline)))
        except BaselineError as broken:
            print(f"error: {broken}", file=sys.stderr)
            return None
    changes = None
    if args.changed_since:
        changes = _changes(args, root)
        if changes is None:
            return None
    return Filters(matcher, changes, args.only_changed_lines,
                   fingerprint=bool(args.baseline or args.write_baseline))


def _walk(args: argparse.Namespace, project: Project, run: CheckRun, filters: Filters) -> int:
    """Check every document the PATHs name (the changed ones only, with --changed-since) and
    return how many documents matched before that narrowing."""
    fix_root = run.root if args.fix else None
    matched = 0
    glossary = _has_glossary(project, project.root / "_" if project.root else None)
    checked = not_glossaries(project.glossary_paths(), project.included)
    for path in documents_in(args.paths, checked, missing=lambda raw: run.errors.append(
            FileError("no such file or directory", raw))):
        if language_of(path.name) is None:
            continue
        matched += 1
        if filters.changes is not None and path not in filters.changes:
            continue
        glossary = glossary or _has_glossary(project, path.resolve())
        analysis = _analyse(path, project, fix_root, run)
        if analysis is not None:
            _record(path, analysis, run, filters)
    if not glossary:  # defaultGlossary off and nothing else: say so, never pass silently
        run.errors.append(FileError("no glossary to check against (the default glossary is "
                                    "off and no other glossary is configured)"))
    return matched


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(run: CheckRun, filters: Filters) -> str:
    """The one line on stderr: "14 findings in 9 of 218 files (3 suppressed by the baseline)"."""
    files = _plural(len(run.checked), "changed file" if filters.changes else "file")
    found = len(run.located)
    line = (f"{_plural(found, 'finding')} in {run.with_findings} of {files}" if found
            else f"no findings in {files}")
    notes = []
    if filters.baseline is not None:
        notes.append(f"{filters.baseline.suppressed} suppressed by the baseline")
        stale = filters.baseline.stale(run.checked)
        if stale:
            notes.append(f"{_plural(stale, 'baseline entry')} no longer found"
                         .replace("entrys", "entries"))
    if run.unchanged_lines:
        notes.append(f"{run.unchanged_lines} on unchanged lines not shown")
    return line + (f" ({'; '.join(notes)})" if notes else "")


def _write_baseline(target: str, run: CheckRun) -> bool:
    """Record the run's findings; False (after saying why) when the file cannot be written."""
    path = Path(target)
    try:
        path.write_bytes(baseline_text(run.fingerprints).encode("utf-8"))
    except OSError as failed:
        print(f"error: cannot write baseline {path}: {failed.strerror or failed}",
              file=sys.stderr)
        return False
    print(f"wrote {_plural(len(run.fingerprints), 'finding')} of "
          f"{_plural(len(run.checked), 'file')} to {path}", file=sys.stderr)
    return True


def _exit_code(args: argparse.Namespace, run: CheckRun, bad_config: int) -> int:
    if run.errors or bad_config:
        return EXIT_ERROR
    threshold = None if args.fail_on == "never" else Severity.parse(args.fail_on)
    if threshold is not None and any(item.finding.severity <= threshold
                                     for item in run.located):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _nothing_checked(run: CheckRun, matched: int, filters: Filters,
                     paths: Sequence[str]) -> int | None:
    """The exit code when no file was checked: 2 when the PATHs name no document at all (a
    typo must not pass green), 0 when --changed-since left none or the config excludes every
    document named one by one (a normal outcome in CI and in a pre-commit hook)."""
    if run.checked or any(error.path for error in run.errors):
        return None
    if matched and filters.changes is not None:
        print("no changed files to check", file=sys.stderr)
        return EXIT_CLEAN if not run.errors else EXIT_ERROR
    if paths and all(Path(raw).is_file() and is_document(raw) for raw in paths):
        print("no files to check: the config excludes every file named", file=sys.stderr)
        return EXIT_CLEAN
    if not matched:
        print("error: no files to check (no Markdown or YAML file in the PATHs, or the config "
              "excludes them all)", file=sys.stderr)
        return EXIT_ERROR
    return None


def run_check(args: argparse.Namespace) -> int:
    root = Path.cwd()
    project = _project(args, root)
    if project is None:
        return EXIT_ERROR
    bad_config = _report_problems(project)
    filters = _filters(args, root)
    if filters is None:
        return EXIT_ERROR
    run = CheckRun(root.resolve(), fix_rules=tuple(args.fix_rule) if args.fix_rule else None)
    args.fix = args.fix or run.fix_rules is not None
    matched = _walk(args, project, run, filters)
    for error in run.errors:
        print(f"error: {error}", file=sys.stderr)
    nothing = _nothing_checked(run, matched, filters, args.paths)
    if nothing is not None:
        if args.format in ("sarif", "json"):  # keep stdout a valid document for pipes
            write_report([], args.format, sys.stdout, run.errors)
        return max(nothing, EXIT_ERROR if bad_config else nothing)
    if args.write_baseline:
        written = _write_baseline(args.write_baseline, run)
        return EXIT_ERROR if run.errors or bad_config or not written else EXIT_CLEAN
    write_report(run.located, args.format, sys.stdout, run.errors)
    if args.fix:
        print(f"fixed {run.fixed_files} file(s)", file=sys.stderr)
    if not any(error.path is None for error in run.errors):  # else nothing was really checked
        print(summary(run, filters), file=sys.stderr)
    return _exit_code(args, run, bad_config)


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
