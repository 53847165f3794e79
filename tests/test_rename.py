"""Renaming a term in the engine: respelling each use, the glossary entry edit, and recording
the old name as a deprecated form in a YAML glossary (`engine.rename`, `config_edit`)."""

from __future__ import annotations

import pytest

from harvester_glossary_ls.engine.config_edit import add_glossary
from harvester_glossary_ls.engine.models import Entry
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from harvester_glossary_ls.engine.rename import (
    Edit,
    RenameError,
    apply,
    before_last_break,
    check_new_name,
    deprecation_edit,
    entry_edit,
    renamed_name,
    renames_file,
    respell,
    use_edits,
)
from tests.glossary_testkit import analyse, compile_yaml

GLOSSARY = """entries:
  - term: guest cluster
    aliases: [workload cluster]
    definition: A cluster that runs on Harvester VMs.
  - term: VM network
"""


@pytest.mark.parametrize(("written", "form", "strip", "suffix", "new", "expected"), [
    ("guest cluster", "guest cluster", 0, 0, "tenant cluster", "tenant cluster"),
    ("Guest cluster", "guest cluster", 0, 0, "tenant cluster", "Tenant cluster"),
    ("guest clusters", "guest cluster", 0, 1, "tenant cluster", "tenant clusters"),
    ("guest cluster's", "guest cluster", 0, 2, "tenant cluster", "tenant cluster's"),
    ("guest clusters'", "guest cluster", 0, 2, "tenant cluster", "tenant clusters'"),
    ("GUEST CLUSTERS", "guest cluster", 0, 1, "tenant cluster", "TENANT CLUSTERS"),
    ("Guest Cluster", "guest cluster", 0, 0, "tenant cluster", "Tenant Cluster"),
    ("VM network", "VM network", 0, 0, "VM fabric", "VM fabric"),
    ("VM networks", "VM network", 0, 1, "virtual switch", "virtual switches"),
    ("policies", "policy", 1, 3, "rule", "rules"),
    ("guest clusters", "guest cluster", 0, 1, "tenant policy", "tenant policies"),
    ("Guest clusters", "guest cluster", 0, 1, "VM fleet", "VM fleets"),
])
def test_respell_keeps_the_case_pattern_and_the_suffix(written: str, form: str, strip: int,
                                                        suffix: int, new: str,
                                                        expected: str) -> None:
    assert respell(written, form, new, strip=strip, suffix_len=suffix) == expected


def test_uses_in_prose_are_renamed_and_code_is_not() -> None:
    compiled = compile_yaml(GLOSSARY)
    text = ("# Guest clusters\n\n"
            "Create a guest cluster. Guest cluster nodes run in VMs.\n"
            "List the guest clusters with `kubectl get guest cluster`.\n\n"
            "```\nguest cluster\n```\n\n"
            "A workload cluster is the same.\n")
    analysis = analyse(text, compiled=compiled, version=None)
    entry = compiled.glossary.entries[0]
    edits = use_edits(analysis, entry, "guest cluster", "tenant cluster")
    assert apply(text, edits) == (
        "# Tenant clusters\n\n"
        "Create a tenant cluster. Tenant cluster nodes run in VMs.\n"
        "List the tenant clusters with `kubectl get guest cluster`.\n\n"
        "```\nguest cluster\n```\n\n"
        "A workload cluster is the same.\n")
    alias = use_edits(analysis, entry, "workload cluster", "hosted cluster")
    assert [text[e.start:e.end] for e in alias] == ["workload cluster"]
    assert apply(text, alias).endswith("A hosted cluster is the same.\n")


def test_renamed_name_is_the_matched_name_never_a_deprecated_form() -> None:
    compiled = compile_yaml(GLOSSARY + """  - term: mgmt
    deprecated:
      - {form: harvester-mgmt, use: mgmt}
""")
    analysis = analyse("A workload cluster on harvester-mgmt.", compiled=compiled,
                       version=None)
    names = [renamed_name(o) for o in analysis.occurrences]
    assert names == ["workload cluster", None]


def test_new_names_are_checked() -> None:
    entries = compile_yaml(GLOSSARY).glossary.entries
    entry = entries[0]
    assert check_new_name("guest cluster", "  tenant   cluster ", entries, entry) == \
        "tenant cluster"
    for bad in ("", "**bold**", "a: b", "guest cluster", "VM Network", "x\ny`"):
        with pytest.raises(RenameError):
            check_new_name("guest cluster", bad, entries, entry)
    assert check_new_name("guest cluster", "Guest Cluster", entries, entry) == "Guest Cluster"
    assert check_new_name("guest cluster", "workload cluster", entries, entry) == \
        "workload cluster"  # its own alias
    renamed = compile_yaml(GLOSSARY.replace("A cluster that runs on Harvester VMs.", (
        "A cluster.\n    deprecated: [{form: old cluster, use: guest cluster}]"))).glossary
    with pytest.raises(RenameError, match="deprecated form"):  # renaming back
        check_new_name("guest cluster", "Old Cluster", renamed.entries, renamed.entries[0])


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("# Glossary\n\n## **guest cluster**\n\nText.\n", 2, "## **tenant cluster**"),
    ("## **VM** / **guest cluster**  \n", 0, "## **VM** / **tenant cluster**  "),
    ("### Guest Cluster\n", 0, "### Tenant Cluster"),
    ("entries:\n  - term: guest cluster\n", 1, "  - term: tenant cluster"),
    ("entries:\n  - aliases: [x]\n    term: 'guest cluster'\n", 1,
     "    term: 'tenant cluster'"),
])
def test_the_entry_is_renamed_in_its_glossary_file(text: str, line: int,
                                                   expected: str) -> None:
    edit = entry_edit(text, line, "guest cluster", "tenant cluster")
    assert edit is not None
    assert expected in apply(text, [edit]).splitlines()


