// The backoffice in a real browser: Debian's chromium driven by Playwright (playwright-core,
// pinned in web/package.json), against a running platform. Run by tests/backoffice/
// test_browser.py, which sets the business up and holds what this script saw to the API:
//
//   node backoffice/e2e/backoffice.e2e.mjs config.json
//
// The accountant signs in with a TOTP code, reads the dashboard and a day's (then a month's)
// summary, downloads the daily CSV and the BAS bundle; the manager signs in and finds no
// report in the menu, and the reports page's API calls refused. Every page is checked with
// axe-core (serious and critical violations are reported) and photographed for the docs.
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");
const result = { accountant: {}, manager: {}, axe: [], console_errors: [], screenshots: [] };
mkdirSync(config.screenshots, { recursive: true });

/** RFC 6238 as authenticator apps do it: SHA-1, 6 digits, 30 s; `stepsAhead` steps from now. */
function totp(secret, stepsAhead = 0) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of secret.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepsAhead));
  const digest = createHmac("sha1", key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

/** axe-core over the page as it is now: the serious and critical violations. Evaluated through
 * the DevTools protocol, which the page's CSP does not govern (it allows no inline script). */
async function checkAccessibility(page, name) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const found = await window.axe.run(document, { resultTypes: ["violations"] });
    return found.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.map((node) => node.target.join(" ")),
      }));
  });
  result.axe.push({ page: name, violations });
}

async function screenshot(page, name) {
  const file = `${name}.png`;
  await page.screenshot({ path: join(config.screenshots, file), fullPage: true });
  result.screenshots.push(file);
}

let current; // the page in use, photographed into the output folder if the run fails

function watch(page, who) {
  current = page;
  page.on("console", (message) => {
    if (message.type() === "error") result.console_errors.push(`${who}: ${message.text()}`);
  });
  page.on("pageerror", (error) => result.console_errors.push(`${who}: ${error.message}`));
}

async function menu(page) {
  return page.locator("nav[aria-label=Pages] a").allTextContents();
}

