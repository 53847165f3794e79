"""Candidate terms a glossary lacks: phrases the docs treat as terms, ranked (`discover`).

Two passes over the documents. The first collects **signals**, places where the writing marks a
phrase as a term: a short heading, a bold label, a Title Case run in mid-sentence, a CamelCase
`kind:` in YAML (files and fenced examples), an inline definition ("A backing image is a …",
"X refers to …"), and recurring lower-case two- and three-word phrases. Each is filtered on the
spot: stop words at either end, a leading verb (UI actions: "Create Volume"), digits and
versions, generic headings ("Prerequisites", "Next steps"), the capital of a sentence's first
word. The second pass counts every prose use of each surviving candidate (any case, plural) with
one Aho-Corasick automaton, which gives the count, the pages and two example lines.

A candidate is dropped when the glossary has it under any name: term, alias or deprecated form
of any version's glossary, compared case-insensitively, singular, with hyphens and CamelCase
joins ignored ("ClusterNetwork" is "cluster network"). The rest are ranked by the number of
distinct signals, the count and the pages.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from harvester_glossary_ls.engine.analysis import Analysis
from harvester_glossary_ls.engine.common_words import is_common_word
from harvester_glossary_ls.engine.index import boundary_after, boundary_before
from harvester_glossary_ls.engine.models import Glossary
from harvester_glossary_ls.engine.scan import MASK, LineKind

BOLD, HEADING, TITLE, KIND, DEFINED, PHRASE = (
    "bold", "heading", "title case", "yaml kind", "defined", "phrase")
"""Signal names, as the output lists them."""

_WEIGHT = {BOLD: 1.0, HEADING: 1.0, TITLE: 1.0, KIND: 1.5, DEFINED: 2.0, PHRASE: 0.5}

STOP_WORDS = frozenset("""
    a an the and or but nor of to in on at by for from with without into onto over under via
    as is are was were be been being do does did has have had this that these those it its
    their there then than so such not no yes all any each every some other another more most
    less least many much few your you we our us i me my he she they them his her which who whom
    whose what when where why how if else also only just very can could may might must shall
    should will would about above after again against before below between both during further
    here once out own same through too until up while per etc e.g i.e vs using use used see
    following new same different specific existing previous current additional certain several
    various multiple single first second last next default custom given above below whole
    latest older newer old available required optional corresponding respective following
    one two three four five example examples
""".split())
"""Words that never start or end a candidate (and never stand alone)."""

VERBS = frozenset("""
    add apply attach back browse cancel change check choose clear click clone close configure
    confirm connect copy create delete deploy detach disable download drag edit enable enter
    execute export fill find follow generate go import install keep launch log login logout
    make manage migrate modify move navigate note open pause power press provide reboot refresh
    remove rename replace restart restore resume retry review run save scroll search select set
    setup share shut shutdown specify start stop submit switch take toggle troubleshoot type
    uninstall unpause update upgrade upload validate verify view visit wait learn understand
    monitor define prepare access allow ensure expand get mount unmount scale tag trigger
    creating adding deleting editing enabling disabling configuring installing upgrading using
    setting updating removing managing migrating deploying running changing selecting
