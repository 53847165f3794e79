"""Tokens in running text that are not prose: paths, hostnames and dotted identifiers.

Docs write `/dev/longhorn/vol`, `GET /apis/v1/namespaces/{namespace}/endpointslices`,
`registry.k8s.io`, `spec.nodeSelector` or `/etc/rancher/rke2/config.yaml.d/` without backticks.
A term inside one ("rke2", "Namespaces", "kubernetes") is part of a name a machine reads: it must
neither be flagged nor fixed. Both scanners (Markdown prose, YAML values and comments) mask such
tokens in their match text with this one rule, so they agree.

The rule, per whitespace-delimited token (quotes, brackets, `*`, `|`, `,` and `;` also end one):

- a dot between a word character and a letter (`spec.nodeSelector`, `longhorn.io`, `c.yaml`,
  `node.kubernetes.io/zone`): a dotted identifier, hostname or file name;
- a leading `/`, `./`, `../` or `~/` before a path segment (`/dev/sda`, `./run.sh`);
- two or more slashes (`a/b/c`, `apps/v1/deployments`);
- one slash with a segment that holds `{ } $ _ = @ : ~` or is empty (`{namespace}/pods`,
  `config/`).

Prose with one slash between words stays matchable: "Attach/Reattach", "and/or", "SMB/CIFS",
"TCP/IP". A sentence's full stop is never part of a token ("the node. Then" has a space), and
punctuation that ends a token (`.`, `,`, `:`, `;`, `!`, `?`) is left unmasked, so sentence starts
are still seen.
"""

from __future__ import annotations

import heapq
import re

from harvester_glossary_ls.engine.scan import MASK

# Where a token may be code: a slash, or a dot between a word character (or `-`) and a letter.
# Two passes that each start with a literal are 2.5x faster than one alternation, and a
# sentence's ". " never calls back into Python.
_SLASH = re.compile(r"/")
_DOT_JOINT = re.compile(r"\.(?=[A-Za-z_])(?<=[\w-]\.)")
_TOKEN_TAIL = re.compile(r"[^\s\x00\"'`()\[\]<>|,;*]*")
_DELIMITERS = frozenset(" \t\n\r\f\v\x00\"'`()[]<>|,;*")
_TRAILING = ".,:;!?"
_DOTTED = re.compile(r"[\w-]\.[A-Za-z_]")
_LEADING_PATH = re.compile(r"(?:\.{1,2}|~)?/[\w{$.~-]")
_PATHY = frozenset("{}$_=@:~")
_MAX_BACK = 256
"""A token is looked for at most this far back from a slash or dot (bounded work per joint)."""


def _token_start(text: str, pos: int, floor: int) -> int:
    """Where the token holding `pos` begins: at a delimiter or any white space (as `\\s` in
    _TOKEN_TAIL sees it, NEL and the like included), never before `floor`."""
    floor = max(floor, pos - _MAX_BACK)
    while pos > floor and text[pos - 1] not in _DELIMITERS and not text[pos - 1].isspace():
        pos -= 1
    return pos


def is_code_token(token: str) -> bool:
    """Whether a token (trailing punctuation already stripped) is a path, host or identifier."""
    if _DOTTED.search(token):
        return True
    slashes = token.count("/")
    if not slashes or token.strip("/") == "":
        return False  # no slash, or only slashes ("/", "//"): no path
    if slashes >= 2 or _LEADING_PATH.match(token):
        return True
    return any(not segment or not _PATHY.isdisjoint(segment) for segment in token.split("/"))


def code_token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every path, hostname or dotted identifier token in `text`."""
    spans: list[tuple[int, int]] = []
    done = 0
    joints = heapq.merge((m.start() for m in _SLASH.finditer(text)),
                         (m.start() for m in _DOT_JOINT.finditer(text)))
    for pos in joints:
        if pos < done:
            continue  # inside a token already judged
        start = _token_start(text, pos, done)  # spans never overlap
        tail = _TOKEN_TAIL.match(text, pos)
        end = tail.end() if tail else pos + 1
        done = end
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start and is_code_token(text[start:end]):
            spans.append((start, end))
    return spans


def mask_code_tokens(text: str) -> str:
    """`text` with every path, hostname and dotted identifier masked; same length."""
    spans = code_token_spans(text)
    if not spans:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        pieces.append(MASK * (end - start))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
