// Unit tests of the server lookup order (no VS Code needed): `npm test`.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { expandPath, isError, Lookup, resolveServerCommand, which } from "../serverCommand";

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "hgls-ext-"));
}

function executable(dir: string, name: string, body = "#!/bin/sh\nexit 0\n"): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, body, { mode: 0o755 });
  return p;
}

function lookup(over: Partial<Lookup>): Lookup {
  return { serverPath: "", pythonPath: "", log: () => undefined, env: { PATH: "" }, ...over };
}

test("server.path wins over everything", async () => {
  const dir = tmpdir();
  const exe = executable(dir, "harvester-glossary-ls");
  const onPath = tmpdir();
  executable(onPath, "harvester-glossary-ls");
  const r = await resolveServerCommand(lookup({ serverPath: exe, env: { PATH: onPath } }));
  assert.ok(!isError(r));
  assert.equal(r.command, exe);
  assert.deepEqual(r.args, []);
});

test("a server.path that does not exist is an error naming the setting and the install command", async () => {
  const r = await resolveServerCommand(lookup({ serverPath: "/nonexistent/harvester-glossary-ls" }));
  assert.ok(isError(r));
  assert.match(r.message, /harvesterGlossary\.server\.path/);
  assert.match(r.message, /pip install harvester-glossary-ls/);
});

test("server.path relative to the workspace folder and with ${workspaceFolder}", async () => {
  const ws = tmpdir();
  fs.mkdirSync(path.join(ws, ".venv", "bin"), { recursive: true });
  const exe = executable(path.join(ws, ".venv", "bin"), "harvester-glossary-ls");
  for (const setting of [".venv/bin/harvester-glossary-ls", "${workspaceFolder}/.venv/bin/harvester-glossary-ls"]) {
    const r = await resolveServerCommand(lookup({ serverPath: setting, workspaceFolder: ws }));
    assert.ok(!isError(r), setting);
    assert.equal(r.command, exe);
  }
  assert.equal(expandPath("~/x"), path.join(os.homedir(), "x"));
});

test("pythonPath runs -m harvester_glossary_ls when the module imports", async () => {
  const dir = tmpdir();
  const python = executable(dir, "python3"); // exits 0: "import works"
  const r = await resolveServerCommand(lookup({ pythonPath: python }));
  assert.ok(!isError(r));
  assert.equal(r.command, python);
  assert.deepEqual(r.args, ["-m", "harvester_glossary_ls"]);
});

test("pythonPath without the module is an error with the pip command for that interpreter", async () => {
  const dir = tmpdir();
  const python = executable(dir, "python3", "#!/bin/sh\nexit 1\n");
  const r = await resolveServerCommand(lookup({ pythonPath: python }));
  assert.ok(isError(r));
  assert.match(r.message, new RegExp(`${python.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} -m pip install harvester-glossary-ls`));
});

test("the selected Python environment comes before PATH, and is skipped without the module", async () => {
  const dir = tmpdir();
  const good = executable(dir, "good-python");
  const bad = executable(dir, "bad-python", "#!/bin/sh\nexit 1\n");
  const onPath = tmpdir();
  const exe = executable(onPath, "harvester-glossary-ls");
  let r = await resolveServerCommand(lookup({ selectedPython: async () => good, env: { PATH: onPath } }));
  assert.ok(!isError(r));
  assert.equal(r.command, good);
  const logs: string[] = [];
  r = await resolveServerCommand(lookup({ selectedPython: async () => bad, env: { PATH: onPath }, log: (l) => logs.push(l) }));
  assert.ok(!isError(r));
  assert.equal(r.command, exe);
  assert.match(logs.join("\n"), /has no 'harvester_glossary_ls'/);
});

test("nothing found: the error names pip and pipx", async () => {
  const r = await resolveServerCommand(lookup({ env: { PATH: tmpdir() } }));
  assert.ok(isError(r));
  assert.match(r.message, /pip install harvester-glossary-ls/);
  assert.match(r.message, /pipx install harvester-glossary-ls/);
  assert.equal(which("harvester-glossary-ls", { PATH: "" }), undefined);
});
