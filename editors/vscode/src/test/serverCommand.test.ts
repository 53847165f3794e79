// Unit tests of the server lookup (no VS Code needed): `npm test`.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import {
  BundleManifest,
  expandPath,
  INSTALL_PYTHON,
  isError,
  Lookup,
  probePython,
  PythonInfo,
  resolveServerCommand,
  ServerCommand,
  ServerCommandError,
  which,
} from "../serverCommand";

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "hgls-ext-"));
}

function executable(dir: string, name: string, body = "#!/bin/sh\nexit 0\n"): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, body, { mode: 0o755 });
  return p;
}

/** A `bundled/` folder as release.py writes it: launch.py, manifest.json, libs/cp3XX/. */
function bundle(pythons = ["3.10", "3.11", "3.12", "3.13", "3.14"], missing: Record<string, string> = {}): string {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, "launch.py"), "");
  const manifest: BundleManifest = {
    target: "linux-x64",
    serverVersion: "0.1.0",
    pythons: Object.fromEntries(pythons.map((v) => [v, `libs/cp${v.replace(".", "")}`])),
    missing,
  };
  for (const rel of Object.values(manifest.pythons)) fs.mkdirSync(path.join(dir, rel), { recursive: true });
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

/** Interpreters by command path: their version (or a reason they cannot run). */
function fakeProbe(pythons: Record<string, [number, number, string?] | string>) {
  const asked: string[] = [];
  const probe = async (command: string, args: string[]): Promise<PythonInfo | string> => {
    asked.push([command, ...args].join(" "));
    const v = pythons[command];
    if (v === undefined) return "could not be run (not a test interpreter)";
    if (typeof v === "string") return v;
    return { executable: `${command}-real`, major: v[0], minor: v[1], implementation: v[2] ?? "cpython" };
  };
  return { probe, asked };
}

function lookup(over: Partial<Lookup>): Lookup {
  return { serverPath: "", pythonPath: "", log: () => undefined, env: { PATH: "" }, platform: "linux", ...over };
}

function ok(r: ServerCommand | ServerCommandError): ServerCommand {
  assert.ok(!isError(r), isError(r) ? r.message : "");
  return r;
}

function err(r: ServerCommand | ServerCommandError): ServerCommandError {
  assert.ok(isError(r), `expected an error, got ${JSON.stringify(r)}`);
  // The package is on no package index: no message may send the user to one.
  assert.doesNotMatch(r.message, /pip install harvester|pypi|python -m pip/i);
  return r;
}

test("server.path wins over everything, the bundle included", async () => {
  const dir = tmpdir();
  const exe = executable(dir, "harvester-glossary-ls");
  const onPath = tmpdir();
  executable(onPath, "harvester-glossary-ls");
  const py = executable(onPath, "python3");
  const r = ok(await resolveServerCommand(lookup({
    serverPath: exe, bundleDir: bundle(), env: { PATH: onPath }, probe: fakeProbe({ [py]: [3, 12] }).probe,
  })));
  assert.equal(r.command, exe);
  assert.deepEqual(r.args, []);
  assert.equal(r.bundled, false);
});

test("a server.path that does not exist is an error naming the setting, without an install command", async () => {
  const r = err(await resolveServerCommand(lookup({ serverPath: "/nonexistent/harvester-glossary-ls", bundleDir: bundle() })));
  assert.match(r.message, /harvesterGlossary\.server\.path/);
  assert.equal(r.kind, "setting");
});

test("server.path relative to the workspace folder and with ${workspaceFolder}", async () => {
  const ws = tmpdir();
  fs.mkdirSync(path.join(ws, ".venv", "bin"), { recursive: true });
  const exe = executable(path.join(ws, ".venv", "bin"), "harvester-glossary-ls");
  for (const setting of [".venv/bin/harvester-glossary-ls", "${workspaceFolder}/.venv/bin/harvester-glossary-ls"]) {
    const r = ok(await resolveServerCommand(lookup({ serverPath: setting, workspaceFolder: ws })));
    assert.equal(r.command, exe, setting);
  }
  assert.equal(expandPath("~/x"), path.join(os.homedir(), "x"));
});

test("bundled: python3 on PATH runs launch.py in isolated mode, by the interpreter's real path", async () => {
  const onPath = tmpdir();
  const py = executable(onPath, "python3");
  const dir = bundle();
  const logs: string[] = [];
  const r = ok(await resolveServerCommand(lookup({
    bundleDir: dir, env: { PATH: onPath }, probe: fakeProbe({ [py]: [3, 11] }).probe, log: (l) => logs.push(l),
  })));
  assert.equal(r.command, `${py}-real`);
  assert.deepEqual(r.args, ["-I", path.join(dir, "launch.py")]);
  assert.equal(r.bundled, true);
  assert.match(r.source, /bundled server 0\.1\.0 \(linux-x64\) with Python 3\.11 .* from PATH/);
});

