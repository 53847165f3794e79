"""The glossary keeper's commands: `report` (coverage as a self-contained HTML page or JSON) and
`discover` (candidate terms the glossary lacks).

`cli.py` registers them with `add_parsers` and dispatches to `run_report` / `run_discover`.
Like the rest of the CLI, this module never imports pygls or lsprotocol.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from harvester_glossary_ls.command_project import add_glossary_options, project_from_options
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.models import Glossary, Severity
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.walk import language_of

if TYPE_CHECKING:
    from harvester_glossary_ls.engine import discover as discover_mod
    from harvester_glossary_ls.engine.analysis import Analysis

EXIT_OK, EXIT_ERROR = 0, 2


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `report` and `discover` on the CLI's subparsers."""
    report = commands.add_parser(
        "report", help="glossary coverage of a docs tree as one HTML page (or JSON)",
        description="Per term: uses per docs version, the pages that use it most and the "
                    "spellings in use; terms never used per version; deprecated forms still in "
                    "use; findings per page and rule. The HTML page is self-contained (it opens "
                    "offline and makes no request); every number links to its places.")
    report.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or folders (default: .)")
    report.add_argument("--output", "-o", metavar="FILE", default="glossary-report.html",
                        help="the HTML file to write (default: %(default)s)")
    report.add_argument("--format", choices=("html", "json"), default="html",
                        help="html writes --output; json prints the data on stdout")
    report.add_argument("--title", default="Glossary coverage", help="the page's title")
    add_glossary_options(report)

    found = commands.add_parser(
        "discover", help="candidate terms the glossary does not have, ranked",
        description="Phrases the docs treat as terms (bold labels, headings, Title Case in "
                    "mid-sentence, CamelCase YAML kinds, inline definitions, recurring "
                    "phrases) that no glossary entry names, with counts, pages and examples.")
    found.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or folders (default: .)")
    found.add_argument("--format", choices=("text", "json", "yaml"), default="text",
                       help="text (default), json (a list of objects), or yaml (entry stubs "
                            "in the YAML glossary format)")
    found.add_argument("--top", type=int, default=30, metavar="N",
                       help="show the N best candidates (default: %(default)s; 0: all)")
    found.add_argument("--min-count", type=int, default=3, metavar="N",
                       help="uses a candidate needs (default: %(default)s)")
    found.add_argument("--min-pages", type=int, default=2, metavar="N",
                       help="pages a candidate must appear on (default: %(default)s)")
    add_glossary_options(found)


def _project_and_files(args: argparse.Namespace) -> tuple[Project, list[Path]] | None:
    """The project and the documents its PATHs name; None after saying what is wrong."""
    project = _project(args)
    if project is None:
        return None
    files = _files(project, args.paths)
    return None if files is None else (project, files)


def _project(args: argparse.Namespace) -> Project | None:
    project = project_from_options(args, Path.cwd())
    if project is None:
        return None
    for problem in project.problems:
        print(str(problem), file=sys.stderr)
    if any(p.severity == Severity.ERROR for p in project.problems):
        return None
    return project


def _files(project: Project, paths: list[str]) -> list[Path] | None:
    from harvester_glossary_ls.engine import coverage as coverage_mod

    missing: list[str] = []
    files = coverage_mod.documents(project, paths, missing=missing.append)
    for raw in missing:
        print(f"error: {raw}: no such file or directory", file=sys.stderr)
    if missing:
        return None
    if not files:
        print("error: no files to check (no Markdown or YAML file in the PATHs, or the config "
              "excludes them all)", file=sys.stderr)
        return None
    return files


class ProgressBar:
    """Progress on stderr, shown only once a run has taken more than `delay` seconds: a bar
    redrawn in place on a terminal, else a `report: 40% (87/218 files)` line per 10 %."""

    def __init__(self, label: str, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.delay = delay
        self.started = time.monotonic()
        self.tty = self.stream.isatty()
        self.shown = -1
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.delay or total <= 0:
            return
        percent = done * 100 // total
        if self.tty:
            filled = percent * 30 // 100
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                              f"{percent:3d}% {done}/{total} files")
            self.drawn = True
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif percent // 10 > self.shown or done == total:
            self.shown = percent // 10
            self.stream.write(f"{self.label}: {percent}% ({done}/{total} files)\n")
            self.stream.flush()


def run_report(args: argparse.Namespace) -> int:
    from harvester_glossary_ls.engine import coverage as coverage_mod

    opened = _project_and_files(args)
    if opened is None:
        return EXIT_ERROR
    project, files = opened
    coverage = coverage_mod.collect(project, files, Path.cwd(), ProgressBar("report"))
    for path, reason in coverage.errors:
        print(f"error: {path}: {reason}", file=sys.stderr)
    if args.format == "json":
        json.dump(coverage_mod.as_json(coverage), sys.stdout, indent=2)
        print()
    else:
        from harvester_glossary_ls.report_html import render

        output = Path(args.output)
        try:
            output.write_text(render(coverage, output, args.title), encoding="utf-8")
        except OSError as failed:
            print(f"error: cannot write {output}: {failed.strerror or failed}", file=sys.stderr)
            return EXIT_ERROR
        print(f"wrote {output}: {len(coverage.terms)} terms used {len(coverage.places)} times "
              f"on {len(coverage.pages)} pages, {len(coverage.findings)} findings",
              file=sys.stderr)
    return EXIT_ERROR if coverage.errors else EXIT_OK


def _analyses(project: Project, files: list[Path], glossaries: dict[int, Glossary],
              errors: list[str]) -> Iterator[tuple[str, Analysis]]:
    from harvester_glossary_ls.engine import discover as discover_mod
    from harvester_glossary_ls.engine.analysis import analyze

    root = Path.cwd().resolve()
    progress = ProgressBar("discover")
    for done, path in enumerate(files, 1):
        progress(done, len(files))
        try:
            text = read_document(path)
        except UnreadableFile as unreadable:
            errors.append(f"{path}: {unreadable}")
            continue
        language = language_of(path.name)
        assert language is not None
        context = project.context_for(path.resolve())
        glossaries[id(context.compiled.glossary)] = context.compiled.glossary
        yield discover_mod.relative_to(path, root), analyze(text, language, context)


def run_discover(args: argparse.Namespace) -> int:
    from harvester_glossary_ls.engine import discover as discover_mod

    opened = _project_and_files(args)
    if opened is None:
        return EXIT_ERROR
    project, files = opened
    glossaries: dict[int, Glossary] = {}
    errors: list[str] = []
    limits = discover_mod.Limits(min_count=args.min_count, min_pages=args.min_pages)
    found = discover_mod.discover(_analyses(project, files, glossaries, errors),
                                  lambda: list(glossaries.values()), limits)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    shown = found[:args.top] if args.top > 0 else found
    if args.format == "json":
        json.dump(discover_mod.as_json(shown), sys.stdout, indent=2)
        print()
    elif args.format == "yaml":
        sys.stdout.write(discover_mod.as_yaml_stubs(shown))
    else:
        _print_text(shown)
    print(f"{len(found)} candidates in {len(files)} files"
          + (f"; showing {len(shown)}" if len(shown) < len(found) else ""), file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_OK


def _print_text(candidates: list[discover_mod.Candidate]) -> None:
    for rank, c in enumerate(candidates, 1):
        print(f"{rank:3}. {c.term}  ({c.count} uses, {len(c.pages)} pages; "
              f"{', '.join(sorted(c.signals))})")
        for example in c.examples:
            print(f"       {example.path}:{example.line}: {example.text[:140]}")
