"""`discover`: candidate terms on a small fixture folder (the exact ranked list, what is filtered
out and why), its JSON and YAML outputs, and the YAML stubs read back by our glossary parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.discover import key_of, singular, singular_phrase
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary

from .keeper_support import FIXTURES, run

FOLDER = FIXTURES / "discover"


@pytest.fixture
def in_folder(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(FOLDER)
    return FOLDER


def _json(capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, object]]:
    assert run(["discover", ".", "--format", "json", *extra]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list)
    return data


def test_exact_candidates(in_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _json(capsys)
    assert [(c["term"], c["count"], c["pages"]) for c in found] == [
        ("backing image", 6, ["images.md", "network.yaml", "volumes.md"]),
        ("VirtualMachineImage", 3, ["image.yaml", "images.md", "volumes.md"]),
        ("Volume Snapshot Class", 3, ["images.md", "volumes.md"]),
    ]
    # left out: "Storage Network" and "guest clusters" (the glossary has them, in any case or
    # number), the headings "Prerequisites" and "Next steps", the UI verbs **Create** / **Save**,
    # the sentence-initial "The" / "A", and `kind: Setting` on one page only
    assert found[0]["signals"] == {"bold": 1, "defined": 1, "heading": 1}
    assert found[1]["signals"] == {"yaml kind": 3}
    assert found[0]["examples"] == [
        {"path": "images.md", "line": 1, "text": "# Backing images"},
        {"path": "network.yaml", "line": 1,
         "text": "# The Storage Network settings for the backing image controller."}]
    assert set(found[0]) >= {"term", "count", "pages", "examples", "signals", "score"}


def test_min_count_and_top(in_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [c["term"] for c in _json(capsys, "--min-count", "4")] == ["backing image"]
    assert [c["term"] for c in _json(capsys, "--top", "1")] == ["backing image"]
    assert [c["term"] for c in _json(capsys, "--min-pages", "3")] == [
        "backing image", "VirtualMachineImage"]


def test_text_output(in_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["discover", "."]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "  1. backing image  (6 uses, 3 pages; bold, defined, heading)"
    assert out.splitlines()[1] == "       images.md:1: # Backing images"
    assert err.strip() == "3 candidates in 4 files"


def test_yaml_stubs_load_as_a_glossary(in_folder: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["discover", ".", "--format", "yaml"]) == 0
    text = capsys.readouterr().out
    result = parse_yaml_glossary(text, "stubs.yaml")
    assert result.problems == ()
    assert [(e.term, e.definition) for e in result.entries] == [
        ("backing image", "TODO"), ("VirtualMachineImage", "TODO"),
        ("Volume Snapshot Class", "TODO")]
    assert "  # 6 uses on 3 pages; bold, defined, heading" in text.splitlines()


def test_candidates_never_repeat_the_glossary(in_folder: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    glossary = tmp_path / "team.yaml"
    glossary.write_text("entries:\n  - term: backing images\n    aliases: [VM image kind]\n"
                        "  - term: virtual machine image\n")
    found = _json(capsys, "--glossary", str(glossary))
    assert [c["term"] for c in found] == ["Volume Snapshot Class"]


def test_names_compare_singular_and_camel_case() -> None:
    assert key_of("Backing Images") == key_of("backing image") == "backing image"
    assert key_of("ClusterNetwork") == "cluster network"
    assert key_of("VM-based image") == "vm based image"
    assert singular("policies") == "policy" and singular("status") == "status"
    assert singular_phrase("Kubernetes") == "Kubernetes"  # a name keeps its s
    assert singular_phrase("guest VMs") == "guest VM"


def test_the_cli_dispatches_both_commands(in_folder: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from harvester_glossary_ls.cli import main

    assert main(["discover", ".", "--format", "json", "--top", "1"]) == 0
    assert [c["term"] for c in json.loads(capsys.readouterr().out)] == ["backing image"]
    assert main(["report", ".", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 4
