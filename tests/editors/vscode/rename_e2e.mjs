// Rename a glossary term in a real VS Code workbench (code-server, headless Chromium): open
// page.md, wait for the server (a hover with the definition), F2 on "guest cluster", type the
// new name, Ctrl+Enter for the Refactor Preview (its groups are the change annotations' labels),
// Apply, Save All, then open new.md (written now, with the old name) and wait for the
// deprecated-term squiggle. Started by tests/editors/test_vscode_rename.py.
//
// env: CS_URL, CHROMIUM, OUT_DIR, PLAYWRIGHT_FROM (as codeserver_e2e.mjs), WORKDIR (the folder)
import { createRequire } from "node:module";
import fs from "node:fs";
import { finish, locateText as locateTextIn, openBrowser } from "./workbench.mjs";

const require = createRequire(process.env.PLAYWRIGHT_FROM ?? import.meta.url);
const { chromium } = require("playwright-core");

const URL = process.env.CS_URL;
const OUT = process.env.OUT_DIR ?? "out";
const WORKDIR = process.env.WORKDIR;
if (!URL || !process.env.CHROMIUM || !WORKDIR) throw new Error("set CS_URL, CHROMIUM and WORKDIR");
fs.mkdirSync(OUT, { recursive: true });
const t0 = Date.now();
const result = { steps: {}, errors: [], page_errors: [] };

const { browser, page } = await openBrowser(chromium, result);
const editor = page.locator(".editor-instance .monaco-editor").first();

const locateText = (text, from, to) => locateTextIn(page, text, from, to);

async function step(name, fn) {
  try {
    await fn();
    result.steps[`${name}_ms`] = Date.now() - t0;
    return true;
  } catch (e) {
    result.errors.push(`${name}: ${String(e).slice(0, 2000)}`);
    await page.screenshot({ path: `${OUT}/failure-${name}.png` }).catch(() => {});
    return false;
  }
}

async function quickOpen(name) {
  // A file written a moment ago reaches Quick Open's file search only after VS Code's watcher
  // sees it, which takes longer on a loaded machine: ask again, up to four times.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("Control+P");
    await page.locator(".quick-input-widget input").waitFor({ timeout: 15000 });
    await page.keyboard.type(name);
    const found = await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: name })
      .first().waitFor({ timeout: 15000 }).then(() => true, (e) => (attempt >= 4 ? Promise.reject(e) : false));
    if (found) break;
    await page.keyboard.press("Escape");
  }
  await page.keyboard.press("Enter");
}

async function command(title) {
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ timeout: 15000 });
  await page.keyboard.type(title);
  await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: title }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press("Enter");
}

let ok = await step("open", async () => {
  await page.goto(URL, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  await page.locator(".explorer-folders-view, .monaco-workbench .part.sidebar").first().waitFor({ timeout: 30000 });
  await quickOpen("page.md");
  await editor.locator(".view-line").first().waitFor({ timeout: 15000 });
});

ok = ok && await step("server", async () => {
  // the server is up once hovering the term shows its definition
  const deadline = Date.now() + 60000;
  for (;;) {
    const box = await locateText("a guest cluster.", 4, 9);
    if (box) {
      await page.mouse.move(box.x - 60, box.y + 40);
      await page.mouse.move(box.x, box.y, { steps: 6 });
      const shown = await page.locator(".monaco-hover:not(.hidden)").filter({ hasText: "A cluster of VMs" })
        .first().waitFor({ state: "visible", timeout: 3000 }).then(() => true, () => false);
      if (shown) break;
    }
    if (Date.now() > deadline) throw new Error("no hover with the definition within 60 s");
  }
  await page.mouse.move(5, 5);
  await page.keyboard.press("Escape");
});

ok = ok && await step("rename", async () => {
  const box = await locateText("a guest cluster.", 4, 9);
  await page.mouse.click(box.x, box.y);
  await page.keyboard.press("F2");
  // the rename box opens once prepareRename answered, with the focus in its input
  await page.waitForFunction(() => {
    const el = document.activeElement;
    return el && el.tagName === "INPUT" && el.closest(".rename-box");
  }, null, { timeout: 20000 });
  const input = page.locator(".rename-box input").first();
  result.rename_placeholder = await input.inputValue().catch(() => null);
  await input.fill("tenant cluster");
  await page.keyboard.press("Control+Enter"); // preview: the change annotations label the groups
  const apply = page.locator(".bulk-edit-panel .monaco-button, .pane .monaco-button").filter({ hasText: /^Apply$/ }).first();
  await apply.waitFor({ timeout: 20000 });
  result.preview_shown = true;
  await page.locator(".bulk-edit-panel").filter({ hasText: "Record 'guest cluster' as a deprecated form" }).first()
    .waitFor({ timeout: 10000 }).catch(() => {});
  result.preview_text = (await page.locator(".bulk-edit-panel").first().innerText().catch(() => "")).slice(0, 2000);
  await page.screenshot({ path: `${OUT}/rename-preview.png` }).catch(() => {});
  await apply.click();
  await page.waitForFunction(
    () => [...document.querySelectorAll(".editor-instance .view-line")].some((l) =>
      l.textContent.replace(/\u00a0/g, " ").includes("Create a tenant cluster.")),
    null, { timeout: 20000 });
  await command("File: Save All");
  await page.waitForTimeout(1500);
});

ok = ok && await step("deprecated", async () => {
  fs.writeFileSync(`${WORKDIR}/new.md`, "An old guest cluster.\n");
  await quickOpen("new.md");
  await page.waitForFunction(
    () => [...document.querySelectorAll(".editor-instance .view-line")].some((l) =>
      l.textContent.replace(/\u00a0/g, " ").includes("An old guest cluster.")),
    null, { timeout: 20000 });
  await editor.locator(".squiggly-warning").first().waitFor({ timeout: 60000 });
});

try {
  await page.screenshot({ path: `${OUT}/rename-final.png` }).catch(() => {});
} finally {
  await browser.close();
}
finish(result, OUT, Date.now() - t0);
