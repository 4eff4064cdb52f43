// The backoffice's staff and devices pages in a real browser, against a running platform. Run
// by tests/backoffice/test_staff.py, which answers this script's questions while it runs (a
// till that activates with the code read off the screen, sign-ins that must work or fail) and
// holds what it saw to the API:
//
//   node backoffice/e2e/staff.e2e.mjs config.json
//
// An owner adds a cashier with a PIN, creates an activation code and reads it from the QR
// code's pixels; the test activates a till with it and signs the cashier in there. The owner
// resets the cashier's PIN, changes a colleague's role, sees the till in the list and revokes
// it, and deactivates the colleague. A manager finds the role picker without the roles a
// manager may not give, and a role forced into it refused by the API. axe-core checks every
// state; the screenshots are docs/backoffice.md's.
import { ask, browserRun, menu, pageLink, readQrCode } from "./lib.mjs";

/** The rows of a list as the page shows them, with what each row's data attributes say. */
async function rows(table) {
  return table.locator("tbody tr").evaluateAll((found) =>
    found.map((row) => ({
      ...row.dataset,
      cells: [...row.querySelectorAll("th, td")].map((cell) => cell.textContent.trim()),
    })),
  );
}

/** The JSON answers of the list requests the page makes to `path` (GET, first page or next). */
function listAnswers(page, path) {
  const seen = [];
  page.on("response", async (response) => {
    const url = new URL(response.url());
    if (url.pathname === path && response.request().method() === "GET" && response.ok()) {
      seen.push({ request: url.pathname + url.search, answer: await response.json().catch(() => null) });
    }
  });
  return seen;
}

/** The answers the list on the page was last read from: its last first page (no cursor) and
 * the pages after it. */
function lastRead(answers) {
  const first = answers.findLastIndex((each) => !each.request.includes("cursor="));
  return first < 0 ? [] : answers.slice(first);
}

/** The page's list as it stands after its last load: the rows, the answers it was read from
 * (every page of it, in order) and the API's answers to those requests asked again now. */
async function listed(run, page, table, answers, what) {
  // Until the list has stopped loading and every answer it shows has been read here.
  await page.locator(".loading").waitFor({ state: "detached" });
  const deadline = Date.now() + 10_000;
  let shown = await rows(table);
  const count = (read) => read.reduce((total, each) => total + (each.answer?.items.length ?? 0), 0);
  while (count(lastRead(answers)) !== shown.length) {
    if (Date.now() > deadline) throw new Error(`${what}: the rows shown are not the answers read`);
    await page.waitForTimeout(100);
    shown = await rows(table);
  }
  const read = lastRead(answers);
  const reasked = await ask(run.config, `list-${what}-${run.result.lists.length}`, {
    requests: read.map((each) => each.request),
  });
  run.result.lists.push({ what, rows: shown, answers: read.map((each) => each.answer), api: reasked.answers });
  return shown;
}

