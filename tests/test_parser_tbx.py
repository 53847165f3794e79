"""TBX termbases (engine/parsers/tbx.py): v2 and v3, each status, the language setting, a term
preferred in one concept and obsolete in another, hostile and broken XML, and the SUSE termbase.

Fixtures in tests/fixtures/glossaries/tbx/ are written for these tests: `v2-statuses.tbx` (TBX v2
with TBX, TermWeb and Weblate statuses, tig and ntig, an English, a German and a French-only
concept), `v3-statuses.tbx` (TBX v3 in its namespace, en, en-GB, en-US and de), the billion
laughs and a malformed file. Files that point at a server or a sentinel file are made per test.
"""

from __future__ import annotations

import http.server
import re
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from harvester_glossary_ls import cli
from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.config import Config, config_from_mapping
from harvester_glossary_ls.engine.loader import load_source
from harvester_glossary_ls.engine.models import Entry, Finding, ParseResult, Severity
from harvester_glossary_ls.engine.parsers.tbx import parse_tbx, parse_tbx_file
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.render import hover_markdown
from tests.glossary_testkit import shared_path

TBX = Path(__file__).resolve().parent / "fixtures" / "glossaries" / "tbx"
V2 = TBX / "v2-statuses.tbx"
V3 = TBX / "v3-statuses.tbx"


def _by_term(result: ParseResult) -> dict[str, Entry]:
    return {entry.term: entry for entry in result.entries}


def _deps(entry: Entry) -> list[tuple[str, tuple[str, ...], str, bool]]:
    return [(d.form, d.use, d.note, d.autofix) for d in entry.deprecations]


def _project(tmp_path: Path, *glossaries: Path, language: str | None = None) -> Project:
    overrides = Config(default_glossary=False, tbx_language=language)
    return Project(tmp_path, overrides=overrides, extra_glossaries=glossaries,
                   use_config_file=False)


def _findings(project: Project, text: str) -> list[Finding]:
    return list(analyze(text, "markdown", project.context_for(None)).findings)


# --- TBX v2 -----------------------------------------------------------------------------------


def test_v2_statuses_become_entries_aliases_and_deprecations() -> None:
    result = parse_tbx_file(V2)
    assert result.problems == ()
    assert result.name == "Example Termbase"  # martifHeader/fileDesc/titleStmt/title
    entries = _by_term(result)
    assert list(entries) == ["virtual machine", "storage network", "SUSE Virtualization",
                             "Harvester", "coldplug", "host"]  # c3 is French only
    vm = entries["virtual machine"]
    assert vm.aliases == ("VM", "virtual server")  # the other preferred term, then admitted
    assert _deps(vm) == [
        ("guest machine", ("virtual machine",), "", True),  # deprecatedTerm-admn-sts
        ("VM instance", ("virtual machine",), "superseded", False),  # a usage note: no --fix
    ]
    assert vm.definition.split("\n\n") == [
        "A computer system emulated in software.",
        "Note: Counted per host in licences.",
        "Usage note (VM instance): Renamed in 2024.",
        "Deprecated: guest machine (use virtual machine).",
        "Superseded: VM instance (use virtual machine).",
    ]
    assert "Gastrechner" not in vm.definition and "virtuelle" not in str(vm)  # German: not read
    assert vm.source is not None and (vm.source.path, vm.source.line) == (str(V2), 13)
    assert (vm.casing, vm.display_names) == ("asserted", ())  # every letter as written


def test_v2_ntig_normative_authorization_and_termweb_statuses() -> None:
    entries = _by_term(parse_tbx_file(V2))
    storage = entries["storage network"]  # ntig/termGrp, normativeAuthorization
    assert storage.aliases == ("SAN network",)  # legalTerm: prescribed, so preferred
    assert _deps(storage) == [("storage net", ("storage network",), "", True)]
    assert storage.definition.startswith("A network that carries storage traffic only.")
    coldplug = entries["coldplug"]  # TermWeb's preferred/admitted/notRecommended, Weblate's
    assert coldplug.aliases == ("cold-add",)
    assert _deps(coldplug) == [("cold plug", ("coldplug",), "not recommended", True),
                               ("coldswap", ("coldplug",), "forbidden", True)]
    assert [link.url for link in coldplug.links] == ["https://example.com/coldplug"]
    assert entries["host"].aliases == ()  # no status at all: the concept's term
    assert "ALP" not in str(entries)  # a concept whose only term is obsolete names no term