""".split())
"""Verbs a UI label, heading or phrase may start with: "Create Volume" is an action, not a term."""

GENERIC = frozenset(s.casefold() for s in """
    Overview|Introduction|Prerequisites|Requirements|Limitations|Known issues|Known limitations|
    Troubleshooting|Next steps|See also|References|Related|FAQ|Summary|Background|Steps|
    Procedure|Notes|Note|Important|Warning|Tip|Caution|Info|Example|Examples|Usage|Options|
    Parameters|Description|Conclusion|Getting started|Before you begin|Quick start|Quickstart|
    Installation|Configuration|Settings|Setup|Upgrade|Upgrades|Support|Feature|Features|
    Release notes|Changelog|Resources|Additional resources|Further reading|Workaround|
    Root cause|Solution|Issue|Issues|Details|General|Advanced|Basic|Default|Name|Namespace|
    Value|Values|Type|Status|Yes|No|True|False|None|Required|Optional|Enabled|Disabled|Table of
    contents|How it works|What's new|Architecture|Design|Test|Testing|Result|Results|Output|
    Input|Command|Commands|Method|Methods|Option|Step|Scenario|Scenarios|Use case|Use cases|
    Best practices|Recommendations|Considerations|Known Issue|Behavior|Expected behavior|
    Deprecation|Deprecated|Removed|Dashboard|Appendix|Glossary|Terminology|Documentation|Docs|
    Version|Versions|Upgrade path|Hardware requirements|Network requirements|Cluster|Node|
    Nodes|Settings page|Edit Config|Edit YAML|View YAML|View Logs|Download YAML|More Info|
    Related issue|Related issues|General information|Advanced options|Advanced option|
    Supported value|Supported values|Best practice|Best practices|IP address|MAC address|
    Network interface|Web browser|User name|Username|Host name|Hostname|Domain name|Disk space|
    SSH key|SSH keys|Command line|Log file|Error message|Config file|Configuration file|
    Source code|Home page|Web page|Text box|Check box|Drop-down|Dropdown|Menu item|
    Test plan|Test case|Test cases|Pull request|Release note|Open source|Third party|
    Bug fix|Bug fixes|Time zone|Use case|Key point|Main page|Side menu|Top menu
""".split("|"))
GENERIC = frozenset(" ".join(g.split()) for g in GENERIC)

PRODUCT_SUFFIXES = frozenset("""
    ui gui configuration config support cluster version documentation docs doc team dashboard
    setting release installation installer upgrade website site repository repo community user
    project issue node server feature api cli console system environment deployment instance
    resource component setup process version
""".split())
"""A name plus one of these ("Harvester UI", "Rancher version") is the name used, not a term."""

ATTRIBUTE_HEADS = frozenset("""
    name size detail requirement creation deletion removal expansion synchronization
    information status value count number list page section tab field button menu option
    usage example step procedure process issue problem error message level limit type
""".split())
"""A phrase ending in one of these ("volume size", "VM name", "volume creation") names an
attribute, an action or a place in the UI of something, not a term of its own."""
"""Headings and labels every manual has: never a candidate."""

_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*"
_CAP = r"(?:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
_TITLE_RUN = re.compile(rf"{_CAP}(?:[ \t]+(?:of[ \t]+)?{_CAP})+")
_BOLD = re.compile(r"\*\*([^*\n]{2,60}?)\*\*|__([^_\n]{2,60}?)__")
_KIND = re.compile(r"^[ \t-]*kind:[ \t]*[\"']?([A-Z][A-Za-z0-9]+)[\"']?[ \t]*(?:#.*)?$",
                   re.MULTILINE)
_DEFINITION = re.compile(
    rf"(?:^|[.!?:][ \t]+)(?:(?:An?|The)[ \t]+)?({_WORD}(?:[ \t]+{_WORD}){{0,3}})"
    rf"(?:[ \t]+\([^)]{{1,40}}\))?[ \t]+(?:is an?|refers to|is a type of|stands for|means)[ \t]")
_LOWER_WORDS = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_DIGIT = re.compile(r"\d")
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$")
_SENTENCE_END = frozenset(".!?:;")
_HEADING_ID = re.compile(r"\s*\{#[^}]*\}\s*$")


def singular(word: str) -> str:
    """A plural English word's singular, well enough to compare names."""
    lower = word.lower()
    if len(lower) > 4 and lower.endswith("ies"):
        return word[:-3] + "y"
    if len(lower) > 4 and lower.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and (
            len(lower) > 3 or (len(word) > 2 and word[:-1].isupper())):
        return word[:-1]
    return word


def split_camel(word: str) -> str:
    """'ClusterNetwork' → 'Cluster Network'; other words unchanged."""
    if _CAMEL.match(word):
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", word)
    return word


def key_of(phrase: str) -> str:
    """What two spellings of one candidate share: lower case, singular, hyphens and CamelCase
    joins as spaces."""
    words = " ".join(split_camel(w) for w in phrase.replace("-", " ").split()).lower().split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words)


