// What every browser script of the backoffice shares (each one is run by a test in
// tests/backoffice/, through tests/backoffice/browser.py, with a config.json it wrote):
//
//   import { browserRun } from "./lib.mjs";
//   await browserRun(async (run) => { const page = await run.page("owner"); ... });
//
// `run.result` is written to `<out>/result.json` whatever happens; when the script fails, the
// page in use is photographed and saved into the output folder for the test's message.
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");

/** Asks the test a question and waits for its answer (tests/backoffice/browser.py's
 * `answer`): the test watches the output folder for `ask-<name>.json` and writes
 * `answer-<name>.json`. */
export async function ask(config, name, question) {
  const asked = join(config.out, `ask-${name}.json`);
  writeFileSync(`${asked}.part`, JSON.stringify(question));
  renameSync(`${asked}.part`, asked);
  const answer = join(config.out, `answer-${name}.json`);
  const deadline = Date.now() + 120_000;
  while (!existsSync(answer)) {
    if (Date.now() > deadline) throw new Error(`the test did not answer ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const body = JSON.parse(readFileSync(answer, "utf-8"));
  if (body.error) throw new Error(`the test could not answer ${name}: ${body.error}`);
  return body;
}

/** RFC 6238 as authenticator apps do it: SHA-1, 6 digits, 30 s; `stepsAhead` steps from now. */
export function totp(secret, stepsAhead = 0) {
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

/** The texts of the menu of pages, in order. */
export async function menu(page) {
  return page.locator("nav[aria-label=Pages] a").allTextContents();
}

/** The menu's link to a page, by its title. */
export function pageLink(page, title) {
  return page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: title, exact: true });
}

class Run {
  constructor(config, browser) {
    this.config = config;
    this.browser = browser;
    this.result = { axe: [], console_errors: [], screenshots: [] };
    this.current = null;
  }

  /** A fresh browser context (its own IndexedDB, so its own DPoP key) and a page in it, whose
   * console errors are kept under `who`. */
  async page(who, options = {}) {
    const context = await this.browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      locale: "en-AU",
      ...options,
    });
    const page = await context.newPage();
    this.current = page;
    page.on("console", (message) => {
      if (message.type() === "error") this.result.console_errors.push(`${who}: ${message.text()}`);
    });
    page.on("pageerror", (error) => this.result.console_errors.push(`${who}: ${error.message}`));
    return page;
  }

  /** Opens the sign-in page of the person's business (`person.business`, or the config's)
   * and sends an e-mail and password. */
  async signIn(page, person) {
    const business = person.business ?? this.config.business;
    await page.goto(`${this.config.base}/backoffice/?business=${business}`);
    await page.getByLabel("E-mail", { exact: true }).fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  /** Signs in a person with an authenticator app (`person.totp_secret`) to the menu. The code
   * is the next step's: the enrolment spent the current one, and the API accepts one ahead. */
  async signInWithCode(page, person, stepsAhead = 1) {
    await this.signIn(page, person);
    await page.getByLabel("Code", { exact: true }).fill(totp(person.totp_secret, stepsAhead));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("nav[aria-label=Pages]").waitFor();
  }

  /** axe-core over the page as it is now: the serious and critical violations. Evaluated
   * through the DevTools protocol, which the page's CSP does not govern. */
  async checkAccessibility(page, name) {
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
    this.result.axe.push({ page: name, violations });
  }

  /** A full-page screenshot into the screenshots folder (docs/backoffice/ under
   * `make screenshots`). */
  async screenshot(page, name) {
    const file = `${name}.png`;
    await page.screenshot({ path: join(this.config.screenshots, file), fullPage: true });
    this.result.screenshots.push(file);
  }

  /** Clicks a download button, saves the file into the output folder, waits for the page to
   * say it is saved; what was downloaded. */
  async download(page, button, status) {
    const downloading = page.waitForEvent("download");
    await button.click();
    const download = await downloading;
    const path = join(this.config.out, download.suggestedFilename());
    await download.saveAs(path);
    await status.waitFor();
    return { name: download.suggestedFilename(), path, status: (await status.textContent()).trim() };
  }
}

/** Runs `body(run)` with chromium launched as the config says; writes `run.result`. */
export async function browserRun(body) {
  const config = JSON.parse(readFileSync(process.argv[2], "utf-8"));
  mkdirSync(config.screenshots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: config.chromium,
    // Root in a container: chromium's sandbox needs user namespaces it may not have.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const run = new Run(config, browser);
  try {
    await body(run);
  } catch (error) {
    if (run.current !== null) {
      await run.current.screenshot({ path: join(config.out, "failure.png"), fullPage: true });
      writeFileSync(join(config.out, "failure.html"), await run.current.content());
    }
    throw error;
  } finally {
    await browser.close();
    writeFileSync(join(config.out, "result.json"), JSON.stringify(run.result, null, 2));
  }
}

/** What a QR code on the page says, read as a phone would: from its pixels (a screenshot of
 * the element), decoded by jsQR. */
export async function readQrCode(locator) {
  const { PNG } = await import("pngjs");
  const { default: jsQR } = await import("jsqr");
  const image = PNG.sync.read(await locator.screenshot());
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (found === null) throw new Error("no QR code could be read from the page");
  return found.data;
}
