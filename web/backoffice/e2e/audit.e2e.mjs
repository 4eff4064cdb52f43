// The backoffice's audit page in a real browser (Debian's chromium driven by Playwright),
// against a running platform. Run by tests/backoffice/test_audit.py, which sets the business
// up (with enough audit entries for more than one page) and holds what this script saw to the
// API, and runs the verifier out of the downloaded bundle:
//
//   node backoffice/e2e/audit.e2e.mjs config.json
//
// The accountant signs in with a TOTP code, opens the audit log, filters it and pages through
// it with "Show more", verifies the chain, signs a checkpoint and downloads the reviewer's
// bundle; the manager finds no audit page in the menu, opens it by its address and meets the
// API's 403 on every call. Every state is checked with axe-core and photographed for the docs.
import { browserRun, menu, pageLink } from "./lib.mjs";

const isAudit = (response) => new URL(response.url()).pathname.startsWith("/v1/audit/");
const pathOf = (response) => new URL(response.url()).pathname;

/** The rows of the events table as the page shows them. */
async function eventRows(page) {
  return page.locator(".audit-events tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      seq: Number(row.dataset.seq),
      shown_seq: row.querySelector("th").textContent,
      occurred_at: row.querySelector("td time").getAttribute("datetime"),
      occurred_at_shown: row.querySelector("td time").textContent,
      actor_type: row.querySelector(".actor-type").textContent,
      actor_id: row.querySelector(".actor-id").textContent,
      action: row.querySelector(".action").textContent,
      resource_id: row.querySelector(".resource-id").textContent,
      payload: row.querySelector(".payload").textContent,
    })),
  );
}

