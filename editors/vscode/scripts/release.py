#!/usr/bin/env python3
"""Build a release into dist/ at the repository root, in one command:

    python editors/vscode/scripts/release.py [--targets linux-x64,...] [--pythons 3.10,...]

1. the sdist and the wheel of the Python package (`python -m build`);
2. one VS Code extension per platform (`harvester-glossary-ls-<target>-<version>.vsix`), each
   carrying the server: for every CPython 3.10 to 3.14 a folder `bundled/libs/cp3XX/` holding our
   wheel and its dependencies' wheels for that platform, unpacked with
   `pip install --target --platform --python-version --implementation cp --only-binary=:all:`
   (the layout of Microsoft's vscode-python-tools-extension-template, `bundled/libs`, made per
   platform and per Python version as ruff-vscode's platform builds are). The extension starts
   `bundled/launch.py` with the user's interpreter, which puts its own version's folder first on
   sys.path.

A wheel that PyPI does not have for some platform and Python version does not stop the build: the
version is left out of that .vsix and recorded in its `bundled/manifest.json` (the extension then
tells the user which Python versions that build supports and what is missing); the script lists
such gaps at the end and exits 3 with `--strict`.

Needs Python 3.10+ with pip and `build` (pip install -e '.[test]' has both), Node and npm
(`npm ci` in editors/vscode is run when node_modules is missing), and access to PyPI.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EXT = ROOT / "editors" / "vscode"
DIST = ROOT / "dist"
STAGE = ROOT / "build" / "vscode-bundles"
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")

# VS Code target -> the wheel platform tags pip may pick for it (newest first). Linux needs
# manylinux_2_28 for rapidfuzz 3.14 (glibc 2.28+); macOS takes universal2 wheels too.
TARGETS: dict[str, list[str]] = {
    "linux-x64": [
        "manylinux_2_28_x86_64",
        "manylinux_2_27_x86_64",
        "manylinux_2_17_x86_64",
        "manylinux2014_x86_64",
    ],
    "linux-arm64": [
        "manylinux_2_28_aarch64",
        "manylinux_2_27_aarch64",
        "manylinux_2_17_aarch64",
        "manylinux2014_aarch64",
    ],
    "darwin-x64": [
        f"macosx_{v}_{arch}"
        for v in ("11_0", "10_15", "10_14", "10_13", "10_12", "10_9")
        for arch in ("x86_64", "universal2", "intel")
    ],
    "darwin-arm64": [
        f"macosx_{v}_{arch}"
        for v in ("11_0", "10_15", "10_13", "10_9")
        for arch in ("arm64", "universal2")
        if not (arch == "arm64" and v != "11_0")
    ],
    "win32-x64": ["win_amd64"],
}


def log(msg: str) -> None:
    print(f"[release] {msg}", flush=True)


def run(cmd: list[str], cwd: Path = ROOT, **kw: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, text=True, capture_output=True, **kw)  # type: ignore[call-overload]
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"[release] failed ({proc.returncode}): {' '.join(cmd)}")
    return proc  # type: ignore[no-any-return]


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text()
    m = re.search(r'^version = "([^"]+)"', text, re.M)
    assert m, "no version in pyproject.toml"
    return m.group(1)


def build_python(ver: str) -> Path:
    for old in DIST.glob("harvester_glossary_ls-*"):
        old.unlink()
    log("python -m build (sdist + wheel)")
    run([sys.executable, "-m", "build", "--outdir", str(DIST), str(ROOT)])
    wheel = DIST / f"harvester_glossary_ls-{ver}-py3-none-any.whl"
    assert wheel.exists() and (DIST / f"harvester_glossary_ls-{ver}.tar.gz").exists()
    return wheel


def missing_from(pip_output: str) -> str:
    """The package pip could not find a wheel for, from its error text."""
    m = re.search(r"No matching distribution found for ([A-Za-z0-9_.\-]+)", pip_output)
    return m.group(1) if m else "a dependency"


# Environment markers of each target: pip evaluates a dependency's markers for the interpreter
# running pip, not for --python-version/--platform, so the bundle is completed by hand.
MARKERS: dict[str, dict[str, str]] = {
    "linux-x64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
    },
    "linux-arm64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "aarch64",
    },
    "darwin-x64": {
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "platform_machine": "x86_64",
    },
    "darwin-arm64": {
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "platform_machine": "arm64",
    },
    "win32-x64": {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "platform_machine": "AMD64",
    },
}


def marker_env(target: str, py: str) -> dict[str, str]:
    return {
        **MARKERS[target],
        "python_version": py,
        "python_full_version": f"{py}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "os_name": "nt" if target.startswith("win32") else "posix",
        "extra": "",
    }


def installed(dest: Path) -> dict[str, tuple[str, list[str], Path]]:
    """canonical name -> (version, Requires-Dist, dist-info folder) of what is in dest."""
    from email.parser import Parser

    from packaging.utils import canonicalize_name

    out: dict[str, tuple[str, list[str], Path]] = {}
    for info in dest.glob("*.dist-info"):
        msg = Parser().parsestr((info / "METADATA").read_text(encoding="utf-8"))
        out[canonicalize_name(msg["Name"])] = (
            msg["Version"],
            msg.get_all("Requires-Dist") or [],
            info,
        )
    return out


def unmet(dest: Path, env: dict[str, str]) -> tuple[list[str], set[str]]:
    """Requirements of harvester-glossary-ls (transitively, markers evaluated for env) that dest
    lacks, and the names of what it needs."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    have = installed(dest)
    todo, needed, lacking = ["harvester-glossary-ls"], set(), []
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        for spec in have[name][1]:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            dep = canonicalize_name(req.name)
            if dep not in have:
                lacking.append(f"{req.name}{req.specifier}")
            elif not req.specifier.contains(have[dep][0], prereleases=True):
                raise SystemExit(f"[release] {dest}: {name} needs {spec}, pip gave {have[dep][0]}")
            else:
                todo.append(dep)
    return lacking, needed


