"""`check --cache`: a rerun over an unchanged tree reads no file twice and compiles no glossary.

One JSON file per set of options (the file's name is a digest of them and of the tool's
version). In it, each thing findings depend on is a *dependency*: a path with the mtime and size
it had and a digest of its content (a folder's content is its list of names, so a page added to
a glossary folder changes it). A dependency holds when its mtime and size are unchanged or, when
they are not (a fresh `git clone` gives every file a new mtime), its digest is. The file holds:

- the run's dependencies: the tool's own code and shipped glossary, and every file the project
  read when it loaded (the config, configured glossaries); when one fails, nothing else is used;
- per glossary (docs tree and version): the dependencies compiling it read, and whether it has
  entries;
- per document: itself as a dependency, the context it was checked in (tree, version, product:
  `Project.context_key`), which glossary applied, and its findings.

A stamp taken less than two seconds before the run started is not trusted (the file could change
again within the same mtime tick, as git's "racily clean" entries), so such a file is compared by
digest next time.

Not dependencies: the docs-site files that pick versions (versions.json, the Docusaurus or Hugo
config) are read again on every run, so a new version is seen; the pages a glossary's links point
to only change the links a hover shows, never a finding.

A cache that cannot be read (another version's, truncated, not JSON) is a miss, said in one note;
one that cannot be written is said in a note and the run's result stands. The cache is JSON: the
folder sits in a checkout, and loading it must never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harvester_glossary_ls import __version__
from harvester_glossary_ls.engine.files import (
    FileStamp,
    UnreadableFile,
    read_bytes,
    stamp_of,
    write_atomically,
)
from harvester_glossary_ls.file_findings import FileFindings

CACHE_FOLDER = ".harvester-glossary-ls-cache"
"""The default cache folder, in the folder `check` runs from (like ruff's .ruff_cache)."""

FORMAT = 2
KEEP = 8
"""Cache files kept per folder (one per set of options and glossaries); older ones go."""

MAX_CACHE_BYTES = 500_000_000
"""A cache file larger than this is not read (about 2,000,000 files' entries)."""
_RACY_SECONDS = 2.0
_PACKAGE = Path(__file__).resolve().parent


def digest(text: str) -> str:
    """What a document's entry remembers of its text."""
    return _digest(text.encode("utf-8", "surrogatepass"))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def content_digest(path: str) -> str:
    """A file's bytes, or a folder's sorted names, as a digest; "-" for nothing at that path
    (still nothing there is no change), "" when it cannot be read (which matches nothing).
    Files through the one reader: a FIFO or a huge file in a glossary's place is not read."""
    if not os.path.lexists(path):
        return "-"
    try:
        if os.path.isdir(path):
            return _digest("\n".join(sorted(os.listdir(path))).encode("utf-8",
                                                                      "surrogateescape"))
        return _digest(read_bytes(Path(path)))
    except (OSError, UnreadableFile):
        return ""


def code_files() -> list[str]:
    """The tool's own engine and shipped glossary: an editable install that changes a rule
    must not serve findings of the old rule."""
    from harvester_glossary_ls.engine.shipped import embedded_dir

    folders = (_PACKAGE, _PACKAGE / "engine", _PACKAGE / "engine" / "parsers", embedded_dir())
    files = []
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        files += [str(folder / name) for name in names
                  if name.endswith((".py", ".md", ".yaml", ".yml"))]
    return files


def options_key(options: Sequence[object]) -> str:
    """The cache file's name for one set of options."""
    material = json.dumps([FORMAT, __version__, list(options)])
    return hashlib.blake2b(material.encode("utf-8"), digest_size=16).hexdigest()


Dependency = list[Any]
"""[path, mtime_ns, size, digest] (mtime_ns None: compare by digest only)."""


@dataclass
class CheckCache:
    """One set of options' cache file: read at the start of a run, written at its end."""

    path: Path
    run: list[Dependency] = field(default_factory=list)
    glossaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    note: str = ""
    """Why the cache file could not be used, for one line on stderr ("" when it could)."""
    _held: dict[str, bool] = field(default_factory=dict)
    _fresh: dict[str, bool] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _started: float = field(default_factory=time.time)

    @staticmethod
    def open(folder: Path, key: str, run: Iterable[FileStamp]) -> CheckCache:
        """The cache of `key`, with nothing in it unless every file in `run` (the run's own
        dependencies, as they were read) is as it was when it was written."""
        cache = CheckCache(folder / f"{key}.json")
        stamps = {stamp[0]: stamp for stamp in run}
        old = {dep[0]: dep for dep in cache.run if isinstance(dep, list) and len(dep) == 4} \
            if cache._load() else {}
        fresh = set(old) == set(stamps) and all(cache._holds(old[path]) for path in stamps)
        if not fresh:
            cache.glossaries, cache.files = {}, {}
        cache.run = [old[path] if fresh else cache._dependency(stamps[path])
                     for path in sorted(stamps)]
        return cache

    def _load(self) -> bool:
        if not os.path.lexists(self.path):
            return False
        try:
            data = json.loads(read_bytes(self.path, MAX_CACHE_BYTES))
        except (UnreadableFile, ValueError) as unreadable:
            self.note = f"cache {self.path} not used: {unreadable}"
            return False
        if not (isinstance(data, dict) and data.get("format") == FORMAT
                and isinstance(data.get("run"), list)
                and isinstance(data.get("glossaries"), dict)
                and isinstance(data.get("files"), dict)):
            self.note = f"cache {self.path} not used: not a cache of this version"
            return False
        self.run, self.glossaries, self.files = data["run"], data["glossaries"], data["files"]
        return True

    # --- dependencies ------------------------------------------------------------------------

    def _holds(self, dependency: Dependency) -> bool:
        """Whether a recorded dependency is as it was (once per path and run)."""
        try:
            path, mtime, size, recorded = dependency
            held = self._held.get(path)
            if held is None:
                now = stamp_of(path)
                held = (mtime is not None and [mtime, size] == list(now[1:])) or (
                    bool(recorded) and content_digest(path) == recorded)
                self._held[path] = held
                if held and (mtime is None or [mtime, size] != list(now[1:])):
                    dependency[1:3] = self._pair(now)
        except (TypeError, ValueError):
            return False
        return held

    def _dependency(self, stamp: FileStamp) -> Dependency:
        """A dependency of a file as it was read (its stamp then): the digest is taken only
        when the file is still as it was read, else it stays "" and never matches."""
        path = stamp[0]
        text_digest = content_digest(path) if stamp_of(path) == stamp else ""
        if text_digest and stamp_of(path) != stamp:  # it changed while it was digested
            text_digest = ""
        return [path, *self._pair(stamp), text_digest]

    # --- glossaries --------------------------------------------------------------------------

    def glossary_fresh(self, key: str) -> bool:
        """Whether the glossary `key` was recorded and everything it was read from is as it
        was then (checked once per run)."""
        fresh = self._fresh.get(key)
        if fresh is None:
            record = self.glossaries.get(key)
            try:
                fresh = record is not None and all(self._holds(dep) for dep in record["deps"])
            except (KeyError, TypeError):
                fresh = False
            self._fresh[key] = fresh
        return fresh

    def has_entries(self, key: str) -> bool | None:
        """Whether the fresh glossary `key` has entries or YAML rules; None when unknown."""
        if not self.glossary_fresh(key):
            return None
        return bool(self.glossaries[key].get("has_entries"))

    def record_glossary(self, key: str, stamps: Sequence[FileStamp], has_entries: bool) -> None:
        self.glossaries[key] = {"deps": [self._dependency(s) for s in dict.fromkeys(stamps)],
                                "has_entries": has_entries}
        self._fresh[key] = True

    # --- documents ---------------------------------------------------------------------------

    def lookup(self, path: str, context: str, glossary: str) -> tuple[FileFindings | None,
                                                                      str | None]:
        """(the cached findings of the file at `path`, None on a miss; its text when the lookup
        had to read it, so that a miss does not read it again)."""
        self._seen.add(path)
        entry = self.files.get(path)
        if entry is None or entry.get("context") != context \
                or entry.get("glossary") != glossary or not self.glossary_fresh(glossary):
            return None, None
        stamp, text = stamp_of(path), None
        if entry.get("stamp") is None or list(stamp[1:]) != entry.get("stamp"):
            text = _read(path)
            if text is None or digest(text) != entry.get("digest"):
                return None, text
            entry["stamp"] = self._trusted(stamp)
        try:
            return FileFindings.from_json(entry["findings"]), text
        except (KeyError, TypeError, ValueError):
            return None, text

    def store(self, path: str, stamp: FileStamp, text_digest: str, context: str, glossary: str,
              findings: FileFindings) -> None:
        """Remember a file's findings; `stamp` must be taken before the text was read."""
        self.files[path] = {"stamp": self._trusted(stamp), "digest": text_digest,
                            "context": context, "glossary": glossary,
                            "findings": findings.to_json()}

    def _trusted(self, stamp: FileStamp) -> list[int] | None:
        """The stamp to compare next time; None (compare by digest) when it is so recent that
        the file could change again without its mtime changing."""
        _, mtime, size = stamp
        if mtime < 0 or mtime / 1e9 > self._started - _RACY_SECONDS:
            return None
        return [mtime, size]

    def _pair(self, stamp: FileStamp) -> list[int | None]:
        """[mtime, size] as a dependency keeps them: [None, None] when not to be trusted."""
        trusted = self._trusted(stamp)
        return [None, None] if trusted is None else [trusted[0], trusted[1]]

    def save(self) -> str:
        """Write the cache file (and prune old ones); "" or a note saying why it was not."""
        folder = self.path.parent
        files = {path: entry for path, entry in self.files.items()
                 if path in self._seen or os.path.lexists(path)}  # forget deleted files
        data = {"format": FORMAT, "run": self.run, "glossaries": self.glossaries,
                "files": files}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _mark(folder)
            write_atomically(self.path, json.dumps(data, separators=(",", ":")))
            _prune(folder, keep=self.path)
        except OSError as failed:
            return f"cache not written to {folder}: {failed.strerror or failed}"
        return ""


def _read(path: str) -> str | None:
    from harvester_glossary_ls.engine.files import UnreadableFile, read_document

    try:
        return read_document(Path(path))
    except UnreadableFile:
        return None


def _mark(folder: Path) -> None:
    """A new cache folder ignores itself in git and tells backup tools it is a cache."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# written by harvester-glossary-ls check --cache\n*\n",
                          encoding="utf-8")
        (folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by harvester-glossary-ls.\n",
            encoding="utf-8")


def _prune(folder: Path, keep: Path) -> None:
    caches = sorted((p for p in folder.glob("*.json") if p != keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in caches[KEEP - 1:]:
        old.unlink(missing_ok=True)