def glossary_keys(glossaries: Iterable[Glossary]) -> set[str]:
    """Every name, alias and deprecated form of the glossaries, as `key_of` spells them."""
    keys: set[str] = set()
    for glossary in glossaries:
        for entry in glossary.entries:
            for name in (*entry.names, *(d.form for d in entry.deprecations)):
                keys.add(key_of(name))
                keys.add(key_of(name).replace(" ", ""))
        for rule in glossary.yaml_rules:
            keys.add(key_of(rule.term))
            if rule.match == "kind":  # the kind itself names the term (ClusterNetwork)
                keys.update(key_of(kind) for kind in rule.kinds)
    return keys


@dataclass
class Example:
    path: str
    line: int
    text: str


@dataclass
class Candidate:
    term: str
    key: str
    count: int = 0
    pages: list[str] = field(default_factory=list)
    signals: Counter[str] = field(default_factory=Counter)
    examples: list[Example] = field(default_factory=list)
    score: float = 0.0


def _words_ok(words: list[str], *, allow_single: bool) -> bool:
    """Not a stop word at either end, no digits, no leading verb; one word only if allowed."""
    if not words or len(words) > 5:
        return False
    if len(words) == 1 and not allow_single:
        return False
    first, last = words[0].lower(), words[-1].lower()
    if first in STOP_WORDS or last in STOP_WORDS or first in VERBS:
        return False
    if any(_DIGIT.search(w) for w in words):
        return False
    if any(len(w) == 1 for w in words):
        return False
    return all(w.lower() not in STOP_WORDS or w.lower() in ("of", "and") for w in words[1:-1])


def _single_name(word: str) -> bool:
    """A one-word candidate: a CamelCase name (KubeVirt, VlanConfig), never a common word."""
    return bool(_CAMEL.match(word)) and not is_common_word(word.lower())


class Signals:
    """Pass one: candidate phrases and the signals that marked them."""

    def __init__(self) -> None:
        self.forms: dict[str, Counter[str]] = {}
        self.signals: dict[str, Counter[str]] = {}
        self.kind_places: dict[str, list[Example]] = {}

    def add(self, phrase: str, signal: str) -> None:
        phrase = " ".join(phrase.split()).strip(" .,:;!?\"'()[]*_`")
        if phrase.casefold() in GENERIC:
            return
        words = phrase.split()
        if not _words_ok(words, allow_single=_single_name(phrase)):
            return
        if len(words) > 1 and singular(words[-1].lower()) in ATTRIBUTE_HEADS:
            return
        if len(words) == 2 and words[1].lower() in PRODUCT_SUFFIXES and words[0][:1].isupper() \
                and not is_common_word(words[0].lower()):
            return
        key = key_of(phrase)
        self.forms.setdefault(key, Counter())[phrase] += 1
        self.signals.setdefault(key, Counter())[signal] += 1

    def document(self, path: str, analysis: Analysis) -> None:
        text, scan = analysis.text, analysis.scan
        for match in _KIND.finditer(text):
            kind = match.group(1)
            if _single_name(kind):
                self.add(kind, KIND)
                line = scan.lines.line_of(match.start(1))
                self.kind_places.setdefault(key_of(kind), []).append(
                    Example(path, line + 1, match.group(0).strip()))
        if analysis.language != "markdown":
            return
        for number, kind in enumerate(scan.kinds):
            if kind in (LineKind.OTHER, LineKind.BLANK, LineKind.COMMENT):
                continue
            start, end = scan.lines.starts[number], scan.lines.line_end(number)
            prose = "".join(" " if m == MASK else c for c, m in
                            zip(text[start:end], scan.match_text[start:end], strict=True))
            body = prose[scan.prose_starts[number]:]
            if kind == LineKind.HEADING:
                self._heading(body)
            elif kind != LineKind.TABLE_HEADER:
                self._prose(body)

    def _heading(self, body: str) -> None:
        body = _HEADING_ID.sub("", body).strip().strip("#").strip().replace("**", "")
        if 1 <= len(body.split()) <= 4:
            self.add(body, HEADING)

    def _prose(self, body: str) -> None:
        for match in _BOLD.finditer(body):
            self.add(match.group(1) or match.group(2), BOLD)
        plain = body.replace("**", "  ").replace("__", "  ")
        for match in _TITLE_RUN.finditer(plain):
            self._title_run(plain, match)
        for match in _DEFINITION.finditer(plain):
            self.add(match.group(1), DEFINED)
        for sentence in re.split(r"[.!?:;,()\"]", plain):
            self._phrases(sentence)

    def _title_run(self, body: str, match: re.Match[str]) -> None:
        words = match.group(0).split()
        before = body[:match.start()].rstrip(" \t*_\"'([>")
        if not before or before[-1] in _SENTENCE_END or before.endswith(("-", "|")):
            words = words[1:]  # the first word's capital may be the sentence's
            if words and words[0] == "of":
                words = words[1:]
        if len(words) >= 2:
            self.add(" ".join(words), TITLE)

    def _phrases(self, sentence: str) -> None:
        """Two- and three-word phrases of lower-case words that follow each other in a clause
        (a capital word belongs to a Title Case run or a name, and breaks the run)."""
        run: list[str] = []
        for token in [*sentence.split(), ""]:
            if _LOWER_WORDS.fullmatch(token):
                run.append(token)
                continue
            for size in (2, 3):
                for i in range(len(run) - size + 1):
                    self._phrase(run[i:i + size])
            run = []

    def _phrase(self, chunk: list[str]) -> None:
        if any(w in STOP_WORDS or w in VERBS for w in chunk):
            return
        if chunk[-1].endswith(("ly", "ed", "ing")) or chunk[0].endswith(("ly", "ing")):
            return
        if singular(chunk[-1]) in ATTRIBUTE_HEADS:
            return
        phrase = " ".join(chunk)
        key = key_of(phrase)
        self.forms.setdefault(key, Counter())[phrase] += 1
        self.signals.setdefault(key, Counter())[PHRASE] += 1


