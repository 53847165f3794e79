// Finding the harvester-glossary-ls server: no VS Code API in here except through the
// `Lookup` callbacks, so the order of the search is easy to read and to test.
//
// A platform build of the extension carries the server: `bundled/libs/cp3XX/` per CPython
// version (our wheel and its dependencies, unpacked) and `bundled/launch.py`, which the user's
// interpreter runs. Order:
//   1. `server.path` (an executable) when set;
//   2. with `server.preferEnvironment`: a server installed in the environment
//      (`server.pythonPath` or the Python extension's interpreter with the package, then
//      `harvester-glossary-ls` on PATH);
//   3. the bundled server, run by the first usable interpreter (CPython 3.10+ with a bundle for
//      its version): `server.pythonPath`, the Python extension's interpreter, `python3`/`python`
//      (`py -3` first on Windows) on PATH;
//   4. a build without a bundle falls back to 2.
// Messages never name a package index: the package is not published on one.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SERVER_EXECUTABLE = "harvester-glossary-ls";
export const SERVER_MODULE = "harvester_glossary_ls";
export const MIN_PYTHON: [number, number] = [3, 10];
/** The CPython versions a release bundles the server for (editors/vscode/scripts/release.py). */
export const BUNDLED_PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"];
export const INSTALL_PYTHON = "Install Python 3.10 or newer from python.org or your package manager";
export const PYTHON_DOWNLOAD_URL = "https://www.python.org/downloads/";
/** How to get a server without a bundle: no package index, the package is not on one. */
export const INSTALL_SERVER_HINT =
  "install the server from its git repository or a wheel (pipx install git+<repository URL>, " +
  "or pipx install <file>.whl; see the README), or install the .vsix built for your platform, which bundles it";

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from, for the output channel. */
  source: string;
  /** True when the server is the one bundled in the extension. */
  bundled: boolean;
}

export interface ServerCommandError {
  /** Shown to the user as an error notification. */
  message: string;
  /** `noPython`: offer to download Python; `setting`: offer to open the settings. */
  kind: "noPython" | "setting" | "notFound";
}

/** `bundled/manifest.json`, written by editors/vscode/scripts/release.py. */
export interface BundleManifest {
  target: string;
  serverVersion: string;
  /** "3.12" -> "libs/cp312", for every version this .vsix holds a complete bundle for. */
  pythons: Record<string, string>;
  /** "3.14" -> which wheel is not published for it on this platform. */
  missing: Record<string, string>;
}

export interface PythonInfo {
  executable: string;
  major: number;
  minor: number;
  implementation: string;
}

/** Runs `command args -c <script>` and reports the interpreter, or a reason it is not usable. */
export type ProbePython = (command: string, args: string[]) => Promise<PythonInfo | string>;

export interface Lookup {
  /** `harvesterGlossary.server.path` */
  serverPath: string;
  /** `harvesterGlossary.server.pythonPath` */
  pythonPath: string;
  /** `harvesterGlossary.server.preferEnvironment` */
  preferEnvironment?: boolean;
  /** The extension's `bundled/` folder (holding launch.py and manifest.json), if any. */
  bundleDir?: string;
  /** First workspace folder, for relative paths and `${workspaceFolder}`. */
  workspaceFolder?: string;
  /** Interpreter selected in the Python extension, if that extension is installed. */
  selectedPython?: () => Promise<string | undefined>;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Test seams: how interpreters are asked, whether one has the module, the OS. */
  probe?: ProbePython;
  hasModule?: (python: string) => Promise<boolean>;
  platform?: NodeJS.Platform;
}

export function expandPath(p: string, workspaceFolder?: string): string {
  let out = p.trim();
  if (workspaceFolder) out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  out = out.replace(/\$\{userHome\}/g, os.homedir());
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) out = path.join(os.homedir(), out.slice(1));
  if (!path.isAbsolute(out) && /[\\/]/.test(out) && workspaceFolder) out = path.resolve(workspaceFolder, out);
  return out;
}

