"""The Markdown prose scanner: only prose reaches the matcher.

Each case is a document and the occurrences the engine must report in it: "guest cluster" and
"harvester-mgmt" are planted in every construct that is not prose, and must come out only where
a reader sees them as running text (link text included).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.scan import MASK, LineKind
from harvester_glossary_ls.engine.scan_markdown import mask_inline, scan_markdown
from tests.glossary_testkit import full_findings, matched

G = "guest cluster"
NOT_PROSE = [
    ("front-matter", "---\ntitle: guest cluster\nkeywords:\n- harvester-mgmt\n---\nBody.\n"),
    ("front-matter-dots", "---\ntitle: guest cluster\n...\nBody.\n"),
    ("fence-backticks", "```\nguest cluster\n```\n"),
    ("fence-tildes", "~~~yaml\nguest cluster\n~~~\n"),
    ("fence-info-with-spaces", "```yaml title=\"guest cluster\"\nharvester-mgmt\n```\n"),
    ("fence-longer-closer-needed", "````\n```\nguest cluster\n```\nharvester-mgmt\n````\n"),
    ("fence-unclosed-to-end", "Text.\n\n```\nguest cluster\n"),
    ("fence-in-list", "1. Step:\n\n   ```bash\n   guest cluster\n   ```\n"),
    ("fence-in-list-tight", "- Step:\n  ~~~\n  harvester-mgmt\n  ~~~\n"),
    ("fence-deep-in-list", "1. A\n   - B\n\n     ```\n     guest cluster\n     ```\n"),
    ("fence-in-quote", "> ```\n> guest cluster\n> ```\n"),
    ("indented-code", "Para.\n\n    guest cluster\n    harvester-mgmt\n"),
    ("tab-indented-code", "Para.\n\n\tguest cluster\n"),
    ("indented-code-after-list", "1. Item\n\n  :::note\n\n    guest cluster\n"),
    ("indented-code-in-list", "* item\n\n      guest cluster\n"),
    ("inline-code", "Run `guest cluster` and ``guest ` cluster`` and `harvester-mgmt`."),
    ("html-comment", "<!-- guest cluster -->\n"),
    ("html-comment-multiline", "<!--\nguest cluster\nharvester-mgmt\n-->\n"),
    ("html-comment-inline", "Text <!-- guest cluster --> more."),
    ("html-block", '<div title="guest cluster">\nharvester-mgmt\n</div>\n'),
    ("html-head-block", '<head>\n  <link rel="canonical" href="https://x/harvester-mgmt"/>\n'
                        "</head>\n"),
    ("iframe", '<iframe src="https://x/harvester-mgmt" title="guest cluster"></iframe>\n'),
    ("html-attributes-inline", 'Text <img alt="guest cluster"/> <a href="harvester-mgmt">.'),
    ("link-target", "[see](guest-cluster.md) [x](<guest cluster.md>)"),
    ("link-title", '[y](a.md "guest cluster")'),
    ("reference-definition", "[ref]: https://x/harvester-mgmt 'guest cluster'\n"),
    ("reference-label", "[text][guest cluster]"),
    ("bare-url", "See https://x.io/harvester-mgmt/docs and http://x/guest%20cluster."),
    ("www-url", "See www.harvester-mgmt.io today."),
    ("autolink", "<https://x.io/harvester-mgmt>"),
    ("email-host", "Mail admin@harvester-mgmt.io now."),
    ("jsx-tabs", '<Tabs>\n<TabItem value="guest cluster" label="harvester-mgmt">\n'),
    ("jsx-self-closing", '<Figure caption="guest cluster" />\n'),
    ("jsx-closing", "</TabItem>\n</Tabs>\n"),
    ("admonition-marker", ":::note guest cluster\n"),
    ("admonition-with-title", ":::info harvester-mgmt\n"),
    ("mdx-import", "import Tabs from '@theme/guest cluster';\n"),
    ("mdx-export", "export const x = 'harvester-mgmt';\n"),
    ("mdx-expression", "Value {props.guest cluster} here."),
    ("entity", "&harvester;"),
    ("thematic-break", "***\n---\n___\n"),
]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in NOT_PROSE])
def test_not_prose(text: str) -> None:
    assert matched(text) == []


PROSE = [
    ("paragraph", "The guest cluster runs.", [G]),
    ("link-text", "See [the guest cluster page](x.md).", [G]),
    ("link-text-deprecated", "[harvester-mgmt](https://x)", ["harvester-mgmt"]),
    ("reference-link-text", "[guest cluster][ref]", [G]),
    ("heading", "## The guest cluster", [G]),
    ("table-cells", "| guest cluster | x |\n|---|---|\n| a | guest cluster |\n", [G, G]),
    ("list-item", "- the guest cluster\n1. a guest cluster\n", [G, G]),
    ("quote", "> The guest cluster.", [G]),
    ("emphasis", "**guest cluster** and _guest cluster_", [G, G]),
    ("jsx-children", "<Tabs>\n<TabItem value=\"a\">\n\nThe guest cluster.\n\n</TabItem>\n",
     [G]),
    ("admonition-body", ":::note\n\nThe guest cluster.\n\n:::\n", [G]),
    ("after-fence", "```\ncode\n```\nThe guest cluster.\n", [G]),
    ("after-front-matter", "---\ntitle: a\n---\nThe guest cluster.\n", [G]),
    ("after-comment", "<!-- note -->\nThe guest cluster.\n", [G]),
    ("list-continuation", "1. Step\n\n   The guest cluster.\n", [G]),
    ("lazy-continuation-indented", "Line one\n    guest cluster continues\n", [G]),
    ("entities-around", "&nbsp;guest cluster &amp; guest cluster", [G, G]),
    ("inline-html-content", "<span>guest cluster</span> and <br/>guest cluster", [G, G]),
    ("code-then-prose", "Run `x` on the guest cluster.", [G]),
    ("dash-not-front-matter", "Text\n---\nguest cluster\n", [G]),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in PROSE])
def test_prose(text: str, expected: list[str]) -> None:
    assert matched(text) == expected


def test_markdown_never_flags_code_but_flags_the_prose_around_it() -> None:
    text = ("Set `harvester-mgmt` in code, then harvester-mgmt in prose.\n\n"
            "```\nharvester-mgmt\n```\n")
    (finding,) = full_findings(text)
    assert finding.code == "deprecated-term"
    assert finding.start == text.index("harvester-mgmt in prose")


def test_scan_keeps_length_and_offsets() -> None:
    text = "---\nt: x\n---\n# Title\n\nA `code` [t](u) \u00e9\u00e9 Guest Cluster.\n"
    scan = scan_markdown(text)
    assert len(scan.match_text) == len(text)
    at = text.index("Guest Cluster")
    assert scan.match_text[at:at + 13] == "guest cluster"
    assert scan.match_text[text.index("code")] == MASK
    assert scan.match_text[text.index("(u)") + 1] == MASK
    assert [LineKind(k) for k in scan.kinds] == [
        LineKind.OTHER, LineKind.OTHER, LineKind.OTHER, LineKind.HEADING, LineKind.BLANK,
        LineKind.PARAGRAPH, LineKind.BLANK]
    assert scan.prose_starts[3] == 2
    assert scan.lines.position(at) == (5, text.split("\n")[5].index("Guest"))


def test_code_blocks_are_recorded_with_their_info() -> None:
    text = "A\n\n```yaml title=x\nkind: VlanConfig\n```\n\n~~~\nx\n~~~\n"
    scan = scan_markdown(text)
    assert [(text[s:e].split("\n")[0], info) for s, e, info in scan.code_blocks] == [
        ("```yaml title=x", "yaml"), ("~~~", "")]


def test_paragraph_lines_are_joined_for_matching() -> None:
    scan = scan_markdown("The guest\ncluster.\n\nNext")
    assert scan.match_text.startswith("the guest cluster.\n")


def test_mask_inline_same_length() -> None:
    text = "a `b` [c](d) <e> https://f.g/h {i} &amp; <!-- j --> [k][l]"
    masked = mask_inline(text)
    assert len(masked) == len(text)
    words = [w.strip("[]") for w in masked.replace(MASK, " ").split()]
    assert [w for w in words if w.isalpha()] == ["a", "c", "k"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    [*"`~-*#>|:<!/[]()\n\t {}&;", "guest cluster", "```", ":::", "<!--", "-->", "    ", "---",
     "<Tabs>", "\u00e9", "\r\n", "1. ", "- "]), max_size=60).map("".join))
def test_scanner_never_raises_and_keeps_length(text: str) -> None:
    scan = scan_markdown(text)
    assert len(scan.match_text) == len(text)
    assert len(scan.kinds) == len(text.split("\n"))
