"""Shared helpers for the real-editor tests (pytest -m editor); fixtures are in conftest.py.

The tools come from `.ci/install-editors.sh` (everything under the git-ignored `.e2e/`, or
E2E_DIR). A missing tool skips the test with the reason, except when CI=true, where it fails.
The server is the one installed next to the running Python (the test venv's
`harvester-glossary-ls` console script), or `HARVESTER_GLOSSARY_LS_CMD` (a JSON list or a
space-separated command) when set.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
E2E = Path(os.environ.get("E2E_DIR", REPO / ".e2e")).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INSTALL_HINT = "run `bash .ci/install-editors.sh`"
RENAME_FILES = {
    ".harvester-glossary.yaml": "defaultGlossary: false\nglossaryVersion: v1.8\n"
    "glossaries:\n  - glossary.md\n",
    "glossary.md": "---\ntitle: Glossary\n---\n\n## **guest cluster**\n\nA cluster of VMs.\n",
    "page.md": "# Guest clusters\n\nGuest cluster nodes run in VMs. Create a guest cluster.\n\n"
    "Run `kubectl get guest cluster` to list the guest clusters.\n",
    "other.md": "The guest clusters' disks.\n",
}
"""The workspace both rename tests (Neovim, VS Code) rename "guest cluster" in."""
NODE_JS = "Node.js with npm from https://nodejs.org or your package manager"
NPM_CI = f"`npm ci` in editors/vscode ({NODE_JS})"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> NoReturn:
    """Skip outside CI; in CI (CI=true) a missing tool is a failure, so a broken install of
    the editors cannot pass green."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: editor tests must not be skipped)", pytrace=False)
    pytest.skip(reason)


def missing_tool(what: str, own_install: str) -> NoReturn:
    """`missing`, saying which tool and both ways to get it: the Debian script (which needs
    root for its apt packages) and the tool's own install on any other system."""
    missing(f"{what} is not installed: on Debian {INSTALL_HINT}; elsewhere {own_install}")


def server_argv() -> list[str]:
    """The real server's command line, as an editor would start it."""
    env = os.environ.get("HARVESTER_GLOSSARY_LS_CMD")
    if env:
        return json.loads(env) if env.lstrip().startswith("[") else shlex.split(env)
    script = Path(sys.executable).parent / "harvester-glossary-ls"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    if importlib.util.find_spec("harvester_glossary_ls") is not None:
        return [sys.executable, "-m", "harvester_glossary_ls"]
    found = shutil.which("harvester-glossary-ls")
    if found:
        return [found]
    missing("harvester-glossary-ls is not installed in this environment (pip install -e .)")


def report(name: str, result: dict[str, object]) -> None:
    """Print the timings (visible with -s / in CI logs on failure) and keep the JSON."""
    out = E2E / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
    steps = result.get("steps")
    print(f"\n[{name}] total {result.get('total_ms')} ms, steps {json.dumps(steps)}")
