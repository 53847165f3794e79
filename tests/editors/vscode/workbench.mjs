// Shared by the VS Code e2e drivers (codeserver_e2e.mjs, rename_e2e.mjs, problems_e2e.mjs): the
// browser they drive the workbench in, where text is drawn in it (so a driver can hover or click
// it), and how a driver ends.
import fs from "node:fs";

/** Headless Chromium with one 1280x720 page; page errors are collected in result.page_errors. */
export async function openBrowser(chromium, result) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  page.on("pageerror", (e) => result.page_errors.push(e.message.slice(0, 300)));
  return { browser, page };
}

/** Open `name` with Quick Open (Ctrl+P), as a user would, and wait for its editor's lines. */
export async function quickOpen(page, name) {
  await page.locator(".explorer-folders-view, .monaco-workbench .part.sidebar").first().waitFor({ timeout: 30000 });
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor({ timeout: 15000 });
  await page.keyboard.type(name);
  await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: name }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press("Enter");
  await page.locator(".editor-instance .monaco-editor").first().locator(".view-line").first().waitFor({ timeout: 15000 });
}

/** Write OUT/result.json, print it, and exit: 1 when a step recorded an error. */
export function finish(result, out, elapsedMs) {
  result.total_ms = elapsedMs;
  fs.writeFileSync(`${out}/result.json`, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.errors.length ? 1 : 0);
}

/** Pixel centre of `text` (chars [from, to) of it) in the rendered editor lines. */
export async function locateText(page, text, from = 0, to = text.length) {
  return page.evaluate(({ text, from, to }) => {
    for (const line of document.querySelectorAll(".editor-instance .view-line")) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      // Monaco splits a line into token spans: search the line's whole text, then map back.
      const nodes = [];
      let whole = "";
      for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, whole.length]); whole += n.textContent; }
      const at = whole.replace(/\u00a0/g, " ").indexOf(text);
      if (at < 0) continue;
      const pos = (offset) => {
        for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      };
      const r = document.createRange();
      r.setStart(...pos(at + from));
      r.setEnd(...pos(at + to - 1));
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, { text, from, to });
}
