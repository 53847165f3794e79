"""The wheel works on its own: build it, install it into a brand-new venv (no system site
packages; dependencies from the package index) and run the console script from there, outside
the repository, so the only glossary it can find is the one shipped inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.glossary_testkit import FIXTURES, REPO

pytestmark = pytest.mark.slow
NETWORK_ERRORS = ("NewConnectionError", "Temporary failure in name resolution",
                  "No matching distribution found", "Network is unreachable")


def _env() -> dict[str, str]:
    """The environment without anything that would leak the development install in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=_env())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with only the wheel (and its dependencies) installed."""
    work = tmp_path_factory.mktemp("packaging")
    dist = work / "dist"
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                 cwd=work)
    if built.returncode != 0 and any(e in built.stdout + built.stderr for e in NETWORK_ERRORS):
        pytest.skip("no package index reachable to build the wheel")
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("harvester_glossary_ls-*.whl")
    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=work)
    assert made.returncode == 0, made.stderr
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    pip = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
               cwd=work)
    if pip.returncode != 0 and any(e in pip.stdout + pip.stderr for e in NETWORK_ERRORS):
        pytest.skip("no package index reachable to install the dependencies")
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return venv / "bin"


def test_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = ("import harvester_glossary_ls, sys\n"
            "from harvester_glossary_ls.engine.shipped import embedded_dir\n"
            "print(harvester_glossary_ls.__file__)\nprint(embedded_dir())")
    result = _run([str(installed / "python"), "-c", code], cwd=tmp_path)
    module, glossary = result.stdout.splitlines()
    venv = str(installed.parent)
    assert module.startswith(venv), module
    assert glossary.startswith(venv) and glossary.endswith("_glossary"), glossary
    assert not module.startswith(str(REPO))


def test_terms_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = _run([str(installed / "harvester-glossary-ls"), "terms", "--format", "json"],
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    page = [d for d in data
            if d["url"].startswith("https://docs.harvesterhci.io/v1.7/getting-started/glossary#")]
    assert len(page) == 15
    assert sum(1 + len(d["aliases"]) for d in page) == 17
    mgmt = next(d for d in data if d["term"] == "mgmt")
    assert mgmt["deprecated"][0]["form"] == "harvester-mgmt"  # the overlay is shipped too
    live = next(d for d in data if d["term"] == "live migration")
    assert live["links"] and all(u.startswith("https://docs.harvesterhci.io/") for u in
                                 live["links"])


def test_check_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text((FIXTURES / "cli" / "findings.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = _run([str(installed / "harvester-glossary-ls"), "check", "page.md"], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert ("page.md:7:9: warning [deprecated-term] 'harvester-mgmt' is deprecated since v1.1: "
            "use 'mgmt'") in result.stdout.splitlines()
    clean = _run([str(installed / "harvester-glossary-ls"), "check",
                  str(FIXTURES / "cli" / "clean.md")], cwd=tmp_path)
    assert clean.returncode == 0 and clean.stdout == ""


def test_define_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = _run([str(installed / "harvester-glossary-ls"), "define", "guest", "node"],
                  cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == ["guest node", "  also: guest cluster node"]
