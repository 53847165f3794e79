// Finding the harvester-glossary-ls server: no VS Code API in here except through the
// `Lookup` callbacks, so the order of the search is easy to read and to test.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SERVER_EXECUTABLE = "harvester-glossary-ls";
export const SERVER_MODULE = "harvester_glossary_ls";
export const INSTALL_COMMAND = "pip install harvester-glossary-ls";
export const PIPX_INSTALL_COMMAND = "pipx install harvester-glossary-ls";

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from, for the output channel. */
  source: string;
}

export interface ServerCommandError {
  /** Shown to the user as an error notification. */
  message: string;
}

export interface Lookup {
  /** `harvesterGlossary.server.path` */
  serverPath: string;
  /** `harvesterGlossary.server.pythonPath` */
  pythonPath: string;
  /** First workspace folder, for relative paths and `${workspaceFolder}`. */
  workspaceFolder?: string;
  /** Interpreter selected in the Python extension, if that extension is installed. */
  selectedPython?: () => Promise<string | undefined>;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export function expandPath(p: string, workspaceFolder?: string): string {
  let out = p.trim();
  if (workspaceFolder) out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  out = out.replace(/\$\{userHome\}/g, os.homedir());
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) out = path.join(os.homedir(), out.slice(1));
  if (!path.isAbsolute(out) && /[\\/]/.test(out) && workspaceFolder) out = path.resolve(workspaceFolder, out);
  return out;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `which`: the first executable called `name` on PATH (PATHEXT on Windows). */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? ["", ...(env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A configured command: an absolute/relative path, or a bare name looked up on PATH. */
function locate(configured: string, lookup: Lookup): string | undefined {
  const expanded = expandPath(configured, lookup.workspaceFolder);
  if (path.isAbsolute(expanded)) return isExecutableFile(expanded) ? expanded : undefined;
  return which(expanded, lookup.env);
}

export function hasModule(python: string, timeoutMs = 15000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ["-c", `import ${SERVER_MODULE}`], { timeout: timeoutMs }, (err) => resolve(!err));
  });
}

export function notFoundMessage(): string {
  return (
    `Harvester Glossary: the language server '${SERVER_EXECUTABLE}' was not found. ` +
    `Install it with '${INSTALL_COMMAND}' (or '${PIPX_INSTALL_COMMAND}'), ` +
    `or set 'harvesterGlossary.server.path' to the executable.`
  );
}

/**
 * Lookup order: `server.path`, `server.pythonPath` (`<python> -m harvester_glossary_ls`), the
 * interpreter selected in the Python extension (if it has the module), `harvester-glossary-ls` on
 * PATH.
 */
export async function resolveServerCommand(lookup: Lookup): Promise<ServerCommand | ServerCommandError> {
  if (lookup.serverPath.trim()) {
    const found = locate(lookup.serverPath, lookup);
    if (!found) {
      return {
        message:
          `Harvester Glossary: 'harvesterGlossary.server.path' is '${lookup.serverPath}', but no executable ` +
          `was found there. Fix the setting, or install the server with '${INSTALL_COMMAND}'.`,
      };
    }
    return { command: found, args: [], source: "setting harvesterGlossary.server.path" };
  }
  if (lookup.pythonPath.trim()) {
    const python = locate(lookup.pythonPath, lookup);
    if (!python) {
      return {
        message:
          `Harvester Glossary: 'harvesterGlossary.server.pythonPath' is '${lookup.pythonPath}', but no ` +
          `interpreter was found there.`,
      };
    }
    if (!(await hasModule(python))) {
      return {
        message:
          `Harvester Glossary: the interpreter '${python}' (harvesterGlossary.server.pythonPath) cannot import ` +
          `'${SERVER_MODULE}'. Install it with '${python} -m ${INSTALL_COMMAND}'.`,
      };
    }
    return { command: python, args: ["-m", SERVER_MODULE], source: "setting harvesterGlossary.server.pythonPath" };
  }
  if (lookup.selectedPython) {
    let python: string | undefined;
    try {
      python = await lookup.selectedPython();
    } catch (e) {
      lookup.log(`Python extension: could not read the selected environment: ${String(e)}`);
    }
    if (python) {
      if (await hasModule(python)) {
        return { command: python, args: ["-m", SERVER_MODULE], source: "selected Python environment" };
      }
      lookup.log(`Selected Python environment ${python} has no '${SERVER_MODULE}'; trying PATH.`);
    }
  }
  const onPath = which(SERVER_EXECUTABLE, lookup.env);
  if (onPath) return { command: onPath, args: [], source: "PATH" };
  return { message: notFoundMessage() };
}

export function isError(r: ServerCommand | ServerCommandError): r is ServerCommandError {
  return (r as ServerCommandError).message !== undefined;
}
