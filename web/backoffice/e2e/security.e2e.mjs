// Sign-in enrolment and /admin/security in a real browser (Debian's chromium driven by
// Playwright), against a running platform. Run by tests/backoffice/test_security.py, which sets
// the people up, and afterwards holds what this script saw and did to the API:
//
//   node backoffice/e2e/security.e2e.mjs config.json
//
// A new owner of a business that requires authenticator apps signs in with the enrolment code
// another owner gave them, reads the QR code off the page's pixels as a phone would, confirms
// with the app's code, sees the recovery codes once and lands signed in. On /admin/security they
// create two Bridge tokens, rotate one with a grace period, revoke the other, change an override
// limit, give a colleague an enrolment code, end the accountant's session and stop requiring
// authenticator apps. The manager finds no Security page, and its API refuses them. Every state
// is checked with axe-core and photographed for the docs.
import { browserRun, menu, pageLink, readQrCode, totp } from "./lib.mjs";

const ONE_HOUR = "3600";

await browserRun(async (run) => {
  const { config, result } = run;
  result.owner = {};
  result.manager = {};

  // ---- a new owner signs in and sets up an authenticator app --------------------------------
  const page = await run.page("owner");
  await run.signIn(page, config.owner);
  const required = page.locator('.problem[data-code="totp-enrolment-code-required"]');
  await required.waitFor();
  result.owner.refused_without_code = await required.textContent();
  await run.checkAccessibility(page, "sign-in: enrolment code required");
  const codeField = page.getByLabel("Enrolment code (from an owner of the business)");
  await codeField.fill(config.owner.enrolment_code);
  await run.screenshot(page, "sign-in-enrolment-code");
  await page.getByRole("button", { name: "Continue" }).click();

  const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
  await qr.waitFor();
  await run.checkAccessibility(page, "sign-in: set up the authenticator app");
  await run.screenshot(page, "sign-in-enrolment");
  // What a phone's camera would read, and what the page offers to type by hand.
  const uri = await readQrCode(qr);
  const secret = new URL(uri).searchParams.get("secret");
  result.owner.otpauth_uri = uri;
  result.owner.typed_secret = (await page.locator("code.secret").textContent()).replace(/\s/g, "");
  await page.getByLabel("Code from the app").fill(totp(secret));
  await page.getByRole("button", { name: "Confirm" }).click();

  const recovery = page.getByRole("region", { name: "Your recovery codes" });
  await recovery.waitFor();
  result.owner.recovery_codes = await recovery.locator(".recovery-codes code").allTextContents();
  result.owner.recovery_warning = await recovery.locator(".notice").textContent();
  result.owner.continue_disabled_before_saving = await recovery
    .getByRole("button", { name: "Continue to the backoffice" })
    .isDisabled();
  await run.checkAccessibility(page, "sign-in: recovery codes");
  await run.screenshot(page, "sign-in-recovery-codes");
  await recovery.getByLabel("I have saved my recovery codes").check();
  await recovery.getByRole("button", { name: "Continue to the backoffice" }).click();
  await page.locator("nav[aria-label=Pages]").waitFor();
  result.owner.menu = await menu(page);
  result.owner.role = await page.locator("[data-role]").getAttribute("data-role");
  const html = await page.content();
  result.owner.codes_still_on_page = result.owner.recovery_codes.filter((each) => html.includes(each));
  await run.checkAccessibility(page, "overview (new owner)");

  // ---- /admin/security ------------------------------------------------------------------
  await pageLink(page, "Security").click();
  const bridge = page.getByRole("region", { name: "Bridge tokens" });
  await bridge.getByRole("button", { name: "Create token" }).waitFor();
  await page.locator(".owner-totp").waitFor();
  await page.locator("table.sessions").waitFor();
  await page.locator('.figure[data-limit="void_limit_minor"]').waitFor();
  await run.checkAccessibility(page, "security");

  // Two Bridge tokens: the first is rotated with an hour's grace, the second revoked.
  async function create(name) {
    await bridge.getByLabel("Name").fill(name);
    await bridge.getByRole("button", { name: "Create token" }).click();
    const shown = bridge.locator(".secret-once");
    await shown.waitFor();
    const token = {
      id: await shown.getAttribute("data-token-id"),
      name,
      secret: await shown.locator(".bridge-secret").textContent(),
      venue: await bridge.getByLabel("Venue").inputValue(),
    };
    await bridge.locator(`tr[data-token-id="${token.id}"]`).waitFor();
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "detached" });
    return token;
  }
  const kept = await create("Mac mini behind the bar");
  const retired = await create("Old kitchen laptop");
  result.bridge = { kept, retired };

  const keptRow = bridge.locator(`tr[data-token-id="${kept.id}"]`);
  await keptRow.getByLabel("Old secret").selectOption(ONE_HOUR);
  await keptRow.getByRole("button", { name: "Rotate" }).click();
  const rotated = bridge.locator(".secret-once");
  await rotated.locator(".previous-until").waitFor();
  result.bridge.rotated = {
    id: await rotated.getAttribute("data-token-id"),
    secret: await rotated.locator(".bridge-secret").textContent(),
    previous_until: await rotated.locator(".previous-until").textContent(),
  };
  await run.checkAccessibility(page, "security: a rotated Bridge token's new secret");
  await run.screenshot(page, "security-bridge-rotated");
  await rotated.getByRole("button", { name: "I have copied it" }).click();

  const retiredRow = bridge.locator(`tr[data-token-id="${retired.id}"]`);
  await retiredRow.getByRole("button", { name: "Revoke…" }).click();
  await retiredRow.getByRole("group").waitFor();
  await run.checkAccessibility(page, "security: confirm revoking a Bridge token");
  await retiredRow.getByRole("button", { name: `Revoke ${retired.name}` }).click();
  await bridge.locator(`tr[data-token-id="${retired.id}"][data-status=revoked]`).waitFor();
  result.bridge.rows = await bridge.locator("tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({ id: row.dataset.tokenId, status: row.dataset.status })),
  );

  // An override limit, typed in the business's currency.
  const limits = page.getByRole("region", { name: "Override limits" });
  await limits.getByLabel(/^Void without approval up to/).fill("25.50");
  await limits.getByRole("button", { name: "Save limits" }).click();
  await limits.locator(".saved").waitFor();
  const voidLimit = limits.locator('.figure[data-limit="void_limit_minor"]');
  result.limits = {
    void_limit_minor: Number(await voidLimit.getAttribute("data-value")),
    shown: await voidLimit.locator("dd").textContent(),
  };
  await run.checkAccessibility(page, "security: override limits saved");

  // An enrolment code for another owner.
  const authenticators = page.getByRole("region", { name: "Authenticator apps" });
  await authenticators.locator("select[name=enrolment_staff]").selectOption(config.colleague.id);
  await authenticators.getByRole("button", { name: "Issue enrolment code" }).click();
  const issued = authenticators.locator(".secret-once");
  await issued.waitFor();
  result.enrolment_code = {
    staff_id: await issued.getAttribute("data-staff-id"),
    code: await issued.locator(".enrolment-code").textContent(),
  };
  await run.checkAccessibility(page, "security: an enrolment code issued");
  await run.screenshot(page, "security-enrolment-code");
  await issued.getByRole("button", { name: "I have passed it on" }).click();

  // The accountant's session, ended.
  const sessions = page.getByRole("region", { name: "Active sessions" });
  const theirs = sessions.locator(`tr[data-session-id="${config.accountant.session_id}"]`);
  await theirs.waitFor();
  result.sessions = await sessions.locator("tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.dataset.sessionId,
      staff_id: row.dataset.staffId,
      from: row.querySelector("td[data-client]").textContent,
    })),
  );
  await run.screenshot(page, "security-sessions");
  await theirs.getByRole("button", { name: "End…" }).click();
  await theirs.getByRole("button", { name: "End session" }).click();
  await sessions.locator(`[data-ended="${config.accountant.session_id}"]`).waitFor();
  await theirs.waitFor({ state: "detached" });
  await run.checkAccessibility(page, "security: a session ended");

  // Owners no longer need an authenticator app (the business's setting the test turned on).
  await authenticators
    .getByRole("button", { name: "Stop requiring authenticator apps for owners" })
    .click();
  await page.locator('.owner-totp[data-required="false"]').waitFor();
  result.owner_totp_required_shown = false;
  await page.evaluate(() => window.scrollTo(0, 0));
  await run.screenshot(page, "security");
  await page.context().close();

  // ---- the manager ------------------------------------------------------------------------
  {
    const page = await run.page("manager");
    await run.signIn(page, config.manager);
    await page.locator("nav[aria-label=Pages]").waitFor();
    result.manager.menu = await menu(page);
    const answers = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith("/v1/admin/security") || url.pathname === "/v1/settings/override-limits") {
        answers.push({ method: response.request().method(), path: url.pathname, status: response.status() });
      }
    });
    // Not in the menu; typed into the address bar (only the fragment changes: the session
    // stays): every section asks the API, and the API refuses.
    await page.evaluate(() => (window.location.hash = "#/admin/security"));
    await page.getByRole("region", { name: "Active sessions" }).locator(".problem").waitFor();
    await page.getByRole("region", { name: "Bridge tokens" }).locator(".problem").first().waitFor();
    await page.getByRole("region", { name: "Authenticator apps" }).locator(".problem").first().waitFor();
    // Reading the limits is the till's right too; changing them is refused.
    const limits = page.getByRole("region", { name: "Override limits" });
    await limits.getByLabel(/^Void without approval up to/).fill("1000");
    await limits.getByRole("button", { name: "Save limits" }).click();
    await limits.locator(".problem").waitFor();
    // The staff list is the manager's to read; an enrolment code is not theirs to give.
    const authenticators = page.getByRole("region", { name: "Authenticator apps" });
    await authenticators.getByRole("button", { name: "Issue enrolment code" }).click();
    await authenticators.locator(".problem").nth(1).waitFor();
    const problem = page.getByRole("region", { name: "Active sessions" }).locator(".problem");
    result.manager.problem = {
      code: await problem.getAttribute("data-code"),
      status: await problem.getAttribute("data-status"),
      request_id: await problem.locator(".request-id").textContent(),
    };
    result.manager.answers = answers;
    await run.checkAccessibility(page, "security refused (manager)");
    await run.screenshot(page, "security-refused-manager");
    await page.context().close();
  }
});
