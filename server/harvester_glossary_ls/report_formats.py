"""`check`'s output formats: text, JSON, SARIF 2.1.0 and GitHub workflow commands.

Kept out of cli.py so that the command line reads as parse, walk, check, fix, report. Like the
CLI, this module never imports pygls or lsprotocol.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from harvester_glossary_ls import __version__
from harvester_glossary_ls.engine.models import Finding, Severity
from harvester_glossary_ls.engine.rule_codes import CODES, DEFAULT_SEVERITIES, ON_SEVERITY


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be checked (or, without a path, a run-wide problem), with the
    message for the user: SARIF records it as a tool notification, GitHub as an `::error`."""

    message: str
    path: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True, slots=True)
class Located:
    """A finding with its file and 1-based line/column, ready to print."""

    path: str
    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int


def write_text(located: Sequence[Located], errors: Sequence[FileError], out: TextIO) -> None:
    """`path:line:col: severity [code] message`, the format editors and grep understand."""
    for item in located:
        f = item.finding
        out.write(f"{item.path}:{item.line}:{item.column}: {f.severity.label} [{f.code}] "
                  f"{f.message}\n")


_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def github_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value (`file=`, `title=`): `:` and `,` end one, too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(located: Sequence[Located], errors: Sequence[FileError], out: TextIO) -> None:
    """GitHub Actions workflow commands, which annotate the pull request's diff; a file that
    could not be checked is an `::error` on that file (a run-wide problem one without a file)."""
    for error in errors:
        where = f" file={github_property(error.path)}" if error.path else ""
        out.write(f"::error{where}::{github_data(error.message)}\n")
    for item in located:
        f = item.finding
        out.write(f"::{_GITHUB_LEVELS.get(f.severity, 'notice')} "
                  f"file={github_property(item.path)},"
                  f"line={item.line},col={item.column},endLine={item.end_line},"
                  f"endColumn={item.end_column},title={github_property(f.code)}::"
                  f"{github_data(f.message)}\n")


def _json(item: Located) -> dict[str, object]:
    f = item.finding
    return {"path": item.path, "line": item.line, "column": item.column,
            "endLine": item.end_line, "endColumn": item.end_column, "severity": f.severity.label,
            "code": f.code, "message": f.message, "term": f.entry.term,
            "replacements": list(f.replacements), "fixable": f.safe_fix}


def write_json(located: Sequence[Located], errors: Sequence[FileError], out: TextIO) -> None:
    """A list of findings (errors go to stderr only, so the list keeps its shape)."""
    json.dump([_json(item) for item in located], out, indent=2)
    out.write("\n")


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning",
                 Severity.INFORMATION: "note", Severity.HINT: "note"}


def _sarif_region(item: Located) -> dict[str, int]:
    return {"startLine": item.line, "startColumn": item.column,
            "endLine": item.end_line, "endColumn": item.end_column}


def _sarif_result(item: Located) -> dict[str, object]:
    f = item.finding
    uri = Path(item.path).as_posix()
    result: dict[str, object] = {
        "ruleId": f.code, "level": _SARIF_LEVELS[f.severity], "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri}, "region": _sarif_region(item)}}],
    }
    if f.replacements:
        result["fixes"] = [{"description": {"text": f"Replace with '{r}'"},
                            "artifactChanges": [{
                                "artifactLocation": {"uri": uri},
                                "replacements": [{"deletedRegion": _sarif_region(item),
                                                  "insertedContent": {"text": r}}]}]}
                           for r in f.replacements]
    return result


RULE_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "deprecated-term": (
        "A deprecated or renamed term",
        "The text uses a term the glossary marks as deprecated or renamed (from its "
        "since-version on, in docs of its own product); the message names the replacement(s)."),
    "term-casing": (
        "A glossary term written in another case",
        "The text writes a glossary term with different capitals than the glossary asserts "
        "(headings, sentence starts, bold UI labels and Title Case link texts excepted)."),
    "term-spelling": (
        "A near-miss spelling of a multi-word term",
        "The text writes a multi-word glossary term one edit away from the glossary's spelling."),
    "unlinked-term": (
        "The first use of a term on a page does not link its glossary entry",
        "The first prose use of a glossary term on a page that links the entry nowhere (off "
        "by default); the fix makes that use the link the site would use."),
}
"""SARIF rule metadata: (shortDescription, fullDescription) per rule code."""

REPOSITORY_URL = "https://github.com/harvester/harvester-glossary-ls"
"""pyproject's Repository URL, used when the package metadata is not installed."""


def repository_url() -> str:
    """The Repository URL of the installed package's metadata (pyproject [project.urls])."""
    from importlib import metadata

    try:
        urls: list[str] = metadata.metadata("harvester-glossary-ls").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return REPOSITORY_URL
    for item in urls:
        label, _, url = item.partition(",")
        if label.strip().lower() == "repository" and url.strip():
            return url.strip()
    return REPOSITORY_URL


def _sarif_rules(home: str) -> list[dict[str, object]]:
    rules: list[dict[str, object]] = []
    for code in CODES:
        short, full = RULE_DESCRIPTIONS.get(code, (code, code))
        default = DEFAULT_SEVERITIES[code]
        configuration: dict[str, object] = (
            {"level": _SARIF_LEVELS[default]} if default is not None
            else {"enabled": False, "level": _SARIF_LEVELS[ON_SEVERITY[code]]})
        rules.append({"id": code, "name": code, "shortDescription": {"text": short},
                      "fullDescription": {"text": full}, "helpUri": f"{home}#findings",
                      "defaultConfiguration": configuration})
    return rules


def _sarif_notification(error: FileError) -> dict[str, object]:
    notification: dict[str, object] = {"level": "error", "message": {"text": error.message}}
    if error.path:
        notification["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": Path(error.path).as_posix()}}}]
    return notification


def sarif_log(located: Sequence[Located], errors: Sequence[FileError] = ()) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run, for code-scanning uploads: rules with descriptions and
    help links, and the files that could not be read as the invocation's notifications."""
    home = repository_url()
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "harvester-glossary-ls", "version": __version__,
                                "informationUri": home, "rules": _sarif_rules(home)}},
            "invocations": [{"executionSuccessful": not errors,
                             "toolExecutionNotifications": [_sarif_notification(e)
                                                            for e in errors]}],
            "results": [_sarif_result(item) for item in located]}],
    }


def write_sarif(located: Sequence[Located], errors: Sequence[FileError], out: TextIO) -> None:
    json.dump(sarif_log(located, errors), out, indent=2)
    out.write("\n")


WRITERS: dict[str, Callable[[Sequence[Located], Sequence[FileError], TextIO], None]] = {
    "text": write_text,
    "json": write_json,
    "sarif": write_sarif,
    "github": write_github,
}
FORMATS = tuple(WRITERS)
"""The `--format` choices of `check`."""


def write_report(located: Sequence[Located], fmt: str, out: TextIO,
                 errors: Sequence[FileError] = ()) -> None:
    WRITERS[fmt](located, errors, out)
