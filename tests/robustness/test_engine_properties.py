"""Engine-level properties on arbitrary text: analysis never raises, scans keep lengths and
offsets, position conversion agrees with a slow reference, YAML loading fails only with
YamlError, and the glossary and config parsers return problems instead of raising.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lsprotocol import types as t

from harvester_glossary_ls.engine.analysis import CheckContext, analyze
from harvester_glossary_ls.engine.config import parse_config
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.scan import MASK
from harvester_glossary_ls.engine.text import LineIndex, lower_same_length
from harvester_glossary_ls.engine.yamlnodes import YamlError, load_yaml
from harvester_glossary_ls.lsp.positions import PositionMap
from harvester_glossary_ls.lsp.protocol import LspTextDocument
from tests.robustness import reference

EXAMPLES = 500

_CONTEXT: list[CheckContext] = []


def context() -> CheckContext:
    """The shipped glossary plus the overlay's YAML rules: one build for all examples."""
    if not _CONTEXT:
        _CONTEXT.append(Project(None).context_for(None))
    return _CONTEXT[0]


# Pieces real documents are made of, mixed with arbitrary characters (lone surrogates too: JSON
# can carry them), so examples reach code fences, tables, front matter, comments and terms.
FRAGMENTS = [
    "\n", "\r\n", "\r", " ", "\t", "# ", "## ", "- ", "* ", "1. ", "> ", "| a | b |\n|---|---|\n",
    "```yaml\n", "```\n", "~~~\n", "---\n", "<!-- ", " -->", "<div>", "</div>", "`", "**", "__",
    "[", "](", ")", "https://x.io/a", "{#id}", "&amp;", "<br/>", "\\", "'", '"', ":", "kind: ",
    "apiVersion: v1\n", "metadata:\n  name: x\n", "  - ", "# harvester-glossary-disable-line",
    "<!-- harvester-glossary-disable-next-line -->\n", "VM network", "vm network", "guest cluster",
    "Guest Cluster", "guest clustr", "harvester-mgmt", "Harvester node", "live-migration",
    "RKE2", "rke2's", "UEFI", "\u00e9", "\u4e2d", "\U0001f600", "\u2028", "\u0085", "\x0c",
    "\x00", "\ufeff", "\u0130", "\ud800", "\udfff", "\u200d",
]

texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS),
              st.text(st.characters(codec=None, exclude_categories=()), max_size=8)),
    max_size=60,
).map("".join)


