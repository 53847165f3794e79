"""A compatibility name: Markdown links now live in `markdown_links`, Docusaurus hrefs in
`docs_site`, front matter in `frontmatter`. New code imports from those modules directly."""

from __future__ import annotations

from harvester_glossary_ls.engine.markdown_links import resolve_markdown_links

__all__ = ["resolve_markdown_links"]
