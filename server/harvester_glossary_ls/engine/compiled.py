"""A glossary compiled for matching, and the context one document is checked in.

Compiling (the term automaton, the spelling index, the casing patterns) costs more than checking
a page, so a `Project` builds one `CompiledGlossary` per glossary change and every analysis
shares it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from harvester_glossary_ls.engine.casing import GlossaryCasing
from harvester_glossary_ls.engine.index import TermIndex
from harvester_glossary_ls.engine.models import Glossary, Version
from harvester_glossary_ls.engine.rule_codes import RuleSettings
from harvester_glossary_ls.engine.rules import TermLinker
from harvester_glossary_ls.engine.spelling import SpellingIndex

if TYPE_CHECKING:  # built on the first completion: a CLI check never imports it
    from harvester_glossary_ls.engine.complete import CompletionIndex


@dataclass(frozen=True)
class CompiledGlossary:
    """A glossary with the structures matching needs, built once per glossary change."""

    glossary: Glossary
    index: TermIndex
    spelling: SpellingIndex
    casing: GlossaryCasing
    """What each entry's names assert about case (`term-casing`, plain words for spelling)."""

    @classmethod
    def build(cls, glossary: Glossary, product: str = "") -> CompiledGlossary:
        """`product`: the docs site's product name ("longhorn"), a proper noun for casing."""
        return cls(glossary, TermIndex(glossary), SpellingIndex(glossary),
                   GlossaryCasing(glossary.entries, (product,) if product else ()))

    @cached_property
    def completion(self) -> CompletionIndex:
        """Built on the first completion request, not for every CLI check."""
        from harvester_glossary_ls.engine.complete import CompletionIndex

        return CompletionIndex(self.glossary)


@dataclass(frozen=True)
class CheckContext:
    """Everything a document's analysis depends on besides its text."""

    compiled: CompiledGlossary
    settings: RuleSettings = field(default_factory=RuleSettings)
    version: Version | None = None
    product: str = ""
    """The product whose docs the document belongs to ("harvester", "longhorn"; "" unknown):
    a versioned deprecation only compares `version` for documents of its own product."""
    links: TermLinker | None = field(default=None, compare=False)
    """Where the document links glossary entries (`unlinked-term`); None: the rule stays quiet."""
