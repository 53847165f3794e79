// The Problems panel of a real VS Code workbench (code-server, headless Chromium) lists the
// glossary finding of a file that is not open (workspace diagnostics, pulled by VS Code with
// workspace/diagnostic). Started by tests/editors/test_vscode_problems.py, which writes the
// workspace (open.md, docs/closed.md, .vscode/settings.json) and checks result.json.
//
// Only open.md is opened (a Markdown editor is what activates the extension); docs/closed.md
// never is. Then, by MODE:
//   on:  the workspace settings have workspaceDiagnostics: true; wait for docs/closed.md and
//        its finding in the Problems panel.
//   off: the workspace settings have workspaceDiagnostics: false; wait for open.md's finding in
//        the panel (the server is up), then for two workspace/diagnostic answers (the client
//        asks again 2 s after each answer), watching the panel all along: closed.md must never
//        show. Then remove the setting (VS Code's default is true) and wait for closed.md to
//        show, so the same session proves it would have been listed.
//
// env: CS_URL, CHROMIUM, OUT_DIR, PLAYWRIGHT_FROM (as codeserver_e2e.mjs), MODE (on | off),
//      SETTINGS_FILE (the workspace's .vscode/settings.json), DATA_DIR (code-server's user data
//      dir: its logs hold the extension's output channel), CLOSED_MESSAGE, OPEN_MESSAGE (the
//      findings' messages to look for)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { finish, openBrowser, quickOpen } from "./workbench.mjs";

const require = createRequire(process.env.PLAYWRIGHT_FROM ?? import.meta.url);
const { chromium } = require("playwright-core");

const URL = process.env.CS_URL;
const OUT = process.env.OUT_DIR ?? "out";
const MODE = process.env.MODE;
const { SETTINGS_FILE, DATA_DIR, CLOSED_MESSAGE, OPEN_MESSAGE } = process.env;
if (!URL || !process.env.CHROMIUM || !["on", "off"].includes(MODE) || !SETTINGS_FILE || !DATA_DIR
    || !CLOSED_MESSAGE || !OPEN_MESSAGE) {
  throw new Error("set CS_URL, CHROMIUM, MODE (on|off), SETTINGS_FILE, DATA_DIR, CLOSED_MESSAGE and OPEN_MESSAGE");
}
fs.mkdirSync(OUT, { recursive: true });
const t0 = Date.now();
const ms = () => Date.now() - t0;
const result = { mode: MODE, steps: {}, errors: [], page_errors: [] };

const { browser, page } = await openBrowser(chromium, result);

/** Run one step; a failure is recorded as "<name>: <error>" and ends the run. */
async function step(name, fn) {
  try {
    await fn();
    result.steps[`${name}_ms`] = ms();
    return true;
  } catch (e) {
    result.errors.push(`${name}: ${String(e).slice(0, 2000)}`);
    result.failure_rows = await problemRows().catch(() => null);
    await page.screenshot({ path: `${OUT}/failure-${name}.png` }).catch(() => {});
    return false;
  }
}

/** The Problems panel's rows as drawn, top to bottom: a file ("file": name, folder, count), a
 * finding under it ("marker": message, source, code, position) or a finding's related
 * information ("related": here the glossary entry it refers to). */
async function problemRows() {
  return page.evaluate(() => {
    const text = (el) => (el?.innerText ?? "").replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim();
    return [...document.querySelectorAll(".markers-panel .monaco-list-row")]
      .sort((a, b) => a.getBoundingClientRect().y - b.getBoundingClientRect().y)
      .map((row) => {
        const kind = row.querySelector(".resource-label-container") ? "file"
          : row.querySelector(".marker-message-details-container") ? "marker" : "related";
        const found = { kind, text: text(row), aria: row.getAttribute("aria-label") ?? "" };
        if (kind === "file") {
          found.name = text(row.querySelector(".label-name"));
          found.folder = text(row.querySelector(".label-description"));
        } else if (kind === "marker") {
          found.message = text(row.querySelector(".marker-message"));
        }
        return found;
      });
  });
}

/** Whether the panel lists file `name` with a finding whose message has `message` under it. */
function listed(rows, name, message) {
  const at = rows.findIndex((r) => r.kind === "file" && r.name === name);
  if (at < 0) return false;
  for (const row of rows.slice(at + 1)) {
    if (row.kind === "file") return false;
    if (row.kind === "marker" && row.message.includes(message)) return true;
  }
  return false;
}

