"""`check`: every document the PATHs name, checked against the glossary that applies to it.

A run has three steps, so that the slow middle one can be skipped (`--cache`) or shared out
(worker processes) without changing a byte of the output:

1. plan: walk the PATHs in order; for each document find its context (docs tree, version,
   glossary) and, with `--cache`, its findings from the last run when nothing it depends on
   changed. Glossaries that any remaining document needs are compiled here, once.
2. analyse the documents the cache did not answer: in this process, or in forked workers when
   there are many (never with `--fix`, whose writes stay in one process, in walk order).
3. record each file's findings in walk order: baseline, changed lines, fingerprints.

Options that only some runs use (baseline, git, fixes, the cache) import their modules only
when given, which keeps a small run's start-up short.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harvester_glossary_ls import __version__
from harvester_glossary_ls.check_workers import (
    Share,
    by_group,
    map_forked,
    processes_for,
    round_robin,
)
from harvester_glossary_ls.command_project import project_from_options
from harvester_glossary_ls.engine.config import CONFIG_NAME, Config
from harvester_glossary_ls.engine.files import FileStamp, UnreadableFile, read_document, stamp_of
from harvester_glossary_ls.engine.models import Severity
from harvester_glossary_ls.engine.project import GlossaryKey, Project
from harvester_glossary_ls.engine.rule_codes import ON_SEVERITY
from harvester_glossary_ls.engine.walk import documents_in, is_document, language_of, not_glossaries
from harvester_glossary_ls.file_findings import FileFindings
from harvester_glossary_ls.report_formats import FileError, Located, write_report

if TYPE_CHECKING:
    from harvester_glossary_ls.check_cache import CheckCache
    from harvester_glossary_ls.engine.analysis import Analysis
    from harvester_glossary_ls.engine.baseline import Fingerprint, Matcher
    from harvester_glossary_ls.engine.changes import Changes

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _project(args: argparse.Namespace, root: Path) -> Project | None:
    # --fix-rule on an off-by-default rule: on at the lowest layer, so the config still rules
    fixed = getattr(args, "fix_rule", None) or ()
    lowest = Config(rules=tuple((code, ON_SEVERITY[code]) for code in dict.fromkeys(fixed)
                                if code in ON_SEVERITY) or None)
    return project_from_options(args, root, lowest)


def _report_problems(project: Project) -> int:
    for problem in project.problems:
        print(f"{problem}", file=sys.stderr)
    return len([p for p in project.problems if p.severity == Severity.ERROR])


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
    cached: int | None = None
    """With --cache: how many files' findings came from it."""


@dataclass(frozen=True)
class Filters:
    """What narrows a file's findings: a baseline, and the changed lines of each file."""

    baseline: Matcher | None = None
    changes: Changes | None = None
    only_changed_lines: bool = False
    fingerprint: bool = False
    """Whether findings need fingerprints (a baseline is read or written)."""


# --- step 1: plan ---------------------------------------------------------------------------------


@dataclass
class Job:
    """One document of the run: where it is, what it is checked with, and its findings once
    known (from the cache, or from step 2)."""

    path: Path
    """As the walk names it (relative to the PATH given): what the report prints."""
    real: Path
    """Its folder's symlinks resolved (and its own, for a linked file): what picks its context."""
    language: str
    key: GlossaryKey
    """The compiled glossary it is checked with."""
    context: str
    """Everything else its findings depend on besides the config (`Project.placement`)."""
    glossary: str = ""
    text: str | None = None
    """The text, when the cache lookup had to read it."""
    stamp: FileStamp | None = None
    """With --cache: the file's stamp, taken before it was read."""
    digest: str = ""
    """With --cache: the digest of the text that was analysed (worked out where it was)."""
    result: FileFindings | FileError | None = None


class _Folders:
    """Each folder resolved once, not each file (`Path.resolve` walks every component)."""

    def __init__(self) -> None:
        self._real: dict[str, Path] = {}

    def real(self, path: Path) -> Path:
        if os.path.islink(path):
            return _resolved(path)
        folder = os.path.dirname(path) or "."
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = _resolved(Path(folder))
        return real / path.name


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _key_text(key: GlossaryKey) -> str:
    return f"{key.tree_root or ''}\x1f{key.version[0]}.{key.version[1]}"


