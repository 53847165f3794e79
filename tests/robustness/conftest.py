"""Shared pieces for the robustness suite: a small project with its own glossary, directory
snapshots (to prove nothing was written or deleted), and hypothesis settings.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "robustness", deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large])
settings.load_profile("robustness")

GLOSSARY = """\
entries:
  - term: Frobnicator
    definition: The component that frobnicates every VM network in a guest cluster.
    aliases: [frob unit]
    deprecated:
      - form: old frobber
        use: Frobnicator
        since: v1.2
  - term: Quux bridge
    definition: A bridge between two quux networks.
"""

CONFIG = "glossaries: [terms.yaml]\n"

DOC = """\
# Frobnicator notes

The Frobnicator sits beside the quux bridge. Replace the old frobber with it.
Attach the VM to the harvester-mgmt network of the guest cluster.
"""


def write_project(root: Path, glossary: str = GLOSSARY, config: str = CONFIG) -> Path:
    """A workspace whose config names one YAML glossary (terms.yaml) next to a document."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "terms.yaml").write_text(glossary, encoding="utf-8")
    (root / ".harvester-glossary.yaml").write_text(config, encoding="utf-8")
    (root / "doc.md").write_text(DOC, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "ws")


def snapshot(root: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry under root: kind, mode and content hash (or link target). Never follows
    symlinks and never opens FIFOs, so it is safe on the hostile trees these tests build."""
    out: dict[str, tuple[str, int, str]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", 0, os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[rel] = ("file", stat.S_IMODE(info.st_mode), digest)
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = ("dir", stat.S_IMODE(info.st_mode), "")
            else:
                out[rel] = ("other", stat.S_IMODE(info.st_mode), "")
    return out


class Unchanged:
    """Roots whose snapshot must be the same at the end of the test."""

    def __init__(self) -> None:
        self.before: dict[Path, dict[str, tuple[str, int, str]]] = {}

    def watch(self, root: Path) -> Path:
        self.before[root] = snapshot(root)
        return root

    def check(self) -> None:
        for root, before in self.before.items():
            after = snapshot(root)
            changed = sorted(set(before.items()) ^ set(after.items()))
            assert not changed, f"files under {root} changed: {changed}"


@pytest.fixture
def unchanged() -> Iterator[Unchanged]:
    watcher = Unchanged()
    yield watcher
    watcher.check()
