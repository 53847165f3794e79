"""The release: `python editors/vscode/scripts/release.py` builds the sdist, the wheel and one .vsix
per platform into dist/, each .vsix carrying the server for CPython 3.10 to 3.14.

- Every platform's .vsix is unzipped and checked: for each Python version a `bundled/libs/cp3XX/`
  folder holding our package and every dependency it needs on that platform and Python (markers
  evaluated), each native one built for exactly that CPython and platform.
- Real code-server with no server on PATH, no virtualenv and no Python extension (PATH holds only
  Node and /usr/bin, whose python3 has neither the server nor pygls): the linux-x64 .vsix is
  installed, and the hover, a diagnostic and a completion come from the bundled server run by the
  system python3. Then the same with `harvesterGlossary.server.preferEnvironment` and the test
  venv's bin first on PATH: the environment's server answers.

The build is shared by the whole module and reused when dist/ is newer than every input; a fresh
build takes about 1 to 2.5 minutes (PyPI downloads), so these tests are marked `slow`.
"""

from __future__ import annotations

import email.parser
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.tags import parse_tag
from packaging.utils import canonicalize_name

from ._support import E2E, FIXTURES, NODE_JS, NPM_CI, REPO, missing, missing_tool, report
from ._vscode import VSCODE_EXT, code_server, drive, errors, with_context

pytestmark = pytest.mark.slow

DIST = REPO / "dist"
RELEASE = VSCODE_EXT / "scripts" / "release.py"
_version = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)
assert _version, "no version in pyproject.toml"
VERSION = _version[1]
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
NATIVE = {"pyyaml", "rapidfuzz", "pyahocorasick"}