# --- TBX v3 -----------------------------------------------------------------------------------


def test_v3_statuses_in_the_iso_namespace() -> None:
    result = parse_tbx_file(V3)
    assert result.problems == ()
    assert result.name == "Example TBX v3"  # tbxHeader
    entries = _by_term(result)
    assert list(entries) == ["cluster", "colour profile", "network configuration"]
    cluster = entries["cluster"]
    assert cluster.aliases == ("server farm",)
    assert _deps(cluster) == [("node pool", ("cluster",), "", False),
                              ("host group", ("cluster",), "superseded", True)]
    assert cluster.definition.startswith("A group of hosts managed as one.")  # langSec level
    assert "A node pool is a Rancher concept" in cluster.definition  # a term's note
    assert "subjectField" not in cluster.definition and "virtualization" not in cluster.definition


def test_v3_dct_style_elements() -> None:
    data = b"""<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <tbxHeader><fileDesc><sourceDesc><p>no title</p></sourceDesc></fileDesc></tbxHeader>
  <text><body><conceptEntry id="d1"><langSec xml:lang="en">
    <basic:definition>A tenant's share of a cluster.</basic:definition>
    <termSec><term>namespace</term>
      <basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus></termSec>
    <termSec><term>name space</term>
      <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus></termSec>
  </langSec></conceptEntry></body></text></tbx>"""
    result = parse_tbx(data, "dct.tbx")
    assert result.problems == () and result.name == ""
    (entry,) = result.entries
    assert (entry.term, _deps(entry)) == ("namespace", [("name space", ("namespace",), "", True)])


# --- the language setting -----------------------------------------------------------------


@pytest.mark.parametrize(("language", "colour"), [
    ("en", ("colour profile", ("color profile",))),  # primary subtag: every English langSec
    ("EN", ("colour profile", ("color profile",))),
    ("en-GB", ("colour profile", ())),  # a region prefers its own langSec
    ("en-us", ("color profile", ())),
    ("en_US", ("color profile", ())),
    ("en-AU", ("colour profile", ("color profile",))),  # no en-AU: the English ones
])
def test_language_matches_by_primary_subtag_and_prefers_the_region(
        language: str, colour: tuple[str, tuple[str, ...]]) -> None:
    entries = parse_tbx_file(V3, language).entries
    assert (entries[1].term, entries[1].aliases) == colour
    assert entries[0].term == "cluster"  # the concept has only "en": read for every English


def test_another_language_reads_only_that_language() -> None:
    (entry,) = parse_tbx_file(V3, "de").entries
    assert (entry.term, entry.aliases) == ("Cluster", ())
    assert _deps(entry) == [("Serverfarm", ("Cluster",), "", True)]
    assert entry.definition.split("\n\n") == ["Eine Gruppe von Hosts.",
                                              "Deprecated: Serverfarm (use Cluster)."]
    (german,) = parse_tbx_file(V2, "de").entries
    assert german.term == "virtuelle Maschine"


def test_a_language_the_file_lacks_says_which_it_has() -> None:
    result = parse_tbx_file(V3, "ja")
    assert result.entries == ()
    (problem,) = result.problems
    assert problem.severity == Severity.WARNING
    assert problem.message == ("no terms in language 'ja' (languages in the file: de, en, en-gb, "
                               "en-us); set tbxLanguage to read another")


