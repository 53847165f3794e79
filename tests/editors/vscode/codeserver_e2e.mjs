// Drive a real VS Code workbench (code-server) in headless Chromium with playwright-core:
// open guide.md, wait for the warning squiggle under harvester-mgmt, hover "guest cluster" and
// read the definition in the tooltip, complete "VM mig" and check the inserted text, change a
// rule's severity in the settings (no restart), apply the quick fix. Screenshots: hover.png and completion.png in OUT_DIR.
// Started by tests/editors/test_vscode.py, which starts code-server and checks result.json.
//
// env: CS_URL (http://127.0.0.1:PORT/?folder=...), CHROMIUM (browser binary), OUT_DIR,
//      PLAYWRIGHT_FROM (a package.json whose node_modules hold playwright-core),
//      SETTINGS_FILE (settings.json written by the settings step: the workspace's .vscode/settings.json)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { finish, locateText as locateTextIn, openBrowser, quickOpen } from "./workbench.mjs";

const require = createRequire(process.env.PLAYWRIGHT_FROM ?? import.meta.url);
const { chromium } = require("playwright-core");

const URL = process.env.CS_URL;
const OUT = process.env.OUT_DIR ?? "out";
if (!URL || !process.env.CHROMIUM) throw new Error("set CS_URL and CHROMIUM");
fs.mkdirSync(OUT, { recursive: true });
const t0 = Date.now();
const ms = () => Date.now() - t0;
const result = { steps: {}, errors: [], page_errors: [] };
const DEFINITION = "Group of integrated Kubernetes worker machines";

const { browser, page } = await openBrowser(chromium, result);

const locateText = (text, from, to) => locateTextIn(page, text, from, to);

async function hoverOver(text, from, to) {
  const box = await locateText(text, from, to);
  if (!box) throw new Error(`'${text}' is not rendered in the editor`);
  await page.mouse.move(box.x - 60, box.y + 40);
  await page.mouse.move(box.x, box.y, { steps: 6 });
  return box;
}

async function lineTexts() {
  return page.evaluate(() =>
    [...document.querySelectorAll(".editor-instance .view-lines .view-line")]
      .sort((a, b) => a.getBoundingClientRect().y - b.getBoundingClientRect().y)
      .map((l) => l.textContent.replace(/\u00a0/g, " ")));
}

/** Run one step; a failure is recorded as "<name>: <error>" and the next steps still run. */
async function step(name, fn) {
  try {
    await fn();
    result.steps[`${name}_ms`] = ms();
    return true;
  } catch (e) {
    result.errors.push(`${name}: ${String(e).slice(0, 2000)}`);
    await page.screenshot({ path: `${OUT}/failure-${name}.png` }).catch(() => {});
    await page.mouse.move(5, 5).catch(() => {});
    await page.keyboard.press("Escape").catch(() => {});
    return false;
  }
}

const editor = page.locator(".editor-instance .monaco-editor").first();

