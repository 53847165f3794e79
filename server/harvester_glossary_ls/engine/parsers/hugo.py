"""The Kubernetes glossary format: a Hugo folder with one Markdown file per term.

Each file has YAML front matter (`title`, `id`, `aka`, `short_description`, `full_link`), then a
body that repeats the short definition, a `<!--more-->` marker and the long text. Hugo shortcodes
are shown as the text a reader sees, and site-relative links become absolute URLs, so hover text
reads like the published page (ARCHITECTURE.md, facts-5).

A `title` is a display title: "Container Runtime Interface (CRI)" names the term and "CRI",
"cgroup (control group)" both (`names.split_display_name`), and its capitals are typography, so
entries are `casing="asserted"` with the title's names as `display_names`. An `aka` name is
written as prose writes it: not a display name, and kept when it differs from the title only in
case ("kubectl" for "Kubectl" is the spelling the docs use).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.frontmatter import front_matter_values, split_front_matter
from harvester_glossary_ls.engine.markdown_links import resolve_markdown_links
from harvester_glossary_ls.engine.models import (
    Entry,
    Link,
    ParseResult,
    Problem,
    Severity,
    SourceLocation,
)
from harvester_glossary_ls.engine.parsers.names import split_display_name
from harvester_glossary_ls.engine.yamlnodes import YamlError

DEFAULT_BASE_URL = "https://kubernetes.io"
_WARNING = Severity.WARNING
# The glossary page itself and a repository README are not terms.
_NOT_TERMS = ("index.md", "_index.md", "readme.md")
_MORE_RE = re.compile(r"<!--\s*more\s*-->")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
# `{{< name args >}}`, `{{% name args %}}`, closing `{{< /name >}}`; `{{</* x */>}}` is Hugo's
# way of showing a shortcode literally.
_ESCAPED_SHORTCODE_RE = re.compile(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", re.DOTALL)
_SHORTCODE_RE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]+)(.*?)\s*/?\s*[>%]\}\}", re.DOTALL)
_ARG_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))""")


def render_shortcodes(text: str) -> str:
    """Replace Hugo shortcodes by what a reader sees.

    `glossary_tooltip` shows its `text`, else its `term_id`; every other shortcode tag is dropped
    (the content between a paired tag's ends stays, as Markdown).
    """

    def show(match: re.Match[str]) -> str:
        closing, name, raw_args = match.group(2), match.group(3), match.group(4)
        if closing or name != "glossary_tooltip":
            return ""
        args = {
            arg.group(1): arg.group(2) if arg.group(2) is not None else arg.group(3) or arg.group(4)
            for arg in _ARG_RE.finditer(raw_args)
        }
        return (args.get("text") or args.get("term_id") or "").replace('\\"', '"')

    literal: list[str] = []

    def hide(match: re.Match[str]) -> str:  # park `{{</* x */>}}` so `show` leaves it alone
        literal.append(f"{{{{{match.group(1)} {match.group(2)} {match.group(3)}}}}}")
        return f"\x00hugo-literal-{len(literal) - 1}\x00"

    hidden = _ESCAPED_SHORTCODE_RE.sub(hide, text)
    rendered = _SHORTCODE_RE.sub(show, hidden)
    return re.sub(r"\x00hugo-literal-(\d+)\x00", lambda m: literal[int(m.group(1))], rendered)


def _site_url(base_url: str, link: str) -> str:
    """A site-relative link (with or without leading slash) as an absolute URL."""
    link = link.strip()
    if not link or _SCHEME_RE.match(link) or link.startswith("#"):
        return link
    return urljoin(base_url.rstrip("/") + "/", link.lstrip("/"))


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        text = read_text_file(path)
    except UnreadableFile as error:
        problems.append(Problem(str(path), f"cannot read file: {error.reason}", error.line))
        return None
    return text.replace("\r\n", "\n")


def _load_front_matter(path: str, text: str, problems: list[Problem]) -> tuple[dict[str, object],
                                                                                str] | None:
    """(front matter values, body), or None with a problem saying why there are none."""
    front = split_front_matter(text)
    if front is None:
        problems.append(Problem(path, "missing front matter (expected a leading `---` block)"))
        return None
    try:
        data = front_matter_values(front)
    except YamlError as error:  # broken YAML, nested too deeply or an alias bomb
        problems.append(Problem(path, f"broken front matter: {error}", error.line))
        return None
    if data is None:
        problems.append(Problem(path, "front matter is not a YAML mapping"))
        return None
    return data, front.body


def _text_field(data: dict[str, object], key: str) -> str:
    value = data.get(key)
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def _aliases(path: str, data: dict[str, object], problems: list[Problem]) -> tuple[str, ...]:
    value = data.get("aka")
    if value is None:
        return ()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return (str(value).strip(),) if str(value).strip() else ()
    if isinstance(value, list):
        names = [str(item).strip() for item in value if isinstance(item, (str, int, float))]
        if len(names) != len(value):
            problems.append(Problem(path, "'aka' items must be strings", severity=_WARNING))
        return tuple(name for name in names if name)
    problems.append(Problem(path, "'aka' must be empty, a string or a list", severity=_WARNING))
    return ()


