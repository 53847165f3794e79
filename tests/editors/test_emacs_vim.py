"""Emacs (Eglot) and Vim (ALE) with the snippets shipped in editors/emacs and editors/vim, from
Debian's packages (emacs-nox + elpa-eglot, vim-nox + vim-ale): diagnostics in Markdown and YAML,
and a hover through Eglot. The server is the test environment's `harvester-glossary-ls`, put
first on PATH (the snippets start it by name, as a user's would).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ._support import FIXTURES, REPO, missing_tool, report

pytestmark = pytest.mark.editor

HERE = Path(__file__).resolve().parent
ALE_DIR = Path(os.environ.get("ALE_DIR", "/usr/share/vim-ale"))  # Debian's vim-ale
ELPA = Path("/usr/share/emacs/site-lisp/elpa")


def run_editor(
    name: str, argv: list[str], server_cmd: list[str], tmp_path: Path, extra_env: dict[str, str]
) -> dict[str, Any]:
    if len(server_cmd) != 1:
        pytest.skip("the snippets start `harvester-glossary-ls` by name: needs the console script")
    workdir = tmp_path / "work"
    shutil.copytree(FIXTURES, workdir)
    out = tmp_path / f"{name}-result.json"
    bindir = tmp_path / "bin"  # `harvester-glossary-ls` on PATH is the server under test
    bindir.mkdir()
    (bindir / "harvester-glossary-ls").symlink_to(server_cmd[0])
    env = {
        **os.environ,
        **extra_env,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),  # no user init files
        "E2E_DIR": str(workdir),
        "E2E_OUT": str(out),
    }
    proc = subprocess.run(
        argv,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert out.exists(), f"{name} wrote no result (rc {proc.returncode}):\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(out.read_text())
    report(name, result)
    return result


def test_emacs_eglot(server_cmd: list[str], tmp_path: Path) -> None:
    emacs = shutil.which("emacs")
    if not emacs or not (ELPA.is_dir() and any(ELPA.glob("eglot-*"))):
        missing_tool(f"Emacs with eglot, markdown-mode and yaml-mode in {ELPA}",
                     "this test needs Debian's layout (emacs-nox, elpa-eglot, elpa-markdown-mode, "
                     "elpa-yaml-mode)")
    r = run_editor(
        "emacs",
        [emacs, "-Q", "--batch", "-l", str(HERE / "emacs" / "e2e.el")],
        server_cmd,
        tmp_path,
        {"HGLS_SNIPPET": str(REPO / "editors" / "emacs" / "harvester-glossary-eglot.el")},
    )
    ctx = json.dumps(r, indent=2)
    assert "error" not in r, ctx
    assert r["guide.md-mode"] == "markdown-mode" and r["nodenetwork.yaml-mode"] == "yaml-mode"
    assert r["guide.md-server"] == ["harvester-glossary-ls"], ctx
    md = [d for d in r["guide.md-diagnostics"] if d["text"] == "harvester-mgmt"]
    assert md and md[0]["type"] == "eglot-warning", ctx
    assert "'harvester-mgmt' is deprecated" in md[0]["message"], ctx
    yaml = [d for d in r["nodenetwork.yaml-diagnostics"] if d["text"] == "NodeNetwork"]
    assert yaml and "'NodeNetwork' is deprecated" in yaml[0]["message"], ctx
    assert r["hover"].split("\n")[0] == "**guest cluster**", ctx
    assert "Group of integrated Kubernetes worker machines" in r["hover"], ctx


def test_vim_ale(server_cmd: list[str], tmp_path: Path) -> None:
    vim = shutil.which("vim")
    if not vim or not (ALE_DIR / "plugin" / "ale.vim").exists():
        missing_tool(f"Vim with ALE in {ALE_DIR}",
                     "Vim 9 and `git clone https://github.com/dense-analysis/ale`, with "
                     "ALE_DIR=/path/to/ale")
    r = run_editor(
        "vim-ale",
        [
            vim,
            "-N",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "--not-a-term",
            "-S",
            str(HERE / "vim" / "e2e.vim"),
        ],
        server_cmd,
        tmp_path,
        {"ALE_DIR": str(ALE_DIR), "HGLS_SNIPPET": str(REPO / "editors" / "vim" / "ale.vim")},
    )
    ctx = json.dumps(r, indent=2)
    assert "error" not in r, ctx
    for name, word in (("guide.md", "harvester-mgmt"), ("nodenetwork.yaml", "NodeNetwork")):
        f = r["files"][name]
        assert "harvester_glossary_ls" in f["linters"], ctx
        ours = [d for d in f["diagnostics"] if d["linter"] == "harvester_glossary_ls"]
        assert [d for d in ours if d["text"] == word and d["type"] == "W"], ctx
        assert any(f"'{word}' is deprecated" in d["message"] for d in ours), ctx
