"""The GitHub Action's logic: `action.yml` runs `python -m harvester_glossary_ls.ci_action`.

Kept in Python rather than in the action's shell so that it is typed and tested. It runs
`check` three times through the public command line (JSON for the job summary and the exit
code, GitHub workflow commands for annotations, SARIF for code scanning; a check of a docs repo
takes a fraction of a second) and:

- on a pull request (with `changed-only`), checks only the files changed since its base
  (`--changed-since BASE`), fetching the base commit if the checkout is shallow; otherwise the
  given paths;
- prints at most 10 annotations per type (`error`, `warning`, `notice`), the most GitHub shows
  per step, and says how many more there are; every finding is in the log as text and in the
  job summary as a table;
- writes the SARIF file and the step outputs (`findings`, `exit-code`, `sarif-file`), and
  exits 0: the action's last step fails the job with `exit-code`, after the SARIF upload.

Inputs come from the environment (`HGLS_*`, set by action.yml from the action's inputs; never
interpolated into shell text). Like the CLI, this never imports pygls or lsprotocol.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harvester_glossary_ls.report_formats import github_data

ANNOTATIONS_PER_TYPE = 10
"""GitHub shows at most 10 error and 10 warning annotations (and notices) per step."""
SUMMARY_BUDGET = 1000 * 1000
"""Bytes of job summary: GitHub refuses a step summary over 1 MiB, so leave room."""
PR_EVENTS = ("pull_request", "pull_request_target")
CHECK = (sys.executable, "-m", "harvester_glossary_ls", "check")


@dataclass(frozen=True, slots=True)
class Inputs:
    """The action's inputs, as action.yml passes them."""

    paths: tuple[str, ...] = (".",)
    fail_on: str = "warning"
    glossaries: tuple[str, ...] = ()
    config: bool = True
    changed_only: bool = True
    only_changed_lines: bool = False
    baseline: str = ""
    event: str = ""
    base_sha: str = ""
    head_sha: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        def words(name: str) -> tuple[str, ...]:
            return tuple(env.get(name, "").split())

        def flag(name: str, default: bool) -> bool:
            value = env.get(name, "").strip().lower()
            return default if not value else value in ("true", "1", "yes", "on")

        return cls(paths=words("HGLS_PATHS") or (".",),
                   fail_on=env.get("HGLS_FAIL_ON", "").strip() or "warning",
                   glossaries=words("HGLS_GLOSSARY"), config=flag("HGLS_CONFIG", True),
                   changed_only=flag("HGLS_CHANGED_ONLY", True),
                   only_changed_lines=flag("HGLS_ONLY_CHANGED_LINES", False),
                   baseline=env.get("HGLS_BASELINE", "").strip(),
                   event=env.get("GITHUB_EVENT_NAME", ""),
                   base_sha=env.get("HGLS_BASE_SHA", "").strip(),
                   head_sha=env.get("HGLS_HEAD_SHA", "").strip() or env.get("GITHUB_SHA", ""))

    @property
    def changed_since(self) -> str:
        """The ref to check changes since: a pull request's base, when changed-only applies."""
        return self.base_sha if self.changed_only and self.event in PR_EVENTS else ""


def check_args(inputs: Inputs, changed_since: str) -> list[str]:
    """`check`'s options and paths, without --format (each run adds its own)."""
    args = ["--fail-on", inputs.fail_on]
    for glossary in inputs.glossaries:
        args += ["--glossary", glossary]
    if not inputs.config:
        args.append("--no-config")
    if inputs.baseline:
        args += ["--baseline", inputs.baseline]
    if changed_since:
        args += ["--changed-since", changed_since]
        if inputs.only_changed_lines:
            args.append("--only-changed-lines")
    return [*args, *inputs.paths]


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, timeout=600)


def ensure_base(base: str) -> bool:
    """Make `base` and the history back to it present (actions/checkout fetches one commit by
    default); False, after a warning, when git cannot, so the whole paths are checked."""
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        _git("fetch", "--no-tags", "--quiet", "--unshallow", "origin")
    if _git("cat-file", "-e", f"{base}^{{commit}}").returncode != 0:
        _git("fetch", "--no-tags", "--quiet", "origin", base)
    if _git("merge-base", base, "HEAD").returncode == 0:
        return True
    why = (f"cannot find the history back to the base commit {base}: checking all the given "
           "paths (actions/checkout with fetch-depth: 0 avoids this)")
    print(f"::warning title=harvester-glossary-ls::{github_data(why)}")
    return False


def cap_annotations(lines: Sequence[str], limit: int = ANNOTATIONS_PER_TYPE
                    ) -> tuple[list[str], Counter[str]]:
    """The first `limit` workflow commands of each type, and how many of each were left out."""
    kept: list[str] = []
    shown: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for line in lines:
        if not line.startswith("::"):
            continue
        kind = line[2:].split("::", 1)[0].split(" ", 1)[0]
        if shown[kind] < limit:
            shown[kind] += 1
            kept.append(line)
        else:
            dropped[kind] += 1
    return kept, dropped