def _definition(short: str, body: str) -> str:
    """The short description, then the long text after `<!--more-->`.

    The text before the marker repeats the short description; it stands in when that is missing.
    Without a marker, a body that differs from the short description is appended whole.
    """
    parts = _MORE_RE.split(body, maxsplit=1)
    lead = parts[0].strip()
    rest = parts[1].strip() if len(parts) > 1 else ""
    if len(parts) == 1 and " ".join(lead.split()) != " ".join(short.split()):
        rest, lead = lead, ""
    first = " ".join(short.split()) or lead
    return "\n\n".join(part for part in (first, rest) if part)


def _resolve_links(definition: str, base_url: str) -> tuple[str, tuple[Link, ...]]:
    return resolve_markdown_links(definition, lambda href: _site_url(base_url, href))


def _entry_from_text(path: Path, text: str, base_url: str, problems: list[Problem]) -> Entry | None:
    name = str(path)
    loaded = _load_front_matter(name, text, problems)
    if loaded is None:
        return None
    data, body = loaded
    title = split_display_name(_text_field(data, "title")).names
    if not title:
        problems.append(Problem(name, "front matter has no 'title' (the term)"))
        return None
    term = title[0]
    aka = [a for a in _aliases(name, data, problems) if a not in title]  # exact repeats only
    aliases = tuple(dict.fromkeys((*title[1:], *aka)))
    short = render_shortcodes(_text_field(data, "short_description"))
    definition, links = _resolve_links(_definition(short, render_shortcodes(body)), base_url)
    if not definition:
        problems.append(Problem(name, f"'{term}' has an empty definition", severity=_WARNING))
    return Entry(
        term=term,
        aliases=aliases,
        definition=definition,
        links=links,
        source=SourceLocation(name, 0),
        url=_site_url(base_url, _text_field(data, "full_link")),
        casing="asserted",
        display_names=title,
    )


def parse_hugo_file(path: Path, *, base_url: str = DEFAULT_BASE_URL) -> ParseResult:
    """Parse one term file; problems instead of exceptions.

    Its glossary's name is its folder's index title ("Glossary"), else the page's own title.
    """
    problems: list[Problem] = []
    text = _read_text(path, problems)
    if text is None:
        return ParseResult(problems=tuple(problems))
    entry = _entry_from_text(path, text, base_url, problems)
    return ParseResult(entries=() if entry is None else (entry,), problems=tuple(problems),
                       name=_index_title(path.parent) or _front_title(text))


def _front_title(text: str) -> str:
    """The raw front-matter `title` of a page, "" when it has none or it cannot be read."""
    front = split_front_matter(text)
    try:
        data = front_matter_values(front) if front is not None else None
    except YamlError:
        return ""
    return _text_field(data, "title") if data is not None else ""


def _index_title(folder: Path) -> str:
    """The title of a folder's `_index.md`/`index.md` (the glossary page of its term pages)."""
    for index in ("_index.md", "index.md"):
        try:
            text = read_text_file(folder / index)
        except UnreadableFile:
            continue
        if title := _front_title(text.replace("\r\n", "\n")):
            return title
    return ""


def folder_title(folder: Path) -> str:
    """A term folder's display name: its `_index.md`/`index.md` title, else the folder's name."""
    return _index_title(folder) or folder.name


def parse_hugo_folder(folder: Path, *, base_url: str = DEFAULT_BASE_URL) -> ParseResult:
    """Parse every `*.md` term file in `folder` (not subfolders, `index.md`, `_index.md`, README).

    Files are read in name order; a term already defined is skipped with a problem, and an alias
    already taken is dropped from the later entry with a warning.
    """
    try:
        if not folder.is_dir():
            return ParseResult(problems=(Problem(str(folder), "not a folder"),))
        files = sorted(
            p for p in folder.glob("*.md") if p.name.lower() not in _NOT_TERMS and p.is_file()
        )
    except OSError as error:
        return ParseResult(problems=(Problem(str(folder), f"cannot list folder: {error}"),))
    if not files:  # an empty glossary must not silently replace a good one
        return ParseResult(problems=(Problem(str(folder), "no term pages (*.md) in this folder"),))
    entries: list[Entry] = []
    problems: list[Problem] = []
    owners: dict[str, str] = {}  # casefolded term or alias -> file that defined it
    for path in files:
        text = _read_text(path, problems)
        entry = _entry_from_text(path, text, base_url, problems) if text is not None else None
        kept = _deduplicate(entry, owners, problems) if entry is not None else None
        if kept is not None:
            entries.append(kept)
    return ParseResult(entries=tuple(entries), problems=tuple(problems),
                       name=folder_title(folder))


def _deduplicate(entry: Entry, owners: dict[str, str], problems: list[Problem]) -> Entry | None:
    """Claim the entry's names in `owners`; None for a duplicate term, fewer aliases on clashes."""
    path = entry.source.path if entry.source else ""
    first = owners.get(entry.term.casefold())
    if first is not None:
        problems.append(
            Problem(path, f"duplicate term '{entry.term}' (already defined in {first})")
        )
        return None
    aliases: list[str] = []
    for alias in entry.aliases:  # a case-only twin of the term is its own entry's: kept
        owner = owners.get(alias.casefold())
        if owner is not None:
            problems.append(Problem(path, f"alias '{alias}' dropped (already defined in {owner})",
                                    severity=_WARNING))
            continue
        aliases.append(alias)
    for name in (entry.term, *aliases):
        owners.setdefault(name.casefold(), Path(path).name)
    display = tuple(n for n in entry.display_names if n == entry.term or n in aliases)
    return replace(entry, aliases=tuple(aliases), display_names=display)