@dataclass
class _Count:
    count: int = 0
    pages: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)


class Counter2:
    """Pass two: every prose use of each candidate, any case, singular or plural."""

    def __init__(self, keys: Iterable[str], forms: dict[str, Counter[str]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.counts: dict[str, _Count] = {}
        for key in keys:
            self.counts[key] = _Count()
            for form in {f.lower() for f in forms[key]} | {key}:
                for spelling in _plurals(form):
                    if spelling not in self.automaton:
                        self.automaton.add_word(spelling, (key, len(spelling)))
        if self.counts:
            self.automaton.make_automaton()

    def document(self, path: str, analysis: Analysis) -> None:
        if not self.counts:
            return
        text, match_text = analysis.text, analysis.scan.match_text
        lines = analysis.scan.lines
        terms = [(o.start, o.end) for o in analysis.occurrences]
        for end_index, (key, length) in self.automaton.iter(match_text):
            start, end = end_index + 1 - length, end_index + 1
            if not (boundary_before(match_text, start) and boundary_after(match_text, end)):
                continue
            if _overlaps(terms, start, end):
                continue  # part of a glossary term's use ("Data Engine" in "V2 Data Engine")
            line = lines.line_of(start)
            content = text[lines.starts[line]:lines.line_end(line)]
            if _KIND.match(content):
                continue  # a `kind:` value: counted as a YAML kind in pass one
            found = self.counts[key]
            found.count += 1
            found.forms[" ".join(text[start:end].split())] += 1
            if not found.pages or found.pages[-1] != path:
                found.pages.append(path)
            if len(found.examples) < 2 and all(e.path != path for e in found.examples):
                found.examples.append(Example(path, line + 1, " ".join(content.split())[:200]))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted spans."""
    i = bisect.bisect_left(spans, (end, end))
    return (i > 0 and spans[i - 1][1] > start) or (i > 1 and spans[i - 2][1] > start)


def _plurals(form: str) -> list[str]:
    if form.endswith("y") and not form.endswith(("ay", "ey", "oy")):
        return [form, form[:-1] + "ies"]
    if form.endswith(("s", "x", "ch", "sh")):
        return [form, form + "es"]
    return [form, form + "s"]


@dataclass(frozen=True)
class Limits:
    min_count: int = 3
    min_pages: int = 2
    min_phrase_count: int = 8
    """A phrase with no signal but its recurrence needs this many uses."""


def _display(forms: Counter[str], prose_forms: Counter[str]) -> str:
    """The spelling prose uses most; over a Title Case spelling (a heading's or a label's
    capitals), a spelling in running case that is at least a third as common."""
    ranked = (prose_forms or forms).most_common()
    best, top = ranked[0]
    if len(best.split()) > 1 and all(w[:1].isupper() for w in best.split()):
        running = [f for f, n in ranked if n * 3 >= top
                   and not all(w[:1].isupper() for w in f.split())]
        if running:
            best = running[0]
    return singular_phrase(best)


def singular_phrase(phrase: str) -> str:
    """The phrase with its last word singular, when that word is a lower-case word or a
    plural acronym ("VMs"); names ("Kubernetes") stay as written."""
    words = phrase.split()
    last = words[-1] if words else ""
    if last.islower() or (len(last) > 2 and last[:-1].isupper() and last.endswith("s")):
        words[-1] = singular(words[-1])
    return " ".join(words)


def _score(signals: Counter[str], count: int, pages: int) -> float:
    weight = sum(_WEIGHT[s] for s in signals)
    return weight * math.log2(1 + count) * math.log2(1 + pages)


def rank(signals: Signals, counter: Counter2, known: set[str],
         limits: Limits = Limits()) -> list[Candidate]:
    out = []
    for key, found in counter.counts.items():
        kinds = signals.kind_places.get(key, [])
        count = found.count + len(kinds)
        pages = list(dict.fromkeys(found.pages + [k.path for k in kinds]))
        marks = signals.signals[key]
        only_phrase = set(marks) == {PHRASE}
        if count < limits.min_count or len(pages) < limits.min_pages:
            continue
        if only_phrase and count < limits.min_phrase_count:
            continue
        term = _display(signals.forms[key], found.forms)
        examples = (found.examples + kinds)[:2]
        out.append(Candidate(term, key, count, pages, marks, examples,
                             _score(marks, count, len(pages))))
    out.sort(key=lambda c: (-c.score, -c.count, c.term.casefold()))
    return [c for c in out if not _known(c.key, known)]


def _known(key: str, known: set[str]) -> bool:
    return key in known or key.replace(" ", "") in known


def candidates_of(signals: Signals, known: set[str], limits: Limits) -> list[str]:
    """The signal keys worth counting: not the glossary's, and a phrase without any other
    signal only when it recurs."""
    return [key for key, marks in signals.signals.items()
            if key and not _known(key, known)
            and (set(marks) != {PHRASE} or marks[PHRASE] >= limits.min_phrase_count)]


def discover(documents: Iterable[tuple[str, Analysis]], glossaries: Callable[[], list[Glossary]],
             limits: Limits = Limits()) -> list[Candidate]:
    """Ranked candidates over (relative path, analysis) pairs. `glossaries` is called after
    the documents are read: every version's glossary seen by then."""
    analyses = list(documents)
    signals = Signals()
    for path, analysis in analyses:
        signals.document(path, analysis)
    known = glossary_keys(glossaries())
    keys = candidates_of(signals, known, limits)
    counter = Counter2(keys, signals.forms)
    for path, analysis in analyses:
        counter.document(path, analysis)
    return rank(signals, counter, known, limits)


def as_json(candidates: list[Candidate]) -> list[dict[str, object]]:
    return [{"term": c.term, "count": c.count, "pages": c.pages,
             "signals": dict(sorted(c.signals.items())), "score": round(c.score, 2),
             "examples": [{"path": e.path, "line": e.line, "text": e.text}
                          for e in c.examples]}
            for c in candidates]


def as_yaml_stubs(candidates: list[Candidate]) -> str:
    """Entry stubs in our YAML glossary format, each with a TODO definition and its evidence."""
    lines = ["# Candidate terms found by `harvester-glossary-ls discover`: keep the ones you",
             "# want, write their definitions, and delete the rest.", "entries:"]
    for c in candidates:
        lines.append(f"  # {c.count} uses on {len(c.pages)} pages; "
                     + ", ".join(sorted(c.signals)))
        lines += [f"  #   {e.path}:{e.line}: {_comment(e.text)}" for e in c.examples]
        lines.append(f"  - term: {_quote(c.term)}")
        lines.append("    definition: TODO")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    return text.replace("\n", " ")[:120]


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def relative_to(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
