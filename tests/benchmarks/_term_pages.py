"""A generated per-term glossary in the Kubernetes/Hugo shape (one Markdown page per term).

Deterministic (seeded). Each page has the front matter the Kubernetes glossary uses (facts-5):
`title` (some with an abbreviation in parentheses), `id`, `date`, `full_link` (empty, with a
trailing space, site-relative or absolute), a folded `short_description: >` of one or two lines,
`aka:` empty or a list, `tags:` a list; then a body that repeats the short description, a
`<!--more-->` marker, `glossary_tooltip` shortcodes and site-relative links. Shared by the
glossary-load benchmark and the LSP benchmark's workspace.
"""

from __future__ import annotations

import random
from pathlib import Path

PAGES = 158
_WORDS = ("container", "runtime", "volume", "controller", "scheduler", "network", "policy",
          "service", "endpoint", "replica", "secret", "quota", "taint", "label", "selector",
          "probe", "ingress", "gateway", "node", "pod", "lease", "binding", "claim", "class",
          "object", "resource", "manager", "proxy", "plugin", "driver", "snapshot", "image")
_TAGS = ("fundamental", "core-object", "operation", "extension", "networking", "storage",
         "security", "workload", "architecture", "tool")


def _title(rng: random.Random, index: int) -> tuple[str, str, str]:
    """(title, id, abbreviation or "")."""
    words = [*rng.sample(_WORDS, rng.randint(1, 3)), f"t{index}"]
    title = " ".join(w.capitalize() if rng.random() < 0.7 else w for w in words)
    abbreviation = "".join(w[0] for w in words).upper() if len(words) > 2 else ""
    ident = "-".join(w.lower() for w in words)
    if abbreviation and rng.random() < 0.5:
        title = f"{title} ({abbreviation})"
    return title, ident, abbreviation


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def term_page(rng: random.Random, index: int, ids: list[str]) -> tuple[str, str]:
    """(file name, text) of the index-th term page."""
    title, ident, abbreviation = _title(rng, index)
    link = rng.choice(("", " ", f"/docs/concepts/{ident}/", f"docs/reference/{ident}/",
                       f"https://example.com/{ident}"))
    short = [_sentence(rng, rng.randint(6, 12)) for _ in range(rng.randint(1, 2))]
    aka = rng.choice(((), (abbreviation,) if abbreviation else (), (f"{ident}s", f"k{index}")))
    lines = ["---", f"title: {title}", f"id: {ident}", f"date: 20{rng.randint(17, 24)}-0"
             f"{rng.randint(1, 9)}-1{rng.randint(0, 9)}", f"full_link:{' ' if link else ''}{link}",
             "short_description: >", *(f"  {s}" for s in short), "",
             "aka:" + rng.choice(("", " ")), *(f"- {a}" for a in aka if a), "tags:",
             *(f"- {t}" for t in rng.sample(_TAGS, rng.randint(1, 3))), "---"]
    other = rng.choice(ids) if ids else "node"
    body = [f" {' '.join(short)}", "", "<!--more-->", "",
            f"It works with a {{{{< glossary_tooltip term_id=\"{other}\" >}}}} and the "
            f"{{{{< glossary_tooltip text=\"control plane\" term_id=\"control-plane\" >}}}}.",
            _sentence(rng, rng.randint(12, 30)),
            f"Read [{title}](/docs/concepts/{ident}/) for details.", ""]
    return f"{ident}.md", "\n".join(lines + body)


def write_term_pages(folder: Path, count: int = PAGES, seed: int = 10) -> Path:
    """`count` term pages plus the glossary's `_index.md` in `folder` (created)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.md").write_text("---\ntitle: Glossary\nlayout: glossary\nweight: 5\n---\n",
                                      encoding="utf-8")
    ids: list[str] = []
    for index in range(count):
        name, text = term_page(rng, index, ids)
        (folder / name).write_text(text, encoding="utf-8")
        ids.append(name.removesuffix(".md"))
    return folder
