"""The Project that the shared command-line options describe: `--glossary`, `--glossary-version`,
`--no-config` and `--no-default-glossary` mean the same for `check`, `define`, `terms`, `report`
and `discover`, so they are turned into a Project in one place."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harvester_glossary_ls.engine.config import Config
from harvester_glossary_ls.engine.models import parse_version
from harvester_glossary_ls.engine.project import Project


def add_glossary_options(command: argparse.ArgumentParser) -> None:
    """The options every command shares: which glossaries apply, and which config."""
    command.add_argument("--glossary", action="append", default=[], metavar="FILE",
                         help="extra glossary: a YAML glossary, a glossary page, or a folder of "
                              "term pages (repeatable)")
    command.add_argument("--glossary-version", metavar="vX.Y",
                         help="docs version whose glossary and deprecations apply (default: "
                              "the config's glossaryVersion, else each file's docs tree)")
    command.add_argument("--no-config", action="store_true",
                         help="ignore .harvester-glossary.yaml")
    command.add_argument("--no-default-glossary", action="store_true",
                         help="leave out the built-in Harvester glossary (and a Harvester docs "
                              "checkout's own page): only --glossary and configured ones apply")


def project_from_options(args: argparse.Namespace, root: Path,
                         settings: Config | None = None) -> Project | None:
    """The project for `root`; None after saying on stderr which option is wrong."""
    version = None
    if args.glossary_version:
        version = parse_version(args.glossary_version)
        if version is None:
            print(f"error: --glossary-version must look like v1.7, not {args.glossary_version!r}",
                  file=sys.stderr)
            return None
    extra = tuple(Path(g) for g in args.glossary)
    for path in extra:
        if not path.exists():
            print(f"error: glossary {path} does not exist", file=sys.stderr)
            return None
    overrides = Config(glossary_version=version,
                       default_glossary=False if args.no_default_glossary else None)
    return Project(root, settings=settings, overrides=overrides, extra_glossaries=extra,
                   use_config_file=not args.no_config)
