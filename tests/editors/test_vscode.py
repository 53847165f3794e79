"""VS Code, for real: build the .vsix from editors/vscode, install it into code-server (the VS Code
workbench served to a browser), open a Markdown fixture in headless Chromium driven by
playwright-core, and check the squiggle, the hover tooltip, a completion and the quick fix.

The browser side is tests/editors/vscode/codeserver_e2e.mjs. Screenshots land in
.e2e/results/vscode/; with HGLS_SCREENSHOT_DIR set (editors/vscode/scripts/refresh-screenshots.sh)
hover.png and completion.png are also copied there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harvester_glossary_ls.engine.rule_codes import CODES

from ._support import E2E, FIXTURES, NODE_JS, NPM_CI, missing_tool, report
from ._vscode import VSCODE_EXT, code_server, drive, errors, with_context

pytestmark = pytest.mark.editor


@pytest.fixture(scope="module")
def vscode_run(server_cmd: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One code-server + Chromium session (about 15 s) runs every step; the tests below check
    their part of its JSON result, so a failure names the feature that broke."""
    tmp_path = tmp_path_factory.mktemp("vscode")
    workdir = tmp_path / "work"
    shutil.copytree(FIXTURES, workdir)
    out = E2E / "results" / "vscode"
    with code_server(tmp_path, workdir, server_cmd) as cs:
        result = drive(cs, workdir, out)
    report("vscode", result)
    with_context(result, cs["data"])

    shots = os.environ.get("HGLS_SCREENSHOT_DIR")
    if shots and not result["errors"] and not result["notifications"]:
        # only a clean run may refresh the screenshots that the README shows
        Path(shots).mkdir(parents=True, exist_ok=True)
        for name in ("hover.png", "completion.png"):
            shutil.copy2(out / name, Path(shots) / name)
    return result


def test_vscode_vsix_installed_and_workbench_opens(vscode_run: dict[str, Any]) -> None:
    r = vscode_run
    assert not errors(r, "open"), r["context"]
    assert {"build_vsix_s", "install_vsix_s", "code_server_ready_s"} <= set(r["timings"])


def test_vscode_warning_squiggle(vscode_run: dict[str, Any]) -> None:
    r = vscode_run
    assert not errors(r, "diagnostic"), r["context"]
    assert r["squiggle_under_term"], r["context"]
    assert "'harvester-mgmt' is deprecated" in r["diagnostic_hover"], r["context"]
    assert "deprecated-term" in r["diagnostic_hover"], r["context"]


def test_vscode_hover_tooltip(vscode_run: dict[str, Any]) -> None:
    r = vscode_run
    assert not errors(r, "hover"), r["context"]
    assert r["hover_bold"] == "guest cluster", r["context"]
    assert r["hover_text"].split("\n")[0] == "guest cluster", r["context"]
    assert "Group of integrated Kubernetes worker machines" in r["hover_text"], r["context"]


def test_vscode_completion(vscode_run: dict[str, Any]) -> None:
    r = vscode_run
    assert not errors(r, "completion"), r["context"]
    assert any(row.startswith("VM migration network") for row in r["completion"]), r["context"]
    assert r["completed_line"] == "VM migration network", r["context"]


def test_vscode_settings_change_without_restart(vscode_run: dict[str, Any]) -> None:
    r = vscode_run
    assert not errors(r, "settings"), r["context"]
    assert r["settings_severity"] == "error", r["context"]


def test_vscode_quick_fix(vscode_run: dict[str, Any]) -> None:
    r = vscode_run
    assert not errors(r, "quickfix"), r["context"]
    fixed = "Attach the VM to the mgmt network of the guest cluster."
    assert fixed in r["after_fix_lines"], r["context"]


def test_vscode_no_error_notifications(vscode_run: dict[str, Any]) -> None:
    """The extension and the server raise no notification (failed requests, missing server)."""
    r = vscode_run
    assert not errors(r, "notifications"), r["context"]
    assert r["notifications"] == [], r["context"]


def test_vscode_extension_unit_tests() -> None:
    """`npm test` in editors/vscode: the server lookup order and its error messages."""
    if not (VSCODE_EXT / "node_modules" / ".bin" / "esbuild").exists():
        missing_tool("editors/vscode/node_modules", NPM_CI)
    npm = shutil.which("npm") or missing_tool("npm", NODE_JS)
    proc = subprocess.run(
        [npm, "test"],
        cwd=VSCODE_EXT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout, proc.stdout[-4000:]


def test_vscode_manifest_contract() -> None:
    """The settings, languages and command that the docs and the server promise."""
    manifest = json.loads((VSCODE_EXT / "package.json").read_text())
    assert manifest["name"] == "harvester-glossary-ls"
    assert set(manifest["activationEvents"]) == {"onLanguage:markdown", "onLanguage:yaml"}
    props = manifest["contributes"]["configuration"]["properties"]
    for key in (
        "server.path",
        "server.pythonPath",
        "server.preferEnvironment",
        "glossaries",
        "defaultGlossary",
        "workspaceDiagnostics",
        "glossaryVersion",
        "rules",
        "ignoreWords",
        "logLevel",
        "trace.server",
    ):
        assert f"harvesterGlossary.{key}" in props, key
    assert props["harvesterGlossary.server.preferEnvironment"]["default"] is False
    default_glossary = props["harvesterGlossary.defaultGlossary"]
    assert (default_glossary["type"], default_glossary["default"]) == ("boolean", True)
    # a glossaries item is a path, or {path, name, casing} (README "Configuration")
    item = props["harvesterGlossary.glossaries"]["items"]["anyOf"]
    assert {"type": "string"}.items() <= item[0].items()
    assert item[1]["required"] == ["path"]
    assert set(item[1]["properties"]) == {"path", "name", "casing"}
    assert item[1]["properties"]["casing"]["enum"] == ["strict", "asserted", "ignore"]
    rules = props["harvesterGlossary.rules"]["properties"]
    assert set(rules) == set(CODES)  # every rule the engine knows, no more
    assert all(
        r["enum"] == ["error", "warning", "information", "hint", "off"] for r in rules.values()
    )
    commands = {c["command"] for c in manifest["contributes"]["commands"]}
    assert "harvesterGlossary.restartServer" in commands
    assert manifest["dependencies"]["vscode-languageclient"].startswith("^9.")
    assert "package" in manifest["scripts"] and "vsce package" in manifest["scripts"]["package"]


def test_vscode_messages_name_no_package_index() -> None:
    """The package is on no package index: no message or button may send users to one (if
    someone else published the name, it would install theirs)."""
    for ts in sorted((VSCODE_EXT / "src").glob("*.ts")):
        text = ts.read_text()
        bad_words = ("pip install harvester", "pipx install harvester", "pypi", "Copy Install")
        for bad in bad_words:
            assert bad.lower() not in text.lower(), f"{ts.name} says {bad!r}"
    lookup = (VSCODE_EXT / "src" / "serverCommand.ts").read_text()
    assert "Python 3.10 or newer from python.org or your package manager" in lookup
