"""CSV glossaries (engine/parsers/csv_glossary.py): statuses, replacements, a problem per bad
row with its line, delimiters, and checking documents against one.

Fixtures in tests/fixtures/glossaries/csv/: `team.csv` (every status, a quoted multi-line
definition, several replacements), `bad-rows.csv` (one fault per row, plus an unknown column),
`semicolon.csv` (the delimiter a spreadsheet in some locales writes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester_glossary_ls import cli
from harvester_glossary_ls.engine.loader import load_source
from harvester_glossary_ls.engine.models import Entry, Severity
from harvester_glossary_ls.engine.parsers.csv_glossary import parse_csv_glossary

CSV = Path(__file__).resolve().parent / "fixtures" / "glossaries" / "csv"


def _deps(entry: Entry) -> list[tuple[str, tuple[str, ...], str, str | None]]:
    return [(d.form, d.use, d.note, d.safe_replacement) for d in entry.deprecations]


def test_statuses_and_replacements() -> None:
    result = load_source(CSV / "team.csv")
    assert result.problems == ()
    entries = {entry.term: entry for entry in result.entries}
    assert list(entries) == ["mgmt", "VM network", "ClusterNetwork", "IP pool"]
    mgmt = entries["mgmt"]
    assert mgmt.aliases == ("management network",)
    assert mgmt.definition == "The built-in cluster network.\n\nIt carries management traffic."
    assert mgmt.url == "https://docs.harvesterhci.io/v1.7/networking/clusternetwork"
    assert _deps(mgmt) == [("harvester-mgmt", ("mgmt",), "", "mgmt")]
    assert mgmt.source is not None and mgmt.source.line == 1  # 0-based: the row's first line
    network = entries["VM network"]  # no status: preferred
    assert network.aliases == ("VM net",)  # admitted, attached to its replacement
    assert _deps(network) == [("Virtual Net", ("VM network",), "not recommended", "VM network")]
    assert network.source is not None and network.source.line == 4  # after the 3-line row
    # Two replacements: offered, never applied by --fix; the row's definition is the note.
    assert _deps(entries["ClusterNetwork"]) == [
        ("NodeNetwork", ("ClusterNetwork", "VlanConfig"), "Replaced by two resources in v1.1.",
         None)]
    assert _deps(entries["IP pool"]) == [("vip-pools", ("IP pool",), "superseded", "IP pool")]
    assert {(e.casing, e.glossary) for e in result.entries} == {("strict", "team")}


def test_each_bad_row_is_a_problem_with_its_line() -> None:
    result = load_source(CSV / "bad-rows.csv")
    assert [(p.line + 1, p.severity, p.message) for p in result.problems] == [
        (1, Severity.WARNING,
         "column 'Owner' ignored (known: term, definition, status, replacement, aliases, url)"),
        (3, Severity.ERROR, "no term in this row"),
        (4, Severity.ERROR, "deprecated term 'RKE1' needs a replacement"),
        (5, Severity.ERROR, "unknown status 'draft' for 'host' (use preferred, admitted or "
                            "deprecated)"),
        (6, Severity.ERROR, "7 fields, but the header has 5 columns"),
        (7, Severity.ERROR, "'guest cluster' is already defined (line 2)"),
        (9, Severity.WARNING, "'guest cluster' is deprecated here but a term or alias on line 2: "
                              "not flagged"),
    ]
    (entry,) = result.entries  # the good rows are still read
    assert (entry.term, entry.definition) == ("guest cluster",
                                              "A Kubernetes cluster that runs in VMs.")
    assert _deps(entry) == [("guest-cluster", ("guest cluster",), "", "guest cluster")]


def test_semicolons_and_tabs() -> None:
    (entry,) = load_source(CSV / "semicolon.csv").entries
    assert (entry.term, entry.aliases) == ("cluster network", ("cluster net", "CN"))
    assert _deps(entry) == [("ClusterNet", ("cluster network",), "", "cluster network")]
    tabs = parse_csv_glossary("term\tstatus\treplacement\nnode\t\t\nminion\tforbidden\tnode\n",
                              "t.csv")
    assert tabs.problems == ()
    assert [(e.term, _deps(e)) for e in tabs.entries] == [
        ("node", [("minion", ("node",), "forbidden", "node")])]


@pytest.mark.parametrize(("text", "problems"), [
    ("", [(0, "empty CSV glossary: no header row")]),
    ("\n\n", [(0, "empty CSV glossary: no header row")]),
    ("name,definition\nx,y\n", [
        (0, "column 'name' ignored (known: term, definition, status, replacement, aliases, url)"),
        (0, "the header row needs a 'term' column (columns: term, definition, status, "
            "replacement, aliases, url)")]),
    ('term,definition\nnode,"never closed\nmore\n', [
        (1, "not valid CSV: unexpected end of data")]),  # where the row starts
    ('term,definition\nnode,"quoted" then text\n', [
        (1, "not valid CSV: ',' expected after '\"'")]),
])
def test_broken_files_are_problems(text: str, problems: list[tuple[int, str]]) -> None:
    result = parse_csv_glossary(text, "broken.csv")
    assert [(p.line, p.message) for p in result.problems] == problems
    assert result.entries == ()


def test_a_replacement_no_row_defines_becomes_an_entry() -> None:
    result = parse_csv_glossary("term,status,replacement\nRKE,obsolete,RKE2 | K3s\n", "r.csv")
    assert [(e.term, e.definition, _deps(e)) for e in result.entries] == [
        ("RKE2", "", [("RKE", ("RKE2", "K3s"), "obsolete", None)])]


def test_check_and_fix_against_a_csv_glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.md"
    page.write_text("Attach it to harvester-mgmt, not the NodeNetwork.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["check", "--no-default-glossary", "--glossary", str(CSV / "team.csv"), "page.md"]
    assert cli.main(args) == 1
    assert capsys.readouterr().out.splitlines() == [
        "page.md:1:14: warning [deprecated-term] 'harvester-mgmt' is deprecated: use 'mgmt'",
        "page.md:1:38: warning [deprecated-term] 'NodeNetwork' is deprecated: use "
        "'ClusterNetwork' or 'VlanConfig' (Replaced by two resources in v1.1.)",
    ]
    assert cli.main([*args, "--fix"]) == 1  # the two-way replacement stays for a person
    assert page.read_text(encoding="utf-8") == "Attach it to mgmt, not the NodeNetwork.\n"
