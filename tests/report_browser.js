// Opens a report in headless Chromium (playwright-core from editors/vscode/node_modules) and
// prints what the test asserts as one JSON line: requests made, chart data, the places panel.
// usage: node report_browser.js REPORT.html SCREENSHOT.png CHROMIUM
const path = require("path");
const { chromium } = require(path.join(__dirname, "..", "editors", "vscode", "node_modules",
  "playwright-core"));

(async () => {
  const [report, screenshot, executablePath] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto("file://" + path.resolve(report));
  await page.waitForFunction(() => window.Chart && Chart.getChart("chart-terms"));
  const charts = await page.evaluate(() => {
    const out = {};
    for (const id of ["chart-terms", "chart-deprecated"]) {
      const chart = Chart.getChart(id);
      if (!chart) { out[id] = null; continue; }
      const points = chart.data.datasets.map((d, i) => chart.getDatasetMeta(i).data.length);
      const canvas = document.getElementById(id);
      out[id] = { type: chart.config.type, labels: chart.data.labels.length,
        datasets: chart.data.datasets.map((d) => d.label), points,
        drawn: canvas.width > 0 && canvas.height > 0 };
    }
    return out;
  });
  const before = await page.isVisible("#places");
  const link = page.locator("#terms-table a.n").first();
  const number = Number(await link.textContent());
  await link.click();
  await page.waitForSelector("#places", { state: "visible" });
  const items = await page.locator("#places li").count();
  const first = await page.locator("#places li a").first().getAttribute("href");
  await page.screenshot({ path: screenshot, fullPage: false });
  await page.click("#places-close");
  // sort the terms table by its "uses" column, ascending
  await page.click("#terms-table th:nth-child(3)");
  const firstUses = await page.locator("#terms-table tbody tr:first-child td:nth-child(3)").textContent();
  console.log(JSON.stringify({ requests, errors, charts, before, number, items, first,
    firstUses: firstUses.trim() }));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
