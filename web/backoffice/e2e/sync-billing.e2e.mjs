// The backoffice's sync review and billing pages in a real browser. Run by
// tests/backoffice/test_sync_billing.py, which sets up the businesses (a till's offline upload
// that raised flags and offline approvals; a subscription that lapsed through Stripe's
// webhooks) and holds what this script saw and did to the API:
//
//   node backoffice/e2e/sync-billing.e2e.mjs config.json
//
// The manager resolves a flag, confirms one offline approval and disputes another; the
// accountant reads the same lists (every answer the page got is recorded with what it showed)
// and is offered no control; an owner reads the subscription and goes to Stripe Checkout; the
// owner of the lapsed business sees the read-only banner. axe-core checks every state.
import { browserRun, menu, pageLink } from "./lib.mjs";

/** The items a review list shows: ids, kinds, states and the minor units behind each amount. */
async function shownItems(list) {
  return list.locator(":scope > li").evaluateAll((items) =>
    items.map((item) => ({
      id: item.dataset.flag ?? item.dataset.approval,
      kind: item.dataset.kind ?? null,
      action: item.dataset.action ?? null,
      state: item.dataset.state,
      text: item.textContent,
      values: Object.fromEntries(
        [...item.querySelectorAll("[data-detail]")]
          .map((detail) => [detail.dataset.detail, detail.querySelector("[data-value]")?.dataset.value])
          .filter(([, value]) => value !== undefined),
      ),
    })),
  );
}

const isList = (path) => (response) =>
  new URL(response.url()).pathname === path && response.request().method() === "GET";

/** Waits for a list's answer (started by `action`), and for the page to show it. */
async function listAnswer(page, path, listName, action) {
  const answered = page.waitForResponse(isList(path));
  await action();
  const response = await answered;
  const answer = await response.json();
  const list = page.getByRole("list", { name: listName, exact: true });
  // The page has drawn this answer when it shows as many items (or says there are none).
  await page.waitForFunction(
    ([name, count]) => {
      const found = document.querySelector(`ul[aria-label="${name}"]`);
      const loading = found?.parentElement?.querySelector(".loading");
      return found !== null && !loading && found.children.length === count;
    },
    [listName, answer.items.length],
  );
  const url = new URL(response.url());
  return { path, request: url.pathname + url.search, answer, shown: await shownItems(list) };
}