# VS Code target -> (wheel platform tags it takes, marker environment, extension-module pattern)
TARGETS: dict[str, tuple[str, dict[str, str], str]] = {
    "linux-x64": (
        r"manylinux.*_x86_64",
        {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"},
        r"\.(cpython-3{m}-x86_64-linux-gnu|abi3)\.so$",
    ),
    "linux-arm64": (
        r"manylinux.*_aarch64",
        {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "aarch64"},
        r"\.(cpython-3{m}-aarch64-linux-gnu|abi3)\.so$",
    ),
    "darwin-x64": (
        r"macosx_\d+_\d+_(x86_64|universal2|intel)",
        {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "x86_64"},
        r"\.(cpython-3{m}-darwin|abi3)\.so$",
    ),
    "darwin-arm64": (
        r"macosx_\d+_\d+_(arm64|universal2)",
        {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64"},
        r"\.(cpython-3{m}-darwin|abi3)\.so$",
    ),
    "win32-x64": (
        r"win_amd64",
        {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"},
        r"\.cp3{m}-win_amd64\.pyd$",
    ),
}


def vsix_path(target: str) -> Path:
    return DIST / f"harvester-glossary-ls-{target}-{VERSION}.vsix"


def outputs() -> list[Path]:
    return [
        DIST / f"harvester_glossary_ls-{VERSION}-py3-none-any.whl",
        DIST / f"harvester_glossary_ls-{VERSION}.tar.gz",
        *(vsix_path(t) for t in TARGETS),
    ]


def inputs() -> Iterator[Path]:
    yield from (REPO / p for p in ("pyproject.toml", "README.md"))
    for folder in (REPO / "server", REPO / "glossary", VSCODE_EXT / "src"):
        yield from (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for name in (
        "package.json",
        "package-lock.json",
        "README.md",
        ".vscodeignore",
        "tsconfig.json",
    ):
        yield VSCODE_EXT / name
    yield VSCODE_EXT / "bundled" / "launch.py"
    yield RELEASE


def fresh() -> bool:
    outs = outputs()
    if not all(p.exists() for p in outs):
        return False
    newest_input = max(p.stat().st_mtime for p in inputs() if p.exists())
    return min(p.stat().st_mtime for p in outs) > newest_input


@pytest.fixture(scope="module")
def release_dist() -> dict[str, Any]:
    """dist/ from the one release command, rebuilt only when an input is newer."""
    if fresh():
        return {"built": False, "output": "dist/ is up to date"}
    if not (VSCODE_EXT / "node_modules" / ".bin" / "vsce").exists():
        missing_tool("editors/vscode/node_modules", NPM_CI)
    if shutil.which("npm") is None:
        missing_tool("npm", NODE_JS)
    try:
        import build  # noqa: F401
    except ImportError:
        missing("the `build` package is not installed (pip install -e '.[test]')")
    proc = subprocess.run(
        [sys.executable, str(RELEASE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=540,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert all(p.exists() for p in outputs()), proc.stdout[-4000:]
    return {"built": True, "output": proc.stdout}


def dist_infos(zf: zipfile.ZipFile, libs: str) -> dict[str, dict[str, Any]]:
    """canonical name -> {version, requires, tags, record} for every *.dist-info under libs."""
    out: dict[str, dict[str, Any]] = {}
    names = zf.namelist()
    for meta in (n for n in names if n.startswith(libs) and n.endswith(".dist-info/METADATA")):
        base = meta[: -len("METADATA")]
        msg = email.parser.Parser().parsestr(zf.read(meta).decode())
        wheel = zf.read(base + "WHEEL").decode()
        tags = {
            t
            for line in wheel.splitlines()
            if line.startswith("Tag:")
            for t in parse_tag(line.split(":", 1)[1].strip())
        }
        record = [
            row.split(",", 1)[0] for row in zf.read(base + "RECORD").decode().splitlines() if row
        ]
        out[canonicalize_name(msg["Name"])] = {
            "version": msg["Version"],
            "requires": msg.get_all("Requires-Dist") or [],
            "tags": tags,
            "record": record,
        }
    return out


def check_python_bundle(zf: zipfile.ZipFile, target: str, py: str) -> list[str]:
    """Problems with bundled/libs/cp3XX/ of one .vsix (empty: a complete bundle)."""
    minor = py.split(".")[1]
    plat_re, marker_env, ext_re = TARGETS[target]
    libs = f"extension/bundled/libs/cp3{minor}/"
    dists = dist_infos(zf, libs)
    problems: list[str] = []
    if "harvester-glossary-ls" not in dists:
        return [f"{libs}: no harvester-glossary-ls"]
    if dists["harvester-glossary-ls"]["version"] != VERSION:
        problems.append(
            f"{libs}: harvester-glossary-ls {dists['harvester-glossary-ls']['version']}"
        )
    env = {
        **marker_env,
        "python_version": py,
        "python_full_version": f"{py}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "os_name": "nt" if target.startswith("win32") else "posix",
        "extra": "",
    }
    # Every requirement, transitively, is present in a version that satisfies it.
    todo, seen = ["harvester-glossary-ls"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in dists[name]["requires"]:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            dep = canonicalize_name(req.name)
            if dep not in dists:
                problems.append(f"{libs}: {name} needs {spec}, which is missing")
            elif not req.specifier.contains(dists[dep]["version"], prereleases=True):
                problems.append(f"{libs}: {name} needs {spec}, has {dists[dep]['version']}")
            else:
                todo.append(dep)
    # Every wheel fits this CPython and platform; native ones are built for exactly this version.
    for name, d in dists.items():
        fits = [
            t
            for t in d["tags"]
            if t.interpreter in {"py3", f"py3{minor}", f"cp3{minor}"}
            or (t.abi == "abi3" and t.interpreter.startswith("cp3"))
        ]
        fits = [t for t in fits if t.abi in {"none", f"cp3{minor}", "abi3"}]
        fits = [t for t in fits if t.platform == "any" or re.fullmatch(plat_re, t.platform)]
        if not fits:
            problems.append(f"{libs}: {name} wheel tags {sorted(map(str, d['tags']))} do not fit")
        if name in NATIVE:
            if all(t.platform == "any" for t in fits):
                problems.append(f"{libs}: {name} is not a platform wheel")
            exts = [p for p in d["record"] if p.endswith((".so", ".pyd"))]
            wrong = [p for p in exts if not re.search(ext_re.format(m=minor), p)]
            if not exts or wrong:
                problems.append(f"{libs}: {name} extension modules {wrong or 'missing'}")
    unused = set(dists) - seen
    if unused:
        problems.append(f"{libs}: unexpected distributions {sorted(unused)}")
    return problems


@pytest.mark.parametrize("target", list(TARGETS))
def test_vsix_holds_the_server_for_every_python(release_dist: dict[str, Any], target: str) -> None:
    vsix = vsix_path(target)
    with zipfile.ZipFile(vsix) as zf:
        names = set(zf.namelist())
        assert "extension/dist/extension.js" in names
        assert "extension/bundled/launch.py" in names
        manifest = json.loads(zf.read("extension/bundled/manifest.json"))
        assert manifest["target"] == target
        assert manifest["serverVersion"] == VERSION
        assert manifest["missing"] == {}, f"wheels missing on PyPI: {manifest['missing']}"
        assert manifest["pythons"] == {p: f"libs/cp{p.replace('.', '')}" for p in PYTHONS}
        assert f'TargetPlatform="{target}"' in zf.read("extension.vsixmanifest").decode()
        problems = [p for py in PYTHONS for p in check_python_bundle(zf, target, py)]
        # the shipped glossary is inside the package, and nothing compiled on this machine is
        assert any(n.endswith("/harvester_glossary_ls/_glossary/harvester-v1.7.md") for n in names)
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not problems, "\n".join(problems)
    size = vsix.stat().st_size
    report(f"vsix-{target}", {"bytes": size, "mb": round(size / 1e6, 1)})
    assert 2e6 < size < 60e6, size


def test_sdist_and_wheel_carry_urls_and_classifiers(release_dist: dict[str, Any]) -> None:
    wheel = DIST / f"harvester_glossary_ls-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read(f"harvester_glossary_ls-{VERSION}.dist-info/METADATA").decode()
    msg = email.parser.Parser().parsestr(meta)
    urls = dict(u.split(", ", 1) for u in msg.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues"} <= set(urls), urls
    assert all(u.startswith("https://") for u in urls.values())
    classifiers = msg.get_all("Classifier") or []
    for py in PYTHONS:
        assert f"Programming Language :: Python :: {py}" in classifiers
    assert (DIST / f"harvester_glossary_ls-{VERSION}.tar.gz").stat().st_size > 10_000


# --- real code-server with the bundled server ------------------------------------------------

SYSTEM_PYTHON = Path("/usr/bin/python3")
SYSTEM_PATH = "/usr/bin:/bin"


def system_python() -> str:
    """/usr/bin/python3, checked to be 3.10+ and to have neither the server nor pygls."""
    if not SYSTEM_PYTHON.exists():
        missing(f"{SYSTEM_PYTHON} not found: the bundled-server test runs the system Python")
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    version = probe.stdout.strip()
    if tuple(int(x) for x in version.split(".")) < (3, 10):
        missing(f"{SYSTEM_PYTHON} is Python {version}; the bundled server needs 3.10+")
    for module in ("harvester_glossary_ls", "pygls"):
        imp = subprocess.run([str(SYSTEM_PYTHON), "-c", f"import {module}"], capture_output=True)
        assert imp.returncode != 0, f"{SYSTEM_PYTHON} can import {module}: not a bundle-only test"
    for d in SYSTEM_PATH.split(os.pathsep):
        assert not (Path(d) / "harvester-glossary-ls").exists(), f"{d} has a server"
    return version


def clean_env(path: str) -> dict[str, str]:
    """This process's environment without any virtualenv or Python settings, with `path`."""
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX", "PYENV_VERSION", "UV_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PATH"] = path
    # VS Code would otherwise replace the extension host's environment with a login shell's
    # (~/.bashrc's pyenv shims and all); launched "from the CLI" it keeps this one.
    env["VSCODE_CLI"] = "1"
    return env


def run_bundled(
    tmp_path: Path, name: str, env: dict[str, str], machine: dict[str, Any]
) -> dict[str, Any]:
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        missing(f"the code-server test installs the linux-x64 .vsix; this is {platform.machine()}")
    workdir = tmp_path / "work"
    shutil.copytree(FIXTURES, workdir)
    vsix = vsix_path("linux-x64")
    with code_server(tmp_path, workdir, None, vsix=vsix, machine_settings=machine, env=env) as cs:
        exts = [p.name for p in (tmp_path / "cs-ext").iterdir() if p.is_dir()]
        result = drive(cs, workdir, E2E / "results" / name)
    report(name, result)
    result["extensions"] = exts
    return with_context(result, cs["data"])


@pytest.fixture(scope="module")
def bundled_run(
    release_dist: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    version = system_python()
    r = run_bundled(
        tmp_path_factory.mktemp("vscode-bundled"), "vscode-bundled", clean_env(SYSTEM_PATH), {}
    )
    r["system_python"] = version
    return r


@pytest.fixture(scope="module")
def env_run(
    release_dist: dict[str, Any],
    server_cmd: list[str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    if len(server_cmd) != 1:
        missing(f"the venv's console script is needed on PATH (server command: {server_cmd})")
    venv_bin = Path(server_cmd[0]).parent
    machine = {"harvesterGlossary.server.preferEnvironment": True}
    r = run_bundled(
        tmp_path_factory.mktemp("vscode-env"),
        "vscode-prefer-env",
        clean_env(f"{venv_bin}{os.pathsep}{SYSTEM_PATH}"),
        machine,
    )
    r["server"] = server_cmd[0]
    return r


def check_features(r: dict[str, Any]) -> None:
    for step in ("open", "diagnostic", "hover", "completion", "notifications"):
        assert not errors(r, step), r["context"]
    assert "'harvester-mgmt' is deprecated" in r["diagnostic_hover"], r["context"]
    assert "Group of integrated Kubernetes worker machines" in r["hover_text"], r["context"]
    assert r["completed_line"] == "VM migration network", r["context"]
    assert r["notifications"] == [], r["context"]


@pytest.mark.editor
def test_bundled_server_answers_in_code_server(bundled_run: dict[str, Any]) -> None:
    r = bundled_run
    # the only extension installed is ours: no Python extension
    assert len(r["extensions"]) == 1, r["extensions"]
    assert r["extensions"][0].startswith("harvester-glossary.harvester-glossary-ls-")
    check_features(r)
    py = r["system_python"]
    started = re.search(r"Starting (\S+) -I (\S+launch\.py) \(from ([^\n]+)\)", r["channel"])
    assert started, r["context"]
    assert started.group(1) == str(SYSTEM_PYTHON), r["context"]
    assert (
        f"bundled server {VERSION} (linux-x64) with Python {py} at {SYSTEM_PYTHON}, from PATH"
        in (started.group(3))
    ), r["context"]


@pytest.mark.editor
def test_prefer_environment_uses_the_venv_server_in_code_server(env_run: dict[str, Any]) -> None:
    r = env_run
    check_features(r)
    started = re.search(r"Starting (\S+)\s+\(from ([^\n]+)\)", r["channel"])
    assert started, r["context"]
    assert started.groups() == (r["server"], "environment: PATH"), r["context"]
    assert "bundled server" not in r["channel"], r["context"]


def local_python(version: str) -> str | None:
    """A CPython `version` interpreter on this machine (PATH or pyenv), if there is one."""
    home = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [shutil.which(f"python{version}"), str(SYSTEM_PYTHON)]
    candidates += [str(p) for p in sorted(home.glob(f"versions/{version}.*/bin/python{version}"))]
    for c in filter(None, candidates):
        proc = subprocess.run(
            [c, "-c", "import sys; print('%d.%d' % sys.version_info[:2], sys.implementation.name)"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if proc.returncode == 0 and proc.stdout.split() == [version, "cpython"]:
            return c
    return None


@pytest.mark.parametrize("version", PYTHONS)
def test_bundled_server_starts_with_each_local_python(
    release_dist: dict[str, Any], version: str, tmp_path: Path
) -> None:
    """The linux-x64 bundle, unzipped, runs through launch.py in isolated mode (as the extension
    starts it) and imports the whole language server (pygls and the backports its dependencies
    need on that version) with each CPython version this machine has."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip(f"the linux-x64 bundle does not run on {platform.machine()}")
    python = local_python(version)
    if python is None:
        pytest.skip(f"no CPython {version} on this machine (PATH or pyenv)")
    with zipfile.ZipFile(vsix_path("linux-x64")) as zf:
        members = [n for n in zf.namelist() if n.startswith("extension/bundled/")]
        zf.extractall(tmp_path, members)
    launch = tmp_path / "extension" / "bundled" / "launch.py"
    proc = subprocess.run(
        [python, "-I", str(launch), "define", "guest cluster"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(SYSTEM_PATH),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("guest cluster"), proc.stdout[-2000:]
    # the whole server imports (pygls, lsprotocol, cattrs and their version-specific backports)
    code = "import harvester_glossary_ls.lsp.server, yaml, rapidfuzz, ahocorasick; print('ok')"
    libs = tmp_path / "extension" / "bundled" / "libs" / f"cp{version.replace('.', '')}"
    imp = subprocess.run(
        [python, "-I", "-c", f"import sys; sys.path.insert(0, {str(libs)!r}); {code}"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(SYSTEM_PATH),
    )
    assert imp.stdout.strip() == "ok", imp.stderr[-3000:]
