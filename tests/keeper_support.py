"""Running the keeper commands (`report`, `discover`) the way the CLI does."""

from __future__ import annotations

import argparse
from pathlib import Path

from harvester_glossary_ls import keeper_commands

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "keeper"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="harvester-glossary-ls")
    keeper_commands.add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def run(argv: list[str]) -> int:
    args = parse(argv)
    if args.command == "report":
        return keeper_commands.run_report(args)
    return keeper_commands.run_discover(args)