function isExecutableFile(p: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `which`: the first executable called `name` on PATH (PATHEXT on Windows). */
export function which(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const exts = platform === "win32" ? ["", ...(env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

/** A configured command: an absolute/relative path, or a bare name looked up on PATH. */
function locate(configured: string, lookup: Lookup): string | undefined {
  const expanded = expandPath(configured, lookup.workspaceFolder);
  if (path.isAbsolute(expanded)) return isExecutableFile(expanded, lookup.platform) ? expanded : undefined;
  return which(expanded, lookup.env, lookup.platform);
}

export function hasModule(python: string, timeoutMs = 15000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ["-c", `import ${SERVER_MODULE}`], { timeout: timeoutMs }, (err) => resolve(!err));
  });
}

const PROBE_SCRIPT =
  "import sys, json; print(json.dumps([sys.executable, sys.version_info[0], sys.version_info[1], " +
  "getattr(getattr(sys, 'implementation', None), 'name', 'cpython')]))";

/** Asks the interpreter for its version, implementation and real path (`py -3` -> python.exe). */
export function probePython(command: string, args: string[], timeoutMs = 15000): Promise<PythonInfo | string> {
  return new Promise((resolve) => {
    execFile(command, [...args, "-c", PROBE_SCRIPT], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) {
        const detail = (String(stderr).trim().split("\n").pop() ?? "") || err.message;
        resolve(`could not be run (${detail.slice(0, 200)})`);
        return;
      }
      try {
        const [executable, major, minor, implementation] = JSON.parse(String(stdout).trim().split("\n").pop() ?? "");
        resolve({ executable: executable || command, major, minor, implementation });
      } catch {
        resolve(`did not report its version (printed '${String(stdout).slice(0, 80)}')`);
      }
    });
  });
}

export function readManifest(bundleDir: string | undefined): BundleManifest | undefined {
  if (!bundleDir) return undefined;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(bundleDir, "manifest.json"), "utf8")) as BundleManifest;
    return m && typeof m.pythons === "object" ? { ...m, missing: m.missing ?? {} } : undefined;
  } catch {
    return undefined;
  }
}

function versionRange(versions: string[]): string {
  const sorted = [...versions].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
  if (sorted.length === 0) return "none";
  return sorted.length === 1 ? sorted[0] : `${sorted[0]}–${sorted[sorted.length - 1]}`;
}

/** Why `info` cannot run the bundled server, or undefined when it can. */
export function bundleProblem(info: PythonInfo, manifest: BundleManifest, bundleDir: string): string | undefined {
  const version = `${info.major}.${info.minor}`;
  if (info.implementation !== "cpython") {
    return `is ${info.implementation} ${version}; the bundled server needs CPython`;
  }
  if (info.major < MIN_PYTHON[0] || (info.major === MIN_PYTHON[0] && info.minor < MIN_PYTHON[1])) {
    return `is Python ${version}, too old: the server needs Python 3.10 or newer`;
  }
  const have = Object.keys(manifest.pythons);
  const missing = manifest.missing[version];
  const rel = manifest.pythons[version];
  if (!rel || !fs.existsSync(path.join(bundleDir, rel))) {
    const why = missing ? `: ${missing}` : "";
    return (
      `is Python ${version}, and this build of the extension (${manifest.target}) has no server for it${why}; ` +
      `it has one for Python ${versionRange(have)}`
    );
  }
  return undefined;
}

interface Candidate {
  command: string;
  args: string[];
  from: string;
  explicit: boolean;
}

async function pythonCandidates(lookup: Lookup): Promise<Candidate[] | ServerCommandError> {
  const out: Candidate[] = [];
  if (lookup.pythonPath.trim()) {
    const python = locate(lookup.pythonPath, lookup);
    if (!python) {
      return {
        kind: "setting",
        message:
          `Harvester Glossary: 'harvesterGlossary.server.pythonPath' is '${lookup.pythonPath}', but no ` +
          `interpreter was found there. Fix or clear the setting.`,
      };
    }
    out.push({ command: python, args: [], from: "setting harvesterGlossary.server.pythonPath", explicit: true });
  }
  if (lookup.selectedPython) {
    try {
      const selected = await lookup.selectedPython();
      if (selected) out.push({ command: selected, args: [], from: "the Python extension's interpreter", explicit: false });
    } catch (e) {
      lookup.log(`Python extension: could not read the selected environment: ${String(e)}`);
    }
  }
  const names: [string, string[]][] =
    (lookup.platform ?? process.platform) === "win32"
      ? [["py", ["-3"]], ["python", []], ["python3", []]]
      : [["python3", []], ["python", []]];
  for (const [name, args] of names) {
    const found = which(name, lookup.env, lookup.platform);
    if (found) out.push({ command: found, args, from: "PATH", explicit: false });
  }
  return out;
}

