"""Our YAML glossary format: one valid fixture using every field, and many broken files that
each give a Problem with a line (and never raise), plus the shipped overlay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.loader import load_source
from harvester_glossary_ls.engine.models import Deprecation, Link, Severity
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from tests.glossary_testkit import FIXTURES, REPO, compile_yaml, findings

VALID = FIXTURES / "glossaries" / "project.yaml"


def test_valid_fixture_reads_every_field() -> None:
    result = parse_yaml_glossary(VALID.read_text(encoding="utf-8"), str(VALID))
    assert result.problems == ()
    assert result.version == (1, 6)
    assert result.page_url == "https://example.com/glossary"
    backup, sriov, iso = result.entries
    assert backup.term == "backup target"
    assert backup.aliases == ("backup store", "backup-target")
    assert backup.definition == ("Where Harvester stores virtual machine backups.\n\n"
                                 "An NFS or S3 endpoint.")
    assert backup.url == "https://example.com/glossary#backup-target"
    assert backup.links == (
        Link("Backup and restore", "https://docs.harvesterhci.io/v1.6/vm/backup-restore",
             "https://docs.harvesterhci.io/v1.6/vm/backup-restore"),
        Link("https://example.com/no-text", "https://example.com/no-text",
             "https://example.com/no-text"),
    )
    assert backup.deprecations == (
        Deprecation("backup server", ("backup target",), (1, 2), "made up for the tests",
                    "renamed in the UI", True),
        Deprecation("backup bucket", ("backup target", "S3 bucket"), None, "", "", False),
    )
    assert backup.deprecations[0].safe_replacement == "backup target"
    assert backup.deprecations[1].safe_replacement is None
    assert backup.source is not None and backup.source.line == 5
    assert (sriov.casing, iso.casing) == ("strict", "ignore")
    assert iso.aliases == ("disk image",)
    assert [r.match for r in result.yaml_rules] == ["kind", "kind+name", "key", "label"]
    kind, named, key, label = result.yaml_rules
    assert kind.kinds == ("BackupTarget",) and kind.api_group == "example.io/v1"
    assert named.value_pattern == "^backup-target$"
    assert key.kinds == ("Backup", "Restore") and key.key_path == "spec.target"
    assert label.label == "example.io/target" and label.value_pattern == "s3|nfs"
    assert label.deprecation is not None and label.deprecation.use == ("example.io/backup-target",)


def test_valid_fixture_drives_the_rules() -> None:
    compiled = compile_yaml(VALID.read_text(encoding="utf-8"))
    text = "Set the Backup Server, the backup bucket, the sr-iov NIC and the ISO Image.\n"
    assert findings(text, compiled=compiled, version=(1, 6)) == [
        ("deprecated-term", "Backup Server"),
        ("deprecated-term", "backup bucket"),
        ("term-casing", "sr-iov"),
    ]
    # before its since-version the renamed form is fine; the undated one always applies
    assert findings(text, compiled=compiled, version=(1, 1)) == [
        ("deprecated-term", "backup bucket"), ("term-casing", "sr-iov")]


def _bomb(levels: int = 8, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ",".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + f"\nentries:\n  - term: x\n    aliases: *a{levels - 1}\n"


# (text, expected problems as (0-based line, message fragment), entries that still load)
BROKEN: list[tuple[str, str, list[tuple[int, str]], list[str]]] = [
    ("bad-yaml", "entries:\n  - term: a\n    definition: [unclosed\n",
     [(3, "invalid YAML")], []),
    ("tab-indent", "entries:\n\t- term: x\n", [(1, "invalid YAML")], []),
    ("two-documents", "entries:\n  - term: a\n---\nentries: []\n", [(2, "invalid YAML")], []),
    ("nul-byte", "entries:\n  - term: a\x00\n", [(0, "control characters are not allowed")],
     []),
    ("empty", "", [(0, "empty glossary file")], []),
    ("only-comments", "# nothing\n", [(0, "empty glossary file")], []),
    ("root-list", "- term: a\n", [(0, "must be a mapping")], []),
    ("root-scalar", "glossary\n", [(0, "must be a mapping")], []),
    ("entries-scalar", "entries: many\n", [(0, "'entries' must be a list"),
                                            (0, "no entries found")], []),
    ("entries-null", "entries:\n", [(0, "no entries found")], []),
    ("entry-scalar", "entries:\n  - a term\n  - term: ok\n",
     [(1, "each item of 'entries' must be a mapping")], ["ok"]),
    ("missing-term", "entries:\n  - definition: none\n  - term: ok\n",
     [(1, "missing required field 'term'")], ["ok"]),
    ("term-list", "entries:\n  - term: [a, b]\n", [(1, "'term' must be a string"),
                                                     (0, "no entries found")], []),
    ("term-mapping", "entries:\n  - term: {a: b}\n", [(1, "'term' must be a string"),
                                                        (0, "no entries found")], []),
    ("aliases-mapping", "entries:\n  - term: a\n    aliases: {x: y}\n",
     [(2, "'aliases' must be a string or a list of strings")], ["a"]),
    ("alias-item-list", "entries:\n  - term: a\n    aliases:\n      - ok\n      - [no]\n",
     [(4, "'aliases' items must be strings")], ["a"]),
    ("alias-item-null", "entries:\n  - term: a\n    aliases:\n      - ok\n      -\n",
     [(4, "'aliases' items must be strings")], ["a"]),
    ("definition-list", "entries:\n  - term: a\n    definition: [x]\n",
     [(2, "'definition' must be a string")], ["a"]),
    ("deprecated-scalar", "entries:\n  - term: a\n    deprecated: old\n",
     [(2, "'deprecated' must be a list")], ["a"]),
    ("deprecated-missing-use", "entries:\n  - term: a\n    deprecated:\n      - form: old\n",
     [(3, "needs 'use'")], ["a"]),
    ("deprecated-missing-form", "entries:\n  - term: a\n    deprecated:\n      - use: new\n",
     [(3, "a deprecated form needs 'form'")], ["a"]),
    ("bad-since", "entries:\n  - term: a\n    deprecated:\n      - form: old\n"
                  "        use: new\n        since: soon\n",
     [(5, "'since' is not a version like v1.7")], ["a"]),
    ("since-number", "entries:\n  - term: a\n    deprecated:\n      - form: old\n"
                     "        use: new\n        since: 7\n",
     [(5, "'since' is not a version like v1.7")], ["a"]),
    ("bad-autofix", "entries:\n  - term: a\n    deprecated:\n      - form: old\n"
                    "        use: new\n        autofix: maybe\n",
     [(5, "'autofix' must be true or false")], ["a"]),
    ("bad-casing", "entries:\n  - term: a\n    casing: loose\n",
     [(2, "'casing' must be strict, asserted or ignore")], ["a"]),
    ("link-without-url", "entries:\n  - term: a\n    links:\n      - text: x\n",
     [(3, "missing required field 'url'")], ["a"]),
    ("links-scalar", "entries:\n  - term: a\n    links: https://x\n",
     [(2, "'links' must be a list")], ["a"]),
    ("duplicate-term", "entries:\n  - term: a\n  - term: A\n",
     [(2, "'A' is defined twice (first on line 2)")], ["a", "A"]),
    ("alias-duplicates-term", "entries:\n  - term: a\n  - term: b\n    aliases: [a]\n",
     [(2, "'a' is defined twice")], ["a", "b"]),
    ("unknown-top-level", "entries:\n  - term: a\nextra: 1\n",
     [(2, "unknown top-level field 'extra'")], ["a"]),
    ("bad-top-version", "version: banana\nentries:\n  - term: a\n",
     [(0, "'version' is not a version like v1.7")], ["a"]),
    ("rule-bad-match", "yaml_rules:\n  - {match: regex, term: a}\n",
     [(1, "'match' must be one of"), (0, "no entries found")], []),
    ("rule-kind-without-kind", "yaml_rules:\n  - {match: kind, term: a}\n",
     [(1, "a 'kind' rule needs 'kind'")], []),
    ("rule-key-without-key", "yaml_rules:\n  - {match: key, term: a}\n",
     [(1, "a 'key' rule needs 'key'")], []),
    ("rule-label-without-label", "yaml_rules:\n  - {match: label, term: a}\n",
     [(1, "a 'label' rule needs 'label'")], []),
    ("rule-without-term", "yaml_rules:\n  - {match: kind, kind: X}\n",
     [(1, "missing required field 'term'"), (0, "no entries found")], []),
    ("rule-deprecated-scalar", "yaml_rules:\n  - {match: kind, kind: X, term: a, deprecated: 1}\n",
     [(1, "'deprecated' must be a mapping")], []),
    ("rules-mapping", "entries:\n  - term: a\nyaml_rules: {match: kind}\n",
     [(2, "'yaml_rules' must be a list")], ["a"]),
    ("alias-bomb", _bomb(), [(0, "alias bomb")], []),
    ("self-alias", "entries: &a [*a, *a]\n", [(0, "nested too deeply")], []),
    ("self-alias-nested", "x: &a [&b [*a, *b], *a]\nentries:\n  - term: t\n    aliases: *a\n",
     [(0, "nested too deeply")], []),
    ("deep-nesting", "entries: " + "[" * 3000 + "]" * 3000 + "\n", [(0, "invalid YAML")], []),
]


@pytest.mark.parametrize(("text", "problems", "loaded"),
                         [pytest.param(t, p, e, id=i) for i, t, p, e in BROKEN])
def test_broken_glossaries_give_problems(text: str, problems: list[tuple[int, str]],
                                         loaded: list[str]) -> None:
    result = parse_yaml_glossary(text, "broken.yaml")
    got = [(p.line, p.message) for p in result.problems]
    assert len(got) == len(problems), got
    for (line, message), (want_line, fragment) in zip(got, problems, strict=True):
        assert fragment in message, got
        assert line == want_line, got
    assert all(p.path == "broken.yaml" and p.severity == Severity.ERROR
               for p in result.problems)
    assert [e.term for e in result.entries] == loaded


def test_python_tags_are_not_executed() -> None:
    text = "entries:\n  - term: !!python/object/apply:os.system [echo pwned]\n"
    result = parse_yaml_glossary(text, "evil.yaml")
    assert result.entries == () or all(isinstance(e.term, str) for e in result.entries)
    assert result.problems  # a list where a string belongs


def test_scalars_become_strings() -> None:
    text = "entries:\n  - term: 42\n    aliases: [yes, 1.5]\n    definition: true\n"
    result = parse_yaml_glossary(text, "scalars.yaml")
    assert [(e.term, e.aliases, e.definition) for e in result.entries] == [
        ("42", ("True", "1.5"), "true")]


def test_load_source_reports_unreadable_files(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "latin1.yaml").write_bytes("entries:\n  - term: caf\xe9\n".encode("latin-1"))
    (folder / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (folder / "glossary.txt").write_text("entries: []\n")
    for name, fragment in (("latin1.yaml", "not UTF-8"), ("binary.yaml", "NUL"),
                           ("glossary.txt", "unknown glossary format"),
                           ("missing.yaml", "cannot read glossary")):
        result = load_source(folder / name)
        assert result.entries == ()
        assert len(result.problems) == 1 and fragment in result.problems[0].message, name


def test_shipped_overlay_is_clean() -> None:
    overlay = REPO / "glossary" / "harvester-overlay.yaml"
    result = parse_yaml_glossary(overlay.read_text(encoding="utf-8"), str(overlay))
    assert result.problems == ()
    forms = {d.form: d for e in result.entries for d in e.deprecations}
    assert forms["harvester-mgmt"].use == ("mgmt",) and forms["harvester-mgmt"].since == (1, 1)
    assert forms["NodeNetwork"].since == (1, 1) and forms["NodeNetwork"].safe_replacement is None
    assert forms["vip-pools"].since == (1, 2)
    assert forms["RKE1"].since == (1, 6) and forms["RKE1"].use == ("RKE2", "K3s")
    assert forms["Advanced > Networks"].use == ("Networks > VM Networks",)
    assert forms["minFreeDiskSpaceGB"].use == ("skipGarbageCollectionThresholdCheck",)
    assert forms["legacy BIOS boot"].since == (1, 7)
    assert all(d.source for d in forms.values())
    # never flag these two (ARCHITECTURE.md facts-3)
    lowered = {f.casefold() for f in forms}
    assert "vlan network" not in lowered and "downstream cluster" not in lowered
    assert len(result.yaml_rules) >= 20


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-:[]{}&*!|>#'\" \n\tabvx1.,?%@`")), max_size=160))
def test_never_raises(text: str) -> None:
    parse_yaml_glossary(text, "fuzz.yaml")