@dataclass
class Plan:
    """Step 1's output: every document (or missing PATH) in walk order."""

    slots: list[Job | FileError] = field(default_factory=list)
    matched: int = 0
    """Documents the PATHs name, before --changed-since narrows them."""
    has_glossary: bool = False


class _Planner:
    """Step 1: contexts, cache lookups, and compiling what the misses need."""

    def __init__(self, project: Project, cache: CheckCache | None, fixing: bool) -> None:
        self.project, self.cache, self.fixing = project, cache, fixing
        self.folders = _Folders()
        self.compiled: dict[GlossaryKey, bool] = {}
        """The glossaries compiled in this run, and whether each has anything to check with."""

    def _compile(self, real: Path | None) -> bool:
        glossary = self.project.compiled_for(real)[0].glossary
        has = self.compiled[self.project.glossary_key(real)] = bool(
            glossary.entries or glossary.yaml_rules)
        return has

    def has_entries(self, real: Path | None, key: GlossaryKey | None = None) -> bool:
        """Whether the glossary for `real` (`key`, when known) has anything to check with
        (compiled only when the cache does not know)."""
        key = key or self.project.glossary_key(real)
        if key in self.compiled:
            return self.compiled[key]
        if self.cache is not None:
            known = self.cache.has_entries(_key_text(key))
            if known is not None:
                return known
        return self._compile(real)

    def job(self, path: Path, language: str) -> Job:
        real = self.folders.real(path)
        job = Job(path, real, language, *self.project.placement(real))
        if self.cache is not None:
            job.glossary = _key_text(job.key)
            job.stamp = stamp_of(os.path.abspath(real))
            cached, job.text = self.cache.lookup(os.path.abspath(real), job.context, job.glossary)
            if cached is not None and not (self.fixing and cached.findings):
                job.result = cached
                return job
        if self.cache is not None and job.key not in self.compiled:
            self._compile(real)  # the cache records what each glossary was read from
        return job

    def remember_glossaries(self) -> None:
        """Record in the cache what each glossary compiled in this run was read from."""
        if self.cache is None:
            return
        for key, has in self.compiled.items():
            sources = self.project.sources_of(key)
            if sources:
                self.cache.record_glossary(_key_text(key), sources, has)


def _plan(paths: Sequence[str], planner: _Planner, changes: Changes | None) -> Plan:
    project = planner.project
    plan = Plan()
    plan.has_glossary = planner.has_entries(project.root / "_" if project.root else None)
    checked = not_glossaries(project.glossary_paths(), project.included)
    for path in documents_in(paths, checked,
                             missing=lambda raw: plan.slots.append(
                                 FileError("no such file or directory", raw))):
        language = language_of(path.name)
        if language is None:
            continue
        plan.matched += 1
        if changes is not None and path not in changes:
            continue
        job = planner.job(path, language)
        plan.has_glossary = plan.has_glossary or planner.has_entries(job.real, job.key)
        plan.slots.append(job)
    planner.remember_glossaries()
    return plan


# --- step 2: analyse ------------------------------------------------------------------------------


def _text_of(job: Job) -> str | FileError:
    if job.text is not None:
        return job.text
    try:
        return read_document(job.path)
    except UnreadableFile as unreadable:
        return FileError(str(unreadable), str(job.path))


def _analysis(job: Job, project: Project) -> Analysis | FileError:
    from harvester_glossary_ls.engine.analysis import analyze  # not needed when all hit

    text = _text_of(job)
    if isinstance(text, FileError):
        return text
    if job.stamp is not None:  # caching
        from harvester_glossary_ls.check_cache import digest

        job.digest = digest(text)
    return analyze(text, job.language, project.context_for(job.real))


def _analysed_forked(job: Job, project: Project) -> tuple[list[list[object]], str] | str:
    """A worker's answer for one job: (the findings as JSON-ready lists, the text's digest),
    or an error message."""
    analysis = _analysis(job, project)
    if isinstance(analysis, FileError):
        return analysis.message
    return FileFindings.of(analysis).to_json(), job.digest