def test_tbx_language_setting(tmp_path: Path) -> None:
    config, problems = config_from_mapping({"tbxLanguage": "de"}, None)
    assert (config.tbx_language, problems) == ("de", [])
    config, problems = config_from_mapping({"tbxLanguage": "German please"}, None)
    assert config.tbx_language is None
    assert problems == ["'tbxLanguage' must be a language tag such as en or en-GB, not "
                        "'German please'"]
    german = _project(tmp_path, V3, language="de").default_glossary().glossary
    assert [e.term for e in german.entries] == ["Cluster"]
    english = _project(tmp_path, V3).default_glossary().glossary
    assert english.entries[0].term == "cluster"


# --- one term, two concepts ---------------------------------------------------------------


def test_preferred_in_one_concept_obsolete_in_another_is_never_flagged(tmp_path: Path) -> None:
    entries = _by_term(parse_tbx_file(V2))
    product = entries["SUSE Virtualization"]
    assert _deps(product) == [("SUSE Harvester", ("SUSE Virtualization",), "obsolete", False)]
    assert product.definition.split("\n\n")[-2:] == [
        "Obsolete: SUSE Harvester (use SUSE Virtualization).",
        "Harvester: obsolete here, but not flagged (preferred in concept c5).",
    ]
    project = entries["Harvester"]
    assert _deps(project) == []
    assert project.definition.endswith(
        "Also: Harvester is obsolete in concept c4 — use SUSE Virtualization.")
    hover = hover_markdown(project)
    assert "The open-source community project." in hover and "obsolete in concept c4" in hover

    found = _findings(_project(tmp_path, V2), "Harvester runs VMs. SUSE Harvester is old.\n")
    assert [(f.code, f.message) for f in found] == [
        ("deprecated-term", "'SUSE Harvester' is deprecated: use 'SUSE Virtualization' "
                            "(obsolete)")]


def test_v3_term_deprecated_in_another_concept_is_kept_with_both_said() -> None:
    entries = _by_term(parse_tbx_file(V3))
    assert "Also: cluster is deprecated in concept k3 — use network configuration." in (
        entries["cluster"].definition)
    config = entries["network configuration"]
    assert _deps(config) == []
    assert config.definition.endswith("cluster: deprecated here, but not flagged (preferred in "
                                      "concept k1).")


def test_concepts_sharing_a_name_are_one_entry_with_every_meaning() -> None:
    data = b"""<martif type="TBX"><text><body>
  <termEntry id="a"><descrip type="definition">Critical security parameters.</descrip>
    <langSet xml:lang="en"><tig><term>CSP</term></tig>
      <tig><term>Critical Security Parameters</term></tig></langSet></termEntry>
  <termEntry id="b"><descrip type="definition">A company offering cloud computing.</descrip>
    <langSet xml:lang="en"><tig><term>Cloud Service Provider</term></tig>
      <tig><term>CSP</term></tig>
      <tig><term>cloud vendor</term>
        <termNote type="administrativeStatus">notRecommended</termNote></tig></langSet></termEntry>
</body></text></martif>"""
    (entry,) = parse_tbx(data, "csp.tbx").entries
    assert (entry.term, entry.aliases) == ("CSP", ("Critical Security Parameters",
                                                   "Cloud Service Provider"))
    assert entry.definition.split("\n\n") == [
        "In concept a (CSP, Critical Security Parameters): Critical security parameters.",
        "In concept b (Cloud Service Provider, CSP): A company offering cloud computing.",
        "Not recommended: cloud vendor (use Cloud Service Provider).",
    ]
    assert _deps(entry) == [("cloud vendor", ("Cloud Service Provider",), "not recommended",
                             True)]


def test_unknown_status_is_a_warning_and_reads_as_accepted() -> None:
    data = b"""<martif><text><body><termEntry id="x"><langSet xml:lang="en">
  <tig><term>draft term</term><termNote type="administrativeStatus">draft</termNote></tig>
  <tig><term>old term</term><termNote type="administrativeStatus">Obsolete</termNote></tig>
</langSet></termEntry></body></text></martif>"""
    result = parse_tbx(data, "x.tbx")
    assert [(e.term, _deps(e)) for e in result.entries] == [
        ("draft term", [("old term", ("draft term",), "obsolete", True)])]
    assert [(p.severity, p.message) for p in result.problems] == [
        (Severity.WARNING, "unknown administrative status 'draft' (1 terms), read as preferred "
                           "where a concept marks no preferred term, else as admitted")]


