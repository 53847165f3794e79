"""Workspace diagnostics in real VS Code (code-server + headless Chromium, the built .vsix): the
Problems panel lists the finding of a Markdown file that is not open (issue 10).

The workspace has open.md (opened, since a Markdown editor is what activates the extension) and
docs/closed.md (never opened), each with one finding under the default glossary.

- on: `harvesterGlossary.workspaceDiagnostics: true` in the workspace settings; the panel lists
  docs/closed.md and its message.
- off: the setting `false`; the panel lists open.md's finding and, through two workspace/diagnostic
  answers after it, never closed.md. Removing the setting (VS Code's default is `true`) then lists
  it, so the same session shows that it would have been listed.

The panel is read from the workbench's DOM; the extension's output channel is read only to know
when the server has answered (the negative check). The browser side is
tests/editors/vscode/problems_e2e.mjs; screenshots land in .e2e/results/vscode-problems-*/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ._support import E2E, NODE_JS, missing_tool, report
from ._vscode import VSCODE_EXT, build_vsix, code_server, with_context

pytestmark = pytest.mark.editor

DRIVER = Path(__file__).resolve().parent / "vscode" / "problems_e2e.mjs"
FILES = {
    "open.md": "# Open\n\nA Guest Cluster runs VMs.\n",
    "docs/closed.md": "# Closed\n\nAttach the VM to the harvester-mgmt network.\n",
}
OPEN_MESSAGE = "The glossary writes 'guest cluster' (found 'Guest Cluster')"
CLOSED_MESSAGE = "'harvester-mgmt' is deprecated"
SETTING = "harvesterGlossary.workspaceDiagnostics"


@pytest.fixture(scope="module")
def vsix() -> Path:
    """One `npm run package` for both sessions."""
    return build_vsix()


def run(mode: str, workspace_diagnostics: bool, server_cmd: list[str], vsix: Path,
        tmp_path: Path) -> dict[str, Any]:
    workdir = tmp_path / "work"
    for name, text in FILES.items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text, encoding="utf-8")
    settings_file = workdir / ".vscode" / "settings.json"
    settings_file.parent.mkdir()
    settings_file.write_text(json.dumps({SETTING: workspace_diagnostics}, indent=2))
    out = E2E / "results" / f"vscode-problems-{mode}"
    shutil.rmtree(out, ignore_errors=True)
    node = shutil.which("node") or missing_tool("node", NODE_JS)
    with code_server(tmp_path, workdir, server_cmd, vsix=vsix) as cs:
        env = {**os.environ, "CS_URL": str(cs["url"]), "CHROMIUM": str(cs["chromium"]),
               "OUT_DIR": str(out), "PLAYWRIGHT_FROM": str(VSCODE_EXT / "package.json"),
               "MODE": mode, "SETTINGS_FILE": str(settings_file), "DATA_DIR": str(cs["data"]),
               "CLOSED_MESSAGE": CLOSED_MESSAGE, "OPEN_MESSAGE": OPEN_MESSAGE}
        proc = subprocess.run([node, str(DRIVER)], env=env, capture_output=True, text=True,
                              timeout=420, stdin=subprocess.DEVNULL)
        result_file = out / "result.json"
        assert result_file.exists(), f"driver wrote no result (rc {proc.returncode}):\n" \
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        r: dict[str, Any] = json.loads(result_file.read_text())
    r["timings"] = cs["timings"]
    with_context(r, cs["data"])
    report(f"vscode-problems-{mode}", r)
    return r


def files_listed(rows: list[dict[str, str]]) -> list[str]:
    """The file rows of the Problems panel: the file's name."""
    return [row["name"] for row in rows if row["kind"] == "file"]


def findings_of(rows: list[dict[str, str]], name: str) -> list[str]:
    """The finding rows listed under file `name` in the panel (message, source, code, place)."""
    found: list[str] = []
    under = False
    for row in rows:
        if row["kind"] == "file":
            under = row["name"] == name
        elif under and row["kind"] == "marker":
            found.append(row["text"])
    return found


def test_vscode_problems_lists_closed_file(server_cmd: list[str], vsix: Path,
                                           tmp_path: Path) -> None:
    r = run("on", True, server_cmd, vsix, tmp_path)
    assert not r["errors"], r["context"]
    rows = r["problems_rows"]
    closed = [row for row in rows if row["kind"] == "file" and row["name"] == "closed.md"]
    assert closed and closed[0]["folder"] == "docs", r["context"]
    findings = findings_of(rows, "closed.md")
    assert any(CLOSED_MESSAGE in f and "use 'mgmt'" in f and "deprecated-term" in f
               for f in findings), r["context"]
    # the file was never opened: the only editor is open.md
    assert r["editor_tabs"] == ["open.md"], r["context"]


def test_vscode_problems_setting_off_hides_closed_file(server_cmd: list[str], vsix: Path,
                                                       tmp_path: Path) -> None:
    r = run("off", False, server_cmd, vsix, tmp_path)
    assert not r["errors"], r["context"]
    assert r["closed_seen_while_off"] is False, r["context"]
    rows = r["problems_rows"]
    assert any(OPEN_MESSAGE in f for f in findings_of(rows, "open.md")), r["context"]
    assert "closed.md" not in files_listed(rows), r["context"]
    # with the setting back at VS Code's default (true), the same session lists it
    default_rows = r["problems_rows_default"]
    assert any(CLOSED_MESSAGE in f for f in findings_of(default_rows, "closed.md")), r["context"]
    assert r["editor_tabs"] == ["open.md"], r["context"]