def _fix(job: Job, analysis: Analysis, root: Path, run: CheckRun) -> Analysis:
    """The analysis after applying the certain fixes (of --fix-rule's rules only, when given);
    the same analysis when there are none or it is not safe to write."""
    from harvester_glossary_ls.engine.fixes import ChangedOnDisk, LeavesTree, fix_file

    try:
        fixed = fix_file(job.path, analysis.text, analysis.findings, root, analysis.scan,
                         run.fix_rules)
    except LeavesTree as outside:
        print(f"note: {job.path}: not fixed: it leads to {outside.target}, outside {root}",
              file=sys.stderr)
        return analysis
    except (ChangedOnDisk, UnreadableFile):
        run.errors.append(FileError("not fixed: it changed while it was checked", str(job.path)))
        return analysis
    except OSError as write_error:
        run.errors.append(FileError(f"cannot write fixes: {write_error}", str(job.path)))
        return analysis
    if fixed is None:
        return analysis
    from harvester_glossary_ls.engine.analysis import analyze

    run.fixed_files += 1
    if job.stamp is not None:  # what the cache keeps is the fixed file
        from harvester_glossary_ls.check_cache import digest

        job.stamp, job.digest = stamp_of(os.path.abspath(job.real)), digest(fixed)
    return analyze(fixed, analysis.language, analysis.context)


def _shares(jobs: list[Job], project: Project, processes: int) -> list[Share]:
    """Which jobs each process does. Each glossary's files in one process, when that is about
    even: each worker then compiles only its own glossaries (on Longhorn's site, 9 of them); else
    every glossary is compiled here before the fork and the files are dealt in turn."""
    compiled = set(project.compiled_keys())
    if len({job.key for job in jobs} - compiled) > 1:
        grouped = by_group([job.key for job in jobs], processes)
        if grouped is not None:
            return grouped
    for job in jobs:
        if job.key not in compiled:
            project.compiled_for(job.real)
            compiled.add(job.key)
    return round_robin(len(jobs), processes)


def _analyse_all(jobs: list[Job], project: Project, run: CheckRun, fix: bool,
                 processes: int) -> None:
    """Step 2: fill in each job's result. Fixing writes files, so it stays in this process."""
    if fix or processes <= 1:
        for job in jobs:
            analysis = _analysis(job, project)
            if not isinstance(analysis, FileError) and fix and analysis.findings:
                analysis = _fix(job, analysis, run.root, run)
            job.result = analysis if isinstance(analysis, FileError) \
                else FileFindings.of(analysis)
        return
    import harvester_glossary_ls.engine.analysis  # noqa: F401  (once, before the fork: not in each worker)

    answers = map_forked(lambda job: _analysed_forked(job, project), jobs,
                         _shares(jobs, project, processes))
    for job, answer in zip(jobs, answers, strict=True):
        if isinstance(answer, str):
            job.result = FileError(answer, str(job.path))
        else:
            job.result, job.digest = FileFindings.from_json(answer[0]), answer[1]


# --- step 3: record -------------------------------------------------------------------------------


def _relative(path: Path, root: Path) -> str:
    """A path relative to the run's root, with `/` (a baseline's file names)."""
    absolute, prefix = os.path.abspath(path), os.path.join(root, "")
    relative = absolute[len(prefix):] if absolute.startswith(prefix) \
        else os.path.relpath(absolute, root)  # relpath costs 50 us a file
    return relative.replace(os.sep, "/")