# --- loading through load_source ------------------------------------------------------------


def test_load_source_dispatches_tbx_and_xml(tmp_path: Path) -> None:
    loaded = load_source(V2)
    assert loaded.name == "Example Termbase" and loaded.problems == ()
    assert {e.glossary for e in loaded.entries} == {"Example Termbase"}
    assert load_source(V2, name="Our terms").entries[0].glossary == "Our terms"
    assert {e.casing for e in load_source(V2, casing="ignore").entries} == {"ignore"}
    xml = tmp_path / "terms.xml"
    xml.write_bytes(V3.read_bytes())
    assert [e.term for e in load_source(xml, language="en-GB").entries] == [
        "cluster", "colour profile", "network configuration"]
    untitled = tmp_path / "untitled.tbx"
    untitled.write_bytes(b'<martif><text><body><termEntry><langSet xml:lang="en">'
                         b"<tig><term>node</term></tig></langSet></termEntry></body></text>"
                         b"</martif>")
    assert load_source(untitled).entries[0].glossary == "untitled"  # no title: the file's name
    other = tmp_path / "pom.xml"
    other.write_text("<project><modelVersion>4.0.0</modelVersion></project>\n", encoding="utf-8")
    (problem,) = load_source(other).problems
    assert problem.message == ("not a TBX file: the root element is <project>, not <martif> "
                               "(TBX v2) or <tbx> (TBX v3)")


def test_encoding_comes_from_the_xml_declaration(tmp_path: Path) -> None:
    text = V3.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    utf16 = tmp_path / "utf16.tbx"
    utf16.write_bytes(text.encode("utf-16"))
    assert [e.term for e in load_source(utf16).entries] == [
        "cluster", "colour profile", "network configuration"]


def test_cli_checks_against_a_tbx_glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "page.md").write_text("Plug it in as a cold plug device. Harvester is fine.\n",
                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "--no-default-glossary", "--glossary", str(V2), "page.md"])
    out = capsys.readouterr().out
    assert code == 1
    assert out == ("page.md:1:17: warning [deprecated-term] 'cold plug' is deprecated: use "
                   "'coldplug' (not recommended)\n")


# --- hostile and broken XML -----------------------------------------------------------------


def test_billion_laughs_is_refused_before_anything_expands() -> None:
    result = load_source(TBX / "billion-laughs.tbx")
    assert result.entries == ()
    (problem,) = result.problems
    assert problem.severity == Severity.ERROR and problem.line == 2  # the first <!ENTITY
    assert problem.message == (
        "refused: the file declares the XML entity 'lol'; entities are never expanded (nested "
        "ones can grow to gigabytes, the 'billion laughs'), and the glossary was not loaded")


def test_external_file_entity_is_refused_and_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL-7f3a", encoding="utf-8")
    hostile = tmp_path / "xxe.tbx"
    hostile.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<martif><text><body><termEntry><descrip type="definition">&xxe;</descrip>
