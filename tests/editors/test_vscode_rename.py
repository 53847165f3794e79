"""Rename a glossary term in real VS Code (code-server + headless Chromium, the built .vsix):
F2 on a use, Ctrl+Enter for the Refactor Preview (change annotations label the groups), Apply,
Save All; then the files on disk (glossary page, three uses in their case, the code span left
alone, the renames file created and configured) and the old name flagged in a page opened
afterwards.

The browser side is tests/editors/vscode/rename_e2e.mjs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ._support import E2E, NODE_JS, RENAME_FILES, missing_tool, report
from ._vscode import VSCODE_EXT, code_server, with_context

pytestmark = pytest.mark.editor

DRIVER = Path(__file__).resolve().parent / "vscode" / "rename_e2e.mjs"


def test_vscode_rename(server_cmd: list[str], tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    for name, text in RENAME_FILES.items():
        (workdir / name).write_text(text, encoding="utf-8")
    out = E2E / "results" / "vscode-rename"
    shutil.rmtree(out, ignore_errors=True)
    node = shutil.which("node") or missing_tool("node", NODE_JS)
    with code_server(tmp_path, workdir, server_cmd) as cs:
        env = {**os.environ, "CS_URL": str(cs["url"]), "CHROMIUM": str(cs["chromium"]),
               "OUT_DIR": str(out), "PLAYWRIGHT_FROM": str(VSCODE_EXT / "package.json"),
               "WORKDIR": str(workdir)}
        proc = subprocess.run([node, str(DRIVER)], env=env, capture_output=True, text=True,
                              timeout=240, stdin=subprocess.DEVNULL)
        result_file = out / "result.json"
        assert result_file.exists(), f"driver wrote no result (rc {proc.returncode}):\n" \
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        r: dict[str, Any] = json.loads(result_file.read_text())
    with_context(r, cs["data"])
    report("vscode-rename", r)
    assert not r["errors"], r["context"]
    assert r["preview_shown"], r["context"]
    # the Refactor Preview listed every file, the renames file as created, all checked
    preview = r["preview_text"]
    assert "glossary-renames.yaml\n(creating)" in preview and "glossary.md" in preview, preview
    page = (workdir / "page.md").read_text(encoding="utf-8")
    assert page == ("# Tenant clusters\n\nTenant cluster nodes run in VMs. Create a tenant "
                    "cluster.\n\nRun `kubectl get guest cluster` to list the tenant clusters.\n")
    assert (workdir / "other.md").read_text(encoding="utf-8") == "The tenant clusters' disks.\n"
    assert "## **tenant cluster**" in (workdir / "glossary.md").read_text(encoding="utf-8")
    assert "glossary-renames.yaml" in (workdir / ".harvester-glossary.yaml").read_text()
    renames = (workdir / "glossary-renames.yaml").read_text(encoding="utf-8")
    assert 'form: "guest cluster"' in renames and "since: v1.8" in renames
