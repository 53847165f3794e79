"""Versions whose merged glossaries are equal share one compiled index (issue 10, item 5).

A big configured glossary in a many-version docs site was compiled once per version; now a
`Project` keys compiled glossaries by what matching depends on (entries, YAML rules, product), so
equal glossaries share the automaton, spelling index and casing, while each version keeps its own
`Glossary` (version, page) and versions with different pages still get their own index.
"""

from __future__ import annotations

from pathlib import Path

from harvester_glossary_ls.engine.config import Config
from harvester_glossary_ls.engine.project import Project

TEAM = "entries:\n  - term: spare widget\n    definition: A widget kept for later.\n"


def _site(root: Path, versions: tuple[str, ...]) -> dict[str, Path]:
    (root / "docusaurus.config.js").write_text('module.exports = {title: "Harvester"};\n',
                                               encoding="utf-8")
    (root / "team.yaml").write_text(TEAM, encoding="utf-8")
    docs = {}
    for version in versions:
        folder = root / "versioned_docs" / f"version-{version}"
        folder.mkdir(parents=True)
        docs[version] = folder / "doc.md"
        docs[version].write_text("A spare widget.\n", encoding="utf-8")
    return docs


def test_equal_glossaries_share_one_index(tmp_path: Path) -> None:
    docs = _site(tmp_path, ("v1.4", "v1.5", "v1.6"))
    project = Project(tmp_path, settings=Config(default_glossary=False),
                      extra_glossaries=(tmp_path / "team.yaml",))
    contexts = [project.context_for(doc) for doc in docs.values()]
    assert len({id(c.compiled.index) for c in contexts}) == 1
    assert [c.version for c in contexts] == [(1, 4), (1, 5), (1, 6)]
    assert all(c.compiled.glossary.entry("spare widget") is not None for c in contexts)


def test_different_pages_keep_their_own_index(tmp_path: Path) -> None:
    docs = _site(tmp_path, ("v1.5", "v1.6"))
    page = tmp_path / "versioned_docs" / "version-v1.6" / "glossary.md"
    page.write_text("## **odd gadget**\n\nOnly in v1.6.\n", encoding="utf-8")
    project = Project(tmp_path, extra_glossaries=(tmp_path / "team.yaml",))
    old, new = (project.context_for(doc).compiled for doc in docs.values())
    assert old.index is not new.index
    assert new.glossary.entry("odd gadget") is not None and old.glossary.entry("odd gadget") is None