<langSet xml:lang="en"><tig><term>leak</term></tig></langSet></termEntry></body></text></martif>
""", encoding="utf-8")
    before = secret.stat().st_atime_ns
    result = load_source(hostile)
    assert result.entries == () and "SENTINEL" not in repr(result)
    (problem,) = result.problems
    assert problem.message == (
        f"refused: the file declares the external XML entity 'xxe' (SYSTEM '{secret.as_uri()}'); "
        "external entities are never fetched or read, and the glossary was not loaded")
    assert secret.stat().st_atime_ns == before  # not opened (where the file system keeps atime)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.requests.append(self.path)
        body = b'<!ENTITY leak "SENTINEL-http">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_http_entities_and_dtds_are_never_fetched(tmp_path: Path,
                                                  server: tuple[str, list[str]]) -> None:
    url, requests = server
    body = ("<martif><text><body><termEntry><langSet xml:lang=\"en\"><tig><term>node</term></tig>"
            "</langSet></termEntry></body></text></martif>\n")
    cases = {
        "entity.tbx": f'<!DOCTYPE martif [<!ENTITY xxe SYSTEM "{url}/entity">]>\n',
        "parameter.tbx": f'<!DOCTYPE martif [<!ENTITY % dtd SYSTEM "{url}/param.dtd"> %dtd;]>\n',
        "public.tbx": f'<!DOCTYPE martif [<!ENTITY x PUBLIC "-//X//EN" "{url}/public">]>\n',
        "dtd.tbx": f'<!DOCTYPE martif SYSTEM "{url}/TBXcdv04.dtd">\n',
    }
    results = {}
    for name, doctype in cases.items():
        path = tmp_path / name
        path.write_text('<?xml version="1.0"?>\n' + doctype + body, encoding="utf-8")
        results[name] = load_source(path)
    for name in ("entity.tbx", "parameter.tbx", "public.tbx"):
        (problem,) = results[name].problems
        assert problem.message.startswith("refused: the file declares the external XML entity")
        assert "never fetched" in problem.message and url in problem.message
        assert results[name].entries == ()
    # A DOCTYPE naming a DTD (as every TermWeb export does) is fine: the DTD is not fetched.
    assert [e.term for e in results["dtd.tbx"].entries] == ["node"]
    assert results["dtd.tbx"].problems == ()
    assert requests == []


@pytest.mark.parametrize(("data", "message", "line"), [
    ((TBX / "malformed.tbx").read_bytes(), "not well-formed XML: mismatched tag", 11),
    (b"<martif><text><body><termEntry>", "not well-formed XML: no element found", 0),
    (b"", "not well-formed XML: no element found", 0),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed XML: not well-formed (invalid token)", 0),
    (b"<?xml version='1.0' encoding='UTF-8'?><martif>\xff</martif>",
     "not well-formed XML: not well-formed (invalid token)", 0),
    (b"<martif><text><body>&undefined;</body></text></martif>",
     "not well-formed XML: undefined entity", 0),
])
def test_broken_xml_is_a_problem_not_a_crash(data: bytes, message: str, line: int) -> None:
    result = parse_tbx(data, "broken.tbx")
    assert result.entries == ()
    (problem,) = result.problems
    assert (problem.message, problem.line, problem.severity) == (message, line, Severity.ERROR)


def test_no_concepts_and_unreadable_files(tmp_path: Path) -> None:
    empty = parse_tbx(b"<tbx xmlns='urn:iso:std:iso:30042:ed-2'><text><body/></text></tbx>", "e")
    assert [p.message for p in empty.problems] == [
        "no concepts found (no termEntry or conceptEntry elements)"]
    folder = tmp_path / "a.tbx"
    folder.mkdir()
    missing = load_source(tmp_path / "missing.tbx")
    assert [p.message for p in missing.problems] == [
        "cannot read glossary: No such file or directory"]


def test_memory_holds_one_concept_at_a_time() -> None:
    """11 MB of German definitions in 2,000 concepts: the English entries are kept and each
    concept's XML is dropped once read, so the peak stays far below the file's size (a tree of
    the whole file holds every string: 18 MB when this was written, against 3 MB)."""
    concept = ('<termEntry id="c{n}"><langSet xml:lang="de"><descrip type="definition">'
               + "Eine sehr lange Definition. " * 200 + '</descrip><tig><term>Begriff {n}</term>'
               '</tig></langSet><langSet xml:lang="en"><tig><term>term {n}</term></tig>'
               "</langSet></termEntry>\n")
    data = ("<martif><text><body>\n" + "".join(concept.format(n=n) for n in range(2_000))
            + "</body></text></martif>\n").encode()
    tracemalloc.start()
    try:
        result = parse_tbx(data, "big.tbx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.entries) == 2_000 and result.problems == ()
    kept = sum(len(e.term) + len(e.definition) for e in result.entries)
    print(f"\n{len(data) / 1e6:.1f} MB of TBX: peak {peak / 1e6:.1f} MB traced, {kept} chars kept")
    assert peak < len(data) / 2


# --- the SUSE termbase (../shared) ----------------------------------------------------------


def test_suse_termbase(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                       tmp_path: Path) -> None:
    path = shared_path("glossary", "suse-terminology", "suse-en-us.tbx")
    started = time.perf_counter()
    result = load_source(path)
    elapsed = time.perf_counter() - started
    entries = result.entries
    names = sum(len(e.names) for e in entries)
    forms = sum(len(e.deprecations) for e in entries)
    with capsys.disabled():
        print(f"\nSUSE termbase: {len(entries)} entries, {names} names, {forms} deprecated "
              f"forms, loaded in {elapsed * 1000:.0f} ms")
    assert result.problems == () and result.name == "SUSE"
    # 1,348 concepts: 12 have only obsolete terms (discontinued products such as "SUSE
    # Enterprise Storage": no term to use) and 58 share a name with an earlier one.
    assert (len(entries), names, forms) == (1278, 1882, 243)

    by_name = {n.casefold(): e for e in entries for n in e.names}
    assert by_name["harvester node driver"].term == "Harvester Node Driver"
    community = by_name["harvester"]
    assert community.deprecations == ()
    assert community.definition.endswith(
        "Also: Harvester is obsolete in concept c3170 — use SUSE Virtualization.")
    product = by_name["suse virtualization"]
    assert [(d.form, d.use, d.note) for d in product.deprecations] == [
        ("SUSE Harvester", ("SUSE Virtualization",), "obsolete")]

    monkeypatch.chdir(tmp_path)
    code = cli.main(["define", "SUSE Harvester", "--glossary", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("'SUSE Harvester' is deprecated: use SUSE Virtualization\n\n"
                          "SUSE Virtualization\n")
    assert "Obsolete: SUSE Harvester (use SUSE Virtualization)." in out
    assert "from: SUSE" in out


def test_many_concepts_sharing_names_stay_linear_and_bounded() -> None:
    """Every concept accepts "x" and deprecates "y" or the reverse: two entries, whose hovers
    name at most 20 concepts, however many the file has."""
    concept = ('<termEntry id="a{n}"><langSet xml:lang="en"><tig><term>t{n}</term></tig>'
               '<tig><term>x</term></tig><tig><term>y</term><termNote type="administrativeStatus">'
               'Obsolete</termNote></tig></langSet></termEntry><termEntry id="b{n}"><langSet '
               'xml:lang="en"><tig><term>y</term></tig><tig><term>x</term><termNote '
               'type="administrativeStatus">Obsolete</termNote></tig></langSet></termEntry>\n')
    data = ("<martif><text><body>" + "".join(concept.format(n=n) for n in range(2_000))
            + "</body></text></martif>").encode()
    first, second = parse_tbx(data, "hostile.tbx").entries
    assert (first.term, len(first.aliases), second.term) == ("t0", 2_000, "y")
    assert first.definition.endswith("(and 1980 more concepts with these names)")
    assert first.definition.count("In concept") == 20
    assert "preferred in concept b0" in first.definition
    assert len(first.definition) < 50_000


def test_xml_is_parsed_only_through_defusedxml() -> None:
    """No module parses XML with the standard library's parsers (which expand entities) or
    lxml; tbx.py takes only the tree types from xml.etree."""
    package = Path(__file__).resolve().parents[1] / "server" / "harvester_glossary_ls"
    parsing = re.compile(r"\b(xml\.(dom|sax|parsers)|pyexpat|lxml)\b|ElementTree\.(parse|"
                         r"fromstring|iterparse|XMLParser|XML)\b|import [^#\n]*\b(parse|"
                         r"fromstring|iterparse|XMLParser|XMLPullParser)\b")
    hits = [f"{path.name}: {line.strip()}" for path in sorted(package.rglob("*.py"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if "xml" in line.lower() and parsing.search(line) and "defusedxml" not in line]
    assert hits == []