async function signIn(page, person) {
  await page.goto(`${config.base}/backoffice/?business=${config.business}`);
  await page.getByLabel("E-mail", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Continue" }).click();
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  // Root in a container: chromium's sandbox needs user namespaces it may not have.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  // ---- the accountant --------------------------------------------------------------------
  {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      locale: "en-AU",
    });
    const page = await context.newPage();
    watch(page, "accountant");
    await signIn(page, config.accountant);
    await page.getByLabel("Code", { exact: true }).waitFor();
    result.accountant.totp_asked = true;
    await checkAccessibility(page, "sign-in: code");
    // The next step's code: the enrolment spent this one, and the API accepts one step ahead.
    await page.getByLabel("Code", { exact: true }).fill(totp(config.accountant.totp_secret, 1));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("nav[aria-label=Pages]").waitFor();
    result.accountant.menu = await menu(page);
    await checkAccessibility(page, "overview (accountant)");
    await screenshot(page, "overview-accountant");

    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Dashboard" }).click();
    await page.locator(".venue [data-period=last-7] .figure").first().waitFor();
    await checkAccessibility(page, "dashboard");
    await screenshot(page, "dashboard");

    // Reports: the page reads today's summary first; then a month through the period picker.
    // Each answer is read off the page as soon as it is shown.
    result.accountant.daily_summaries = [];
    const isSummary = (response) =>
      new URL(response.url()).pathname === "/v1/reports/daily-summary" &&
      !response.url().includes("format=csv");
    async function shown(period_kind, response) {
      const answer = await response.json();
      const summary = page.locator(`.daily-summary[data-period="${answer.period.label}"]`);
      await summary.waitFor();
      const figures = await summary.locator(".figure").evaluateAll((nodes) =>
        nodes.map((node) => ({
          name: node.dataset.figure,
          value: node.dataset.value,
          text: node.querySelector("dd").textContent,
        })),
      );
      const tenders = await summary.locator(".tenders tbody tr").evaluateAll((rows) =>
        rows.map((row) => ({
          tender: row.dataset.tender,
          net: row.querySelector("td[data-value]").dataset.value,
        })),
      );
      const url = new URL(response.url());
      result.accountant.daily_summaries.push({
        period_kind,
        request: url.pathname + url.search,
        answer,
        figures,
        tenders,
      });
    }
    const pages = page.getByRole("navigation", { name: "Pages" });
    const first = page.waitForResponse(isSummary);
    await pages.getByRole("link", { name: "Reports" }).click();
    await shown("day", await first);
    await page.locator(".tax-report[data-report=bas]").waitFor();
    await screenshot(page, "reports-day");
    const daily = page.getByRole("region", { name: "Daily summary" });
    await daily.locator("select[name=kind]").selectOption("month");
    const month = page.waitForResponse(isSummary);
    await daily.getByRole("button", { name: "Show" }).click();
    await shown("month", await month);
    await page.locator(".tax-report[data-report=bas]").waitFor();
    await checkAccessibility(page, "reports");

    result.accountant.downloads = [];
    for (const [section, label] of [
      ["Daily summary", "Download CSV"],
      ["BAS", "Download BAS bundle"],
    ]) {
      const region = page.getByRole("region", { name: section });
      const downloading = page.waitForEvent("download");
      await region.getByRole("button", { name: label, exact: true }).click();
      const download = await downloading;
      const path = join(config.out, download.suggestedFilename());
      await download.saveAs(path);
      const status = region.locator(".download-done");
      await status.waitFor();
      result.accountant.downloads.push({
        label,
        name: download.suggestedFilename(),
        path,
        status: (await status.textContent()).trim(),
      });
    }
    await checkAccessibility(page, "reports after downloads");
    await screenshot(page, "reports-downloads");
    await context.close();
  }

  // ---- the manager -----------------------------------------------------------------------
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    watch(page, "manager");
    await checkAccessibility(page, "blank").catch(() => undefined);
    result.axe.pop();
    await signIn(page, config.manager);
    await page.locator("nav[aria-label=Pages]").waitFor();
    await checkAccessibility(page, "sign-in done (manager)");
    result.manager.menu = await menu(page);
    await screenshot(page, "overview-manager");

    // Not in the menu; typed into the address bar: the page asks, and the API refuses.
    const answers = [];
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith("/v1/reports/")) answers.push({ path, status: response.status() });
    });
    // The accountant's day, by a link to it (only the fragment changes: the same document, so
    // the session stays): the page asks the API for it, and the API refuses.
    const day = result.accountant.daily_summaries[0].answer.period.label;
    await page.goto(
      `${config.base}/backoffice/?business=${config.business}` +
        `#/reports?location=${config.location}&period=${day}`,
    );
    const refusedSummary = page.locator(".problem[data-code]").nth(1);
    await refusedSummary.waitFor();
    const bundle = page.getByRole("region", { name: "Daily summary" });
    await bundle.getByRole("button", { name: "Download bundle", exact: true }).click();
    await bundle.locator(".download .problem").waitFor();
    const problem = page.locator(".problem").first();
    await problem.waitFor();
    result.manager.problem = {
      code: await problem.getAttribute("data-code"),
      status: await problem.getAttribute("data-status"),
      request_id: await problem.locator(".request-id").textContent(),
      text: await problem.textContent(),
    };
    await checkAccessibility(page, "reports refused (manager)");
    await screenshot(page, "reports-refused-manager");
    await page.evaluate(() => (window.location.hash = "#/dashboard"));
    await page.locator(".problem").first().waitFor();
    await checkAccessibility(page, "dashboard refused (manager)");
    result.manager.report_answers = answers;
    await context.close();
  }

  // ---- the sign-in page itself, and a wrong password's problem -----------------------------
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    watch(page, "signed out");
    await page.goto(`${config.base}/backoffice/?business=${config.business}`);
    await page.getByLabel("E-mail", { exact: true }).waitFor();
    await checkAccessibility(page, "sign-in");
    await screenshot(page, "sign-in");
    await signIn(page, { email: config.manager.email, password: "not the password" });
    await page.locator(".problem .request-id").waitFor();
    await checkAccessibility(page, "sign-in refused");
    await context.close();
  }
} catch (error) {
  await current?.screenshot({ path: join(config.out, "failure.png"), fullPage: true });
  writeFileSync(join(config.out, "failure.html"), (await current?.content()) ?? "");
  throw error;
} finally {
  await browser.close();
  writeFileSync(join(config.out, "result.json"), JSON.stringify(result, null, 2));
}