const mentionsClosed = (rows) => rows.some((r) => r.text.includes("closed.md") || r.aria.includes("closed.md")
  || r.text.includes(CLOSED_MESSAGE));

/** Poll the panel until `done(rows)`; every sample goes to `watch` first. */
async function waitForRows(what, timeout, done, watch = () => {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const rows = await problemRows();
    watch(rows);
    if (done(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`${what} not in the Problems panel within ${timeout / 1000} s: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(250);
  }
}

/** The extension's output channel as code-server logged it so far ("Harvester Glossary"). */
function channelText() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".log") && entry.name.includes("Harvester Glossary")) found.push(fs.readFileSync(p, "utf8"));
    }
  };
  if (fs.existsSync(path.join(DATA_DIR, "logs"))) walk(path.join(DATA_DIR, "logs"));
  return found.join("\n");
}

const workspaceAnswers = () => (channelText().match(/Received response 'workspace\/diagnostic\b/g) ?? []).length;

async function openEditors() {
  // a tab's file name is in data-resource-name (its label is split into spans)
  return page.evaluate(() => [...document.querySelectorAll(".tabs-container .tab")]
    .map((tab) => tab.getAttribute("data-resource-name") ?? tab.getAttribute("aria-label") ?? tab.innerText));
}

let ok = await step("open", async () => {
  await page.goto(URL, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  // open.md, with Quick Open as a user would: opening a Markdown file activates the extension
  await quickOpen(page, "open.md");
});

ok = ok && await step("panel", async () => {
  // View: Problems (Ctrl+Shift+M); the status bar's problem counts open it too
  await page.keyboard.press("Control+Shift+M");
  const opened = await page.locator(".markers-panel").first().waitFor({ state: "visible", timeout: 10000 })
    .then(() => true, () => false);
  if (!opened) {
    await page.locator("[id='status.problems']").first().click();
    await page.locator(".markers-panel").first().waitFor({ state: "visible", timeout: 15000 });
  }
});

if (MODE === "on") {
  ok = ok && await step("closed_listed", async () => {
    const rows = await waitForRows("docs/closed.md with its finding", 120000,
      (r) => listed(r, "closed.md", CLOSED_MESSAGE));
    result.problems_rows = rows;
    await page.screenshot({ path: `${OUT}/problems-on.png` }).catch(() => {});
  });
} else {
  let seen = [];
  const watch = (rows) => { if (!seen.length && mentionsClosed(rows)) seen = rows; };
  ok = ok && await step("open_listed", async () => {
    // the server is up and answering: the open file's own finding is listed
    result.problems_rows = await waitForRows("open.md with its finding", 120000,
      (r) => listed(r, "open.md", OPEN_MESSAGE), watch);
  });
  ok = ok && await step("closed_not_listed", async () => {
    // A negative needs a point at which closed.md would have shown: two answers to
    // workspace/diagnostic after the open file's finding is listed (the server answers after
    // its index build, milliseconds for two files; the client asks again 2 s after an answer,
    // so the first answer has reached the panel by the second). The wait is for that condition,
    // bounded at 90 s; the output channel only says when to look, what is asserted is the panel.
    const before = workspaceAnswers();
    result.workspace_answers_before = before;
    result.problems_rows = await waitForRows("two more workspace/diagnostic answers", 90000,
      () => workspaceAnswers() >= before + 2, watch);
    result.workspace_answers_after = workspaceAnswers();
    result.closed_seen_while_off = seen.length ? seen : false;
    await page.screenshot({ path: `${OUT}/problems-off.png` }).catch(() => {});
  });
  ok = ok && await step("default_lists_closed", async () => {
    // back to VS Code's default (workspaceDiagnostics: true): closed.md shows up
    const settings = JSON.parse(fs.readFileSync(SETTINGS_FILE, "utf8"));
    delete settings["harvesterGlossary.workspaceDiagnostics"];
    fs.writeFileSync(SETTINGS_FILE, JSON.stringify(settings, null, 2));
    result.problems_rows_default = await waitForRows("docs/closed.md with its finding (default setting)", 120000,
      (r) => listed(r, "closed.md", CLOSED_MESSAGE));
    await page.screenshot({ path: `${OUT}/problems-default.png` }).catch(() => {});
  });
}

try {
  // closed.md was never opened: only open.md has an editor tab
  result.editor_tabs = await openEditors();
} catch (e) {
  result.errors.push(`tabs: ${String(e).slice(0, 2000)}`);
} finally {
  await browser.close();
}
finish(result, OUT, ms());
