"""Adding a word to `ignoreWords` in a config file's text, keeping the rest of the file as it is.

Used by the "ignore this word in this workspace" code action; a text edit rather than a YAML
round-trip, so comments and formatting survive.
"""

from __future__ import annotations

import json
import re

_BLOCK_KEY = re.compile(r"^ignoreWords:[ \t]*(#.*)?$", re.MULTILINE)
_FLOW_KEY = re.compile(r"^ignoreWords:[ \t]*\[(?P<items>[^\]]*)\][ \t]*(#.*)?$", re.MULTILINE)


def _quote(word: str) -> str:
    return json.dumps(word, ensure_ascii=False)


def add_ignore_word(text: str, word: str) -> str:
    """The config text with `word` in its ignoreWords list (unchanged if already there)."""
    flow = _FLOW_KEY.search(text)
    if flow is not None:
        items = [i.strip() for i in flow.group("items").split(",") if i.strip()]
        if any(i.strip("\"'").casefold() == word.casefold() for i in items):
            return text
        items.append(_quote(word))
        line = "ignoreWords: [" + ", ".join(items) + "]"
        return text[:flow.start()] + line + text[flow.end():]
    block = _BLOCK_KEY.search(text)
    if block is not None:
        position = block.end()
        item = re.compile(r"\n([ \t]*)-[ \t]+(.*)")
        indent = "  "
        while (match := item.match(text, position)) is not None:
            indent = match.group(1)
            if match.group(2).strip().strip("\"'").casefold() == word.casefold():
                return text
            position = match.end()
        return text[:position] + f"\n{indent}- {_quote(word)}" + text[position:]
    prefix = text if not text or text.endswith("\n") else text + "\n"
    return prefix + f"ignoreWords:\n  - {_quote(word)}\n"


_GLOSSARIES_BLOCK = re.compile(r"^glossaries:[ \t]*(#.*)?$", re.MULTILINE)
_GLOSSARIES_FLOW = re.compile(r"^glossaries:[ \t]*\[(?P<items>[^\]\[{}]*)\][ \t]*(#.*)?$",
                              re.MULTILINE)
_GLOSSARIES_ANY = re.compile(r"^glossaries:", re.MULTILINE)
_LINE = re.compile(r"\n(?P<indent>[ \t]*)(?P<rest>[^\n]*)")


def add_glossary(text: str, path: str) -> str | None:
    """The config text with `path` added to its `glossaries` list (unchanged if there); None
    when the list is written in a way a text edit cannot extend (a flow list of mappings)."""
    flow = _GLOSSARIES_FLOW.search(text)
    if flow is not None:
        items = [i.strip() for i in flow.group("items").split(",") if i.strip()]
        if any(i.strip("\"'") == path for i in items):
            return text
        line = "glossaries: [" + ", ".join([*items, _quote(path)]) + "]"
        return text[:flow.start()] + line + text[flow.end():]
    block = _GLOSSARIES_BLOCK.search(text)
    if block is not None:
        position = block.end()
        indent = "  "
        while (match := _LINE.match(text, position)) is not None:
            rest = match.group("rest")
            if not rest.strip() or (not match.group("indent") and not rest.startswith(("-", "#"))):
                break  # a blank line or the next top-level key ends the list
            if rest.startswith("- "):
                indent = match.group("indent")
                if rest[2:].strip().strip("\"'") == path:
                    return text
            position = match.end()
        return text[:position] + f"\n{indent}- {_quote(path)}" + text[position:]
    if _GLOSSARIES_ANY.search(text):
        return None
    prefix = text if not text or text.endswith("\n") else text + "\n"
    return prefix + f"glossaries:\n  - {_quote(path)}\n"