def prune(dest: Path, needed: set[str]) -> None:
    """Remove what pip installed only for the building interpreter's markers."""
    for name, (_, _, info) in installed(dest).items():
        if name in needed:
            continue
        for row in (info / "RECORD").read_text(encoding="utf-8").splitlines():
            path = dest / row.split(",", 1)[0]
            if path.is_file() and dest in path.resolve().parents:
                path.unlink()
        shutil.rmtree(info, ignore_errors=True)
    for d in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()


def bundle_one(wheel: Path, target: str, py: str) -> tuple[str, str, str | None]:
    """pip install --target for one (platform, Python); returns (target, py, missing or None)."""
    dest = STAGE / target / f"cp{py.replace('.', '')}"
    shutil.rmtree(dest, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--no-warn-script-location",
        "--target",
        str(dest),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        py,
    ]
    for tag in TARGETS[target]:
        cmd += ["--platform", tag]
    reqs = [str(wheel)]
    for _ in range(10):
        proc = subprocess.run([*cmd, *reqs], text=True, capture_output=True)
        if proc.returncode != 0:
            shutil.rmtree(dest, ignore_errors=True)
            what = missing_from(proc.stdout + proc.stderr)
            return target, py, f"{what} publishes no wheel for CPython {py} on {target}"
        # pip chose dependencies by this interpreter's markers: add what the target's need
        reqs, needed = unmet(dest, marker_env(target, py))
        if not reqs:
            break
        cmd = [*cmd, "--no-deps"] if "--no-deps" not in cmd else cmd
    else:
        raise SystemExit(f"[release] {dest}: requirements do not settle: {reqs}")
    prune(dest, needed)
    # Console scripts carry the build machine's interpreter path: the launcher replaces them.
    shutil.rmtree(dest / "bin", ignore_errors=True)
    for cache in dest.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    return target, py, None


def package_vsix(target: str, ver: str, pythons: list[str], gaps: dict[str, str]) -> Path:
    bundled = EXT / "bundled"
    libs = bundled / "libs"
    shutil.rmtree(libs, ignore_errors=True)
    libs.mkdir(parents=True)
    for py in pythons:
        tag = f"cp{py.replace('.', '')}"
        if py not in gaps:
            shutil.copytree(STAGE / target / tag, libs / tag)
    manifest = {
        "target": target,
        "serverVersion": ver,
        "pythons": {py: f"libs/cp{py.replace('.', '')}" for py in pythons if py not in gaps},
        "missing": gaps,
    }
    (bundled / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    out = DIST / f"harvester-glossary-ls-{target}-{ver}.vsix"
    out.unlink(missing_ok=True)
    npx = shutil.which("npx") or "npx"
    try:
        run(
            [
                npx,
                "--no-install",
                "vsce",
                "package",
                "--target",
                target,
                "--out",
                str(out),
                "--no-dependencies",
                "--skip-license",
            ],
            cwd=EXT,
            stdin=subprocess.DEVNULL,
        )
    finally:
        shutil.rmtree(libs, ignore_errors=True)
        (bundled / "manifest.json").unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--targets", default=",".join(TARGETS), help="comma-separated VS Code targets")
    ap.add_argument("--pythons", default=",".join(PYTHONS), help="comma-separated Python versions")
    ap.add_argument("--strict", action="store_true", help="exit 3 when a wheel is missing")
    args = ap.parse_args(argv)
    targets = [t for t in args.targets.split(",") if t]
    pythons = [p for p in args.pythons.split(",") if p]
    unknown = set(targets) - set(TARGETS)
    if unknown:
        ap.error(f"unknown targets {sorted(unknown)}; known: {', '.join(TARGETS)}")
    t0 = time.monotonic()
    ver = version()
    DIST.mkdir(exist_ok=True)
    wheel = build_python(ver)

    if not (EXT / "node_modules" / ".bin" / "vsce").exists():
        log("npm ci (editors/vscode)")
        run([shutil.which("npm") or "npm", "ci"], cwd=EXT, stdin=subprocess.DEVNULL)
    log("extension: typecheck + esbuild")
    run(
        [shutil.which("npm") or "npm", "run", "vscode:prepublish"],
        cwd=EXT,
        stdin=subprocess.DEVNULL,
    )

    log(f"bundling the server for {len(targets)} targets x {len(pythons)} Python versions")
    gaps: dict[str, dict[str, str]] = {t: {} for t in targets}
    with ThreadPoolExecutor(max_workers=3) as pool:
        for target, py, gap in pool.map(
            lambda tp: bundle_one(wheel, *tp), [(t, p) for t in targets for p in pythons]
        ):
            if gap:
                gaps[target][py] = gap
    for target in targets:
        out = package_vsix(target, ver, pythons, gaps[target])
        log(f"{out.relative_to(ROOT)}  {out.stat().st_size / 1e6:.1f} MB")
    log(f"dist/ ready in {time.monotonic() - t0:.0f} s")
    all_gaps = [g for t in targets for g in gaps[t].values()]
    for g in all_gaps:
        log(f"MISSING: {g}")
    return 3 if all_gaps and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
