"""Where the shipped glossary lives, apart from the loader that parses it: `check --cache`
stamps these files on every run and must not import the parsers to find them."""

from __future__ import annotations

from pathlib import Path


def embedded_dir() -> Path:
    """The shipped glossary folder: inside the wheel, or the repo's glossary/ when editable."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_glossary"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "glossary"
