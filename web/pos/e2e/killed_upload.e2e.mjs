// Scenario 3 of issue 26 (run by tests/pos/test_killed_upload.py, which answers this script's
// question while it runs and holds the books to the API afterwards): the browser is killed in
// the middle of an upload and started again with the same profile.
//
// The browser is Debian's chromium started by this script with a user-data directory of its
// own (a tablet's profile) and driven over the DevTools protocol, so that it can be killed as
// a crash kills it (SIGKILL: no unload, no flush the page could ask for) and started again on
// the same directory.
//
// 1. the till activates, the cashier signs in and opens a shift, online;
// 2. offline, three cash sales (numbered from the register's offline series);
// 3. the network comes back; the till's upload (POST /v1/sync/batches) is let through to
//    halopos, which takes it in and answers, but the answer is held back from the page: the
//    till does not know its operations arrived. The test is asked how many of this till's
//    operations halopos has applied by then;
// 4. with that upload still in flight, one more sale (online: it waits for its number);
// 5. the browser is killed, and started again on the same profile: the till opens where it
//    was, its queue still holding what it never heard back about, and drains it; halopos
//    answers the operations it already had "duplicate", so nothing is doubled, and the sale
//    rung up during the held upload arrives, so nothing is lost;
// 6. one more sale online, and the shift is closed.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ask, browserRun } from "../../backoffice/e2e/lib.mjs";
import {
  activate,
  closeShift,
  drained,
  keptForOffline,
  major,
  network,
  openShift,
  pending,
  sellForCash,
  signIn,
  signedInAfterReload,
  status,
  syncPanel,
} from "./till.mjs";

const OFFLINE_SALES = 3;
const TILL_NAME = "Front counter";

/** Chromium on `profile`, headless, driven over the DevTools protocol: the process (to kill),
 * the connection, its one context (the profile's) and a page. */
async function startChromium(run, profile, who, started) {
  const child = spawn(
    run.config.chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--lang=en-AU",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  started.push(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const endpoint = await new Promise((resolve, reject) => {
    let said = "";
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${said}`)), 30_000);
    child.stderr.on("data", (chunk) => {
      said += chunk;
      const found = said.match(/DevTools listening on (ws:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    exited.then(({ code, signal }) => reject(new Error(`chromium stopped (${code ?? signal}): ${said}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  // The page's locale, as lib.mjs's contexts have it (a flag alone leaves headless en-US).
  const devtools = await context.newCDPSession(page);
  await devtools.send("Emulation.setLocaleOverride", { locale: "en-AU" });
  page.on("console", (message) => {
    if (message.type() === "error") run.result.console_errors.push(`${who}: ${message.text()}`);
  });
  page.on("pageerror", (error) => run.result.console_errors.push(`${who}: ${error.message}`));
  run.current = page;
  return { child, exited, browser, context, page };
}

/** The till's device id, from its IndexedDB (store "device" of "halopos-pos-till"). */
async function deviceId(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const opening = indexedDB.open("halopos-pos-till");
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const records = await new Promise((resolve, reject) => {
      const asked = db.transaction("device").objectStore("device").getAll();
      asked.onsuccess = () => resolve(asked.result);
      asked.onerror = () => reject(asked.error);
    });
    db.close();
    return records[0]?.device_id ?? null;
  });
}

await browserRun(async (run) => {
  // The chromiums this script started: whatever happens, none outlives it.
  const started = [];
  try {
    await scenario(run, started);
  } catch (error) {
    // Photographed here, while the browser is still there (browserRun would be too late).
    await run.current?.screenshot({ path: join(run.config.out, "failure.png"), fullPage: true }).catch(() => undefined);
    run.current = null;
    throw error;
  } finally {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }
});

async function scenario(run, started) {
  const { base, code, business } = run.config;
  const result = run.result;
  const profile = mkdtempSync(join(run.config.out, "profile-"));

  // --- before the crash -------------------------------------------------------------------
  const first = await startChromium(run, profile, "till", started);
  let page = first.page;
  await activate(page, base, code, TILL_NAME);
  await status(page, "Online");
  await signIn(page, business.cashier);
  await openShift(page, business.opening_float);
  await drained(page);
  await keptForOffline(page);
  result.device_id = await deviceId(page);

  await network(page, false);
  result.sales = [];
  for (let index = 0; index < OFFLINE_SALES; index += 1) {
    result.sales.push(await sellForCash(page, business, [["Flat white"], ["Bread roll"]], "10.00"));
  }
  result.pending_offline = await pending(page);

  // Every upload from now on reaches halopos, and its answer never reaches the page.
  result.held_uploads = [];
  let arrived;
  const firstArrived = new Promise((resolve) => (arrived = resolve));
  await first.context.route("**/v1/sync/batches", async (route) => {
    try {
      const sent = route.request().postDataJSON();
      const answer = await route.fetch();
      result.held_uploads.push({
        operations: sent.operations.map((operation) => operation.sequence),
        status: answer.status(),
      });
      arrived();
    } catch (error) {
      // The browser went away with the request: expected once it is killed.
      result.held_uploads.push({ error: String(error) });
    }
  });
  await network(page, true);
  await firstArrived;
  result.server_before_kill = await ask(run.config, "applied-before-kill", { device_id: result.device_id });

  // While the upload hangs: one more sale, online, its number to come from halopos.
  result.sales.push(await sellForCash(page, business, [["Latte"], ["Banana bread"]], "20.00", { numbered: false }));
  result.pending_before_kill = await pending(page);

  run.current = null; // nothing left to photograph until the restart
  first.child.kill("SIGKILL");
  result.killed = await first.exited;
  await first.browser.close().catch(() => undefined);

  // --- after the crash, the same profile --------------------------------------------------
  const second = await startChromium(run, profile, "till, restarted", started);
  page = second.page;
  await page.goto(`${base}/pos/`);
  result.after_restart = await signedInAfterReload(page, business.cashier);
  result.same_device = (await deviceId(page)) === result.device_id;
  await status(page, "Online");
  result.pending_after_restart = await pending(page);
  await drained(page);
  result.sync = await syncPanel(page, { settled: true });
  await run.screenshot(page, "pos-restarted-drained");

  result.sales.push(await sellForCash(page, business, [["Flat white", ["Soy milk"]], ["Bread roll"]], "10.00"));
  await drained(page);
  const taken = result.sales.reduce((sum, sale) => sum + sale.due_minor, 0);
  result.counted_minor = 20_000 + taken;
  result.close = await closeShift(page, major(result.counted_minor));

  await second.browser.close().catch(() => undefined);
  second.child.kill("SIGTERM");
  await second.exited;
}