test("bundled: the Python extension's interpreter comes before PATH", async () => {
  const onPath = tmpdir();
  const py = executable(onPath, "python3");
  const { probe } = fakeProbe({ "/envs/sel/bin/python": [3, 13], [py]: [3, 11] });
  const r = ok(await resolveServerCommand(lookup({
    bundleDir: bundle(), env: { PATH: onPath }, probe, selectedPython: async () => "/envs/sel/bin/python",
  })));
  assert.equal(r.command, "/envs/sel/bin/python-real");
  assert.match(r.source, /Python extension/);
});

test("bundled: an interpreter that is too old is skipped for the next one, and the reason logged", async () => {
  const onPath = tmpdir();
  const py3 = executable(onPath, "python3");
  const py = executable(onPath, "python");
  const logs: string[] = [];
  const r = ok(await resolveServerCommand(lookup({
    bundleDir: bundle(), env: { PATH: onPath }, log: (l) => logs.push(l),
    probe: fakeProbe({ "/old/python": [3, 9], [py3]: [3, 8], [py]: [3, 12] }).probe,
    selectedPython: async () => "/old/python",
  })));
  assert.equal(r.command, `${py}-real`);
  assert.match(logs.join("\n"), /\/old\/python .*Python 3\.9, too old/);
  assert.match(logs.join("\n"), /Python 3\.8, too old/);
});

test("server.pythonPath is tried first, and when unusable it is an error naming the setting", async () => {
  const dir = tmpdir();
  const set = executable(dir, "python-set");
  const onPath = tmpdir();
  const py = executable(onPath, "python3");
  let r: ServerCommand | ServerCommandError = await resolveServerCommand(lookup({
    pythonPath: set, bundleDir: bundle(), env: { PATH: onPath }, probe: fakeProbe({ [set]: [3, 10], [py]: [3, 12] }).probe,
  }));
  assert.equal(ok(r).command, `${set}-real`);
  assert.match(ok(r).source, /setting harvesterGlossary\.server\.pythonPath/);
  r = err(await resolveServerCommand(lookup({
    pythonPath: set, bundleDir: bundle(), env: { PATH: onPath }, probe: fakeProbe({ [set]: [3, 8], [py]: [3, 12] }).probe,
  })));
  assert.equal(r.kind, "setting");
  assert.match(r.message, /harvesterGlossary\.server\.pythonPath/);
  assert.match(r.message, /Python 3\.8, too old/);
  assert.ok(r.message.includes(INSTALL_PYTHON));
  r = err(await resolveServerCommand(lookup({ pythonPath: "/nonexistent/python", bundleDir: bundle() })));
  assert.match(r.message, /no interpreter was found there/);
});

test("no Python at all: says exactly what to install", async () => {
  const r = err(await resolveServerCommand(lookup({ bundleDir: bundle(), env: { PATH: tmpdir() } })));
  assert.equal(r.kind, "noPython");
  assert.match(r.message, /Install Python 3\.10 or newer from python\.org or your package manager/);
  assert.match(r.message, /No python3, python or py was found on PATH/);
});

test("only an old or non-CPython interpreter: the message lists what was found and what to install", async () => {
  const onPath = tmpdir();
  const py3 = executable(onPath, "python3");
  const py = executable(onPath, "python");
  const r = err(await resolveServerCommand(lookup({
    bundleDir: bundle(), env: { PATH: onPath }, probe: fakeProbe({ [py3]: [3, 9], [py]: [3, 11, "pypy"] }).probe,
  })));
  assert.equal(r.kind, "noPython");
  assert.match(r.message, /python3 is Python 3\.9, too old/);
  assert.match(r.message, /is pypy 3\.11; the bundled server needs CPython/);
  assert.ok(r.message.includes(INSTALL_PYTHON));
});

test("a Python version the .vsix has no wheels for: the message says what is missing and which versions work", async () => {
  const onPath = tmpdir();
  const py3 = executable(onPath, "python3");
  const missing = { "3.14": "pyahocorasick publishes no wheel for CPython 3.14 on darwin-x64" };
  const dir = bundle(["3.10", "3.11", "3.12", "3.13"], missing);
  let r: ServerCommand | ServerCommandError = err(await resolveServerCommand(lookup({
    bundleDir: dir, env: { PATH: onPath }, probe: fakeProbe({ [py3]: [3, 14] }).probe,
  })));
  assert.match(r.message, /Python 3\.14, and this build of the extension \(linux-x64\) has no server for it: pyahocorasick publishes no wheel for CPython 3\.14/);
  assert.match(r.message, /it has one for Python 3\.10–3\.13/);
  assert.match(r.message, /Install Python 3\.10 or newer from python\.org or your package manager \(this build of the extension supports Python 3\.10–3\.13\)/);
  // a newer Python than the build knows
  r = err(await resolveServerCommand(lookup({ bundleDir: dir, env: { PATH: onPath }, probe: fakeProbe({ [py3]: [3, 15] }).probe })));
  assert.match(r.message, /Python 3\.15, and this build .* has no server for it; it has one for Python 3\.10–3\.13/);
  // with another usable interpreter, that one runs the server
  const py = executable(onPath, "python");
  r = ok(await resolveServerCommand(lookup({ bundleDir: dir, env: { PATH: onPath }, probe: fakeProbe({ [py3]: [3, 14], [py]: [3, 12] }).probe })));
  assert.equal(r.command, `${py}-real`);
});