await browserRun(async (run) => {
  const { config, result } = run;
  result.accountant = {};
  result.manager = {};

  // ---- the accountant --------------------------------------------------------------------
  {
    const page = await run.page("accountant");
    await run.signInWithCode(page, config.accountant);
    result.accountant.menu = await menu(page);

    // Every answer of the events API the page received, with the request that asked for it.
    const eventPages = [];
    page.on("response", async (response) => {
      if (pathOf(response) !== "/v1/audit/events") return;
      const url = new URL(response.url());
      eventPages.push({ request: url.pathname + url.search, status: response.status(), answer: await response.json() });
    });

    await pageLink(page, "Audit log").click();
    await page.locator(".audit-events tbody tr").first().waitFor();
    await page.locator(".public-key .verifier-key").waitFor();
    await page.locator("section[aria-label=Checkpoints] :is(.audit-checkpoints, .empty)").first().waitFor();
    result.accountant.zone_note = await page.locator(".zone-note").textContent();
    result.accountant.verifier_key = await page.locator(".public-key .verifier-key").textContent();
    await run.checkAccessibility(page, "audit");
    await run.screenshot(page, "audit");

    // Filter: one action, newest first; then the next page with "Show more".
    const events = page.getByRole("region", { name: "Events" });
    const filtered = page.waitForResponse(
      (response) => pathOf(response) === "/v1/audit/events" && response.url().includes("action=staff.created"),
    );
    await events.getByLabel("Action").fill("staff.created");
    await events.getByRole("button", { name: "Show", exact: true }).click();
    await filtered;
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll(".audit-events tbody tr .action")].every((node) => node.textContent === "staff.created") &&
        document.querySelectorAll(".audit-events tbody tr").length > 0,
    );
    const firstPage = await eventRows(page);
    const more = page.waitForResponse(
      (response) => pathOf(response) === "/v1/audit/events" && response.url().includes("cursor="),
    );
    await events.getByRole("button", { name: "Show more events" }).click();
    await more;
    await page.waitForFunction(
      (before) => document.querySelectorAll(".audit-events tbody tr").length > before,
      firstPage.length,
    );
    // Wait for the footer to settle (the button or nothing, not "Loading").
    await events.locator(".loading").waitFor({ state: "detached" });
    const rows = await eventRows(page);
    await events.locator(".audit-events tbody tr summary").first().click();
    await run.checkAccessibility(page, "audit events filtered, paged, one opened");
    await run.screenshot(page, "audit-events");
    await events.locator(".audit-events tbody tr summary").first().click(); // closed again
    result.accountant.events = {
      first_page_rows: firstPage.length,
      rows,
      pages: eventPages.filter((each) => each.request.includes("action=staff.created")),
    };

    // Verify: held back a moment, so that the working state can be seen (and checked).
    const verifyRegion = page.getByRole("region", { name: "Verify the chain" });
    await page.route("**/v1/audit/verify", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await route.continue();
    });
    const verified = page.waitForResponse((response) => pathOf(response) === "/v1/audit/verify");
    await verifyRegion.getByRole("button", { name: "Verify the chain" }).click();
    await verifyRegion.locator(".verifying").waitFor();
    result.accountant.verify_working = (await verifyRegion.locator(".verifying").textContent()).trim();
    await run.checkAccessibility(page, "audit verifying");
    const verifyAnswer = await (await verified).json();
    await verifyRegion.locator(".verification").waitFor();
    await page.unroute("**/v1/audit/verify");
    const shown = verifyRegion.locator(".verification");
    result.accountant.verification = {
      answer: verifyAnswer,
      valid: await shown.getAttribute("data-valid"),
      entries: await shown.locator("dd").nth(0).getAttribute("data-value"),
      checkpoints_checked: await shown.locator("dd").nth(1).getAttribute("data-value"),
      head_hash: await shown.locator(".hash").textContent(),
      text: await shown.locator(".verification-title").textContent(),
      working_gone: (await verifyRegion.locator(".verifying").count()) === 0,
    };
    await run.checkAccessibility(page, "audit verified");
    await run.screenshot(page, "audit-verified");

    // Sign a checkpoint now: the list reads it back, newest first.
    const checkpoints = page.getByRole("region", { name: "Checkpoints" });
    const signing = page.waitForResponse(
      (response) => pathOf(response) === "/v1/audit/checkpoints" && response.request().method() === "POST",
    );
    await checkpoints.getByRole("button", { name: "Sign a checkpoint now" }).click();
    const signedResponse = await signing;
    const signedAnswer = await signedResponse.json();
    await checkpoints.locator(".signed").waitFor();
    await checkpoints.locator(`.audit-checkpoints tbody tr[data-size="${signedAnswer.size}"]`).waitFor();
    result.accountant.signed = {
      status: signedResponse.status(),
      answer: signedAnswer,
      shown_size: await checkpoints.locator(".signed").getAttribute("data-size"),
      text: await checkpoints.locator(".signed").textContent(),
      first_row_size: await checkpoints.locator(".audit-checkpoints tbody tr").first().getAttribute("data-size"),
    };
    await run.checkAccessibility(page, "audit checkpoint signed");

    // The reviewer's bundle, with its progress, saved for the test to unpack and check.
    const bundleRegion = page.getByRole("region", { name: "Reviewer's bundle" });
    const button = bundleRegion.getByRole("button", { name: "Download the reviewer's bundle" });
    result.accountant.bundle = await run.download(page, button, bundleRegion.locator(".download-done"));
    await run.checkAccessibility(page, "audit bundle downloaded");
    await run.screenshot(page, "audit-bundle");
    await page.context().close();
  }

  // ---- the manager -----------------------------------------------------------------------
  {
    const page = await run.page("manager");
    await run.signInWithCode(page, config.manager);
    result.manager.menu = await menu(page);
    const answers = [];
    page.on("response", (response) => {
      if (isAudit(response)) {
        answers.push({ method: response.request().method(), path: pathOf(response), status: response.status() });
      }
    });
    // Not in the menu: typed into the address bar (the same document, so the session stays).
    await page.goto(`${config.base}/backoffice/?business=${config.business}#/audit`);
    const main = page.locator("main");
    await main.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll("main .problem").length >= 3);
    await page.getByRole("region", { name: "Verify the chain" }).getByRole("button", { name: "Verify the chain" }).click();
    await page.getByRole("region", { name: "Verify the chain" }).locator(".problem").waitFor();
    await page.getByRole("region", { name: "Checkpoints" }).getByRole("button", { name: "Sign a checkpoint now" }).click();
    await page.getByRole("region", { name: "Checkpoints" }).locator(".sign-checkpoint .problem").waitFor();
    const bundle = page.getByRole("region", { name: "Reviewer's bundle" });
    await bundle.getByRole("button", { name: "Download the reviewer's bundle" }).click();
    await bundle.locator(".download .problem").waitFor();
    result.manager.problems = await main.locator(".problem").evaluateAll((nodes) =>
      nodes.map((node) => ({
        section: node.closest("section")?.getAttribute("aria-label") ?? null,
        status: node.dataset.status,
        code: node.dataset.code,
        request_id: node.querySelector(".request-id")?.textContent ?? null,
      })),
    );
    result.manager.notice = await main.locator(".notice").textContent();
    result.manager.audit_answers = answers;
    await run.checkAccessibility(page, "audit refused (manager)");
    await run.screenshot(page, "audit-refused-manager");
    await page.context().close();
  }
});
