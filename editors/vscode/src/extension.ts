// VS Code client for harvester-glossary-ls (Harvester HCI glossary language server).
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import * as path from "node:path";
import { isError, PYTHON_DOWNLOAD_URL, resolveServerCommand, ServerCommand } from "./serverCommand";

const SECTION = "harvesterGlossary";
const CLIENT_ID = "harvesterGlossary"; // vscode-languageclient reads `${CLIENT_ID}.trace.server`
const CLIENT_NAME = "Harvester Glossary";
const LANGUAGES = ["markdown", "yaml"];

/** The settings the server understands; client-only keys (server.*, trace.*) are left out. */
/** A `glossaries` item: a path, or a path with a display name and a casing policy. */
type GlossarySetting = string | { path: string; name?: string; casing?: "strict" | "asserted" | "ignore" };

interface ServerSettings {
  glossaries: GlossarySetting[];
  defaultGlossary: boolean;
  workspaceDiagnostics: boolean;
  glossaryVersion?: string;
  rules: Record<string, string>;
  ignoreWords: string[];
  logLevel: string;
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let starting: Promise<void> = Promise.resolve();
let bundleDir: string | undefined;

function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const settings: ServerSettings = {
    glossaries: cfg.get<GlossarySetting[]>("glossaries", []),
    defaultGlossary: cfg.get<boolean>("defaultGlossary", true),
    workspaceDiagnostics: cfg.get<boolean>("workspaceDiagnostics", true),
    rules: { ...cfg.get<Record<string, string>>("rules", {}) },
    ignoreWords: cfg.get<string[]>("ignoreWords", []),
    logLevel: cfg.get<string>("logLevel", "warning"),
  };
  const version = cfg.get<string>("glossaryVersion", "").trim();
  if (version) settings.glossaryVersion = version;
  return settings;
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(
      env: { id: string; path: string } | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

/** The Python extension's API, if ms-python.python is installed (optional, no hard dependency). */
async function pythonApi(): Promise<PythonExtensionApi | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>("ms-python.python");
  if (!ext) return undefined;
  try {
    return ext.isActive ? ext.exports : await ext.activate();
  } catch (e) {
    output.appendLine(`Python extension did not activate: ${String(e)}`);
    return undefined;
  }
}

async function selectedPython(): Promise<string | undefined> {
  const envs = (await pythonApi())?.environments;
  if (!envs) return undefined;
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  const resolved = await envs.resolveEnvironment(envs.getActiveEnvironmentPath(resource));
  return resolved?.executable.uri?.fsPath;
}

async function findServer(): Promise<ServerCommand | undefined> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const result = await resolveServerCommand({
    serverPath: cfg.get<string>("server.path", ""),
    pythonPath: cfg.get<string>("server.pythonPath", ""),
    preferEnvironment: cfg.get<boolean>("server.preferEnvironment", false),
    bundleDir,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    selectedPython: vscode.extensions.getExtension("ms-python.python") ? selectedPython : undefined,
    log: (line) => output.appendLine(line),
  });
  if (!isError(result)) return result;
  output.appendLine(result.message);
  const openSettings = "Open Settings";
  const download = "Download Python";
  const actions = result.kind === "noPython" ? [download, openSettings] : [openSettings];
  void vscode.window.showErrorMessage(result.message, ...actions).then(async (choice) => {
    if (choice === openSettings) {
      await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server`);
    } else if (choice === download) {
      await vscode.env.openExternal(vscode.Uri.parse(PYTHON_DOWNLOAD_URL));
    }
  });
  return undefined;
}

async function startClient(): Promise<void> {
  const server = await findServer();
  if (!server) return;
  output.appendLine(`Starting ${server.command} ${server.args.join(" ")} (from ${server.source})`);
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    transport: TransportKind.stdio, // appends --stdio, which the server accepts
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions: serverSettings(vscode.workspace.workspaceFolders?.[0]),
    // didChangeConfiguration on every change of harvesterGlossary.*; the server then pulls
    // its settings through workspace/configuration (answered by the middleware below).
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return params.items.map((item, i) =>
            item.section === SECTION
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : result[i],
          );
        },
      },
    },
  };
  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (e) {
    output.appendLine(`The server did not start: ${String(e)}`);
    void vscode.window.showErrorMessage(
      `Harvester Glossary: the server '${[server.command, ...server.args].join(" ")}' did not start ` +
        `(${server.source}); the output channel has the reason.`,
    );
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    if (c.state !== State.Stopped) await c.stop(5000);
  } catch (e) {
    output.appendLine(`Stopping the server: ${String(e)}`);
  }
  await c.dispose().catch(() => undefined);
}

/** Serialised so that quick successive restarts never run two servers. */
function restart(): Promise<void> {
  starting = starting.then(async () => {
    await stopClient();
    await startClient();
  });
  return starting;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  bundleDir = path.join(context.extensionPath, "bundled");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(`${SECTION}.restartServer`, async () => {
      output.appendLine("Restarting the server (command).");
      await restart();
    }),
    vscode.commands.registerCommand(`${SECTION}.showOutput`, () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // Only the server command needs a restart; everything else reaches the running server
      // through didChangeConfiguration + workspace/configuration.
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        output.appendLine("harvesterGlossary.server.* changed: restarting the server.");
        await restart();
      }
    }),
  );
  const py = vscode.extensions.getExtension("ms-python.python") ? await pythonApi() : undefined;
  const onEnvChange = py?.environments?.onDidChangeActiveEnvironmentPath;
  if (onEnvChange) {
    context.subscriptions.push(
      onEnvChange(async () => {
        const cfg = vscode.workspace.getConfiguration(SECTION);
        if (!cfg.get<string>("server.path") && !cfg.get<string>("server.pythonPath")) {
          // the selected interpreter runs the bundled server, or is the environment's server
          output.appendLine("Selected Python environment changed: restarting the server.");
          await restart();
        }
      }),
    );
  }
  await restart();
}

export async function deactivate(): Promise<void> {
  await starting.catch(() => undefined);
  await stopClient();
}