await browserRun(async (run) => {
  const { config, result } = run;
  result.owner = {};
  result.manager = {};
  result.lists = [];

  // ---- the owner ---------------------------------------------------------------------------
  {
    const page = await run.page("owner");
    await run.signInWithCode(page, config.owner);
    result.owner.menu = await menu(page);

    // Staff: the first page of the list, then the next one.
    let staffAnswers = listAnswers(page, "/v1/staff");
    await pageLink(page, "Staff").click();
    const staffTable = page.locator("table.staff-list");
    await staffTable.locator("tbody tr").first().waitFor();
    const more = page.getByRole("button", { name: "Show more staff" });
    await more.waitFor();
    result.owner.first_page_rows = (await rows(staffTable)).length;
    await more.click();
    await page.waitForFunction(
      (count) => document.querySelectorAll("table.staff-list tbody tr").length > count,
      result.owner.first_page_rows,
    );
    await listed(run, page, staffTable, staffAnswers, "staff");
    const addForm = page.getByRole("form", { name: "Add a member of staff" });
    result.owner.roles_offered = await addForm.getByLabel("Role").locator("option").allTextContents();
    await run.checkAccessibility(page, "staff (owner)");

    // A new cashier with a PIN, working at the one venue.
    await addForm.getByLabel("E-mail").fill(config.cashier.email);
    await addForm.getByLabel("Display name").fill(config.cashier.display_name);
    await addForm.getByLabel("Role").selectOption("cashier");
    await addForm.getByLabel(/^PIN/).fill(config.cashier.pin);
    await addForm.getByLabel("Only the venues ticked below").check();
    await addForm.getByLabel(config.venue_name).check();
    await run.checkAccessibility(page, "staff: adding a cashier");
    await run.screenshot(page, "staff-add");
    staffAnswers = listAnswers(page, "/v1/staff");
    const creating = page.waitForResponse(
      (response) => new URL(response.url()).pathname === "/v1/staff" && response.request().method() === "POST",
    );
    await addForm.getByRole("button", { name: "Add to staff" }).click();
    const created = await (await creating).json();
    result.owner.created = created;
    await page.getByRole("status").filter({ hasText: "was added as Cashier" }).waitFor();
    await staffTable.locator(`tr[data-staff-id="${created.id}"]`).waitFor();

    // Devices: an activation code for the venue, read from the QR code's pixels.
    await pageLink(page, "Devices").click();
    const codeForm = page.getByRole("form", { name: "Create an activation code" });
    await codeForm.getByLabel("Venue").selectOption({ label: config.venue_name });
    await codeForm.getByLabel("Till name (optional)").fill("Front counter");
    await codeForm.getByRole("button", { name: "Create activation code" }).click();
    const qr = page.getByRole("img", { name: `QR code to activate a till at ${config.venue_name}` });
    await qr.waitFor();
    const scanned = await readQrCode(qr);
    result.owner.code = {
      scanned,
      text: (await page.locator(".activation-code").textContent()).trim(),
      expires_at: await page.locator(".activation").getAttribute("data-expires-at"),
      shown_expiry: await page.locator(".activation time").getAttribute("datetime"),
    };
    await run.checkAccessibility(page, "devices: activation code");
    await run.screenshot(page, "devices-code");

    // The till activates with what it scanned, and the new cashier signs in there.
    result.owner.till = await ask(config, "till", { scanned, cashier_id: created.id });

    // A PIN reset: the new PIN works at the till, the old one no longer does.
    await pageLink(page, "Staff").click();
    const cashierRow = staffTable.locator(`tr[data-staff-id="${created.id}"]`);
    await cashierRow.getByRole("button", { name: /^Reset PIN/ }).click();
    const pinDialog = page.getByRole("dialog", { name: `Reset the PIN of ${config.cashier.display_name}` });
    await pinDialog.getByLabel("New PIN (4 to 6 digits)").fill(config.cashier.new_pin);
    await run.checkAccessibility(page, "staff: PIN reset");
    await pinDialog.getByRole("button", { name: "Set the new PIN" }).click();
    await page.getByRole("status").filter({ hasText: "has a new PIN" }).waitFor();
    result.owner.pin_reset = await ask(config, "pin-reset", { cashier_id: created.id });

    // A role change: the colleague who is leaving goes from manager to cashier first.
    const leaverRow = staffTable.locator(`tr[data-staff-id="${config.leaver.id}"]`);
    await leaverRow.getByRole("button", { name: /^Change role/ }).click();
    const roleDialog = page.getByRole("dialog", { name: /^Change the role of/ });
    await roleDialog.getByLabel("New role").selectOption("cashier");
    await run.checkAccessibility(page, "staff: role change");
    await roleDialog.getByRole("button", { name: "Change role" }).click();
    await page.getByRole("status").filter({ hasText: "is now Cashier" }).waitFor();
    await page.locator(`tr[data-staff-id="${config.leaver.id}"][data-role=cashier]`).waitFor();

    // The till in the list, revoked; its session is refused afterwards.
    const deviceAnswers = listAnswers(page, "/v1/devices");
    await pageLink(page, "Devices").click();
    const deviceTable = page.locator("table.device-list");
    const tillRow = deviceTable.locator(`tr[data-device-id="${result.owner.till.device_id}"]`);
    await tillRow.waitFor();
    await listed(run, page, deviceTable, deviceAnswers, "devices");
    await run.checkAccessibility(page, "devices");
    await run.screenshot(page, "devices");
    await tillRow.getByRole("button", { name: /^Revoke/ }).click();
    const revokeDialog = page.getByRole("dialog", { name: "Revoke Front counter?" });
    await revokeDialog.waitFor();
    await run.checkAccessibility(page, "devices: revoke?");
    await run.screenshot(page, "devices-revoke");
    const revokedAnswers = listAnswers(page, "/v1/devices");
    await revokeDialog.getByRole("button", { name: "Revoke", exact: true }).click();
    await deviceTable.locator(`tr[data-device-id="${result.owner.till.device_id}"][data-status=revoked]`).waitFor();
    await listed(run, page, deviceTable, revokedAnswers, "devices");
    await run.checkAccessibility(page, "devices: revoked");
    result.owner.revoked = await ask(config, "revoked", {});

    // Deactivating the colleague: their sign-in is refused afterwards.
    const deactivatedAnswers = listAnswers(page, "/v1/staff");
    await pageLink(page, "Staff").click();
    await leaverRow.getByRole("button", { name: /^Deactivate/ }).click();
    const leaveDialog = page.getByRole("dialog", { name: /^Deactivate / });
    await leaveDialog.waitFor();
    await run.checkAccessibility(page, "staff: deactivate?");
    await leaveDialog.getByRole("button", { name: "Deactivate", exact: true }).click();
    await page.locator(`tr[data-staff-id="${config.leaver.id}"][data-active=false]`).waitFor();
    await run.checkAccessibility(page, "staff: deactivated");
    await run.screenshot(page, "staff");
    await page.getByRole("button", { name: "Show more staff" }).click();
    await page.waitForFunction(
      (count) => document.querySelectorAll("table.staff-list tbody tr").length > count,
      result.owner.first_page_rows,
    );
    await listed(run, page, staffTable, deactivatedAnswers, "staff");
    await run.checkAccessibility(page, "staff: both pages");
    result.owner.deactivated = await ask(config, "deactivated", {});
    await page.context().close();
  }

  // ---- the manager -------------------------------------------------------------------------
  {
    const page = await run.page("manager");
    await run.signIn(page, config.manager);
    await page.locator("nav[aria-label=Pages]").waitFor();
    result.manager.menu = await menu(page);
    await pageLink(page, "Staff").click();
    await page.locator("table.staff-list tbody tr").first().waitFor();
    const addForm = page.getByRole("form", { name: "Add a member of staff" });
    const roleSelect = addForm.getByLabel("Role");
    result.manager.roles_offered = await roleSelect.locator("option").allTextContents();
    // Who the manager may not change has no buttons: an owner's row says so.
    result.manager.owner_row = await page
      .locator(`tr[data-staff-id="${config.owner.id}"] td.actions`)
      .textContent();
    await run.checkAccessibility(page, "staff (manager)");

    // A role the picker does not offer, forced into it: the API refuses, and the page says so.
    await roleSelect.evaluate((select) => {
      const forced = document.createElement("option");
      forced.value = "owner";
      forced.textContent = "Owner (forced)";
      select.append(forced);
    });
    await roleSelect.selectOption("owner");
    await addForm.getByLabel("E-mail").fill(config.forced_email);
    await addForm.getByLabel("Display name").fill("Not an owner");
    await addForm.getByLabel(/^Password/).fill("a password long enough");
    await addForm.getByRole("button", { name: "Add to staff" }).click();
    const problem = addForm.locator(".problem");
    await problem.waitFor();
    result.manager.problem = {
      code: await problem.getAttribute("data-code"),
      status: await problem.getAttribute("data-status"),
      request_id: await problem.locator(".request-id").textContent(),
      text: await problem.textContent(),
    };
    await run.checkAccessibility(page, "staff: forced role refused (manager)");
    await run.screenshot(page, "staff-refused-manager");

    await pageLink(page, "Devices").click();
    await page.locator("table.device-list tbody tr").first().waitFor();
    result.manager.venues_offered = await page
      .getByRole("form", { name: "Create an activation code" })
      .getByLabel("Venue")
      .locator("option")
      .allTextContents();
    await run.checkAccessibility(page, "devices (manager)");
    await page.context().close();
  }
});
