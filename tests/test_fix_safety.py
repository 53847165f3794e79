"""`--fix` is safe by construction (issue 9, item 8): only certain fixes, only in prose, and not
a byte outside the finding spans changes; a UTF-8 BOM and CRLF/CR line endings are kept.

The fixture tests pin the bytes written; the corpus test fixes a copy of every file of both
shared corpora with each site's own glossary and checks, from the CLI's own JSON report, that
everything outside the reported spans is byte-identical and that nothing the scanner reads as
non-prose (code, inline code, shortcodes, link targets, URLs, paths) changed.
"""

from __future__ import annotations

import codecs
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from harvester_glossary_ls.cli import main
from harvester_glossary_ls.engine.fixes import ChangedOnDisk, certain, fix_file, safe_edits
from harvester_glossary_ls.engine.scan import MASK, ProseScan
from harvester_glossary_ls.engine.scan_markdown import scan_markdown
from harvester_glossary_ls.engine.scan_yaml import scan_yaml
from harvester_glossary_ls.engine.walk import language_of
from tests.glossary_testkit import SHARED, analyse

BOM = codecs.BOM_UTF8
PROSE = "We run the Harvester Cluster and set harvester-mgmt first.\n"
FIXED = "We run the Harvester cluster and set mgmt first.\n"


