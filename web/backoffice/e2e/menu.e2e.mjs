// The backoffice's menu and tax pages in a real browser, against a running platform. Run by
// tests/backoffice/test_menu.py, which sets the people and a long menu up through the API and
// holds what this script did and saw to the API:
//
//   node backoffice/e2e/menu.e2e.mjs config.json
//
// A manager adds a category, an item typed at 4.50, a venue's own price, a modifier group with
// a priced modifier, schedules a tax rate for later, is refused a rate from the past by the form
// (nothing is sent), and a wrong tax number by the API; the lists are read back page by page
// ("Show more") for the test to compare with the API. A second manager, whose computer's clock
// is behind, sends a rate the browser thinks is to come and meets the API's own refusal. An
// accountant sees both pages with no way to change anything. Every state is checked with axe.
import { browserRun, menu, pageLink } from "./lib.mjs";

// The browsers sit in the venue's time zone: the forms' moments are read in the browser's.
const AT_THE_VENUE = { timezoneId: "Australia/Sydney" };

/** `datetime-local` text for a moment `ms` from now by the page's clock, in its time zone. */
function localMoment(page, ms) {
  return page.evaluate((offset) => {
    const at = new Date(Date.now() + offset);
    const two = (value) => String(value).padStart(2, "0");
    return (
      `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}` +
      `T${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`
    );
  }, ms);
}

const path = (response) => new URL(response.url()).pathname;
const relative = (response) => {
  const url = new URL(response.url());
  return url.pathname + url.search;
};
/** A GET of one of the page's own lists (20 a page), not of the pickers' whole lists. */
const isList = (name) => (response) =>
  response.request().method() === "GET" &&
  path(response) === `/v1/menu/${name}` &&
  new URL(response.url()).searchParams.get("limit") === "20";