def _cell(text: object) -> str:
    """Text safe inside one Markdown table cell (no pipe, newline or HTML)."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\r", " ").replace("\n", " "))


def _where(finding: Mapping[str, object], links: str) -> str:
    path, line = str(finding["path"]), finding["line"]
    place = f"{_cell(path)}:{line}"
    if not links:
        return f"`{place}`"
    return f"[`{place}`]({links}/{Path(path).as_posix()}#L{line})"


def summary_markdown(findings: Sequence[Mapping[str, object]], scope: str, messages: str,
                     links: str = "", budget: int = SUMMARY_BUDGET) -> str:
    """The job summary: what was checked, `check`'s stderr, and one table row per finding
    (all of them, unless GitHub's size limit would refuse the summary: then it says so)."""
    out = [f"### harvester-glossary-ls\n\nChecked {scope}.\n"]
    if messages.strip():
        out.append("```\n" + messages.strip().replace("```", "'''") + "\n```\n")
    if not findings:
        out.append("No findings.\n")
        return "\n".join(out)
    out.append("| severity | where | rule | message |\n|---|---|---|---|")
    size = sum(len(part.encode()) for part in out)
    for done, finding in enumerate(findings):
        row = (f"| {_cell(finding['severity'])} | {_where(finding, links)} | "
               f"`{_cell(finding['code'])}` | {_cell(finding['message'])} |")
        size += len(row.encode()) + 1
        if size > budget - 200:
            out.append(f"\n{len(findings) - done} more findings do not fit in a job summary "
                       "(GitHub's limit is 1 MiB): see the log.")
            break
        out.append(row)
    return "\n".join(out) + "\n"


def _text(finding: Mapping[str, object]) -> str:
    return (f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['severity']} "
            f"[{finding['code']}] {finding['message']}")


def _append(path: str, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(text)


def _links(env: Mapping[str, str], sha: str) -> str:
    """Where a path of this run links to on GitHub: the blob at the checked commit (paths are
    relative to the repository root, where the action runs)."""
    server, repo = env.get("GITHUB_SERVER_URL", ""), env.get("GITHUB_REPOSITORY", "")
    return f"{server}/{repo}/blob/{sha}" if server and repo and sha else ""


def run(env: Mapping[str, str]) -> int:
    """Check, annotate, summarise, write SARIF and the outputs; the exit code goes to the
    `exit-code` output (this returns 0 unless the action itself is broken)."""
    inputs = Inputs.from_env(env)
    base = inputs.changed_since
    if base and not ensure_base(base):
        base = ""
    args = check_args(inputs, base)
    print(f"harvester-glossary-ls check {' '.join(args)}", flush=True)
    # the three runs below check the same files: the first fills a cache the other two read
    cache = os.path.join(env.get("RUNNER_TEMP") or tempfile.gettempdir(),
                         "harvester-glossary-ls-cache")
    args = ["--cache-dir", cache, *args]
    report = subprocess.run([*CHECK, "--format", "json", *args], capture_output=True, text=True)
    findings: list[dict[str, object]] = json.loads(report.stdout) if report.stdout.strip() else []
    for finding in findings:
        print(_text(finding))
    sys.stderr.write(report.stderr)

    github = subprocess.run([*CHECK, "--format", "github", *args], capture_output=True, text=True)
    kept, dropped = cap_annotations(github.stdout.splitlines())
    print("\n".join(kept), flush=True)
    for kind, count in sorted(dropped.items()):
        print(f"{count} more {kind} annotations not shown: GitHub shows {ANNOTATIONS_PER_TYPE} "
              "per type per step; every finding is above and in the job summary")

    sarif = os.path.join(env.get("RUNNER_TEMP") or ".", "harvester-glossary-ls.sarif")
    with open(sarif, "w", encoding="utf-8") as out:
        subprocess.run([*CHECK, "--format", "sarif", *args], stdout=out, stderr=subprocess.DEVNULL)

    scope = (f"the files changed since `{base[:12]}`" if base
             else "`" + " ".join(inputs.paths) + "`")
    _append(env.get("GITHUB_STEP_SUMMARY", ""),
            summary_markdown(findings, scope, report.stderr, _links(env, inputs.head_sha)))
    _append(env.get("GITHUB_OUTPUT", ""),
            f"findings={len(findings)}\nexit-code={report.returncode}\nsarif-file={sarif}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """No arguments: the inputs are in the environment (see action.yml)."""
    if list(sys.argv[1:] if argv is None else argv):
        print(__doc__, file=sys.stderr)
        return 2
    return run(os.environ)


if __name__ == "__main__":
    sys.exit(main())
