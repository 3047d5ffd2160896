// node check.mjs BASE_URL SCREENSHOT.png
// Loads the playground from a live server in headless Chromium, translates a sentence the way a person would
// (pick the target, type, press Translate), checks the result and that the page fetched nothing from
// anywhere but the server, and saves a screenshot.
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
const origin = new URL(base).origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 560 } });
  const foreign = [];
  page.on("request", r => { if (new URL(r.url()).origin !== origin) foreign.push(r.url()); });
  page.on("pageerror", e => failures.push("page error: " + e.message));
  page.on("console", m => { if (m.type() === "error") failures.push("console error: " + m.text()); });

  await page.goto(base + "/");
  await page.waitForFunction(() => document.querySelectorAll("#target option").length > 1);
  const languages = await page.locator("#target option").count();
  await page.selectOption("#source", "en");
  await page.selectOption("#target", "fr");
  await page.fill("#input", "Life is like a box of chocolates. You never know what you're gonna get.");
  const started = Date.now();
  await page.click("#translate");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Translated in")
      || document.getElementById("status").classList.contains("bad"), null, { timeout: 120000 });
  const status = await page.textContent("#status");
  const output = await page.textContent("#output");
  if (!status.startsWith("Translated in")) failures.push("translation failed: " + status);
  if (!output.trim()) failures.push("empty translation");
  if (foreign.length) failures.push("requests outside the server: " + foreign.join(", "));
  await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ languages, status, outputChars: output.length, ms: Date.now() - started }));

  // The docs page: Swagger UI renders the operations from /openapi, offline.
  await page.goto(base + "/docs");
  await page.waitForSelector(".opblock", { timeout: 30000 });
  const operations = await page.locator(".opblock").count();
  if (operations < 8) failures.push("Swagger UI shows only " + operations + " operations");
  if (foreign.length) failures.push("requests outside the server: " + foreign.join(", "));
  console.log(JSON.stringify({ docsOperations: operations }));
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