test("Windows: `py -3` is asked first", async () => {
  const onPath = tmpdir();
  const pyLauncher = executable(onPath, "py");
  executable(onPath, "python");
  const { probe, asked } = fakeProbe({ [pyLauncher]: [3, 12] });
  const r = ok(await resolveServerCommand(lookup({ bundleDir: bundle(), env: { PATH: onPath, PATHEXT: ".EXE" }, probe, platform: "win32" })));
  assert.equal(r.command, `${pyLauncher}-real`);
  assert.deepEqual(asked, [`${pyLauncher} -3`]);
});

test("preferEnvironment: a server on PATH is used instead of the bundle", async () => {
  const onPath = tmpdir();
  const exe = executable(onPath, "harvester-glossary-ls");
  const py = executable(onPath, "python3");
  const r = ok(await resolveServerCommand(lookup({
    preferEnvironment: true, bundleDir: bundle(), env: { PATH: onPath }, probe: fakeProbe({ [py]: [3, 12] }).probe,
  })));
  assert.equal(r.command, exe);
  assert.equal(r.bundled, false);
  assert.equal(r.source, "environment: PATH");
});

test("preferEnvironment: pythonPath or the selected interpreter with the package runs -m harvester_glossary_ls", async () => {
  const dir = tmpdir();
  const set = executable(dir, "python3");
  let r = ok(await resolveServerCommand(lookup({
    preferEnvironment: true, pythonPath: set, bundleDir: bundle(), hasModule: async (p) => p === set,
  })));
  assert.equal(r.command, set);
  assert.deepEqual(r.args, ["-m", "harvester_glossary_ls"]);
  r = ok(await resolveServerCommand(lookup({
    preferEnvironment: true, bundleDir: bundle(), selectedPython: async () => "/envs/sel/bin/python",
    hasModule: async (p) => p === "/envs/sel/bin/python",
  })));
  assert.equal(r.command, "/envs/sel/bin/python");
  assert.match(r.source, /environment: the Python extension's interpreter/);
});

test("preferEnvironment without a server in the environment falls back to the bundle, and says why", async () => {
  const onPath = tmpdir();
  const py = executable(onPath, "python3");
  const logs: string[] = [];
  const r = ok(await resolveServerCommand(lookup({
    preferEnvironment: true, bundleDir: bundle(), env: { PATH: onPath }, log: (l) => logs.push(l),
    probe: fakeProbe({ [py]: [3, 12] }).probe, selectedPython: async () => "/envs/sel/bin/python", hasModule: async () => false,
  })));
  assert.equal(r.bundled, true);
  assert.match(logs.join("\n"), /preferEnvironment: no server in the environment \(.*has no 'harvester_glossary_ls'.*no 'harvester-glossary-ls' on PATH\); using the bundled one/);
});

test("a build without a bundle uses the environment, and otherwise says how to get a server without a package index", async () => {
  const onPath = tmpdir();
  const exe = executable(onPath, "harvester-glossary-ls");
  const r = ok(await resolveServerCommand(lookup({ bundleDir: tmpdir(), env: { PATH: onPath } })));
  assert.equal(r.command, exe);
  const e = err(await resolveServerCommand(lookup({ bundleDir: path.join(tmpdir(), "nope"), env: { PATH: tmpdir() } })));
  assert.equal(e.kind, "notFound");
  assert.match(e.message, /no bundled server/);
  assert.match(e.message, /pipx install git\+<repository URL>/);
  assert.match(e.message, /\.vsix built for your platform/);
  assert.equal(which("harvester-glossary-ls", { PATH: "" }), undefined);
});

test("probePython asks the interpreter for its real path, version and implementation", { skip: process.platform === "win32" }, async () => {
  const dir = tmpdir();
  const good = executable(dir, "python3", '#!/bin/sh\necho \'["/opt/py/bin/python3.12", 3, 12, "cpython"]\'\n');
  const bad = executable(dir, "python-broken", "#!/bin/sh\necho 'boom' >&2\nexit 1\n");
  assert.deepEqual(await probePython(good, []), { executable: "/opt/py/bin/python3.12", major: 3, minor: 12, implementation: "cpython" });
  assert.match(String(await probePython(bad, [])), /could not be run \(boom\)/);
  assert.match(String(await probePython(path.join(dir, "missing"), [])), /could not be run/);
});
