"""Engine-level properties on arbitrary text: analysis never raises, scans keep lengths and
offsets, position conversion agrees with a slow reference, YAML loading fails only with
YamlError, and the glossary and config parsers return problems instead of raising.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import event, example, given, settings
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
from harvester_glossary_ls.lsp.pygls_fixes.document import LspTextDocument
from tests.robustness import reference

EXAMPLES = 1000

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


_PLAIN_PIECES = st.sampled_from([*"abcXYZ019 .,;:!?'\"-\u00e9\u4e2d", "guest cluster",
                                 "VM network", "vm network", "harvester-mgmt", "guest clustr"])
_MARKUP_PIECES = st.sampled_from(["`", "\n", "```", "<", "|", "    ", "# ", "- ", "[", "](x)",
                                  "{", "*", "_", "---"])
PLAIN_EDITS = st.one_of(*[st.lists(_PLAIN_PIECES, max_size=6).map("".join)] * 3,
                        st.lists(_PLAIN_PIECES | _MARKUP_PIECES, max_size=6).map("".join))


@settings(max_examples=EXAMPLES)
@given(base=st.tuples(texts, texts).map(lambda parts: parts[0] + " filler" * 30 + parts[1]),
       data=st.data())
@example(base="Attach the VM network.\n\nThe guest cluster " + "x " * 80 + "ends.\n",
         data=None)
def test_hover_without_reanalysis_agrees_with_a_full_analysis(base: str,
                                                              data: st.DataObject | None) -> None:
    """DocumentState.hover_occurrence answers from the last analysed version while someone
    types; wherever it does, it must give what a full analysis of the new text gives."""
    from harvester_glossary_ls.lsp.state import DocumentCache, Projects

    cache = DocumentCache(Projects())
    uri = "file:///ws/typing.md"
    first = cache.state(uri, 1, base, "markdown", "utf-16")
    assert first.analysis is not None
    text, start, new = base, 0, ""
    edits = 3 if data is None else data.draw(st.integers(1, 4))
    for version in range(2, 2 + edits):
        if data is None:
            start, end, new = len(text) - 5, len(text) - 5, "typed "
        else:  # typing: each edit near the previous one
            low, high = (0, len(text)) if version == 2 else (
                max(0, start - 3), min(len(text), start + len(new) + 3))
            start = data.draw(st.integers(low, high))
            end = data.draw(st.integers(start, min(len(text), start + 3)))
            new = data.draw(PLAIN_EDITS)
        text = text[:start] + new + text[end:]
        state = cache.state(uri, version, text, "markdown", "utf-16")
    fresh = analyze(text, "markdown", context())
    assert state.base is first
    if data is None:  # the explicit example: "VM network" is answered without analysis
        assert state.hover_occurrence(13) == fresh.occurrence_at(13) is not None
        assert "analysis" not in state.__dict__
    else:  # far offsets first (the fast path), then every offset, near ones analysing
        offsets = sorted(range(len(text) + 1), key=lambda o: -abs(o - start))
        fast = 0
        for offset in offsets:
            assert state.hover_occurrence(offset) == fresh.occurrence_at(offset), offset
            fast += "analysis" not in state.__dict__
        event("some offsets answered without analysis" if fast else "all analysed")


FILLER = " filler" * 30
TYPING_CASES = {
    "a term completed far from its start": ("The guest clus" + FILLER, [(14, 14, "ter")]),
    "a backtick masks a term": ("`" + FILLER + " the guest cluster " + FILLER + "\n",
                                [(len(FILLER) * 2 + 20, len(FILLER) * 2 + 20, "`")]),
    "a fence opens": ("Intro." + FILLER + "\n\n\nThe guest cluster.\n", [(7, 7, "\n``"),
                                                                       (10, 10, "`")]),
    "indentation makes code": ("Intro.\n\nx" + FILLER + " guest cluster\n",
                               [(8, 8, "  "), (10, 10, "  ")]),
    "a link target hides a term": ("See [the docs]" + FILLER + " guest cluster)\n",
                                   [(14, 14, "(")]),
    "typing in a YAML example": ("```yaml\napiVersion: v1\nkind: Setting\n#" + FILLER
                                 + "\nmetadata:\n  name: storage-network\n```\n",
                                 [(36, 36, "x")]),
    "a blank line before an indented line": ("Intro" + FILLER + "\n    code guest cluster"
                                             + FILLER + " VM network\n", [(5, 5, "\n")]),
    "joining an indented code line": ("Intro" + FILLER + "\n\n    code guest cluster" + FILLER
                                      + " VM network\n", [(len(FILLER) + 5, len(FILLER) + 7, " ")]),
    "Enter inside an HTML block": ("<div>\nhidden" + FILLER + "\nguest cluster" + FILLER
                                   + "\n</div>\n\nThe VM network.\n", [(12, 12, "\n")]),
    "Enter in prose": ("The VM network" + FILLER + " ends.\nThe guest cluster" + FILLER + ".\n",
                       [(20, 20, "\n"), (21, 21, "New line"), (29, 29, "\n\n")]),
    "plain typing": ("The VM network." + FILLER + " and the guest cluster.\n",
                     [(20, 20, "a"), (21, 21, "b"), (22, 22, " c")]),
}


@pytest.mark.parametrize("case", TYPING_CASES, ids=list(TYPING_CASES))
def test_hover_without_reanalysis_in_the_hard_cases(case: str) -> None:
    from harvester_glossary_ls.lsp.state import DocumentCache, Projects

    base, edits = TYPING_CASES[case]
    cache = DocumentCache(Projects())
    uri = "file:///ws/typing.md"
    assert cache.state(uri, 1, base, "markdown", "utf-16").analysis is not None
    text = base
    for version, (start, end, new) in enumerate(edits, 2):
        text = text[:start] + new + text[end:]
        state = cache.state(uri, version, text, "markdown", "utf-16")
    fresh = analyze(text, "markdown", context())
    for offset in sorted(range(len(text) + 1), key=lambda o: -abs(o - edits[0][0])):
        assert state.hover_occurrence(offset) == fresh.occurrence_at(offset), (offset, text)


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