def check(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(cwd)
    return main(["check", "--no-config", "--fail-on", "never", *args])


@pytest.mark.parametrize(("name", "before", "after"), [
    ("bom", BOM + PROSE.encode(), BOM + FIXED.encode()),
    ("crlf", b"Title line\r\n\r\n" + PROSE.replace("\n", "\r\n").encode() + b"Tail\r\n",
     b"Title line\r\n\r\n" + FIXED.replace("\n", "\r\n").encode() + b"Tail\r\n"),
    ("cr-only", b"Title line\r\r" + PROSE.replace("\n", "\r").encode(),
     b"Title line\r\r" + FIXED.replace("\n", "\r").encode()),
    ("bom-crlf-no-final-newline", BOM + PROSE.rstrip().encode() + b"\r\nend",
     BOM + FIXED.rstrip().encode() + b"\r\nend"),
    ("mixed-endings-and-non-ascii", "Ünïcode\r\n— " .encode() + PROSE.encode() + b"x\r",
     "Ünïcode\r\n— ".encode() + FIXED.encode() + b"x\r"),
])
def test_fix_keeps_every_byte_outside_the_spans(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, before: bytes,
        after: bytes) -> None:
    path = tmp_path / f"{name}.md"
    path.write_bytes(before)
    check(tmp_path, monkeypatch, "--fix", path.name)
    assert path.read_bytes() == after


NOT_PROSE = """\
---
title: The Harvester Cluster and harvester-mgmt
---

Run `the Harvester Cluster` and see [the Harvester Cluster](./Harvester-Cluster.md).
Visit https://example.com/the-Harvester-Cluster/harvester-mgmt today.
Edit /etc/Harvester-Cluster/harvester-mgmt.yaml and spec.harvester-mgmt now.
<span title="the Harvester Cluster">the text</span> in HTML.

```
the Harvester Cluster and harvester-mgmt
```

{{< highlight yaml >}}
the Harvester Cluster: harvester-mgmt
{{< /highlight >}}

{{< figure alt="the Harvester Cluster" caption="harvester-mgmt" >}}

    the Harvester Cluster in indented code

<!-- the Harvester Cluster and harvester-mgmt -->
"""


def test_fix_touches_prose_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "page.md"
    path.write_text(NOT_PROSE + "\n" + PROSE, encoding="utf-8")
    check(tmp_path, monkeypatch, "--fix", path.name)
    assert path.read_text(encoding="utf-8") == NOT_PROSE + "\n" + FIXED


def test_fix_in_yaml_leaves_scripts_paths_and_kinds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("# The Harvester Cluster uses harvester-mgmt\n"
            "kind: ConfigMap\ndata:\n  run.sh: |\n    echo the Harvester Cluster harvester-mgmt\n"
            "  path: /etc/harvester-mgmt/Harvester-Cluster\n")
    path = tmp_path / "values.yaml"
    path.write_text(text, encoding="utf-8")
    check(tmp_path, monkeypatch, "--fix", path.name)
    assert path.read_text(encoding="utf-8") == text.replace(
        "# The Harvester Cluster uses harvester-mgmt", "# The Harvester cluster uses mgmt")


def _scan(text: str, language: str) -> ProseScan:
    return scan_yaml(text) if language == "yaml" else scan_markdown(text)


def test_only_certain_fixes_are_applied() -> None:
    analysis = analyse(PROSE)
    findings = analysis.findings
    assert [(f.code, f.safe_fix) for f in findings] == [
        ("term-casing", True), ("deprecated-term", True)]
    assert all(certain(f, analysis.text, analysis.scan) for f in findings)
    casing, deprecated = findings
    text, scan = analysis.text, analysis.scan
    assert not certain(replace(casing, replacements=("Harvester clusters",)), text, scan)
    assert not certain(replace(casing, replacements=("Harvester Cluster",)), text, scan)
    assert not certain(replace(deprecated, replacements=("mgmt network",)), text, scan)
    assert not certain(replace(deprecated, code="term-spelling"), text, scan)
    assert not certain(replace(casing, start=casing.start - 1), text, scan)  # not its text
    masked = scan.match_text[:casing.start] + MASK + scan.match_text[casing.start + 1:]
    assert not certain(casing, text, replace(scan, match_text=masked))  # not prose
    assert safe_edits(findings, text, scan) == [
        (casing.start, casing.end, "Harvester cluster"), (deprecated.start, deprecated.end, "mgmt")]


def test_a_yaml_kind_is_never_rewritten() -> None:
    analysis = analyse("apiVersion: v1\nkind: NodeNetwork\n", "yaml")
    assert all(not certain(f, analysis.text, analysis.scan) for f in analysis.findings)


def test_a_file_that_changed_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(PROSE, encoding="utf-8")
    analysis = analyse(PROSE)
    path.write_text(PROSE + "A new line.\n", encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        fix_file(path, analysis.text, analysis.findings, tmp_path, analysis.scan)
    assert path.read_text(encoding="utf-8") == PROSE + "A new line.\n"


# --- the shared corpora ----------------------------------------------------------------------

CORPORA = SHARED / "corpus"


def _offsets(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def _decode(raw: bytes) -> tuple[bool, str]:
    bom = raw.startswith(BOM)
    return bom, raw[len(BOM) if bom else 0:].decode("utf-8")


def _masked_runs(text: str, scan: ProseScan) -> list[str]:
    runs, start = [], -1
    for i, ch in enumerate(scan.match_text):
        if ch == MASK and start < 0:
            start = i
        elif ch != MASK and start >= 0:
            runs.append(text[start:i])
            start = -1
    if start >= 0:
        runs.append(text[start:])
    return runs


def _compare(rel: str, before: str, after: str, reported: list[dict[str, object]]) -> str | None:
    """Why `after` is not `before` with some reported spans replaced by their replacement."""
    lines = _offsets(before)
    spans = []
    for item in reported:
        start = lines[int(item["line"]) - 1] + int(item["column"]) - 1  # type: ignore[call-overload]
        end = lines[int(item["endLine"]) - 1] + int(item["endColumn"]) - 1  # type: ignore[call-overload]
        fixes = list(item["replacements"]) if item["fixable"] else []  # type: ignore[call-overload]
        spans.append((start, end, fixes))
    spans.sort(key=lambda s: (s[0], s[1]))
    cursor = out = 0
    for start, end, fixes in spans:
        if start < cursor:
            continue  # overlaps a span already compared: that one decided
        if after[out:out + start - cursor] != before[cursor:start]:
            return f"{rel}: changed outside the reported spans before offset {start}"
        out += start - cursor
        choice = next((c for c in [before[start:end], *fixes] if after.startswith(c, out)), None)
        if choice is None:
            return f"{rel}: span {start}-{end} {before[start:end]!r} became something else"
        out += len(choice)
        cursor = end
    if after[out:] != before[cursor:]:
        return f"{rel}: changed after the last reported span"
    return None


def _trees(corpus: Path) -> Iterator[tuple[Path, list[str]]]:
    """(folder to check, extra CLI arguments): each site with its own glossary."""
    if corpus.name == "longhorn-website":
        for tree in sorted((corpus / "content" / "docs").iterdir()):
            if (tree / "terminology.md").is_file():
                yield tree, ["--glossary", "terminology.md"]
            else:
                yield tree, []
        yield corpus / "content" / "docs", ["*/terminology.md"]  # the glossary pages themselves
    else:
        yield corpus, []


def _run(tree: Path, args: list[str], monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    paths = sorted(str(p.relative_to(tree)) for p in tree.glob(args[0])) if (
        args and "*" in args[0]) else ["."]
    options = [a for a in args if "*" not in a]
    capsys.readouterr()
    check(tree, monkeypatch, "--format", "json", *options, *paths)
    reported: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    check(tree, monkeypatch, "--fix", *options, *paths)
    capsys.readouterr()
    for item in reported:
        item["path"] = str((tree / str(item["path"])).resolve())
    return reported


@pytest.mark.slow
@pytest.mark.parametrize("site", ["harvester-docs", "longhorn-website"])
def test_fix_over_a_whole_corpus_changes_nothing_but_the_spans(
        site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = CORPORA / site
    if not source.is_dir():
        pytest.skip(f"{source} is absent (the shared corpora live in ../shared)")
    copy = tmp_path / site
    shutil.copytree(source, copy)
    originals = {p: p.read_bytes() for p in sorted(copy.rglob("*")) if p.is_file()}
    reported: list[dict[str, object]] = []
    for tree, args in _trees(copy):
        reported += _run(tree, args, monkeypatch, capsys)
    by_path: dict[str, list[dict[str, object]]] = {}
    for item in reported:
        by_path.setdefault(str(item["path"]), []).append(item)
    problems, changed = [], 0
    for path, raw in originals.items():
        new = path.read_bytes()
        if new == raw:
            continue
        changed += 1
        rel = str(path.relative_to(copy))
        (bom, before), (new_bom, after) = _decode(raw), _decode(new)
        if bom != new_bom:
            problems.append(f"{rel}: BOM {'dropped' if bom else 'added'}")
        why = _compare(rel, before, after, by_path.get(str(path.resolve()), []))
        if why:
            problems.append(why)
        language = language_of(path.name) or "markdown"
        if _masked_runs(before, _scan(before, language)) != _masked_runs(
                after, _scan(after, language)):
            problems.append(f"{rel}: a non-prose region changed")
    assert not problems, problems[:20]
    assert len(originals) > 200
    fixable = sum(1 for item in reported if item["fixable"])
    assert changed > 0 and fixable >= changed, (changed, fixable)
    print(f"\n{site}: {len(originals)} files, {len(reported)} findings, {fixable} fixable, "
          f"{changed} files fixed")