/** Signs in with a TOTP code to another business than the config's (run.signInWithCode's way). */
await browserRun(async (run) => {
  const { config, result } = run;

  // ---- the manager reviews ----------------------------------------------------------------
  {
    result.manager = { done: {} };
    const page = await run.page("manager");
    await run.signInWithCode(page, config.manager);
    result.manager.menu = await menu(page);
    const flagsShown = page.waitForResponse(isList("/v1/sync/flags"));
    const approvalsShown = page.waitForResponse(isList("/v1/sync/approvals"));
    await pageLink(page, "Sync review").click();
    await flagsShown;
    await approvalsShown;
    const flags = page.getByRole("list", { name: "Flags", exact: true });
    const approvals = page.getByRole("list", { name: "Offline approvals", exact: true });
    await flags.locator(`li[data-flag="${config.resolve_flag}"]`).waitFor();
    await approvals.locator(`li[data-approval="${config.confirm_approval}"]`).waitFor();
    result.manager.first_view = { flags: await shownItems(flags), approvals: await shownItems(approvals) };
    await run.checkAccessibility(page, "sync review (manager)");
    await run.screenshot(page, "sync-manager");

    // A flag: what was found and done.
    const flag = flags.locator(`li[data-flag="${config.resolve_flag}"]`);
    const resolution = "Checked the docket: the till printed last week's price";
    await flag.getByLabel("What was found and done").fill(resolution);
    await flag.getByRole("button", { name: "Mark resolved" }).click();
    await flag.locator(".resolution").waitFor();
    result.manager.done.flag = {
      text: resolution,
      state: await flag.getAttribute("data-state"),
      shown: await flag.locator(".review-state").textContent(),
    };

    // An approval confirmed, with a note.
    const confirmed = approvals.locator(`li[data-approval="${config.confirm_approval}"]`);
    const confirmNote = "Confirmed with the manager at the end of the shift";
    await confirmed.getByLabel("Note (needed to dispute)").fill(confirmNote);
    await confirmed.getByRole("button", { name: "Confirm", exact: true }).click();
    await page.locator(`li[data-approval="${config.confirm_approval}"][data-state=confirmed]`).waitFor();
    result.manager.done.confirmed = {
      note: confirmNote,
      state: await confirmed.getAttribute("data-state"),
      shown: await confirmed.locator(".review-state").textContent(),
    };

    // Another disputed: first without saying why (the page asks for it), then with a note.
    const disputed = approvals.locator(`li[data-approval="${config.dispute_approval}"]`);
    await disputed.getByRole("button", { name: "Dispute", exact: true }).click();
    const missing = disputed.locator(".field-problem");
    await missing.waitFor();
    result.manager.dispute_without_note = (await missing.textContent()).trim();
    await run.checkAccessibility(page, "sync review: a dispute without a note");
    const disputeNote = "No manager was on shift that morning";
    await disputed.getByLabel("Note (needed to dispute)").fill(disputeNote);
    await disputed.getByRole("button", { name: "Dispute", exact: true }).click();
    await page.locator(`li[data-approval="${config.dispute_approval}"][data-state=disputed]`).waitFor();
    result.manager.done.disputed = {
      note: disputeNote,
      state: await disputed.getAttribute("data-state"),
      shown: await disputed.locator(".review-state").textContent(),
    };
    await run.checkAccessibility(page, "sync review: reviewed (manager)");
    await run.screenshot(page, "sync-reviewed");
    await page.context().close();
  }

  // ---- the accountant reads the same lists, with no control --------------------------------
  {
    result.accountant = { lists: [] };
    const page = await run.page("accountant");
    await run.signInWithCode(page, config.accountant);
    result.accountant.menu = await menu(page);
    const approvalsFirst = page.waitForResponse(isList("/v1/sync/approvals"));
    result.accountant.lists.push(
      await listAnswer(page, "/v1/sync/flags", "Flags", () => pageLink(page, "Sync review").click()),
    );
    await approvalsFirst;
    const flagsRegion = page.getByRole("region", { name: "Flags" });
    const approvalsRegion = page.getByRole("region", { name: "Offline approvals" });
    result.accountant.lists.push(
      await listAnswer(page, "/v1/sync/flags", "Flags", () =>
        flagsRegion.locator("select[name=flags-filter]").selectOption("all"),
      ),
    );
    for (const status of ["confirmed", "disputed", "pending"]) {
      result.accountant.lists.push(
        await listAnswer(page, "/v1/sync/approvals", "Offline approvals", () =>
          approvalsRegion.locator("select[name=approvals-filter]").selectOption(status),
        ),
      );
    }
    await approvalsRegion.locator("select[name=approvals-filter]").selectOption("confirmed");
    await approvalsRegion.locator("li[data-state=confirmed]").waitFor();
    result.accountant.controls = await page
      .locator("main textarea, main form button, main button:text-is('Confirm'), main button:text-is('Dispute')")
      .count();
    await run.checkAccessibility(page, "sync review (accountant)");
    await run.screenshot(page, "sync-accountant");
    await page.context().close();
  }

  // ---- an owner: the subscription, and Stripe Checkout -----------------------------------
  {
    result.owner = {};
    const page = await run.page("owner");
    await run.signInWithCode(page, config.owner);
    result.owner.menu = await menu(page);
    const read = page.waitForResponse(isList("/v1/billing/subscription"));
    await pageLink(page, "Billing").click();
    const answer = await (await read).json();
    const state = page.locator("dl.subscription");
    await state.waitFor();
    result.owner.subscription = {
      answer,
      shown: {
        status: await state.getAttribute("data-status"),
        mode: await state.getAttribute("data-mode"),
        billing_account: await state.getAttribute("data-billing-account"),
      },
      text: await state.textContent(),
    };
    result.owner.banner = (await page.locator(".banner").count()) > 0 ? await page.locator(".banner").textContent() : null;
    await run.checkAccessibility(page, "billing (owner)");
    await run.screenshot(page, "billing-owner");

    // Checkout: the page asks the API for a session and goes where the answer says (the
    // test platform's fake Stripe, on this machine; nothing is paid here).
    // The answer is read on its way to the page (passed on unchanged), since the page leaves
    // as soon as it has it.
    let answered;
    const started = new Promise((resolve) => (answered = resolve));
    await page.route("**/v1/billing/checkout-sessions", async (route) => {
      const response = await route.fetch();
      answered(await response.json());
      await route.fulfill({ response });
    });
    await page.getByRole("button", { name: "Subscribe with Stripe Checkout" }).click();
    const checkout = await started;
    const local = new URL(checkout.url).hostname === "127.0.0.1";
    if (local) await page.waitForURL(checkout.url);
    result.owner.checkout = { answer: checkout, landed: local ? page.url() : null };
    await page.context().close();
  }

  // ---- the owner of the business whose subscription lapsed --------------------------------
  {
    result.lapsed_owner = {};
    const page = await run.page("lapsed owner");
    await run.signInWithCode(page, { ...config.lapsed_owner, business: config.lapsed_business });
    const banner = page.locator(".banner[data-mode=read-only]");
    await banner.waitFor();
    result.lapsed_owner.banner = {
      mode: await banner.getAttribute("data-mode"),
      status: await banner.getAttribute("data-status"),
      text: await banner.textContent(),
    };
    await run.checkAccessibility(page, "overview with the read-only banner (owner)");
    await run.screenshot(page, "read-only-banner");
    const read = page.waitForResponse(isList("/v1/billing/subscription"));
    await pageLink(page, "Billing").click();
    const answer = await (await read).json();
    const state = page.locator("dl.subscription");
    await state.waitFor();
    result.lapsed_owner.subscription = {
      answer,
      shown: {
        status: await state.getAttribute("data-status"),
        mode: await state.getAttribute("data-mode"),
        billing_account: await state.getAttribute("data-billing-account"),
      },
      text: await state.textContent(),
    };
    await page.getByRole("button", { name: "Subscribe with Stripe Checkout" }).waitFor();
    await run.checkAccessibility(page, "billing: read-only (owner)");
    await run.screenshot(page, "billing-read-only");
    await page.context().close();
  }

  // ---- a manager of the lapsed business: no banner until a write is refused ----------------
  {
    result.lapsed_manager = {};
    const page = await run.page("lapsed manager");
    await run.signInWithCode(page, { ...config.lapsed_manager, business: config.lapsed_business });
    result.lapsed_manager.banner_before = await page.locator(".banner[data-mode]").count();
    await pageLink(page, "Menu").click();
    const categories = page.getByRole("region", { name: "Categories" });
    const newCategory = categories.getByRole("form", { name: "New category" });
    await newCategory.getByLabel("Name", { exact: true }).fill("Breakfast");
    const refused = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === "/v1/menu/categories" &&
        response.request().method() === "POST",
    );
    await newCategory.getByRole("button", { name: "Add category" }).click();
    const answer = await refused;
    result.lapsed_manager.refused = { status: answer.status(), problem: await answer.json() };
    const banner = page.locator(".banner[data-mode=read-only]");
    await banner.waitFor();
    result.lapsed_manager.banner = {
      mode: await banner.getAttribute("data-mode"),
      text: await banner.textContent(),
    };
    await run.checkAccessibility(page, "menu: a write refused, read-only (manager)");
    await run.screenshot(page, "read-only-banner-manager");
    await page.context().close();
  }
});