/** The rows of a list on the page: each one's id and price, as the page marked them. */
async function rows(page, list) {
  return page.locator(`table[data-list=${list}] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.dataset.id, price_minor: tr.dataset.priceMinor ?? null })),
  );
}

/** The buttons and forms that would change something, in the page's main part. */
async function writeControls(page) {
  const forms = await page.locator("main form").count();
  const buttons = await page
    .locator("main button")
    .evaluateAll((nodes) =>
      nodes
        .map((node) => node.getAttribute("aria-label") ?? node.textContent.trim())
        .filter((name) => /^(Add|Save|Set|Schedule|Archive|Restore|Edit|Rename|Use the)/.test(name)),
    );
  return { forms, buttons };
}

async function problemOf(locator) {
  await locator.waitFor();
  return {
    code: await locator.getAttribute("data-code"),
    status: await locator.getAttribute("data-status"),
    request_id: (await locator.locator(".request-id").count())
      ? await locator.locator(".request-id").textContent()
      : null,
    text: (await locator.textContent()).trim(),
  };
}

await browserRun(async (run) => {
  const { config, result } = run;
  result.manager = {};
  result.late_clock = {};
  result.accountant = {};

  // ---- the manager: the menu -------------------------------------------------------------
  const page = await run.page("manager", AT_THE_VENUE);
  await run.signInWithCode(page, config.manager);
  result.manager.menu = await menu(page);
  const firstItems = page.waitForResponse(isList("items"));
  await pageLink(page, "Menu").click();
  await firstItems;
  await page.locator("table[data-list=items] tbody tr").first().waitFor();
  await run.checkAccessibility(page, "menu (manager)");

  const categories = page.getByRole("region", { name: "Categories" });
  const newCategory = categories.getByRole("form", { name: "New category" });
  await newCategory.getByLabel("Name", { exact: true }).fill("Breakfast");
  await newCategory.getByLabel("Made at").selectOption("kitchen");
  await newCategory.getByRole("button", { name: "Add category" }).click();
  await categories.locator("table tbody th", { hasText: "Breakfast" }).waitFor();

  const items = page.getByRole("region", { name: "Items" });
  const newItem = items.getByRole("form", { name: "New item" });
  // The pickers are read again after the category was added: wait for it to be offered.
  await newItem.locator("select[name=category] option", { hasText: "Breakfast" }).waitFor({ state: "attached" });
  await newItem.getByLabel("Name", { exact: true }).fill("Bircher muesli");
  await newItem.locator("select[name=category]").selectOption({ label: "Breakfast" });
  await newItem.getByLabel("Tax category").selectOption({ label: config.tax_category_name });
  await newItem.getByLabel(/^Price/).fill("4.50");
  const created = page.waitForResponse(
    (response) => response.request().method() === "POST" && path(response) === "/v1/menu/items",
  );
  await newItem.getByRole("button", { name: "Add item" }).click();
  const item = await (await created).json();
  result.manager.item = { id: item.id, request_body: JSON.parse((await created).request().postData()) };
  const editor = items.locator(`.editor[data-item="${item.id}"]`);
  await editor.getByRole("heading", { name: "Bircher muesli" }).waitFor();
  await run.checkAccessibility(page, "menu: item added (manager)");

  // The venue's own price, through the venue picker.
  const venuePrice = editor.getByRole("form", { name: "Set a venue's price" });
  await venuePrice.getByLabel("Venue").selectOption(config.location);
  await venuePrice.getByLabel(/^Price there/).fill("5.20");
  await venuePrice.getByRole("button", { name: "Set venue price" }).click();
  await editor.locator(`.venue-prices tr[data-location="${config.location}"]`).waitFor();
  // Back on the item's price at that venue (DELETE), then its own price again.
  await editor.getByRole("button", { name: /^Use the item's price at / }).click();
  await editor.getByText("Every venue sells it at the item's price.").waitFor();
  result.manager.venue_price_removed = true;
  await venuePrice.getByLabel(/^Price there/).fill("5.20");
  await venuePrice.getByRole("button", { name: "Set venue price" }).click();
  await editor.locator(`.venue-prices tr[data-location="${config.location}"]`).waitFor();

  // Typed not as an amount: the form says so, and nothing is sent.
  const schedule = editor.getByRole("form", { name: "Schedule a price change of Bircher muesli" });
  await schedule.getByLabel(/^New price/).fill("4.5.0");
  await schedule.getByLabel(/^From/).fill(await localMoment(page, 7 * 86_400_000));
  await schedule.getByRole("button", { name: "Schedule price" }).click();
  result.manager.not_an_amount = await problemOf(schedule.locator(".problem"));
  await run.checkAccessibility(page, "menu: not an amount (manager)");
  await schedule.getByLabel(/^New price/).fill("4.80");
  await schedule.getByRole("button", { name: "Schedule price" }).click();
  await editor.locator(".scheduled-prices tr[data-price-minor='480']").waitFor();

  const groups = page.getByRole("region", { name: "Modifier groups" });
  const newGroup = groups.getByRole("form", { name: "New modifier group" });
  await newGroup.getByLabel("Name", { exact: true }).fill("Extras");
  await newGroup.getByLabel("At most").fill("2");
  await newGroup.getByRole("button", { name: "Add group" }).click();
  await groups.getByRole("button", { name: "Edit the modifier group Extras" }).click();
  const newModifier = groups.getByRole("form", { name: "New modifier in Extras" });
  await newModifier.getByLabel("Name", { exact: true }).fill("Honey");
  await newModifier.getByLabel(/^Price/).fill("0.80");
  await newModifier.getByRole("button", { name: "Add modifier" }).click();
  await groups.locator("table .modifiers li", { hasText: "Honey" }).waitFor();
  await run.checkAccessibility(page, "menu: modifier added (manager)");
  await run.screenshot(page, "menu-manager");

  // ---- the manager: tax ------------------------------------------------------------------
  let rateRequests = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("/rates")) rateRequests += 1;
  });
  await pageLink(page, "Tax").click();
  const category = page.getByRole("region", { name: `Tax category ${config.tax_category_name}`, exact: true });
  await category.waitFor();
  await run.checkAccessibility(page, "tax (manager)");
  const rate = category.getByRole("form", { name: `Schedule a rate for ${config.tax_category_name}`, exact: true });
  const future = await localMoment(page, 30 * 86_400_000);
  await rate.getByLabel("New rate in %").fill("12.5");
  await rate.getByLabel(/^From/).fill(future);
  const scheduled = page.waitForResponse((response) => response.url().includes("/rates"));
  await rate.getByRole("button", { name: "Schedule rate" }).click();
  result.manager.rate = {
    local: future,
    status: (await scheduled).status(),
    request_body: JSON.parse((await scheduled).request().postData()),
  };
  await category.locator("tr[data-rate='12.500'][data-scheduled=true]").waitFor();
  await run.screenshot(page, "tax-manager");

  // A moment that has passed: the form refuses it before asking.
  const before = rateRequests;
  await rate.getByLabel("New rate in %").fill("11");
  await rate.getByLabel(/^From/).fill(await localMoment(page, -86_400_000));
  await rate.getByRole("button", { name: "Schedule rate" }).click();
  result.manager.past_rate = await problemOf(rate.locator(".problem"));
  result.manager.past_rate.requests_sent = rateRequests - before;
  await run.checkAccessibility(page, "tax: past rate refused (manager)");
  await run.screenshot(page, "tax-past-refused");

  // A tax number that is not an ABN: the API's problem, shown with its request id.
  const settings = page.getByRole("form", { name: "Change the tax settings" });
  await settings.getByLabel(/^Tax number/).fill("12 345 678 901");
  await settings.getByRole("button", { name: "Save settings" }).click();
  result.manager.invalid_tax_id = await problemOf(settings.locator(".problem"));
  await run.checkAccessibility(page, "tax: invalid tax number (manager)");
  await settings.getByLabel(/^Tax number/).fill("51824753556");
  await settings.getByLabel("Tax basis").selectOption("cash");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await page.locator("dd[data-setting=tax_basis][data-value=cash]").waitFor();
  result.manager.tax_id_shown = await page.locator("dd[data-setting=tax_id]").getAttribute("data-value");

  // ---- the manager: the lists, read back for the test to compare with the API -------------
  const itemsFirst = page.waitForResponse(isList("items"));
  const categoriesFirst = page.waitForResponse(isList("categories"));
  const groupsFirst = page.waitForResponse(isList("modifier-groups"));
  await pageLink(page, "Menu").click();
  const lists = {};
  for (const [name, response] of [
    ["items", await itemsFirst],
    ["categories", await categoriesFirst],
    ["modifier-groups", await groupsFirst],
  ]) {
    const answer = await response.json();
    await page.locator(`table[data-list=${name}] tbody tr`).nth(answer.items.length - 1).waitFor();
    lists[name] = { pages: [{ request: relative(response), answer }] };
  }
  const more = page.waitForResponse(isList("items"));
  await items.getByRole("button", { name: "Show more items" }).click();
  const second = await more;
  const secondAnswer = await second.json();
  lists.items.pages.push({ request: relative(second), answer: secondAnswer });
  const total = lists.items.pages[0].answer.items.length + secondAnswer.items.length;
  await page.locator("table[data-list=items] tbody tr").nth(total - 1).waitFor();
  for (const name of Object.keys(lists)) lists[name].rows = await rows(page, name);
  // One category's items, through the filter.
  const filtered = page.waitForResponse(
    (response) => isList("items")(response) && response.url().includes("category_id="),
  );
  await items.locator("select[name=filter_category]").selectOption({ label: "Breakfast" });
  const breakfast = await filtered;
  const breakfastAnswer = await breakfast.json();
  await page.locator("table[data-list=items][data-category] tbody tr").first().waitFor();
  await page.waitForFunction(
    (count) => document.querySelectorAll("table[data-list=items] tbody tr").length === count,
    breakfastAnswer.items.length,
  );
  lists["items-of-a-category"] = {
    pages: [{ request: relative(breakfast), answer: breakfastAnswer }],
    rows: await rows(page, "items"),
  };
  result.manager.lists = lists;
  await run.checkAccessibility(page, "menu: second page of items (manager)");
  await page.context().close();

  // ---- a manager whose computer's clock is 40 seconds behind -------------------------------
  {
    const late = await run.page("late clock", AT_THE_VENUE);
    // Within the minute the API allows a proof's age, so the session itself works.
    await late.clock.install({ time: Date.now() - 40_000 });
    await run.signInWithCode(late, config.late_manager);
    await pageLink(late, "Tax").click();
    const lateCategory = late.getByRole("region", { name: `Tax category ${config.tax_category_name}`, exact: true });
    const lateRate = lateCategory.getByRole("form", { name: `Schedule a rate for ${config.tax_category_name}`, exact: true });
    await lateRate.waitFor();
    // 25 seconds ahead by this browser's clock: 15 seconds ago by the database's.
    await lateRate.getByLabel("New rate in %").fill("11");
    await lateRate.getByLabel(/^From/).fill(await localMoment(late, 25_000));
    await lateRate.getByRole("button", { name: "Schedule rate" }).click();
    result.late_clock.problem = await problemOf(lateRate.locator(".problem"));
    await run.checkAccessibility(late, "tax: refused by the API (late clock)");
    await run.screenshot(late, "tax-refused-by-api");
    await late.context().close();
  }

  // ---- the accountant: both pages, read only ---------------------------------------------
  {
    const reader = await run.page("accountant", AT_THE_VENUE);
    await run.signInWithCode(reader, config.accountant);
    result.accountant.menu = await menu(reader);
    await pageLink(reader, "Menu").click();
    await reader.locator("table[data-list=items] tbody tr").first().waitFor();
    await reader.locator("table[data-list=modifier-groups] tbody tr").first().waitFor();
    await reader.getByRole("button", { name: "Open Bircher muesli" }).click();
    await reader.locator(`.editor[data-item="${item.id}"] .venue-prices tr`).first().waitFor();
    result.accountant.menu_controls = await writeControls(reader);
    await run.checkAccessibility(reader, "menu (accountant)");
    await run.screenshot(reader, "menu-accountant");
    await pageLink(reader, "Tax").click();
    await reader.getByRole("region", { name: `Tax category ${config.tax_category_name}`, exact: true }).waitFor();
    await reader.locator("dd[data-setting=tax_id]").waitFor();
    result.accountant.tax_controls = await writeControls(reader);
    await run.checkAccessibility(reader, "tax (accountant)");
    await run.screenshot(reader, "tax-accountant");
    await reader.context().close();
  }
});
