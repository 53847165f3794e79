"""The rules by name: their codes, default severities and settings.

Apart from the rules themselves (rules.py) so that the config, the command line and the report
formats can name rules without importing the matcher and the spelling search that the rules
need (a `check` served from its cache never imports those).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from harvester_glossary_ls.engine.models import Severity

DEPRECATED = "deprecated-term"
CASING = "term-casing"
SPELLING = "term-spelling"
UNLINKED = "unlinked-term"
CODES = (DEPRECATED, CASING, SPELLING, UNLINKED)
DEFAULT_SEVERITIES: Mapping[str, Severity | None] = {
    DEPRECATED: Severity.WARNING,
    CASING: Severity.INFORMATION,
    SPELLING: Severity.HINT,
    UNLINKED: None,
}
"""Severity per rule when the config says nothing; None = off (`unlinked-term` is opt-in: a
page linking every first use is a house style, not an error)."""
ON_SEVERITY: Mapping[str, Severity] = {UNLINKED: Severity.HINT}
"""The severity an off-by-default rule gets where it is turned on without one (`report`,
`check --fix-rule`)."""
OPT_IN_FIXES = frozenset({UNLINKED})
"""Rules whose fixes `--fix` and the editor's fix-all apply only when asked by name."""


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Severity per rule code (None = off) and words never flagged."""

    severities: Mapping[str, Severity | None] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITIES))
    ignore_words: frozenset[str] = frozenset()
    check_generated: bool = False
    """Check pages whose front matter says `auto_generated: true` (reference pages generated
    from source: their wording is the source's, fixed there, not in the page)."""

    def severity(self, code: str) -> Severity | None:
        return self.severities.get(code, DEFAULT_SEVERITIES.get(code))