/** The bundled server run by the first usable interpreter. */
async function bundledServer(
  lookup: Lookup,
  manifest: BundleManifest,
  bundleDir: string,
): Promise<ServerCommand | ServerCommandError> {
  const candidates = await pythonCandidates(lookup);
  if (!Array.isArray(candidates)) return candidates;
  const probe = lookup.probe ?? probePython;
  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const label = [c.command, ...c.args].join(" ");
    if (seen.has(label)) continue;
    seen.add(label);
    const info = await probe(c.command, c.args);
    const problem = typeof info === "string" ? info : bundleProblem(info, manifest, bundleDir);
    if (typeof info !== "string" && !problem) {
      return {
        command: info.executable,
        args: ["-I", path.join(bundleDir, "launch.py")],
        source: `bundled server ${manifest.serverVersion} (${manifest.target}) with Python ${info.major}.${info.minor} at ${info.executable}, from ${c.from}`,
        bundled: true,
      };
    }
    lookup.log(`Not using ${label} (${c.from}): it ${problem}.`);
    if (c.explicit) {
      return {
        kind: "setting",
        message:
          `Harvester Glossary: the interpreter '${label}' (harvesterGlossary.server.pythonPath) ${problem}. ` +
          `${INSTALL_PYTHON} and set the setting to it, or clear the setting.`,
      };
    }
    rejected.push(`${label} ${problem}`);
  }
  const tried = rejected.length ? ` Found: ${rejected.join("; ")}.` : " No python3, python or py was found on PATH.";
  const have = Object.keys(manifest.pythons);
  const supported = BUNDLED_PYTHONS.every((v) => have.includes(v)) ? "" : ` (this build of the extension supports Python ${versionRange(have)})`;
  return {
    kind: "noPython",
    message:
      `Harvester Glossary needs Python 3.10 or newer to run its bundled server.${tried} ${INSTALL_PYTHON}${supported}, ` +
      `then run 'Harvester Glossary: Restart Server' (or set 'harvesterGlossary.server.pythonPath' to its interpreter).`,
  };
}

/** A server installed in the environment: pythonPath or the selected interpreter with the module, then PATH. */
async function environmentServer(lookup: Lookup): Promise<ServerCommand | string> {
  const check = lookup.hasModule ?? hasModule;
  const reasons: string[] = [];
  if (lookup.pythonPath.trim()) {
    const python = locate(lookup.pythonPath, lookup);
    if (python && (await check(python))) {
      return { command: python, args: ["-m", SERVER_MODULE], source: "environment: setting harvesterGlossary.server.pythonPath", bundled: false };
    }
    reasons.push(python ? `'${python}' cannot import '${SERVER_MODULE}'` : `no interpreter at '${lookup.pythonPath}'`);
  }
  if (lookup.selectedPython) {
    let python: string | undefined;
    try {
      python = await lookup.selectedPython();
    } catch (e) {
      lookup.log(`Python extension: could not read the selected environment: ${String(e)}`);
    }
    if (python) {
      if (await check(python)) {
        return { command: python, args: ["-m", SERVER_MODULE], source: "environment: the Python extension's interpreter", bundled: false };
      }
      reasons.push(`the selected Python environment ${python} has no '${SERVER_MODULE}'`);
    }
  }
  const onPath = which(SERVER_EXECUTABLE, lookup.env, lookup.platform);
  if (onPath) return { command: onPath, args: [], source: "environment: PATH", bundled: false };
  reasons.push(`no '${SERVER_EXECUTABLE}' on PATH`);
  return reasons.join("; ");
}

export function notFoundMessage(): string {
  return (
    `Harvester Glossary: this build of the extension has no bundled server, and the language server ` +
    `'${SERVER_EXECUTABLE}' was not found in the environment. To fix it, ${INSTALL_SERVER_HINT}; ` +
    `or set 'harvesterGlossary.server.path' to the executable.`
  );
}

export async function resolveServerCommand(lookup: Lookup): Promise<ServerCommand | ServerCommandError> {
  if (lookup.serverPath.trim()) {
    const found = locate(lookup.serverPath, lookup);
    if (!found) {
      return {
        kind: "setting",
        message:
          `Harvester Glossary: 'harvesterGlossary.server.path' is '${lookup.serverPath}', but no executable ` +
          `was found there. Fix the setting, or clear it to use the server bundled in the extension.`,
      };
    }
    return { command: found, args: [], source: "setting harvesterGlossary.server.path", bundled: false };
  }
  const manifest = readManifest(lookup.bundleDir);
  if (lookup.preferEnvironment || !manifest) {
    const env = await environmentServer(lookup);
    if (typeof env !== "string") return env;
    if (!manifest) {
      lookup.log(`No server in the environment: ${env}.`);
      return { kind: "notFound", message: notFoundMessage() };
    }
    lookup.log(`harvesterGlossary.server.preferEnvironment: no server in the environment (${env}); using the bundled one.`);
  }
  return bundledServer(lookup, manifest, lookup.bundleDir as string);
}

export function isError(r: ServerCommand | ServerCommandError): r is ServerCommandError {
  return (r as ServerCommandError).message !== undefined;
}