def _record(path: Path, found: FileFindings, run: CheckRun, filters: Filters) -> None:
    """Add one file's findings to the run, less those the baseline knows and, with
    --only-changed-lines, those on unchanged lines."""
    name = _relative(path, run.root)
    run.checked.append(name)
    prints: Sequence[Fingerprint | None] = [None] * len(found.findings)
    if filters.fingerprint:
        from harvester_glossary_ls.engine.baseline import fingerprints

        prints = fingerprints(name, [(f.code, quote[0], quote[1])
                                     for f, quote in zip(found.findings, found.quotes,
                                                         strict=True)])
    lines = filters.changes.lines_of(path) if filters.changes and filters.only_changed_lines \
        else None
    kept = 0
    for finding, place, fingerprint in zip(found.findings, found.places, prints, strict=True):
        if fingerprint is not None and filters.baseline is not None \
                and filters.baseline.known(fingerprint):
            continue
        if lines is not None:
            from harvester_glossary_ls.engine.changes import on_changed_lines

            if not on_changed_lines(lines, place[0], place[2]):
                run.unchanged_lines += 1
                continue
        run.located.append(Located(str(path), finding, *place))
        if fingerprint is not None:
            run.fingerprints.append(fingerprint)
        kept += 1
    run.with_findings += kept > 0


def _walk(args: argparse.Namespace, project: Project, run: CheckRun, filters: Filters) -> int:
    """Check every document the PATHs name (the changed ones only, with --changed-since) and
    return how many documents matched before that narrowing."""
    cache = _open_cache(args, project)
    plan = _plan(args.paths, _Planner(project, cache, args.fix), filters.changes)
    jobs = [slot for slot in plan.slots if isinstance(slot, Job)]
    misses = [job for job in jobs if job.result is None]
    _analyse_all(misses, project, run, args.fix, processes_for(len(misses), args.jobs))
    for slot in plan.slots:
        if isinstance(slot, FileError):
            run.errors.append(slot)
        elif isinstance(slot.result, FileError):
            run.errors.append(slot.result)
        elif slot.result is not None:
            _record(slot.path, slot.result, run, filters)
    if cache is not None:
        run.cached = len(jobs) - len(misses)
        _save_cache(cache, misses)
    if not plan.has_glossary:  # defaultGlossary off and nothing else: say so, never pass
        run.errors.append(FileError("no glossary to check against (the default glossary is "
                                    "off and no other glossary is configured)"))
    return plan.matched


# --- the cache ------------------------------------------------------------------------------------


def _open_cache(args: argparse.Namespace, project: Project) -> CheckCache | None:
    if not (args.cache or args.cache_dir):
        return None
    from harvester_glossary_ls.check_cache import CACHE_FOLDER, CheckCache, code_files, options_key

    folder = Path(args.cache_dir or CACHE_FOLDER)
    options = [sorted(os.path.abspath(g) for g in args.glossary), args.glossary_version,
               args.no_config, args.no_default_glossary, sorted(args.fix_rule or ()),
               __version__]
    config = [str(project.root / CONFIG_NAME)] if project.root else []
    others = [*code_files(), *config, *(os.path.abspath(p) for p in project.glossary_paths())]
    stamps = {stamp[0]: stamp for stamp in (*map(stamp_of, others), *project.loaded_from)}
    cache = CheckCache.open(folder, options_key(options), stamps.values())
    if cache.note:
        print(f"note: {cache.note}", file=sys.stderr)
    return cache


def _save_cache(cache: CheckCache, analysed: list[Job]) -> None:
    for job in analysed:
        if isinstance(job.result, FileFindings) and job.digest and job.stamp is not None:
            cache.store(os.path.abspath(job.real), job.stamp, job.digest, job.context,
                        job.glossary, job.result)
    note = cache.save()
    if note:
        print(f"note: {note}", file=sys.stderr)


# --- the run --------------------------------------------------------------------------------------


def _changes(args: argparse.Namespace, root: Path) -> Changes | None:
    """The files (and lines) changed since --changed-since's ref; git runs only for it."""
    from harvester_glossary_ls.engine.changes import GitError, changes_since

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
        from harvester_glossary_ls.engine.baseline import BaselineError, Matcher
        from harvester_glossary_ls.engine.baseline import load as load_baseline

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
    if run.cached is not None:
        notes.append(f"{run.cached} from the cache")
    return line + (f" ({'; '.join(notes)})" if notes else "")


def _write_baseline(target: str, run: CheckRun) -> bool:
    """Record the run's findings; False (after saying why) when the file cannot be written."""
    from harvester_glossary_ls.engine.baseline import dumps as baseline_text

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