const opened = await step("open", async () => {
  await page.goto(URL, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  result.steps.workbench_ms = ms();
  // Record every notification toast as it appears (Escape hides toasts, so reading them at the
  // end is not enough).
  await page.evaluate(() => {
    window.__toasts = [];
    const seen = new WeakSet();
    const scan = () => document.querySelectorAll(".notifications-toasts .notification-toast").forEach((el) => {
      if (!seen.has(el) && el.innerText.trim()) { seen.add(el); window.__toasts.push(el.innerText.replace(/\s+/g, " ").trim()); }
    });
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
    scan();
  });
  await quickOpen(page, "guide.md");
});

if (opened) {
  // 1. The diagnostic: a warning squiggle; hovering it shows the server's message.
  await step("diagnostic", async () => {
    await editor.locator(".squiggly-warning").first().waitFor({ timeout: 60000 });
    // the squiggle is drawn under harvester-mgmt (its box spans the word's middle)
    const word = await locateText("harvester-mgmt", 0, 14);
    const boxes = await editor.locator(".squiggly-warning").evaluateAll((els) =>
      els.map((el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; }));
    result.squiggle_under_term = !!word && boxes.some((b) =>
      b.x <= word.x && word.x <= b.x + b.w && b.y <= word.y + 12 && word.y - 12 <= b.y + b.h);
    await hoverOver("harvester-mgmt", 4, 10);
    const diagHover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: "is deprecated" });
    await diagHover.first().waitFor({ state: "visible", timeout: 15000 });
    result.diagnostic_hover = (await diagHover.first().innerText()).trim();
    await page.mouse.move(5, 5);
    await page.keyboard.press("Escape");
    await page.locator(".monaco-hover:not(.hidden)").first().waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
  });

  // 2. Hover on "guest cluster": the tooltip renders the Markdown definition.
  await step("hover", async () => {
    await hoverOver("guest cluster", 1, 12);
    const hover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: DEFINITION });
    await hover.first().waitFor({ state: "visible", timeout: 15000 });
    await page.waitForTimeout(300); // let the hover finish its layout before the screenshot
    result.hover_text = (await hover.first().innerText()).trim();
    result.hover_bold = await hover.first().locator("strong").first().innerText().catch(() => null);
    await page.screenshot({ path: `${OUT}/hover.png` });
    await page.mouse.move(5, 5);
    await page.keyboard.press("Escape");
  });

  // 3. Completion: type "VM mig" on a new last line, Ctrl+Space, accept "VM migration network".
  await step("completion", async () => {
    await editor.locator(".view-lines").click({ position: { x: 200, y: 5 } });
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.type("VM mig", { delay: 40 });
    await page.keyboard.press("Control+Space");
    const rows = page.locator(".suggest-widget.visible .monaco-list-row");
    const wanted = rows.filter({ hasText: "VM migration network" }).first();
    await wanted.waitFor({ timeout: 15000 });
    result.completion = await rows.allInnerTexts();
    // Ctrl+Space again opens the details pane beside the list (full label + documentation)
    await page.keyboard.press("Control+Space");
    await page.locator(".suggest-details-container .suggest-details").first()
      .waitFor({ state: "visible", timeout: 5000 }).catch(() => {});
    await page.waitForTimeout(400); // details pane and fonts settle before the screenshot
    await page.screenshot({ path: `${OUT}/completion.png` });
    // focus the wanted row (the first one unless the server ranks something else higher), accept
    for (let i = 0; i < 20 && !(await wanted.evaluate((el) => el.classList.contains("focused"))); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    await page.locator(".suggest-widget.visible").waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
    result.completed_line = (await lineTexts()).filter((l) => l.trim()).at(-1);
  });

  // 4. Settings reach the running server: deprecated-term -> error, no restart. The workbench
  //    picks up the workspace settings file; the extension sends didChangeConfiguration and the
  //    server pulls harvesterGlossary through workspace/configuration and republishes.
  if (process.env.SETTINGS_FILE) {
    await step("settings", async () => {
      const file = process.env.SETTINGS_FILE;
      const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
      settings["harvesterGlossary.rules"] = { "deprecated-term": "error" };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(settings, null, 2));
      await editor.locator(".squiggly-error").first().waitFor({ timeout: 30000 });
      result.settings_severity = "error";
    });
  }

  // 5. Quick fix: cursor into harvester-mgmt, Ctrl+. and pick "Replace with 'mgmt'".
  await step("quickfix", async () => {
    const target = await locateText("harvester-mgmt", 3, 5);
    if (!target) throw new Error("harvester-mgmt not rendered for the quick fix");
    await page.mouse.click(target.x, target.y);
    await page.keyboard.press("Control+.");
    const action = page.locator(".action-widget .monaco-list-row, .context-view .monaco-list-row")
      .filter({ hasText: "Replace with 'mgmt'" }).first();
    await action.waitFor({ timeout: 15000 });
    await action.click();
    await page.waitForFunction(
      () => [...document.querySelectorAll(".editor-instance .view-line")].some((l) =>
        l.textContent.replace(/\u00a0/g, " ").includes("Attach the VM to the mgmt network")),
      null, { timeout: 10000 });
    await editor.locator(".squiggly-warning, .squiggly-error").first().waitFor({ state: "detached", timeout: 30000 });
    result.after_fix_lines = (await lineTexts()).filter((l) => l.trim());
  });
}

try {
  // Notifications the workbench shows (e.g. "Request textDocument/diagnostic failed. Source:
  // Harvester Glossary"): the extension and the server must not raise any.
  result.notifications = await page.evaluate(() => window.__toasts ?? []);
} catch (e) {
  result.errors.push(`notifications: ${String(e).slice(0, 2000)}`);
} finally {
  await browser.close();
}
finish(result, OUT, ms());