def _deprecations(text: str) -> dict[str, list[tuple[str, tuple[str, ...], object]]]:
    result = parse_yaml_glossary(text, "g.yaml")
    assert not result.problems, (result.problems, text)
    return {e.term: [(d.form, d.use, d.since) for d in e.deprecations] for e in result.entries}


def test_the_old_name_is_added_to_the_renamed_entry_of_a_yaml_glossary() -> None:
    text = GLOSSARY
    rename = entry_edit(text, 1, "guest cluster", "tenant cluster")
    record = deprecation_edit(text, "guest cluster", "tenant cluster", (1, 8))
    assert rename is not None and record is not None
    updated = apply(text, [rename, record])
    assert _deprecations(updated)["tenant cluster"] == [
        ("guest cluster", ("tenant cluster",), (1, 8))]
    assert "definition: A cluster that runs on Harvester VMs." in updated


def test_the_old_name_joins_an_existing_deprecated_list() -> None:
    text = ("entries:\n  - term: mgmt\n    deprecated:\n      - form: harvester-mgmt\n"
            "        use: mgmt\n  - term: other\n")
    record = deprecation_edit(text, "management", "mgmt", None)
    assert record is not None
    assert _deprecations(apply(text, [record]))["mgmt"] == [
        ("management", ("mgmt",), None), ("harvester-mgmt", ("mgmt",), None)]


def test_an_entry_is_appended_when_the_yaml_glossary_lacks_the_term() -> None:
    text = "# ours\nname: Team\nentries:\n  - term: other  # a comment\n\nyaml_rules: []\n"
    record = deprecation_edit(text, "guest cluster", "tenant cluster", None)
    assert record is not None
    updated = apply(text, [record])
    assert updated.startswith("# ours\nname: Team\n")
    assert _deprecations(updated)["tenant cluster"] == [
        ("guest cluster", ("tenant cluster",), None)]
    assert "other" in _deprecations(updated)
    no_entries = deprecation_edit("name: Team", "a", "b", None)
    assert no_entries is not None
    assert _deprecations(apply("name: Team", [no_entries]))["b"] == [("a", ("b",), None)]
    assert deprecation_edit("entries: []\n", "a", "b", None) is None


def test_crlf_files_keep_their_line_breaks() -> None:
    text = GLOSSARY.replace("\n", "\r\n")
    record = deprecation_edit(text, "guest cluster", "tenant cluster", None)
    assert record is not None
    updated = apply(text, [record])
    assert "\n" not in updated.replace("\r\n", "")
    assert _deprecations(updated)["guest cluster"] == [
        ("guest cluster", ("tenant cluster",), None)]


def test_a_new_renames_file_is_a_valid_glossary() -> None:
    text = renames_file("guest cluster", "tenant cluster", (1, 7))
    assert _deprecations(text) == {"tenant cluster": [
        ("guest cluster", ("tenant cluster",), (1, 7))]}


@pytest.mark.parametrize(("text", "expected"), [
    ("", "glossaries:\n  - \"glossary-renames.yaml\"\n"),
    ("rules: {}", "rules: {}\nglossaries:\n  - \"glossary-renames.yaml\"\n"),
    ("glossaries: [a.yaml]\n", "glossaries: [a.yaml, \"glossary-renames.yaml\"]\n"),
    ("glossaries:\n  - path: a.md\n    name: A\n\nrules: {}\n",
     "glossaries:\n  - path: a.md\n    name: A\n  - \"glossary-renames.yaml\"\n\nrules: {}\n"),
    ("glossaries:\n- a.yaml\nrules: {}\n",
     "glossaries:\n- a.yaml\n- \"glossary-renames.yaml\"\nrules: {}\n"),
    ("glossaries: [glossary-renames.yaml]\n", "glossaries: [glossary-renames.yaml]\n"),
])
def test_the_renames_file_is_added_to_the_config(text: str, expected: str) -> None:
    assert add_glossary(text, "glossary-renames.yaml") == expected


def test_a_config_glossaries_list_of_flow_mappings_is_left_alone() -> None:
    assert add_glossary("glossaries: [{path: a.md}]\n", "x.yaml") is None


def test_edits_apply_from_the_end() -> None:
    assert apply("abc", [Edit(0, 1, "X"), Edit(2, 3, "YZ")]) == "XbYZ"
    assert Entry("x").names == ("x",)


def test_an_append_at_the_end_goes_before_the_last_line_break() -> None:
    assert before_last_break("a\n", Edit(2, 2, "b\n")) == Edit(1, 1, "\nb")
    assert before_last_break("a\r\n", Edit(3, 3, "b\r\n")) == Edit(1, 1, "\r\nb")
    assert before_last_break("a", Edit(1, 1, "\nb\n")) == Edit(1, 1, "\nb\n")
    assert apply("a\n", [before_last_break("a\n", Edit(2, 2, "b\n"))]) == "a\nb\n"
    text = "entries:\n  - term: x\n"
    edit = deprecation_edit(text, "old", "x", None)
    assert edit is not None and edit.start == len(text) - 1