def check_analysis(text: str, language: str) -> None:
    analysis = analyze(text, language, context())
    scan = analysis.scan
    n = len(text)
    assert len(scan.match_text) == n
    assert scan.lines.length == n
    assert scan.lines.starts == LineIndex.of(text).starts
    assert len(scan.kinds) == scan.lines.line_count
    assert len(scan.prose_starts) == scan.lines.line_count
    lowered = lower_same_length(text)
    for i, ch in enumerate(scan.match_text):
        assert ch in (MASK, " ", lowered[i]), (i, ch, text[i])
    previous = -1
    for occ in analysis.occurrences:
        assert 0 <= occ.start < occ.end <= n
        assert occ.start >= previous  # sorted, never overlapping a previous start
        previous = occ.start
        assert text[occ.start:occ.end] == occ.text
    for finding in analysis.findings:
        assert 0 <= finding.start <= finding.end <= n
        assert finding.message
    for start, end, _ in scan.code_blocks:
        assert 0 <= start <= end <= n
    for hit in scan.structural:
        assert 0 <= hit.start <= hit.end <= n
    for offset in (0, n // 2, n):
        hover = analysis.occurrence_at(offset)
        assert hover is None or hover.start <= offset <= hover.end
    # a fresh scan of the same text gives the same answers
    again = analyze(text, language, context())
    assert again.findings == analysis.findings
    assert again.occurrences == analysis.occurrences


@settings(max_examples=EXAMPLES)
@given(texts)
@example("```yaml\nkind: VirtualMachine\n```\n")
@example("---\ntitle: x\n---\n# Guest Cluster\n\nthe guest clustr")
@example("a\u2028b\r\nVM network\rvm network")
def test_markdown_analysis_never_raises_and_keeps_offsets(text: str) -> None:
    check_analysis(text, "markdown")


@settings(max_examples=EXAMPLES)
@given(texts)
@example("apiVersion: v1\nkind: VirtualMachine\nmetadata:\n  name: vm\n# the vm network\n")
@example("a: |\n  guest clustr\nb: 'VM Network'\n")
def test_yaml_analysis_never_raises_and_keeps_offsets(text: str) -> None:
    check_analysis(text, "yaml")


# --- positions -------------------------------------------------------------------------------

@settings(max_examples=EXAMPLES)
@given(texts, st.sampled_from(["utf-8", "utf-16", "utf-32"]), st.data())
def test_position_map_agrees_with_a_reference(text: str, encoding: str,
                                              data: st.DataObject) -> None:
    positions = PositionMap(text, LineIndex.of(text), encoding)
    starts = reference.line_starts(text)
    assert list(positions.lines.starts) == starts
    for offset in range(len(text) + 1):
        position = positions.position(offset)
        line_start = starts[position.line]
        assert position.character == reference.units(text[line_start:offset], encoding)
        assert positions.offset(position) == offset or text[offset - 1:offset + 1] == "\r\n"
    # any client position, however far past the end, maps into the document
    line = data.draw(st.integers(0, 2**31 - 1) | st.integers(0, len(starts) + 1))
    character = data.draw(st.integers(0, 2**31 - 1) | st.integers(0, 12))
    offset = positions.offset(t.Position(line=line, character=character))
    assert 0 <= offset <= len(text)


@settings(max_examples=EXAMPLES)
@given(texts)
def test_document_lines_end_only_at_lsp_line_breaks(text: str) -> None:
    lines = LspTextDocument("file:///x.md", text).lines
    assert "".join(lines) == text
    starts = reference.line_starts(text)
    assert [sum(len(line) for line in lines[:i]) for i in range(len(lines))] == (
        starts[:len(lines)])


def reference_offset(text: str, line: int, character: int, encoding: str) -> int:
    """The offset of a client position by the specification, slowly: past a line's end is its
    end, past the last line the document's end; inside a character means after it."""
    starts = reference.line_starts(text)
    if line >= len(starts):
        return len(text)
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    content = text[starts[line]:end].rstrip("\r\n")
    for column in range(len(content) + 1):
        if reference.units(content[:column], encoding) >= character:
            return starts[line] + column
    return starts[line] + len(content)


@settings(max_examples=EXAMPLES)
@given(texts, st.sampled_from(["utf-8", "utf-16", "utf-32"]), st.data())
def test_incremental_changes_match_a_reference(text: str, encoding: str,
                                               data: st.DataObject) -> None:
    """LspTextDocument's own incremental edit (no re-split of the text) against a slow one."""
    from pygls.workspace import PositionCodec

    document = LspTextDocument("file:///x.md", text, position_codec=PositionCodec(
        t.PositionEncodingKind(encoding)))
    expected = text
    for _ in range(data.draw(st.integers(1, 6))):
        lines = len(reference.line_starts(expected))
        spots = [data.draw(st.tuples(st.integers(0, lines + 1), st.integers(0, 40)
                                     | st.just(2**31 - 1))) for _ in range(2)]
        (l1, c1), (l2, c2) = sorted(spots)
        new = data.draw(texts.map(lambda s: s[:12]))
        start = reference_offset(expected, l1, c1, encoding)
        end = max(start, reference_offset(expected, l2, c2, encoding))
        document.apply_change(t.TextDocumentContentChangePartial(
            range=t.Range(start=t.Position(line=l1, character=c1),
                          end=t.Position(line=l2, character=c2)), text=new))
        expected = expected[:start] + new + expected[end:]
        assert document.source == expected
        assert document._line_starts(document.source) == reference.line_starts(expected)


# --- YAML, glossaries, configs -----------------------------------------------------------------

YAML_FRAGMENTS = [
    "\n", "  ", "- ", ": ", "entries:", "term: ", "aliases: ", "definition: ", "deprecated:",
    "form: ", "use: ", "since: v1.", "yaml_rules:", "match: kind", "kind: ", "&a ", "*a", "&b ",
    "*b", "[", "]", "{", "}", ",", "'", '"', "|", ">", "!!python/object/apply:os.system ",
    "!!binary ", "!!set ", "? ", "---\n", "...\n", "%YAML 1.1\n", "#", "~", "null", "true", "1.5",
    "<<: *a", "\t", "\x00", "\ufeff", "\U0001f600", "\ud800", "glossaries: ", "rules:",
    "ignoreWords: ", "include: ", "exclude: ", "glossaryVersion: ", "logLevel: ",
]
yaml_texts = st.lists(
    st.one_of(st.sampled_from(YAML_FRAGMENTS),
              st.text(st.characters(codec=None, exclude_categories=()), max_size=6)),
    max_size=50,
).map("".join)

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["entries", "term", "aliases", "definition", "deprecated", "form", "use",
                         "since", "links", "url", "casing", "yaml_rules", "match", "kind",
                         "glossaries", "rules", "ignoreWords", "include", "logLevel", "x"]),
        inner, max_size=5),
    max_leaves=25)


@settings(max_examples=EXAMPLES)
@given(yaml_texts)
@example("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n")
@example("a: &a [*a]\n")
@example("!!python/object/apply:os.system ['touch /tmp/pwned']\n")
def test_yaml_loading_fails_only_with_yaml_error(text: str) -> None:
    try:
        load_yaml(text)
    except YamlError as error:
        assert str(error) and error.line >= 0
    parse_yaml_glossary(text, "/ws/terms.yaml")
    parse_config(text, Path("/ws/.harvester-glossary.yaml"))


@settings(max_examples=EXAMPLES)
@given(plain)
def test_glossary_and_config_parsers_take_any_structure(data: object) -> None:
    text = yaml.safe_dump(data)
    result = parse_yaml_glossary(text, "/ws/terms.yaml")
    assert all(p.message for p in result.problems)
    assert result.entries or result.yaml_rules or result.problems
    config, problems = parse_config(text, Path("/ws/.harvester-glossary.yaml"))
    assert config is not None or problems
