"""What changed since a git ref: the files, and the lines of each (`check --changed-since REF`,
`--only-changed-lines`).

"Changed since REF" means what a pull request would show plus what is not committed yet: the
difference between the merge base of REF and HEAD and the work tree (commits since the branch
left REF, staged and unstaged edits), plus untracked files that are not ignored. Deleted files
are not listed (there is nothing to check); a renamed file is listed under its new name, and only
its edited lines count as changed. An untracked file counts as changed on every line.

Parsing is kept apart from running git: the pure functions below read recorded `git diff` text,
and `changes_since` is the thin runner. This is the only module that starts a process, and only
`check --changed-since` calls it (a plain `check` runs nothing).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT = 60.0
"""Seconds one git command may take before the check gives up (a huge repo on a slow disk)."""

ALL_LINES = None
"""The line set of a file whose every line counts as changed (an untracked file)."""

LineSet = frozenset[int] | None
"""1-based changed line numbers of one file, or ALL_LINES."""

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
            ord("r"): 13, ord('"'): 34, ord("\\"): 92}

# Options that make git's output the same whatever the user's or the repository's config says
# (diff.noprefix, diff.mnemonicPrefix, color.ui, external diff drivers, textconv filters).
_DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv", "--find-renames",
                 "--src-prefix=a/", "--dst-prefix=b/")


class GitError(Exception):
    """git could not say what changed; the message is for the user (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Changes:
    """The changed files under the repository's top folder, each with its changed lines."""

    top: Path
    lines: dict[Path, LineSet] = field(default_factory=dict)

    def __contains__(self, path: Path) -> bool:
        return normalised(path) in self.lines

    def lines_of(self, path: Path) -> LineSet:
        return self.lines.get(normalised(path), frozenset())


def normalised(path: Path) -> Path:
    """An absolute path with its folder's symlinks resolved but not the file's own link, so a
    path from the walk and one from git compare equal (git reports a symlink as itself)."""
    absolute = Path(os.path.abspath(path))
    return Path(os.path.realpath(absolute.parent)) / absolute.name


def split_z(output: bytes) -> list[str]:
    """The NUL-separated paths of `git … -z` output, decoded as the file system would."""
    return [os.fsdecode(item) for item in output.split(b"\0") if item]


def unquote_path(raw: bytes) -> bytes:
    """A path as git writes it in a patch header: C-quoted (`"a\\tb\\303\\251"`) when it holds
    special bytes, as is otherwise."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        byte = body[i]
        if byte != ord("\\") or i + 1 >= len(body):
            out.append(byte)
            i += 1
        elif body[i + 1:i + 4].isdigit() and len(body[i + 1:i + 4]) == 3:
            out.append(int(body[i + 1:i + 4], 8) & 0xFF)
            i += 4
        else:
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
    return bytes(out)


def _new_path(header: bytes) -> str | None:
    """The new-side path of a `+++ b/path` line; None for `+++ /dev/null` (a deletion). git
    C-quotes a path with special bytes and ends one that holds a space with a tab."""
    name = header[4:]
    raw = unquote_path(name) if name.startswith(b'"') else name.rstrip(b"\t")
    if not raw.startswith(b"b/"):
        return None
    return os.fsdecode(raw[2:])


def changed_lines(diff: bytes) -> dict[str, frozenset[int]]:
    """New-side line numbers (1-based) touched by each file of a `git diff -U0` patch.

    A hunk `@@ -a,b +c,d @@` changes lines c..c+d-1 of the new file (`d` defaults to 1); a hunk
    with d = 0 only deletes, which changes no line that is still there. A file whose patch has
    no hunk (a pure rename, a mode change, a binary file) has no changed lines."""
    result: dict[str, set[int]] = {}
    current: str | None = None
    for line in diff.split(b"\n"):
        if line.startswith(b"diff --git "):
            current = None
        elif line.startswith(b"+++ ") and current is None:
            current = _new_path(line)
            if current is not None:
                result.setdefault(current, set())
        elif current is not None and (match := _HUNK.match(line)):
            start = int(match.group(1))
            count = 1 if match.group(2) is None else int(match.group(2))
            result[current].update(range(start, start + count))
    return {path: frozenset(lines) for path, lines in result.items()}


def _git(top: Path | None, *args: str) -> bytes:
    """Run git (never through a shell) and return its output; GitError with git's own message."""
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        done = subprocess.run(command, cwd=top, capture_output=True, timeout=GIT_TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (it is needed to know what changed)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {GIT_TIMEOUT:.0f} s") from None
    if done.returncode != 0:
        reason = os.fsdecode(done.stderr).strip().splitlines()
        raise GitError(reason[-1] if reason else f"git {args[0]} failed")
    return done.stdout


def _merge_base(top: Path, ref: str) -> str:
    try:
        _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"unknown git ref {ref!r} (fetch it first, e.g. "
                       f"'git fetch origin {ref}', with enough history)") from None
    try:
        return os.fsdecode(_git(top, "merge-base", ref, "HEAD")).strip()
    except GitError:
        raise GitError(f"{ref!r} and HEAD have no common commit (a shallow clone? fetch with "
                       "more depth)") from None


def repository_top(cwd: Path) -> Path:
    """The top folder of the git work tree holding `cwd`; GitError outside one."""
    try:
        out = _git(cwd, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"{cwd} is not in a git repository") from None
    return Path(os.fsdecode(out).strip())


def changes_since(ref: str, cwd: Path, *, with_lines: bool = False) -> Changes:
    """The files changed since `ref` (see the module docstring), with their changed lines when
    `with_lines` (else every file maps to ALL_LINES)."""
    top = normalised(repository_top(cwd))
    base = _merge_base(top, ref)
    tracked = split_z(_git(top, "diff", "--name-only", "-z", "--diff-filter=d",
                           *_DIFF_OPTIONS, base, "--"))
    files: dict[Path, LineSet] = {top / name: frozenset() if with_lines else ALL_LINES
                                  for name in tracked}
    if with_lines and tracked:  # a file without hunks (renamed, mode change) changed no line
        patch = _git(top, "diff", "-U0", *_DIFF_OPTIONS, base, "--")
        for name, lines in changed_lines(patch).items():
            if top / name in files:
                files[top / name] = lines
    for name in split_z(_git(top, "ls-files", "--others", "--exclude-standard", "-z")):
        files[top / name] = ALL_LINES
    return Changes(top, files)


def on_changed_lines(lines: LineSet, first: int, last: int) -> bool:
    """Whether a finding on lines first..last (1-based) touches a changed line."""
    return lines is ALL_LINES or any(line in lines for line in range(first, last + 1))
